import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { readAuditHead, verifyAuditLog } from "../../src/audit/log.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { seedRegistry } from "./registry-fixture.ts";

for (const dialect of DIALECTS) {
  describe(`concurrent registrations [${dialect}]`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await createTestNode(dialect);
      await seedRegistry(node.ctx);
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("A6.2: gives every concurrently registered carrier its own number and registry sequence, each with its audit entry", async () => {
      const { ctx } = node;
      const before = (await readAuditHead(ctx.db)).size;
      const rows = await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          registerCarrier(ctx, { actor: "reg", kind: "other-object", title: `Object ${i}`, level: "secret" }),
        ),
      );
      expect(new Set(rows.map((r) => r.registration_number)).size).toBe(24);
      expect(new Set(rows.map((r) => r.seq)).size).toBe(24);
      expect((await readAuditHead(ctx.db)).size).toBe(before + 24);
      const verification = await verifyAuditLog(ctx.db, { verifiers: [] });
      expect(verification.ok).toBe(true);
    });
  });
}
