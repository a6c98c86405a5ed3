import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeCustody } from "../../src/app/carriers/change-custody.ts";
import { copyCarrier, translateCarrier } from "../../src/app/carriers/copy-carrier.ts";
import { deriveCarrier } from "../../src/app/carriers/derive-carrier.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { confirmNeedToKnow, grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { activateContract } from "../../src/app/contracts/activate-contract.ts";
import { createContract } from "../../src/app/contracts/create-contract.ts";
import { registerOrganisation } from "../../src/app/organisations/register-organisation.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { auditSince, auditSize, INSTITUTE, seedRegistry } from "./registry-fixture.ts";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function readText(shown: Awaited<ReturnType<typeof showCarrier>>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of shown.content!.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

for (const dialect of DIALECTS) {
  describe(`registry use cases [${dialect}]`, () => {
    let node: TestNode;
    const clock = withFixedClock();
    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("A7.1: refuses to activate a contract while a mandatory clause is missing, and audits the refusal", async () => {
      const { ctx } = node;
      await createContract(ctx, { actor: "reg", number: "C-2", title: "Draft", counterpartName: "AM body" });
      const before = await auditSize(ctx);
      const error = await refusal(activateContract(ctx, { actor: "reg", contract: "C-2" }));
      expect(error.code).toBe("CONTRACT_CLAUSES_MISSING");
      expect(error.articles).toContain("A7.1");
      const entries = await auditSince(ctx, before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        event: "contract.activated",
        outcome: "refused",
        articles: ["A7.1"],
      });
      const contract = await ctx.db
        .selectFrom("contracts")
        .select("state")
        .where("number", "=", "C-2")
        .executeTakeFirst();
      expect(contract?.state).toBe("draft");
    });

    it("A6.2: registers a carrier with the node's number, copy number and national marking, state and audit together", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const row = await registerCarrier(ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Radar specification",
        level: "top-secret",
        contract: "C-1",
        content: Buffer.from("radar content"),
      });
      expect(row.registration_number).toMatch(/^KZ-2026-\d{6}$/);
      expect(row.copy_number).toBe(1);
      expect(row.marking).toBe("Өте құпия");
      expect(row.has_content).toBe(1);
      expect(row.size_bytes).toBe("radar content".length);
      const entries = await auditSince(ctx, before);
      expect(entries.map((e) => [e.event, e.outcome, e.object])).toEqual([
        ["carrier.registered", "done", `carrier:${row.id}`],
      ]);
    });

    it("registers nothing and audits nothing when a step fails half-way", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const count = async () =>
        Number(
          (
            await ctx.db
              .selectFrom("carriers")
              .select((eb) => eb.fn.countAll<number>().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const carriers = await count();
      // The carrier row is written before the grant to a person of another body is refused.
      const error = await refusal(
        registerCarrier(ctx, {
          actor: "reg",
          kind: "other-object",
          title: "Half",
          level: "secret",
          grant: ["ivan"],
        }),
      );
      expect(error.code).toBe("INPUT_INVALID");
      expect(await count()).toBe(carriers);
      expect(await auditSize(ctx)).toBe(before);
    });

    it("A4.2: a refused registry officer's role is audited as refused", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const error = await refusal(
        registerCarrier(ctx, { actor: "alice", kind: "other-object", title: "X", level: "secret" }),
      );
      expect(error.code).toBe("ROLE_FORBIDDEN");
      const [entry] = await auditSince(ctx, before);
      expect(entry).toMatchObject({ event: "carrier.registered", outcome: "refused" });
    });

    it("A4.2: reads content only through the access decision, and audits the allowed read", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const shown = await showCarrier(ctx, { actor: "alice", carrier: "KZ-2026-000001", content: true });
      expect(await readText(shown)).toBe("radar content");
      expect(shown.articles).toContain("A4.2");
      const [entry] = await auditSince(ctx, before);
      expect(entry).toMatchObject({ event: "carrier.access-decided", outcome: "allowed" });
    });

    it("A4.2: a user without access gets exactly the answer for a carrier that does not exist; the audit keeps why", async () => {
      const { ctx } = node;
      const missing = await refusal(showCarrier(ctx, { actor: "bob", carrier: "KZ-2026-999999" }));
      for (const [who, failure] of [
        ["bob", "ACCESS_NO_NEED_TO_KNOW"],
        ["carol", "ACCESS_CLEARANCE_TOO_LOW"],
        ["ivan", "ACCESS_FACILITY_CLEARANCE_MISSING"],
      ] as const) {
        const before = await auditSize(ctx);
        const refused = await refusal(showCarrier(ctx, { actor: who, carrier: "KZ-2026-999999" }));
        const denied = await refusal(showCarrier(ctx, { actor: who, carrier: "KZ-2026-000001" }));
        expect(refused.code).toBe("CARRIER_NOT_FOUND");
        expect(JSON.stringify(denied.toJSON()).replace("000001", "999999")).toBe(
          JSON.stringify(refused.toJSON()),
        );
        expect(JSON.stringify(missing.toJSON()).replace("bob", who)).toBe(JSON.stringify(refused.toJSON()));
        const entries = await auditSince(ctx, before);
        expect(entries).toHaveLength(2);
        expect(entries[1]).toMatchObject({ event: "carrier.access-decided", outcome: "refused" });
        expect(JSON.stringify(entries[1]!.data)).toContain(failure);
        expect(entries[1]!.object).toMatch(/^carrier:/);
      }
    });

    it("A4.2: an expired clearance no longer gives access", async () => {
      const { ctx } = node;
      clock.set("2031-01-02T09:00:00.000Z");
      try {
        const denied = await refusal(showCarrier(ctx, { actor: "alice", carrier: "KZ-2026-000001" }));
        expect(denied.code).toBe("CARRIER_NOT_FOUND");
      } finally {
        clock.set("2026-06-01T09:00:00.000Z");
      }
    });

    it("A4.2: need-to-know granted on the carrier opens it to that person (at top secret once a second registry officer confirms it)", async () => {
      const { ctx } = node;
      await registerAcknowledgedPerson(ctx, {
        actor: "admin",
        organisation: "Ministry of Defence",
        handle: "reg2",
        name: "reg2",
        roles: ["registry-officer"],
      });
      await grantPersonalClearance(ctx, {
        actor: "ca",
        person: "reg2",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      const asked = await grantNeedToKnow(ctx, { actor: "reg", carrier: "KZ-2026-000001", persons: ["bob"] });
      expect(asked.pending).toEqual(["bob"]);
      expect((await refusal(showCarrier(ctx, { actor: "bob", carrier: "KZ-2026-000001" }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
      await confirmNeedToKnow(ctx, { actor: "reg2", carrier: "KZ-2026-000001", persons: ["bob"] });
      const shown = await showCarrier(ctx, { actor: "bob", carrier: "KZ-2026-000001" });
      expect(shown.carrier.registration_number).toBe("KZ-2026-000001");
    });

    it("A6.1, A6.5: a copy keeps the number and marking, takes the next copy number, and its own key", async () => {
      const { ctx } = node;
      const copy = await copyCarrier(ctx, { actor: "reg", carrier: "KZ-2026-000001" });
      expect(copy.registration_number).toBe("KZ-2026-000001");
      expect(copy.copy_number).toBe(2);
      expect(copy.marking).toBe("Өте құпия");
      expect(copy.level).toBe("top-secret");
      const keys = await ctx.db.selectFrom("content_keys").select(["carrier_id", "wrapped_key"]).execute();
      const original = keys.find((k) => k.carrier_id !== copy.id && k.carrier_id === keys[0]!.carrier_id);
      const own = keys.find((k) => k.carrier_id === copy.id);
      expect(own).toBeDefined();
      expect(Buffer.from(own!.wrapped_key).equals(Buffer.from(original!.wrapped_key))).toBe(false);
      const shown = await showCarrier(ctx, { actor: "alice", carrier: "KZ-2026-000001/2", content: true });
      expect(await readText(shown)).toBe("radar content");
    });

    it("A6.1: a translation carries the original's marking under a new number", async () => {
      const { ctx } = node;
      const translation = await translateCarrier(ctx, {
        actor: "reg",
        carrier: "KZ-2026-000001",
        language: "ru",
        content: Buffer.from("перевод"),
      });
      expect(translation.registration_number).not.toBe("KZ-2026-000001");
      expect(translation.marking).toBe("Өте құпия");
      expect(translation.level).toBe("top-secret");
    });

    it("A6.1: derived information is marked no lower than its highest source", async () => {
      const { ctx } = node;
      await registerCarrier(ctx, {
        actor: "reg",
        kind: "paper-document",
        sheets: 2,
        title: "Memo",
        level: "secret",
        contract: "C-1",
      });
      const low = await refusal(
        deriveCarrier(ctx, {
          actor: "reg",
          sources: ["KZ-2026-000001", "KZ-2026-000003"],
          kind: "paper-document",
          sheets: 1,
          title: "Summary",
          level: "secret",
        }),
      );
      expect(low.code).toBe("MARKING_BELOW_SOURCE");
      expect(low.articles).toContain("A6.1");
      const derived = await deriveCarrier(ctx, {
        actor: "reg",
        sources: ["KZ-2026-000001", "KZ-2026-000003"],
        kind: "paper-document",
        sheets: 1,
        title: "Summary",
      });
      expect(derived.level).toBe("top-secret");
      expect(derived.marking).toBe("Өте құпия");
      const sources = await ctx.db
        .selectFrom("carrier_sources")
        .selectAll()
        .where("carrier_id", "=", derived.id)
        .execute();
      expect(sources).toHaveLength(2);
    });

    it("A1.11: custody passes only to a body with a sufficient, valid facility clearance", async () => {
      const { ctx } = node;
      const error = await refusal(
        changeCustody(ctx, { actor: "reg", carrier: "KZ-2026-000003", to: INSTITUTE }),
      );
      expect(error.code).toBe("ACCESS_FACILITY_CLEARANCE_MISSING");
      await registerOrganisation(ctx, { actor: "admin", name: "Navy" });
      const { grantFacilityClearance } = await import(
        "../../src/app/organisations/grant-facility-clearance.ts"
      );
      await grantFacilityClearance(ctx, {
        actor: "ca",
        organisation: "Navy",
        level: "secret",
        validFrom: "2026-01-01",
        validTo: "2027-01-01",
      });
      const tooLow = await refusal(
        changeCustody(ctx, { actor: "reg", carrier: "KZ-2026-000001", to: "Navy" }),
      );
      expect(tooLow.code).toBe("ACCESS_FACILITY_CLEARANCE_TOO_LOW");
      const moved = await changeCustody(ctx, { actor: "reg", carrier: "KZ-2026-000003", to: "Navy" });
      expect(moved.to).toBe("Navy");
      // Out of the body's custody, the body's people no longer see it (A4.2).
      expect((await refusal(showCarrier(ctx, { actor: "alice", carrier: "KZ-2026-000003" }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
    });

    it("lists the registry newest first in keyset pages, with filters, and only readable carriers for a cleared user", async () => {
      const { ctx } = node;
      await registerCarrier(ctx, {
        actor: "reg",
        kind: "removable-media",
        sizeBytes: 4096,
        title: "Radar tape",
        level: "secret",
        contract: "C-1",
      });
      const all = await listCarriers(ctx, { actor: "ca", limit: 500 });
      const seqs = all.carriers.map((c) => c.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      const first = await listCarriers(ctx, { actor: "ca", limit: 2 });
      const second = await listCarriers(ctx, { actor: "ca", limit: 2, after: first.next! });
      expect([...first.carriers, ...second.carriers].map((c) => c.seq)).toEqual(seqs.slice(0, 4));
      const secret = await listCarriers(ctx, { actor: "reg", level: "secret" });
      expect(secret.carriers.every((c) => c.level === "secret")).toBe(true);
      const words = await listCarriers(ctx, { actor: "reg", words: "RADAR specification" });
      expect(words.carriers.length).toBeGreaterThan(0);
      expect(words.carriers.every((c) => /radar specification/i.test(c.title))).toBe(true);
      const carol = await listCarriers(ctx, { actor: "carol" });
      expect(carol.carriers.length).toBeGreaterThan(0);
      expect(carol.carriers.every((c) => c.level === "secret")).toBe(true);
      const ivan = await listCarriers(ctx, { actor: "ivan" });
      expect(ivan.carriers).toEqual([]);
    });

    it("A1.8, A6.6: destroys a carrier: its key is erased, it can no longer be read, the record stays", async () => {
      const { ctx } = node;
      const before = await auditSize(ctx);
      const target = await ctx.db
        .selectFrom("carriers")
        .select("id")
        .where("registration_number", "=", "KZ-2026-000001")
        .where("copy_number", "=", 2)
        .executeTakeFirstOrThrow();
      const flows = createFlowContext(ctx);
      const result = await destroyCarrier(flows, { actor: "reg", carrier: "KZ-2026-000001/2" }).finally(() =>
        flows.exchange.close(),
      );
      expect(result.contentErased).toBe(true);
      expect(result.articles).toEqual(expect.arrayContaining(["A6.6", "A1.8"]));
      expect(
        await ctx.db
          .selectFrom("content_keys")
          .select("carrier_id")
          .where("carrier_id", "=", target.id)
          .execute(),
      ).toEqual([]);
      const row = await ctx.db
        .selectFrom("carriers")
        .select(["state", "has_content"])
        .where("id", "=", target.id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ state: "destroyed", has_content: 0 });
      // alice had need-to-know: she still learns where it went (its record), never its content.
      const unreadable = await refusal(
        showCarrier(ctx, { actor: "alice", carrier: "KZ-2026-000001/2", content: true }),
      );
      expect(unreadable.code).toBe("ACCESS_DENIED");
      expect(JSON.stringify(unreadable.details)).toContain("ACCESS_CARRIER_DESTROYED");
      const flowsAgain = createFlowContext(ctx);
      const again = await refusal(
        destroyCarrier(flowsAgain, { actor: "reg", carrier: "KZ-2026-000001/2" }).finally(() =>
          flowsAgain.exchange.close(),
        ),
      );
      expect(again.code).toBe("TRANSITION_FORBIDDEN");
      const entries = await auditSince(ctx, before);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([
        ["carrier.destroyed", "done"],
        ["carrier.access-decided", "refused"],
        ["carrier.destroyed", "refused"],
      ]);
    });
  });
}
