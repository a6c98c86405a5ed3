/**
 * How `verifyAuditLog` (log.ts) reads the stored entries: in batches of index order, each packed
 * into one buffer (each entry's RFC 9162 leaf input and its stored leaf hash, with their offsets),
 * ready to move to the hashing worker. A batch holds only rows that run on without a gap from where the
 * previous one ended, lie within the head, and have a 32-byte leaf hash; the first row that does
 * not is the read's `failure`, and the verifier stops there.
 *
 * - SQLite: one query per batch, the database concatenating the rows (`group_concat`): reading a
 *   million small rows one by one costs far more than hashing them. The reads run on a connection
 *   of their own in one read transaction (`withSqliteSnapshot`).
 * - PostgreSQL: the whole log streamed by one `COPY (…) TO STDOUT (FORMAT binary)`, read through
 *   a connection of its own in a read-only REPEATABLE READ snapshot (`withPostgresSnapshot`), which
 *   every other read of the verification shares. Aggregating in the server (string_agg) cost the
 *   server more CPU than hashing costs here, and rows through the driver cost more still.
 */
import BetterSqlite3 from "better-sqlite3";
import { Kysely, PostgresDialect, type PostgresPool, SqliteDialect, sql } from "kysely";
import type pg from "pg";
import { postgresPoolOf, sqliteFileOf } from "../store/open-database.ts";
import { PgCopyOut } from "../store/pg-copy-out.ts";
import type { Database } from "../store/schema.ts";
import { HASH_SIZE } from "./merkle.ts";

type Db = Kysely<Database>;

export type PackedBatch = {
  readonly count: number;
  /** Bytes holding each entry's leaf input and stored leaf hash, where the offsets below say. */
  readonly data: Uint8Array;
  /**
   * Where entry i's RFC 9162 leaf input (a 0x00 byte, then the entry's canonical bytes) starts in
   * `data`, and its length: the worker hashes it where it lies.
   */
  readonly inputStarts: Uint32Array;
  readonly inputLengths: Uint32Array;
  /** Where entry i's stored leaf hash (32 bytes) starts in `data`. */
  readonly leafStarts: Uint32Array;
  /** The entries' canonical bytes in all (without the 0x00 before each). */
  readonly entryBytes: number;
};

/** Why reading stopped before the end of the log: the first bad index and what is wrong there. */
export type ReadFailure = { readonly index: number; readonly problem: string };

export type BatchRead = { readonly batch: PackedBatch; readonly failure: ReadFailure | null };

export interface EntryBatchReader {
  /** The next rows from index `from` (where the previous batch ended); an empty batch at the end. */
  next(from: number): Promise<BatchRead>;
  /** Takes back a batch's `data` buffer once hashed, to fill it again (optional). */
  reuse?(buffer: ArrayBuffer): void;
}

export const EMPTY_BATCH: PackedBatch = {
  count: 0,
  data: new Uint8Array(0),
  inputStarts: new Uint32Array(0),
  inputLengths: new Uint32Array(0),
  leafStarts: new Uint32Array(0),
  entryBytes: 0,
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
 * Runs `work` on a connection of its own to the SQLite file behind `db`, inside one read
 * transaction: in WAL mode that is a snapshot, so entries the node appends meanwhile are neither
 * seen nor mistaken for insertions, and the node's own connection is not held (its writes go on).
 * With a transaction, or a database not opened from a file by `openDatabase`, `work` reads `db`.
 */
export async function withSqliteSnapshot<T>(db: Db, work: (snapshot: Db) => Promise<T>): Promise<T> {
  const file = db.isTransaction ? undefined : sqliteFileOf(db);
  if (file === undefined) return work(db);
  const raw = new BetterSqlite3(file, { fileMustExist: true, timeout: 10_000 });
  const snapshot = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }) });
  try {
    raw.exec("begin");
    // The snapshot starts with the transaction's first read.
    raw.prepare("select size from audit_head where id = 1").get();
    return await work(snapshot);
  } finally {
    if (raw.inTransaction) raw.exec("rollback");
    await snapshot.destroy();
  }
}

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
        cast(group_concat(x'00' || entry, '') as blob) as entries,
        cast(group_concat(leaf_hash, '') as blob) as leaves
      from (select idx, entry, leaf_hash from audit_entries where idx >= ${from} order by idx limit ${limit})`.execute(
      db,
    );
    const row = rows[0];
    const count = Number(row?.n ?? 0);
    if (!row || count === 0) return { ...EMPTY_BATCH, first: 0, last: -1, leafBytes: 0 };
    const lengths = Uint32Array.from((row.lengths ?? "").split(","), Number);
    const entries = row.entries ?? new Uint8Array(0);
    const leaves = row.leaves ?? new Uint8Array(0);
    let total = count;
    for (const length of lengths) total += length;
    if (lengths.length !== count || total !== entries.length)
      throw new Error("audit verification read the entries' bytes back inconsistently");
    // One buffer of its own (driver buffers may share a pool), so it can move to the worker.
    const data = new Uint8Array(entries.length + leaves.length);
    data.set(entries);
    data.set(leaves, entries.length);
    const inputStarts = new Uint32Array(count);
    const inputLengths = new Uint32Array(count);
    const leafStarts = new Uint32Array(count);
    let at = 0;
    for (let i = 0; i < count; i++) {
      inputStarts[i] = at;
      inputLengths[i] = 1 + lengths[i]!;
      at += 1 + lengths[i]!;
      leafStarts[i] = entries.length + i * HASH_SIZE;
    }
    return {
      count,
      first: Number(row.first),
      last: Number(row.last),
      data,
      inputStarts,
      inputLengths,
      leafStarts,
      entryBytes: total - count,
      leafBytes: leaves.length,
    };
  };
  return {
    async next(from) {
      let batch: PackedBatch & { first: number; last: number; leafBytes: number } = await read(
        from,
        batchSize,
      );
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
      if (batch.leafBytes !== batch.count * HASH_SIZE) {
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
/** A batch's buffer: its rows as received (≈ 375 bytes a row for 10 000 rows), and room to spare. */
const BATCH_BUFFER_BYTES = 5 * 1024 * 1024;
/** An entry is at most ≈ 70 KB (entry.ts): a frame beyond this is not a row of the log. */
const MAX_FRAME_BYTES = 4 * 1024 * 1024;
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
/** Frames the server may send during a copy besides its data: CopyOutResponse, notices, parameters. */
const OTHER_COPY_FRAMES = new Set([0x48, 0x4e, 0x53, 0x41]); // 'H', 'N', 'S', 'A'

/** The COPY stream is not what the query asks for (a broken server or connection, not a damaged log). */
function bad(what: string): Error {
  return new Error(`the audit entries' COPY stream ${what}`);
}

/**
 * Parses the frames of a `COPY … TO STDOUT (FORMAT binary)` (PgCopyOut) of the columns idx
 * (int8), the leaf input `'\x00' || entry` and leaf_hash (bytea): PostgreSQL's binary format (a
 * signature, flags and a header extension, then tuples of an int16 field count and
 * int32-length-prefixed fields, ended by a count of -1), one tuple per CopyData frame as the server
 * sends it (the header in the first one). Written here because the general parsers make an object
 * per row, which is the cost this read path exists to avoid.
 *
 * The bytes are appended to the batch's own buffer as they arrive, one copy each; the rows are
 * parsed where they lie there, and that buffer moves to the hashing worker with the rows' offsets.
 * The database puts the 0x00 of RFC 9162's leaf input before each entry, so the worker hashes
 * each entry in place too.
 */
class CopyEntryBatches implements EntryBatchReader {
  readonly #copy: PgCopyOut;
  readonly #batchSize: number;
  readonly #headSize: number;
  /** The batch being read: bytes received [0, #used), parsed up to #pos. */
  #data: Buffer = Buffer.allocUnsafeSlow(BATCH_BUFFER_BYTES);
  #used = 0;
  #pos = 0;
  #headerRead = false;
  #ended = false;
  #failed = false;

  constructor(client: pg.PoolClient, batchSize: number, headSize: number) {
    this.#copy = client.query(
      new PgCopyOut(
        "copy (select idx, '\\x00'::bytea || entry, leaf_hash from audit_entries order by idx) to stdout with (format binary)",
      ),
    );
    this.#batchSize = batchSize;
    this.#headSize = headSize;
  }

  /** Whether the copy was read to its end (the connection is back in a usable state). */
  get finished(): boolean {
    return this.#ended;
  }

  /** Stops reading a copy that was not read to its end (its connection is then not reused). */
  abandon(): void {
    if (!this.#ended) this.#copy.abandon();
  }

  /** Batch buffers back from the worker, to fill again (allocating 5 MB per batch kept GC busy). */
  readonly #spare: ArrayBuffer[] = [];

  reuse(buffer: ArrayBuffer): void {
    if (buffer.byteLength >= BATCH_BUFFER_BYTES && this.#spare.length < 8) this.#spare.push(buffer);
  }

  /** A buffer for the next batch: a spare one, or a new one. */
  #buffer(size: number): Buffer {
    const spare = this.#spare.pop();
    return spare !== undefined && spare.byteLength >= size
      ? Buffer.from(spare)
      : Buffer.allocUnsafeSlow(size);
  }

  /** Appends the next bytes received to the batch's buffer (grown when a row does not fit). */
  async #more(): Promise<void> {
    const chunk = await this.#copy.take();
    if (chunk === null) throw new Error("the audit entries' COPY stream ended before its trailer");
    if (this.#used + chunk.length > this.#data.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.#data.length, this.#used + chunk.length));
      this.#data.copy(grown, 0, 0, this.#used);
      this.#data = grown;
    }
    chunk.copy(this.#data, this.#used);
    this.#used += chunk.length;
  }

  async next(from: number): Promise<BatchRead> {
    if (this.#failed) throw new Error("the audit entries' stream was read past a failure");
    const inputStarts = new Uint32Array(this.#batchSize);
    const inputLengths = new Uint32Array(this.#batchSize);
    const leafStarts = new Uint32Array(this.#batchSize);
    let count = 0;
    let entryBytes = 0;
    let failure: ReadFailure | null = null;
    while (count < this.#batchSize && !this.#ended) {
      const row = this.#row();
      if (row === "more") {
        await this.#more();
        continue;
      }
      if (row === "end") {
        // After the trailer come CopyDone and the query's end: read to the end so the connection is
        // ready for the next query.
        while ((await this.#copy.take()) !== null) {}
        this.#ended = true;
        break;
      }
      const expected = from + count;
      if (this.#idx !== expected) failure = missing(expected, this.#idx);
      else if (expected >= this.#headSize) failure = beyondHead(expected, this.#headSize);
      else if (this.#leafLength !== HASH_SIZE) failure = badLeaf(expected);
      if (failure !== null) {
        this.#failed = true;
        break;
      }
      inputStarts[count] = this.#inputStart;
      inputLengths[count] = this.#inputLength;
      leafStarts[count] = this.#leafStart;
      entryBytes += this.#inputLength - 1;
      count++;
    }
    if (count === 0) return { batch: EMPTY_BATCH, failure };
    // The batch's buffer goes to the worker as it is; the bytes after its last row start the next.
    const data = this.#data;
    const tail = data.subarray(this.#pos, this.#used);
    this.#data = this.#buffer(Math.max(BATCH_BUFFER_BYTES, 2 * tail.length));
    tail.copy(this.#data);
    const batch: PackedBatch = {
      count,
      data: new Uint8Array(data.buffer, data.byteOffset, this.#pos),
      inputStarts: inputStarts.subarray(0, count),
      inputLengths: inputLengths.subarray(0, count),
      leafStarts: leafStarts.subarray(0, count),
      entryBytes,
    };
    this.#used = tail.length;
    this.#pos = 0;
    return { batch, failure };
  }

  // The row #row() parsed last: its index and where its fields lie in #data.
  #idx = 0;
  #inputStart = 0;
  #inputLength = 0;
  #leafStart = 0;
  #leafLength = 0;

  /**
   * Parses the next row at the read position into the fields above (consumed): "row", "end" at the
   * trailer, or "more" when the bytes received so far end inside its frame. Allocates nothing.
   */
  #row(): "row" | "end" | "more" {
    const buf = this.#data;
    const end = this.#used;
    for (;;) {
      const frame = this.#pos;
      if (end - frame < 5) return "more";
      const type = buf[frame]!;
      const frameEnd = frame + 1 + buf.readUInt32BE(frame + 1);
      if (frameEnd - frame < 5 || frameEnd - frame > MAX_FRAME_BYTES)
        throw bad(`has a frame of ${frameEnd - frame} bytes`);
      if (end < frameEnd) return "more";
      if (type === COPY_DATA) {
        const row = this.#tuple(buf, frame + 5, frameEnd);
        this.#pos = frameEnd;
        return row;
      }
      if (type === COPY_DONE) throw bad("ended before its trailer");
      if (!OTHER_COPY_FRAMES.has(type)) throw bad(`has an unexpected frame (type ${type})`);
      this.#pos = frameEnd;
    }
  }

  /** Parses the tuple (or the trailer) that fills the CopyData frame body [p, end). */
  #tuple(buf: Buffer, p: number, end: number): "row" | "end" {
    if (!this.#headerRead) {
      if (
        end - p < COPY_SIGNATURE.length + 8 ||
        buf.compare(COPY_SIGNATURE, 0, COPY_SIGNATURE.length, p, p + COPY_SIGNATURE.length) !== 0
      )
        throw bad("is not in PostgreSQL's binary format");
      p += COPY_SIGNATURE.length + 8 + buf.readUInt32BE(p + COPY_SIGNATURE.length + 4);
      this.#headerRead = true;
    }
    if (end - p < 2) throw bad("has a frame without a row");
    const fields = buf.readInt16BE(p);
    if (fields === -1) {
      if (p + 2 !== end) throw bad("has bytes after its trailer");
      return "end";
    }
    if (fields !== 3) throw bad(`has a row of ${fields} columns`);
    p += 2;
    // idx: int8 (two halves: no BigInt per row)
    if (end - p < 16 || buf.readInt32BE(p) !== 8) throw bad("has an index that is not int8");
    this.#idx = buf.readInt32BE(p + 4) * 2 ** 32 + buf.readUInt32BE(p + 8);
    p += 12;
    // leaf input, leaf_hash: bytea
    const inputLength = buf.readInt32BE(p);
    const inputStart = p + 4;
    p = inputStart + inputLength;
    if (inputLength < 1 || end - p < 4) throw bad("has a leaf input that does not fit its row");
    const leafLength = buf.readInt32BE(p);
    const leafStart = p + 4;
    if (leafLength < 0 || leafStart + leafLength !== end) throw bad("has a row that does not fill its frame");
    this.#inputStart = inputStart;
    this.#inputLength = inputLength;
    this.#leafStart = leafStart;
    this.#leafLength = leafLength;
    return "row";
  }
}
