// The node's audit log as its operator checks it (A4.1.1, A6.2): verification of the whole log
// against its signed checkpoints, and a new signed checkpoint. The node acts, no person.
import { auditLogOrigin, readAuditHead, signAuditCheckpoint, verifyAuditLog } from "../../audit/log.ts";
import { loadAuditSigner, loadAuditVerifiers } from "../../audit/signing-key.ts";
import type { OpenNode } from "../../node/open-node.ts";

type VerifyOptions = Omit<Parameters<typeof verifyAuditLog>[1], "verifiers" | "origin"> & {
  /** The checkpoint keys to trust (default: the node's own). */
  verifiers?: Parameters<typeof verifyAuditLog>[1]["verifiers"];
};

/** Verifies the node's whole log as it stands when verification starts (one snapshot). */
export async function verifyNodeAuditLog(node: OpenNode, options: VerifyOptions = {}) {
  const ids = { party: node.config.party, nodeId: node.config.nodeId };
  return verifyAuditLog(node.db, {
    ...options,
    verifiers: options.verifiers ?? loadAuditVerifiers(node.location.dataDir, ids),
    origin: auditLogOrigin(ids),
  });
}

/** Signs a checkpoint of the node's log now; returns it with the log's head. */
export async function signNodeAuditCheckpoint(node: OpenNode, at: Date) {
  const ids = { party: node.config.party, nodeId: node.config.nodeId };
  const signer = loadAuditSigner(node.location.dataDir, ids);
  const checkpoint = await signAuditCheckpoint(node.db, signer, auditLogOrigin(ids), at);
  const head = await readAuditHead(node.db);
  return { checkpoint, head };
}
