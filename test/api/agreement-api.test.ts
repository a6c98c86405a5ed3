// The agreement routes (A15.1, A15.2, A15.3) answer through the use cases: the agreement in force
// with its date, a notice dated before the earliest date it can bear or after today refused with its
// code and article and changing nothing, a person who speaks for no Party refused, and the A15.3
// report of what remains under protection. A notice sent, and taking effect at the other Party's
// receipt, needs the other node: test/browser/agreement.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAgreementNotice } from "../../src/app/agreement/record-notice.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

type Refusal = { code: string; articles: string[]; message: string };
type View = {
  status: string;
  inForceOn: string | null;
  termination: { notifiedBy: string; receivedAt: string; terminatesOn: string } | null;
  terminationWithdrawal: string;
  signedNotBefore: string;
  notices: {
    kind: string;
    direction: string;
    fromParty: string;
    datedOn: string;
    reference: string;
    state: string;
  }[];
  actions: string[];
};

describe("A15 the agreement's life through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let authority: Session;
  let registry: Session;
  let auditor: Session;
  let user: Session;
  const year = new Date().getUTCFullYear();

  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    (api.ctx.exchange as { peer: unknown }).peer = {
      party: "AM",
      url: null,
      auditVerifierKey: "",
      auditOrigin: "",
      organisations: [
        { id: "am-ca", name: "AM CA", kind: "competent-authority", encryptionCertificatePem: "" },
      ],
    };
    // A15.1: both notices of completed internal procedures received, as `kelisim demo` records them.
    await recordAgreementNotice(api.ctx, {
      actor: "kz-authority",
      event: "receive-notice",
      from: "KZ",
      at: `${year - 1}-12-01T00:00:00Z`,
    });
    await recordAgreementNotice(api.ctx, {
      actor: "kz-authority",
      event: "receive-notice",
      from: "AM",
      at: `${year - 1}-12-15T00:00:00Z`,
    });
    authority = await login(api, "kz-authority");
    registry = await login(api, "kz-registry");
    auditor = await login(api, "kz-auditor");
    user = await login(api, "kz-user");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("A15.1: the agreement is in force from the day the last notice was received; the authority may terminate", async () => {
    const shown = await call(api, authority, "GET", "/api/agreement");
    expect(shown.statusCode, shown.body).toBe(200);
    const view = shown.json() as View;
    expect(view.status).toBe("in-force");
    expect(view.inForceOn).toBe(`${year - 1}-12-15`);
    expect(view.termination).toBeNull();
    expect(view.terminationWithdrawal).toBe("before-effect");
    // In force: the next notice (a termination) cannot be dated before the entry into force (A15.2).
    expect(view.signedNotBefore).toBe(`${year - 1}-12-15`);
    // Its own notice of completed procedures is given: only a termination is left to it (A15.2).
    expect(view.actions).toEqual(["termination"]);
    // A registry officer and an auditor see it, and may send nothing.
    for (const reader of [registry, auditor]) {
      const seen = (await call(api, reader, "GET", "/api/agreement")).json() as View;
      expect(seen.status).toBe("in-force");
      expect(seen.actions).toEqual([]);
    }
  });

  it("A15.2: a termination dated 2020-01-01 is refused AGREEMENT_NOTICE_BACKDATED and changes nothing", async () => {
    const before = (await call(api, authority, "GET", "/api/agreement")).json() as View;
    const refused = await call(
      api,
      authority,
      "POST",
      "/api/agreement/notices",
      { kind: "termination", datedOn: "2020-01-01", reference: "No. 1" },
      EN,
    );
    expect(refused.statusCode).toBe(403);
    const body = refused.json() as Refusal;
    expect(body.code).toBe("AGREEMENT_NOTICE_BACKDATED");
    expect(body.articles).toContain("A15.2");
    expect(body.message).toContain("2020-01-01");
    expect((await call(api, authority, "GET", "/api/agreement")).json()).toEqual(before);
  });

  it("A15.2: a termination dated after today is refused AGREEMENT_NOTICE_FUTURE and changes nothing", async () => {
    const before = (await call(api, authority, "GET", "/api/agreement")).json() as View;
    const refused = await call(
      api,
      authority,
      "POST",
      "/api/agreement/notices",
      { kind: "termination", datedOn: `${year + 1}-01-01` },
      EN,
    );
    expect(refused.statusCode).toBe(403);
    const body = refused.json() as Refusal;
    expect(body.code).toBe("AGREEMENT_NOTICE_FUTURE");
    expect(body.articles).toContain("A15.2");
    expect((await call(api, authority, "GET", "/api/agreement")).json()).toEqual(before);
  });

  it("A15.1: a second notice of completed procedures is refused AGREEMENT_NOTICE_ALREADY_GIVEN", async () => {
    const refused = await call(api, authority, "POST", "/api/agreement/notices", {
      kind: "procedures-completed",
    });
    expect(refused.statusCode).toBe(403);
    expect((refused.json() as Refusal).code).toBe("AGREEMENT_NOTICE_ALREADY_GIVEN");
  });

  it("A3.1, A15.2: a registry officer speaks for no Party: ROLE_FORBIDDEN; a cleared user does not see the agreement", async () => {
    const before = (await call(api, authority, "GET", "/api/agreement")).json() as View;
    const refused = await call(api, registry, "POST", "/api/agreement/notices", { kind: "termination" });
    expect(refused.statusCode).toBe(403);
    expect((refused.json() as Refusal).code).toBe("ROLE_FORBIDDEN");
    expect((await call(api, authority, "GET", "/api/agreement")).json()).toEqual(before);
    const hidden = await call(api, user, "GET", "/api/agreement");
    expect(hidden.statusCode).toBe(403);
    expect((hidden.json() as Refusal).code).toBe("ROLE_FORBIDDEN");
  });

  it("A15.2: a malformed kind or date is bad input, not a notice", async () => {
    const kind = await call(api, authority, "POST", "/api/agreement/notices", { kind: "armistice" });
    expect(kind.statusCode).toBe(400);
    expect((kind.json() as Refusal).code).toBe("INPUT_INVALID");
    const long = await call(api, authority, "POST", "/api/agreement/notices", {
      kind: "termination",
      reference: "x".repeat(201),
    });
    expect(long.statusCode).toBe(400);
    expect((long.json() as Refusal).code).toBe("INPUT_INVALID");
  });

  it("A15.3: the report of what remains under protection answers, counted by state", async () => {
    const shown = await call(api, authority, "GET", "/api/agreement/outstanding");
    expect(shown.statusCode, shown.body).toBe(200);
    const report = shown.json() as {
      at: string;
      status: string;
      carriers: { originatorParty: string; state: string }[];
      byState: Record<string, number>;
    };
    expect(report.status).toBe("in-force");
    expect(Number.isNaN(Date.parse(report.at))).toBe(false);
    // Only the other Party's carriers, none destroyed, declassified or returned.
    for (const c of report.carriers) {
      expect(c.originatorParty).toBe("AM");
      expect(["destroyed", "declassified", "returned"]).not.toContain(c.state);
    }
    const counted: Record<string, number> = {};
    for (const c of report.carriers) counted[c.state] = (counted[c.state] ?? 0) + 1;
    expect(report.byState).toEqual(counted);
    const auditorReport = await call(api, auditor, "GET", "/api/agreement/outstanding");
    expect(auditorReport.statusCode).toBe(200);
    const refused = await call(api, user, "GET", "/api/agreement/outstanding");
    expect((refused.json() as Refusal).code).toBe("ROLE_FORBIDDEN");
  });
});
