import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditRowsToCsv, exportAudit, searchAudit } from "../../src/app/audit/search-audit.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { readAuditEntries } from "../../src/audit/log.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { auditSince, auditSize, MOD, seedRegistry } from "./registry-fixture.ts";

for (const dialect of DIALECTS) {
  describe(`audit search [${dialect}]`, () => {
    let node: TestNode;
    const clock = withFixedClock("2026-06-01T09:00:00.000Z");
    let topSecret: { id: string; registration_number: string };
    let secret: { id: string; registration_number: string };
    let bobId: string;

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      const { ctx } = node;
      await seedRegistry(ctx);
      // Two auditors of the Ministry: `aud` cleared top secret, `aud2` only secret (A4.2: the
      // overseer sees records only up to their valid clearance).
      for (const [handle, level] of [
        ["aud", "top-secret"],
        ["aud2", "secret"],
      ] as const) {
        await registerAcknowledgedPerson(ctx, {
          actor: "admin",
          organisation: MOD,
          handle,
          name: `Auditor ${handle}`,
          roles: ["auditor"],
        });
        await grantPersonalClearance(ctx, {
          actor: "ca",
          person: handle,
          level,
          validFrom: "2026-01-01",
          validTo: "2030-12-31",
        });
      }
      clock.set("2026-06-02T10:00:00.000Z");
      topSecret = await registerCarrier(ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Radar specification",
        level: "top-secret",
        contract: "C-1",
        content: Buffer.from("radar"),
      });
      clock.set("2026-06-03T10:00:00.000Z");
      secret = await registerCarrier(ctx, {
        actor: "reg",
        kind: "other-object",
        title: "Antenna drawing",
        level: "secret",
      });
      // bob has no need-to-know: a refused access decision on the top-secret carrier (A4.2).
      await expect(showCarrier(ctx, { actor: "bob", carrier: topSecret.id })).rejects.toBeInstanceOf(
        DomainError,
      );
      const bob = await node.node.db
        .selectFrom("people")
        .select("id")
        .where("handle", "=", "bob")
        .executeTakeFirstOrThrow();
      bobId = bob.id;
      clock.set("2026-06-04T10:00:00.000Z");
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("names carriers by number and people by name, and combines event prefix, outcome, person and time", async () => {
      const { ctx } = node;
      const registered = await searchAudit(ctx, { actor: "aud", filters: { event: "carrier.registered" } });
      const names = registered.items.map((r) => r.objectName);
      expect(names).toContain(topSecret.registration_number);
      expect(names).toContain(secret.registration_number);
      const row = registered.items.find((r) => r.object === `carrier:${topSecret.id}`)!;
      expect(row.carrierId).toBe(topSecret.id);
      expect(row.actor).toBe("reg");
      expect(row.objectType).toBe("carrier");

      const refused = await searchAudit(ctx, {
        actor: "aud",
        filters: { event: "carrier.", outcome: "refused", person: "bob" },
      });
      expect(refused.items).toHaveLength(1);
      expect(refused.items[0]).toMatchObject({
        actorId: bobId,
        outcome: "refused",
        object: `carrier:${topSecret.id}`,
        objectName: topSecret.registration_number,
      });
      // The same person by id finds the same entry; another outcome finds none of bob's.
      const byId = await searchAudit(ctx, { actor: "aud", filters: { person: bobId, outcome: "refused" } });
      expect(byId.items.map((r) => r.index)).toEqual(refused.items.map((r) => r.index));
      const allowed = await searchAudit(ctx, {
        actor: "aud",
        filters: { event: "carrier.", outcome: "allowed", person: "bob" },
      });
      expect(allowed.items).toHaveLength(0);

      // Time range: only the second carrier was registered on 3 June.
      const onThird = await searchAudit(ctx, {
        actor: "aud",
        filters: { event: "carrier.registered", from: "2026-06-03T00:00:00Z", to: "2026-06-04T00:00:00Z" },
      });
      expect(onThird.items.map((r) => r.object)).toEqual([`carrier:${secret.id}`]);
      // Registration number and object both narrow to that carrier.
      const byNumber = await searchAudit(ctx, {
        actor: "aud",
        filters: { number: secret.registration_number },
      });
      expect(byNumber.items.length).toBeGreaterThan(0);
      expect(new Set(byNumber.items.map((r) => r.object))).toEqual(new Set([`carrier:${secret.id}`]));
      const both = await searchAudit(ctx, {
        actor: "aud",
        filters: { number: secret.registration_number, object: `carrier:${topSecret.id}` },
      });
      expect(both.items).toHaveLength(0);
    });

    it("does not resolve a carrier the reader may not learn of, and its number finds nothing", async () => {
      const { ctx } = node;
      const hidden = await searchAudit(ctx, {
        actor: "aud2",
        filters: { number: topSecret.registration_number },
      });
      expect(hidden).toEqual({ items: [], nextCursor: null });
      // …exactly as for a number that does not exist.
      const none = await searchAudit(ctx, { actor: "aud2", filters: { number: "KZ-2026-999999" } });
      expect(none).toEqual(hidden);
      const rows = await searchAudit(ctx, { actor: "aud2", filters: { event: "carrier.registered" } });
      const ts = rows.items.find((r) => r.object === `carrier:${topSecret.id}`)!;
      expect(ts.objectName).toBe(`carrier:${topSecret.id}`);
      expect(ts.carrierId).toBeNull();
      const s = rows.items.find((r) => r.object === `carrier:${secret.id}`)!;
      expect(s.objectName).toBe(secret.registration_number);
      // The competent-authority officer holds no personal clearance: no carrier is named for them.
      const ca = await searchAudit(ctx, { actor: "ca", filters: { number: secret.registration_number } });
      expect(ca.items).toHaveLength(0);
    });

    it("records exactly one entry per search, with its filters, and refuses a reader without the role", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      await searchAudit(ctx, { actor: "aud", filters: { event: "carrier.", outcome: "refused" }, limit: 5 });
      const entries = await auditSince(ctx, before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        event: "audit.searched",
        outcome: "allowed",
        data: { filters: { event: "carrier.", outcome: "refused" } },
      });

      const size = await auditSize(ctx);
      await expect(searchAudit(ctx, { actor: "bob" })).rejects.toMatchObject({ code: "ROLE_FORBIDDEN" });
      const refusal = await auditSince(ctx, size);
      expect(refusal).toHaveLength(1);
      expect(refusal[0]).toMatchObject({ event: "audit.searched", outcome: "refused" });

      await expect(searchAudit(ctx, { actor: "aud", filters: { outcome: "maybe" } })).rejects.toMatchObject({
        code: "INPUT_INVALID",
      });
      await expect(searchAudit(ctx, { actor: "aud", limit: 201 })).rejects.toMatchObject({
        code: "INPUT_INVALID",
      });
    });

    it("pages newest first without gaps or repeats while entries are appended", async () => {
      const { ctx } = node;
      const first = await searchAudit(ctx, { actor: "aud", filters: { event: "carrier." }, limit: 2 });
      const top = first.items[0]!.index;
      const seen = [...first.items.map((r) => r.index)];
      let cursor = first.nextCursor;
      while (cursor !== null) {
        // A new carrier between pages appends newer carrier.* entries (and each search its own).
        await registerCarrier(ctx, {
          actor: "reg",
          kind: "other-object",
          title: "Appended",
          level: "secret",
        });
        const page = await searchAudit(ctx, {
          actor: "aud",
          filters: { event: "carrier." },
          limit: 2,
          cursor,
        });
        seen.push(...page.items.map((r) => r.index));
        cursor = page.nextCursor;
      }
      const all = await readAuditEntries(ctx.db, 0, top + 1);
      const expected = all
        .filter((e) => e.event.startsWith("carrier."))
        .map((e) => e.index)
        .reverse();
      expect(seen).toEqual(expected);
    });

    it("exports the same rows as the search, recorded as one export", async () => {
      const { ctx } = node;
      const filters = {
        event: "carrier.registered",
        from: "2026-06-02T00:00:00Z",
        to: "2026-06-04T00:00:00Z",
      };
      const page = await searchAudit(ctx, { actor: "aud", filters });
      const before = await auditSize(ctx);
      const file = await exportAudit(ctx, { actor: "aud", format: "csv", filters });
      expect(file.items).toEqual(page.items);
      const entries = await auditSince(ctx, before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ event: "audit.exported", data: { format: "csv", shown: 2 } });
      const csv = auditRowsToCsv(file.items).split("\r\n");
      expect(csv[0]).toBe("index,at,actorId,actor,organisation,event,outcome,object,objectName,articles");
      expect(csv).toHaveLength(4); // header, two rows, final empty line
      expect(csv[1]).toContain(secret.registration_number);
    });
  });
}
