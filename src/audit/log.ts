/**
 * The node's audit log in its database: append in the caller's transaction, signed checkpoints,
 * proofs for the peer node, and the verifier behind `kelisim audit verify`.
 *
 * Layout (migration 0002-audit): `audit_entries` (one row per leaf: its canonical bytes, the source of
 * truth, with index columns for queries and the leaf hash beside), `audit_head` (size + frontier: an append reads and writes
 * O(log n) hashes, whatever the size), `audit_nodes` (hashes of the perfect subtrees at levels
 * 8, 16, 24…, so a proof reads at most a few hundred hashes per level it crosses), and
 * `audit_checkpoints` (the signed notes).
 */
import { Worker } from "node:worker_threads";
import type { Kysely } from "kysely";
import { sql } from "kysely";
import { DomainError } from "../domain/errors.ts";
import { dialectOf } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";
import { withTransaction } from "../store/transaction.ts";
import { openCheckpoint, type SignedCheckpoint, signCheckpoint } from "./checkpoint.ts";
import { type AuditEntry, type AuditEntryInput, decodeEntry, encodeEntry, toEntryColumns } from "./entry.ts";
import {
  type EntryBatchReader,
  type PackedBatch,
  type ReadFailure,
  sqliteEntryBatches,
  withPostgresSnapshot,
  withSqliteSnapshot,
} from "./entry-batches.ts";
import {
  appendToFrontier,
  buildConsistencyProof,
  buildInclusionProof,
  decodeFrontier,
  encodeFrontier,
  FrontierBuilder,
  HASH_SIZE,
  hashChildren,
  hashLeaf,
  rootFromFrontier,
  type SubtreeHashSource,
} from "./merkle.ts";
import { type NoteSigner, type NoteVerifier, SignedNoteError } from "./signed-note.ts";

/** Interior hashes are stored for perfect subtrees whose level is a multiple of this. */
export const STORED_NODE_STRIDE = 8;

/**
 * Worker threads that hash entries while the main thread reads and builds the tree: two, so that
 * the operating system balances the three threads' work over two cores (one worker left a core
 * idle half the time: reading + tree and hashing do not cost the same).
 */
const LEAF_HASHERS = 2;

type Db = Kysely<Database>;

/** What an append returns: the entry's index (its leaf index) and leaf hash. */
export type AppendedEntry = { readonly index: number; readonly leafHash: Buffer };

/**
 * Appends one entry to the audit log inside the caller's transaction `trx`, so the entry commits
 * with the state change it records, or neither does. O(log n): it locks and updates the head row
 * (concurrent appenders queue on it; indices stay gap-free), inserts the entry, and stores the
 * interior hashes the append completed at levels 8, 16, 24…
 *
 * Called outside a transaction, it opens its own. Malformed entries are refused with
 * INPUT_INVALID before anything is written.
 */
export async function appendAuditEntry(trx: Db, entry: AuditEntryInput): Promise<AppendedEntry> {
  const columns = toEntryColumns(entry);
  if (!trx.isTransaction) return withTransaction(trx, (t) => appendAuditEntry(t, entry));
  // UPDATE … RETURNING takes the row lock first (PostgreSQL waits here for a concurrent appender
  // and then sees its committed head; SQLite already holds the write lock from BEGIN IMMEDIATE).
  const head = await trx
    .updateTable("audit_head")
    .set((eb) => ({ size: eb("size", "+", 1) }))
    .where("id", "=", 1)
    .returning(["size", "frontier"])
    .executeTakeFirst();
  if (!head) throw new Error("the audit log has no head row: is migration 0002-audit applied?");
  const index = Number(head.size) - 1;
  const row = { idx: index, ...columns };
  const bytes = encodeEntry(row);
  const leafHash = hashLeaf(bytes);
  const { frontier, completed } = appendToFrontier(decodeFrontier(head.frontier, index), index, leafHash);
  await trx.insertInto("audit_entries").values({ idx: index, entry: bytes, leaf_hash: leafHash }).execute();
  await trx
    .updateTable("audit_head")
    .set({ frontier: encodeFrontier(frontier) })
    .where("id", "=", 1)
    .execute();
  const stored = completed.filter((c) => c.level % STORED_NODE_STRIDE === 0);
  if (stored.length > 0) {
    await trx
      .insertInto("audit_nodes")
      .values(stored.map((c) => ({ level: c.level, idx: c.index, hash: c.hash })))
      .execute();
  }
  return { index, leafHash };
}

/** The log's current size and root (from the stored head). */
export async function readAuditHead(db: Db): Promise<{ size: number; root: Buffer; frontier: Buffer[] }> {
  const head = await db
    .selectFrom("audit_head")
    .select(["size", "frontier"])
    .where("id", "=", 1)
    .executeTakeFirst();
  if (!head) throw new Error("the audit log has no head row: is migration 0002-audit applied?");
  const size = Number(head.size);
  const frontier = decodeFrontier(head.frontier, size);
  return { size, root: rootFromFrontier(frontier), frontier };
}

/** Reads entries `[from, from + limit)` in order, as stored: decoded from their canonical bytes. */
export async function readAuditEntries(db: Db, from: number, limit: number): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom("audit_entries")
    .select("entry")
    .where("idx", ">=", from)
    .orderBy("idx")
    .limit(limit)
    .execute();
  return rows.map((r) => decodeEntry(r.entry));
}

/** The C2SP log origin of a node's audit log, e.g. `kelisim/KZ/<node id>/audit`. */
export function auditLogOrigin(node: { party: string; nodeId: string }): string {
  return `kelisim/${node.party}/${node.nodeId}/audit`;
}

/**
 * Signs a checkpoint of the log as it is now (size, root) with the node key and keeps it. If a
 * checkpoint of this size exists already it is returned unchanged.
 */
export async function signAuditCheckpoint(
  db: Db,
  signer: NoteSigner,
  origin: string,
  now: Date,
): Promise<SignedCheckpoint> {
  return withTransaction(db, async (trx) => {
    // Lock the head so no append slips between reading the root and storing the checkpoint.
    await trx
      .updateTable("audit_head")
      .set((eb) => ({ size: eb.ref("size") }))
      .where("id", "=", 1)
      .execute();
    const { size, root } = await readAuditHead(trx);
    const existing = await trx
      .selectFrom("audit_checkpoints")
      .select("note")
      .where("size", "=", size)
      .executeTakeFirst();
    if (existing) return openCheckpoint(existing.note, [signer], origin);
    const note = signCheckpoint({ origin, size, root }, [signer]);
    await trx
      .insertInto("audit_checkpoints")
      .values({ size, root, note, created_at: now.toISOString() })
      .execute();
    return openCheckpoint(note, [signer], origin);
  });
}

/** The newest signed checkpoint the node kept, or null. Its signature is not checked here. */
export async function readLatestCheckpointNote(db: Db): Promise<{ size: number; note: string } | null> {
  const row = await db
    .selectFrom("audit_checkpoints")
    .select(["size", "note"])
    .orderBy("size", "desc")
    .limit(1)
    .executeTakeFirst();
  return row ? { size: Number(row.size), note: row.note } : null;
}

/**
 * Hashes of the stored log for proofs: leaves from `audit_entries`, perfect subtrees at levels that
 * are multiples of 8 from `audit_nodes`, other levels folded from at most 128 hashes below them.
 */
export function auditSubtreeSource(db: Db): SubtreeHashSource {
  const stored = async (level: number, from: number, count: number): Promise<Buffer[]> => {
    const rows =
      level === 0
        ? await db
            .selectFrom("audit_entries")
            .select(["idx", "leaf_hash as hash"])
            .where("idx", ">=", from)
            .where("idx", "<", from + count)
            .orderBy("idx")
            .execute()
        : await db
            .selectFrom("audit_nodes")
            .select(["idx", "hash"])
            .where("level", "=", level)
            .where("idx", ">=", from)
            .where("idx", "<", from + count)
            .orderBy("idx")
            .execute();
    if (rows.length !== count || rows.some((r, i) => Number(r.idx) !== from + i)) {
      throw new DomainError("AUDIT_LOG_ALTERED", {
        index: from * 2 ** level,
        problem: `stored hashes of level ${level} from ${from} are missing`,
      });
    }
    return rows.map((r) => Buffer.from(r.hash));
  };
  return {
    async perfectSubtreeHash(level, index) {
      const base = level - (level % STORED_NODE_STRIDE);
      const width = 2 ** (level - base);
      let hashes = await stored(base, index * width, width);
      while (hashes.length > 1) {
        const next: Buffer[] = [];
        for (let i = 0; i < hashes.length; i += 2) next.push(hashChildren(hashes[i]!, hashes[i + 1]!));
        hashes = next;
      }
      return hashes[0]!;
    },
  };
}

async function checkProofSizes(db: Db, size: number): Promise<void> {
  const head = await readAuditHead(db);
  if (size > head.size) {
    throw new DomainError("INPUT_INVALID", {
      field: "size",
      problem: `the log has only ${head.size} entries`,
    });
  }
}

/** Inclusion proof of entry `index` in the log's first `size` entries (RFC 9162), from the store. */
export async function proveAuditInclusion(db: Db, index: number, size: number): Promise<Buffer[]> {
  await checkProofSizes(db, size);
  return buildInclusionProof(auditSubtreeSource(db), index, size);
}

/**
 * Consistency proof between the log's first `size1` and first `size2` entries (RFC 9162), from the
 * store: what the peer node needs to check that a new checkpoint extends one it cosigned before.
 */
export async function proveAuditConsistency(db: Db, size1: number, size2: number): Promise<Buffer[]> {
  await checkProofSizes(db, size2);
  if (size1 === 0) return [];
  return buildConsistencyProof(auditSubtreeSource(db), size1, size2);
}

/**
 * What verification found, for the caller to report (A4.1.1, A6.2):
 * - `entry`: entry `index` itself no longer matches its stored leaf hash or index, or is missing;
 * - `rewritten`: the first `size` entries no longer hash to the root of a checkpoint held by
 *   `witnesses` (`audit_checkpoints` for the database's own); `resigned` when the database also holds a
 *   checkpoint of that size over the altered entries (signed again with the node's key);
 * - `truncated`: the log holds `size` entries but `witnesses` hold a checkpoint of `witnessedSize`;
 * - `checkpoints-deleted`: checkpoints witnesses hold are missing from `audit_checkpoints`;
 * - `other`: a stored checkpoint is invalid, the table layout, the head or an interior hash was altered.
 */
export type AuditFinding =
  | { readonly kind: "entry"; readonly index: number }
  | {
      readonly kind: "rewritten";
      readonly size: number;
      readonly witnesses: readonly string[];
      readonly resigned: boolean;
    }
  | {
      readonly kind: "truncated";
      readonly size: number;
      readonly witnessedSize: number;
      readonly witnesses: readonly string[];
    }
  | { readonly kind: "checkpoints-deleted" }
  | { readonly kind: "other" };

/** A checkpoint a witness holds that `audit_checkpoints` no longer has. */
export type DeletedCheckpoint = { readonly size: number; readonly witnesses: readonly string[] };

/** The outcome of {@link verifyAuditLog}. */
export type AuditVerification =
  | {
      readonly ok: true;
      /** Entries checked. */
      readonly size: number;
      readonly root: Buffer;
      /** The newest signed checkpoint, which the log matches (null when none was ever signed). */
      readonly checkpoint: { readonly size: number; readonly root: Buffer } | null;
      readonly checkpointsVerified: number;
      readonly bytesHashed: number;
    }
  | {
      readonly ok: false;
      /** The first index with evidence of damage (an entry edited, missing, inserted, moved, or past the head). */
      readonly firstBadIndex: number;
      /**
       * Entries below this index are proven intact by a signed checkpoint. When an attacker also
       * recomputed the leaf hashes, the damage lies in `[provenIntactBefore, firstBadIndex]`.
       */
      readonly provenIntactBefore: number;
      /**
       * Where the first altered entry lies, as precisely as the checkpoints allow: `[from, to)`,
       * exactly `from` when `to − from = 1`. `from` is the size of the largest checkpoint the log
       * still matches that the failing evidence allows to trust (only witnessed ones when a witness
       * caught it: the database's own may have been signed again); `to` the smallest size it does
       * not. Null when no entry is known to differ (only checkpoints deleted, a table altered).
       */
      readonly firstAltered: { readonly from: number; readonly to: number } | null;
      readonly finding: AuditFinding;
      /** Checkpoints held by witnesses that are missing from `audit_checkpoints` (found besides). */
      readonly deletedCheckpoints: readonly DeletedCheckpoint[];
      readonly problem: string;
      readonly size: number;
      readonly checkpointsVerified: number;
      readonly bytesHashed: number;
    };

/**
 * A checkpoint a witness outside the database holds (the witness file, the peer's cosignature),
 * its signature already checked by the caller: it must also be in `audit_checkpoints`, and the log
 * must still match it, so deleting checkpoint rows no longer lets a rewrite pass (A4.1.1, A6.2).
 */
export type WitnessedCheckpoint = {
  /** Who holds it, as the report names it (e.g. `witness file /var/lib/kelisim/audit-witness.log`). */
  readonly witness: string;
  readonly size: number;
  readonly root: Buffer;
};

export type VerifyAuditOptions = {
  /** Keys whose signatures make a checkpoint trusted (the node's own key, the peer's). */
  readonly verifiers: readonly NoteVerifier[];
  /** The log's origin; checkpoints of another origin are refused. */
  readonly origin?: string;
  /** Rows read per query (default 10 000). */
  readonly batchSize?: number;
  /** Signed checkpoint notes held outside the database, checked like the stored ones. */
  readonly externalCheckpoints?: readonly string[];
  /** Checkpoints witnesses outside the database hold (see {@link WitnessedCheckpoint}). */
  readonly witnessed?: readonly WitnessedCheckpoint[];
  /** Called after each batch with the entries checked so far. */
  readonly onProgress?: (checked: number, total: number) => void;
};

/** A checkpoint verification compares the log with: one size and root, and who holds it. */
type KnownCheckpoint = {
  readonly size: number;
  readonly root: Buffer;
  /** In `audit_checkpoints`. */
  stored: boolean;
  /** Held outside the database: witnesses, checkpoint files given. */
  readonly holders: string[];
};

/**
 * Verifies the whole audit log: every entry's stored canonical bytes must hash to its stored leaf
 * hash and name its own index; the other index columns must still be derived from the bytes by
 * the database (the table's layout is checked, not each row); indices must run 0, 1, 2… without gap; the tree root at the
 * size of every signed checkpoint — stored, given or witnessed — must equal the checkpoint's root
 * (whose signature must verify); every witnessed checkpoint must still be stored; the log must be
 * at least as long as its newest checkpoint and end exactly at its head.
 *
 * The checkpoints are walked in order of size while the tree grows: the first one the log no
 * longer matches and the last one before it that it matches bound the first altered entry (what a
 * binary search over the roots at those sizes would find; the pass hashes every entry anyway).
 *
 * Returns the first bad index and why, or `ok`. Reads in batches (bounded memory), all from one
 * snapshot on a connection of its own (see entry-batches.ts): what is appended meanwhile is not
 * seen, and the node's writes go on. Two worker threads hash each batch while the next is read.
 */
export async function verifyAuditLog(db: Db, options: VerifyAuditOptions): Promise<AuditVerification> {
  if (dialectOf(db) === "postgres") {
    return withPostgresSnapshot(db, (snapshot, entries) => verifyStoredLog(snapshot, options, entries));
  }
  return withSqliteSnapshot(db, (snapshot) =>
    verifyStoredLog(snapshot, options, (batchSize, headSize) =>
      sqliteEntryBatches(snapshot, batchSize, headSize),
    ),
  );
}

async function verifyStoredLog(
  db: Db,
  options: VerifyAuditOptions,
  entryBatches: (batchSize: number, headSize: number) => EntryBatchReader,
): Promise<AuditVerification> {
  const batchSize = options.batchSize ?? 10_000;
  const head = await db
    .selectFrom("audit_head")
    .select(["size", "frontier"])
    .where("id", "=", 1)
    .executeTakeFirst();
  if (!head) throw new Error("the audit log has no head row: is migration 0002-audit applied?");
  const headSize = Number(head.size);

  let size = 0;
  let bytesHashed = 0;
  let checkpointsVerified = 0;
  // The largest checkpoint size the log matched so far: any (the database's included), and one held
  // outside the database (only those count when a witness caught the damage: the stored ones may
  // have been signed again with the node's key over the altered entries).
  let provenIntactBefore = 0;
  let witnessedIntactBefore = 0;
  let deletedCheckpoints: DeletedCheckpoint[] = [];
  const fail = (
    firstBadIndex: number,
    problem: string,
    finding: AuditFinding = { kind: "other" },
    firstAltered: { from: number; to: number } | null = null,
  ): AuditVerification => ({
    ok: false,
    firstBadIndex,
    provenIntactBefore,
    firstAltered,
    finding,
    deletedCheckpoints,
    problem,
    size,
    checkpointsVerified,
    bytesHashed,
  });
  /** The range of the first altered entry when entry `index` is known bad: before it, up to the last checkpoint matched. */
  const upTo = (index: number) => ({ from: Math.min(provenIntactBefore, index), to: index + 1 });

  // Checkpoints first: each must be a well-formed note signed by a trusted key, for this log.
  const checkpointRows = await db
    .selectFrom("audit_checkpoints")
    .select(["size", "note"])
    .orderBy("size")
    .execute();
  const known = new Map<string, KnownCheckpoint>();
  const know = (cp: { size: number; root: Buffer }, holder: string | null) => {
    const key = `${cp.size}:${cp.root.toString("hex")}`;
    let entry = known.get(key);
    if (entry === undefined) {
      entry = { size: cp.size, root: cp.root, stored: false, holders: [] };
      known.set(key, entry);
    }
    if (holder === null) entry.stored = true;
    else if (!entry.holders.includes(holder)) entry.holders.push(holder);
  };
  for (const row of checkpointRows) {
    let checkpoint: SignedCheckpoint;
    try {
      checkpoint = openCheckpoint(row.note, options.verifiers, options.origin);
    } catch (error) {
      const why = error instanceof SignedNoteError ? error.message : String(error);
      return fail(0, `the checkpoint stored for size ${row.size} is not a valid signed checkpoint: ${why}`);
    }
    if (checkpoint.size !== Number(row.size)) {
      return fail(
        Math.min(checkpoint.size, Number(row.size)),
        `the checkpoint stored for size ${row.size} is signed for size ${checkpoint.size}`,
      );
    }
    know(checkpoint, null);
  }
  // Checkpoints kept outside the database (the peer's cosigned copy, an auditor's saved note) catch
  // what the database alone cannot: a tail deleted together with its stored checkpoints.
  for (const [i, note] of (options.externalCheckpoints ?? []).entries()) {
    try {
      know(openCheckpoint(note, options.verifiers, options.origin), `checkpoint file ${i + 1}`);
    } catch (error) {
      const why = error instanceof SignedNoteError ? error.message : String(error);
      return fail(0, `external checkpoint ${i + 1} is not a valid signed checkpoint of this log: ${why}`);
    }
  }
  // Witnessed checkpoints must also still be stored: deleting checkpoint rows is tampering too.
  const storedSizes = new Set(checkpointRows.map((r) => Number(r.size)));
  const deleted = new Map<number, string[]>();
  for (const w of options.witnessed ?? []) {
    know(w, w.witness);
    if (storedSizes.has(w.size)) continue;
    const holders = deleted.get(w.size) ?? [];
    if (!holders.includes(w.witness)) holders.push(w.witness);
    deleted.set(w.size, holders);
  }
  deletedCheckpoints = [...deleted.entries()]
    .sort(([a], [b]) => a - b)
    .map(([size, witnesses]) => ({ size, witnesses }));
  const checkpoints = [...known.values()].sort((a, b) => a.size - b.size);
  const latest = checkpoints.at(-1) ?? null;

  const altered = await findAlteredLayout(db);
  if (altered !== null) return fail(0, `the audit log's table was altered: ${altered}`);

  // The stored interior hashes serve proofs to the peer node; they must agree with the entries.
  const storedNodes = new Map<string, Buffer>();
  for (const node of await db.selectFrom("audit_nodes").select(["level", "idx", "hash"]).execute()) {
    storedNodes.set(`${node.level}:${Number(node.idx)}`, Buffer.from(node.hash));
  }
  let badNode: { level: number; index: number } | null = null;
  const tree = new FrontierBuilder((level, index, hash) => {
    if (level % STORED_NODE_STRIDE !== 0 || badNode !== null) return;
    const key = `${level}:${index}`;
    const stored = storedNodes.get(key);
    if (stored === undefined || !stored.equals(hash)) badNode = { level, index };
    storedNodes.delete(key);
  });
  let nextCheckpoint = 0;
  // A checkpoint of size 0 states the empty log; nothing to compare beyond its parse.
  while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.size === 0) nextCheckpoint++;

  /** The checkpoints of the current size, compared with the tree's root: a failure if one differs. */
  const checkAtSize = (): AuditVerification | null => {
    const atSize: KnownCheckpoint[] = [];
    while (nextCheckpoint < checkpoints.length && checkpoints[nextCheckpoint]!.size === size)
      atSize.push(checkpoints[nextCheckpoint++]!);
    if (atSize.length === 0) return null;
    const root = tree.root();
    const differ = atSize.filter((c) => !c.root.equals(root));
    if (differ.length === 0) {
      provenIntactBefore = size;
      if (atSize.some((c) => c.holders.length > 0)) witnessedIntactBefore = size;
      checkpointsVerified += atSize.length;
      return null;
    }
    const witnesses = [
      ...new Set(differ.flatMap((c) => (c.stored ? ["audit_checkpoints", ...c.holders] : c.holders))),
    ];
    const byWitness = differ.some((c) => c.holders.length > 0);
    // The database holds a checkpoint of this size over the entries as they are now, which a
    // witness saw otherwise: it was signed again with the node's key.
    const resigned = byWitness && atSize.some((c) => c.stored && c.root.equals(root));
    const from = byWitness ? witnessedIntactBefore : provenIntactBefore;
    // Once the node's key is known to have signed the altered log, its stored checkpoints prove nothing.
    if (resigned) provenIntactBefore = from;
    return fail(
      provenIntactBefore,
      `the first ${size} entries do not hash to the root of the signed checkpoint of size ${size} ` +
        `held by ${witnesses.join(", ")}: ${rangeText(from, provenIntactBefore, size)} was rewritten with recomputed hashes` +
        (resigned
          ? "; the database's checkpoint of that size was signed again over the altered entries"
          : ""),
      { kind: "rewritten", size, witnesses, resigned },
      { from, to: size },
    );
  };

  /**
   * Adds a hashed batch's checked leaves to the tree, checking stored interior hashes and
   * checkpoints. Where a perfect subtree of up to 2^3 leaves that the worker hashed starts at the
   * tree's size and no checkpoint's size falls inside it, its hash goes in whole; else one leaf.
   */
  const pushLeaves = ({ leaves, levels, okCount: count }: HashedBatch): AuditVerification | null => {
    const from = size;
    for (let i = 0; i < count; ) {
      const nextCheckpointSize = checkpoints[nextCheckpoint]?.size ?? Number.POSITIVE_INFINITY;
      let level = levels.length;
      while (
        level > 0 &&
        (size % 2 ** level !== 0 || i + 2 ** level > count || nextCheckpointSize < size + 2 ** level)
      )
        level--;
      if (level > 0) {
        const at = size / 2 ** level - Math.ceil(from / 2 ** level);
        tree.pushSubtree(level, levels[level - 1]!.subarray(at * HASH_SIZE, (at + 1) * HASH_SIZE));
      } else tree.push(leaves.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE));
      size += 2 ** level;
      i += 2 ** level;
      if (badNode !== null) {
        const { level, index } = badNode as { level: number; index: number };
        return fail(
          index * 2 ** level,
          `the stored interior hash of entries [${index * 2 ** level}, ${size - 1}] (level ${level}) disagrees with them`,
        );
      }
      const bad = checkAtSize();
      if (bad !== null) return bad;
    }
    return null;
  };
  /** Entry `index` itself is bad (edited, missing, moved, inserted): exact, though an earlier one may be too. */
  const entryFailure = (index: number, problem: string): AuditVerification =>
    fail(
      index,
      provenIntactBefore < index
        ? `${problem} (no checkpoint covers [${provenIntactBefore}, ${index}): an entry there rewritten with its hash recomputed would not show)`
        : problem,
      { kind: "entry", index },
      upTo(index),
    );

  // This thread reads batches of rows (only their bytes: the index columns follow them, as checked
  // above) and builds the tree; the worker threads, in turn, hash each batch's entries and its
  // lowest subtrees meanwhile.
  const hashers = Array.from({ length: LEAF_HASHERS }, startLeafHasher);
  let turn = 0;
  try {
    let mainFailure: ReadFailure | null = null;
    let read = 0;
    const reader = entryBatches(batchSize, headSize);
    const inFlight: Promise<HashedBatch>[] = [];
    /** Takes the oldest batch back from the worker into the tree; a failure if it has one. */
    const settle = async (): Promise<AuditVerification | null> => {
      const hashed = await inFlight.shift()!;
      reader.reuse?.(hashed.spent);
      const bad = pushLeaves(hashed);
      if (bad !== null) return bad;
      if (hashed.failure !== null) {
        const { kind, index } = hashed.failure;
        return entryFailure(
          index,
          kind === "index"
            ? `entry ${index} does not match its leaf hash: its bytes name another index (moved or inserted)`
            : `entry ${index} does not match its leaf hash: it was edited, moved or inserted`,
        );
      }
      options.onProgress?.(size, headSize);
      return null;
    };
    while (mainFailure === null) {
      const { batch, failure } = await reader.next(read);
      mainFailure = failure;
      if (batch.count === 0 && failure === null) break;
      if (batch.count > 0) {
        bytesHashed += batch.entryBytes;
        inFlight.push(hashers[turn++ % hashers.length]!.hash(read, batch));
        read += batch.count;
      }
      // Two batches per worker at most: they hash while this thread reads the next and builds the
      // tree, and each has its next batch waiting (one each left this thread waiting on them).
      while (inFlight.length > (mainFailure === null ? 2 * hashers.length : 0)) {
        const bad = await settle();
        if (bad !== null) return bad;
      }
    }
    while (inFlight.length > 0) {
      const bad = await settle();
      if (bad !== null) return bad;
    }
    if (mainFailure !== null) {
      // An entry beyond the head was inserted there; one missing leaves a gap at its index.
      return entryFailure(mainFailure.index, mainFailure.problem);
    }
  } finally {
    await Promise.all(hashers.map((h) => h.close()));
  }

  if (latest !== null && size < latest.size) {
    // The entries from `size` on are gone; those since the last checkpoint matched may differ too.
    const holders = checkpoints
      .filter((c) => c.size === latest.size)
      .flatMap((c) => (c.stored ? ["audit_checkpoints", ...c.holders] : c.holders));
    const byWitness = checkpoints.some((c) => c.size === latest.size && c.holders.length > 0);
    const from = byWitness ? witnessedIntactBefore : provenIntactBefore;
    return fail(
      size,
      `the log ends at ${size} entries but a signed checkpoint states ${latest.size} ` +
        `(held by ${[...new Set(holders)].join(", ")}): entries from ${size} were deleted` +
        (provenIntactBefore < size
          ? `, and ${rangeText(from, provenIntactBefore, size)} may differ too`
          : ""),
      { kind: "truncated", size, witnessedSize: latest.size, witnesses: [...new Set(holders)] },
      { from, to: size + 1 },
    );
  }
  if (size < headSize)
    return fail(
      size,
      `the log's head states ${headSize} entries but only ${size} exist: entries from ${size} were deleted`,
      { kind: "truncated", size, witnessedSize: headSize, witnesses: ["audit_head"] },
      upTo(size),
    );
  if (storedNodes.size > 0) {
    const [key] = storedNodes.keys();
    const [level, index] = key!.split(":").map(Number) as [number, number];
    return fail(
      Math.min(index * 2 ** level, size),
      `a stored interior hash (level ${level}, index ${index}) covers entries that do not exist`,
    );
  }
  const storedFrontier = Buffer.from(head.frontier);
  if (!encodeFrontier(tree.frontier()).equals(storedFrontier)) {
    return fail(
      provenIntactBefore,
      "the log's stored head does not match its entries: the head or entries were rewritten",
      { kind: "other" },
      size > provenIntactBefore ? { from: provenIntactBefore, to: size } : null,
    );
  }
  if (deletedCheckpoints.length > 0) {
    const sizes = deletedCheckpoints.map((d) => d.size);
    const witnesses = [...new Set(deletedCheckpoints.flatMap((d) => d.witnesses))];
    return fail(
      sizes[0]!,
      `${sizes.length} signed ${sizes.length === 1 ? "checkpoint" : "checkpoints"} held by ${witnesses.join(", ")} ` +
        `(${sizes.length === 1 ? "size" : "sizes"} ${sizes.join(", ")}) ${sizes.length === 1 ? "is" : "are"} missing from the database; ` +
        "the entries still match every witnessed checkpoint",
      { kind: "checkpoints-deleted" },
    );
  }
  return {
    ok: true,
    size,
    root: tree.root(),
    checkpoint: latest ? { size: latest.size, root: latest.root } : null,
    checkpointsVerified,
    bytesHashed,
  };
}

/**
 * The entries `[from, to)` as a report names them; `trusted` is the bound the database's own
 * checkpoints give (≥ from), true unless the node's key signed them again over altered entries.
 */
function rangeText(from: number, trusted: number, to: number): string {
  const range = (a: number) => (a + 1 === to ? `entry ${a}` : `an entry of [${a}, ${to - 1}]`);
  return trusted > from
    ? `${range(trusted)} (of [${from}, ${to - 1}] if the database's checkpoints were signed again with a stolen node key)`
    : range(from);
}

/** How the migration derives each index column from the bytes (stored generated columns). */
const DERIVED_COLUMNS: Record<string, { key: string; json: boolean }> = {
  recorded_at: { key: "time", json: false },
  actor: { key: "actor", json: false },
  organisation: { key: "organisation", json: false },
  event_type: { key: "event", json: false },
  object: { key: "object", json: false },
  outcome: { key: "outcome", json: false },
  articles: { key: "articles", json: true },
  data: { key: "data", json: true },
};

/**
 * The index columns of `audit_entries` can be trusted without reading them only while the database
 * still derives them from the bytes. Returns what was altered (someone with DDL rights turned a
 * column back into a writable one, changed its expression or the function behind it), or null.
 */
async function findAlteredLayout(db: Db): Promise<string | null> {
  if (dialectOf(db) === "postgres") {
    const { rows } = await sql<{
      column_name: string;
      is_generated: string;
      generation_expression: string | null;
    }>`
      select column_name, is_generated, generation_expression from information_schema.columns
      where table_schema = current_schema() and table_name = 'audit_entries'`.execute(db);
    for (const [column, { key, json }] of Object.entries(DERIVED_COLUMNS)) {
      const row = rows.find((r) => r.column_name === column);
      const expected = json
        ? `NULLIF(((audit_entry_json(entry) -> '${key}'::text))::text, 'null'::text)`
        : `(audit_entry_json(entry) ->> '${key}'::text)`;
      if (row?.is_generated !== "ALWAYS" || row.generation_expression !== expected)
        return `column ${column} is no longer derived from the entry bytes`;
    }
    const fn = await sql<{ body: string }>`
      select p.prosrc as body from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname = current_schema() and p.proname = 'audit_entry_json'`.execute(db);
    if (fn.rows.length !== 1 || fn.rows[0]!.body.trim() !== "select convert_from(entry, 'UTF8')::json")
      return "the function audit_entry_json, which derives the index columns, was replaced";
    return null;
  }
  const { rows } = await sql<{ sql: string }>`
    select sql from sqlite_schema where type = 'table' and name = 'audit_entries'`.execute(db);
  const ddl = rows[0]?.sql ?? "";
  const columns = await sql<{ name: string; hidden: number }>`
    select name, hidden from pragma_table_xinfo('audit_entries')`.execute(db);
  for (const [column, { key }] of Object.entries(DERIVED_COLUMNS)) {
    const expected = `"${column}" text generated always as (json_extract(cast(entry as text), '$.${key}')) stored`;
    const info = columns.rows.find((r) => r.name === column);
    if (info?.hidden !== 3 || !ddl.includes(expected))
      return `column ${column} is no longer derived from the entry bytes`;
  }
  return null;
}

/** A batch back from the worker: the leaf hashes of its first `okCount` entries, and why it stopped. */
type HashedBatch = {
  readonly okCount: number;
  readonly leaves: Buffer;
  /** `levels[l - 1]`: the level-l hashes of the perfect subtrees among the checked leaves, in order. */
  readonly levels: readonly Buffer[];
  readonly failure: { readonly kind: "leaf" | "index"; readonly index: number } | null;
  /** The batch's `data` buffer, given back for the reader to reuse. */
  readonly spent: ArrayBuffer;
};

/** The worker of verify-worker.mjs: hashes batches in the order given. */
function startLeafHasher() {
  const worker = new Worker(new URL("./verify-worker.mjs", import.meta.url));
  const waiting = new Map<
    number,
    { resolve: (hashed: HashedBatch) => void; reject: (error: Error) => void }
  >();
  const failAll = (error: Error) => {
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on(
    "message",
    (message: {
      from: number;
      okCount: number;
      leaves: Uint8Array;
      levels: Uint8Array[];
      failure: HashedBatch["failure"];
      spent: ArrayBuffer;
    }) => {
      const w = waiting.get(message.from);
      waiting.delete(message.from);
      const bytes = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength);
      w?.resolve({
        okCount: message.okCount,
        leaves: bytes(message.leaves),
        levels: message.levels.map(bytes),
        failure: message.failure,
        spent: message.spent,
      });
    },
  );
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the audit hashing worker stopped (exit code ${code})`)));
  return {
    /** Hashes entries `[from, from + batch.count)` (each must name its own index). */
    hash(from: number, batch: PackedBatch): Promise<HashedBatch> {
      return new Promise((resolve, reject) => {
        waiting.set(from, { resolve, reject });
        const { data, inputStarts, inputLengths, leafStarts } = batch;
        worker.postMessage({ from, data, inputStarts, inputLengths, leafStarts }, [
          data.buffer as ArrayBuffer,
          inputStarts.buffer as ArrayBuffer,
          inputLengths.buffer as ArrayBuffer,
          leafStarts.buffer as ArrayBuffer,
        ]);
      });
    },
    async close() {
      worker.removeAllListeners("exit");
      await worker.terminate();
    },
  };
}
