// The visit routes (A9) answer through the use cases: the list and the form's bodies, a request
// missing an A9.2 item refused naming it (never a malformed-request answer), a visit one may not
// learn of answered as one that does not exist, a role without visits refused.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

describe("A9 visits through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let authority: Session;
  let user: Session;
  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    // The other Party's directory, as `kelisim exchange peer` would give it.
    (api.ctx.exchange as { peer: unknown }).peer = {
      party: "AM",
      url: null,
      auditVerifierKey: "",
      auditOrigin: "",
      organisations: [
        { id: "am-ca", name: "AM CA", kind: "competent-authority", encryptionCertificatePem: "" },
        { id: "am-body", name: "AM Institute", kind: "authorized-body", encryptionCertificatePem: "" },
      ],
    };
    authority = await login(api, "kz-authority");
    user = await login(api, "kz-user");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("A9.2: the list, the host bodies, and a request without a passport refused naming visitors[0].passport", async () => {
    const list = await call(api, authority, "GET", "/api/visits");
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({ visits: [] });
    const bodies = await call(api, authority, "GET", "/api/visits/host-bodies");
    expect(bodies.json()).toEqual({ bodies: [{ id: "am-body", name: "AM Institute" }] });
    const refused = await call(
      api,
      authority,
      "POST",
      "/api/visits",
      {
        kind: "one-time",
        startDate: "2027-06-01",
        endDate: "2027-06-02",
        purpose: "joint tests",
        topics: [{ title: "radar", level: "secret" }],
        bodiesToVisit: ["am-body"],
        peopleToMeet: [{ position: "head of laboratory", name: "G. Hakobyan" }],
        visitors: [
          {
            person: "kz-user",
            position: "engineer",
            birthDate: "1984-02-03",
            birthPlace: "Karaganda",
            citizenship: "KZ",
          },
        ],
      },
      EN,
    );
    // An incomplete form is bad input for HTTP (400), a refusal by A9.2 for the audit log.
    expect(refused.statusCode).toBe(400);
    const body = refused.json() as { code: string; articles: string[]; message: string; missing: string[] };
    expect(body.code).toBe("VISIT_REQUEST_INCOMPLETE");
    expect(body.articles).toEqual(["A9.2"]);
    expect(body.message).toBe("the visit request lacks: visitor 1: passport series and number");
    expect(body.missing).toEqual(["visitors[0].passport"]);
    expect(body.message).not.toContain("Karaganda");
  });

  it("A4.2: an unknown visit is not found; a person without a visit role is refused", async () => {
    const missing = await call(api, authority, "GET", `/api/visits/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "VISIT_NOT_FOUND" });
    const forbidden = await call(api, user, "GET", "/api/visits");
    expect(forbidden.json()).toMatchObject({ code: "ROLE_FORBIDDEN" });
  });
});
