// Every error answer of the HTTP API is the project's `{ code, articles, message }`, with the rule
// that refused and its articles: an access refusal says which condition failed (A4.2) unless the use
// case conceals the carrier itself; an unknown marking is bad input (A2.1); what Fastify refuses
// before any route (a malformed URL, a too long id, a body that is not JSON) answers alike.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HTTP_STATUS } from "../../src/api/http-status.ts";
import { ERROR_CODES, isErrorCode } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };

/** The answer is an error in the project's shape: exactly code, articles, message; nothing left unfilled. */
function expectProjectError(
  answer: Answer,
  what: string,
): { code: string; articles: string[]; message: string } {
  expect(answer.statusCode, `${what}: ${answer.body}`).toBeGreaterThanOrEqual(400);
  expect(String(answer.headers["content-type"]), what).toMatch(/^application\/json/);
  expect(answer.headers["cache-control"], what).toBe("no-store");
  const body = JSON.parse(answer.body) as { code: string; articles: string[]; message: string };
  expect(Object.keys(body).sort(), `${what}: ${answer.body}`).toEqual(["articles", "code", "message"]);
  expect(isErrorCode(body.code), `${what}: ${body.code}`).toBe(true);
  expect(Array.isArray(body.articles), what).toBe(true);
  expect(body.message.length, what).toBeGreaterThan(0);
  expect(body.message, what).not.toMatch(/\{\w+\}/);
  return body;
}

describe("HTTP status of the catalogue's codes", () => {
  it("A4.2: an access refusal is 403 with its own code, never turned into 404 by the status map", () => {
    const access = ERROR_CODES.filter((c) => c.startsWith("ACCESS_"));
    expect(access.length).toBeGreaterThan(5);
    for (const code of access) expect(HTTP_STATUS[code], code).toBe(403);
    expect(HTTP_STATUS.CARRIER_NOT_FOUND).toBe(404);
  });

  it("A2.1: an unknown marking or level is bad input (400), not a rule's refusal (403)", () => {
    expect(HTTP_STATUS.MARKING_UNKNOWN).toBe(400);
    expect(HTTP_STATUS.LEVEL_UNKNOWN).toBe(400);
  });
});

for (const dialect of DIALECTS) {
  describe(`HTTP API error answers [${dialect}]`, () => {
    let api: ApiNode;
    let registry: Session;
    let user: Session;
    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
      registry = await login(api, "kz-registry");
      user = await login(api, "kz-user");
    });
    afterAll(async () => {
      await api?.close();
    });

    it("A4.2: a registry officer registering a carrier above their clearance is told the rule (403 ACCESS_*), not “no such carrier”", async () => {
      const answer = await call(
        api,
        registry,
        "POST",
        "/api/carriers",
        { title: "Above my clearance", kind: "paper-document", level: "special-importance", sheets: 1 },
        EN,
      );
      const body = expectProjectError(answer, "register above clearance");
      expect(answer.statusCode).toBe(403);
      // The failed condition itself, or the access decision listing it (ACCESS_DENIED).
      expect(body.code).toMatch(/^ACCESS_(CLEARANCE_TOO_LOW|DENIED)$/);
      expect(body.articles).toEqual(expect.arrayContaining(["A4.2", "A1.11"]));
      // top-secret is rank 2 of the A2.1 table, special-importance rank 3.
      expect(body.message).toMatch(/the person's clearance \(2\) is below the carrier's level \(3\)/);
      const nothing = await api.ctx.db
        .selectFrom("carriers")
        .select("id")
        .where("title", "=", "Above my clearance")
        .execute();
      expect(nothing).toEqual([]);
    });

    it("A4.2: a carrier the user may not know of is still answered exactly as one that does not exist", async () => {
      const created = await call(api, registry, "POST", "/api/carriers", {
        title: "Hidden from the cleared user",
        kind: "paper-document",
        level: "secret",
        sheets: 1,
      });
      expect(created.statusCode, created.body).toBe(201);
      const hidden = await call(api, user, "GET", `/api/carriers/${created.json().id}`, undefined, EN);
      const none = await call(api, user, "GET", `/api/carriers/${randomUUID()}`, undefined, EN);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().code).toBe("CARRIER_NOT_FOUND");
      expect(hidden.body).toBe(none.body);
    });

    it("A2.1: an unknown marking is answered 400 MARKING_UNKNOWN citing A2.1 (no level assumed)", async () => {
      const answer = await call(
        api,
        registry,
        "POST",
        "/api/carriers",
        { title: "Misspelt marking", kind: "paper-document", level: "Top Sekret", sheets: 1 },
        EN,
      );
      const body = expectProjectError(answer, "unknown marking");
      expect(answer.statusCode).toBe(400);
      expect(body).toEqual({
        code: "MARKING_UNKNOWN",
        articles: ["A2.1"],
        message:
          "“Top Sekret” is not a classification marking of KZ under this agreement; no level is assumed",
      });
    });

    it("A1.8: a carrier without stored content answers CONTENT_NOT_FOUND with its message filled in", async () => {
      const created = await call(api, registry, "POST", "/api/carriers", {
        title: "Paper only",
        kind: "paper-document",
        level: "secret",
        sheets: 3,
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json().id as string;
      const view = await call(api, registry, "GET", `/api/carriers/${id}`);
      const cleared = (view.json().actions.grantNeedToKnow as { id: string; name: string }[]).find(
        (p) => p.id === api.world.people["kz-user"],
      );
      expect(cleared, view.body).toBeTruthy();
      const granted = await call(api, registry, "POST", `/api/carriers/${id}/need-to-know`, {
        persons: [cleared?.id],
      });
      expect(granted.statusCode, granted.body).toBe(200);
      for (const lang of ["en", "ru", "kk", "hy"]) {
        const answer = await call(api, user, "GET", `/api/carriers/${id}/content`, undefined, {
          "accept-language": lang,
        });
        const body = expectProjectError(answer, `content ${lang}`);
        expect(answer.statusCode).toBe(404);
        expect(body.code).toBe("CONTENT_NOT_FOUND");
        expect(body.articles).toEqual(["A1.8"]);
      }
    });

    it("A4.2: a malformed URL is answered in the project's shape, in the caller's language", async () => {
      const en = await call(api, registry, "GET", "/api/carriers/%E0%A4%A", undefined, EN);
      const body = expectProjectError(en, "malformed URL");
      expect(en.statusCode).toBe(400);
      expect(body.code).toBe("INPUT_INVALID");
      expect(body.message).toMatch(/^invalid input: path: /);
      const ru = await call(api, undefined, "GET", "/api/carriers/%E0%A4%A", undefined, {
        "accept-language": "ru",
      });
      expect(expectProjectError(ru, "malformed URL, ru").message).toMatch(/^неверные входные данные: path: /);
      expect(ru.headers["x-content-type-options"]).toBe("nosniff");
    });

    it("A4.2: an id of 201 characters is refused in the project's shape; one of 150 reaches the route", async () => {
      const long = await call(api, registry, "GET", `/api/carriers/${"a".repeat(201)}`, undefined, EN);
      const body = expectProjectError(long, "201-character id");
      expect(long.statusCode).toBeLessThan(500);
      expect(body.code).toBe("INPUT_INVALID");
      expect(body.message).toMatch(/^invalid input: path: /);
      // The router takes what the id schema allows (up to 200): such an id is simply not found.
      const allowed = await call(api, registry, "GET", `/api/carriers/${"a".repeat(150)}`, undefined, EN);
      expect(expectProjectError(allowed, "150-character id").code).toBe("CARRIER_NOT_FOUND");
      expect(allowed.statusCode).toBe(404);
    });

    it("A4.2: a body that is not JSON, empty, too large or malformed for the schema, and an unknown route, answer in the project's shape", async () => {
      const headers = {
        cookie: registry.cookie,
        "x-csrf-token": registry.csrf,
        "content-type": "application/json",
        ...EN,
      };
      const answers: [string, Answer, number][] = [
        [
          "invalid JSON",
          await api.app.inject({ method: "POST", url: "/api/carriers", headers, payload: "{nope" }),
          400,
        ],
        [
          "empty JSON",
          await api.app.inject({ method: "POST", url: "/api/carriers", headers, payload: "" }),
          400,
        ],
        [
          "too large",
          await api.app.inject({
            method: "POST",
            url: "/api/carriers",
            headers,
            payload: JSON.stringify({ title: "x".repeat(1_100_000) }),
          }),
          413,
        ],
        ["schema", await call(api, registry, "POST", "/api/carriers", { title: "" }, EN), 400],
        ["no route", await call(api, registry, "GET", "/api/no-such-route", undefined, EN), 404],
      ];
      for (const [what, answer, status] of answers) {
        const body = expectProjectError(answer, what);
        expect(answer.statusCode, what).toBe(status);
        expect(body.code, what).toBe("INPUT_INVALID");
      }
    });

    it("A4.2: a body the schema refuses is explained in the caller's language, not in zod's English", async () => {
      const bad = { title: "", kind: "scroll", sheets: "3" };
      const said: Record<string, string> = {};
      for (const lang of ["kk", "hy", "ru", "en"]) {
        const answer = await call(api, registry, "POST", "/api/carriers", bad, { "accept-language": lang });
        const body = expectProjectError(answer, lang);
        expect(body.code, lang).toBe("INPUT_INVALID");
        said[lang] = body.message;
      }
      expect(said.kk).toContain("title: кемінде 1 таңба");
      expect(said.hy).toContain("title: առնվազն 1 նիշ");
      expect(said.ru).toContain("title: не менее 1 символа");
      expect(said.en).toContain("title: at least 1 character");
      expect(said.ru).toContain('kind: одно из значений "paper-document"');
      for (const lang of ["kk", "hy", "ru"]) {
        expect(said[lang], lang).not.toMatch(/Too small|Invalid|expected|received/);
      }
    });
  });
}
