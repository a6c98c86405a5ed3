// `npm run bench -- registry`: the node's registry on SQLite and PostgreSQL, measured in one run.
//
// 1. Durable registrations per second through the use case (`registerCarrier`: actor, decision,
//    number, carrier row, title index and audit entry in one transaction, committed durably) against
//    raw durable single-row inserts per second on the same database (one INSERT per transaction
//    through the bare driver). Target ratio ≥ 0.5.
// 2. Registry list/search with filters at 10^6 carriers (`listCarriers` as a registry officer, keyset
//    pages of 50): p50/p99 latency per query shape and overall. Target p99 < 20 ms. The carriers are
//    bulk-loaded (not timed), then statistics refreshed (SQLite ANALYZE, PostgreSQL VACUUM ANALYZE), as autovacuum would.
//
// PostgreSQL: KELISIM_BENCH_DATABASE_URL, else the test server postgres://postgres@127.0.0.1:5432/test,
// in a fresh schema dropped afterwards. Knobs: KELISIM_BENCH_CARRIERS (default 1000000),
// KELISIM_BENCH_REGISTRATIONS (×16, default 25), KELISIM_BENCH_ONLY=sqlite|postgres,
// KELISIM_BENCH_PART=registrations|listing, KELISIM_BENCH_KEEP=1 (keep the databases to inspect).
import { randomUUID } from "node:crypto";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { listCarriers } from "../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../src/app/carriers/register-carrier.ts";
import type { StoreDialect } from "../src/store/columns.ts";
import type { CarriersTable } from "../src/store/core-tables.ts";
import { SQLITE_FILE_NAME } from "../src/store/open-database.ts";
import { type Bench, createNode, seedBodies } from "./support/bench-node.ts";

const CARRIERS = Number(process.env.KELISIM_BENCH_CARRIERS ?? 1_000_000);
const REGISTRATIONS = Number(process.env.KELISIM_BENCH_REGISTRATIONS ?? 25);
const ROUNDS = 16;
const QUERIES_PER_SHAPE = 200;
const BODIES = 4;
const LEVELS = ["secret", "top-secret", "special-importance"] as const;
const KINDS = ["paper-document", "electronic-file", "removable-media", "other-object"] as const;

// A vocabulary of 1000 title words: each word is in ~0.3 % of titles.
const VOCABULARY = Array.from(
  { length: 1000 },
  (_, i) => `w${i.toString(36)}x${((i * 7919) % 997).toString(36)}`,
);

let rng = 42;
function random(): number {
  rng = (rng * 1103515245 + 12345) % 2147483648;
  return rng / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}
function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const ms = (x: number) => `${x.toFixed(2)} ms`;

// ---------------------------------------------------------------- 1. registrations

/**
 * Time spent inside the database driver (each statement, BEGIN and COMMIT included) while `driverClock.on`:
 * what a registration costs the database itself, so the bench can say how far any implementation of
 * the use case's writes could go. Wraps the drivers' entry points (better-sqlite3 statements, the
 * pg client's promise queries) for this process only.
 */
const driverClock = { on: false, ms: 0, statements: 0 };
{
  const timed = <A extends unknown[], R>(f: (...a: A) => R) =>
    function (this: unknown, ...a: A): R {
      if (!driverClock.on) return f.apply(this, a);
      const t = performance.now();
      try {
        return f.apply(this, a);
      } finally {
        driverClock.ms += performance.now() - t;
        driverClock.statements++;
      }
    };
  const sqlitePrototype = BetterSqlite3.prototype as unknown as { prepare: (source: string) => object };
  const prepare = sqlitePrototype.prepare;
  sqlitePrototype.prepare = function (this: unknown, source: string) {
    const statement = prepare.call(this, source) as Record<string, (...a: unknown[]) => unknown>;
    for (const method of ["run", "get", "all", "iterate"])
      statement[method] = timed(statement[method]!.bind(statement));
    return statement;
  };
  const pgPrototype = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const query = pgPrototype.query;
  pgPrototype.query = function (this: unknown, ...a: unknown[]) {
    const result = query.apply(this, a);
    if (!driverClock.on || !(result instanceof Promise)) return result;
    const t = performance.now();
    driverClock.statements++;
    return result.finally(() => {
      driverClock.ms += performance.now() - t;
    });
  };
}

/** A raw durable single-row insert per transaction, through the bare driver, on the node's database. */
async function rawInserter(bench: Bench, dialect: StoreDialect) {
  if (dialect === "sqlite") {
    const raw = new BetterSqlite3(`${bench.location.dataDir}/${SQLITE_FILE_NAME}`, { timeout: 10_000 });
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = FULL");
    raw.exec("create table if not exists bench_raw (id text primary key, payload text not null)");
    const insert = raw.prepare("insert into bench_raw (id, payload) values (?, ?)");
    return {
      insert: async () => {
        insert.run(
          randomUUID(),
          "a registry row of about the size of a carrier's record, in one transaction",
        );
      },
      close: async () => raw.close(),
    };
  }
  const client = new pg.Client({ connectionString: bench.location.databaseUrl });
  await client.connect();
  await client.query("create table if not exists bench_raw (id text primary key, payload text not null)");
  return {
    insert: async () => {
      await client.query("insert into bench_raw (id, payload) values ($1, $2)", [
        randomUUID(),
        "a registry row of about the size of a carrier's record, in one transaction",
      ]);
    },
    close: async () => client.end(),
  };
}

async function benchRegistrations(bench: Bench, dialect: StoreDialect) {
  const raw = await rawInserter(bench, dialect);
  driverClock.ms = 0;
  driverClock.statements = 0;
  let useCaseTime = 0;
  let rawTime = 0;
  let n = 0;
  // Warm-up, then alternate rounds so both sides see the same disk and cache conditions.
  for (let i = 0; i < 10; i++) {
    await raw.insert();
    await registerCarrier(bench.ctx, {
      actor: "reg0",
      kind: "other-object",
      title: "warm up",
      level: "secret",
    });
  }
  // Each use-case registration is paired with a raw insert measured right beside it, so both see
  // the same disk and CPU conditions (the machine may be shared).
  for (let i = 0; i < ROUNDS * REGISTRATIONS; i++) {
    let t = performance.now();
    await raw.insert();
    rawTime += performance.now() - t;
    t = performance.now();
    driverClock.on = true;
    await registerCarrier(bench.ctx, {
      actor: "reg0",
      kind: "paper-document",
      sheets: 3,
      title: `${pick(VOCABULARY)} ${pick(VOCABULARY)} report`,
      level: pick(LEVELS),
    });
    driverClock.on = false;
    useCaseTime += performance.now() - t;
    n++;
  }
  await raw.close();
  const useCasePerSecond = n / (useCaseTime / 1000);
  const rawPerSecond = n / (rawTime / 1000);
  return {
    useCasePerSecond,
    rawPerSecond,
    ratio: useCasePerSecond / rawPerSecond,
    n,
    driverMsEach: driverClock.ms / n,
    statementsEach: driverClock.statements / n,
    rawMsEach: rawTime / n,
  };
}

// ---------------------------------------------------------------- 2. list/search at scale

async function bulkLoad(bench: Bench, bodies: readonly string[]): Promise<void> {
  const { ctx } = bench;
  const started = performance.now();
  const base = Number(
    (
      await ctx.db
        .selectFrom("carriers")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirst()
    )?.m ?? 0,
  );
  const registrar = await ctx.db
    .selectFrom("people")
    .select("id")
    .where("handle", "=", "reg0")
    .executeTakeFirstOrThrow();
  const BATCH = 500;
  const PER_TX = 20_000;
  const day0 = Date.UTC(2026, 0, 1);
  for (let from = 0; from < CARRIERS; from += PER_TX) {
    await ctx.db.transaction().execute(async (trx) => {
      for (let start = from; start < Math.min(CARRIERS, from + PER_TX); start += BATCH) {
        const rows: CarriersTable[] = [];
        const words: { word: string; carrier_seq: number }[] = [];
        for (let i = start; i < Math.min(CARRIERS, start + BATCH); i++) {
          const seq = base + i + 1;
          const level = pick(LEVELS);
          const kind = pick(KINDS);
          const r = random();
          const state = r < 0.9 ? "registered" : r < 0.95 ? "destroyed" : "dispatched";
          const titleWords = [pick(VOCABULARY), pick(VOCABULARY), pick(VOCABULARY)];
          const at = new Date(day0 + i * 20_000).toISOString();
          rows.push({
            id: randomUUID(),
            seq,
            registration_number: `KZ-B-${String(i).padStart(7, "0")}`,
            copy_number: 1,
            kind,
            sheets: kind === "paper-document" ? 1 + (i % 40) : null,
            size_bytes: kind === "paper-document" ? null : 1000 + i,
            title: titleWords.join(" "),
            level,
            marking: level,
            national_marking: null,
            originator_party: "KZ",
            originator_name: "Body",
            originator_organisation_id: null,
            custodian_organisation_id: bodies[i % bodies.length]!,
            contract_id: null,
            state,
            has_content: 0,
            registered_at: at,
            registered_by: registrar.id,
            updated_at: at,
            destroyed_at: state === "destroyed" ? at : null,
            version: 1,
          });
          for (const word of new Set(titleWords)) words.push({ word, carrier_seq: seq });
        }
        await trx.insertInto("carriers").values(rows).execute();
        await trx.insertInto("carrier_title_words").values(words).execute();
      }
    });
    if ((from / PER_TX) % 10 === 9) {
      process.stdout.write(
        `  loaded ${from + PER_TX} carriers (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
      );
    }
  }
  // What autovacuum does in service: statistics, and (PostgreSQL) the visibility map that lets
  // index-only scans skip the table.
  await sql`${sql.raw(bench.node.dialect === "postgres" ? "vacuum analyze carriers, carrier_title_words" : "analyze")}`.execute(
    ctx.db,
  );
  process.stdout.write(
    `  bulk load of ${CARRIERS} carriers + VACUUM/ANALYZE: ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)\n`,
  );
}

type Shape = { name: string; make: () => Parameters<typeof listCarriers>[1] };

async function benchListing(bench: Bench) {
  const { ctx } = bench;
  const maxSeq = Number(
    (
      await ctx.db
        .selectFrom("carriers")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirst()
    )?.m ?? 0,
  );
  const officer = () => `reg${Math.floor(random() * BODIES)}`;
  const shapes: Shape[] = [
    { name: "first page, no filter", make: () => ({ actor: officer() }) },
    { name: "level", make: () => ({ actor: officer(), level: pick(LEVELS) }) },
    { name: "level + status", make: () => ({ actor: officer(), level: pick(LEVELS), status: "registered" }) },
    { name: "kind + level", make: () => ({ actor: officer(), kind: pick(KINDS), level: pick(LEVELS) }) },
    {
      name: "status destroyed + kind",
      make: () => ({ actor: officer(), status: "destroyed", kind: pick(KINDS) }),
    },
    {
      name: "deep page (keyset)",
      make: () => ({ actor: officer(), after: 1 + Math.floor(random() * maxSeq) }),
    },
    {
      name: "level, deep page",
      make: () => ({ actor: officer(), level: pick(LEVELS), after: 1 + Math.floor(random() * maxSeq) }),
    },
    { name: "title word", make: () => ({ actor: officer(), words: pick(VOCABULARY) }) },
    {
      name: "two title words",
      make: () => ({ actor: officer(), words: `${pick(VOCABULARY)} ${pick(VOCABULARY)}` }),
    },
    {
      name: "title word + level",
      make: () => ({ actor: officer(), words: pick(VOCABULARY), level: pick(LEVELS) }),
    },
    {
      name: "registration number",
      make: () => ({
        actor: "ca",
        number: `KZ-B-${String(Math.floor(random() * CARRIERS)).padStart(7, "0")}`,
      }),
    },
    { name: "whole registry (CA officer), level", make: () => ({ actor: "ca", level: pick(LEVELS) }) },
  ];
  const all: number[] = [];
  const perShape: { name: string; p50: number; p99: number; rows: number }[] = [];
  for (const shape of shapes) {
    for (let i = 0; i < 10; i++) await listCarriers(ctx, shape.make());
    const times: number[] = [];
    let rows = 0;
    for (let i = 0; i < QUERIES_PER_SHAPE; i++) {
      const input = shape.make();
      const t = performance.now();
      const page = await listCarriers(ctx, input);
      times.push(performance.now() - t);
      rows += page.carriers.length;
    }
    times.sort((a, b) => a - b);
    all.push(...times);
    perShape.push({
      name: shape.name,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      rows: rows / QUERIES_PER_SHAPE,
    });
  }
  all.sort((a, b) => a - b);
  return { perShape, p50: percentile(all, 50), p99: percentile(all, 99), queries: all.length };
}

// ---------------------------------------------------------------- main

async function benchDialect(dialect: StoreDialect): Promise<boolean> {
  console.log(`\n--- ${dialect}`);
  const bench = await createNode(dialect);
  try {
    const bodies = await seedBodies(bench.ctx, BODIES);
    const part = process.env.KELISIM_BENCH_PART;
    let met = true;
    if (part !== "listing") {
      const reg = await benchRegistrations(bench, dialect);
      console.log(
        `registrations through the use case: ${reg.useCasePerSecond.toFixed(0)}/s | raw durable single-row inserts: ${reg.rawPerSecond.toFixed(0)}/s | ratio ${reg.ratio.toFixed(2)} (target ≥ 0.5; ${reg.n} each)`,
      );
      // The database's own share: even a use case costing nothing but its statements could not go
      // faster than this, so it bounds the ratio any implementation of these writes can reach.
      console.log(
        `  of which inside the database driver: ${reg.driverMsEach.toFixed(3)} ms per registration (${reg.statementsEach.toFixed(1)} statements incl. BEGIN/COMMIT) vs ${reg.rawMsEach.toFixed(3)} ms per raw insert: ceiling ratio for these writes ${(reg.rawMsEach / reg.driverMsEach).toFixed(2)}`,
      );
      met = reg.ratio >= 0.5;
    }
    if (part === "registrations") return met;
    await bulkLoad(bench, bodies);
    const list = await benchListing(bench);
    for (const s of list.perShape) {
      console.log(
        `  ${s.name.padEnd(36)} p50 ${ms(s.p50).padStart(9)}  p99 ${ms(s.p99).padStart(9)}  (${s.rows.toFixed(0)} rows/page)`,
      );
    }
    console.log(
      `registry list/search at ${CARRIERS} carriers: p50 ${ms(list.p50)}, p99 ${ms(list.p99)} over ${list.queries} queries (target p99 < 20 ms)`,
    );
    return met && list.p99 < 20;
  } finally {
    await bench.cleanup();
  }
}

const only = process.env.KELISIM_BENCH_ONLY;
let met = true;
for (const dialect of ["sqlite", "postgres"] as const) {
  if (only && only !== dialect) continue;
  met = (await benchDialect(dialect)) && met;
}
console.log(met ? "\ntargets met" : "\ntargets NOT met (see above)");
