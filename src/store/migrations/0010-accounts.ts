// 0010-accounts: what a person's sign-in account needs beyond 0003 (A4.2). A password set by an
// administrator (a reset) must be replaced by the person at their next sign-in before anything else
// (`password_change_required`); a second factor being enrolled is kept sealed beside the one in use
// until the person proves it with a code (`totp_pending_sealed`, sealed like `totp_secret_sealed`).
import type { Kysely } from "kysely";
import { BOOLEAN, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("auth_account")
    .addColumn("password_change_required", BOOLEAN, (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("auth_account").addColumn("password_changed_at", TIMESTAMP).execute();
  await db.schema.alterTable("auth_account").addColumn("totp_pending_sealed", "text").execute();
  await db.schema.alterTable("auth_account").addColumn("totp_pending_at", TIMESTAMP).execute();
}
