// 0009-amendments: the amendment protocols (A14), each a list of changes to the agreement pack,
// proposed by one competent authority and signed or declined by the other, then in force as A15.1
// counts it from the two notices of completed procedures (kept with the agreement's notices, marked
// with the protocol they are about). The version a protocol made is kept with it, so the node can
// say which version of the pack applied when.
// Column conventions (timestamps as ISO text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { JSON_TEXT, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("amendment_protocols")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("number", "text", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    /** The date the protocol bears, YYYY-MM-DD. */
    .addColumn("signed_on", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull())
    /** The changes to the pack (`PackChange[]`), as proposed. */
    .addColumn("changes", JSON_TEXT, (c) => c.notNull())
    .addColumn("proposed_by", "text", (c) => c.notNull())
    /** out: proposed by this node's competent authority; in: received from the other Party's. */
    .addColumn("direction", "text", (c) => c.notNull())
    /** proposed | declined | signed | partly-notified | in-force */
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("proposed_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("answered_at", TIMESTAMP)
    .addColumn("answer_reason", "text")
    /** The notices of completed procedures received, `[{ from, receivedAt }]` (A15.1). */
    .addColumn("notices", JSON_TEXT, (c) => c.notNull())
    .addColumn("in_force_on", "text")
    .addColumn("in_force_from", TIMESTAMP)
    /** The version of the pack it made, in the order this node recorded protocols in force. */
    .addColumn("version", "integer")
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("answer_message_id", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("amendment_protocols_version")
    .on("amendment_protocols")
    .column("version")
    .unique()
    .execute();
  // A notice of completed procedures about a protocol rather than the agreement itself.
  await db.schema.alterTable("agreement_notices").addColumn("protocol_id", "text").execute();
}
