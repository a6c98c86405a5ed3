// Crash safety of the exchange: the receiving node is killed with SIGKILL at random moments, 20
// times, while 200 carriers are being delivered to it. Afterwards every carrier is registered
// exactly once, every receipt names a registered carrier, and both audit logs verify.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  requestCarrierTransfer,
} from "../../src/app/transfer/transfer-flow.ts";
import { makeTempDir } from "../support/databases.ts";
import { verifyNodeAudit } from "./support/flow-steps.ts";
import {
  type NodeHandle,
  randomContent,
  registerOwnCarrier,
  reopen,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const PACKAGES = 200;
const KILLS = 20;

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

beforeAll(async () => {
  base = makeTempDir("kelisim-kill-");
  ({ kz, am } = await setupTwoNodes(base));
  kzServe = await startNode(kz, { retryMaxMs: 500 });
  amServe = await startNode(am, { retryMaxMs: 500 });
}, 180_000);

afterAll(async () => {
  await stopNode(kzServe);
  await stopNode(amServe);
  kz?.ctx.exchange.close();
  am?.ctx.exchange.close();
  await kz?.node.close();
  await am?.node.close();
  rmSync(base, { recursive: true, force: true });
});

const countWhere = async (h: NodeHandle, direction: string, state: string) =>
  Number(
    (
      await h.node.db
        .selectFrom("transfers")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("direction", "=", direction)
        .where("state", "=", state)
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("the receiving node killed while 200 carriers are delivered (and the sender once)", () => {
  it(`A5.6: after ${KILLS} kill -9 of the receiver, each of ${PACKAGES} carriers is registered exactly once and every receipt names a registered carrier`, async () => {
    const ids: string[] = [];
    for (let i = 0; i < PACKAGES; i++) {
      const c = await registerOwnCarrier(kz, {
        title: `Package ${i}`,
        level: "secret",
        content: randomContent(2048),
        contract: "KZ-AM/2026/1",
      });
      const { transferId } = await requestCarrierTransfer(kz.ctx, {
        actor: "kzreg",
        carrier: c.registrationNumber,
        to: am.bodyName,
      });
      await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
      ids.push(transferId);
    }
    await waitFor(
      async () => (await countWhere(am, "in", "clearance-asked")) === PACKAGES,
      "200 confirmation requests",
      180_000,
    );
    for (const id of ids) await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: id });
    await waitFor(
      async () => (await countWhere(kz, "out", "confirmed")) === PACKAGES,
      "200 confirmations",
      180_000,
    );
    for (const id of ids)
      await dispatchTransfer(kz.ctx, { actor: "kzreg", transfer: id, channel: "agreed-electronic" });

    // Kill the receiver at random moments while the parcels and receipts are in flight.
    let killsDuringDelivery = 0;
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 100 + Math.floor(Math.random() * 600)));
      if ((await countWhere(kz, "out", "acknowledged")) < PACKAGES) killsDuringDelivery++;
      await stopNode(amServe, "SIGKILL");
      amServe = await startNode(am, { retryMaxMs: 500 });
      // Once, half-way, the sending node is killed too: its outbox survives on disk.
      if (k === KILLS / 2) {
        await stopNode(kzServe, "SIGKILL");
        kzServe = await startNode(kz, { retryMaxMs: 500 });
      }
    }
    await waitFor(
      async () => (await countWhere(kz, "out", "acknowledged")) === PACKAGES,
      "all 200 receipts",
      240_000,
    );
    // The kills must have hit the delivery, not an idle exchange.
    expect(killsDuringDelivery).toBeGreaterThanOrEqual(KILLS / 2);

    await reopen(am);
    await reopen(kz);
    const received = await am.node.db.selectFrom("received_carriers").selectAll().execute();
    expect(received).toHaveLength(PACKAGES);
    expect(new Set(received.map((r) => r.transfer_id))).toEqual(new Set(ids));
    expect(new Set(received.map((r) => r.origin_registration_number)).size).toBe(PACKAGES);
    const fromKz = await am.node.db
      .selectFrom("carriers")
      .selectAll()
      .where("originator_party", "=", "KZ")
      .execute();
    expect(fromKz).toHaveLength(PACKAGES);
    const inbox = await am.node.db
      .selectFrom("exchange_inbox")
      .select("id")
      .where("kind", "=", "carrier-transfer")
      .execute();
    expect(inbox).toHaveLength(PACKAGES);

    const registered = new Map(fromKz.map((c) => [`${c.registration_number}#${c.copy_number}`, c]));
    const transfers = await kz.node.db
      .selectFrom("transfers")
      .selectAll()
      .where("direction", "=", "out")
      .execute();
    for (const t of transfers) {
      const receipt = JSON.parse(t.receipt!) as {
        registrationNumber: string;
        copyNumber: number;
        transferId: string;
      };
      const carrier = registered.get(`${receipt.registrationNumber}#${receipt.copyNumber}`);
      expect(carrier, `receipt of ${t.id}`).toBeDefined();
      expect(received.find((r) => r.carrier_id === carrier!.id)?.transfer_id).toBe(t.id);
      expect(await am.ctx.vault.hasContent(am.node.db, carrier!.id)).toBe(true);
    }
    expect(await verifyNodeAudit(kz)).toMatchObject({ ok: true });
    expect(await verifyNodeAudit(am)).toMatchObject({ ok: true });
  }, 600_000);
});
