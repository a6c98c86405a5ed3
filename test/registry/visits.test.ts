// Visits (A9) on one node, on SQLite and PostgreSQL, with the clock passed in. The node is KZ: it
// sends requests to AM (the peer's directory is given; messages are sealed by a test stand-in and
// read back from the outbox) and hosts AM's requests, which its inbox handler receives as the inbox
// would. Lead time on the host's calendar (A9.2), every A9.2 item (nothing sent when one is
// missing), the visitors' clearances (A9.1, A4.2), acquaintance before access (A9.3), personal data
// kept out of lists and the audit log, and erased after the retention.
import { Buffer } from "node:buffer";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import {
  cancelVisit,
  decideVisit,
  eraseDueVisitorData,
  linkTopicCarrier,
  type RequestVisitInput,
  recordAcquaintance,
  requestVisit,
} from "../../src/app/visits/visit-flow.ts";
import { onVisitRequest } from "../../src/app/visits/visit-handlers.ts";
import { listVisits, showVisit } from "../../src/app/visits/visit-views.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { dateInZone } from "../../src/domain/time/instants.ts";
import type { MessageBody } from "../../src/exchange/messages/catalogue.ts";
import type { Envelope } from "../../src/exchange/messages/envelope.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { flowsOf } from "./received-fixture.ts";
import { MOD, seedRegistry } from "./registry-fixture.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const PASSPORT = "AN7731942";
const BIRTH_PLACE = "Shymkent-Zarechnaya";
const AM_PASSPORT = "AR0456781";
const AM_BIRTH_PLACE = "Gyumri-Kumayri";
const PERSONAL = [PASSPORT, BIRTH_PLACE, AM_PASSPORT, AM_BIRTH_PLACE];

/** Noon on `date` in Almaty (KZ) or Yerevan (AM). */
const noonIn = (date: string, party: "KZ" | "AM") =>
  new Date(`${date}T12:00:00${party === "KZ" ? "+05:00" : "+04:00"}`).toISOString();

for (const dialect of DIALECTS) {
  describe(`visits on one node [${dialect}]`, () => {
    let node: TestNode;
    let flows: FlowContext;
    let mod: string;
    const clock = withFixedClock("2026-02-01T06:00:00.000Z");

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      mod = (
        await node.ctx.db
          .selectFrom("organisations")
          .select("id")
          .where("name", "=", MOD)
          .executeTakeFirstOrThrow()
      ).id;
      const base = flowsOf(node.ctx);
      const cert = "";
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
                id: "am-ca",
                name: "AM competent authority",
                kind: "competent-authority",
                encryptionCertificatePem: cert,
              },
              {
                id: "am-body",
                name: "AM Defence Institute",
                kind: "authorized-body",
                encryptionCertificatePem: cert,
              },
            ],
          },
        },
      };
    });
    afterAll(async () => {
      flows?.exchange.close();
      await node?.cleanup();
    });

    const outboxSize = async () =>
      Number(
        (
          await node.ctx.db
            .selectFrom("exchange_outbox")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    const outgoing = (over: Partial<RequestVisitInput> = {}): RequestVisitInput => ({
      actor: "ca",
      kind: "one-time",
      startDate: "2026-03-31",
      endDate: "2026-04-02",
      purpose: "joint tests",
      topics: [{ title: "test results", level: "secret" }],
      bodiesToVisit: ["AM Defence Institute"],
      peopleToMeet: [{ position: "chief engineer", name: "A. Sargsyan" }],
      visitors: [
        {
          person: "alice",
          position: "engineer",
          birthDate: "1985-04-12",
          birthPlace: BIRTH_PLACE,
          citizenship: "KZ",
          passport: PASSPORT,
        },
      ],
      ...over,
    });

    /** An AM request as KZ's inbox hands it to the handler (inside the inbox's transaction). */
    async function deliver(input: {
      startDate: string;
      endDate?: string;
      kind?: "one-time" | "amendment";
      amends?: string;
    }) {
      const visitId = randomUUID();
      const body: MessageBody<"visit-request"> = {
        visitId,
        kind: input.kind ?? "one-time",
        amends: input.amends ?? null,
        visitors: [
          {
            seq: 1,
            surname: "Petrosyan",
            name: "Anna",
            position: "engineer",
            body: "AM Defence Institute",
            clearance: { level: "secret", validUntil: "2030-12-31" },
          },
        ],
        startDate: input.startDate,
        endDate: input.endDate ?? input.startDate,
        recurrence: null,
        purpose: "joint tests",
        topics: [{ title: "radar tests", level: "secret" }],
        bodiesToVisit: [mod],
        peopleToMeet: [{ position: "head of the laboratory", name: "D. Zhumabekov" }],
      };
      const ca = await node.ctx.db
        .selectFrom("organisations")
        .select("id")
        .where("kind", "=", "competent-authority")
        .executeTakeFirstOrThrow();
      const envelope = {
        id: randomUUID(),
        kind: "visit-request",
        sender: { party: "AM", org: "am-ca" },
        recipient: { party: "KZ", org: ca.id },
        createdAt: clock.now().toISOString(),
        body,
      } as unknown as Envelope<"visit-request">;
      const attachment = Buffer.from(
        JSON.stringify({
          visitId,
          visitors: [
            {
              seq: 1,
              birthDate: "1990-01-15",
              birthPlace: AM_BIRTH_PLACE,
              citizenship: "AM",
              passport: AM_PASSPORT,
            },
          ],
        }),
      );
      const result = await withTransaction(node.ctx.db, (trx) =>
        onVisitRequest(flows)(trx, { envelope, attachment, via: "https" } as never),
      );
      const row = await node.ctx.db
        .selectFrom("visits")
        .selectAll()
        .where("id", "=", visitId)
        .executeTakeFirstOrThrow();
      return { visitId, row, replyId: result?.replyId ?? null };
    }

    it("A9.2: the host refuses at receipt a request later than one calendar month before the visit, on its calendar, and answers A9.2", async () => {
      const cases: [string, string, boolean][] = [
        ["2026-03-31", "2026-03-02", false],
        ["2026-03-28", "2026-02-28", true],
        ["2028-03-31", "2028-02-29", true],
        ["2028-03-31", "2028-03-01", false],
        ["2026-04-30", "2026-03-31", false],
        ["2026-04-30", "2026-03-30", true],
      ];
      for (const [start, received, inTime] of cases) {
        clock.set(noonIn(received, "KZ"));
        const { row, replyId } = await deliver({ startDate: start });
        expect([start, received, row.state]).toEqual([start, received, inTime ? "received" : "refused"]);
        if (inTime) expect(replyId).toBeNull();
        else {
          const answer = await node.ctx.db
            .selectFrom("exchange_outbox")
            .selectAll()
            .where("id", "=", replyId!)
            .executeTakeFirstOrThrow();
          expect(answer).toMatchObject({ kind: "visit-answer", recipient_org: "am-ca" });
          expect(row.decision_reason).toContain("A9.2");
        }
      }
      // 23:30 on 28 February in Yerevan is already 1 March in Almaty, the host's zone.
      clock.set("2026-02-28T19:30:00Z");
      expect((await deliver({ startDate: "2026-03-31" })).row.state).toBe("refused");
    });

    it("A9.2: the sending node refuses a request that would arrive late (the host's calendar) and sends nothing", async () => {
      const before = await outboxSize();
      clock.set(noonIn("2028-03-01", "AM"));
      const late = await refusal(
        requestVisit(flows, outgoing({ startDate: "2028-03-31", endDate: "2028-03-31" })),
      );
      expect(late.code).toBe("VISIT_REQUEST_TOO_LATE");
      expect(late.articles).toContain("A9.2");
      expect(late.details).toMatchObject({ latest: "2028-02-29", zone: "Asia/Yerevan" });
      clock.set(noonIn("2026-03-31", "AM"));
      expect(
        (await refusal(requestVisit(flows, outgoing({ startDate: "2026-04-30", endDate: "2026-04-30" }))))
          .code,
      ).toBe("VISIT_REQUEST_TOO_LATE");
      expect(await outboxSize()).toBe(before);
      clock.set(noonIn("2028-02-29", "AM"));
      const sent = await requestVisit(flows, outgoing({ startDate: "2028-03-31", endDate: "2028-03-31" }));
      expect(sent.state).toBe("sent");
      expect(await outboxSize()).toBe(before + 1);
    });

    it("A9.2: a request missing the passport number is refused naming visitors[0].passport, nothing sent; its audit entry names the field only", async () => {
      clock.set("2026-02-01T06:00:00.000Z");
      const before = await outboxSize();
      const incomplete = outgoing({
        visitors: [
          {
            person: "alice",
            position: "engineer",
            birthDate: "1985-04-12",
            birthPlace: BIRTH_PLACE,
            citizenship: "KZ",
          },
        ],
      });
      const error = await refusal(requestVisit(flows, incomplete));
      expect(error.code).toBe("VISIT_REQUEST_INCOMPLETE");
      expect(error.articles).toEqual(["A9.2"]);
      expect(error.details).toEqual({ missing: ["visitors[0].passport"] });
      expect(error.message).toContain("visitors[0].passport");
      expect(error.message).not.toContain(BIRTH_PLACE);
      expect(await outboxSize()).toBe(before);
      // A badly written birth date is refused without repeating it.
      const badDate = await refusal(
        requestVisit(
          flows,
          outgoing({ visitors: [{ ...outgoing().visitors[0]!, birthDate: "12.04.1985" }] }),
        ),
      );
      expect(badDate.details).toMatchObject({ field: "visitors[0].birthDate" });
      expect(badDate.message).not.toContain("12.04.1985");
      expect(await outboxSize()).toBe(before);
    });

    it("A9.1, A4.2: a visitor without a clearance covering the highest topic is refused; only the competent authority requests", async () => {
      clock.set("2026-02-01T06:00:00.000Z");
      const error = await refusal(
        requestVisit(
          flows,
          outgoing({
            topics: [{ title: "radar", level: "top-secret" }],
            visitors: [{ ...outgoing().visitors[0]!, person: "carol" }],
          }),
        ),
      );
      expect(error.code).toBe("VISITOR_NOT_CLEARED");
      expect((await refusal(requestVisit(flows, outgoing({ actor: "reg" })))).code).toBe("ROLE_FORBIDDEN");
    });

    it("A9.2: the request carries personal data only in its sealed attachment; stored sealed; never in lists or the audit log", async () => {
      clock.set("2026-02-01T06:00:00.000Z");
      const { id } = await requestVisit(flows, outgoing({ kind: "recurring", recurrence: "every Tuesday" }));
      const message = await node.ctx.db
        .selectFrom("exchange_outbox")
        .selectAll()
        .where("kind", "=", "visit-request")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      // The test stand-in signs without encrypting: the envelope and the attachment can be read back.
      const [envelopeText, attachmentText] = [
        ...Buffer.from(message.parcel)
          .toString("latin1")
          .matchAll(/"bytes":"([A-Za-z0-9+/=]+)"/g),
      ].map((m) => Buffer.from(m[1]!, "base64").toString("utf8"));
      expect(envelopeText).toContain("every Tuesday");
      for (const value of [PASSPORT, BIRTH_PLACE, "1985-04-12"]) {
        expect(envelopeText).not.toContain(value);
        expect(attachmentText).toContain(value);
      }
      const stored = await node.ctx.db
        .selectFrom("visit_visitors")
        .selectAll()
        .where("visit_id", "=", id)
        .execute();
      expect(stored).toHaveLength(1);
      expect(JSON.stringify(stored)).not.toContain(PASSPORT);
      const list = await listVisits(node.ctx, { actor: "ca" });
      expect(list.find((v) => v.id === id)).toMatchObject({
        kind: "recurring",
        state: "sent",
        actions: ["cancel"],
      });
      const shown = await showVisit(node.ctx, { actor: "ca", visit: id });
      expect(shown.personal).toEqual([
        { seq: 1, birthDate: "1985-04-12", birthPlace: BIRTH_PLACE, citizenship: "KZ", passport: PASSPORT },
      ]);
      // A person who may not learn of the visit gets the not-found answer.
      expect((await refusal(showVisit(node.ctx, { actor: "alice", visit: id }))).code).toBe(
        "VISIT_NOT_FOUND",
      );
      const cancelled = await cancelVisit(flows, { actor: "ca", visit: id, reason: "postponed" });
      expect(cancelled.state).toBe("cancelled");
      const everything = JSON.stringify([
        list,
        await node.ctx.db.selectFrom("audit_entries").selectAll().execute(),
      ]);
      for (const value of PERSONAL) expect(everything).not.toContain(value);
    });

    it("A9.1, A9.3: on approval the visitor is a person of the visited body; reads a topic's carrier only during the visit and after the acquaintance", async () => {
      clock.set(noonIn("2026-05-01", "KZ"));
      const { visitId } = await deliver({ startDate: "2026-06-10", endDate: "2026-06-12" });
      // The visited body's security officer does not see a visit not yet approved.
      expect((await refusal(showVisit(node.ctx, { actor: "reg", visit: visitId }))).code).toBe(
        "VISIT_NOT_FOUND",
      );
      expect(
        (await refusal(decideVisit(flows, { actor: "reg", visit: visitId, decision: "approve" }))).code,
      ).toBe("ROLE_FORBIDDEN");
      expect((await decideVisit(flows, { actor: "ca", visit: visitId, decision: "approve" })).state).toBe(
        "approved",
      );
      const answer = await node.ctx.db
        .selectFrom("exchange_outbox")
        .select(["kind", "recipient_org"])
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      expect(answer).toEqual({ kind: "visit-answer", recipient_org: "am-ca" });

      const seen = await showVisit(node.ctx, { actor: "reg", visit: visitId });
      expect(seen.actions).toEqual(["acquaint", "link"]);
      expect(seen.personal?.[0]).toMatchObject({ passport: AM_PASSPORT, birthPlace: AM_BIRTH_PLACE });
      const handle = seen.visitorHandles[0]!.handle;
      expect(handle).toBe(`visitor-${visitId.slice(0, 8)}-1`);
      const hostList = await listVisits(node.ctx, { actor: "reg" });
      expect(hostList.map((v) => v.id)).toEqual([visitId]);
      expect(hostList[0]!.visitors[0]).toMatchObject({
        surname: "Petrosyan",
        name: "Anna",
        acquaintedAt: null,
      });

      const secret = await registerCarrier(node.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "radar test report",
        level: "secret",
        content: Buffer.from("the report"),
      });
      const topSecret = await registerCarrier(node.ctx, {
        actor: "reg",
        kind: "paper-document",
        title: "radar design",
        level: "top-secret",
        sheets: 3,
      });
      const above = await refusal(
        linkTopicCarrier(node.ctx, { actor: "reg", visit: visitId, topic: 1, carrier: topSecret.id }),
      );
      expect(above.code).toBe("VISIT_CARRIER_ABOVE_TOPIC");
      await linkTopicCarrier(node.ctx, { actor: "reg", visit: visitId, topic: 1, carrier: secret.id });

      const read = () => showCarrier(node.ctx, { actor: handle, carrier: secret.id, content: true });
      const lastRefusal = async () =>
        (
          await node.ctx.db
            .selectFrom("audit_entries")
            .selectAll()
            .where("event_type", "=", "carrier.access-decided")
            .where("outcome", "=", "refused")
            .orderBy("idx", "desc")
            .executeTakeFirstOrThrow()
        ).data!;
      // Before the visit: not in progress, and not acquainted.
      expect((await refusal(read())).code).toBe("CARRIER_NOT_FOUND");
      expect(await lastRefusal()).toContain("ACCESS_VISIT_NOT_IN_PROGRESS");
      // During the visit, before the acquaintance: the visitor learns of the linked carrier and is
      // told that A9.3 alone refuses its content.
      clock.set(noonIn("2026-06-10", "KZ"));
      const during = await refusal(read());
      expect(during.code).toBe("ACCESS_DENIED");
      expect(during.articles).toContain("A9.3");
      expect(JSON.stringify(during.details)).toContain("ACCESS_VISITOR_NOT_ACQUAINTED");
      const recorded = await lastRefusal();
      expect(recorded).toContain("ACCESS_VISITOR_NOT_ACQUAINTED");
      expect(recorded).not.toContain("ACCESS_VISIT_NOT_IN_PROGRESS");
      expect(recorded).not.toContain("ACCESS_NO_NEED_TO_KNOW");
      const acquainted = await recordAcquaintance(node.ctx, { actor: "reg", visit: visitId, seq: 1 });
      expect(acquainted.acquaintedAt).toBeTruthy();
      const shown = await read();
      expect(shown.content).not.toBeNull();
      shown.content?.stream.destroy();
      // The carrier not linked to a topic stays out of reach.
      expect((await refusal(showCarrier(node.ctx, { actor: handle, carrier: topSecret.id }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
      // After the visit: no longer.
      clock.set(noonIn("2026-06-13", "KZ"));
      expect((await refusal(read())).code).toBe("CARRIER_NOT_FOUND");
    });

    it("A9.3: through the CLI (the system clock), `carrier show --as visitor-…` is refused until the acquaintance is recorded", {
      timeout: 120_000,
    }, async () => {
      const env: NodeJS.ProcessEnv = { ...process.env, KELISIM_LANG: "en" };
      delete env.DATABASE_URL;
      delete env.KELISIM_DATA;
      if (node.databaseUrl) env.DATABASE_URL = node.databaseUrl;
      const kelisim = async (...args: string[]) => {
        try {
          const { stdout } = await run(process.execPath, [BIN, ...args, "--data", node.location.dataDir], {
            env,
          });
          return { code: 0, out: stdout };
        } catch (error) {
          const e = error as { code?: number; stdout?: string; stderr?: string };
          return { code: e.code ?? -1, out: `${e.stdout ?? ""}${e.stderr ?? ""}` };
        }
      };
      // A visit today and tomorrow (Almaty), requested 40 days ago.
      const now = new Date();
      const today = dateInZone(now.toISOString(), "Asia/Almaty");
      const tomorrow = Temporal.PlainDate.from(today).add({ days: 1 }).toString();
      clock.set(new Date(now.getTime() - 40 * 24 * 3600 * 1000).toISOString());
      const { visitId } = await deliver({ startDate: today, endDate: tomorrow });
      await decideVisit(flows, { actor: "ca", visit: visitId, decision: "approve" });
      const carrier = await registerCarrier(node.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "visit handout",
        level: "secret",
        content: Buffer.from("handout text"),
      });
      await linkTopicCarrier(node.ctx, { actor: "reg", visit: visitId, topic: 1, carrier: carrier.id });
      const visitor = `visitor-${visitId.slice(0, 8)}-1`;
      const before = await kelisim("carrier", "show", carrier.id, "--as", visitor, "--print");
      expect(before.code).not.toBe(0);
      expect(before.out).toContain("A9.3");
      expect(before.out).not.toContain("handout text");
      const recorded = await node.ctx.db
        .selectFrom("audit_entries")
        .select("data")
        .where("event_type", "=", "carrier.access-decided")
        .where("object", "=", `carrier:${carrier.id}`)
        .where("outcome", "=", "refused")
        .executeTakeFirstOrThrow();
      expect(recorded.data).toContain("ACCESS_VISITOR_NOT_ACQUAINTED");
      expect(recorded.data).not.toContain("ACCESS_VISIT_NOT_IN_PROGRESS");
      const acquainted = await kelisim(
        "visit",
        "acquaint",
        visitId,
        "--visitor",
        "1",
        "--as",
        "reg",
        "--json",
      );
      expect(acquainted.code).toBe(0);
      const after = await kelisim("carrier", "show", carrier.id, "--as", visitor, "--print");
      expect(after).toMatchObject({ code: 0 });
      expect(after.out).toContain("handout text");
      const shown = await kelisim("visit", "show", visitId, "--as", "reg", "--json");
      expect(JSON.parse(shown.out).visitors[0].acquaintedAt).not.toBeNull();
    });

    it("A9.2: an approved amendment supersedes the request it amends", async () => {
      clock.set(noonIn("2026-05-01", "KZ"));
      const first = await deliver({ startDate: "2026-07-01" });
      await decideVisit(flows, { actor: "ca", visit: first.visitId, decision: "approve" });
      const amendment = await deliver({ startDate: "2026-07-02", kind: "amendment", amends: first.visitId });
      expect(
        (await refusal(decideVisit(flows, { actor: "ca", visit: amendment.visitId, decision: "refuse" })))
          .code,
      ).toBe("INPUT_INVALID");
      await decideVisit(flows, { actor: "ca", visit: amendment.visitId, decision: "approve" });
      const states = await node.ctx.db
        .selectFrom("visits")
        .select(["id", "state"])
        .where("id", "in", [first.visitId, amendment.visitId])
        .execute();
      expect(Object.fromEntries(states.map((s) => [s.id, s.state]))).toEqual({
        [first.visitId]: "superseded",
        [amendment.visitId]: "approved",
      });
    });

    it("A9.2 (policy): personal data are erased once the retention after the visit has passed, audited as the node", async () => {
      clock.set(noonIn("2026-05-01", "KZ"));
      const { visitId, row } = await deliver({ startDate: "2026-08-10", endDate: "2026-08-12" });
      // The day after the last day (Almaty) plus P30D.
      expect(row.personal_erase_due_at).toBe("2026-09-11T19:00:00.000Z");
      clock.set("2026-09-11T18:59:59.000Z");
      expect((await eraseDueVisitorData(node.ctx)).erased).not.toContain(visitId);
      clock.set("2026-09-11T19:00:00.000Z");
      expect((await eraseDueVisitorData(node.ctx)).erased).toContain(visitId);
      const visitors = await node.ctx.db
        .selectFrom("visit_visitors")
        .selectAll()
        .where("visit_id", "=", visitId)
        .execute();
      expect(visitors.map((v) => v.personal)).toEqual([null]);
      const shown = await showVisit(node.ctx, { actor: "ca", visit: visitId });
      expect(shown.personal).toBeNull();
      expect(shown.personalErasedAt).toBe("2026-09-11T19:00:00.000Z");
      const entry = await node.ctx.db
        .selectFrom("audit_entries")
        .selectAll()
        .where("event_type", "=", "visit.personal-data-erased")
        .where("object", "=", `visit:${visitId}`)
        .executeTakeFirstOrThrow();
      expect(entry.actor).toMatch(/^node:/);
      expect((await eraseDueVisitorData(node.ctx)).erased).toEqual([]);
    });
  });
}
