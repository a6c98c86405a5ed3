import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import {
  changeFacilityClearance,
  changePersonalClearance,
  deactivatePerson,
  removeRole,
} from "../../src/app/people/change-standing.ts";
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

for (const dialect of DIALECTS) {
  describe(`a person's and a body's standing (A1.11, A4.2) [${dialect}]`, () => {
    let node: TestNode;
    let carrier: string;
    const clock = withFixedClock();
    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      // alice is a participant of contract C-1: she reads its carriers.
      const registered = await registerCarrier(node.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Standing test",
        level: "secret",
        contract: "C-1",
        content: Buffer.from("radar notes"),
      });
      carrier = registered.id;
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    const reads = (actor: string) =>
      showCarrier(node.ctx, { actor, carrier, content: true }).then(
        () => true,
        (e: unknown) => {
          if (e instanceof DomainError) return false;
          throw e;
        },
      );

    it("A1.11, A4.2: a suspended personal clearance stops access at once; reinstated, access returns; withdrawn, it is gone", async () => {
      expect(await reads("alice")).toBe(true);
      const before = await auditSize(node.ctx);
      await changePersonalClearance(node.ctx, {
        actor: "ca",
        person: "alice",
        change: "suspend",
        reason: "inquiry",
      });
      expect(await reads("alice")).toBe(false);
      expect((await auditSince(node.ctx, before))[0]).toMatchObject({
        event: "person.clearance-suspended",
        outcome: "done",
        articles: ["A1.11", "A4.2"],
      });
      await changePersonalClearance(node.ctx, { actor: "ca", person: "alice", change: "reinstate" });
      expect(await reads("alice")).toBe(true);
      await changePersonalClearance(node.ctx, { actor: "ca", person: "alice", change: "withdraw" });
      expect(await reads("alice")).toBe(false);
      // A withdrawn clearance is not reinstated; a new one would be granted.
      expect(
        (
          await refusal(
            changePersonalClearance(node.ctx, { actor: "ca", person: "alice", change: "reinstate" }),
          )
        ).code,
      ).toBe("INPUT_INVALID");
      // Only the competent authority changes clearances; the refusal is audited.
      const at = await auditSize(node.ctx);
      expect(
        (
          await refusal(
            changePersonalClearance(node.ctx, { actor: "reg", person: "bob", change: "withdraw" }),
          )
        ).code,
      ).toBe("ROLE_FORBIDDEN");
      expect((await auditSince(node.ctx, at))[0]).toMatchObject({
        event: "person.clearance-withdrawn",
        outcome: "refused",
      });
    });

    it("A1.11: a suspended facility clearance stops every access in the body until reinstated", async () => {
      expect(await reads("reg")).toBe(true);
      await changeFacilityClearance(node.ctx, { actor: "ca", organisation: MOD, change: "suspend" });
      expect(await reads("reg")).toBe(false);
      await changeFacilityClearance(node.ctx, { actor: "ca", organisation: MOD, change: "reinstate" });
      expect(await reads("reg")).toBe(true);
    });

    it("A4.2: a removed role and a deactivated person no longer act", async () => {
      await listCarriers(node.ctx, { actor: "bob" });
      await removeRole(node.ctx, { actor: "admin", person: "bob", role: "cleared-user" });
      expect((await refusal(listCarriers(node.ctx, { actor: "bob" }))).code).toBe("ROLE_FORBIDDEN");
      await deactivatePerson(node.ctx, { actor: "admin", person: "carol", reason: "left the ministry" });
      expect((await refusal(showCarrier(node.ctx, { actor: "carol", carrier }))).code).toBe("AUTH_FAILED");
      expect((await refusal(deactivatePerson(node.ctx, { actor: "ca", person: "reg" }))).code).toBe(
        "ROLE_FORBIDDEN",
      );
    });
  });
}
