// 0004-exchange: what travels between the two Parties' nodes — the transactional
// outbox, the idempotent inbox, the peer's checkpoints we verified, and the state of the
// Article 5 transfers and Article 6 consent requests on each side.
// Column conventions (timestamps as ISO text, 0/1 flags, binary, bigint): see `../columns.ts`.
import type { Kysely } from "kysely";
import { bigint, binary, JSON_TEXT, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  const big = bigint(db);
  const bin = binary(db);

  // A message to the peer, committed in the same transaction as the change that caused it. The
  // parcel (sealed envelope + sealed attachment) is made once, so every retry and every courier
  // bundle carries the very same bytes.
  await db.schema
    .createTable("exchange_outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("seq", big, (c) => c.notNull().unique())
    .addColumn("peer_party", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("sender_org", "text", (c) => c.notNull())
    .addColumn("recipient_org", "text", (c) => c.notNull())
    .addColumn("in_reply_to", "text")
    .addColumn("parcel", bin, (c) => c.notNull())
    .addColumn("parcel_sha256", "text", (c) => c.notNull())
    /** pending | delivered | refused */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull())
    .addColumn("next_attempt_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("delivered_at", TIMESTAMP)
    .addColumn("delivered_via", "text")
    .addColumn("exported_at", TIMESTAMP)
    .addColumn("ack", JSON_TEXT)
    .execute();
  await db.schema
    .createIndex("exchange_outbox_due")
    .on("exchange_outbox")
    .columns(["state", "next_attempt_at"])
    .execute();

  // Every message taken in (or refused after authentication), keyed by its id: the same id
  // twice has its effect once; the same id with another content is a conflict.
  await db.schema
    .createTable("exchange_inbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("sender_party", "text", (c) => c.notNull())
    .addColumn("sender_org", "text", (c) => c.notNull())
    .addColumn("recipient_org", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("envelope_sha256", "text", (c) => c.notNull())
    .addColumn("envelope", JSON_TEXT, (c) => c.notNull())
    .addColumn("received_via", "text", (c) => c.notNull())
    .addColumn("received_at", TIMESTAMP, (c) => c.notNull())
    /** accepted | refused */
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("refusal", JSON_TEXT)
    /** The message sent in answer (e.g. the receipt notice), re-sent when this one comes again. */
    .addColumn("reply_id", "text")
    .execute();

  // The peer's audit checkpoints this node verified (consistent with the previous) and cosigned.
  await db.schema
    .createTable("exchange_peer_checkpoints")
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("size", big, (c) => c.notNull())
    .addColumn("root_hash", "text", (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("cosignature", "text", (c) => c.notNull())
    .addColumn("verified_at", TIMESTAMP, (c) => c.notNull())
    .addPrimaryKeyConstraint("exchange_peer_checkpoints_pk", ["party", "size"])
    .execute();

  // Cosignatures the peer returned over this node's checkpoints (the peer saw our log so far).
  await db.schema
    .createTable("exchange_cosigned_checkpoints")
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("size", big, (c) => c.notNull())
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("received_at", TIMESTAMP, (c) => c.notNull())
    .addPrimaryKeyConstraint("exchange_cosigned_checkpoints_pk", ["party", "size"])
    .execute();

  // What the exchange found wrong with the peer: a forked or shrunk log, a refused message.
  await db.schema
    .createTable("exchange_alerts")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("details", JSON_TEXT, (c) => c.notNull())
    .addColumn("raised_at", TIMESTAMP, (c) => c.notNull())
    .execute();

  // Article 5 transfers. `direction` out: this node sends; in: this node receives.
  await db.schema
    .createTable("transfers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("carrier_id", "text")
    .addColumn("contract_number", "text", (c) => c.notNull())
    .addColumn("level", "text", (c) => c.notNull())
    .addColumn("sending_party", "text", (c) => c.notNull())
    .addColumn("sending_org", "text", (c) => c.notNull())
    .addColumn("receiving_party", "text", (c) => c.notNull())
    .addColumn("receiving_org", "text", (c) => c.notNull())
    .addColumn("mode", "text")
    .addColumn("requested_by", "text")
    .addColumn("requested_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("consented_by", "text")
    .addColumn("consented_at", TIMESTAMP)
    .addColumn("confirmation", JSON_TEXT)
    .addColumn("dispatch", JSON_TEXT)
    .addColumn("dispatched_at", TIMESTAMP)
    .addColumn("receipt_due_at", TIMESTAMP)
    .addColumn("receipt", JSON_TEXT)
    .addColumn("closed_at", TIMESTAMP)
    .addColumn("refusal", JSON_TEXT)
    .addColumn("updated_at", TIMESTAMP, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("transfers_state").on("transfers").columns(["direction", "state"]).execute();

  // A carrier received from the other Party, by the originator's reference: the key that level
  // changes, consents and notices use, and the guard against registering one carrier twice.
  await db.schema
    .createTable("received_carriers")
    .addColumn("carrier_id", "text", (c) => c.primaryKey().references("carriers.id"))
    .addColumn("origin_party", "text", (c) => c.notNull())
    .addColumn("origin_registration_number", "text", (c) => c.notNull())
    .addColumn("origin_copy_number", "integer", (c) => c.notNull())
    .addColumn("origin_org", "text", (c) => c.notNull())
    .addColumn("transfer_id", "text", (c) => c.notNull().unique())
    .addColumn("received_at", TIMESTAMP, (c) => c.notNull())
    .addUniqueConstraint("received_carriers_origin", [
      "origin_party",
      "origin_registration_number",
      "origin_copy_number",
    ])
    .execute();

  // Article 6 consent requests. `direction` out: this node asks the originator; in: this node is
  // the originator and answers.
  await db.schema
    .createTable("consent_requests")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("carrier_id", "text")
    .addColumn("origin_party", "text", (c) => c.notNull())
    .addColumn("origin_registration_number", "text", (c) => c.notNull())
    .addColumn("origin_copy_number", "integer", (c) => c.notNull())
    .addColumn("holder_org", "text", (c) => c.notNull())
    .addColumn("originator_org", "text", (c) => c.notNull())
    .addColumn("details", JSON_TEXT, (c) => c.notNull())
    .addColumn("requested_by", "text")
    .addColumn("requested_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("answered_by", "text")
    .addColumn("answered_at", TIMESTAMP)
    .addColumn("answer_reason", "text")
    .addColumn("used_at", TIMESTAMP)
    .execute();
}
