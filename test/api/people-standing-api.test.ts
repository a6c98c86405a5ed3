// A person's standing through the HTTP API (A1.11, A4.2): the competent authority suspends and
// reinstates a clearance; only the administrator deactivates a person, whose session ends at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

describe("A1.11, A4.2: clearances and people through the HTTP API [sqlite]", () => {
  let api: ApiNode;
  let authority: Session;
  let admin: Session;
  let user: Session;
  beforeAll(async () => {
    api = await startApiNode("sqlite", "KZ");
    authority = await login(api, "kz-authority");
    admin = await login(api, "kz-admin");
    user = await login(api, "kz-user-low");
  });
  afterAll(async () => {
    await api?.close();
  });

  it("A1.11: the competent authority suspends and reinstates a person's clearance; a user may not", async () => {
    const clearanceOf = async (name: string) => {
      const people = (await call(api, authority, "GET", "/api/people", undefined, EN)).json() as {
        name: string;
        clearance: unknown;
      }[];
      return people.find((p) => p.name === name)?.clearance;
    };
    expect(await clearanceOf("Мәдина Омарова")).toBeTruthy();
    const refused = await call(api, user, "POST", "/api/people/kz-user/clearance/suspend", {}, EN);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: "ROLE_FORBIDDEN" });
    const suspended = await call(
      api,
      authority,
      "POST",
      "/api/people/kz-user/clearance/suspend",
      { reason: "inquiry" },
      EN,
    );
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json()).toMatchObject({ person: "kz-user", change: "suspend" });
    expect(await clearanceOf("Мәдина Омарова")).toBeNull();
    const back = await call(api, authority, "POST", "/api/people/kz-user/clearance/reinstate", {}, EN);
    expect(back.json()).toMatchObject({ change: "reinstate" });
    expect(await clearanceOf("Мәдина Омарова")).toBeTruthy();
    const unknown = await call(api, authority, "POST", "/api/people/kz-user/clearance/forget", {}, EN);
    expect(unknown.statusCode).toBe(400);
  });

  it("A4.2: the administrator deactivates a person; their session ends at once", async () => {
    expect((await call(api, user, "GET", "/api/dashboard", undefined, EN)).statusCode).toBe(200);
    const byAuthority = await call(api, authority, "POST", "/api/people/kz-user-low/deactivate", {}, EN);
    expect(byAuthority.json()).toMatchObject({ code: "ROLE_FORBIDDEN" });
    const done = await call(api, admin, "POST", "/api/people/kz-user-low/deactivate", { reason: "left" }, EN);
    expect(done.json()).toMatchObject({ person: "kz-user-low", changed: true });
    expect((await call(api, user, "GET", "/api/dashboard", undefined, EN)).statusCode).toBe(401);
  });
});
