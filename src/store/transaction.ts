import { type Kysely, sql, type Transaction } from "kysely";
import { dialectOf } from "./columns.ts";
import type { Database } from "./schema.ts";

/** A transaction of the node's database, as use cases receive it. */
export type Trx = Transaction<Database>;

const RETRYABLE_PG_CODES = new Set(["40001", "40P01"]); // serialization failure, deadlock detected
const MAX_ATTEMPTS = 5;

/**
 * Runs `work` in one transaction: everything it writes (state, audit entry, outbox message) commits
 * together or not at all. Use only `trx` inside `work` — on SQLite the single connection is held by
 * the transaction, so a query on `db` would wait forever.
 *
 * - SQLite: `BEGIN IMMEDIATE` (the write lock is taken at the start; other writers wait on the busy
 *   timeout instead of failing half-way).
 * - PostgreSQL: READ COMMITTED; a use case that reads then writes a row locks it (`.forUpdate()`).
 *   A serialization failure or deadlock is retried (up to 5 attempts), so `work` must have no
 *   effect outside the transaction (no network, no files) before it returns.
 * - Called with a transaction already open, `work` joins it.
 */
export async function withTransaction<T>(db: Kysely<Database>, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
    }
  }
}

function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && RETRYABLE_PG_CODES.has(code);
}

/**
 * After content was erased (destruction, A1.8), removes what it can of the erased rows' old bytes
 * from the database files: SQLite (with `secure_delete` on, freed cells are already zeroed)
 * checkpoints and truncates the WAL, which still holds the old page images; PostgreSQL vacuums the
 * named tables so dead row versions are reclaimed (VACUUM does not zero them, nor pg_wal). Run it
 * after the erasing transaction has committed. Best effort, never thrown: the erasure itself does not
 * depend on it (the erased keys' wrapping keys are dropped, see src/crypto/at-rest), so it returns
 * what it could not do (e.g. a reader holds the SQLite WAL) for the caller to report.
 */
export async function purgeErasedData(
  db: Kysely<Database>,
  tables: readonly string[],
): Promise<{ readonly purged: boolean; readonly problem?: string }> {
  try {
    if (dialectOf(db) === "sqlite") {
      // Without waiting on the busy timeout (a reader may hold the WAL for long, and the driver is
      // synchronous: waiting would stall the node). The connection is held meanwhile, so no other
      // query runs with the timeout off.
      const busy = await db.connection().execute(async (conn) => {
        const { rows: timeout } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn);
        await sql`pragma busy_timeout = 0`.execute(conn);
        try {
          const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(conn);
          return rows[0]?.busy ?? 0;
        } finally {
          await sql.raw(`pragma busy_timeout = ${Number(timeout[0]?.timeout ?? 0)}`).execute(conn);
        }
      });
      if (busy)
        return {
          purged: false,
          problem: "the SQLite WAL could not be truncated: another connection reads it",
        };
      return { purged: true };
    }
    for (const table of tables) await sql`vacuum ${sql.table(table)}`.execute(db);
    return { purged: true };
  } catch (error) {
    return { purged: false, problem: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Adds `FOR UPDATE` on PostgreSQL (row lock until the transaction ends); SQLite has no row locks
 * and needs none (BEGIN IMMEDIATE already holds the database's write lock).
 */
export function lockForUpdate<Q extends { forUpdate(): Q }>(trx: Kysely<Database>, query: Q): Q {
  return dialectOf(trx) === "postgres" ? query.forUpdate() : query;
}
