/**
 * The node's Ed25519 key that signs audit checkpoints.
 *
 * Kept in `<dataDir>/keys/audit-signing.key` (PKCS#8 PEM, mode 0600, made by `kelisim node init`),
 * its verifier key beside it in `audit-signing.pub` (`<name>+<id>+<key>`, given to the peer node
 * and to auditors). In production the private key can come from the environment instead:
 * `KELISIM_AUDIT_SIGNING_KEY` holding the PEM (e.g. injected from a secrets manager); then no file
 * is needed.
 */
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DomainError } from "../domain/errors.ts";
import {
  createNoteSigner,
  formatVerifierKey,
  type NoteSigner,
  type NoteVerifier,
  parseVerifierKey,
  verifierOf,
} from "./signed-note.ts";

/** Environment variable that may hold the signing key (PKCS#8 PEM). */
export const AUDIT_SIGNING_KEY_ENV = "KELISIM_AUDIT_SIGNING_KEY";

/** `<dataDir>/keys/audit-signing.key`. */
export function auditSigningKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "audit-signing.key");
}

/** `<dataDir>/keys/audit-signing.pub`. */
export function auditVerifierKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "audit-signing.pub");
}

/** The signed-note key name of a node's audit key, e.g. `kelisim/KZ/<node id>`. */
export function auditKeyName(node: { party: string; nodeId: string }): string {
  return `kelisim/${node.party}/${node.nodeId}`;
}

/**
 * Creates the audit signing key (and its verifier key file) unless it exists or comes from the
 * environment. Returns the verifier key line. Called by `kelisim node init`.
 */
export function ensureAuditSigningKey(
  dataDir: string,
  node: { party: string; nodeId: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const path = auditSigningKeyPath(dataDir);
  if (!env[AUDIT_SIGNING_KEY_ENV] && !existsSync(path)) {
    mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync("ed25519");
    writeFileSync(path, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
  }
  const vkey = formatVerifierKey(verifierOf(loadAuditSigner(dataDir, node, env)));
  const pubPath = auditVerifierKeyPath(dataDir);
  if (!existsSync(pubPath)) {
    mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
    writeFileSync(pubPath, `${vkey}\n`, { mode: 0o644 });
  }
  return vkey;
}

/** Loads the node's audit signer from the environment or `<dataDir>/keys/audit-signing.key`. */
export function loadAuditSigner(
  dataDir: string,
  node: { party: string; nodeId: string },
  env: NodeJS.ProcessEnv = process.env,
): NoteSigner {
  const fromEnv = env[AUDIT_SIGNING_KEY_ENV];
  const path = auditSigningKeyPath(dataDir);
  let pem: string;
  if (fromEnv) pem = fromEnv;
  else if (existsSync(path)) pem = readFileSync(path, "utf8");
  else {
    throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
      problem: `no audit signing key: set ${AUDIT_SIGNING_KEY_ENV} or run \`kelisim node init\` (${path})`,
    });
  }
  try {
    return createNoteSigner(auditKeyName(node), pem);
  } catch (error) {
    throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
      problem: `the audit signing key is unusable: ${String(error)}`,
    });
  }
}

/**
 * The verifier keys trusted for this node's checkpoints: the node's own (from its key or its
 * `audit-signing.pub`) plus any given (e.g. the peer's, `--key`).
 */
export function loadAuditVerifiers(
  dataDir: string,
  node: { party: string; nodeId: string },
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = process.env,
): NoteVerifier[] {
  const parse = (text: string, where: string): NoteVerifier => {
    try {
      return parseVerifierKey(text);
    } catch (error) {
      throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
        problem: `${where}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  };
  const verifiers = extra.map((text) => parse(text, "--key"));
  const pubPath = auditVerifierKeyPath(dataDir);
  if (existsSync(pubPath)) verifiers.push(parse(readFileSync(pubPath, "utf8"), pubPath));
  else if (env[AUDIT_SIGNING_KEY_ENV] || existsSync(auditSigningKeyPath(dataDir))) {
    verifiers.push(verifierOf(loadAuditSigner(dataDir, node, env)));
  }
  return verifiers;
}
