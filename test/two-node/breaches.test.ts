// Article 11 between two node processes over HTTPS: a physical carrier whose seals are broken at
// take-in becomes a breach on the receiving node (A11.1): registered but held in quarantine, its
// record visible and flagged; the notice reaches the other Party's competent authority at once and
// flags its carrier there; the clock escalates on the competent authority's dashboard only once a
// step is past its target (the clock is passed in, never slept on); the results and the closure
// (A11.2) cross and lift the flags on both sides. Every step audited once.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadActor } from "../../src/app/actor.ts";
import {
  reportBreach,
  reportResults,
  settleBreach,
  startInvestigation,
} from "../../src/app/breaches/breach-flow.ts";
import { showBreach } from "../../src/app/breaches/list-breaches.ts";
import { decideCarrierAccess } from "../../src/app/carriers/carrier-access.ts";
import { loadCarrier } from "../../src/app/carriers/carrier-repository.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { showDashboard } from "../../src/app/node/dashboard.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
} from "../../src/app/transfer/transfer-flow.ts";
import { readAuditEntries, readAuditHead } from "../../src/audit/log.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { makeTempDir } from "../support/databases.ts";
import { inState, transferRow } from "./support/flow-steps.ts";
import {
  type NodeHandle,
  registerOwnCarrier,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

beforeAll(async () => {
  base = makeTempDir("kelisim-breach-");
  ({ kz, am } = await setupTwoNodes(base));
  kzServe = await startNode(kz);
  amServe = await startNode(am);
}, 180_000);

afterAll(async () => {
  await stopNode(kzServe);
  await stopNode(amServe);
  kz?.ctx.exchange.close();
  am?.ctx.exchange.close();
  await kz?.node.close();
  await am?.node.close();
  rmSync(base, { recursive: true, force: true });
});

const breachRow = (h: NodeHandle, id: string) =>
  h.node.db.selectFrom("breaches").selectAll().where("id", "=", id).executeTakeFirst();

/** The content access decision (A4.2) on the carrier for `handle` now. */
async function accessFor(h: NodeHandle, handle: string, carrier: string) {
  return withTransaction(h.node.db, async (trx) =>
    decideCarrierAccess(trx, h.ctx, await loadActor(trx, handle), await loadCarrier(trx, h.ctx, carrier)),
  );
}

async function failure(run: () => Promise<unknown>) {
  const error = await run().then(
    () => null,
    (e: unknown) => e as { code?: string; articles?: string[] },
  );
  expect(error, "expected a refusal").not.toBeNull();
  return error!;
}

async function entriesSince(h: NodeHandle, from: number) {
  const size = (await readAuditHead(h.node.db)).size;
  return readAuditEntries(h.node.db, from, size - from);
}

describe("A11.1, A11.2: a broken seal at take-in, across the two nodes", () => {
  it("A11.1: the carrier is taken in quarantined, the notice reaches KZ and flags its carrier; A11.1, A11.2: the clock escalates past its target; results and closure cross and lift the flags", async () => {
    // A KZ paper carrier on its way to AM's body by state courier (A5.6).
    const carrier = await registerOwnCarrier(kz, {
      title: "Sealed drawings",
      level: "secret",
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: carrier.registrationNumber,
      to: am.bodyName,
    });
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    await waitFor(inState(am, transferId, "clearance-asked"), "the confirmation request");
    await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: transferId });
    await waitFor(inState(kz, transferId, "confirmed"), "the confirmation");
    await dispatchTransfer(kz.ctx, {
      actor: "kzreg",
      transfer: transferId,
      channel: "state-courier",
      sealNumbers: ["S-1", "S-2"],
      waybill: "WB-11",
    });
    await waitFor(inState(am, transferId, "dispatched"), "the dispatch record");

    // Seals not intact and nothing described: refused as before (A5.6), nothing taken in.
    const undescribed = await failure(() =>
      receivePhysicalCarrier(am.ctx, { actor: "amreg", transfer: transferId, sealsIntact: false }),
    );
    expect(undescribed.code).toBe("TRANSFER_SEALS_NOT_CONFIRMED");
    expect((await transferRow(am, transferId))?.carrier_id ?? null).toBeNull();

    // Seals broken, described: taken in, quarantined, a breach recorded, its notice sent — one step.
    const from = (await readAuditHead(am.node.db)).size;
    const received = await receivePhysicalCarrier(am.ctx, {
      actor: "amreg",
      transfer: transferId,
      sealsIntact: false,
      breach: { what: "seal S-2 broken, the envelope resealed with tape" },
    });
    expect(received.state).toBe("acknowledged");
    const breachId = received.breachId!;
    expect(breachId).toBeTruthy();
    const steps = (await entriesSince(am, from)).filter(
      (e) => e.outcome === "done" && !e.actor.startsWith("node:"),
    );
    expect(steps.filter((e) => e.event === "breach.reported")).toHaveLength(1);
    expect(steps.filter((e) => e.event === "transfer.receipt-sent")).toHaveLength(1);

    const amBreach = (await breachRow(am, breachId))!;
    expect(amBreach).toMatchObject({
      direction: "own",
      party: "AM",
      state: "notified",
      source: `transfer:${transferId}`,
    });
    expect(JSON.parse(amBreach.information_of)).toEqual(["KZ"]);
    const amCarrier = (
      await am.node.db
        .selectFrom("received_carriers")
        .select("carrier_id")
        .where("transfer_id", "=", transferId)
        .executeTakeFirstOrThrow()
    ).carrier_id;
    // Registered but held: the record is visible and flagged, no one reads it (A11.1).
    const access = await accessFor(am, "amreg", amCarrier);
    expect(access.allowed).toBe(false);
    expect(!access.allowed && access.failures.map((f) => f.code)).toContain("ACCESS_CARRIER_QUARANTINED");
    const shownAm = await showCarrier(am.ctx, { actor: "amreg", carrier: amCarrier });
    expect(shownAm.view.carrier.breach).toEqual({ flagged: true, quarantined: true });
    const content = await failure(() =>
      showCarrier(am.ctx, { actor: "amreg", carrier: amCarrier, content: true }),
    );
    expect(content.code).toBe("ACCESS_DENIED");
    expect(content.articles).toContain("A11.1");

    // The receipt notice still reaches KZ as usual (A5.6), and the breach notice reaches KZ's competent authority.
    await waitFor(inState(kz, transferId, "acknowledged"), "the receipt notice", 120_000);
    const kzBreach = await waitFor(() => breachRow(kz, breachId), "the breach notice at KZ", 120_000);
    expect(kzBreach).toMatchObject({ direction: "in", party: "AM", state: "notified" });
    const flaggedAtKz = await kz.node.db
      .selectFrom("breach_carriers")
      .selectAll()
      .where("breach_id", "=", breachId)
      .executeTakeFirstOrThrow();
    const kzCarrier = await kz.node.db
      .selectFrom("carriers")
      .select(["id", "state"])
      .where("registration_number", "=", carrier.registrationNumber)
      .executeTakeFirstOrThrow();
    expect(flaggedAtKz).toMatchObject({ carrier_id: kzCarrier.id, quarantined: 0 });
    expect(
      (await showCarrier(kz.ctx, { actor: "kzreg", carrier: carrier.registrationNumber })).view.carrier
        .breach,
    ).toEqual({ flagged: true, quarantined: false });
    expect((await showBreach(kz.ctx, { actor: "kzca", breach: breachId })).direction).toBe("in");

    // The notice step is done once the outbox reports it delivered.
    const notice = await waitFor(
      () =>
        am.node.db
          .selectFrom("exchange_outbox")
          .select(["delivered_at"])
          .where("id", "=", amBreach.notice_message!)
          .where("delivered_at", "is not", null)
          .executeTakeFirst(),
      "the notice's delivery",
    );
    expect((await showBreach(am.ctx, { actor: "amca", breach: breachId })).steps[0]).toMatchObject({
      step: "notice",
      doneAt: notice.delivered_at,
      overdue: false,
    });

    // The clock, passed in: the investigation's target (reported + PT72H, policy) escalates on the
    // competent authority's dashboard exactly when it passes, and only there.
    const due = amBreach.investigation_due_at!;
    const at = (iso: string | number) => ({ ...am.ctx, now: () => new Date(iso) });
    const overdue = async (iso: string | number, actor = "amca") =>
      (await showDashboard(at(iso), { actor })).breachesOverdue.filter((o) => o.id === breachId);
    expect(due).toBe(new Date(Date.parse(amBreach.reported_at) + 72 * 3_600_000).toISOString());
    expect(await overdue(Date.parse(due) - 1)).toEqual([]);
    expect(await overdue(due)).toEqual([{ id: breachId, step: "investigation", dueAt: due }]);
    expect(await overdue(due, "amreg")).toEqual([]);
    // A11.1: the case waits on AM's competent authority's dashboard for its next step, on nobody else's.
    const toAct = async (ctx: typeof am.ctx, actor: string) =>
      (await showDashboard(ctx, { actor })).consentsToDecide.filter((c) => c.id === breachId);
    expect(await toAct(am.ctx, "amca")).toEqual([
      expect.objectContaining({ kind: "breach", action: "investigate", link: `#/breaches/${breachId}` }),
    ]);
    expect(await toAct(am.ctx, "amreg")).toEqual([]);
    expect(await toAct(kz.ctx, "kzca")).toEqual([]);

    // The investigation by AM's competent authority (A11.1): a registry officer may not start it.
    const byRegistry = await failure(() => startInvestigation(am.ctx, { actor: "amreg", breach: breachId }));
    expect(byRegistry.code).toBe("ROLE_FORBIDDEN");
    expect(byRegistry.articles).toEqual(["A11.1"]);
    // KZ's competent authority does not investigate a breach on AM's side.
    const elsewhere = await failure(() => startInvestigation(kz.ctx, { actor: "kzca", breach: breachId }));
    expect(elsewhere.code).toBe("BREACH_INVESTIGATED_ELSEWHERE");

    await startInvestigation(am.ctx, { actor: "amca", breach: breachId });
    expect((await toAct(am.ctx, "amca"))[0]).toMatchObject({ action: "results" });
    await reportResults(am.ctx, {
      actor: "amca",
      breach: breachId,
      results: "tampered in transit; no disclosure",
    });
    await waitFor(
      async () => (await breachRow(kz, breachId))?.state === "results-reported",
      "the results at KZ",
      120_000,
    );
    expect((await breachRow(kz, breachId))?.results).toBe("tampered in transit; no disclosure");
    await settleBreach(am.ctx, {
      actor: "amca",
      breach: breachId,
      damageAssessment: "no damage",
      settlement: "courier procedure reviewed",
    });
    await waitFor(
      async () => (await breachRow(kz, breachId))?.state === "closed",
      "the closure at KZ",
      120_000,
    );

    // The flags are lifted on both sides; the quarantine too.
    expect((await showCarrier(am.ctx, { actor: "amreg", carrier: amCarrier })).view.carrier.breach).toEqual({
      flagged: false,
      quarantined: false,
    });
    expect(
      (await showCarrier(kz.ctx, { actor: "kzreg", carrier: carrier.registrationNumber })).view.carrier
        .breach,
    ).toEqual({ flagged: false, quarantined: false });
    const after = await accessFor(am, "amreg", amCarrier);
    expect(after.allowed || after.failures.every((f) => f.code !== "ACCESS_CARRIER_QUARANTINED")).toBe(true);
    expect(await breachRow(kz, breachId)).toMatchObject({
      damage_assessment: "no damage",
      settlement: "courier procedure reviewed",
    });

    // Each step once in each log.
    const amAll = await entriesSince(am, from);
    for (const event of [
      "breach.reported",
      "breach.investigation-started",
      "breach.results-reported",
      "breach.settled",
    ])
      expect(amAll.filter((e) => e.event === event && e.outcome === "done")).toHaveLength(1);
    const kzAll = await entriesSince(kz, 0);
    for (const event of ["breach.notice-received", "breach.results-received", "breach.closure-received"])
      expect(kzAll.filter((e) => e.event === event && e.object === `breach:${breachId}`)).toHaveLength(1);
  });
});

describe("A11.1: a breach of the own Party's information only", () => {
  it("A11.1: sends no notice: the other Party's node learns nothing of it", async () => {
    const own = await registerOwnCarrier(kz, { title: "Kept at home", level: "secret" });
    const before = await kz.node.db
      .selectFrom("exchange_outbox")
      .select("id")
      .where("kind", "=", "breach-notice")
      .execute();
    const reported = await reportBreach(kz.ctx, {
      actor: "kzreg",
      suspected: true,
      what: "cabinet found open",
      howFound: "evening round",
      foundAt: new Date().toISOString(),
      carriers: [own.registrationNumber],
    });
    expect(reported).toMatchObject({ state: "reported", notice: null });
    const after = await kz.node.db
      .selectFrom("exchange_outbox")
      .select("id")
      .where("kind", "=", "breach-notice")
      .execute();
    expect(after).toHaveLength(before.length);
    expect(await breachRow(am, reported.id)).toBeUndefined();
    expect((await showBreach(kz.ctx, { actor: "kzca", breach: reported.id })).actions).toEqual([
      "investigate",
    ]);
  });
});
