/**
 * Electronic content of carriers, encrypted at rest with one AES-256-GCM key per carrier.
 *
 * - The content is a blob file `<dataDir>/blobs/<random name>` in the chunked format of
 *   `chunked-cipher.ts` (any size, bounded memory); the carrier's key, wrapped by the node's
 *   wrapping key (`wrap-key.ts`), is a row of `content_keys`, written in the caller's transaction.
 * - Destruction (A1.8) is two steps, because a file cannot take part in a database transaction:
 *   1. `eraseContent(trx, carrierId)` inside the destroying transaction deletes the key row: once
 *      that commits, the content is unreadable (crypto-erasure), and a rollback loses nothing;
 *   2. `purgeErasedContent(db, erased)` after the commit overwrites the blob with zeros, syncs and
 *      unlinks it, then removes the key's traces from the database files (SQLite: `secure_delete`
 *      already zeroes freed cells, the WAL is checkpointed and truncated; PostgreSQL: VACUUM).
 *   A crash between the two leaves a blob without key: unreadable, and `sweepOrphanBlobs` removes it.
 *
 * Limits to know: on PostgreSQL the database files live outside the data directory and VACUUM does
 * not overwrite freed space, so old row versions (with the *wrapped* key) may remain in the
 * cluster's files and WAL until reused; the blob itself is overwritten and gone. Overwriting a file
 * in place does not reach copies a copy-on-write filesystem or an SSD's wear levelling keeps; the
 * key erasure is what makes those copies useless.
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Readable, pipeline as streamPipeline, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Kysely } from "kysely";
import { DomainError } from "../../domain/errors.ts";
import type { Database } from "../../store/schema.ts";
import { purgeErasedData } from "../../store/transaction.ts";
import { createDecryptStream, createEncryptStream, DEFAULT_CHUNK_SIZE, KEY_SIZE } from "./chunked-cipher.ts";
import { type ContentWrapKey, loadContentWrapKey, unwrapContentKey, wrapContentKey } from "./wrap-key.ts";

type Db = Kysely<Database>;

/** The directory of a node's blobs. */
export function blobDirectory(dataDir: string): string {
  return join(dataDir, "blobs");
}

/** What `storeContent` kept. */
export type StoredContent = {
  readonly carrierId: string;
  readonly sizeBytes: number;
  readonly blobName: string;
};

/** What `eraseContent` erased; hand it to `purgeErasedContent` after the transaction committed. */
export type ErasedContent = { readonly carrierId: string; readonly blobName: string };

/** Content to store: bytes, a Node stream or any async iterable of byte chunks. */
export type ContentSource = Uint8Array | Readable | AsyncIterable<Uint8Array>;

export type ContentVaultOptions = {
  readonly dataDir: string;
  /** The wrapping key; default: loaded from the environment or `<dataDir>/keys/node-wrap.key`. */
  readonly wrapKey?: ContentWrapKey;
  /** Plaintext bytes per encrypted chunk (default 64 KiB). */
  readonly chunkSize?: number;
};

const BLOB_NAME = /^[0-9a-f]{32}$/;

/** A node's store of carrier content, encrypted at rest. */
export class ContentVault {
  readonly blobDir: string;
  readonly #wrapKey: ContentWrapKey;
  readonly #chunkSize: number;

  constructor(options: ContentVaultOptions) {
    this.blobDir = blobDirectory(options.dataDir);
    this.#wrapKey = options.wrapKey ?? loadContentWrapKey(options.dataDir);
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  }

  /**
   * Encrypts `source` under a fresh key for `carrierId` into a new blob, then records the wrapped
   * key in `trx`. The content is readable once `trx` commits. A carrier holds content once: storing
   * again is refused (INPUT_INVALID). Memory stays bounded by the chunk size whatever the size.
   */
  async storeContent(
    trx: Db,
    carrierId: string,
    source: ContentSource,
    now: Date = new Date(),
  ): Promise<StoredContent> {
    if (carrierId.length === 0)
      throw new DomainError("INPUT_INVALID", { field: "carrierId", problem: "empty" });
    const existing = await trx
      .selectFrom("content_keys")
      .select("carrier_id")
      .where("carrier_id", "=", carrierId)
      .executeTakeFirst();
    if (existing) {
      throw new DomainError("INPUT_INVALID", {
        field: "carrierId",
        problem: `carrier ${carrierId} already holds content`,
      });
    }
    mkdirSync(this.blobDir, { recursive: true, mode: 0o700 });
    const blobName = randomBytes(16).toString("hex");
    const finalPath = join(this.blobDir, blobName);
    const tmpPath = `${finalPath}.tmp`;
    const contentKey = randomBytes(KEY_SIZE);
    let sizeBytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        sizeBytes += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      const input =
        source instanceof Uint8Array
          ? Readable.from([Buffer.from(source)])
          : source instanceof Readable
            ? source
            : Readable.from(source);
      await pipeline(
        input,
        counter,
        createEncryptStream(contentKey, carrierId, this.#chunkSize),
        createWriteStream(tmpPath, { mode: 0o600, flags: "wx" }),
      );
      await syncFile(tmpPath);
      await rename(tmpPath, finalPath);
      await syncDirectory(this.blobDir);
      await trx
        .insertInto("content_keys")
        .values({
          carrier_id: carrierId,
          wrapped_key: wrapContentKey(this.#wrapKey, carrierId, contentKey),
          wrap_key_id: this.#wrapKey.id,
          blob_name: blobName,
          size_bytes: sizeBytes,
          chunk_size: this.#chunkSize,
          stored_at: now.toISOString(),
        })
        .execute();
    } catch (error) {
      await unlink(tmpPath).catch(() => {});
      await unlink(finalPath).catch(() => {});
      throw error;
    } finally {
      contentKey.fill(0);
    }
    return { carrierId, sizeBytes, blobName };
  }

  /** Whether the carrier holds stored content. */
  async hasContent(db: Db, carrierId: string): Promise<boolean> {
    const row = await db
      .selectFrom("content_keys")
      .select("carrier_id")
      .where("carrier_id", "=", carrierId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Opens the carrier's content for reading: its size and a stream of the plaintext, each chunk
   * authenticated before it is released. CONTENT_NOT_FOUND when none is held (or it was
   * destroyed); a damaged blob ends the stream with CONTENT_INTEGRITY_FAILED. Call it only after
   * the access decision allowed the read (A4.2).
   */
  async readContent(db: Db, carrierId: string): Promise<{ sizeBytes: number; stream: Readable }> {
    const row = await db
      .selectFrom("content_keys")
      .selectAll()
      .where("carrier_id", "=", carrierId)
      .executeTakeFirst();
    if (!row) throw new DomainError("CONTENT_NOT_FOUND", { carrierId });
    if (row.wrap_key_id !== this.#wrapKey.id) {
      throw new DomainError("CONTENT_KEY_UNAVAILABLE", {
        problem: `carrier ${carrierId}'s key was wrapped by node key ${row.wrap_key_id}, this node holds ${this.#wrapKey.id}`,
      });
    }
    if (!BLOB_NAME.test(row.blob_name)) throw new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId });
    const path = join(this.blobDir, row.blob_name);
    if (!existsSync(path)) throw new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId });
    const key = unwrapContentKey(this.#wrapKey, carrierId, row.wrapped_key);
    const decrypt = createDecryptStream(
      key,
      carrierId,
      (error) => new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId }, { cause: error }),
    );
    key.fill(0);
    // The callback form returns the last stream; an error ends it (the reader sees it), so the
    // callback itself has nothing left to do.
    const stream = streamPipeline(createReadStream(path), decrypt, () => {});
    return { sizeBytes: Number(row.size_bytes), stream };
  }

  /** Reads the whole content into memory (for small content; use `readContent` to stream). */
  async readContentBytes(db: Db, carrierId: string): Promise<Buffer> {
    const { stream } = await this.readContent(db, carrierId);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * Erases the carrier's content key inside the destroying transaction (A1.8). Returns what to
   * purge after the commit (`purgeErasedContent`), or null if the carrier held no content.
   */
  async eraseContent(trx: Db, carrierId: string): Promise<ErasedContent | null> {
    const row = await trx
      .deleteFrom("content_keys")
      .where("carrier_id", "=", carrierId)
      .returning(["blob_name"])
      .executeTakeFirst();
    return row ? { carrierId, blobName: row.blob_name } : null;
  }

  /**
   * After the destroying transaction committed: overwrites each erased blob with zeros, syncs and
   * unlinks it, then purges the deleted keys from the database files (WAL truncate / VACUUM).
   * Refuses to touch a blob whose key row still exists (the transaction did not commit).
   */
  async purgeErasedContent(db: Db, erased: readonly ErasedContent[]): Promise<void> {
    for (const item of erased) {
      const still = await db
        .selectFrom("content_keys")
        .select("carrier_id")
        .where("blob_name", "=", item.blobName)
        .executeTakeFirst();
      if (still)
        throw new Error(`blob ${item.blobName} still has a key: the erasing transaction did not commit`);
      await shredFile(join(this.blobDir, item.blobName));
    }
    if (erased.length > 0) await syncDirectory(this.blobDir);
    await purgeErasedData(db, ["content_keys"]);
  }

  /**
   * Removes blobs (and unfinished `.tmp` files) that no key row names and that are older than
   * `olderThanMs` (so blobs of transactions still running are left alone). Returns their names.
   */
  async sweepOrphanBlobs(db: Db, olderThanMs: number, now: Date = new Date()): Promise<string[]> {
    if (!existsSync(this.blobDir)) return [];
    const names = new Set(
      (await db.selectFrom("content_keys").select("blob_name").execute()).map((r) => r.blob_name),
    );
    const removed: string[] = [];
    for (const file of readdirSync(this.blobDir)) {
      const base = file.endsWith(".tmp") ? file.slice(0, -4) : file;
      if (!BLOB_NAME.test(base) || (names.has(base) && !file.endsWith(".tmp"))) continue;
      const path = join(this.blobDir, file);
      if (now.getTime() - statSync(path).mtimeMs < olderThanMs) continue;
      await shredFile(path);
      removed.push(file);
    }
    if (removed.length > 0) await syncDirectory(this.blobDir);
    return removed;
  }
}

/** Opens the content vault of a node's data directory. */
export function openContentVault(options: ContentVaultOptions): ContentVault {
  return new ContentVault(options);
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r+");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Overwrites a file with zeros over its whole length, syncs it, then unlinks it. */
async function shredFile(path: string): Promise<void> {
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
