// `npm run bench -- pack-version`: what A14 costs every use case. Since amendment protocols, each use
// case reads the protocols in force (one small query) and its context's pack is the version in force
// at its clock. Measured on SQLite and PostgreSQL in one run:
//
// - live: registrations (`registerCarrier`) through the node's context, one protocol in force;
// - fixed: the same registrations through a context whose pack is fixed (no versions to read): the
//   cost before A14;
// - fixed again (A/A): a second fixed context, to show the noise between two identical arms.
//
// Rounds alternate the order of the three arms; per-round rates, medians reported.
// Knobs: KELISIM_BENCH_ROUNDS (default 15), KELISIM_BENCH_PER_ROUND (default 30),
// KELISIM_BENCH_ONLY=sqlite|postgres.
import { protocolsInForce } from "../src/app/agreement/pack-history.ts";
import { registerCarrier } from "../src/app/carriers/register-carrier.ts";
import type { AppContext } from "../src/app/context.ts";
import type { StoreDialect } from "../src/store/columns.ts";
import { createNode, seedBodies } from "./support/bench-node.ts";

const ROUNDS = Number(process.env.KELISIM_BENCH_ROUNDS ?? 15);
const PER_ROUND = Number(process.env.KELISIM_BENCH_PER_ROUND ?? 30);
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Registrations per second through `ctx`, `PER_ROUND` of them. */
async function rate(ctx: AppContext, round: number, arm: string): Promise<number> {
  const t = performance.now();
  for (let i = 0; i < PER_ROUND; i++)
    await registerCarrier(ctx, {
      actor: "reg0",
      kind: "paper-document",
      sheets: 1,
      title: `${arm} round ${round} carrier ${i}`,
      level: "secret",
    });
  return PER_ROUND / ((performance.now() - t) / 1000);
}

async function benchDialect(dialect: StoreDialect): Promise<void> {
  console.log(`\n--- ${dialect}`);
  const bench = await createNode(dialect);
  try {
    await seedBodies(bench.ctx, 1);
    // One protocol in force (as two nodes record it after both notices, A15.1): not timed.
    const now = new Date().toISOString();
    await bench.ctx.db
      .insertInto("amendment_protocols")
      .values({
        id: "bench-protocol",
        number: "1",
        title: "Bench protocol",
        signed_on: "2026-01-10",
        reference: "",
        changes: JSON.stringify([{ kind: "deadline", deadline: "visitRequestLead", duration: "P2M" }]),
        proposed_by: "KZ",
        direction: "out",
        status: "in-force",
        proposed_at: now,
        answered_at: now,
        answer_reason: null,
        notices: JSON.stringify([
          { from: "KZ", receivedAt: "2026-01-12T09:00:00.000Z" },
          { from: "AM", receivedAt: "2026-01-20T10:00:00.000Z" },
        ]),
        in_force_on: "2026-01-20",
        in_force_from: "2026-01-19T19:00:00.000Z",
        version: 1,
        message_id: "bench-message",
        answer_message_id: null,
        recorded_by: "bench",
      })
      .execute();
    const live = bench.ctx;
    const inForce = await bench.ctx.db.transaction().execute((trx) => protocolsInForce(trx));
    // The fixed arms carry the same amended pack, without the versions to read anew.
    await rate(live, -1, "warm-up");
    const fixedPack = live.pack;
    if ((fixedPack.version ?? 0) !== 1 || inForce.length !== 1)
      throw new Error("the live context does not apply the protocol in force: the bench measures nothing");
    const { packs: _dropped, ...rest } = live;
    const fixed: AppContext = { ...rest, pack: fixedPack };
    const fixedAgain: AppContext = { ...rest, pack: fixedPack };
    await rate(fixed, -1, "warm-up");
    const arms = [
      { name: "live", ctx: live, rates: [] as number[] },
      { name: "fixed", ctx: fixed, rates: [] as number[] },
      { name: "fixed again", ctx: fixedAgain, rates: [] as number[] },
    ];
    for (let round = 0; round < ROUNDS; round++) {
      const order = [0, 1, 2].map((k) => arms[(k + round) % 3]!);
      for (const arm of order) arm.rates.push(await rate(arm.ctx, round, arm.name));
    }
    const [l, f, a] = arms.map((arm) => median(arm.rates)) as [number, number, number];
    console.log(
      `registrations/s, medians of ${ROUNDS} rounds × ${PER_ROUND}: live pack (A14) ${l.toFixed(0)} | fixed pack ${f.toFixed(0)} | fixed again (A/A) ${a.toFixed(0)}`,
    );
    console.log(
      `  live/fixed ${(l / f).toFixed(3)} (the cost of reading the versions) | A/A fixed/fixed ${(a / f).toFixed(3)} (the noise)`,
    );
  } finally {
    await bench.cleanup();
  }
}

const only = process.env.KELISIM_BENCH_ONLY;
for (const dialect of ["sqlite", "postgres"] as const) {
  if (only && only !== dialect) continue;
  await benchDialect(dialect);
}
