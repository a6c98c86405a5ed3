// The node's store: one query layer (Kysely) over SQLite (embedded default) and PostgreSQL.
//   const { db, dialect, close } = await openDatabase({ dataDir }) // or { url: DATABASE_URL }
//   await withTransaction(db, async (trx) => { /* state + audit + outbox, all on trx */ });
// Migrations: `migrations/index.ts`; column conventions: `columns.ts`; tables: `schema.ts`.
export * from "./columns.ts";
export {
  checkPostgresDurability,
  checkSqliteDurability,
  migrateToLatest,
  type OpenDatabaseOptions,
  type OpenedDatabase,
  openDatabase,
  SQLITE_FILE_NAME,
} from "./open-database.ts";
export type { Database } from "./schema.ts";
export { lockForUpdate, purgeErasedData, type Trx, withTransaction } from "./transaction.ts";
