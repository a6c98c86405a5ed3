// The breach routes (A11) answer through the use cases: a report of the own Party's information
// (no notice: the notice's crossing is in test/two-node/breaches.test.ts), the investigation's steps by the competent authority, a case one may not learn
// of answered as one that does not exist, a role that records no breach refused with its article,
// and the dashboard's overdue list.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

describe("A11 breaches through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let authority: Session;
  let registry: Session;
  let user: Session;
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
    authority = await login(api, "kz-authority");
    registry = await login(api, "kz-registry");
    user = await login(api, "kz-user");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("A11.1, A11.2: reported (own information only: no notice), investigated, results, settled and closed", async () => {
    const foundAt = new Date(Date.now() - 60_000).toISOString();
    const created = await call(api, registry, "POST", "/api/breaches", {
      suspected: true,
      what: "a file was left on a shared drive",
      howFound: "audit of the drive",
      foundAt,
      carriers: [],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, state } = created.json() as { id: string; state: string };
    expect(state).toBe("reported");
    const list = (await call(api, authority, "GET", "/api/breaches")).json() as {
      breaches: { id: string; actions: string[]; steps: { step: string }[] }[];
    };
    const row = list.breaches.find((b) => b.id === id)!;
    expect(row.actions).toEqual(["investigate"]);
    expect(row.steps.map((s) => s.step)).toEqual(["investigation", "results", "settlement"]);
    expect((await call(api, authority, "POST", `/api/breaches/${id}/investigate`, {})).json()).toEqual({
      id,
      state: "investigating",
    });
    expect(
      (
        await call(api, authority, "POST", `/api/breaches/${id}/results`, { results: "no disclosure" })
      ).json(),
    ).toEqual({ id, state: "results-reported" });
    expect(
      (
        await call(api, authority, "POST", `/api/breaches/${id}/settle`, {
          damageAssessment: "none",
          settlement: "none owed",
        })
      ).json(),
    ).toEqual({ id, state: "closed" });
    const shown = (await call(api, registry, "GET", `/api/breaches/${id}`)).json() as { state: string };
    expect(shown.state).toBe("closed");
    const dashboard = (await call(api, authority, "GET", "/api/dashboard")).json() as {
      breachesOverdue: unknown[];
    };
    expect(dashboard.breachesOverdue).toEqual([]);
  });

  it("A11.1, A4.2: a cleared user records no breach and does not learn one exists", async () => {
    const refused = await call(api, user, "POST", "/api/breaches", {
      what: "x",
      howFound: "y",
      foundAt: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "ROLE_FORBIDDEN", articles: ["A11.1"] });
    const missing = await call(api, user, "GET", `/api/breaches/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "BREACH_NOT_FOUND" });
    expect((await call(api, user, "GET", "/api/breaches")).json()).toEqual({ breaches: [] });
  });
});
