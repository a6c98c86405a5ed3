// The amendment protocol routes (A14) answer through the use cases: the versions of the pack and the
// one in force, a proposal whose change does not fit the pack or whose date is impossible refused
// naming its rule and changing nothing, a person who speaks for no Party refused, no session no
// answer. The exchange between two nodes: test/two-node/amendments.test.ts and the browser test.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };
type Refusal = { code: string; articles: string[]; message: string };

describe("A14 amendment protocols through the HTTP API [sqlite]", () => {
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

  const proposal = (over: object = {}) => ({
    number: "1",
    title: "Protocol No. 1",
    changes: [{ kind: "deadline", deadline: "visitRequestLead", duration: "P2M" }],
    ...over,
  });

  it("A14: the competent authority sees the signed pack as version 0, its values, and may propose", async () => {
    const shown = await call(api, authority, "GET", "/api/agreement/protocols");
    expect(shown.statusCode, shown.body).toBe(200);
    const view = shown.json() as {
      version: number;
      versions: { version: number; protocol: unknown; from: unknown }[];
      protocols: unknown[];
      current: { deadlines: Record<string, string>; channels: { id: string }[] };
      mayPropose: boolean;
    };
    expect(view.version).toBe(0);
    expect(view.versions).toEqual([{ version: 0, protocol: null, from: null }]);
    expect(view.protocols).toEqual([]);
    expect(view.current.deadlines.visitRequestLead).toBe("P1M");
    expect(view.current.channels.map((c) => c.id)).toContain("diplomatic");
    expect(view.mayPropose).toBe(true);
    // A registry officer reads them too, and may not propose.
    const read = await call(api, registry, "GET", "/api/agreement/protocols");
    expect(read.statusCode).toBe(200);
    expect((read.json() as { mayPropose: boolean }).mayPropose).toBe(false);
  });

  it("A14: a change that does not fit the pack is refused naming the change, and nothing is recorded", async () => {
    const bad = await call(
      api,
      authority,
      "POST",
      "/api/agreement/protocols",
      proposal({ changes: [{ kind: "channel-remove", channel: "pigeon-post" }] }),
      EN,
    );
    expect(bad.statusCode).toBe(400);
    const body = bad.json() as Refusal;
    expect(body.code).toBe("PROTOCOL_CHANGE_INVALID");
    expect(body.articles).toEqual(["A14"]);
    expect(body.message).toContain('change 1 of the protocol cannot be applied: no channel "pigeon-post"');
    const none = await call(
      api,
      authority,
      "POST",
      "/api/agreement/protocols",
      proposal({ changes: [] }),
      EN,
    );
    expect(none.statusCode).toBe(400);
    expect((none.json() as Refusal).code).toBe("INPUT_INVALID");
    const early = await call(
      api,
      authority,
      "POST",
      "/api/agreement/protocols",
      proposal({ signedOn: "2024-05-01" }),
      EN,
    );
    expect(early.statusCode).toBe(403);
    expect((early.json() as Refusal).code).toBe("PROTOCOL_SIGNED_ON_INVALID");
    const after = await call(api, authority, "GET", "/api/agreement/protocols");
    expect((after.json() as { protocols: unknown[] }).protocols).toEqual([]);
  });

  it("A3.1, A14: only the competent authority proposes, signs or notifies; without a session nothing answers", async () => {
    for (const session of [registry, user]) {
      const refused = await call(api, session, "POST", "/api/agreement/protocols", proposal(), EN);
      expect(refused.statusCode).toBe(403);
      expect((refused.json() as Refusal).code).toBe("ROLE_FORBIDDEN");
    }
    const sign = await call(
      api,
      registry,
      "POST",
      "/api/agreement/protocols/nope/answer",
      { answer: "signed" },
      EN,
    );
    expect(sign.statusCode).toBe(403);
    const unknown = await call(api, authority, "POST", "/api/agreement/protocols/nope/notices", {}, EN);
    expect(unknown.statusCode).toBe(404);
    expect((unknown.json() as Refusal).code).toBe("PROTOCOL_NOT_FOUND");
    const anonymous = await call(api, undefined, "GET", "/api/agreement/protocols");
    expect(anonymous.statusCode).toBe(401);
    // An ordinary user of a body reads no protocols (A14 is the authorities' and the registry's).
    expect((await call(api, user, "GET", "/api/agreement/protocols")).statusCode).toBe(403);
  });
});
