// `kelisim node rotate-audit-key` (A4.1.1, A6.2): replaces the node's Ed25519 key that signs audit
// checkpoints, as a chain an auditor can follow:
//   1. an audit entry names the old and the new verifier key, and the OLD key signs a checkpoint
//      over the log including it (the old key vouches for the new one), witnessed as usual;
//   2. the old verifier key joins `keys/audit-signing.retired.pub` (still trusted for what it
//      signed) and `keys/audit-signing.pub` becomes the new one;
//   3. a second entry records the switch and the NEW key signs the next checkpoint.
// `kelisim audit verify` then checks checkpoints of both keys. Where the new key goes: `--out FILE`
// (outside the data directory; made if absent, used if present), else the current key file is
// replaced in place (staged in `<file>.next`). A key held in KELISIM_AUDIT_SIGNING_KEY needs `--out`.
import { existsSync, readFileSync } from "node:fs";
import { rename } from "node:fs/promises";
import { resolve } from "node:path";
import { formatVerifierKey, type NoteSigner, verifierOf } from "../../audit/signed-note.ts";
import {
  AUDIT_SIGNING_KEY_ENV,
  auditRetiredVerifierKeysPath,
  auditSignerOf,
  auditSigningKeySource,
  auditVerifierKeyPath,
  loadAuditSigner,
  newAuditSigningKeyPem,
  readRetiredAuditVerifierKeys,
  writeAuditSigningKeyFile,
} from "../../audit/signing-key.ts";
import { isInsideDirectory, writeKeyFile } from "../../crypto/key-custody.ts";
import { DomainError } from "../../domain/errors.ts";
import type { OpenNode } from "../../node/open-node.ts";
import { withTransaction } from "../../store/transaction.ts";
import { signNodeAuditCheckpoint } from "../audit/log-operations.ts";
import { recordAudit } from "../record-audit.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.1.1, A6.2: the node's audit signing key was replaced (`phase`: handover, then switched). */
    "audit.signing-key-rotated": AuditData | undefined;
  }
}

export type RotateAuditKeyInput = {
  /** Where to write the new key (outside the data directory); default: replace the current file. */
  readonly out?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
};

export type RotatedAuditKey = {
  readonly oldVerifierKey: string;
  readonly newVerifierKey: string;
  readonly keyFile: string;
  readonly inPlace: boolean;
  /** Log size of the checkpoint the old key signed over the handover entry. */
  readonly handoverSize: number;
  /** Log size of the first checkpoint the new key signed. */
  readonly firstNewSize: number;
  readonly witnessPath: string;
};

const refuse = (problem: string) =>
  new DomainError("NODE_KEY_ROTATION_REFUSED", { key: "audit signing key", problem });

/** Replaces the node's audit signing key (see the top of this file). */
export async function rotateAuditSigningKey(
  node: OpenNode,
  input: RotateAuditKeyInput = {},
): Promise<RotatedAuditKey> {
  const env = input.env ?? process.env;
  const now = input.now ?? (() => new Date());
  const { dataDir } = node.location;
  const ids = { party: node.config.party, nodeId: node.config.nodeId };
  const source = auditSigningKeySource(dataDir, env);
  const oldSigner = loadAuditSigner(dataDir, ids, env);
  let staged: string;
  let finalPath: string;
  if (input.out !== undefined) {
    finalPath = resolve(input.out);
    if (isInsideDirectory(finalPath, dataDir))
      throw refuse(`--out ${finalPath} lies inside the data directory ${dataDir}: name a file outside it`);
    staged = finalPath;
  } else if (source.kind === "file") {
    finalPath = source.path;
    staged = `${source.path}.next`;
  } else {
    throw refuse(`the current key comes from ${AUDIT_SIGNING_KEY_ENV}: give --out FILE for the new key`);
  }
  let newSigner: NoteSigner;
  if (existsSync(staged)) {
    newSigner = auditSignerOf(ids, readFileSync(staged, "utf8"));
    if (newSigner.keyId === oldSigner.keyId) throw refuse(`${staged} holds the current key`);
  } else {
    const pem = newAuditSigningKeyPem();
    newSigner = auditSignerOf(ids, pem);
    await writeAuditSigningKeyFile(staged, pem, true);
  }
  const oldVerifierKey = formatVerifierKey(verifierOf(oldSigner));
  const newVerifierKey = formatVerifierKey(verifierOf(newSigner));
  const audit = (phase: "handover" | "switched") =>
    withTransaction(node.db, (trx) =>
      recordAudit(
        trx,
        { now },
        {
          type: "audit.signing-key-rotated",
          actor: `node:${node.config.nodeId}`,
          organisation: null,
          object: { type: "node", id: node.config.nodeId },
          outcome: "done",
          articles: ["A4.1.1", "A6.2"],
          data: { phase, oldVerifierKey, newVerifierKey },
        },
      ),
    );
  // 1. The old key vouches for the new one.
  await audit("handover");
  const handover = await signNodeAuditCheckpoint(node, now(), { env, signer: oldSigner });
  // 2. The old key stays trusted for what it signed; the new one is the node's.
  const retired = readRetiredAuditVerifierKeys(dataDir);
  if (!retired.includes(oldVerifierKey)) {
    await writeKeyFile(
      auditRetiredVerifierKeysPath(dataDir),
      [...retired, oldVerifierKey, ""].join("\n"),
      false,
      0o644,
    );
  }
  await writeKeyFile(auditVerifierKeyPath(dataDir), `${newVerifierKey}\n`, false, 0o644);
  const inPlace = staged !== finalPath;
  if (inPlace) await rename(staged, finalPath);
  // 3. The switch, signed by the new key.
  await audit("switched");
  const first = await signNodeAuditCheckpoint(node, now(), { env, signer: newSigner });
  return {
    oldVerifierKey,
    newVerifierKey,
    keyFile: finalPath,
    inPlace,
    handoverSize: handover.checkpoint.size,
    firstNewSize: first.checkpoint.size,
    witnessPath: first.witnessPath,
  };
}
export { AUDIT_SIGNING_KEY_FILE_ENV } from "../../audit/signing-key.ts";
