/**
 * The node's content-key wrapping key: 32 random bytes that wrap (AES-256-GCM) every carrier's
 * content key before it is stored in the database.
 *
 * Kept in `<dataDir>/keys/node-wrap.key` (base64, mode 0600, created by `kelisim node init`). In
 * production it can come from the environment instead: `KELISIM_CONTENT_WRAP_KEY` (base64 of 32
 * bytes, e.g. from a secrets manager or an HSM-backed unwrap at start), so the disk holding the
 * database and the blobs never holds the key that opens them.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DomainError } from "../../domain/errors.ts";
import { KEY_SIZE } from "./chunked-cipher.ts";

/** Environment variable that may hold the wrapping key (base64 of 32 bytes). */
export const CONTENT_WRAP_KEY_ENV = "KELISIM_CONTENT_WRAP_KEY";

const WRAP_CONTEXT = "kelisim content key v1\0";

/** The wrapping key and its identifier (first 8 bytes of its SHA-256, hex). */
export type ContentWrapKey = { readonly key: Buffer; readonly id: string };

/** `<dataDir>/keys/node-wrap.key`. */
export function contentWrapKeyPath(dataDir: string): string {
  return join(dataDir, "keys", "node-wrap.key");
}

function unavailable(problem: string): never {
  throw new DomainError("CONTENT_KEY_UNAVAILABLE", { problem });
}

function fromBase64(text: string, where: string): ContentWrapKey {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, "base64");
  if (key.length !== KEY_SIZE || key.toString("base64") !== trimmed)
    unavailable(`${where} is not base64 of 32 bytes`);
  return { key, id: createHash("sha256").update(key).digest("hex").slice(0, 16) };
}

/** Creates the wrapping key file unless it exists or the key comes from the environment. Called by `kelisim node init`. */
export function ensureContentWrapKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (env[CONTENT_WRAP_KEY_ENV]) return;
  const path = contentWrapKeyPath(dataDir);
  if (existsSync(path)) return;
  mkdirSync(join(dataDir, "keys"), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${randomBytes(KEY_SIZE).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  chmodSync(path, 0o600);
}

/** Loads the wrapping key from the environment or `<dataDir>/keys/node-wrap.key` (CONTENT_KEY_UNAVAILABLE if neither). */
export function loadContentWrapKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): ContentWrapKey {
  const fromEnv = env[CONTENT_WRAP_KEY_ENV];
  if (fromEnv) return fromBase64(fromEnv, CONTENT_WRAP_KEY_ENV);
  const path = contentWrapKeyPath(dataDir);
  if (!existsSync(path)) unavailable(`set ${CONTENT_WRAP_KEY_ENV} or run \`kelisim node init\` (${path})`);
  return fromBase64(readFileSync(path, "utf8"), path);
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
