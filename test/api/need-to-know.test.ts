import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { DIALECTS } from "../support/databases.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

/**
 * A4.2: a carrier outside any contract (as a received carrier is at the receiving node) can be read
 * only after the registry officer of its custodian body grants need-to-know; nobody else may grant.
 */
for (const dialect of DIALECTS) {
  describe(`A4.2: need-to-know through the API [${dialect}]`, () => {
    let kz: ApiNode;
    let carrierId: string;
    const sessions: Record<string, Session> = {};
    const unknown = "00000000-0000-4000-8000-000000000000";

    beforeAll(async () => {
      kz = await startApiNode(dialect, "KZ");
      for (const name of ["kz-registry", "kz-registry-2", "kz-user", "kz-user-low"]) {
        sessions[name] = await login(kz, name);
      }
      const created = await call(kz, sessions["kz-registry"], "POST", "/api/carriers", {
        title: "Отчёт без договора",
        kind: "electronic-file",
        level: "top-secret",
        contentText: "NTK-CONTENT-42",
      });
      expect(created.statusCode, created.body).toBe(201);
      carrierId = created.json().id;
    });
    afterAll(async () => {
      await kz?.close();
    });

    it("A4.2: the permission map lets only a registry officer grant need-to-know", async () => {
      const officer = await call(kz, sessions["kz-registry"], "GET", "/api/session");
      expect(officer.json().permissions.grantNeedToKnow).toBe(true);
      const user = await call(kz, sessions["kz-user"], "GET", "/api/session");
      expect(user.json().permissions.grantNeedToKnow).toBe(false);
    });

    it("A4.2: without need-to-know a cleared user of the custodian body neither sees nor reads the carrier", async () => {
      const view = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}`);
      expect(view.statusCode).toBe(404);
      const content = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}/content`);
      expect(content.statusCode).toBe(404);
    });

    it("A4.2: a registry officer of another body gets the not-found answer of a carrier that does not exist", async () => {
      const officer = await call(kz, sessions["kz-registry"], "GET", `/api/carriers/${carrierId}`);
      const userId = officer
        .json()
        .actions.grantNeedToKnow.find((p: { name: string }) => p.name === "Мәдина Омарова")?.id;
      expect(userId).toBeTruthy();
      const real = await call(
        kz,
        sessions["kz-registry-2"],
        "POST",
        `/api/carriers/${carrierId}/need-to-know`,
        {
          persons: [userId],
        },
      );
      const none = await call(
        kz,
        sessions["kz-registry-2"],
        "POST",
        `/api/carriers/${unknown}/need-to-know`,
        {
          persons: [userId],
        },
      );
      expect(real.statusCode).toBe(404);
      expect(real.body).toBe(none.body);
      expect(real.json().code).toBe("CARRIER_NOT_FOUND");
    });

    it("A4.2: a cleared user may not grant need-to-know (role refusal, same answer for any carrier)", async () => {
      const real = await call(kz, sessions["kz-user"], "POST", `/api/carriers/${carrierId}/need-to-know`, {
        persons: ["kz-user"],
      });
      const none = await call(kz, sessions["kz-user"], "POST", `/api/carriers/${unknown}/need-to-know`, {
        persons: ["kz-user"],
      });
      expect(real.statusCode).toBe(403);
      expect(real.json().code).toBe("ROLE_FORBIDDEN");
      expect(real.body).toBe(none.body);
      const still = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}/content`);
      expect(still.statusCode).toBe(404);
    });

    it("A4.2: the custodian's registry officer grants need-to-know and the cleared user then reads the content; audited", async () => {
      const before = await call(kz, sessions["kz-registry"], "GET", `/api/carriers/${carrierId}`);
      expect(before.statusCode, before.body).toBe(200);
      const candidates = before.json().actions.grantNeedToKnow as { id: string; name: string }[];
      const user = candidates.find((p) => p.name === "Мәдина Омарова");
      if (!user) throw new Error(`kz-user is not offered: ${JSON.stringify(candidates)}`);
      // Only people of the custodian body are offered.
      expect(candidates.map((p) => p.name)).not.toContain("Гүлнар Бекова");

      const granted = await call(
        kz,
        sessions["kz-registry"],
        "POST",
        `/api/carriers/${carrierId}/need-to-know`,
        {
          persons: [user.id],
        },
      );
      expect(granted.statusCode, granted.body).toBe(200);
      // Top secret: the grant waits for a second registry officer of the body (four eyes, A4.2).
      expect(granted.json()).toEqual({ granted: [], pending: ["kz-user"] });
      const waiting = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}/content`);
      expect(waiting.statusCode).not.toBe(200);
      const second = await registerAcknowledgedPerson(kz.ctx, {
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
        personId: second.id,
        username: "kz-registry-b",
        password: DEMO_PASSWORD,
      });
      const confirmed = await call(
        kz,
        await login(kz, "kz-registry-b"),
        "POST",
        `/api/carriers/${carrierId}/need-to-know`,
        { persons: [user.id] },
      );
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      expect(confirmed.json()).toEqual({ granted: ["kz-user"], pending: [] });

      const view = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}`);
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json().actions.readContent).toBe(true);
      expect(view.json().actions.grantNeedToKnow).toEqual([]);
      const content = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrierId}/content`);
      expect(content.statusCode, content.body).toBe(200);
      expect(content.json().text).toBe("NTK-CONTENT-42");

      const after = await call(kz, sessions["kz-registry"], "GET", `/api/carriers/${carrierId}`);
      expect(after.json().actions.grantNeedToKnow.map((p: { id: string }) => p.id)).not.toContain(user.id);
      expect(after.json().history.map((h: { event: string }) => h.event)).toContain(
        "carrier.need-to-know-granted",
      );
    });

    it("A4.2: need-to-know does not lift the clearance check: a lower-cleared user still cannot read", async () => {
      const granted = await call(
        kz,
        sessions["kz-registry"],
        "POST",
        `/api/carriers/${carrierId}/need-to-know`,
        {
          persons: ["kz-user-low"],
        },
      );
      expect(granted.statusCode, granted.body).toBe(200);
      const content = await call(kz, sessions["kz-user-low"], "GET", `/api/carriers/${carrierId}/content`);
      expect(content.statusCode).toBe(404);
    });

    it("A4.2: need-to-know is granted only to persons of the custodian body", async () => {
      const refused = await call(
        kz,
        sessions["kz-registry"],
        "POST",
        `/api/carriers/${carrierId}/need-to-know`,
        {
          persons: ["kz-registry-2"],
        },
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe("INPUT_INVALID");
    });
  });
}
