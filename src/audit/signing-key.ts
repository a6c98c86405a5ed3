/**
 * The node's Ed25519 key that signs audit checkpoints.
 *
 * Read (src/crypto/key-custody.ts) from `KELISIM_AUDIT_SIGNING_KEY` (the PKCS#8 PEM, e.g. injected
 * from a secrets manager), else the file `KELISIM_AUDIT_SIGNING_KEY_FILE` names (outside the data
 * directory), else `<dataDir>/keys/audit-signing.key` (mode 0600, made by `kelisim node init`; demo
 * and local use only: `kelisim serve` refuses it, A4.1.1). Its verifier key is beside the data in
 * `audit-signing.pub` (`<name>+<id>+<key>`, given to the peer node and to auditors); after
 * `kelisim node rotate-audit-key` the keys it replaced stay trusted for the checkpoints they signed,
 * one per line in `audit-signing.retired.pub`.
 */
import { generateKeyPairSync } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type KeySource, type KeySpec, keySource, writeKeyFile } from "../crypto/key-custody.ts";
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
/** Environment variable that may name a file (outside the data directory) holding the signing key. */
export const AUDIT_SIGNING_KEY_FILE_ENV = "KELISIM_AUDIT_SIGNING_KEY_FILE";

/** `<dataDir>/keys/audit-signing.key`. */
export function auditSigningKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "audit-signing.key");
}

/** `<dataDir>/keys/audit-signing.pub`. */
export function auditVerifierKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "audit-signing.pub");
}

/** `<dataDir>/keys/audit-signing.retired.pub`: verifier keys of replaced signing keys, one per line. */
export function auditRetiredVerifierKeysPath(dataDir: string): string {
  return join(dataDir, "keys", "audit-signing.retired.pub");
}

/** How the signing key is read (key-custody.ts). */
export const AUDIT_SIGNING_KEY_SPEC: KeySpec = {
  name: "audit signing key",
  valueVariable: AUDIT_SIGNING_KEY_ENV,
  fileVariable: AUDIT_SIGNING_KEY_FILE_ENV,
  defaultPath: auditSigningKeyPath,
};

/** Where the signing key is read from (NODE_KEY_IN_DATA_DIR for a *_FILE inside the data directory). */
export function auditSigningKeySource(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeySource {
  return keySource(AUDIT_SIGNING_KEY_SPEC, dataDir, env);
}

/** A fresh Ed25519 signing key, as PKCS#8 PEM. */
export function newAuditSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync("ed25519");
  return privateKey.export({ format: "pem", type: "pkcs8" }).toString();
}

/** Writes a signing key file atomically (mode 0600); `exclusive`: refuse an existing file. */
export async function writeAuditSigningKeyFile(path: string, pem: string, exclusive: boolean): Promise<void> {
  await writeKeyFile(path, pem, exclusive);
}

/** The signer of a PEM key (AUDIT_CHECKPOINT_INVALID when unusable). */
export function auditSignerOf(node: { party: string; nodeId: string }, pem: string): NoteSigner {
  try {
    return createNoteSigner(auditKeyName(node), pem);
  } catch (error) {
    throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
      problem: `the audit signing key is unusable: ${String(error)}`,
    });
  }
}

/** The signed-note key name of a node's audit key, e.g. `kelisim/KZ/<node id>`. */
export function auditKeyName(node: { party: string; nodeId: string }): string {
  return `kelisim/${node.party}/${node.nodeId}`;
}

/**
 * Creates the audit signing key (at the file `KELISIM_AUDIT_SIGNING_KEY_FILE` names, else
 * `<dataDir>/keys/audit-signing.key`) and its verifier key file, unless they exist or the key comes
 * from the environment. Returns the verifier key line. Called by `kelisim node init`.
 */
export function ensureAuditSigningKey(
  dataDir: string,
  node: { party: string; nodeId: string },
  env: NodeJS.ProcessEnv = process.env,
): string {
  const source = auditSigningKeySource(dataDir, env);
  if (source.kind === "file" && !existsSync(source.path)) {
    mkdirSync(dirname(source.path), { recursive: true, mode: 0o700 });
    writeFileSync(source.path, newAuditSigningKeyPem(), { mode: 0o600, flag: "wx" });
    chmodSync(source.path, 0o600);
  }
  const vkey = formatVerifierKey(verifierOf(loadAuditSigner(dataDir, node, env)));
  const pubPath = auditVerifierKeyPath(dataDir);
  if (!existsSync(pubPath)) {
    mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
    writeFileSync(pubPath, `${vkey}\n`, { mode: 0o644 });
  }
  return vkey;
}

/** Loads the node's audit signer from where {@link auditSigningKeySource} says. */
export function loadAuditSigner(
  dataDir: string,
  node: { party: string; nodeId: string },
  env: NodeJS.ProcessEnv = process.env,
): NoteSigner {
  const source = auditSigningKeySource(dataDir, env);
  let pem: string;
  if (source.kind === "env") pem = env[source.variable] ?? "";
  else if (existsSync(source.path)) pem = readFileSync(source.path, "utf8");
  else {
    throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
      problem: `no audit signing key: set ${AUDIT_SIGNING_KEY_ENV} or ${AUDIT_SIGNING_KEY_FILE_ENV}, or run \`kelisim node init\` (${source.path})`,
    });
  }
  return auditSignerOf(node, pem);
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
  else {
    const source = auditSigningKeySource(dataDir, env);
    if (source.kind === "env" || existsSync(source.path))
      verifiers.push(verifierOf(loadAuditSigner(dataDir, node, env)));
  }
  // The keys `kelisim node rotate-audit-key` replaced still verify the checkpoints they signed.
  for (const line of readRetiredAuditVerifierKeys(dataDir))
    verifiers.push(parse(line, auditRetiredVerifierKeysPath(dataDir)));
  return verifiers;
}

/** The verifier key lines of replaced signing keys (`audit-signing.retired.pub`), oldest first. */
export function readRetiredAuditVerifierKeys(dataDir: string): string[] {
  const path = auditRetiredVerifierKeysPath(dataDir);
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}
