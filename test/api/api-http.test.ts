import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_STATUS } from "../../src/api/http-status.ts";
import { ERROR_CODES } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, startApiNode } from "./support/api-node.ts";

type Operation = { method: string; url: string };

/** Every operation of the API from its own OpenAPI document, with sample path parameters. */
function operationsOf(api: ApiNode): Operation[] {
  const doc = api.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const method of Object.keys(methods)) {
      const url = path.replace("{id}", "00000000-0000-4000-8000-000000000000").replace("{action}", "consent");
      ops.push({ method: method.toUpperCase(), url });
    }
  }
  return ops;
}

const PUBLIC = new Set(["GET /api/node", "POST /api/auth/login"]);

describe("error codes", () => {
  it("maps every code of the catalogue to one HTTP error status", () => {
    for (const code of ERROR_CODES) {
      expect(HTTP_STATUS[code], code).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[code], code).toBeLessThan(600);
    }
  });

  it("A4.2: answers access refusals with the status of a carrier that does not exist", () => {
    for (const code of ERROR_CODES.filter((c) => c.startsWith("ACCESS_"))) {
      expect([403, 404]).toContain(HTTP_STATUS[code]);
    }
    expect(HTTP_STATUS.CARRIER_NOT_FOUND).toBe(404);
  });
});

for (const dialect of DIALECTS) {
  describe(`HTTP API: sessions, CSRF, errors [${dialect}]`, () => {
    let api: ApiNode;
    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
    });
    afterAll(async () => {
      await api?.close();
    });

    it("documents every route with input and output schemas at /docs", async () => {
      const response = await call(api, undefined, "GET", "/docs/json");
      expect(response.statusCode).toBe(200);
      const doc = response.json() as { paths: Record<string, Record<string, { responses?: object }>> };
      const ops = operationsOf(api);
      expect(ops.length).toBeGreaterThanOrEqual(18);
      for (const methods of Object.values(doc.paths)) {
        for (const op of Object.values(methods))
          expect(Object.keys(op.responses ?? {}).some((s) => /^2\d\d$/.test(s))).toBe(true);
      }
    });

    it("A4.2: refuses every non-public route to an anonymous caller with one answer, and caches nothing", async () => {
      const bodies = new Set<string>();
      for (const op of operationsOf(api)) {
        if (PUBLIC.has(`${op.method} ${op.url}`)) continue;
        const response = await call(
          api,
          undefined,
          op.method as "GET",
          op.url,
          op.method === "GET" ? undefined : {},
        );
        expect(response.statusCode, `${op.method} ${op.url}`).toBe(401);
        expect(response.headers["cache-control"]).toBe("no-store");
        bodies.add(response.body);
      }
      expect(bodies.size).toBe(1);
      expect(JSON.parse([...bodies][0] as string)).toMatchObject({
        code: "SESSION_EXPIRED",
        articles: ["A4.2"],
      });
    });

    it("A4.2: an unknown user and a wrong password get the same answer", async () => {
      const unknown = await call(api, undefined, "POST", "/api/auth/login", {
        username: "nobody",
        password: "x",
      });
      const wrong = await call(api, undefined, "POST", "/api/auth/login", {
        username: "kz-user",
        password: "x",
      });
      expect(unknown.statusCode).toBe(401);
      expect(wrong.statusCode).toBe(401);
      expect(wrong.body).toBe(unknown.body);
      expect(unknown.cookies).toHaveLength(0);
    });

    it("sets the session in a Secure, HttpOnly, SameSite=Strict cookie and refuses changes without the CSRF token", async () => {
      const response = await call(api, undefined, "POST", "/api/auth/login", {
        username: "kz-user",
        password: "kelisim-demo-2025",
      });
      expect(response.statusCode).toBe(200);
      const raw = String(response.headers["set-cookie"]);
      expect(raw).toMatch(/HttpOnly/);
      expect(raw).toMatch(/Secure/);
      expect(raw).toMatch(/SameSite=Strict/);
      const session = await login(api, "kz-user");
      const noToken = await call(
        api,
        session,
        "PUT",
        "/api/session/language",
        { language: "ru" },
        {
          "x-csrf-token": "forged",
        },
      );
      expect(noToken.statusCode).toBe(403);
      expect(noToken.json()).toMatchObject({ code: "CSRF_INVALID" });
      const ok = await call(api, session, "PUT", "/api/session/language", { language: "ru" });
      expect(ok.statusCode).toBe(200);
    });

    it("rotates the session at login: the cookie from before no longer works", async () => {
      const first = await login(api, "kz-user");
      const again = await api.app.inject({
        method: "POST",
        url: "/api/auth/login",
        headers: { cookie: first.cookie },
        payload: { username: "kz-user", password: "kelisim-demo-2025" },
      });
      expect(again.statusCode).toBe(200);
      const old = await call(api, first, "GET", "/api/session");
      expect(old.statusCode).toBe(401);
    });

    it("gives the rule's articles and the message in the caller's language", async () => {
      const session = await login(api, "kz-user");
      const kk = await call(api, session, "GET", "/api/audit", undefined, { "accept-language": "kk" });
      const hy = await call(api, session, "GET", "/api/audit", undefined, {
        "accept-language": "hy-AM,hy;q=0.9",
      });
      expect(kk.statusCode).toBe(403);
      expect(kk.json()).toMatchObject({ code: "ROLE_FORBIDDEN", articles: ["A4.2"] });
      expect(hy.json().code).toBe("ROLE_FORBIDDEN");
      expect(hy.json().message).not.toBe(kk.json().message);
      expect(hy.json().message).toMatch(/[\u0531-\u058F]/u);
      expect(kk.json().message).toMatch(/[\u0400-\u04FF]/u);
    });

    it("sends the permission map the UI follows: an auditor may verify the log but not see the registry", async () => {
      const auditor = await login(api, "kz-auditor");
      const view = (await call(api, auditor, "GET", "/api/session")).json();
      expect(view.permissions).toMatchObject({
        verifyAudit: true,
        viewAudit: true,
        viewRegistry: false,
        requestTransfer: false,
      });
      const registry = await login(api, "kz-registry");
      const rview = (await call(api, registry, "GET", "/api/session")).json();
      expect(rview.permissions).toMatchObject({
        viewRegistry: true,
        requestTransfer: true,
        verifyAudit: false,
      });
    });

    it("a disabled account is out on its next request", async () => {
      const session = await login(api, "kz-registry-2");
      expect((await call(api, session, "GET", "/api/session")).statusCode).toBe(200);
      await api.ctx.db
        .updateTable("people")
        .set({ disabled_at: new Date().toISOString() })
        .where("handle", "=", "kz-registry-2")
        .execute();
      const next = await call(api, session, "GET", "/api/session");
      expect(next.statusCode).toBe(401);
      expect(next.json().code).toBe("SESSION_EXPIRED");
    });

    it("A4.2: sign-ins, refusals (with the reason kept only in the log) and sign-outs are audited", async () => {
      await call(api, undefined, "POST", "/api/auth/login", { username: "kz-user", password: "wrong one" });
      const session = await login(api, "kz-user");
      await call(api, session, "POST", "/api/auth/logout", {});
      const rows = await api.ctx.db
        .selectFrom("audit_entries")
        .select(["event_type", "outcome", "data"])
        .where("event_type", "like", "auth.%")
        .orderBy("idx")
        .execute();
      const events = rows.map((r) => `${r.event_type}:${r.outcome}`);
      expect(events).toContain("auth.sign-in-refused:refused");
      expect(events).toContain("auth.signed-in:done");
      expect(events.at(-1)).toBe("auth.signed-out:done");
      expect(rows.some((r) => r.data?.includes("wrong-password"))).toBe(true);
    });

    it("verifies the audit log for an auditor", async () => {
      const auditor = await login(api, "kz-auditor");
      const response = await call(api, auditor, "POST", "/api/audit/verify", {});
      expect(response.statusCode, response.body).toBe(200);
      const entries = await api.ctx.db.selectFrom("audit_entries").selectAll().orderBy("idx").execute();
      // The log as it stood when verification began; the verification's own entry follows it.
      expect(response.json()).toMatchObject({ ok: true, size: entries.length - 1, firstBadIndex: null });
      expect(entries.at(-1)).toMatchObject({ event_type: "audit.verified", outcome: "done" });
      expect(entries.length).toBeGreaterThan(10);
    });
  });
}
