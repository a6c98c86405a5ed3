// Steps shared by the two-node tests: a whole A5 transfer, the originator's written consent (A6.7),
// audit verification of a node.

import {
  answerConsent,
  type RequestConsentInput,
  requestConsent,
} from "../../../src/app/consent/consent-flow.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
} from "../../../src/app/transfer/transfer-flow.ts";
import { auditLogOrigin, verifyAuditLog } from "../../../src/audit/log.ts";
import { loadAuditVerifiers } from "../../../src/audit/signing-key.ts";
import { type NodeHandle, registerOwnCarrier, waitFor } from "./two-nodes.ts";

export const transferRow = (h: NodeHandle, id: string) =>
  h.node.db.selectFrom("transfers").selectAll().where("id", "=", id).executeTakeFirst();

export const inState = (h: NodeHandle, id: string, state: string) => async () => {
  const row = await transferRow(h, id);
  return row?.state === state ? row : undefined;
};

/** Runs a whole transfer of a new KZ carrier to AM's body over the running nodes; returns AM's carrier. */
export async function transferNewCarrier(
  kz: NodeHandle,
  am: NodeHandle,
  input: {
    title: string;
    level: string;
    content?: Uint8Array;
    /** For a physical carrier: run while it is on its way, before AM's registry officer takes it in. */
    onTheWay?: (transferId: string) => Promise<void>;
  },
): Promise<{ transferId: string; kzCarrier: string; amCarrierId: string; amRegistration: string }> {
  const carrier = await registerOwnCarrier(kz, { ...input, contract: "KZ-AM/2026/1" });
  const { transferId } = await requestCarrierTransfer(kz.ctx, {
    actor: "kzreg",
    carrier: carrier.registrationNumber,
    to: am.bodyName,
  });
  await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
  await waitFor(inState(am, transferId, "clearance-asked"), "the confirmation request");
  await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: transferId });
  await waitFor(inState(kz, transferId, "confirmed"), "the confirmation");
  await dispatchTransfer(kz.ctx, {
    actor: "kzreg",
    transfer: transferId,
    channel: input.content ? "agreed-electronic" : "state-courier",
    ...(input.content ? {} : { sealNumbers: ["S-1", "S-2"], waybill: "WB-77" }),
  });
  if (!input.content) {
    // A physical carrier travels by courier: AM holds its dispatch record until it arrives.
    await waitFor(inState(am, transferId, "dispatched"), "the dispatch record");
    await input.onTheWay?.(transferId);
    await receivePhysicalCarrier(am.ctx, { actor: "amreg", transfer: transferId, sealsIntact: true });
  }
  const closed = await waitFor(inState(kz, transferId, "acknowledged"), "the receipt notice", 120_000);
  const receipt = JSON.parse(closed.receipt!) as { registrationNumber: string };
  const row = await am.node.db
    .selectFrom("received_carriers")
    .select("carrier_id")
    .where("transfer_id", "=", transferId)
    .executeTakeFirstOrThrow();
  return {
    transferId,
    kzCarrier: carrier.registrationNumber,
    amCarrierId: row.carrier_id,
    amRegistration: receipt.registrationNumber,
  };
}

/**
 * A6.7 in writing: AM's registry officer asks KZ's consent, KZ's registry officer grants it, and
 * AM holds the grant. Returns the consent id and the request as KZ received it.
 */
export async function grantedConsent(
  kz: NodeHandle,
  am: NodeHandle,
  input: Omit<RequestConsentInput, "actor">,
) {
  const { consentId } = await requestConsent(am.ctx, { actor: "amreg", ...input });
  const asked = await waitFor(
    () =>
      kz.node.db.selectFrom("consent_requests").selectAll().where("id", "=", consentId).executeTakeFirst(),
    "the request at KZ",
  );
  await answerConsent(kz.ctx, { actor: "kzreg", consent: consentId, decision: "grant" });
  await waitFor(
    () =>
      am.node.db
        .selectFrom("consent_requests")
        .selectAll()
        .where("id", "=", consentId)
        .where("state", "=", "granted")
        .executeTakeFirst(),
    "the consent at AM",
  );
  return { consentId, asked };
}

/** Verifies a node's whole audit log against its own checkpoint key. */
export async function verifyNodeAudit(h: NodeHandle) {
  const node = { party: h.node.config.party, nodeId: h.node.config.nodeId };
  return verifyAuditLog(h.node.db, {
    verifiers: loadAuditVerifiers(h.dataDir, node),
    origin: auditLogOrigin(node),
  });
}
