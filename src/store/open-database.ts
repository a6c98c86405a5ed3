import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import {
  CompiledQuery,
  type DatabaseConnection,
  Kysely,
  Migrator,
  PostgresDialect,
  type SqliteDatabase,
  SqliteDialect,
  SqliteDriver,
  sql,
} from "kysely";
import type pg from "pg";
import { dialectOf, type StoreDialect } from "./columns.ts";
import { migrations } from "./migrations/index.ts";
import type { Database } from "./schema.ts";
import { refuseNotDurable } from "./store-errors.ts";

/** The SQLite file of a node, inside its data directory. */
export const SQLITE_FILE_NAME = "kelisim.sqlite";

export type OpenDatabaseOptions =
  | {
      /** The node's data directory; the database is `<dataDir>/kelisim.sqlite`. */
      dataDir: string;
      /**
       * Operator overrides of SQLite settings. Values that can lose a committed transaction
       * (journal_mode other than WAL, synchronous below FULL) are refused, never applied silently.
       */
      sqlite?: { journalMode?: string; synchronous?: string };
      migrate?: boolean;
    }
  | {
      /** `postgres://…` (DATABASE_URL). */
      url: string;
      /** Schema to work in (created if missing); default: the server's search_path. Tests use one per run. */
      schema?: string;
      /** Pool size (default 10). */
      maxConnections?: number;
      migrate?: boolean;
    };

export type OpenedDatabase = {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  /** The SQLite file, when the dialect is sqlite. */
  readonly file?: string;
  close(): Promise<void>;
};

/**
 * Opens the node's database, checks that it is durable (refusing settings that can lose a committed
 * transaction) and applies the migrations. SQLite: a file in the data directory, WAL,
 * `synchronous=FULL`, foreign keys on, `secure_delete` on (deleted content is overwritten, A1.8).
 * PostgreSQL: `fsync`, `synchronous_commit` and `full_page_writes` must be on.
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<OpenedDatabase> {
  const opened = "url" in options ? await openPostgres(options) : openSqlite(options);
  try {
    if (options.migrate !== false) await migrateToLatest(opened.db);
  } catch (error) {
    await opened.close();
    throw error;
  }
  return opened;
}

/** Applies every pending migration of `migrations/index.ts`; throws on the first failure. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  // On PostgreSQL the migration tables go in the current schema, named explicitly: otherwise Kysely
  // finds another schema's `kysely_migration` in the catalogue and skips creating its own.
  const migrationTableSchema =
    dialectOf(db) === "postgres"
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
    provider: { getMigrations: async () => migrations },
    // Parts land their numbered migrations independently (0004 may reach a database before 0002);
    // each migration only creates its own tables, so applying a late lower number is safe.
    allowUnorderedMigrations: true,
  });
  // Kysely looks for its migration tables by listing every table of every schema; on PostgreSQL
  // that listing fails ("schema/relation/column … does not exist": SQLSTATE 3F000, 42P01, 42703)
  // when another schema is dropped while it runs (tests drop theirs in parallel). No migration ran
  // then: list again.
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (!error) return;
    const otherSchemaDropped =
      migrationTableSchema !== undefined &&
      ["3F000", "42P01", "42703"].includes(String((error as { code?: unknown }).code)) &&
      !results?.some((r) => r.status !== "NotExecuted");
    if (otherSchemaDropped && attempt < 5) continue;
    const failed = results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(`database migration ${failed ?? "?"} failed: ${String(error)}`, { cause: error });
  }
}

// ---------------------------------------------------------------- SQLite

const SAFE_SYNCHRONOUS = new Map([
  ["2", "FULL"],
  ["3", "EXTRA"],
]);

function openSqlite(options: Extract<OpenDatabaseOptions, { dataDir: string }>): OpenedDatabase {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const file = join(options.dataDir, SQLITE_FILE_NAME);
  const raw = new BetterSqlite3(file, { timeout: 10_000 });
  try {
    raw.pragma(`journal_mode = ${pragmaWord(options.sqlite?.journalMode ?? "WAL")}`);
    raw.pragma(`synchronous = ${pragmaWord(options.sqlite?.synchronous ?? "FULL")}`);
    raw.pragma("foreign_keys = ON");
    // Deleted content is overwritten with zeros, so a destroyed carrier's key does not survive in
    // free pages (A1.8); the WAL is truncated after a destruction (see `purgeDeletedContent`).
    raw.pragma("secure_delete = ON");
    checkSqliteDurability(raw);
  } catch (error) {
    raw.close();
    throw error;
  }
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(raw) });
  SQLITE_FILES.set(db, file);
  let closed = false;
  return {
    db,
    dialect: "sqlite",
    file,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

const SQLITE_FILES = new WeakMap<Kysely<Database>, string>();

/**
 * The file behind a SQLite database opened by `openDatabase`, for a reader that needs a connection
 * of its own (the audit verifier reads one snapshot without holding the node's connection).
 * Undefined for PostgreSQL, a transaction, or a Kysely instance made elsewhere.
 */
export function sqliteFileOf(db: Kysely<Database>): string | undefined {
  return SQLITE_FILES.get(db);
}

function pragmaWord(value: string): string {
  if (!/^[A-Za-z0-9]+$/.test(value)) throw new Error(`not a SQLite pragma value: ${value}`);
  return value;
}

/**
 * Refuses a SQLite connection whose settings can lose a committed transaction: the journal must be
 * WAL and `synchronous` FULL or EXTRA (NORMAL in WAL mode can drop the last commits on power loss).
 */
export function checkSqliteDurability(raw: BetterSqlite3.Database): void {
  const journalMode = String(raw.pragma("journal_mode", { simple: true })).toLowerCase();
  if (journalMode !== "wal") {
    refuseNotDurable("sqlite", "journal_mode", journalMode, "wal");
  }
  const synchronous = String(raw.pragma("synchronous", { simple: true }));
  if (!SAFE_SYNCHRONOUS.has(synchronous)) {
    const names: Record<string, string> = { "0": "OFF", "1": "NORMAL" };
    refuseNotDurable("sqlite", "synchronous", names[synchronous] ?? synchronous, "FULL");
  }
}

/**
 * Kysely's SQLite driver starts transactions with a deferred `BEGIN`; two processes that both read
 * then write would then fail with SQLITE_BUSY instead of waiting. `BEGIN IMMEDIATE` takes the write
 * lock up front, so concurrent writers queue on the busy timeout.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  readonly #database: SqliteDatabase;
  constructor(raw: BetterSqlite3.Database) {
    const database = withStatementCache(raw);
    super({ database });
    this.#database = database;
  }
  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver({ database: this.#database });
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; preparing costs as much as running a small statement. The
 * node's queries are few distinct texts, so prepared statements are kept by SQL text (one
 * connection, used under Kysely's mutex, so a statement is never used by two queries at once).
 */
function withStatementCache(raw: BetterSqlite3.Database): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      raw.close();
    },
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (!statement) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
        statement = raw.prepare(text);
        cache.set(text, statement);
      }
      return statement as unknown as ReturnType<SqliteDatabase["prepare"]>;
    },
  };
}

// ---------------------------------------------------------------- PostgreSQL

const INT8_OID = 20;

const POSTGRES_POOLS = new WeakMap<Kysely<Database>, pg.Pool>();

/**
 * The connection pool behind a PostgreSQL database opened by `openDatabase`, for the one thing
 * Kysely cannot do: `COPY … TO STDOUT` (the audit verifier streams the log with it). Undefined for
 * SQLite, a transaction, or a Kysely instance made elsewhere.
 */
export function postgresPoolOf(db: Kysely<Database>): pg.Pool | undefined {
  return POSTGRES_POOLS.get(db);
}

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`bigint beyond 2^53 read from PostgreSQL: ${text}`);
  return value;
}

async function openPostgres(options: Extract<OpenDatabaseOptions, { url: string }>): Promise<OpenedDatabase> {
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new Error(`not a schema name: ${options.schema}`);
  }
  // Loaded here, not at the top: a node on SQLite (and every start of the CLI) does without it.
  const { default: pg } = await import("pg");
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: "text" | "binary") =>
        oid === INT8_OID && format !== "binary"
          ? parseInt8
          : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on("error", () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  POSTGRES_POOLS.set(db, pool);
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.destroy();
  };
  try {
    if (options.schema) await sql`create schema if not exists ${sql.id(options.schema)}`.execute(db);
    await checkPostgresDurability(db);
  } catch (error) {
    await close();
    throw error;
  }
  return { db, dialect: "postgres", close };
}

/**
 * Refuses a PostgreSQL session whose settings can lose (or corrupt) a committed transaction:
 * `fsync` off, `synchronous_commit` off, `full_page_writes` off.
 */
export async function checkPostgresDurability(db: Kysely<Database>): Promise<void> {
  const { rows } = await sql<{ fsync: string; synchronous_commit: string; full_page_writes: string }>`
    select current_setting('fsync') as fsync,
           current_setting('synchronous_commit') as synchronous_commit,
           current_setting('full_page_writes') as full_page_writes`.execute(db);
  const row = rows[0];
  if (!row) throw new Error("PostgreSQL returned no settings");
  if (row.fsync !== "on") refuseNotDurable("postgres", "fsync", row.fsync, "on");
  if (row.synchronous_commit === "off") {
    refuseNotDurable("postgres", "synchronous_commit", row.synchronous_commit, "on");
  }
  if (row.full_page_writes !== "on") {
    refuseNotDurable("postgres", "full_page_writes", row.full_page_writes, "on");
  }
}
