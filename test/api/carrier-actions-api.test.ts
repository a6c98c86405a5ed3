import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

/**
 * The registry officer's acts on a carrier through the API (A6.1, A6.2, A6.5, A6.6, A4.2): each
 * route calls its use case; a refusal answers the article it enforces and changes nothing.
 */
for (const dialect of DIALECTS) {
  describe(`carrier actions through the API [${dialect}]`, () => {
    let kz: ApiNode;
    const s: Record<string, Session> = {};
    const carriers: Record<string, string> = {};

    const register = async (title: string, extra: Record<string, unknown> = {}) => {
      const created = await call(kz, s["kz-registry"], "POST", "/api/carriers", {
        title,
        kind: "electronic-file",
        level: "secret",
        contentText: title,
        ...extra,
      });
      expect(created.statusCode, created.body).toBe(201);
      return created.json().id as string;
    };
    const view = async (id: string, who = "kz-registry") => {
      const shown = await call(kz, s[who], "GET", `/api/carriers/${id}`);
      expect(shown.statusCode, shown.body).toBe(200);
      return shown.json();
    };
    const registryCount = async () => {
      const list = await call(kz, s["kz-registry"], "GET", "/api/carriers?limit=200");
      return (list.json().items as unknown[]).length;
    };

    beforeAll(async () => {
      kz = await startApiNode(dialect, "KZ");
      for (const name of ["kz-registry", "kz-registry-2", "kz-user"]) s[name] = await login(kz, name);
      carriers.plain = await register("Справка для копирования", { contentText: "COPY-ME" });
      carriers.custody = await register("Справка для передачи другому органу");
      carriers.doomed = await register("Справка к уничтожению");
    });
    afterAll(async () => {
      await kz?.close();
    });

    it("A6.2: the carrier view offers its keeper the acts on an own held carrier, and nobody else", async () => {
      const keeper = await view(carriers.plain!);
      expect(keeper.actions.manage).toEqual(["copy", "translate", "derive", "custody", "destroy"]);
      const other = await call(kz, s["kz-user"], "GET", `/api/carriers/${carriers.plain}`);
      // Without need-to-know the cleared user learns nothing of it (A4.2).
      expect(other.statusCode).toBe(404);
    });

    it("A6.5, A6.1: a copy keeps the registration number and the marking, with the next copy number", async () => {
      const original = await view(carriers.plain!);
      const made = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.plain}/copy`, {});
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json().registrationNumber).toBe(original.carrier.registrationNumber);
      expect(made.json().copyNumber).toBe(2);
      const copy = await view(made.json().id);
      expect(copy.markings).toEqual(original.markings);
    });

    it("A6.5: a translation of electronic content without the translated content is refused and nothing is registered", async () => {
      const before = await registryCount();
      const refused = await call(
        kz,
        s["kz-registry"],
        "POST",
        `/api/carriers/${carriers.plain}/translate`,
        { language: "ru" },
        { "accept-language": "ru" },
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe("INPUT_INVALID");
      expect(await registryCount()).toBe(before);
      const made = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.plain}/translate`, {
        language: "ru",
        contentText: "СКОПИРУЙ МЕНЯ",
      });
      expect(made.statusCode, made.body).toBe(201);
      const translation = await view(made.json().id);
      expect(translation.carrier.title).toBe("Справка для копирования (ru)");
      expect(await registryCount()).toBe(before + 1);
    });

    it("A6.1: a derived carrier marked below its source is refused citing A6.1 (in the user's language); at the source's level it is registered", async () => {
      const before = await registryCount();
      const refused = await call(
        kz,
        s["kz-registry"],
        "POST",
        `/api/carriers/${kz.world.carriers[0]!.id}/derive`,
        { kind: "electronic-file", title: "Выписка", level: "secret" },
        { "accept-language": "hy" },
      );
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe("MARKING_BELOW_SOURCE");
      expect(refused.json().articles).toContain("A6.1");
      expect(refused.json().message).toMatch(/[\u0531-\u058F]/);
      expect(await registryCount()).toBe(before);
      const made = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.plain}/derive`, {
        kind: "electronic-file",
        title: "Выписка",
      });
      expect(made.statusCode, made.body).toBe(201);
      const derived = await view(made.json().id);
      expect(derived.carrier.levelId).toBe("secret");
      expect(derived.lineage.map((l: { relation: string }) => l.relation)).toEqual(["source:derivation"]);
    });

    it("A6.2, A1.11: custody passes to another body of this Party; its keeper is then that body's officer", async () => {
      const body2 = kz.world.organisations.body2;
      const moved = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.custody}/custody`, {
        to: body2.id,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      expect(moved.json().to).toBe(body2.name);
      const there = await view(carriers.custody!, "kz-registry-2");
      expect(there.carrier.custodianName).toBe(body2.name);
      expect(there.actions.manage).toContain("destroy");
      // The former keeper acts on it no more (the not-found answer, A4.2).
      const again = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.custody}/copy`, {});
      expect(again.statusCode).toBe(404);
    });

    it("A6.6: an own carrier is not returned (the other Party's information only); refused citing A6.6, nothing changes", async () => {
      const before = await view(carriers.doomed!);
      const refused = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.doomed}/return`, {
        channel: kz.ctx.pack.channels[0]!.id,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe("TRANSITION_FORBIDDEN");
      expect(refused.json().articles).toContain("A6.6");
      const after = await view(carriers.doomed!);
      expect(after.carrier.status).toBe(before.carrier.status);
    });

    it("A6.6: taking back in a carrier without a granted return permission is refused, nothing changes", async () => {
      const refused = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.doomed}/take-back`, {
        sealsIntact: true,
      });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe("TRANSITION_FORBIDDEN");
      expect(refused.json().articles.length).toBeGreaterThan(0);
      expect((await view(carriers.doomed!)).carrier.status).toBe("registered");
    });

    it("A1.8, A6.6: a cleared user may not destroy (ROLE_FORBIDDEN); the registry officer destroys it once", async () => {
      const refused = await call(kz, s["kz-user"], "POST", `/api/carriers/${carriers.doomed}/destroy`, {});
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe("ROLE_FORBIDDEN");
      expect((await view(carriers.doomed!)).carrier.status).toBe("registered");
      const done = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.doomed}/destroy`, {});
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().state).toBe("destroyed");
      const after = await view(carriers.doomed!);
      expect(after.carrier.status).toBe("destroyed");
      expect(after.actions.manage).toEqual([]);
      const twice = await call(kz, s["kz-registry"], "POST", `/api/carriers/${carriers.doomed}/destroy`, {});
      expect(twice.statusCode).toBe(409);
      expect(twice.json().code).toBe("TRANSITION_FORBIDDEN");
    });

    it("A4.2: need-to-know granted is withdrawn, the user reads no more; withdrawing it again is refused citing A4.2", async () => {
      const id = carriers.plain!;
      const user = kz.world.people["kz-user"]!;
      const granted = await call(kz, s["kz-registry"], "POST", `/api/carriers/${id}/need-to-know`, {
        persons: [user],
      });
      expect(granted.json()).toEqual({ granted: ["kz-user"], pending: [] });
      expect((await call(kz, s["kz-user"], "GET", `/api/carriers/${id}/content`)).statusCode).toBe(200);
      const offered = (await view(id)).actions.withdrawNeedToKnow as { id: string; name: string }[];
      expect(offered).toEqual([{ id: user, name: "Мәдина Омарова" }]);
      const withdrawn = await call(
        kz,
        s["kz-registry"],
        "POST",
        `/api/carriers/${id}/need-to-know/withdraw`,
        {
          persons: [user],
        },
      );
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toEqual({ withdrawn: ["kz-user"] });
      expect((await call(kz, s["kz-user"], "GET", `/api/carriers/${id}/content`)).statusCode).toBe(404);
      expect((await view(id)).actions.withdrawNeedToKnow).toEqual([]);
      const again = await call(
        kz,
        s["kz-registry"],
        "POST",
        `/api/carriers/${id}/need-to-know/withdraw`,
        { persons: [user] },
        { "accept-language": "kk" },
      );
      expect(again.statusCode).toBe(403);
      expect(again.json().code).toBe("NEED_TO_KNOW_NOT_GRANTED");
      expect(again.json().articles).toEqual(["A4.2"]);
      expect(again.json().message).toContain("Мәдина Омарова");
      const audited = await kz.ctx.db
        .selectFrom("audit_entries")
        .select(["outcome", "articles"])
        .where("event_type", "=", "carrier.need-to-know-withdrawn")
        .where("object", "=", `carrier:${id}`)
        .execute();
      expect(audited.map((a) => a.outcome)).toEqual(["done", "refused"]);
    });

    it("A4.2: a grant still waiting for a second officer is offered for withdrawal and withdrawn", async () => {
      const id = await register("Справка особой важности", { level: "top-secret" });
      const user = kz.world.people["kz-user"]!;
      const asked = await call(kz, s["kz-registry"], "POST", `/api/carriers/${id}/need-to-know`, {
        persons: [user],
      });
      expect(asked.json()).toEqual({ granted: [], pending: ["kz-user"] });
      expect((await view(id)).actions.withdrawNeedToKnow).toEqual([{ id: user, name: "Мәдина Омарова" }]);
      const withdrawn = await call(
        kz,
        s["kz-registry"],
        "POST",
        `/api/carriers/${id}/need-to-know/withdraw`,
        {
          persons: [user],
        },
      );
      expect(withdrawn.statusCode, withdrawn.body).toBe(200);
      expect(withdrawn.json()).toEqual({ withdrawn: ["kz-user"] });
      const after = await view(id);
      expect(after.actions.withdrawNeedToKnow).toEqual([]);
      // Nothing left to confirm: a second officer's grant would start a new pending one.
      const pending = await kz.ctx.db
        .selectFrom("node_settings")
        .select("name")
        .where("name", "like", `need-to-know-pending:${id}:%`)
        .execute();
      expect(pending).toEqual([]);
    });

    it("A4.2: a registry officer of another body cannot withdraw need-to-know (the not-found answer)", async () => {
      const refused = await call(
        kz,
        s["kz-registry-2"],
        "POST",
        `/api/carriers/${carriers.plain}/need-to-know/withdraw`,
        { persons: ["kz-user"] },
      );
      expect(refused.statusCode).toBe(404);
      expect(refused.json().code).toBe("CARRIER_NOT_FOUND");
    });
  });
}
