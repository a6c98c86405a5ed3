// A4.4: a person acknowledges their obligations under their state's law before their first access,
// and that is recorded. Through the real use cases on both databases: refused before (the carrier
// concealed, the audit entry naming the real reason), allowed after, audited both ways, and a new
// version of the text asked for again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { createAppContext } from "../../src/app/context.ts";
import {
  acknowledgeObligations,
  listObligationAcknowledgements,
  showObligations,
} from "../../src/app/people/acknowledge-obligations.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import type { AgreementPack } from "../../src/domain/agreement/pack-schema.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { auditSince, auditSize, MOD, seedRegistry } from "./registry-fixture.ts";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

/** The pack with a new version of the Kazakh obligations text (the text changed). */
function withNewVersion(pack: AgreementPack, version: string): AgreementPack {
  return {
    ...pack,
    parties: pack.parties.map((p) =>
      p.code === "KZ" ? { ...p, obligations: { ...p.obligations, version } } : p,
    ),
  };
}

for (const dialect of DIALECTS) {
  describe(`A4.4: obligations acknowledged before the first access [${dialect}]`, () => {
    let node: TestNode;
    let carrierId: string;
    let danId: string;
    const clock = withFixedClock("2026-06-01T09:00:00.000Z");
    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      // A new person, cleared and given need-to-know, who has not yet acknowledged anything.
      danId = (
        await registerPerson(node.ctx, {
          actor: "admin",
          organisation: MOD,
          handle: "dan",
          name: "Dan",
          roles: ["cleared-user"],
        })
      ).id;
      await grantPersonalClearance(node.ctx, {
        actor: "ca",
        person: "dan",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      const carrier = await registerCarrier(node.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "antenna test report",
        level: "secret",
        content: Buffer.from("the report"),
      });
      carrierId = carrier.id;
      await grantNeedToKnow(node.ctx, { actor: "reg", carrier: carrierId, persons: ["dan"] });
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("before the acknowledgement the person learns of no carrier; the audit entry names A4.4", async () => {
      const { ctx } = node;
      const listed = await listCarriers(ctx, { actor: "dan" });
      expect(listed.carriers).toEqual([]);
      const before = await auditSize(ctx);
      const error = await refusal(showCarrier(ctx, { actor: "dan", carrier: carrierId, content: true }));
      expect(error.code).toBe("CARRIER_NOT_FOUND");
      const [entry, ...more] = await auditSince(ctx, before);
      expect(more).toEqual([]);
      expect(entry).toMatchObject({
        event: "carrier.access-decided",
        outcome: "refused",
        actor: danId,
        object: `carrier:${carrierId}`,
      });
      expect(entry!.articles).toContain("A4.4");
      expect(JSON.stringify(entry!.data)).toContain("OBLIGATIONS_NOT_ACKNOWLEDGED");
      // The same person asking for a carrier that does not exist gets the same answer.
      const missing = await refusal(showCarrier(ctx, { actor: "dan", carrier: "KZ-no-such" }));
      expect(missing.code).toBe(error.code);
    });

    it("a registry officer who has not acknowledged holds no carrier: registering one is refused and audited", async () => {
      const { ctx } = node;
      await registerPerson(ctx, {
        actor: "admin",
        organisation: MOD,
        handle: "dave",
        name: "Dave",
        roles: ["registry-officer"],
      });
      await grantPersonalClearance(ctx, {
        actor: "ca",
        person: "dave",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      const before = await auditSize(ctx);
      const error = await refusal(
        registerCarrier(ctx, {
          actor: "dave",
          kind: "paper-document",
          title: "x",
          level: "secret",
          sheets: 1,
        }),
      );
      expect(error.code).toBe("OBLIGATIONS_NOT_ACKNOWLEDGED");
      expect(error.articles).toEqual(["A4.4"]);
      const entries = await auditSince(ctx, before);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([["carrier.registered", "refused"]]);
      const carriers = await ctx.db.selectFrom("carriers").select("id").where("title", "=", "x").execute();
      expect(carriers).toEqual([]);
    });

    it("shows the person their Party's current text, not yet acknowledged; audited", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const shown = await showObligations(ctx, { actor: "dan" });
      expect(shown).toMatchObject({
        party: "KZ",
        version: ctx.pack.parties[0]!.obligations.version,
        basis: "policy",
        required: true,
        acknowledged: null,
        previous: null,
      });
      expect(shown.paragraphs[0]!.kk).toContain("Қазақстан Республикасының");
      const entries = await auditSince(ctx, before);
      expect(entries.map((e) => [e.event, e.outcome, e.actor])).toEqual([
        ["person.obligations-shown", "allowed", danId],
      ]);
    });

    it("refuses to record a version other than the current one, audits the refusal, records nothing", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const error = await refusal(acknowledgeObligations(ctx, { actor: "dan", version: "KZ-2024-0" }));
      expect(error.code).toBe("OBLIGATIONS_VERSION_NOT_CURRENT");
      expect(error.message).toContain("KZ-2024-0");
      const entries = await auditSince(ctx, before);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([
        ["person.obligations-acknowledged", "refused"],
      ]);
      const rows = await ctx.db
        .selectFrom("obligations_acknowledgements")
        .selectAll()
        .where("person_id", "=", danId)
        .execute();
      expect(rows).toEqual([]);
      const badLanguage = await refusal(
        acknowledgeObligations(ctx, { actor: "dan", version: shownVersion(ctx.pack), language: "fr" }),
      );
      expect(badLanguage.code).toBe("INPUT_INVALID");
    });

    it("records the acknowledgement (person, version, language shown, instant); then the carrier is shown", async () => {
      const { ctx } = node;
      clock.set("2026-06-01T10:15:00.000Z");
      const before = await auditSize(ctx);
      const version = shownVersion(ctx.pack);
      const done = await acknowledgeObligations(ctx, { actor: "dan", version, language: "ru" });
      expect(done).toMatchObject({ version, language: "ru", changed: true });
      const entries = await auditSince(ctx, before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        event: "person.obligations-acknowledged",
        outcome: "done",
        actor: danId,
        articles: ["A4.4"],
        data: { version, language: "ru", party: "KZ", changed: true },
      });
      const rows = await ctx.db
        .selectFrom("obligations_acknowledgements")
        .select(["person_id", "party", "version", "language", "acknowledged_at"])
        .where("person_id", "=", danId)
        .execute();
      expect(rows).toEqual([
        {
          person_id: danId,
          party: "KZ",
          version,
          language: "ru",
          acknowledged_at: "2026-06-01T10:15:00.000Z",
        },
      ]);
      const shown = await showCarrier(ctx, { actor: "dan", carrier: carrierId, content: true });
      expect(shown.carrier.id).toBe(carrierId);
      expect((await listCarriers(ctx, { actor: "dan" })).carriers.map((c) => c.id)).toContain(carrierId);
      expect((await showObligations(ctx, { actor: "dan" })).acknowledged).toEqual({
        at: "2026-06-01T10:15:00.000Z",
        language: "ru",
      });
    });

    it("acknowledging the same version again changes nothing", async () => {
      const { ctx } = node;
      clock.set("2026-06-02T08:00:00.000Z");
      const again = await acknowledgeObligations(ctx, { actor: "dan", version: shownVersion(ctx.pack) });
      expect(again).toMatchObject({
        changed: false,
        language: "ru",
        acknowledgedAt: "2026-06-01T10:15:00.000Z",
      });
      const rows = await ctx.db
        .selectFrom("obligations_acknowledgements")
        .select("id")
        .where("person_id", "=", danId)
        .execute();
      expect(rows).toHaveLength(1);
    });

    it("a new version of the text must be acknowledged again before any access", async () => {
      const changed = createAppContext(node.node, withNewVersion(node.ctx.pack, "KZ-2026-2"), {
        now: clock.now,
      });
      const error = await refusal(showCarrier(changed, { actor: "dan", carrier: carrierId }));
      expect(error.code).toBe("CARRIER_NOT_FOUND");
      expect((await listCarriers(changed, { actor: "dan" })).carriers).toEqual([]);
      const shown = await showObligations(changed, { actor: "dan" });
      expect(shown).toMatchObject({
        version: "KZ-2026-2",
        acknowledged: null,
        previous: { version: shownVersion(node.ctx.pack), at: "2026-06-01T10:15:00.000Z" },
      });
      await acknowledgeObligations(changed, { actor: "dan", version: "KZ-2026-2", language: "kk" });
      expect((await showCarrier(changed, { actor: "dan", carrier: carrierId })).carrier.id).toBe(carrierId);
    });

    it("tells the administrator who acknowledged the current text and when; refuses others", async () => {
      const { ctx } = node;
      const standing = await listObligationAcknowledgements(ctx, { actor: "admin" });
      const byHandle = new Map(standing.map((s) => [s.handle, s]));
      expect(byHandle.get("dan")).toMatchObject({
        current: shownVersion(ctx.pack),
        acknowledged: { at: "2026-06-01T10:15:00.000Z", language: "ru" },
        lastVersion: "KZ-2026-2",
      });
      expect(byHandle.get("dave")).toMatchObject({ acknowledged: null, lastVersion: null });
      expect(byHandle.get("alice")?.acknowledged).not.toBeNull();
      const error = await refusal(listObligationAcknowledgements(ctx, { actor: "alice" }));
      expect(error.code).toBe("ROLE_FORBIDDEN");
    });
  });
}

function shownVersion(pack: AgreementPack): string {
  return pack.parties.find((p) => p.code === "KZ")!.obligations.version;
}
