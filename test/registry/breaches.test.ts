// Breaches of Article 11 on one node (SQLite and PostgreSQL): who records and investigates, the
// notice sent at once only when the other Party's information is involved (A11.1), the step clocks
// from the pack's policy targets with the clock passed in (never slept on), the damage settlement
// that closes the case (A11.2), the carriers flagged in the registry until it is closed, the other
// Party's notice, results and closure as the inbox hands them over, and one audit entry per step.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  reportBreach,
  reportResults,
  settleBreach,
  startInvestigation,
} from "../../src/app/breaches/breach-flow.ts";
import { onBreachClosure, onBreachNotice, onBreachResults } from "../../src/app/breaches/breach-handlers.ts";
import { listBreaches, showBreach } from "../../src/app/breaches/list-breaches.ts";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { showDashboard } from "../../src/app/node/dashboard.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import { ownCompetentAuthority } from "../../src/app/transfer/transfer-flow.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { MessageBody, MessageKind } from "../../src/exchange/messages/catalogue.ts";
import { createEnvelope } from "../../src/exchange/messages/envelope.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { flowsOf, receiveCarrier } from "./received-fixture.ts";
import { auditSince, auditSize, MOD, seedRegistry } from "./registry-fixture.ts";

const AM_CA = "am-competent-authority";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

for (const dialect of DIALECTS) {
  describe(`breaches (A11) on one node [${dialect}]`, () => {
    let node: TestNode;
    let flows: FlowContext;
    let mod: string;
    let kzCa: string;
    const clock = withFixedClock("2026-06-01T09:00:00.000Z");

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      const orgs = await node.ctx.db.selectFrom("organisations").select(["id", "name"]).execute();
      mod = orgs.find((o) => o.name === MOD)!.id;
      const base = flowsOf(node.ctx);
      // AM's competent authority in the peer directory (the notice's addressee).
      flows = {
        ...base,
        exchange: {
          ...base.exchange,
          peer: {
            party: "AM",
            url: null,
            auditVerifierKey: "",
            auditOrigin: "",
            organisations: [
              {
                id: AM_CA,
                name: "AM Competent Authority",
                kind: "competent-authority",
                encryptionCertificatePem: "",
              },
            ],
          },
        },
      };
      kzCa = await withTransaction(node.ctx.db, (trx) => ownCompetentAuthority(trx, node.ctx));
    });
    afterAll(async () => {
      flows?.exchange.close();
      await node?.cleanup();
    });

    const outboxOf = (kind: string) =>
      node.ctx.db.selectFrom("exchange_outbox").selectAll().where("kind", "=", kind).execute();
    const ownCarrier = async (title: string) =>
      registerCarrier(node.ctx, {
        actor: "reg",
        title,
        kind: "paper-document",
        level: "secret",
        sheets: 2,
      });
    const eventsSince = async (from: number) =>
      (await auditSince(node.ctx, from)).map((e) => `${e.event} ${e.outcome}`);

    it("A11.1: a breach of the own Party's information only sends no notice and goes straight to investigation; A11.2 settlement closes it; each step audited once", async () => {
      const carrier = await ownCarrier("Own plans");
      const before = (await outboxOf("breach-notice")).length;
      const from = await auditSize(node.ctx);
      const reported = await reportBreach(flows, {
        actor: "reg",
        suspected: false,
        what: "sheet 2 missing after a meeting",
        howFound: "inventory check",
        foundAt: "2026-06-01T08:00:00Z",
        carriers: [carrier.registration_number],
      });
      expect(reported).toMatchObject({ state: "reported", notice: null });
      expect((await outboxOf("breach-notice")).length).toBe(before);
      expect(await eventsSince(from)).toEqual(["breach.reported done"]);

      const view = await showBreach(flows, { actor: "ca", breach: reported.id });
      expect(view).toMatchObject({ direction: "own", informationOf: ["KZ"], actions: ["investigate"] });
      expect(view.steps.map((s) => s.step)).toEqual(["investigation", "results", "settlement"]);
      // The reporting body's registry officer sees the case and the carrier it names; the competent
      // authority's officer here holds no personal clearance: the carrier is not named to them (A4.2).
      expect(view.carriers[0]).toMatchObject({ registrationNumber: null, originRef: null, visible: false });
      expect((await showBreach(flows, { actor: "reg", breach: reported.id })).carriers[0]).toMatchObject({
        registrationNumber: `${carrier.registration_number}/1`,
        originRef: `KZ/${carrier.registration_number}/1`,
        visible: true,
      });

      const steps = await auditSize(node.ctx);
      expect(await startInvestigation(flows, { actor: "ca", breach: reported.id })).toMatchObject({
        state: "investigating",
        message: null,
      });
      expect(
        await reportResults(flows, { actor: "ca", breach: reported.id, results: "misfiled, found" }),
      ).toMatchObject({ state: "results-reported", message: null });
      expect(
        await settleBreach(flows, {
          actor: "ca",
          breach: reported.id,
          damageAssessment: "none",
          settlement: "nothing owed",
        }),
      ).toMatchObject({ state: "closed", message: null });
      expect(await eventsSince(steps)).toEqual([
        "breach.investigation-started done",
        "breach.results-reported done",
        "breach.settled done",
      ]);
      expect((await outboxOf("breach-results")).length + (await outboxOf("breach-closure")).length).toBe(0);
      const closed = await showBreach(flows, { actor: "ca", breach: reported.id });
      expect(closed).toMatchObject({
        state: "closed",
        damageAssessment: "none",
        settlement: "nothing owed",
        actions: [],
      });
    });

    it("A11.1: the other Party's information: the notice goes at once, the carrier is flagged, the clocks escalate on the competent authority's dashboard only once past their targets", async () => {
      clock.set("2026-06-02T09:00:00.000Z");
      const received = await receiveCarrier(node.ctx, {
        title: "AM drawings",
        level: "secret",
        custodian: mod,
      });
      const reported = await reportBreach(flows, {
        actor: "reg",
        suspected: true,
        what: "the envelope was found opened",
        howFound: "seen at the morning check",
        occurredAt: "2026-06-01T20:00:00Z",
        foundAt: "2026-06-02T08:30:00Z",
        carriers: [received.registrationNumber],
      });
      expect(reported.state).toBe("notified");
      const notice = (await outboxOf("breach-notice")).find((m) => m.id === reported.notice);
      expect(notice).toMatchObject({ recipient_org: AM_CA, sender_org: kzCa, peer_party: "AM" });

      // Flagged in the registry (list and view), not quarantined.
      const page = await listCarriers(node.ctx, { actor: "reg" });
      expect(page.carriers.find((c) => c.id === received.id)?.summary.breach).toEqual({
        flagged: true,
        quarantined: false,
      });
      const shown = await showCarrier(node.ctx, { actor: "reg", carrier: received.id });
      expect(shown.view.carrier.breach).toEqual({ flagged: true, quarantined: false });

      const view = await showBreach(flows, { actor: "ca", breach: reported.id });
      expect(view.informationOf).toEqual(["AM"]);
      expect((await showBreach(flows, { actor: "reg", breach: reported.id })).carriers[0]?.originRef).toMatch(
        /^AM\/AM-2026-/,
      );
      const noticeStep = view.steps.find((s) => s.step === "notice")!;
      expect(noticeStep).toMatchObject({ dueAt: "2026-06-03T09:00:00.000Z", doneAt: null, overdue: false });

      const overdueAt = async (iso: string, actor = "ca") => {
        clock.set(iso);
        return (await showDashboard(node.ctx, { actor })).breachesOverdue.filter((o) => o.id === reported.id);
      };
      expect(await overdueAt("2026-06-03T08:59:59.999Z")).toEqual([]);
      expect(await overdueAt("2026-06-03T09:00:00.000Z")).toEqual([
        { id: reported.id, step: "notice", dueAt: "2026-06-03T09:00:00.000Z" },
      ]);
      // Only the competent authority (and auditors) see the escalation.
      expect(await overdueAt("2026-06-03T09:00:00.000Z", "reg")).toEqual([]);
      // The notice step is done when the outbox reports it delivered.
      await node.ctx.db
        .updateTable("exchange_outbox")
        .set({ state: "delivered", delivered_at: "2026-06-02T09:00:05.000Z" })
        .where("id", "=", reported.notice!)
        .execute();
      expect(await overdueAt("2026-06-05T08:59:59.999Z")).toEqual([]);
      expect(await overdueAt("2026-06-05T09:00:00.000Z")).toEqual([
        { id: reported.id, step: "investigation", dueAt: "2026-06-05T09:00:00.000Z" },
      ]);
      await startInvestigation(flows, { actor: "ca", breach: reported.id });
      expect(await overdueAt("2026-06-05T09:00:00.000Z")).toEqual([]);
      expect((await overdueAt("2026-07-05T09:00:00.000Z")).map((o) => o.step)).toEqual(["results"]);

      clock.set("2026-06-10T09:00:00.000Z");
      const results = await reportResults(flows, {
        actor: "ca",
        breach: reported.id,
        results: "no disclosure",
      });
      expect((await outboxOf("breach-results")).find((m) => m.id === results.message)?.recipient_org).toBe(
        AM_CA,
      );
      expect(await overdueAt("2026-09-08T08:59:59.999Z")).toEqual([]);
      expect((await overdueAt("2026-09-08T09:00:00.000Z")).map((o) => o.step)).toEqual(["settlement"]);
      const closed = await settleBreach(flows, {
        actor: "ca",
        breach: reported.id,
        damageAssessment: "no damage",
        settlement: "none",
      });
      expect((await outboxOf("breach-closure")).some((m) => m.id === closed.message)).toBe(true);
      expect(await overdueAt("2027-01-01T00:00:00.000Z")).toEqual([]);
      // Closing lifts the flag.
      const after = await showCarrier(node.ctx, { actor: "reg", carrier: received.id });
      expect(after.view.carrier.breach).toEqual({ flagged: false, quarantined: false });
    });

    it("A11.1, A4.2: refusals cite their articles (wrong role, wrong state, another body), each audited once", async () => {
      clock.set("2026-06-20T09:00:00.000Z");
      const carrier = await ownCarrier("Refusal target");
      const from = await auditSize(node.ctx);
      const byUser = await refusal(
        reportBreach(flows, {
          actor: "alice",
          suspected: true,
          what: "x",
          howFound: "y",
          foundAt: "2026-06-20T08:00:00Z",
          carriers: [carrier.registration_number],
        }),
      );
      expect(byUser.code).toBe("ROLE_FORBIDDEN");
      expect(byUser.articles).toEqual(["A11.1"]);
      const reported = await reportBreach(flows, {
        actor: "reg",
        suspected: true,
        what: "door found unlocked",
        howFound: "guard round",
        foundAt: "2026-06-20T08:00:00Z",
        carriers: [carrier.registration_number],
      });
      const byRegistry = await refusal(startInvestigation(flows, { actor: "reg", breach: reported.id }));
      expect(byRegistry.code).toBe("ROLE_FORBIDDEN");
      expect(byRegistry.articles).toEqual(["A11.1"]);
      const early = await refusal(
        reportResults(flows, { actor: "ca", breach: reported.id, results: "early" }),
      );
      expect(early.code).toBe("TRANSITION_FORBIDDEN");
      expect(early.articles).toEqual(["A11.1"]);
      // Another body's registry officer does not learn the case exists.
      const other = await refusal(showBreach(flows, { actor: "ivan", breach: reported.id }));
      const missing = await refusal(showBreach(flows, { actor: "ivan", breach: randomUUID() }));
      expect(other.code).toBe("BREACH_NOT_FOUND");
      expect(other.message).toBe(missing.message.replace(/[0-9a-f-]{36}/, reported.id));
      expect((await listBreaches(flows, { actor: "ivan" })).map((b) => b.id)).not.toContain(reported.id);
      expect((await listBreaches(flows, { actor: "reg" })).map((b) => b.id)).toContain(reported.id);
      const entries = await auditSince(node.ctx, from);
      const refused = entries
        .filter((e) => e.outcome === "refused")
        .map((e) => `${e.event} ${e.articles.join(",")}`);
      expect(refused).toEqual([
        "breach.reported A11.1",
        "breach.investigation-started A11.1",
        "breach.results-reported A11.1",
        "breach.viewed A11.1,A4.2",
        "breach.viewed A11.1,A4.2",
      ]);
      expect(entries.filter((e) => e.event === "breach.reported" && e.outcome === "done")).toHaveLength(1);
    });

    it("A11.1, A11.2: the other Party's notice opens an `in` case, flags the carrier held here; its results and closure update it and lift the flag", async () => {
      clock.set("2026-07-01T09:00:00.000Z");
      const received = await receiveCarrier(node.ctx, {
        title: "AM report",
        level: "secret",
        custodian: mod,
        originNumber: "AM-2026-000777",
      });
      const breachId = randomUUID();
      const deliver = async <K extends MessageKind>(kind: K, body: MessageBody<K>) => {
        const envelope = createEnvelope({
          id: randomUUID(),
          kind,
          agreementId: node.ctx.config.agreementId,
          sender: { party: "AM", org: AM_CA },
          recipient: { party: "KZ", org: kzCa },
          createdAt: clock.now().toISOString(),
          body,
        });
        const handler =
          kind === "breach-notice"
            ? onBreachNotice(flows)
            : kind === "breach-results"
              ? onBreachResults(flows)
              : onBreachClosure(flows);
        const from = await auditSize(node.ctx);
        await withTransaction(node.ctx.db, (trx) =>
          handler(trx, { envelope, attachment: null, via: "https" }),
        );
        return auditSince(node.ctx, from);
      };
      const noticed = await deliver("breach-notice", {
        breachId,
        suspected: true,
        what: "a copy went missing at AM",
        howFound: "inventory",
        occurredAt: null,
        foundAt: "2026-06-30T10:00:00.000Z",
        reportedAt: "2026-06-30T11:00:00.000Z",
        carriers: [{ originParty: "AM", originRegistrationNumber: "AM-2026-000777", originCopyNumber: 1 }],
        informationOf: ["AM"],
      });
      expect(
        noticed.map((e) => `${e.event} ${e.actor.startsWith("node:")} ${e.organisation === kzCa}`),
      ).toEqual(["breach.notice-received true true"]);
      const view = await showBreach(flows, { actor: "ca", breach: breachId });
      expect(view).toMatchObject({ direction: "in", party: "AM", state: "notified", actions: [] });
      // Named only where the viewer's visibility rule allows (this officer holds no clearance).
      expect(view.carriers[0]).toMatchObject({
        visible: false,
        registrationNumber: null,
        quarantined: false,
      });
      expect(
        (await showCarrier(node.ctx, { actor: "reg", carrier: received.id })).view.carrier.breach,
      ).toEqual({
        flagged: true,
        quarantined: false,
      });
      // The investigation is AM's: our competent authority does not investigate it.
      const elsewhere = await refusal(startInvestigation(flows, { actor: "ca", breach: breachId }));
      expect(elsewhere.code).toBe("BREACH_INVESTIGATED_ELSEWHERE");
      expect(elsewhere.articles).toEqual(["A11.1", "A11.2"]);

      await deliver("breach-results", {
        breachId,
        investigationStartedAt: "2026-07-01T08:00:00.000Z",
        results: "misplaced in the archive",
        reportedAt: "2026-07-01T09:00:00.000Z",
      });
      expect((await showBreach(flows, { actor: "ca", breach: breachId })).state).toBe("results-reported");
      const closed = await deliver("breach-closure", {
        breachId,
        damageAssessment: "none",
        settlement: "none",
        closedAt: "2026-07-01T09:00:00.000Z",
      });
      expect(closed.map((e) => e.event)).toEqual(["breach.closure-received"]);
      expect(await showBreach(flows, { actor: "ca", breach: breachId })).toMatchObject({
        state: "closed",
        results: "misplaced in the archive",
        damageAssessment: "none",
      });
      expect(
        (await showCarrier(node.ctx, { actor: "reg", carrier: received.id })).view.carrier.breach,
      ).toEqual({
        flagged: false,
        quarantined: false,
      });
    });
  });
}
