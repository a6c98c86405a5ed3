// 0007-agreement-notices: the written notices about the agreement itself (A15.1, A15.2) between the
// two competent authorities, sent and received as messages. The agreement's state (node_settings)
// is derived from them as they are received and acknowledged.
// Column conventions (timestamps as ISO text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agreement_notices")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** out: sent by this node's competent authority; in: received from the other Party's. */
    .addColumn("direction", "text", (c) => c.notNull())
    /** procedures-completed | termination | termination-withdrawal */
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("from_party", "text", (c) => c.notNull())
    /** The date the notice bears, YYYY-MM-DD. */
    .addColumn("dated_on", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("sent_at", TIMESTAMP, (c) => c.notNull())
    /** When the receiving Party received it; for an `out` notice, as its receipt reported it. */
    .addColumn("received_at", TIMESTAMP)
    /** The notice's message (out: sent; in: received) and, once sent back, its receipt. */
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("receipt_message_id", "text")
    /** The officer who sent it (out) or `node:` for a received one. */
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("agreement_notices_message")
    .on("agreement_notices")
    .column("message_id")
    .unique()
    .execute();
}
