// Amending a contract through the HTTP API (A7.1, A1.13): only the concluding body's registry officer
// may, the list offers "amend" to them alone, an item with a level the A2.1 table lacks is refused
// naming the item, and a valid amendment shows the new item and the next version in the list.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };
const NUMBER = "KZ-AM/2025-01";

type ContractRow = {
  id: string;
  number: string;
  version: number;
  actions: string[];
  information: { description: string; levelId: string }[];
  clauses: { key: string; text: string | null }[];
};

describe("A7.1 amending a contract through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let registry: Session;
  let user: Session;
  let otherBody: Session;
  const contractAs = async (session: Session) => {
    const list = await call(api, session, "GET", "/api/contracts", undefined, EN);
    expect(list.statusCode).toBe(200);
    return (list.json() as ContractRow[]).find((c) => c.number === NUMBER);
  };
  const amendUrl = () => `/api/contracts/${encodeURIComponent(api.world.contractId)}/amend`;

  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    registry = await login(api, "kz-registry");
    user = await login(api, "kz-user");
    otherBody = await login(api, "kz-registry-2");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("refuses an amendment unauthenticated (401) and by a cleared user or another body's registry officer (403)", async () => {
    const item = { information: [{ description: "Антенна схемасы", level: "secret" }] };
    const anonymous = await call(api, undefined, "POST", amendUrl(), item, EN);
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: "SESSION_EXPIRED" });
    for (const session of [user, otherBody]) {
      const refused = await call(api, session, "POST", amendUrl(), item, EN);
      expect(refused.statusCode, session.username).toBe(403);
      expect(refused.json(), session.username).toMatchObject({ code: "ROLE_FORBIDDEN" });
    }
    // The list offers the amendment to the keeper only, the action the use case would allow.
    expect((await contractAs(registry))?.actions).toEqual(["amend", "suspend", "close"]);
    expect((await contractAs(user))?.actions).toEqual([]);
    expect((await contractAs(registry))?.information.map((i) => i.description)).not.toContain(
      "Антенна схемасы",
    );
  });

  it("A2.1: an item whose level the table lacks is refused (400) naming the item's level field; nothing changes", async () => {
    const before = await contractAs(registry);
    const refused = await call(
      api,
      registry,
      "POST",
      amendUrl(),
      {
        information: [
          { description: "Қуат блогы", level: "secret" },
          { description: "Антенна схемасы", level: "ultra-secret" },
        ],
      },
      EN,
    );
    expect(refused.statusCode).toBe(400);
    const body = refused.json() as { code: string; articles: string[]; message: string };
    expect(body.code).toBe("CONTRACT_ITEM_LEVEL_UNKNOWN");
    expect(body.articles).toEqual(["A7.1", "A2.1"]);
    expect(body.message).toContain("information[1].level");
    expect(body.message).toContain("ultra-secret");
    const after = await contractAs(registry);
    expect(after?.version).toBe(before?.version);
    expect(after?.information).toEqual(before?.information);
  });

  it("A7.1: a valid amendment answers the next version, and the list shows the new item and clause text", async () => {
    const before = await contractAs(registry);
    if (!before) throw new Error(`no contract ${NUMBER}`);
    const answer = await call(
      api,
      registry,
      "POST",
      amendUrl(),
      {
        clauses: { "transfer-procedure": "Только фельдъегерской связью (ст. 5.6)." },
        information: [{ description: "Антенна схемасы", level: "secret" }],
      },
      EN,
    );
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({
      number: NUMBER,
      version: before.version + 1,
      clauses: before.clauses.map((c) => c.key),
      information: before.information.length + 1,
    });
    const after = await contractAs(registry);
    expect(after?.version).toBe(before.version + 1);
    expect(after?.information).toEqual([
      ...before.information,
      { description: "Антенна схемасы", levelId: "secret" },
    ]);
    expect(after?.clauses.find((c) => c.key === "transfer-procedure")?.text).toBe(
      "Только фельдъегерской связью (ст. 5.6).",
    );
  });
});
