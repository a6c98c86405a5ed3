// The same two-node flow with Armenia's node on PostgreSQL (DATABASE_URL) and Kazakhstan's on its
// SQLite file: the exchange, the flows and the inbox's idempotence hold on both databases.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { copyCarrier } from "../../src/app/carriers/copy-carrier.ts";
import { createTestPostgresSchema, makeTempDir } from "../support/databases.ts";
import { grantedConsent, transferNewCarrier, verifyNodeAudit } from "./support/flow-steps.ts";
import {
  type NodeHandle,
  randomContent,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
} from "./support/two-nodes.ts";

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;
let dropSchema: () => Promise<void>;

beforeAll(async () => {
  base = makeTempDir("kelisim-pg-");
  const schema = await createTestPostgresSchema();
  dropSchema = schema.drop;
  ({ kz, am } = await setupTwoNodes(base, { am: schema.url }));
  kzServe = await startNode(kz);
  amServe = await startNode(am);
});

afterAll(async () => {
  await stopNode(kzServe);
  await stopNode(amServe);
  kz?.ctx.exchange.close();
  am?.ctx.exchange.close();
  await kz?.node.close();
  await am?.node.close();
  await dropSchema?.();
  rmSync(base, { recursive: true, force: true });
});

describe("A5 and A6 with the receiving node on PostgreSQL", () => {
  it("A5.6, A6.1, A6.5: the carrier is registered on PostgreSQL with both markings; a copy with consent", async () => {
    expect(am.node.dialect).toBe("postgres");
    const got = await transferNewCarrier(kz, am, {
      title: "On PostgreSQL",
      level: "top-secret",
      content: randomContent(50_000),
    });
    const row = await am.node.db
      .selectFrom("carriers")
      .selectAll()
      .where("id", "=", got.amCarrierId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ marking: "Өте құпия", national_marking: "Հույժ գաղտնի", state: "received" });
    await grantedConsent(kz, am, {
      carrier: got.amCarrierId,
      action: "copy",
      reason: "archive",
    });
    const copy = await copyCarrier(am.ctx, { actor: "amreg", carrier: got.amCarrierId });
    expect(copy).toMatchObject({ registration_number: got.amRegistration, copy_number: 2 });
    expect(await verifyNodeAudit(am)).toMatchObject({ ok: true });
    expect(await verifyNodeAudit(kz)).toMatchObject({ ok: true });
  });
});
