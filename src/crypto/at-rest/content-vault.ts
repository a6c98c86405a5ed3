/**
 * Electronic content of carriers, encrypted at rest with one AES-256-GCM key per carrier, and its
 * destruction as cryptographic erasure (A1.8, A6.6; NIST SP 800-88r2 "cryptographic erase").
 *
 * - The content is a blob file `<dataDir>/blobs/<random name>` in the chunked format of
 *   `chunked-cipher.ts` (any size, bounded memory). The carrier's key is a row of `content_keys`,
 *   written in the caller's transaction, wrapped under the key of the carrier's **bucket** (a bucket
 *   per `bucketSize` carriers, default 32). Bucket keys are never in the database: they live in the
 *   node's key store `<dataDir>/keys/content-buckets.keys`, itself encrypted under the node wrapping
 *   key (`wrap-key.ts`) and replaced atomically (`bucket-key-store.ts`).
 * - Destruction, in steps, because a file cannot take part in a database transaction:
 *   1. `eraseContent(trx, carrierId)` inside the destroying transaction deletes the key row and
 *      marks its bucket `erasure_pending`; once that commits the content is unreadable here, and a
 *      rollback loses nothing;
 *   2. `purgeErasedContent(db, erased)` after the commit shreds the blob, then finishes every
 *      pending erasure (`finishPendingErasures`): in one transaction a fresh key is added to the key
 *      store, the bucket's surviving keys are re-wrapped under it and the bucket points at it; once
 *      that commits, the bucket keys no row uses any more are dropped from the key store (the old
 *      file version overwritten). From then every stale wrapped copy of the destroyed carrier's key
 *      — SQLite WAL or free pages, PostgreSQL dead tuples, TOAST, pg_wal, backups of the database —
 *      is under a key that exists nowhere: it opens nothing. Last, best effort, the database is asked
 *      to forget the old bytes too (WAL truncate / VACUUM); its failure (a reader holds the WAL) is
 *      reported as residue, not an error.
 *   Every step is idempotent and crash-safe: the key store keeps the old key until the re-wrap has
 *   committed, and a step not done (crash, failure) stays recorded in the database
 *   (`content_key_buckets.erasure_pending`, `content_key_store.drop_pending`) and is finished by the
 *   next destruction or `finishPendingErasures`. `purgeErasedContent` never throws after a commit:
 *   it reports what is complete, pending and left as residue (`ErasureReport`).
 * - Writers of the key store serialise on the `content_key_store` row (SQLite: the write lock;
 *   PostgreSQL: a row lock held to the commit; a re-wrap takes it before its bucket's row); readers
 *   reload the file when it changed. `storeContent` must run inside the storing transaction.
 * - Keys stored before buckets (migration 0013) are wrapped by the node key (`bucket_id` null): they
 *   are re-wrapped into buckets by the next `finishPendingErasures`.
 *
 * Limits to know: a key that was ever stored wrapped by the node key directly (before 0013) stays
 * recoverable, with the node wrapping key, from database pages of that time until they are reused;
 * only replacing the node wrapping key removes that. A copy of the key store taken before a
 * destruction (a backup of `<dataDir>/keys/`) still opens what it wrapped: the erasure reaches
 * copies of the database, not copies of the key store. Overwriting a file in place does not reach
 * copies a copy-on-write filesystem, snapshots or an SSD's wear levelling keep, of the blob or of
 * old key-store versions (those stay encrypted under the node wrapping key).
 */
import { randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { Readable, pipeline as streamPipeline, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Kysely, sql } from "kysely";
import { DomainError } from "../../domain/errors.ts";
import { dialectOf } from "../../store/columns.ts";
import type { Database } from "../../store/schema.ts";
import { lockForUpdate, purgeErasedData, type Trx, withTransaction } from "../../store/transaction.ts";
import {
  type BucketKey,
  type BucketKeys,
  bucketKeyStorePath,
  fileSignature,
  newBucketKey,
  readBucketKeys,
  shredFile,
  syncDirectory,
  unwrapFromBucket,
  wrapInBucket,
  writeBucketKeys,
} from "./bucket-key-store.ts";
import { createDecryptStream, createEncryptStream, DEFAULT_CHUNK_SIZE, KEY_SIZE } from "./chunked-cipher.ts";
import { type ContentWrapKey, loadContentWrapKey, unwrapContentKey } from "./wrap-key.ts";

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
export type ErasedContent = {
  readonly carrierId: string;
  readonly blobName: string;
  /** The bucket whose key is replaced; null: a key still wrapped by the node key (before 0013). */
  readonly bucketId: string | null;
};

/** What `purgeErasedContent` did after a committed destruction (A1.8). */
export type ErasureReport = {
  /** Always true: the destroying transaction committed (the key rows are gone). */
  readonly committed: true;
  /**
   * The erasure is finished: the blobs are shredded and the bucket keys that wrapped the erased keys
   * are replaced and dropped from the key store, so nothing left anywhere opens the content.
   */
  readonly complete: boolean;
  /** What remains to do (A1.8); done by itself by the next destruction or `finishPendingErasures`. */
  readonly pending: readonly string[];
  /** Bytes that may stay in files (database pages, WAL); each says whether it opens anything. */
  readonly residue: readonly string[];
};

/** Content to store: bytes, a Node stream or any async iterable of byte chunks. */
export type ContentSource = Uint8Array | Readable | AsyncIterable<Uint8Array>;

/** The steps of an erasure at which `ContentVaultOptions.onErasureStep` is called (for tests). */
export type ErasureStep =
  /** Inside the re-wrap transaction: the key store holds the fresh key, the rows are re-wrapped, not committed. */
  | "rewrapped"
  /** The re-wrap committed; the old bucket key is still in the key store. */
  | "rewrap-committed";

export type ContentVaultOptions = {
  readonly dataDir: string;
  /** The wrapping key; default: loaded from the environment or `<dataDir>/keys/node-wrap.key`. */
  readonly wrapKey?: ContentWrapKey;
  /** Plaintext bytes per encrypted chunk (default 64 KiB). */
  readonly chunkSize?: number;
  /** Carriers per bucket (default 32): a destruction re-wraps at most this many keys. */
  readonly bucketSize?: number;
  /** Called at each step of an erasure; a throw there stops the erasure as a crash would (tests only). */
  readonly onErasureStep?: (step: ErasureStep, bucketId: string) => void | Promise<void>;
};

const BLOB_NAME = /^[0-9a-f]{32}$/;
const DEFAULT_BUCKET_SIZE = 32;
/** A blob no key row names, this old, belongs to no running transaction (a destroyed or rolled-back one). */
const ORPHAN_BLOB_AGE_MS = 3_600_000;

function unavailable(problem: string): never {
  throw new DomainError("CONTENT_KEY_UNAVAILABLE", { problem });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Takes the key store's lock (the `content_key_store` row: SQLite already holds the write lock of
 * BEGIN IMMEDIATE, PostgreSQL locks the row until the transaction ends) and returns the generation
 * the next write of the file carries.
 */
async function lockKeyStore(trx: Db): Promise<number> {
  const row = await trx
    .updateTable("content_key_store")
    .set({ generation: sql`generation + 1` })
    .where("id", "=", 1)
    .returning("generation")
    .executeTakeFirst();
  if (!row) throw new Error("the content_key_store row is missing: migration 0013 did not run");
  return Number(row.generation);
}

/** A throw of `onErasureStep`: the erasure stops there, as after a crash. */
class ErasureInterrupted extends Error {
  constructor(
    readonly step: ErasureStep,
    cause: unknown,
  ) {
    super(`erasure interrupted after ${step}`, { cause });
  }
}

/** A node's store of carrier content, encrypted at rest. */
export class ContentVault {
  readonly blobDir: string;
  /** The node's key store of bucket keys. */
  readonly keyStorePath: string;
  #wrapKey: ContentWrapKey;
  /** The wrapping key was loaded here (not given): reloaded when a rotation replaced it. */
  readonly #reloadable: boolean;
  readonly #dataDir: string;
  readonly #chunkSize: number;
  readonly #bucketSize: number;
  readonly #onErasureStep: ContentVaultOptions["onErasureStep"];
  #cache: { signature: string | null; store: BucketKeys } | null = null;

  constructor(options: ContentVaultOptions) {
    this.blobDir = blobDirectory(options.dataDir);
    this.keyStorePath = bucketKeyStorePath(options.dataDir);
    this.#wrapKey = options.wrapKey ?? loadContentWrapKey(options.dataDir);
    this.#reloadable = options.wrapKey === undefined;
    this.#dataDir = options.dataDir;
    this.#chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.#bucketSize = options.bucketSize ?? DEFAULT_BUCKET_SIZE;
    this.#onErasureStep = options.onErasureStep;
  }

  /** The key store as the file holds it now (re-read when the file changed, or when `fresh`). */
  #keys(fresh = false): BucketKeys {
    const signature = fileSignature(this.keyStorePath);
    if (!fresh && this.#cache && this.#cache.signature === signature) return this.#cache.store;
    let store: BucketKeys;
    try {
      store = readBucketKeys(this.keyStorePath, this.#wrapKey);
    } catch (error) {
      // A4.1.1, A1.8: `kelisim node rotate-wrap-key` rewrote the key store under a new wrapping key
      // and replaced the key file in place: take the new key from where this node reads it.
      const reloaded = this.#reloadable ? loadContentWrapKey(this.#dataDir) : null;
      if (reloaded === null || reloaded.id === this.#wrapKey.id) throw error;
      store = readBucketKeys(this.keyStorePath, reloaded);
      this.#wrapKey = reloaded;
    }
    this.#cache = { signature, store };
    return store;
  }

  /** The id of the wrapping key the key store is under now. */
  get wrapKeyId(): string {
    return this.#wrapKey.id;
  }

  /**
   * Replaces the node wrapping key (A4.1.1, A6.2, A1.8: `kelisim node rotate-wrap-key`): the key
   * store of bucket keys is re-encrypted under `next` and replaced atomically, in one transaction
   * holding the key store's lock, in which `alongside` runs too (the caller re-seals what else the
   * old key protects and audits the rotation). Content keys and blobs are untouched (bucket keys wrap
   * them). Content keys still wrapped by the node key (before migration 0013) are first re-wrapped
   * into buckets; one wrapped by a key this node does not hold refuses the rotation
   * (NODE_KEY_ROTATION_REFUSED, nothing changed). Until the commit the old key still opens the old
   * file; a store already under `next` (an interrupted earlier run) is taken as it is.
   */
  async replaceWrapKey(
    db: Db,
    next: ContentWrapKey,
    alongside: (trx: Trx, done: { bucketKeys: number; legacyRebucketed: number }) => Promise<void>,
  ): Promise<{ bucketKeys: number; legacyRebucketed: number }> {
    const legacyBefore = await this.#countLegacy(db);
    await this.#bucketLegacyKeys(db);
    const done = await withTransaction(db, async (trx) => {
      const generation = await lockKeyStore(trx);
      const legacyLeft = await this.#countLegacy(trx);
      if (legacyLeft > 0) {
        throw new DomainError("NODE_KEY_ROTATION_REFUSED", {
          key: "content wrapping key",
          problem: `${legacyLeft} content key(s) stored before content-key buckets (migration 0013) are wrapped by a node key other than ${this.#wrapKey.id} and cannot be re-wrapped`,
        });
      }
      let store: BucketKeys;
      try {
        store = readBucketKeys(this.keyStorePath, this.#wrapKey);
      } catch (error) {
        try {
          store = readBucketKeys(this.keyStorePath, next);
        } catch {
          throw error;
        }
      }
      const counts = { bucketKeys: store.keys.size, legacyRebucketed: legacyBefore };
      await alongside(trx, counts);
      await writeBucketKeys(this.keyStorePath, next, { generation, keys: store.keys });
      return counts;
    });
    this.#wrapKey = next;
    this.#cache = null;
    return done;
  }

  async #countLegacy(db: Db): Promise<number> {
    const row = await db
      .selectFrom("content_keys")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("bucket_id", "is", null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  #bucketKey(id: string): BucketKey | undefined {
    return this.#keys().keys.get(id) ?? this.#keys(true).keys.get(id);
  }

  async #writeKeys(store: BucketKeys): Promise<void> {
    await writeBucketKeys(this.keyStorePath, this.#wrapKey, store);
    this.#cache = { signature: fileSignature(this.keyStorePath), store };
  }

  /** The bucket key that wraps a new carrier's key in `trx`: the newest bucket with room, else a new bucket. */
  async #bucketForNewCarrier(trx: Db, now: Date): Promise<BucketKey> {
    const openBucket = await lockForUpdate(
      trx,
      trx
        .selectFrom("content_key_buckets")
        .select(["id", "key_id"])
        .where("carriers", "<", this.#bucketSize)
        .orderBy("opened_at", "desc")
        .orderBy("id", "desc")
        .limit(1),
    ).executeTakeFirst();
    if (openBucket) {
      await trx
        .updateTable("content_key_buckets")
        .set({ carriers: sql`carriers + 1` })
        .where("id", "=", openBucket.id)
        .execute();
      return (
        this.#bucketKey(openBucket.key_id) ??
        unavailable(`bucket key ${openBucket.key_id} is not in the node's key store ${this.keyStorePath}`)
      );
    }
    const generation = await lockKeyStore(trx);
    const store = this.#keys(true);
    const fresh = newBucketKey(randomBytes(8).toString("hex"));
    const keys = new Map(store.keys);
    keys.set(fresh.id, fresh);
    // The key is in the key store before any row names it; a rollback leaves it unused (dropped later).
    await this.#writeKeys({ generation, keys });
    await trx
      .insertInto("content_key_buckets")
      .values({
        id: fresh.bucket,
        key_id: fresh.id,
        carriers: 1,
        opened_at: now.toISOString(),
        erasure_pending: 0,
      })
      .execute();
    return fresh;
  }

  /**
   * Encrypts `source` under a fresh key for `carrierId` into a new blob, then records the key,
   * wrapped under its bucket's key, in `trx`. The content is readable once `trx` commits. A carrier
   * holds content once: storing again is refused (INPUT_INVALID). Memory stays bounded by the chunk
   * size whatever the size.
   */
  async storeContent(
    trx: Db,
    carrierId: string,
    source: ContentSource,
    now: Date = new Date(),
  ): Promise<StoredContent> {
    // The key store's lock (taken when a bucket opens) lasts as long as the transaction.
    if (!trx.isTransaction) throw new Error("storeContent runs inside the storing transaction");
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
      const bucketKey = await this.#bucketForNewCarrier(trx, now);
      await trx
        .insertInto("content_keys")
        .values({
          carrier_id: carrierId,
          wrapped_key: wrapInBucket(bucketKey, carrierId, contentKey),
          wrap_key_id: bucketKey.id,
          bucket_id: bucketKey.bucket,
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

  /** The carrier's content key, unwrapped (the caller zeroes it). */
  async #contentKey(
    db: Db,
    carrierId: string,
  ): Promise<{ key: Buffer; blobName: string; sizeBytes: number }> {
    // A destruction in the same bucket may re-wrap the key and drop the old bucket key between
    // reading the row and the key store: read the row again then.
    for (let attempt = 0; ; attempt++) {
      const row = await db
        .selectFrom("content_keys")
        .selectAll()
        .where("carrier_id", "=", carrierId)
        .executeTakeFirst();
      if (!row) throw new DomainError("CONTENT_NOT_FOUND", { carrierId });
      if (!BLOB_NAME.test(row.blob_name)) throw new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId });
      if (!existsSync(join(this.blobDir, row.blob_name)))
        throw new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId });
      const found = { blobName: row.blob_name, sizeBytes: Number(row.size_bytes) };
      if (row.bucket_id === null) {
        if (row.wrap_key_id !== this.#wrapKey.id) {
          unavailable(
            `carrier ${carrierId}'s key was wrapped by node key ${row.wrap_key_id}, this node holds ${this.#wrapKey.id}`,
          );
        }
        return { key: unwrapContentKey(this.#wrapKey, carrierId, row.wrapped_key), ...found };
      }
      const bucketKey = this.#bucketKey(row.wrap_key_id);
      if (bucketKey) return { key: unwrapFromBucket(bucketKey, carrierId, row.wrapped_key), ...found };
      if (attempt >= 2)
        unavailable(
          `carrier ${carrierId}'s bucket key ${row.wrap_key_id} is not in the node's key store ${this.keyStorePath}`,
        );
    }
  }

  /**
   * Opens the carrier's content for reading: its size and a stream of the plaintext, each chunk
   * authenticated before it is released. CONTENT_NOT_FOUND when none is held (or it was
   * destroyed); a damaged blob ends the stream with CONTENT_INTEGRITY_FAILED. Call it only after
   * the access decision allowed the read (A4.2).
   */
  async readContent(db: Db, carrierId: string): Promise<{ sizeBytes: number; stream: Readable }> {
    const { key, blobName, sizeBytes } = await this.#contentKey(db, carrierId);
    const decrypt = createDecryptStream(
      key,
      carrierId,
      (error) => new DomainError("CONTENT_INTEGRITY_FAILED", { carrierId }, { cause: error }),
    );
    key.fill(0);
    // The callback form returns the last stream; an error ends it (the reader sees it), so the
    // callback itself has nothing left to do.
    const stream = streamPipeline(createReadStream(join(this.blobDir, blobName)), decrypt, () => {});
    return { sizeBytes, stream };
  }

  /** Reads the whole content into memory (for small content; use `readContent` to stream). */
  async readContentBytes(db: Db, carrierId: string): Promise<Buffer> {
    const { stream } = await this.readContent(db, carrierId);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /**
   * Erases the carrier's content key inside the destroying transaction (A1.8): deletes its row and
   * marks its bucket's key for replacement. Returns what to purge after the commit
   * (`purgeErasedContent`), or null if the carrier held no content.
   */
  async eraseContent(trx: Db, carrierId: string): Promise<ErasedContent | null> {
    const markPending = (bucketId: string) =>
      trx.updateTable("content_key_buckets").set({ erasure_pending: 1 }).where("id", "=", bucketId).execute();
    // The bucket row first, then the key row: the order the re-wrap takes its locks in.
    const row = await trx
      .selectFrom("content_keys")
      .select("bucket_id")
      .where("carrier_id", "=", carrierId)
      .executeTakeFirst();
    if (!row) return null;
    if (row.bucket_id !== null) await markPending(row.bucket_id);
    const deleted = await trx
      .deleteFrom("content_keys")
      .where("carrier_id", "=", carrierId)
      .returning(["blob_name", "bucket_id"])
      .executeTakeFirst();
    if (!deleted) return null;
    if (deleted.bucket_id !== null && deleted.bucket_id !== row.bucket_id)
      await markPending(deleted.bucket_id);
    return { carrierId, blobName: deleted.blob_name, bucketId: deleted.bucket_id };
  }

  /**
   * After the destroying transaction committed (A1.8): shreds each erased blob, finishes every
   * pending erasure (the erased keys' bucket keys replaced and dropped, see the top of this file),
   * then asks the database to forget the old bytes (WAL truncate / VACUUM). Throws only if a key
   * row still exists (the transaction did not commit: nothing is touched); after a commit it never
   * throws and reports what is complete, pending (finished later by itself) and left as residue.
   */
  async purgeErasedContent(db: Db, erased: readonly ErasedContent[]): Promise<ErasureReport> {
    const pending: string[] = [];
    const residue: string[] = [];
    let legacy = false;
    for (const item of erased) {
      let still: unknown;
      try {
        still = await db
          .selectFrom("content_keys")
          .select("carrier_id")
          .where("blob_name", "=", item.blobName)
          .executeTakeFirst();
      } catch (error) {
        pending.push(
          `A1.8: the blob of carrier ${item.carrierId} is not yet overwritten (${messageOf(error)}); it opens with no key and is shredded by a later destruction once an hour old`,
        );
        continue;
      }
      if (still)
        throw new Error(`blob ${item.blobName} still has a key: the erasing transaction did not commit`);
      try {
        await shredFile(join(this.blobDir, item.blobName));
      } catch (error) {
        pending.push(
          `A1.8: the blob of carrier ${item.carrierId} is not yet overwritten (${messageOf(error)}); it opens with no key and is shredded by a later destruction once an hour old`,
        );
      }
      if (item.bucketId === null) {
        legacy = true;
        residue.push(
          `A1.8: carrier ${item.carrierId}'s key was stored before content-key buckets (migration 0013), wrapped by the node wrapping key: copies of that row left in database pages of that time open with the node wrapping key until the pages are reused`,
        );
      }
    }
    if (erased.length > 0) await syncDirectory(this.blobDir).catch(() => {});
    pending.push(...(await this.finishPendingErasures(db)));
    const complete = pending.length === 0 && !legacy;
    const purge = await purgeErasedData(db, ["content_keys"]);
    const whatStays = complete
      ? "they hold only keys wrapped under bucket keys that are dropped, so they open nothing"
      : "until the pending erasure is finished they may still open with the current bucket key";
    if (!purge.purged) {
      residue.push(
        `A1.8: old database pages not purged (${purge.problem}): ${whatStays}; retried at the next destruction`,
      );
    } else if (dialectOf(db) === "postgres") {
      residue.push(`A1.8: PostgreSQL keeps dead row versions and pg_wal until they are reused: ${whatStays}`);
    }
    return { committed: true, complete, pending, residue };
  }

  /**
   * Finishes what earlier erasures left (a crash, a failure, another process): every bucket marked
   * `erasure_pending` gets a fresh key with its surviving keys re-wrapped, and bucket keys no row
   * uses are dropped from the key store; keys stored before buckets are re-wrapped into buckets
   * first, and blobs no key names for an hour are shredded. Call it after a destruction (purgeErasedContent does) or at start, never inside a
   * transaction. Returns what it could not finish yet (A1.8); never throws.
   */
  async finishPendingErasures(db: Db): Promise<string[]> {
    const left: string[] = [];
    /** Runs one step; false when the erasure must stop here (a simulated crash). */
    const attempt = async (work: () => Promise<void>, problem: (message: string) => string) => {
      try {
        await work();
        return true;
      } catch (error) {
        if (error instanceof ErasureInterrupted) {
          left.push(
            `A1.8: the erasure was interrupted after step "${error.step}"; it is finished later by itself`,
          );
          return false;
        }
        left.push(problem(messageOf(error)));
        return true;
      }
    };
    await attempt(
      () => this.#bucketLegacyKeys(db),
      (m) => `A1.8: keys stored before content-key buckets are not yet re-wrapped into buckets (${m})`,
    );
    let buckets: { id: string }[] = [];
    await attempt(
      async () => {
        buckets = await db
          .selectFrom("content_key_buckets")
          .select("id")
          .where("erasure_pending", "=", 1)
          .execute();
      },
      (m) => `A1.8: pending erasures could not be listed (${m})`,
    );
    for (const { id } of buckets) {
      const go = await attempt(
        () => this.#rotateBucket(db, id),
        (m) =>
          `A1.8: bucket ${id}'s key is not yet replaced (${m}): the destroyed carriers' old wrapped keys still open with it until then`,
      );
      if (!go) return left;
    }
    await attempt(
      async () => {
        await this.sweepOrphanBlobs(db, ORPHAN_BLOB_AGE_MS);
      },
      (m) => `A1.8: blobs left without a key are not yet shredded (${m})`,
    );
    await attempt(
      () => this.#dropUnusedKeys(db),
      (m) => `A1.8: replaced bucket keys are not yet dropped from the key store ${this.keyStorePath} (${m})`,
    );
    return left;
  }

  async #step(step: ErasureStep, bucketId: string): Promise<void> {
    if (!this.#onErasureStep) return;
    try {
      await this.#onErasureStep(step, bucketId);
    } catch (error) {
      throw new ErasureInterrupted(step, error);
    }
  }

  /** Gives bucket `bucketId` a fresh key and re-wraps its surviving keys under it, in one transaction. */
  async #rotateBucket(db: Db, bucketId: string): Promise<void> {
    await withTransaction(db, async (trx) => {
      const generation = await lockKeyStore(trx);
      const bucket = await lockForUpdate(
        trx,
        trx.selectFrom("content_key_buckets").selectAll().where("id", "=", bucketId),
      ).executeTakeFirst();
      if (bucket?.erasure_pending !== 1) return; // done meanwhile by another process
      const rows = await trx
        .selectFrom("content_keys")
        .select(["carrier_id", "wrapped_key", "wrap_key_id"])
        .where("bucket_id", "=", bucketId)
        .execute();
      if (rows.length === 0 && bucket.carriers >= this.#bucketSize) {
        // Full and empty: the bucket ends, its key is dropped with the others no row uses.
        await trx.deleteFrom("content_key_buckets").where("id", "=", bucketId).execute();
      } else {
        const store = this.#keys(true);
        const fresh = newBucketKey(bucketId);
        const keys = new Map(store.keys);
        keys.set(fresh.id, fresh);
        // The old keys stay in the file until this transaction has committed.
        await this.#writeKeys({ generation, keys });
        for (const row of rows) {
          const old = keys.get(row.wrap_key_id);
          if (!old)
            unavailable(
              `carrier ${row.carrier_id}'s bucket key ${row.wrap_key_id} is not in the node's key store ${this.keyStorePath}`,
            );
          const contentKey = unwrapFromBucket(old, row.carrier_id, row.wrapped_key);
          try {
            await trx
              .updateTable("content_keys")
              .set({ wrapped_key: wrapInBucket(fresh, row.carrier_id, contentKey), wrap_key_id: fresh.id })
              .where("carrier_id", "=", row.carrier_id)
              .execute();
          } finally {
            contentKey.fill(0);
          }
        }
        await trx
          .updateTable("content_key_buckets")
          .set({ key_id: fresh.id, erasure_pending: 0 })
          .where("id", "=", bucketId)
          .execute();
      }
      await trx.updateTable("content_key_store").set({ drop_pending: 1 }).where("id", "=", 1).execute();
      await this.#step("rewrapped", bucketId);
    });
    await this.#step("rewrap-committed", bucketId);
  }

  /** Drops from the key store every bucket key no bucket and no row names (after re-wraps committed). */
  async #dropUnusedKeys(db: Db): Promise<void> {
    const flag = await db
      .selectFrom("content_key_store")
      .select("drop_pending")
      .where("id", "=", 1)
      .executeTakeFirst();
    if (flag?.drop_pending !== 1) return;
    await withTransaction(db, async (trx) => {
      const generation = await lockKeyStore(trx);
      const live = new Set<string>();
      for (const b of await trx.selectFrom("content_key_buckets").select("key_id").execute())
        live.add(b.key_id);
      for (const r of await trx
        .selectFrom("content_keys")
        .select("wrap_key_id")
        .distinct()
        .where("bucket_id", "is not", null)
        .execute())
        live.add(r.wrap_key_id);
      const store = this.#keys(true);
      const keys = new Map([...store.keys].filter(([id]) => live.has(id)));
      await this.#writeKeys({ generation, keys });
      await trx.updateTable("content_key_store").set({ drop_pending: 0 }).where("id", "=", 1).execute();
    });
  }

  /** Re-wraps keys stored before content-key buckets (wrapped by the node key) into new buckets. */
  async #bucketLegacyKeys(db: Db): Promise<void> {
    const any = await db
      .selectFrom("content_keys")
      .select("carrier_id")
      .where("bucket_id", "is", null)
      .where("wrap_key_id", "=", this.#wrapKey.id)
      .limit(1)
      .executeTakeFirst();
    if (!any) return;
    await withTransaction(db, async (trx) => {
      const generation = await lockKeyStore(trx);
      const rows = await lockForUpdate(
        trx,
        trx
          .selectFrom("content_keys")
          .select(["carrier_id", "wrapped_key"])
          .where("bucket_id", "is", null)
          .where("wrap_key_id", "=", this.#wrapKey.id)
          .orderBy("carrier_id"),
      ).execute();
      if (rows.length === 0) return;
      const store = this.#keys(true);
      const keys = new Map(store.keys);
      const fresh: BucketKey[] = [];
      for (let i = 0; i < rows.length; i += this.#bucketSize) {
        const key = newBucketKey(randomBytes(8).toString("hex"));
        keys.set(key.id, key);
        fresh.push(key);
      }
      await this.#writeKeys({ generation, keys });
      const now = new Date().toISOString();
      for (const [i, key] of fresh.entries()) {
        const part = rows.slice(i * this.#bucketSize, (i + 1) * this.#bucketSize);
        await trx
          .insertInto("content_key_buckets")
          .values({
            id: key.bucket,
            key_id: key.id,
            carriers: this.#bucketSize,
            opened_at: now,
            erasure_pending: 0,
          })
          .execute();
        for (const row of part) {
          const contentKey = unwrapContentKey(this.#wrapKey, row.carrier_id, row.wrapped_key);
          try {
            await trx
              .updateTable("content_keys")
              .set({
                wrapped_key: wrapInBucket(key, row.carrier_id, contentKey),
                wrap_key_id: key.id,
                bucket_id: key.bucket,
              })
              .where("carrier_id", "=", row.carrier_id)
              .execute();
          } finally {
            contentKey.fill(0);
          }
        }
      }
    });
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

/**
 * What someone holding the node wrapping key, the key store file and a copy of a `content_keys` row
 * (live or stale, from any database page) can unwrap: the content key, or null if no key in the key
 * store opens it. For tests and audits of an erasure (A1.8).
 */
export function openWrappedKeyWithStore(
  options: { readonly dataDir: string; readonly wrapKey: ContentWrapKey },
  carrierId: string,
  wrapped: Uint8Array,
): Buffer | null {
  const store = readBucketKeys(bucketKeyStorePath(options.dataDir), options.wrapKey);
  for (const key of store.keys.values()) {
    try {
      return unwrapFromBucket(key, carrierId, wrapped);
    } catch {
      // not this one
    }
  }
  return null;
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
