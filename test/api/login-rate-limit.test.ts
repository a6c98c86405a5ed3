// A4.2: sign-in attempts are limited per client address (@fastify/rate-limit on POST /api/auth/login),
// answered in the project's error shape, AUTH_LOCKED, in the caller's language.
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { buildApi } from "../../src/api/build-api.ts";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { type ApiNode, startApiNode } from "./support/api-node.ts";

const LIMIT = 3;

describe("A4.2: the sign-in rate limit over HTTP", () => {
  let api: ApiNode;
  let app: FastifyInstance;
  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    // The same node, served with a small limit (the support's API has a limit no test reaches).
    app = await buildApi({
      pack: await loadAgreementPack(api.node.config.agreementId),
      node: { party: "KZ", demo: true },
      auth: api.auth,
      ctx: api.ctx,
      loginRateLimit: LIMIT,
    });
  });
  afterAll(async () => {
    await app?.close();
    await api?.close();
  });

  const attempt = (from: string, payload: object, lang = "en") =>
    app.inject({
      method: "POST",
      url: "/api/auth/login",
      remoteAddress: from,
      headers: { "accept-language": lang },
      payload,
    });

  it("A4.2: past the limit an address is refused AUTH_LOCKED (429, A4.2) in the caller's language, even with the right password", async () => {
    for (let i = 1; i <= LIMIT; i++) {
      const failed = await attempt("10.0.0.1", { username: `nobody-${i}`, password: "x" });
      expect(failed.statusCode, failed.body).toBe(401);
      expect(failed.json().code).toBe("AUTH_FAILED");
    }
    const locked = await attempt("10.0.0.1", { username: "kz-user", password: DEMO_PASSWORD }, "ru");
    expect(locked.statusCode, locked.body).toBe(429);
    expect(locked.json()).toEqual({
      code: "AUTH_LOCKED",
      articles: ["A4.2"],
      message: "учётная запись заблокирована; обратитесь к администратору",
    });
    expect(locked.headers["cache-control"]).toBe("no-store");
    expect(locked.cookies).toHaveLength(0);
    const en = await attempt("10.0.0.1", { username: "kz-user", password: DEMO_PASSWORD });
    expect(en.statusCode).toBe(429);
    expect(en.json().message).toBe("the account is locked; contact your administrator");
  });

  it("A4.2: the limit counts per client address: another address still signs in", async () => {
    const other = await attempt("10.0.0.2", { username: "kz-user", password: DEMO_PASSWORD });
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toHaveProperty("csrfToken");
  });

  it("A4.2: a malformed sign-in body is refused INPUT_INVALID and is not counted as an attempt", async () => {
    for (let i = 0; i <= LIMIT; i++) {
      const malformed = await attempt("10.0.0.3", { username: "kz-user" });
      expect(malformed.statusCode, malformed.body).toBe(400);
      expect(malformed.json().code).toBe("INPUT_INVALID");
      expect(malformed.json().message).toMatch(/^invalid input: body: password: /);
    }
    const signedIn = await attempt("10.0.0.3", { username: "kz-user", password: DEMO_PASSWORD });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });
});
