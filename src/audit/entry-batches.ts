/**
 * How `verifyAuditLog` (log.ts) reads the stored entries: in batches of index order, each packed
 * as one value per column (bytes back to back, their lengths, their stored leaf hashes), ready to
 * move to the hashing worker. A batch holds only rows that run on without a gap from where the
 * previous one ended, lie within the head, and have a 32-byte leaf hash; the first row that does
 * not is the read's `failure`, and the verifier stops there.
 *
 * - SQLite: one query per batch, the database concatenating the rows (`group_concat`): reading a
 *   million small rows one by one costs far more than hashing them.
 * - PostgreSQL: the whole log streamed by one `COPY (…) TO STDOUT (FORMAT binary)`, read through
 *   a connection of its own in a read-only REPEATABLE READ snapshot (`withPostgresSnapshot`), which
 *   every other read of the verification shares. Aggregating in the server (string_agg) cost the
 *   server more CPU than hashing costs here, and rows through the driver cost more still.
 */
import { Kysely, PostgresDialect, type PostgresPool, sql } from "kysely";
import type pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { postgresPoolOf } from "../store/open-database.ts";
import type { Database } from "../store/schema.ts";
import { HASH_SIZE } from "./merkle.ts";

type Db = Kysely<Database>;

export type PackedBatch = {
  readonly count: number;
  /** The entries' bytes back to back, in index order. */
  readonly entries: Uint8Array;
  readonly lengths: Uint32Array;
  /** Their stored leaf hashes back to back. */
  readonly leaves: Uint8Array;
};

/** Why reading stopped before the end of the log: the first bad index and what is wrong there. */
export type ReadFailure = { readonly index: number; readonly problem: string };

export type BatchRead = { readonly batch: PackedBatch; readonly failure: ReadFailure | null };

export interface EntryBatchReader {
  /** The next rows from index `from` (where the previous batch ended); an empty batch at the end. */
  next(from: number): Promise<BatchRead>;
}

export const EMPTY_BATCH: PackedBatch = {
  count: 0,
  entries: new Uint8Array(0),
  lengths: new Uint32Array(0),
  leaves: new Uint8Array(0),
};

const missing = (index: number, next: number): ReadFailure => ({
  index,
  problem: `entry ${index} is missing (the next stored entry is ${next})`,
});
const beyondHead = (index: number, headSize: number): ReadFailure => ({
  index,
  problem: `entry ${index} lies beyond the log's head (size ${headSize}): it was inserted`,
});
const badLeaf = (index: number): ReadFailure => ({
  index,
  problem: `entry ${index} does not match its leaf hash: it was edited`,
});

// ---------------------------------------------------------------- SQLite

type PackedRow = {
  n: number | string;
  first: number | null;
  last: number | null;
  lengths: string | null;
  entries: Uint8Array | null;
  leaves: Uint8Array | null;
};

/**
 * SQLite batches: rows `[from, from + limit)` by index order, concatenated by the database (its
 * group_concat copies a blob's bytes as they are). The aggregate takes the rows in the subquery's
 * index order without an ORDER BY of its own (which would sort every batch again); should it ever
 * concatenate in another order, the entries' own indices (checked by the worker) and the leaf
 * hashes refuse the batch: fail closed.
 */
export function sqliteEntryBatches(db: Db, batchSize: number, headSize: number): EntryBatchReader {
  const read = async (from: number, limit: number) => {
    const { rows } = await sql<PackedRow>`
      select count(*) as n, min(idx) as first, max(idx) as last,
        group_concat(length(entry), ',' ) as lengths,
        cast(group_concat(entry, '') as blob) as entries,
        cast(group_concat(leaf_hash, '') as blob) as leaves
      from (select idx, entry, leaf_hash from audit_entries where idx >= ${from} order by idx limit ${limit})`.execute(
      db,
    );
    const row = rows[0];
    const count = Number(row?.n ?? 0);
    if (!row || count === 0) return { ...EMPTY_BATCH, first: 0, last: -1 };
    const lengths = Uint32Array.from((row.lengths ?? "").split(","), Number);
    const entries = toOwnBytes(row.entries);
    let total = 0;
    for (const length of lengths) total += length;
    if (lengths.length !== count || total !== entries.length)
      throw new Error("audit verification read the entries' bytes back inconsistently");
    return {
      count,
      first: Number(row.first),
      last: Number(row.last),
      entries,
      lengths,
      leaves: toOwnBytes(row.leaves),
    };
  };
  return {
    async next(from) {
      let batch: PackedBatch & { first: number; last: number } = await read(from, batchSize);
      if (batch.count === 0) return { batch, failure: null };
      let failure: ReadFailure | null = null;
      // Rows whose indices do not run on from `from`, or lie beyond the head: keep the rows before
      // the first such one, which is the failure.
      let keep = batch.count;
      if (batch.first !== from || batch.last !== from + batch.count - 1) {
        const indices = await db
          .selectFrom("audit_entries")
          .select("idx")
          .where("idx", ">=", from)
          .orderBy("idx")
          .limit(batchSize)
          .execute();
        keep = indices.findIndex((r, i) => Number(r.idx) !== from + i);
        if (keep < 0) throw new Error("the audit log changed while it was being verified; verify again");
        failure = missing(from + keep, Number(indices[keep]!.idx));
      }
      if (from + keep > headSize) {
        keep = Math.max(0, headSize - from);
        failure = beyondHead(from + keep, headSize);
      }
      if (keep !== batch.count) batch = keep === 0 ? { ...batch, ...EMPTY_BATCH } : await read(from, keep);
      if (batch.leaves.length !== batch.count * HASH_SIZE) {
        const bad = await db
          .selectFrom("audit_entries")
          .select("idx")
          .where("idx", ">=", from)
          .where(sql<boolean>`length(leaf_hash) <> ${HASH_SIZE}`)
          .orderBy("idx")
          .limit(1)
          .executeTakeFirstOrThrow();
        const at = Number(bad.idx);
        failure = badLeaf(at);
        batch = at === from ? { ...batch, ...EMPTY_BATCH } : await read(from, at - from);
      }
      return { batch, failure };
    },
  };
}

/** A copy in its own ArrayBuffer (driver buffers may share a pool), so it can move to the worker. */
function toOwnBytes(bytes: Uint8Array | null): Uint8Array {
  return bytes === null ? new Uint8Array(0) : new Uint8Array(bytes);
}

// ---------------------------------------------------------------- PostgreSQL

/**
 * Runs `work` on one connection of `db`'s pool inside a read-only REPEATABLE READ transaction: the
 * Kysely instance it gets reads that snapshot only, and `entries()` streams the entries of the same
 * snapshot. `db` must be the database as `openDatabase` opened it (not a transaction): the
 * verification needs a connection of its own for COPY.
 */
export async function withPostgresSnapshot<T>(
  db: Db,
  work: (snapshot: Db, entries: (batchSize: number, headSize: number) => EntryBatchReader) => Promise<T>,
): Promise<T> {
  const pool = postgresPoolOf(db);
  if (!pool) {
    throw new Error(
      "verifying the audit log on PostgreSQL needs the database as openDatabase opened it, not a transaction: it reads one snapshot on a connection of its own",
    );
  }
  const client = await pool.connect();
  let reusable = true;
  const copies: CopyEntryBatches[] = [];
  try {
    await client.query("begin transaction isolation level repeatable read read only");
    const onClient: PostgresPool = {
      connect: async () =>
        ({ query: client.query.bind(client), release() {} }) as unknown as Awaited<
          ReturnType<PostgresPool["connect"]>
        >,
      end: async () => {},
    };
    const snapshot = new Kysely<Database>({ dialect: new PostgresDialect({ pool: onClient }) });
    const result = await work(snapshot, (batchSize, headSize) => {
      const copy = new CopyEntryBatches(client, batchSize, headSize);
      copies.push(copy);
      return copy;
    });
    // A COPY left half-read leaves the connection mid-protocol: it is closed, not reused.
    if (copies.some((c) => !c.finished)) reusable = false;
    else await client.query("commit");
    return result;
  } catch (error) {
    reusable = false;
    throw error;
  } finally {
    for (const copy of copies) copy.abandon();
    client.release(reusable ? undefined : true);
  }
}

const COPY_SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");
const INITIAL_ENTRY_BYTES = 4 * 1024 * 1024;
const COPY_BUFFER_BYTES = 8 * 1024 * 1024;

/**
 * Parses PostgreSQL's binary COPY format (a signature, flags and a header extension, then tuples of
 * an int16 field count and int32-length-prefixed fields, ended by a count of -1) for the three
 * columns idx (int8), entry and leaf_hash (bytea). Written here because the general parsers make an
 * object per row, which is the cost this read path exists to avoid.
 */
class CopyEntryBatches implements EntryBatchReader {
  readonly #stream: ReturnType<typeof copyTo>;
  readonly #chunks: AsyncIterator<Buffer>;
  readonly #batchSize: number;
  readonly #headSize: number;
  #buf: Buffer = Buffer.alloc(0);
  #pos = 0;
  #headerRead = false;
  #ended = false;
  #failed = false;

  constructor(client: pg.PoolClient, batchSize: number, headSize: number) {
    this.#stream = client.query(
      copyTo(
        "copy (select idx, entry, leaf_hash from audit_entries order by idx) to stdout with (format binary)",
        // Buffered ahead so the server keeps sending while this thread builds the tree (bounded).
        { highWaterMark: COPY_BUFFER_BYTES },
      ),
    );
    this.#chunks = this.#stream[Symbol.asyncIterator]();
    this.#batchSize = batchSize;
    this.#headSize = headSize;
  }

  /** Whether the stream was read to its end (the connection is back in a usable state). */
  get finished(): boolean {
    return this.#ended;
  }

  /** Stops reading a stream that was not read to its end. */
  abandon(): void {
    if (!this.#ended) this.#stream.destroy();
  }

  async next(from: number): Promise<BatchRead> {
    if (this.#failed) throw new Error("the audit entries' stream was read past a failure");
    const lengths = new Uint32Array(this.#batchSize);
    const leaves = new Uint8Array(this.#batchSize * HASH_SIZE);
    let entries = new Uint8Array(INITIAL_ENTRY_BYTES);
    let used = 0;
    let count = 0;
    let failure: ReadFailure | null = null;
    while (count < this.#batchSize && !this.#ended) {
      const row = this.#row();
      if (row === "more") {
        const chunk = await this.#chunks.next();
        if (chunk.done) throw new Error("the audit entries' COPY stream ended before its trailer");
        this.#feed(chunk.value);
        continue;
      }
      if (row === "end") {
        // The stream ends after the trailer (CopyDone, CommandComplete): read it to its end so the
        // connection is ready for the next query.
        while (!(await this.#chunks.next()).done) {}
        this.#ended = true;
        break;
      }
      const expected = from + count;
      if (this.#idx !== expected) failure = missing(expected, this.#idx);
      else if (expected >= this.#headSize) failure = beyondHead(expected, this.#headSize);
      else if (this.#leafEnd - this.#leafStart !== HASH_SIZE) failure = badLeaf(expected);
      if (failure !== null) {
        this.#failed = true;
        break;
      }
      const length = this.#entryEnd - this.#entryStart;
      if (used + length > entries.length) {
        const grown = new Uint8Array(Math.max(2 * entries.length, used + length));
        grown.set(entries.subarray(0, used));
        entries = grown;
      }
      this.#buf.copy(entries, used, this.#entryStart, this.#entryEnd);
      this.#buf.copy(leaves, count * HASH_SIZE, this.#leafStart, this.#leafEnd);
      lengths[count] = length;
      used += length;
      count++;
    }
    const batch: PackedBatch =
      count === 0
        ? EMPTY_BATCH
        : {
            count,
            entries: entries.slice(0, used),
            lengths: lengths.slice(0, count),
            leaves: leaves.slice(0, count * HASH_SIZE),
          };
    return { batch, failure };
  }

  #feed(chunk: Buffer): void {
    this.#buf = this.#pos < this.#buf.length ? Buffer.concat([this.#buf.subarray(this.#pos), chunk]) : chunk;
    this.#pos = 0;
  }

  // The row #row() parsed last: its index and where its fields lie in #buf.
  #idx = 0;
  #entryStart = 0;
  #entryEnd = 0;
  #leafStart = 0;
  #leafEnd = 0;

  /**
   * Parses the next complete row at the read position into the fields above (consumed): "row",
   * "end" at the trailer, or "more" when the bytes read so far end inside it. Allocates nothing.
   */
  #row(): "row" | "end" | "more" {
    const buf = this.#buf;
    let p = this.#pos;
    if (!this.#headerRead) {
      if (buf.length - p < COPY_SIGNATURE.length + 8) return "more";
      if (buf.compare(COPY_SIGNATURE, 0, COPY_SIGNATURE.length, p, p + COPY_SIGNATURE.length) !== 0)
        throw new Error("the audit entries' COPY stream is not in PostgreSQL's binary format");
      const extension = buf.readUInt32BE(p + COPY_SIGNATURE.length + 4);
      if (buf.length - p < COPY_SIGNATURE.length + 8 + extension) return "more";
      this.#pos = p + COPY_SIGNATURE.length + 8 + extension;
      this.#headerRead = true;
      return this.#row();
    }
    if (buf.length - p < 2) return "more";
    const fields = buf.readInt16BE(p);
    if (fields === -1) {
      this.#pos = p + 2;
      return "end";
    }
    if (fields !== 3) throw new Error(`the audit entries' COPY stream has a row of ${fields} columns`);
    p += 2;
    // idx: int8
    if (buf.length - p < 12) return "more";
    if (buf.readInt32BE(p) !== 8)
      throw new Error("the audit entries' COPY stream has an index that is not int8");
    const idx = Number(buf.readBigInt64BE(p + 4));
    p += 12;
    // entry, leaf_hash: bytea
    if (buf.length - p < 4) return "more";
    const entryLength = buf.readInt32BE(p);
    const entryStart = p + 4;
    p = entryStart + entryLength;
    if (buf.length - p < 4) return "more";
    const leafLength = buf.readInt32BE(p);
    const leafStart = p + 4;
    p = leafStart + leafLength;
    if (entryLength < 0 || leafLength < 0)
      throw new Error("the audit entries' COPY stream has a NULL where the table forbids one");
    if (buf.length < p) return "more";
    this.#idx = idx;
    this.#entryStart = entryStart;
    this.#entryEnd = entryStart + entryLength;
    this.#leafStart = leafStart;
    this.#leafEnd = p;
    this.#pos = p;
    return "row";
  }
}
