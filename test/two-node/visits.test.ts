// Article 9 visits between two node processes talking HTTPS (mutual TLS 1.3): KZ's competent
// authority requests, AM's (the host, Asia/Yerevan) receives, refuses a late request at receipt and
// approves one made exactly one calendar month ahead; AM's registry officer links a carrier to the
// visit's topic and records the acquaintance (A9.3), and only then does the visitor read it; the
// visitors' personal data stay out of lists, the audit logs, the inboxes and the nodes' logs, and
// are erased after the retention. Times the nodes' processes do not decide are passed in as clocks.
import { rmSync } from "node:fs";
import { Temporal } from "temporal-polyfill";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { showDashboard } from "../../src/app/node/dashboard.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import {
  decideVisit,
  eraseDueVisitorData,
  linkTopicCarrier,
  type RequestVisitInput,
  recordAcquaintance,
  requestVisit,
} from "../../src/app/visits/visit-flow.ts";
import { listVisits, showVisit } from "../../src/app/visits/visit-views.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { latestVisitRequestDate } from "../../src/domain/time/deadlines.ts";
import { dateInZone, startOfDate } from "../../src/domain/time/instants.ts";
import { makeTempDir } from "../support/databases.ts";
import {
  type NodeHandle,
  randomContent,
  registerOwnCarrier,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const PASSPORT = "KZ04417725";
const BIRTH_PLACE = "Taldykorgan-Karatal";
const BIRTH_DATE = "1983-07-19";

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

beforeAll(async () => {
  base = makeTempDir("kelisim-two-node-visits-");
  ({ kz, am } = await setupTwoNodes(base));
  await registerPerson(kz.ctx, {
    actor: "admin",
    organisation: kz.body,
    handle: "kzvisitor",
    name: "Asel Nurlanova",
    roles: ["cleared-user"],
  });
  await grantPersonalClearance(kz.ctx, {
    actor: "kzca",
    person: "kzvisitor",
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
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

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const withClock = (ctx: FlowContext, at: string): FlowContext => ({ ...ctx, now: () => new Date(at) });

const visitIn = (h: NodeHandle, id: string, state?: string) => () =>
  h.node.db
    .selectFrom("visits")
    .selectAll()
    .where("id", "=", id)
    .where((eb) => (state ? eb("state", "=", state) : eb.lit(true)))
    .executeTakeFirst();

const outboxSize = async (h: NodeHandle) =>
  Number(
    (
      await h.node.db
        .selectFrom("exchange_outbox")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

// The host's (AM's) calendar today, and the visit that starts exactly one calendar month later.
const today = dateInZone(new Date().toISOString(), "Asia/Yerevan");
const exactlyAMonth = Temporal.PlainDate.from(today).add({ months: 1 }).toString();

const request = (over: Partial<RequestVisitInput> = {}): RequestVisitInput => ({
  actor: "kzca",
  kind: "one-time",
  startDate: exactlyAMonth,
  endDate: exactlyAMonth,
  purpose: "joint acceptance tests",
  topics: [{ title: "acceptance test results", level: "secret" }],
  bodiesToVisit: [am.bodyName],
  peopleToMeet: [{ position: "head of the test laboratory", name: "G. Hakobyan" }],
  visitors: [
    {
      person: "kzvisitor",
      position: "test engineer",
      birthDate: BIRTH_DATE,
      birthPlace: BIRTH_PLACE,
      citizenship: "KZ",
      passport: PASSPORT,
    },
  ],
  ...over,
});

describe("A9 visits between two nodes over HTTPS", () => {
  let visitId: string;

  it("A9.2: a request missing the passport number is refused at the sending node naming visitors[0].passport, nothing sent", async () => {
    const before = await outboxSize(kz);
    const { passport: _, ...withoutPassport } = request().visitors[0]!;
    const error = await refusal(requestVisit(kz.ctx, request({ visitors: [withoutPassport] })));
    expect(error.code).toBe("VISIT_REQUEST_INCOMPLETE");
    expect(error.articles).toContain("A9.2");
    expect(error.details).toEqual({ missing: ["visitors[0].passport"] });
    expect(await outboxSize(kz)).toBe(before);
  });

  it("A9.2: a request that reaches the host later than one calendar month before the visit is refused there at receipt, and the refusal comes back", async () => {
    // KZ's clock says two months earlier, so KZ lets it go; AM receives it today, a day too late.
    const late = Temporal.PlainDate.from(exactlyAMonth).subtract({ days: 1 }).toString();
    const earlier = new Date(Date.now() - 60 * 24 * 3600 * 1000).toISOString();
    const { id } = await requestVisit(
      withClock(kz.ctx, earlier),
      request({ startDate: late, endDate: late }),
    );
    const atHost = await waitFor(visitIn(am, id), "the request at AM");
    expect(atHost.state).toBe("refused");
    expect(atHost.decided_by).toMatch(/^node:/);
    const answered = await waitFor(visitIn(kz, id, "refused"), "the refusal at KZ");
    expect(answered.decision_reason).toContain("A9.2");
    expect(answered.decision_reason).toContain(latestVisitRequestDate(late, "P1M"));
  });

  it("A9.2, A9.1: a request received exactly one calendar month before the visit is accepted; AM approves and KZ holds the approval", async () => {
    expect(latestVisitRequestDate(exactlyAMonth, "P1M")).toBe(today);
    ({ id: visitId } = await requestVisit(kz.ctx, request()));
    await waitFor(visitIn(am, visitId, "received"), "the request at AM");
    // A9.1: the request waits on the host authority's dashboard, not on the host body's officer's.
    const waiting = async (actor: string) =>
      (await showDashboard(am.ctx, { actor })).consentsToDecide.filter((c) => c.id === visitId);
    const expected = async (actor: string) =>
      (await showDashboard(am.ctx, { actor })).visitsExpected.filter((v) => v.id === visitId);
    expect(await waiting("amca")).toEqual([
      expect.objectContaining({ kind: "visit", action: "decide", link: `#/visits/${visitId}` }),
    ]);
    expect(await waiting("amreg")).toEqual([]);
    expect(await expected("amreg")).toEqual([]);
    const approved = await decideVisit(am.ctx, { actor: "amca", visit: visitId, decision: "approve" });
    expect(approved.state).toBe("approved");
    expect(await waiting("amca")).toEqual([]);
    // A9.3: once approved, the host body's security officer expects the visitors; no personal data.
    const [coming] = await expected("amreg");
    expect(coming).toMatchObject({ startDate: exactlyAMonth, acquainted: "0/1" });
    expect(coming!.label).toContain(am.bodyName);
    expect(JSON.stringify(coming)).not.toContain(PASSPORT);
    await waitFor(visitIn(kz, visitId, "approved"), "the approval at KZ");
    const atKz = (await listVisits(kz.ctx, { actor: "kzca" })).find((v) => v.id === visitId)!;
    expect(atKz).toMatchObject({ direction: "out", state: "approved", actions: ["cancel", "amend"] });
  });

  it("A9.3, A9.1: the visitor reads the topic's carrier during the visit only after the host recorded the acquaintance", async () => {
    const view = await showVisit(am.ctx, { actor: "amreg", visit: visitId });
    expect(view.visitors[0]).toMatchObject({ surname: "Nurlanova", name: "Asel", body: kz.bodyName });
    expect(view.personal?.[0]).toMatchObject({ passport: PASSPORT, birthPlace: BIRTH_PLACE });
    const handle = view.visitorHandles[0]!.handle;
    const content = randomContent(4096);
    const carrier = await registerOwnCarrier(am, {
      title: "Acceptance test report",
      level: "secret",
      content,
    });
    await linkTopicCarrier(am.ctx, { actor: "amreg", visit: visitId, topic: 1, carrier: carrier.id });

    // Noon on the visit's day in Yerevan: the nodes' clock passed in.
    const during = withClock(
      am.ctx,
      new Date(
        new Date(startOfDate(exactlyAMonth, "Asia/Yerevan")).getTime() + 12 * 3600 * 1000,
      ).toISOString(),
    );
    const read = () => showCarrier(during, { actor: handle, carrier: carrier.id, content: true });
    // The visitor learns of the linked carrier and is told that A9.3 alone refuses its content.
    const before = await refusal(read());
    expect(before.code).toBe("ACCESS_DENIED");
    expect(JSON.stringify(before.details)).toContain("ACCESS_VISITOR_NOT_ACQUAINTED");
    const recorded = await am.node.db
      .selectFrom("audit_entries")
      .selectAll()
      .where("event_type", "=", "carrier.access-decided")
      .where("outcome", "=", "refused")
      .where("object", "=", `carrier:${carrier.id}`)
      .orderBy("idx", "desc")
      .executeTakeFirstOrThrow();
    expect(recorded.data).toContain("ACCESS_VISITOR_NOT_ACQUAINTED");
    expect(recorded.articles).toContain("A9.3");

    await recordAcquaintance(am.ctx, { actor: "amreg", visit: visitId, seq: 1 });
    const shown = await read();
    const chunks: Buffer[] = [];
    for await (const chunk of shown.content!.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(Buffer.from(content))).toBe(true);
  });

  it("A9.2: the personal data are in no list, audit log, inbox or node log, and are erased after the retention (clock passed in)", async () => {
    const lists = JSON.stringify([
      await listVisits(kz.ctx, { actor: "kzca" }),
      await listVisits(am.ctx, { actor: "amca" }),
      await listVisits(am.ctx, { actor: "amreg" }),
    ]);
    const tables = async (h: NodeHandle) =>
      JSON.stringify([
        await h.node.db.selectFrom("audit_entries").selectAll().execute(),
        await h.node.db.selectFrom("exchange_inbox").selectAll().execute(),
        await h.node.db.selectFrom("visit_visitors").selectAll().execute(),
      ]);
    const everything = [lists, await tables(kz), await tables(am), kzServe.stderr, amServe.stderr].join("\n");
    for (const value of [PASSPORT, BIRTH_PLACE, BIRTH_DATE]) expect(everything).not.toContain(value);

    const row = await visitIn(am, visitId)();
    const after = new Date(new Date(row!.personal_erase_due_at).getTime() + 1000).toISOString();
    expect((await eraseDueVisitorData(withClock(am.ctx, after))).erased).toContain(visitId);
    const erased = await showVisit(am.ctx, { actor: "amca", visit: visitId });
    expect(erased.personal).toBeNull();
    expect(erased.personalErasedAt).not.toBeNull();
    const visitors = await am.node.db
      .selectFrom("visit_visitors")
      .select("personal")
      .where("visit_id", "=", visitId)
      .execute();
    expect(visitors).toEqual([{ personal: null }]);
  });
});
