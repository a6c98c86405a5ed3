/**
 * The node's key store of bucket keys (A1.8): the keys that wrap carriers' content keys, kept in a
 * file of the node's own, never in the database, so that dropping a key from it makes every copy of
 * what it wrapped useless — wherever the database left that copy (WAL, free pages, dead tuples,
 * TOAST, pg_wal, backups).
 *
 * - File `<dataDir>/keys/content-buckets.keys`, mode 0600: `KELISIM-BUCKET-KEYS-1\n` ‖ nonce(12) ‖
 *   AES-256-GCM(node wrapping key, JSON { generation, keys: { <key id>: { bucket, key } } }) ‖ tag(16).
 * - Written atomically: new content to `.tmp`, fsync, the old file hard-linked as `.prev`, `.tmp`
 *   renamed over the file, directory fsynced, then `.prev` (the old version, which may hold dropped
 *   keys) overwritten with zeros, fsynced and unlinked. A crash leaves the old or the new file whole;
 *   leftovers are shredded by the next write (`shredLeftovers`).
 * - Writers serialise on the database (`content_key_store` row, see content-vault.ts): call
 *   `writeBucketKeys` and `shredLeftovers` only holding that lock (a leftover `.tmp` may be another
 *   writer's file in progress). This module only reads and writes the file.
 *
 * Limit: overwriting the old version in place cannot reach copies a copy-on-write filesystem,
 * snapshots or an SSD's wear levelling keep; those stay encrypted under the node wrapping key.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { link, open, rename, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { DomainError } from "../../domain/errors.ts";
import { KEY_SIZE } from "./chunked-cipher.ts";
import type { ContentWrapKey } from "./wrap-key.ts";

const MAGIC = Buffer.from("KELISIM-BUCKET-KEYS-1\n", "utf8");
const BUCKET_WRAP_CONTEXT = "kelisim content key v2 bucket\0";

/** A bucket key: 32 random bytes, named by a random id. */
export type BucketKey = { readonly id: string; readonly bucket: string; readonly key: Buffer };

/** The key store's content. */
export type BucketKeys = { readonly generation: number; readonly keys: ReadonlyMap<string, BucketKey> };

/** `<dataDir>/keys/content-buckets.keys`. */
export function bucketKeyStorePath(dataDir: string): string {
  return join(dataDir, "keys", "content-buckets.keys");
}

function unavailable(problem: string): never {
  throw new DomainError("CONTENT_KEY_UNAVAILABLE", { problem });
}

/** A fresh bucket key for `bucket`. */
export function newBucketKey(bucket: string): BucketKey {
  return { id: randomBytes(8).toString("hex"), bucket, key: randomBytes(KEY_SIZE) };
}

/** A file's identity and version: a rename makes a new inode, a rewrite a new mtime. */
export function fileSignature(path: string): string | null {
  try {
    const s = statSync(path, { bigint: true });
    return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return null;
  }
}

/**
 * Reads the key store (an empty one if the file does not exist yet). A read that raced a write (it
 * opened the old version, which the writer then overwrites) is retried on the new file.
 */
export function readBucketKeys(path: string, wrapKey: ContentWrapKey): BucketKeys {
  for (let attempt = 0; ; attempt++) {
    const before = fileSignature(path);
    try {
      return readBucketKeysOnce(path, wrapKey);
    } catch (error) {
      if (attempt >= 3 || fileSignature(path) === before) throw error;
    }
  }
}

function readBucketKeysOnce(path: string, wrapKey: ContentWrapKey): BucketKeys {
  if (!existsSync(path)) return { generation: 0, keys: new Map() };
  const bytes = readFileSync(path);
  const head = MAGIC.length;
  if (bytes.length < head + 12 + 16 || !bytes.subarray(0, head).equals(MAGIC))
    unavailable(`the key store ${path} is not a Kelisim bucket key store`);
  const decipher = createDecipheriv("aes-256-gcm", wrapKey.key, bytes.subarray(head, head + 12));
  decipher.setAAD(MAGIC);
  decipher.setAuthTag(bytes.subarray(bytes.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(bytes.subarray(head + 12, bytes.length - 16)), decipher.final()]);
  } catch {
    return unavailable(`the key store ${path} does not open with this node's wrapping key`);
  }
  try {
    const parsed = JSON.parse(plain.toString("utf8")) as {
      generation: number;
      keys: Record<string, { bucket: string; key: string }>;
    };
    const keys = new Map<string, BucketKey>();
    for (const [id, entry] of Object.entries(parsed.keys)) {
      const key = Buffer.from(entry.key, "base64");
      if (key.length !== KEY_SIZE) unavailable(`the key store ${path} holds a malformed key`);
      keys.set(id, { id, bucket: entry.bucket, key });
    }
    return { generation: Number(parsed.generation), keys };
  } finally {
    plain.fill(0);
  }
}

/** Replaces the key store atomically (see the top of this file); the old version is shredded. */
export async function writeBucketKeys(
  path: string,
  wrapKey: ContentWrapKey,
  store: BucketKeys,
): Promise<void> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  await shredLeftovers(path);
  const json: { generation: number; keys: Record<string, { bucket: string; key: string }> } = {
    generation: store.generation,
    keys: {},
  };
  for (const k of store.keys.values()) json.keys[k.id] = { bucket: k.bucket, key: k.key.toString("base64") };
  const plain = Buffer.from(JSON.stringify(json), "utf8");
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", wrapKey.key, nonce);
  cipher.setAAD(MAGIC);
  const bytes = Buffer.concat([MAGIC, nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  plain.fill(0);
  const tmp = `${path}.tmp`;
  const prev = `${path}.prev`;
  const handle = await open(tmp, "wx", 0o600);
  try {
    await handle.writeFile(bytes);
    await handle.sync();
  } finally {
    await handle.close();
  }
  const hadOld = existsSync(path);
  if (hadOld) await link(path, prev);
  await rename(tmp, path);
  await syncDirectory(dir);
  if (hadOld) {
    await shredFile(prev);
    await syncDirectory(dir);
  }
}

/**
 * Removes what an interrupted write left: `.tmp` (never the live file: shredded) and `.prev` (the
 * old version, shredded; merely unlinked if the crash came before the rename, when it is still the
 * live file's other name).
 */
export async function shredLeftovers(path: string): Promise<void> {
  const tmp = `${path}.tmp`;
  const prev = `${path}.prev`;
  if (existsSync(tmp)) await shredFile(tmp);
  if (existsSync(prev)) {
    const live = existsSync(path) ? statSync(path) : null;
    const old = statSync(prev);
    if (live && live.ino === old.ino && live.dev === old.dev) await unlink(prev);
    else await shredFile(prev);
  }
}

function bucketAad(bucket: string, carrierId: string): Buffer {
  return Buffer.from(`${BUCKET_WRAP_CONTEXT}${bucket}\0${carrierId}`, "utf8");
}

/** Wraps a carrier's content key under its bucket's key: nonce(12) ‖ AES-256-GCM(…, aad = bucket, carrier) ‖ tag(16). */
export function wrapInBucket(bucketKey: BucketKey, carrierId: string, contentKey: Uint8Array): Buffer {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", bucketKey.key, nonce);
  cipher.setAAD(bucketAad(bucketKey.bucket, carrierId));
  return Buffer.concat([nonce, cipher.update(contentKey), cipher.final(), cipher.getAuthTag()]);
}

/** Unwraps a carrier's content key wrapped under a bucket key (CONTENT_KEY_UNAVAILABLE if it does not open). */
export function unwrapFromBucket(bucketKey: BucketKey, carrierId: string, wrapped: Uint8Array): Buffer {
  if (wrapped.length !== 12 + KEY_SIZE + 16)
    unavailable(`the wrapped key of carrier ${carrierId} is malformed`);
  const decipher = createDecipheriv("aes-256-gcm", bucketKey.key, wrapped.subarray(0, 12));
  decipher.setAAD(bucketAad(bucketKey.bucket, carrierId));
  decipher.setAuthTag(wrapped.subarray(12 + KEY_SIZE));
  try {
    return Buffer.concat([decipher.update(wrapped.subarray(12, 12 + KEY_SIZE)), decipher.final()]);
  } catch {
    return unavailable(
      `the content key of carrier ${carrierId} does not open with bucket key ${bucketKey.id}`,
    );
  }
}

export async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Overwrites a file with zeros over its whole length, syncs it, then unlinks it. */
export async function shredFile(path: string): Promise<void> {
  if (!existsSync(path)) return;
  const handle = await open(path, "r+");
  try {
    const { size } = await handle.stat();
    const zeros = Buffer.alloc(Math.min(size, 1024 * 1024));
    for (let offset = 0; offset < size; offset += zeros.length) {
      await handle.write(zeros, 0, Math.min(zeros.length, size - offset), offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(path);
}
