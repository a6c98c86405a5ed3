import type { Kysely } from "kysely";
import { bigint } from "../columns.ts";

/** 0003-auth: login credentials, server-side sessions, login throttle. */
// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("auth_account")
    .addColumn("person_id", "text", (c) => c.primaryKey())
    .addColumn("username", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    // Sealed under a key derived from the node wrapping key (src/api/auth/totp-seal.ts), never in clear.
    .addColumn("totp_secret_sealed", "text")
    .addColumn("totp_last_step", bigint(db), (c) => c.notNull().defaultTo(0))
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("is_demo", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("language", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("auth_session")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("csrf_token", "text", (c) => c.notNull())
    .addColumn("created_at", bigint(db), (c) => c.notNull())
    .addColumn("last_seen_at", bigint(db), (c) => c.notNull())
    .addColumn("absolute_expires_at", bigint(db), (c) => c.notNull())
    .execute();
  await db.schema.createIndex("auth_session_person").on("auth_session").column("person_id").execute();
  await db.schema
    .createTable("auth_login_throttle")
    .addColumn("username", "text", (c) => c.primaryKey())
    .addColumn("failures", "integer", (c) => c.notNull())
    .addColumn("locked_until", bigint(db), (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("auth_login_throttle").execute();
  await db.schema.dropTable("auth_session").execute();
  await db.schema.dropTable("auth_account").execute();
}
