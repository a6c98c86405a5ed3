// 0002-audit: the append-only audit log (RFC 9162 Merkle tree: entries with their leaf hashes, the
// head's frontier, stored interior hashes, signed checkpoints) and the carriers' content keys
// (at-rest encryption, erased on destruction, A1.8).
// Column conventions (timestamps as ISO text, binary, bigint): see `../columns.ts`.
import type { Kysely } from "kysely";
import { bigint, binary, JSON_TEXT, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  const big = bigint(db);
  const bin = binary(db);

  // Entry `idx` is leaf `idx` of the tree; its canonical bytes are rebuilt from these columns
  // (src/audit/entry.ts) and must hash to `leaf_hash`.
  await db.schema
    .createTable("audit_entries")
    .addColumn("idx", big, (c) => c.primaryKey())
    .addColumn("recorded_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("organisation", "text")
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("object", "text")
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("articles", JSON_TEXT, (c) => c.notNull())
    .addColumn("data", JSON_TEXT)
    .addColumn("leaf_hash", bin, (c) => c.notNull())
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
