// 0008-predecessor-records: carriers imported from the repealed 2015 agreement (D3) keep their old
// register's record beside them: the origin flag that views show, the old number and marking, the
// transfer under the old agreement. One row per imported carrier; the carrier is an ordinary
// `carriers` row, so the visibility rule and the carrier rules apply to it unchanged (A15.3).
// The same old number and copy of one body's register is imported once.
// Column conventions (timestamps as ISO text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("predecessor_records")
    .addColumn("carrier_id", "text", (c) => c.primaryKey().references("carriers.id"))
    .addColumn("origin_agreement", "text", (c) => c.notNull())
    .addColumn("register_org", "text", (c) => c.notNull().references("organisations.id"))
    .addColumn("old_number", "text", (c) => c.notNull())
    .addColumn("old_copy", "integer", (c) => c.notNull())
    .addColumn("old_marking", "text", (c) => c.notNull())
    .addColumn("originator_body", "text", (c) => c.notNull())
    .addColumn("registered_on", "text", (c) => c.notNull())
    .addColumn("transfer_direction", "text")
    .addColumn("other_party_number", "text")
    .addColumn("transfer_date", "text")
    .addColumn("import_id", "text", (c) => c.notNull())
    .addColumn("imported_at", TIMESTAMP, (c) => c.notNull())
    // The import looks records up by old number (its key's second column, so the index serves it).
    .addUniqueConstraint("predecessor_records_old_number", [
      "origin_agreement",
      "old_number",
      "register_org",
      "old_copy",
    ])
    .execute();
}
