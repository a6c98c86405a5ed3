// The audit log: append-only, RFC 9162 Merkle tree, C2SP signed checkpoints (see log.ts).
//   await withTransaction(db, async (trx) => { /* state change */; await appendAuditEntry(trx, entry) });
//   await signAuditCheckpoint(db, loadAuditSigner(dataDir, node), auditLogOrigin(node), now);
//   const result = await verifyAuditLog(db, { verifiers: loadAuditVerifiers(dataDir, node), origin });
// For the peer node: proveAuditConsistency(db, oldSize, newSize) + verifyConsistency(old, new, proof).
export * from "./checkpoint.ts";
export * from "./entry.ts";
export * from "./log.ts";
export * from "./merkle.ts";
export * from "./signed-note.ts";
export * from "./signing-key.ts";
export type { AuditTables } from "./tables.ts";
export * from "./witness-file.ts";
