// Article 5 end to end between two node processes talking HTTPS (mutual TLS 1.3).
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  requestCarrierTransfer,
} from "../../src/app/transfer/transfer-flow.ts";
import { makeTempDir } from "../support/databases.ts";
import {
  type NodeHandle,
  randomContent,
  registerOwnCarrier,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

beforeAll(async () => {
  base = makeTempDir("kelisim-two-node-");
  ({ kz, am } = await setupTwoNodes(base));
  kzServe = await startNode(kz);
  amServe = await startNode(am);
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

const inState = (h: NodeHandle, id: string, state: string) => () =>
  h.node.db
    .selectFrom("transfers")
    .selectAll()
    .where("id", "=", id)
    .where("state", "=", state)
    .executeTakeFirst();

describe("A5 transfer between two nodes over HTTPS", () => {
  it("A5.2–A5.6: request → consent → AM confirms clearance → dispatch → AM registers with both markings → receipt closes the transfer", async () => {
    const content = randomContent(256 * 1024);
    const carrier = await registerOwnCarrier(kz, {
      title: "Test results",
      level: "secret",
      content,
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: carrier.registrationNumber,
      to: am.bodyName,
    });
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    await waitFor(inState(am, transferId, "clearance-asked"), "AM to get the confirmation request");
    const answer = await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: transferId });
    expect(answer).toMatchObject({ confirmed: true, level: "top-secret" });
    await waitFor(inState(kz, transferId, "confirmed"), "KZ to get the confirmation");
    await dispatchTransfer(kz.ctx, { actor: "kzreg", transfer: transferId, channel: "agreed-electronic" });
    const closed = await waitFor(inState(kz, transferId, "acknowledged"), "the receipt notice");
    const receipt = JSON.parse(closed.receipt!);
    const registered = await am.node.db
      .selectFrom("carriers")
      .selectAll()
      .where("registration_number", "=", receipt.registrationNumber)
      .executeTakeFirstOrThrow();
    expect(registered).toMatchObject({
      state: "received",
      level: "secret",
      marking: "Құпия",
      national_marking: "Գաղտնի",
      originator_party: "KZ",
      copy_number: 1,
    });
    expect(receipt.addedMarking).toBe("Գաղտնի");
    expect(
      Buffer.from(await am.ctx.vault.readContentBytes(am.node.db, registered.id)).equals(
        Buffer.from(content),
      ),
    ).toBe(true);
  });
});
