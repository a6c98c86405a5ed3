/**
 * The node's content-key wrapping key: 32 random bytes that encrypt the key store of bucket keys
 * (`bucket-key-store.ts`), wrap (AES-256-GCM) the content keys stored before buckets, and from which
 * the TOTP and visitor personal data sealing keys are derived.
 *
 * Read (key-custody.ts) from `KELISIM_CONTENT_WRAP_KEY` (base64 of 32 bytes, e.g. from a secrets
 * manager), else the file `KELISIM_CONTENT_WRAP_KEY_FILE` names (outside the data directory), else
 * `<dataDir>/keys/node-wrap.key` (base64, mode 0600, created by `kelisim node init`; demo and local
 * use only: `kelisim serve` refuses it, A1.8), so that the disk holding the database and the blobs
 * never holds the key that opens them. Replaced by `kelisim node rotate-wrap-key`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { DomainError } from "../../domain/errors.ts";
import { type KeySource, type KeySpec, keySource, writeKeyFile } from "../key-custody.ts";
import { KEY_SIZE } from "./chunked-cipher.ts";

/** Environment variable that may hold the wrapping key (base64 of 32 bytes). */
export const CONTENT_WRAP_KEY_ENV = "KELISIM_CONTENT_WRAP_KEY";
/** Environment variable that may name a file (outside the data directory) holding the wrapping key. */
export const CONTENT_WRAP_KEY_FILE_ENV = "KELISIM_CONTENT_WRAP_KEY_FILE";

const WRAP_CONTEXT = "kelisim content key v1\0";

/** The wrapping key and its identifier (first 8 bytes of its SHA-256, hex). */
export type ContentWrapKey = { readonly key: Buffer; readonly id: string };

/** `<dataDir>/keys/node-wrap.key`. */
export function contentWrapKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "node-wrap.key");
}

/** How the wrapping key is read (key-custody.ts). */
export const CONTENT_WRAP_KEY_SPEC: KeySpec = {
  name: "content wrapping key",
  valueVariable: CONTENT_WRAP_KEY_ENV,
  fileVariable: CONTENT_WRAP_KEY_FILE_ENV,
  defaultPath: contentWrapKeyPath,
};

/** Where the wrapping key is read from (NODE_KEY_IN_DATA_DIR for a *_FILE inside the data directory). */
export function contentWrapKeySource(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeySource {
  return keySource(CONTENT_WRAP_KEY_SPEC, dataDir, env);
}

function unavailable(problem: string): never {
  throw new DomainError("CONTENT_KEY_UNAVAILABLE", { problem });
}

/** Parses a wrapping key: base64 of 32 bytes (CONTENT_KEY_UNAVAILABLE otherwise, naming `where`). */
export function parseContentWrapKey(text: string, where: string): ContentWrapKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_SIZE || key.toString("base64") !== trimmed)
    unavailable(`${where} is not base64 of 32 bytes`);
  return { key, id: createHash("sha256").update(key).digest("hex").slice(0, 16) };
}

/** A fresh random wrapping key. */
export function newContentWrapKey(): ContentWrapKey {
  return parseContentWrapKey(randomBytes(KEY_SIZE).toString("base64"), "a new key");
}

/** The text of a wrapping key file (and of `KELISIM_CONTENT_WRAP_KEY`): base64 of its 32 bytes. */
export function formatContentWrapKey(key: ContentWrapKey): string {
  return key.key.toString("base64");
}

/** Writes a wrapping key file atomically (mode 0600); `exclusive`: refuse an existing file. */
export async function writeContentWrapKeyFile(
  path: string,
  key: ContentWrapKey,
  exclusive: boolean,
): Promise<void> {
  await writeKeyFile(path, `${formatContentWrapKey(key)}\n`, exclusive);
}

/**
 * Creates the wrapping key file (at the file `KELISIM_CONTENT_WRAP_KEY_FILE` names, else
 * `<dataDir>/keys/node-wrap.key`) unless it exists or the key comes from the environment. Returns
 * where the key is read from. Called by `kelisim node init`.
 */
export function ensureContentWrapKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): KeySource {
  const source = contentWrapKeySource(dataDir, env);
  if (source.kind === "env" || existsSync(source.path)) return source;
  mkdirKeyDir(source.path);
  writeFileSync(source.path, `${randomBytes(KEY_SIZE).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(source.path, 0o600);
  return source;
}

function mkdirKeyDir(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
}

/** Loads the wrapping key from where {@link contentWrapKeySource} says (CONTENT_KEY_UNAVAILABLE if absent). */
export function loadContentWrapKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): ContentWrapKey {
  const source = contentWrapKeySource(dataDir, env);
  if (source.kind === "env") return parseContentWrapKey(env[source.variable] ?? "", source.variable);
  if (!existsSync(source.path))
    unavailable(
      `set ${CONTENT_WRAP_KEY_ENV} or ${CONTENT_WRAP_KEY_FILE_ENV}, or run \`kelisim node init\` (${source.path})`,
    );
  return parseContentWrapKey(readFileSync(source.path, "utf8"), source.path);
}

function wrapAad(carrierId: string): Buffer {
  return Buffer.from(`${WRAP_CONTEXT}${carrierId}`, "utf8");
}

/** Wraps a carrier's content key: nonce(12) ‖ AES-256-GCM(wrap key, content key, aad = carrier id) ‖ tag(16). */
export function wrapContentKey(wrapKey: ContentWrapKey, carrierId: string, contentKey: Uint8Array): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", wrapKey.key, nonce);
  cipher.setAAD(wrapAad(carrierId));
  return Buffer.concat([nonce, cipher.update(contentKey), cipher.final(), cipher.getAuthTag()]);
}

/** Unwraps a carrier's content key; a key wrapped for another carrier or by another node key is refused. */
export function unwrapContentKey(wrapKey: ContentWrapKey, carrierId: string, wrapped: Uint8Array): Buffer {
  if (wrapped.length !== 12 + KEY_SIZE + 16)
    unavailable(`the wrapped key of carrier ${carrierId} is malformed`);
  const decipher = createDecipheriv("aes-256-gcm", wrapKey.key, wrapped.subarray(0, 12));
  decipher.setAAD(wrapAad(carrierId));
  decipher.setAuthTag(wrapped.subarray(12 + KEY_SIZE));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(12, 12 + KEY_SIZE)), decipher.final()]);
  } catch {
    return unavailable(`the content key of carrier ${carrierId} does not open with this node's wrapping key`);
  }
}
