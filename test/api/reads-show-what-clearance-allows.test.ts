// A4.2: what a list or a view shows beside a carrier is held to the same rule as the carrier: a
// contract's information item only to those cleared for its level; a carrier's history (who did
// what, who opened it) only to those whose role keeps or audits it; a carrier above a person's
// clearance neither listed, nor counted, nor named as a source.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

for (const dialect of DIALECTS) {
  describe(`A4.2: reads show only what clearance and role allow [${dialect}]`, () => {
    let kz: ApiNode;
    const sessions: Record<string, Session> = {};

    beforeAll(async () => {
      kz = await startApiNode(dialect, "KZ");
      for (const name of ["kz-user", "kz-user-low", "kz-registry"]) sessions[name] = await login(kz, name);
    });
    afterAll(async () => {
      await kz?.close();
    });

    it("A4.2: a contract's top-secret information item is not shown to a secret-cleared participant", async () => {
      const low = (await call(kz, sessions["kz-user-low"], "GET", "/api/contracts")).json() as {
        information: { description: string; levelId: string }[];
      }[];
      const high = (await call(kz, sessions["kz-user"], "GET", "/api/contracts")).json() as typeof low;
      expect(high[0]?.information.map((i) => i.levelId).sort()).toEqual(["secret", "top-secret"]);
      expect(low[0]?.information.map((i) => i.levelId)).toEqual(["secret"]);
      expect(JSON.stringify(low)).not.toContain(
        high[0]?.information.find((i) => i.levelId === "top-secret")?.description,
      );
    });

    it("A4.2: a carrier's history, with who opened it, is shown to its registry officer, not to another reader", async () => {
      const carrier = kz.world.carriers.find((c) => c.level === "top-secret")!;
      // kz-user opens it (an access decision on the record), then looks at its history.
      const byUser = await call(kz, sessions["kz-user"], "GET", `/api/carriers/${carrier.id}`);
      expect(byUser.statusCode, byUser.body).toBe(200);
      expect(byUser.json().history).toEqual([]);
      const byOfficer = await call(kz, sessions["kz-registry"], "GET", `/api/carriers/${carrier.id}`);
      const history = byOfficer.json().history as { event: string; actor: string }[];
      expect(history.some((h) => h.event === "carrier.access-decided" && h.actor === "Мәдина Омарова")).toBe(
        true,
      );
    });

    it("A4.2: a secret-cleared participant's registry list and view never show a top-secret carrier", async () => {
      const list = (await call(kz, sessions["kz-user-low"], "GET", "/api/carriers")).json() as {
        items: { levelId: string }[];
      };
      expect(list.items.length).toBeGreaterThan(0);
      expect(list.items.every((i) => i.levelId === "secret")).toBe(true);
      const top = kz.world.carriers.find((c) => c.level === "top-secret")!;
      const view = await call(kz, sessions["kz-user-low"], "GET", `/api/carriers/${top.id}`);
      expect(view.statusCode).toBe(404);
      const search = (
        await call(
          kz,
          sessions["kz-user-low"],
          "GET",
          `/api/carriers?q=${encodeURIComponent(top.registrationNumber)}`,
        )
      ).json() as { items: unknown[] };
      expect(search.items).toEqual([]);
    });
  });
}
