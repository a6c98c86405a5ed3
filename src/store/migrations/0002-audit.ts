// 0002-audit: the append-only audit log (RFC 9162 Merkle tree: entries with their leaf hashes, the
// head's frontier, stored interior hashes, signed checkpoints) and the carriers' content keys
// (at-rest encryption, erased on destruction, A1.8).
// Column conventions (timestamps as ISO text, binary, bigint): see `../columns.ts`.
import { type Kysely, sql } from "kysely";
import { bigint, binary, dialectOf, JSON_TEXT, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  const big = bigint(db);
  const bin = binary(db);

  // Entry `idx` is leaf `idx` of the tree. `entry` holds its canonical bytes (src/audit/entry.ts),
  // the source of truth, which must hash to `leaf_hash`. The other columns index them for queries;
  // the database derives them from the bytes (stored generated columns), so they cannot be edited
  // apart from the bytes: `verifyAuditLog` hashes the bytes and checks `idx` and this layout.
  if (dialectOf(db) === "postgres") {
    // convert_from is only STABLE (it depends on the database encoding, fixed at creation), and a
    // generated column needs an IMMUTABLE expression. `json` (not jsonb) keeps the text as written,
    // so `articles` and `data` read back exactly as in the bytes.
    await sql`create function audit_entry_json(entry bytea) returns json language sql immutable strict
      as $$ select convert_from(entry, 'UTF8')::json $$`.execute(db);
  }
  const field = (key: string, asJson = false) =>
    dialectOf(db) === "postgres"
      ? sql.raw(`audit_entry_json(entry) ${asJson ? "->" : "->>"} '${key}'`)
      : sql.raw(`json_extract(cast(entry as text), '$.${key}')`);
  // PostgreSQL: `->` gives JSON null as the text "null"; the column holds SQL NULL then.
  const jsonField = (key: string) =>
    dialectOf(db) === "postgres"
      ? sql.raw(`nullif((audit_entry_json(entry) -> '${key}')::text, 'null')`)
      : field(key);
  await db.schema
    .createTable("audit_entries")
    .addColumn("idx", big, (c) => c.primaryKey())
    .addColumn("entry", bin, (c) => c.notNull())
    .addColumn("leaf_hash", bin, (c) => c.notNull())
    .addColumn("recorded_at", TIMESTAMP, (c) => c.generatedAlwaysAs(field("time")).stored().notNull())
    .addColumn("actor", "text", (c) => c.generatedAlwaysAs(field("actor")).stored().notNull())
    .addColumn("organisation", "text", (c) => c.generatedAlwaysAs(field("organisation")).stored())
    .addColumn("event_type", "text", (c) => c.generatedAlwaysAs(field("event")).stored().notNull())
    .addColumn("object", "text", (c) => c.generatedAlwaysAs(field("object")).stored())
    .addColumn("outcome", "text", (c) => c.generatedAlwaysAs(field("outcome")).stored().notNull())
    .addColumn("articles", JSON_TEXT, (c) => c.generatedAlwaysAs(jsonField("articles")).stored().notNull())
    .addColumn("data", JSON_TEXT, (c) => c.generatedAlwaysAs(jsonField("data")).stored())
    .execute();
  await db.schema
    .createIndex("audit_entries_object")
    .on("audit_entries")
    .columns(["object", "idx"])
    .execute();
  await db.schema.createIndex("audit_entries_actor").on("audit_entries").columns(["actor", "idx"]).execute();

  // One row: the size of the log and its frontier, updated by every append (O(log n)).
  await db.schema
    .createTable("audit_head")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("size", big, (c) => c.notNull())
    .addColumn("frontier", bin, (c) => c.notNull())
    .execute();
  await db
    .insertInto("audit_head")
    .values({ id: 1, size: 0, frontier: Buffer.alloc(0) })
    .execute();

  await db.schema
    .createTable("audit_nodes")
    .addColumn("level", "integer", (c) => c.notNull())
    .addColumn("idx", big, (c) => c.notNull())
    .addColumn("hash", bin, (c) => c.notNull())
    .addPrimaryKeyConstraint("audit_nodes_pk", ["level", "idx"])
    .execute();

  await db.schema
    .createTable("audit_checkpoints")
    .addColumn("size", big, (c) => c.primaryKey())
    .addColumn("root", bin, (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("content_keys")
    .addColumn("carrier_id", "text", (c) => c.primaryKey())
    .addColumn("wrapped_key", bin, (c) => c.notNull())
    .addColumn("wrap_key_id", "text", (c) => c.notNull())
    .addColumn("blob_name", "text", (c) => c.notNull().unique())
    .addColumn("size_bytes", big, (c) => c.notNull())
    .addColumn("chunk_size", "integer", (c) => c.notNull())
    .addColumn("stored_at", TIMESTAMP, (c) => c.notNull())
    .execute();
}
