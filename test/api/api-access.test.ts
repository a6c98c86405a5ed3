import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { DIALECTS } from "../support/databases.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

/**
 * A4.2: whoever may not access a carrier gets exactly the answer a carrier that does not exist gets,
 * on every route that names a carrier, and finds no trace of it in the registry.
 */
for (const dialect of DIALECTS) {
  describe(`A4.2: carriers through the API [${dialect}]`, () => {
    let kz: ApiNode;
    let am: ApiNode;
    let target: { id: string; registrationNumber: string; title: string };
    let secretOne: { id: string; registrationNumber: string };
    const sessions: Record<string, Session> = {};

    beforeAll(async () => {
      kz = await startApiNode(dialect, "KZ");
      am = await startApiNode(dialect, "AM");
      const top = kz.world.carriers.find((c) => c.level === "top-secret");
      const secret = kz.world.carriers.find((c) => c.level === "secret");
      if (!top || !secret) throw new Error("demo world without carriers");
      target = top;
      secretOne = secret;
      // A cleared user of the same body with the right clearance but no need-to-know (not on the contract).
      const person = await registerAcknowledgedPerson(kz.ctx, {
        actor: "admin",
        organisation: kz.world.organisations.body1.id,
        handle: "kz-no-ntk",
        name: "No Need To Know",
        roles: ["cleared-user"],
      });
      const year = new Date().getUTCFullYear();
      await grantPersonalClearance(kz.ctx, {
        actor: "kz-authority",
        person: "kz-no-ntk",
        level: "special-importance",
        validFrom: `${year - 1}-01-01`,
        validTo: `${year + 1}-12-31`,
      });
      await kz.auth.createAccount({ personId: person.id, username: "kz-no-ntk", password: DEMO_PASSWORD });
      for (const name of [
        "kz-user",
        "kz-user-low",
        "kz-registry-2",
        "kz-no-ntk",
        "kz-registry",
        "kz-auditor",
        "kz-admin",
      ]) {
        sessions[name] = await login(kz, name);
      }
      sessions["am-user"] = await login(am, "am-user");
      sessions["am-registry"] = await login(am, "am-registry");
    });
    afterAll(async () => {
      await kz?.close();
      await am?.close();
    });

    it("A4.2: a cleared participant of the contract reads the carrier, both markings and its content", async () => {
      const view = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${target.id}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.headers["cache-control"]).toBe("no-store");
      const body = view.json();
      expect(body.markings).toEqual([
        { party: "KZ", language: "kk", text: "Өте құпия" },
        { party: "AM", language: "hy", text: "Հույժ գաղտնի" },
      ]);
      expect(body.actions.readContent).toBe(true);
      const content = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${target.id}/content`);
      expect(content.statusCode, content.body).toBe(200);
      expect(content.json().text).toContain("Р-2025");
      const list = await call(kz, sessions["kz-user"], "GET", "/api/carriers");
      expect(list.json().items.map((c: { id: string }) => c.id)).toContain(target.id);
    });

    const denied: { who: string; node: () => ApiNode; why: string }[] = [
      { who: "kz-user-low", node: () => kz, why: "below the needed clearance" },
      { who: "kz-no-ntk", node: () => kz, why: "without need-to-know" },
      { who: "kz-registry-2", node: () => kz, why: "of another organisation" },
      { who: "kz-admin", node: () => kz, why: "an administrator (no classified content by that role)" },
      { who: "kz-auditor", node: () => kz, why: "an auditor" },
      { who: "am-user", node: () => am, why: "of the other Party" },
      { who: "am-registry", node: () => am, why: "a registry officer of the other Party" },
    ];

    for (const { who, node, why } of denied) {
      it(`A4.2: a user ${why} (${who}) gets the not-found answer on every carrier route and no trace in the registry`, async () => {
        const api = node();
        const session = sessions[who];
        const unknown = randomUUID();
        for (const [method, path, payload] of [
          ["GET", (id: string) => `/api/carriers/${id}`, undefined],
          ["GET", (id: string) => `/api/carriers/${id}/content`, undefined],
          ["GET", (id: string) => `/api/carriers/${id}?lang=x`, undefined],
          [
            "POST",
            () => "/api/transfers",
            (id: string) => ({ carrierId: id, contractId: "KZ-AM/2025-01", receivingBodyId: "x" }),
          ],
        ] as const) {
          for (const lang of ["kk", "hy", "en"]) {
            const headers = { "accept-language": lang };
            const real = await call(api, session, method, path(target.id), payload?.(target.id), headers);
            const none = await call(api, session, method, path(unknown), payload?.(unknown), headers);
            expect(real.statusCode, `${who} ${method} ${path("ID")}`).toBe(none.statusCode);
            expect(real.body, `${who} ${method} ${path("ID")}`).toBe(none.body);
            expect(real.statusCode).toBeGreaterThanOrEqual(400);
            expect(real.headers["cache-control"]).toBe("no-store");
          }
        }
        const list = await call(api, session, "GET", "/api/carriers?limit=200");
        if (list.statusCode === 200) {
          expect(list.body).not.toContain(target.id);
          expect(list.body).not.toContain(target.registrationNumber);
          expect(list.body).not.toContain(target.title);
        } else {
          expect(list.json().code).toBe("ROLE_FORBIDDEN");
        }
        const search = await call(
          api,
          session,
          "GET",
          `/api/carriers?q=${encodeURIComponent(target.registrationNumber)}`,
        );
        if (search.statusCode === 200) expect(search.json().items).toEqual([]);
      });
    }

    it("A4.2: a user below the level still sees what the clearance allows", async () => {
      const list = await call(kz, sessions["kz-user-low"], "GET", "/api/carriers");
      const ids = list.json().items.map((c: { id: string }) => c.id);
      expect(ids).toContain(secretOne.id);
      expect(ids).not.toContain(target.id);
    });

    it("A4.2, A6.2: a registry officer of the custody without need-to-know sees the record, never the content", async () => {
      const person = await registerAcknowledgedPerson(kz.ctx, {
        actor: "admin",
        organisation: kz.world.organisations.body1.id,
        handle: "kz-registry-b",
        name: "Second Registry Officer",
        roles: ["registry-officer"],
      });
      const year = new Date().getUTCFullYear();
      await grantPersonalClearance(kz.ctx, {
        actor: "kz-authority",
        person: "kz-registry-b",
        level: "top-secret",
        validFrom: `${year - 1}-01-01`,
        validTo: `${year + 1}-12-31`,
      });
      await kz.auth.createAccount({
        personId: person.id,
        username: "kz-registry-b",
        password: DEMO_PASSWORD,
      });
      const session = await login(kz, "kz-registry-b");
      const view = await call(kz, session, "GET", `/api/carriers/${target.id}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json().actions.readContent).toBe(false);
      // The record is visible, so nothing is hidden: the refusal of the content names its rule.
      const content = await call(kz, session, "GET", `/api/carriers/${target.id}/content`);
      expect(content.statusCode).toBe(403);
      expect(content.json()).toMatchObject({ code: "ACCESS_DENIED" });
      expect(content.json().articles).toContain("A4.2");
    });

    it("A4.2: the competent authority's officer oversees the registry: the record, never the content", async () => {
      const session = await login(kz, "kz-authority");
      const view = await call(kz, session, "GET", `/api/carriers/${target.id}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json().actions).toMatchObject({ readContent: false, requestTransfer: false });
      // The record is visible, so nothing is hidden: the refusal of the content names its rule.
      const content = await call(kz, session, "GET", `/api/carriers/${target.id}/content`);
      expect(content.statusCode).toBe(403);
      expect(content.json()).toMatchObject({ code: "ACCESS_DENIED" });
      expect(content.json().articles).toContain("A4.2");
    });

    it("A4.2: a withdrawn clearance counts from the next request", async () => {
      const session = sessions["kz-user"] as Session;
      expect((await call(kz, session, "GET", `/api/carriers/${target.id}`)).statusCode).toBe(200);
      await kz.ctx.db
        .updateTable("personal_clearances")
        .set({ revoked_at: new Date().toISOString() })
        .where("person_id", "=", kz.world.people["kz-user"] as string)
        .execute();
      const after = await call(kz, session, "GET", `/api/carriers/${target.id}`);
      const none = await call(kz, session, "GET", `/api/carriers/${randomUUID()}`);
      expect(after.statusCode).toBe(404);
      expect(after.body).toBe(none.body);
      expect((await call(kz, session, "GET", "/api/carriers")).json().items).toEqual([]);
    });

    it("A4.2: every decision on a carrier read is in the audit log", async () => {
      const auditor = sessions["kz-auditor"] as Session;
      const page = await call(kz, auditor, "GET", "/api/audit");
      expect(page.statusCode).toBe(200);
      const events = page
        .json()
        .items.map((e: { event: string; outcome: string }) => `${e.event}:${e.outcome}`);
      expect(events).toContain("carrier.access-decided:allowed");
    });
  });
}
