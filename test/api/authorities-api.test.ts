// The competent authorities' routes (A3.2, A3.3, A8.1, A8.2 letters; A5.5, A6.7 notices) answer
// through the use cases: a person who is not a competent-authority officer is refused naming A3.1, the
// regulations without their document are refused naming A8.2, a letter's body may carry a document
// far beyond the API's usual body limit, and the notices list answers and marks read. A letter that
// reaches the other node and its document downloaded there: test/browser/authorities.test.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

type Refusal = { code: string; articles: string[]; message: string };

describe("A3, A8, A5.5, A6.7 the competent authority's doors through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let authority: Session;
  let registry: Session;
  let user: Session;

  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    authority = await login(api, "kz-authority");
    registry = await login(api, "kz-registry");
    user = await login(api, "kz-user");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("A3.1: listing and writing letters are refused to anyone but a competent-authority officer", async () => {
    for (const who of [registry, user]) {
      const list = await call(api, who, "GET", "/api/authority/letters", undefined, EN);
      expect(list.statusCode).toBe(403);
      expect(list.json<Refusal>().code).toBe("ROLE_FORBIDDEN");
      expect(list.json<Refusal>().articles).toContain("A3.1");
      const sent = await call(
        api,
        who,
        "POST",
        "/api/authority/letters",
        { subject: "legislation-change", title: "Not ours to send" },
        EN,
      );
      expect(sent.json<Refusal>().code).toBe("ROLE_FORBIDDEN");
      expect(sent.json<Refusal>().articles).toContain("A3.1");
      const doc = await call(api, who, "GET", "/api/authority/letters/any/attachment", undefined, EN);
      expect(doc.json<Refusal>().code).toBe("ROLE_FORBIDDEN");
    }
    const anonymous = await call(api, undefined, "GET", "/api/authority/letters");
    expect(anonymous.statusCode).toBe(401);
    const list = await call(api, authority, "GET", "/api/authority/letters");
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json()).toEqual({ letters: [] });
  });

  it("A8.2: regulations without their document are refused naming A8.2; an unknown subject is bad input", async () => {
    const bare = await call(
      api,
      authority,
      "POST",
      "/api/authority/letters",
      { subject: "regulations", title: "Instruction, edition 2026" },
      EN,
    );
    expect(bare.statusCode).toBe(400);
    expect(bare.json<Refusal>().code).toBe("INPUT_INVALID");
    expect(bare.json<Refusal>().articles).toContain("A8.2");
    const unknown = await call(
      api,
      authority,
      "POST",
      "/api/authority/letters",
      { subject: "greetings", title: "Hello" },
      EN,
    );
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<Refusal>().code).toBe("INPUT_INVALID");
    const notBase64 = await call(
      api,
      authority,
      "POST",
      "/api/authority/letters",
      { subject: "regulations", title: "Instruction", attachment: { name: "a.pdf", base64: "%%%" } },
      EN,
    );
    expect(notBase64.json<Refusal>().code).toBe("INPUT_INVALID");
    // A3.3: an authority change names the new name.
    const nameless = await call(
      api,
      authority,
      "POST",
      "/api/authority/letters",
      { subject: "authority-change", title: "Change of name" },
      EN,
    );
    expect(nameless.json<Refusal>().code).toBe("INPUT_INVALID");
    expect(nameless.json<Refusal>().articles).toContain("A3.3");
    // Nothing was sent by any refusal.
    expect((await call(api, authority, "GET", "/api/authority/letters")).json()).toEqual({ letters: [] });
  });

  it("A8.2: a letter with a 3 MB document passes the body limit and reaches the use case; a 21 MB one does not", async () => {
    const document = Buffer.alloc(3 * 1024 * 1024, 7).toString("base64");
    const big = await call(
      api,
      registry,
      "POST",
      "/api/authority/letters",
      {
        subject: "regulations",
        title: "Instruction",
        attachment: { name: "instruction.pdf", base64: document },
      },
      EN,
    );
    // The use case's refusal, not "request body is too large": the route takes documents to 20 MB.
    expect(big.json<Refusal>().code).toBe("ROLE_FORBIDDEN");
    const tooBig = await call(
      api,
      authority,
      "POST",
      "/api/authority/letters",
      {
        subject: "regulations",
        title: "Instruction",
        attachment: { name: "instruction.pdf", base64: Buffer.alloc(21 * 1024 * 1024, 7).toString("base64") },
      },
      EN,
    );
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json<Refusal>().code).toBe("INPUT_INVALID");
    // Other routes keep the API's usual limit.
    const elsewhere = await call(
      api,
      authority,
      "POST",
      "/api/authority/notices/read",
      { ids: [document] },
      EN,
    );
    expect(elsewhere.statusCode).toBe(413);
  });

  it("A8.2: a letter that holds no document has no attachment to download", async () => {
    const missing = await call(
      api,
      authority,
      "GET",
      "/api/authority/letters/no-such-letter/attachment",
      undefined,
      EN,
    );
    expect(missing.statusCode).toBe(400);
    expect(missing.json<Refusal>().code).toBe("INPUT_INVALID");
    expect(missing.headers["cache-control"]).toBe("no-store");
  });

  it("A5.5, A6.7: the notices list answers the competent authority, marks read, and is refused to others", async () => {
    const list = await call(api, authority, "GET", "/api/authority/notices?unread=1");
    expect(list.statusCode, list.body).toBe(200);
    const body = list.json<{ notices: unknown[]; unread: number }>();
    expect(Array.isArray(body.notices)).toBe(true);
    expect(body.unread).toBe(body.notices.length);
    const marked = await call(api, authority, "POST", "/api/authority/notices/read", {});
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toEqual({ marked: body.unread });
    expect((await call(api, authority, "GET", "/api/authority/notices")).json()).toMatchObject({ unread: 0 });
    const refused = await call(api, registry, "GET", "/api/authority/notices", undefined, EN);
    expect(refused.json<Refusal>().code).toBe("ROLE_FORBIDDEN");
    expect(refused.json<Refusal>().articles).toEqual(expect.arrayContaining(["A5.5", "A6.7"]));
    const badQuery = await call(api, authority, "GET", "/api/authority/notices?unread=maybe", undefined, EN);
    expect(badQuery.json<Refusal>().code).toBe("INPUT_INVALID");
  });
});
