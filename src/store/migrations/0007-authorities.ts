// 0007-authorities: the competent authorities' own dealings. The written notices about the agreement
// itself (A15.1, A15.2), sent and received as messages (the agreement's state in node_settings is
// derived from them as they are received and acknowledged); their letters to each other (A3.2,
// A3.3, A8.1, A8.2); the changes of the other Party's authority they were notified of (A3.3); and
// what they are informed of by the bodies under them (A5.5, A6.7), as notices they can read; and
// the contracts between the Parties' bodies held at both nodes (A1.13, A7).
// Column conventions (timestamps as ISO text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { binary, JSON_TEXT, TIMESTAMP } from "../columns.ts";

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

  // A3.2, A3.3, A8.1, A8.2: letters between the competent authorities.
  await db.schema
    .createTable("authority_letters")
    .addColumn("id", "text", (c) => c.primaryKey())
    /** out | in */
    .addColumn("direction", "text", (c) => c.notNull())
    /** legislation-change | authority-change | consultation-request | regulations */
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("from_party", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    /** A3.3: the authority's new name and functions, as notified. */
    .addColumn("authority_name", "text")
    .addColumn("authority_functions", "text")
    /** An attached document (A8.2 regulations, A3.2 legislation): its name, bytes and SHA-256. */
    .addColumn("attachment_name", "text")
    .addColumn("attachment", binary(db))
    .addColumn("attachment_sha256", "text")
    .addColumn("sent_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("received_at", TIMESTAMP)
    .addColumn("message_id", "text", (c) => c.notNull().unique())
    .addColumn("receipt_message_id", "text")
    .addColumn("recorded_by", "text", (c) => c.notNull())
    .execute();

  // A3.3: a competent authority's change of name or functions, as notified and acknowledged: the
  // other Party's (the peer directory file keeps what was exchanged at set-up, this what was
  // notified since) and the own one (its organisation row takes the new name).
  await db.schema
    .createTable("authority_changes")
    .addColumn("letter_id", "text", (c) => c.primaryKey())
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("org_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("functions", "text", (c) => c.notNull())
    .addColumn("changed_at", TIMESTAMP, (c) => c.notNull())
    .execute();

  // A5.5, A6.7: what the competent authority is informed of, one notice per event, until read.
  await db.schema
    .createTable("authority_notices")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("at", TIMESTAMP, (c) => c.notNull())
    /** The audit event it was recorded as (e.g. transfer.authority-informed). */
    .addColumn("event", "text", (c) => c.notNull())
    .addColumn("articles", JSON_TEXT, (c) => c.notNull())
    .addColumn("object", "text")
    .addColumn("data", JSON_TEXT, (c) => c.notNull())
    .addColumn("read_at", TIMESTAMP)
    .addColumn("read_by", "text")
    .execute();
  await db.schema.createIndex("authority_notices_at").on("authority_notices").column("at").execute();

  // A1.13, A7, A4.1.4: a contract is held at both nodes: the concluding node sends it once active
  // (and each change after); the other node holds it as sent, linked to the carriers received under it.
  for (const [column, type] of [
    ["origin_party", "text"],
    ["origin_contract_id", "text"],
    ["peer_participants", JSON_TEXT],
    ["shared_at", TIMESTAMP],
    ["shared_version", "integer"],
    ["suspended_at", TIMESTAMP],
    ["closed_at", TIMESTAMP],
  ] as const)
    await db.schema.alterTable("contracts").addColumn(column, type).execute();

  // A1.11, A4.2: a clearance no longer counts once withdrawn (for good) or suspended (until the
  // competent authority reinstates it); either way `revoked_at` is set, which every reader checks.
  for (const table of ["personal_clearances", "facility_clearances"])
    await db.schema.alterTable(table).addColumn("revocation", "text").execute();
}
