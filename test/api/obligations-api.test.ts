// A4.4 through the HTTP API (app.inject): a new person sees no carrier until they acknowledged their
// obligations — the registry is empty, a carrier they have need-to-know on is answered exactly like
// one that does not exist, the audit log keeps the real reason — then reads the text, acknowledges the
// version read, and sees the registry. The People page's list of who acknowledged when.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const EN = { "accept-language": "en" };

for (const dialect of DIALECTS) {
  describe(`A4.4: obligations before the first access, over HTTP [${dialect}]`, () => {
    let api: ApiNode;
    let newcomer: Session;
    let personId: string;
    let carrier: { id: string; registrationNumber: string };

    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
      const secret = api.world.carriers.find((c) => c.level === "secret");
      if (!secret) throw new Error("demo world without a secret carrier");
      carrier = secret;
      personId = (
        await registerPerson(api.ctx, {
          actor: "admin",
          organisation: api.world.organisations.body1.id,
          handle: "kz-newcomer",
          name: "Жаңа Қызметкер",
          roles: ["cleared-user"],
        })
      ).id;
      const year = new Date().getUTCFullYear();
      await grantPersonalClearance(api.ctx, {
        actor: "kz-authority",
        person: "kz-newcomer",
        level: "top-secret",
        validFrom: `${year - 1}-01-01`,
        validTo: `${year + 1}-12-31`,
      });
      await grantNeedToKnow(api.ctx, { actor: "kz-registry", carrier: carrier.id, persons: ["kz-newcomer"] });
      await api.auth.createAccount({ personId, username: "kz-newcomer", password: DEMO_PASSWORD });
      newcomer = await login(api, "kz-newcomer");
    });
    afterAll(async () => {
      await api?.close();
    });

    const lastRefusal = async () =>
      api.ctx.db
        .selectFrom("audit_entries")
        .select(["event_type", "actor", "object", "articles", "data"])
        .where("outcome", "=", "refused")
        .orderBy("idx", "desc")
        .executeTakeFirstOrThrow();

    it("answers the text and the standing only to a signed-in person", async () => {
      expect((await call(api, undefined, "GET", "/api/obligations")).statusCode).toBe(401);
      expect(
        (await call(api, undefined, "POST", "/api/obligations/acknowledge", { version: "KZ-2025-1" }))
          .statusCode,
      ).toBe(401);
    });

    it("before acknowledging: an empty registry, the carrier answered as a missing one, A4.4 in the log", async () => {
      const list = await call(api, newcomer, "GET", "/api/carriers");
      expect(list.statusCode, list.body).toBe(200);
      expect(list.json().items).toEqual([]);
      const shown = await call(api, newcomer, "GET", `/api/carriers/${carrier.id}`, undefined, EN);
      const recorded = await lastRefusal();
      const missing = await call(api, newcomer, "GET", "/api/carriers/KZ-0000-999999", undefined, EN);
      expect(shown.statusCode).toBe(404);
      expect(shown.json().code).toBe("CARRIER_NOT_FOUND");
      expect(shown.json()).toEqual({
        ...missing.json(),
        message: missing.json().message.replace("KZ-0000-999999", carrier.id),
      });
      expect(recorded).toMatchObject({
        event_type: "carrier.access-decided",
        actor: personId,
        object: `carrier:${carrier.id}`,
      });
      expect(recorded.articles).toContain("A4.4");
      expect(recorded.data).toContain("OBLIGATIONS_NOT_ACKNOWLEDGED");
    });

    it("shows the Party's text in the four languages, not yet acknowledged", async () => {
      const answer = await call(api, newcomer, "GET", "/api/obligations");
      expect(answer.statusCode, answer.body).toBe(200);
      expect(answer.headers["cache-control"]).toBe("no-store");
      const view = answer.json();
      expect(view).toMatchObject({
        party: "KZ",
        version: "KZ-2025-1",
        basis: "policy",
        defaultLanguage: "kk",
        required: true,
        acknowledged: null,
        previous: null,
      });
      expect(view.articles).toContain("A4.4");
      expect(view.title.ru).toBe("Обязательства лица, допущенного к секретным сведениям");
      expect(view.paragraphs.length).toBeGreaterThan(1);
    });

    it("refuses an acknowledgement without the anti-forgery token, or of another version (audited)", async () => {
      const forged = await api.app.inject({
        method: "POST",
        url: "/api/obligations/acknowledge",
        headers: { cookie: newcomer.cookie },
        payload: { version: "KZ-2025-1" },
      });
      expect(forged.statusCode).toBe(403);
      const stale = await call(
        api,
        newcomer,
        "POST",
        "/api/obligations/acknowledge",
        { version: "KZ-2024-9", language: "kk" },
        EN,
      );
      expect(stale.statusCode).toBe(403);
      expect(stale.json()).toMatchObject({ code: "OBLIGATIONS_VERSION_NOT_CURRENT", articles: ["A4.4"] });
      expect(await lastRefusal()).toMatchObject({
        event_type: "person.obligations-acknowledged",
        actor: personId,
      });
      const rows = await api.ctx.db
        .selectFrom("obligations_acknowledgements")
        .select("id")
        .where("person_id", "=", personId)
        .execute();
      expect(rows).toEqual([]);
    });

    it("records the acknowledgement in the language shown; then the registry shows the carrier", async () => {
      const done = await call(api, newcomer, "POST", "/api/obligations/acknowledge", {
        version: "KZ-2025-1",
        language: "ru",
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toMatchObject({ version: "KZ-2025-1", language: "ru", changed: true });
      const view = (await call(api, newcomer, "GET", "/api/obligations")).json();
      expect(view.acknowledged).toEqual({ at: done.json().acknowledgedAt, language: "ru" });
      const list = await call(api, newcomer, "GET", "/api/carriers");
      expect(list.json().items.map((c: { id: string }) => c.id)).toContain(carrier.id);
      const shown = await call(api, newcomer, "GET", `/api/carriers/${carrier.id}`);
      expect(shown.statusCode, shown.body).toBe(200);
    });

    it("tells the administrator who acknowledged when; refuses a cleared user", async () => {
      const admin = await login(api, "kz-admin");
      const answer = await call(api, admin, "GET", "/api/obligations/acknowledgements");
      expect(answer.statusCode, answer.body).toBe(200);
      const rows = answer.json() as { personId: string; acknowledged: { language: string } | null }[];
      expect(rows.find((r) => r.personId === personId)?.acknowledged?.language).toBe("ru");
      expect(rows.find((r) => r.personId === api.world.people["kz-user"])?.acknowledged).not.toBeNull();
      const user = await login(api, "kz-user");
      const refused = await call(api, user, "GET", "/api/obligations/acknowledgements");
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe("ROLE_FORBIDDEN");
    });
  });
}
