// A4.2, A6.3: after its level changes, a carrier is shown in the transfer list and on the
// dashboard at its new level, and only to those cleared for it: a registry officer cleared for the
// old level no longer sees the transfer, nor its carrier, nor counts it.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { changeCarrierLevel } from "../../src/app/carriers/change-level.ts";
import { showDashboard } from "../../src/app/node/dashboard.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { listTransfers } from "../../src/app/transfer/list-transfers.ts";
import { requestCarrierTransfer } from "../../src/app/transfer/transfer-flow.ts";
import { makeTempDir } from "../support/databases.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { type NodeHandle, registerOwnCarrier, setupTwoNodes } from "./support/two-nodes.ts";

vi.setConfig({ testTimeout: 120_000, hookTimeout: 180_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;

beforeAll(async () => {
  base = makeTempDir("kelisim-relevel-");
  ({ kz, am } = await setupTwoNodes(base));
  // A second registry officer of the same body, cleared secret only.
  await registerAcknowledgedPerson(kz.ctx, {
    actor: "admin",
    organisation: kz.body,
    handle: "kzreglow",
    name: "KZ registry officer (secret)",
    roles: ["registry-officer"],
  });
  await grantPersonalClearance(kz.ctx, {
    actor: "kzca",
    person: "kzreglow",
    level: "secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
});

afterAll(async () => {
  kz?.ctx.exchange.close();
  am?.ctx.exchange.close();
  await kz?.node.close();
  await am?.node.close();
  rmSync(base, { recursive: true, force: true });
});

describe("A4.2, A6.3: lists follow a carrier's level as it is now", () => {
  it("A4.2, A6.3: a carrier raised above a viewer's clearance leaves that viewer's transfer list and dashboard", async () => {
    const carrier = await registerOwnCarrier(kz, {
      title: "Designs",
      level: "secret",
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: carrier.registrationNumber,
      to: am.bodyName,
    });
    const before = await listTransfers(kz.ctx, { actor: "kzreglow" });
    expect(before.find((t) => t.id === transferId)).toMatchObject({
      levelId: "secret",
      registrationNumber: carrier.registrationNumber,
    });

    await changeCarrierLevel(kz.ctx, {
      actor: "kzreg",
      carrier: carrier.registrationNumber,
      level: "top-secret",
    });

    const low = await listTransfers(kz.ctx, { actor: "kzreglow" });
    expect(low.map((t) => t.id)).not.toContain(transferId);
    const dashboard = await showDashboard(kz.ctx, { actor: "kzreglow" });
    expect(JSON.stringify(dashboard)).not.toContain(carrier.registrationNumber);
    expect(dashboard.transfers.map((t) => t.id)).not.toContain(transferId);
    // The officer cleared for the new level sees it, at that level.
    const high = await listTransfers(kz.ctx, { actor: "kzreg" });
    expect(high.find((t) => t.id === transferId)).toMatchObject({ levelId: "top-secret" });
  });
});
