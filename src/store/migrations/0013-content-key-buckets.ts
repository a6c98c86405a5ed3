// 0013-content-key-buckets: cryptographic erasure that does not rely on the database forgetting
// bytes (A1.8, A6.6; NIST SP 800-88r2 cryptographic erase). See src/crypto/at-rest/content-vault.ts.
// - `content_key_buckets`: carriers' content keys are wrapped under a bucket key (a bucket per N
//   carriers); the bucket keys live in the node's key store `<dataDir>/keys/content-buckets.keys`,
//   never in the database. `key_id` names the bucket key that wraps the bucket's keys now;
//   `erasure_pending` = a carrier of the bucket was destroyed and its key not yet replaced.
// - `content_key_store`: one row, the lock every writer of the key-store file takes first, and
//   `drop_pending` = bucket keys no row uses any more are still to be dropped from the file.
// - `content_keys.bucket_id`: the carrier's bucket; null for a key still wrapped by the node key
//   (rows written before this migration: re-wrapped into buckets by the vault at the next destruction).
// Column conventions: see `../columns.ts`.
import type { Kysely } from "kysely";
import { BOOLEAN, bigint, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("content_key_buckets")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("carriers", "integer", (c) => c.notNull())
    .addColumn("opened_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("erasure_pending", BOOLEAN, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createTable("content_key_store")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("generation", bigint(db), (c) => c.notNull())
    .addColumn("drop_pending", BOOLEAN, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto("content_key_store").values({ id: 1, generation: 0, drop_pending: 0 }).execute();
  await db.schema.alterTable("content_keys").addColumn("bucket_id", "text").execute();
  await db.schema.createIndex("content_keys_bucket").on("content_keys").column("bucket_id").execute();
}
