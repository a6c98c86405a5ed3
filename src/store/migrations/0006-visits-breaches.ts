// 0006-visits-breaches: the visits of Article 9 and the breaches of Article 11, on both nodes.
// Column conventions (timestamps as ISO text, 0/1 flags, JSON as text): see `../columns.ts`.
import type { Kysely } from "kysely";
import { JSON_TEXT, TIMESTAMP } from "../columns.ts";

// biome-ignore lint/suspicious/noExplicitAny: migrations are written against an untyped Kysely
export async function up(db: Kysely<any>): Promise<void> {
  // A9.2 visit requests. `direction` out: this node's Party sends the visitors; in: it hosts them.
  await db.schema
    .createTable("visits")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("direction", "text", (c) => c.notNull())
    /** one-time | recurring | amendment */
    .addColumn("kind", "text", (c) => c.notNull())
    /** An amendment: the approved request it replaces. */
    .addColumn("amends", "text")
    /** sent | received | approved | refused | cancelled | completed | superseded */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("visiting_party", "text", (c) => c.notNull())
    .addColumn("host_party", "text", (c) => c.notNull())
    /** The visiting side's competent authority (the request's sender). */
    .addColumn("requesting_org", "text", (c) => c.notNull())
    /** The host's competent authority (the request's recipient). */
    .addColumn("host_authority_org", "text", (c) => c.notNull())
    .addColumn("start_date", "text", (c) => c.notNull())
    .addColumn("end_date", "text", (c) => c.notNull())
    .addColumn("recurrence", "text")
    .addColumn("purpose", "text", (c) => c.notNull())
    /** [{ title, level }] */
    .addColumn("topics", JSON_TEXT, (c) => c.notNull())
    /** The highest level of the topics. */
    .addColumn("level", "text", (c) => c.notNull())
    /** [org id of the host Party] */
    .addColumn("bodies_to_visit", JSON_TEXT, (c) => c.notNull())
    /** [{ position, name }] */
    .addColumn("people_to_meet", JSON_TEXT, (c) => c.notNull())
    /** A person id, or `message:<id>` on the host's side. */
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("requested_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("request_message", "text")
    .addColumn("received_at", TIMESTAMP)
    .addColumn("decided_by", "text")
    .addColumn("decided_at", TIMESTAMP)
    .addColumn("decision_reason", "text")
    .addColumn("cancelled_at", TIMESTAMP)
    .addColumn("cancel_reason", "text")
    /** When the visitors' personal data are due for erasure (pack policy after the last day). */
    .addColumn("personal_erase_due_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("personal_erased_at", TIMESTAMP)
    .addColumn("created_at", TIMESTAMP, (c) => c.notNull())
    .addColumn("updated_at", TIMESTAMP, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("visits_state").on("visits").columns(["direction", "state"]).execute();

  // A9.2 (1)–(3): each visitor. `personal` holds birth date and place, citizenship and passport,
  // sealed under the node's key (never in clear in the database), null once erased.
  await db.schema
    .createTable("visit_visitors")
    .addColumn("visit_id", "text", (c) => c.notNull().references("visits.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    /** Sending side: the person of the registry; host side: the visitor's person record there. */
    .addColumn("person_id", "text")
    .addColumn("surname", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("position", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("clearance_level", "text", (c) => c.notNull())
    .addColumn("clearance_valid_until", "text", (c) => c.notNull())
    .addColumn("personal", "text")
    /** A9.3: when and by whom the host recorded the visitor's acquaintance with its rules. */
    .addColumn("acquainted_at", TIMESTAMP)
    .addColumn("acquainted_by", "text")
    .addPrimaryKeyConstraint("visit_visitors_pk", ["visit_id", "seq"])
    .execute();
  await db.schema.createIndex("visit_visitors_person").on("visit_visitors").column("person_id").execute();

  // A9.1: the host's carriers linked to a visit's topics (the visitors' need-to-know, for the visit).
  await db.schema
    .createTable("visit_topic_carriers")
    .addColumn("visit_id", "text", (c) => c.notNull().references("visits.id"))
    .addColumn("topic", "integer", (c) => c.notNull())
    .addColumn("carrier_id", "text", (c) => c.notNull().references("carriers.id"))
    .addColumn("linked_by", "text", (c) => c.notNull())
    .addColumn("linked_at", TIMESTAMP, (c) => c.notNull())
    .addPrimaryKeyConstraint("visit_topic_carriers_pk", ["visit_id", "carrier_id"])
    .execute();

  // A11 breaches. `direction` own: it happened on this Party's side (we notify and investigate);
  // in: the other Party notified us.
  await db.schema
    .createTable("breaches")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("direction", "text", (c) => c.notNull())
    /** The Party where it happened (it investigates). */
    .addColumn("party", "text", (c) => c.notNull())
    .addColumn("suspected", "integer", (c) => c.notNull())
    /** reported | notified | investigating | results-reported | closed */
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("what", "text", (c) => c.notNull())
    .addColumn("how_found", "text", (c) => c.notNull())
    .addColumn("occurred_at", TIMESTAMP)
    .addColumn("found_at", TIMESTAMP, (c) => c.notNull())
    /** [party code]: whose information is involved. */
    .addColumn("information_of", JSON_TEXT, (c) => c.notNull())
    .addColumn("reporting_org", "text", (c) => c.notNull())
    /** A person id, or `message:<id>` when notified by the other Party. */
    .addColumn("reported_by", "text", (c) => c.notNull())
    .addColumn("reported_at", TIMESTAMP, (c) => c.notNull())
    /** Where it was found, e.g. `transfer:<id>` for a broken seal at take-in. */
    .addColumn("source", "text")
    .addColumn("notice_message", "text")
    .addColumn("notice_due_at", TIMESTAMP)
    .addColumn("notified_at", TIMESTAMP)
    .addColumn("investigation_due_at", TIMESTAMP)
    .addColumn("investigation_started_at", TIMESTAMP)
    .addColumn("results_due_at", TIMESTAMP)
    .addColumn("results", "text")
    .addColumn("results_reported_at", TIMESTAMP)
    .addColumn("damage_due_at", TIMESTAMP)
    .addColumn("damage_assessment", "text")
    .addColumn("settlement", "text")
    .addColumn("closed_at", TIMESTAMP)
    .addColumn("closed_by", "text")
    .addColumn("updated_at", TIMESTAMP, (c) => c.notNull())
    .execute();
  await db.schema.createIndex("breaches_state").on("breaches").columns(["state"]).execute();

  // The carriers a breach names; `carrier_id` is this node's carrier when it holds one under that
  // reference. `quarantined`: held so that no one reads it until the breach is closed (A11.1).
  await db.schema
    .createTable("breach_carriers")
    .addColumn("breach_id", "text", (c) => c.notNull().references("breaches.id"))
    .addColumn("seq", "integer", (c) => c.notNull())
    .addColumn("carrier_id", "text")
    .addColumn("origin_party", "text", (c) => c.notNull())
    .addColumn("origin_registration_number", "text", (c) => c.notNull())
    .addColumn("origin_copy_number", "integer", (c) => c.notNull())
    .addColumn("quarantined", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("breach_carriers_pk", ["breach_id", "seq"])
    .execute();
  await db.schema.createIndex("breach_carriers_carrier").on("breach_carriers").column("carrier_id").execute();
}
