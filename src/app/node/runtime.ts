// The pieces a running node is made of, wired to its database here so that the doors (HTTP, CLI)
// never hold it: the use cases' context, the sign-in service, the node's directory for the peer,
// the audit log's verification and checkpoints.
import type { AgreementPack } from "../../domain/agreement/pack-schema.ts";
import { exportDirectory } from "../../exchange/node-exchange.ts";
import type { OpenNode } from "../../node/open-node.ts";
import { type AuditCheckpointSchedule, startAuditCheckpoints } from "../audit/checkpoint-schedule.ts";
import { type AuthPolicy, AuthService, DEFAULT_AUTH_POLICY } from "../auth/auth-service.ts";
import { createPasswordHasher } from "../auth/password.ts";
import { loadTotpSealKey } from "../auth/totp-seal.ts";
import { type AppContext, createAppContext } from "../context.ts";
import { createFlowContext, type FlowContext } from "../transfer/flow-context.ts";
import { registerFlowHandlers } from "../transfer/register-flow-handlers.ts";

/** The sign-in service of an open node (argon2id, TOTP sealed under the node key). */
export async function createAuthService(
  node: OpenNode,
  options: { fastHashing?: boolean; policy?: Partial<AuthPolicy> } = {},
): Promise<AuthService> {
  return new AuthService(
    node.db,
    await createPasswordHasher({ fast: options.fastHashing ?? false }),
    loadTotpSealKey(node.location.dataDir),
    { ...DEFAULT_AUTH_POLICY, ...options.policy },
  );
}

/** The flows' context of an open node, its message handlers registered. */
export function createNodeFlows(
  node: OpenNode,
  pack: AgreementPack,
  options: { onOutbox?: () => void } = {},
): FlowContext {
  const ctx = createFlowContext(createAppContext(node, pack), options);
  registerFlowHandlers(ctx);
  return ctx;
}

/** This node's directory for the peer (root, organisations' encryption certificates, audit key). */
export async function exportNodeDirectory(node: OpenNode) {
  return exportDirectory(node.db, {
    dataDir: node.location.dataDir,
    party: node.config.party,
    agreementId: node.config.agreementId,
    nodeId: node.config.nodeId,
  });
}

/**
 * The running node's own audit checkpoints (A4.1.1, A6.2): signed every N new entries and every T
 * minutes (node.json `audit`, defaults 100 and 10), each appended to the witness file.
 */
export function startNodeAuditCheckpoints(
  node: OpenNode,
  options: Parameters<typeof startAuditCheckpoints>[1] = {},
): AuditCheckpointSchedule {
  return startAuditCheckpoints(node, options);
}

export type { AppContext };
