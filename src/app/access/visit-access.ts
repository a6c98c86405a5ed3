// A9.1, A9.3: the actor's standing as a visitor of the other Party on this (host) node, for the
// visibility rule: the approved visit's days in the host's zone, the acquaintance the host recorded,
// and the carriers the host linked to the visit's topics. Null for everyone who is not a visitor.
import type { VisitAccess } from "../../domain/access/access-decision.ts";
import { findParty } from "../../domain/classification/levels.ts";
import { parseDate, startOfDate } from "../../domain/time/instants.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";

/** The visit the actor is a visitor on at this node (approved, hosted here), or null. */
export async function visitAccessOf(trx: Trx, ctx: AppContext, actor: Actor): Promise<VisitAccess | null> {
  const rows = await trx
    .selectFrom("visit_visitors")
    .innerJoin("visits", "visits.id", "visit_visitors.visit_id")
    .select([
      "visits.id",
      "visits.state",
      "visits.start_date",
      "visits.end_date",
      "visit_visitors.acquainted_at",
    ])
    .where("visit_visitors.person_id", "=", actor.personId)
    .where("visits.direction", "=", "in")
    .execute();
  if (rows.length === 0) return null;
  // A visitor's person record exists for one visit; without an approved one, nothing is allowed.
  const approved = rows.find((r) => r.state === "approved") ?? null;
  const zone = findParty(ctx.pack, ctx.config.party).timeZone;
  if (approved === null)
    return {
      from: "1970-01-01T00:00:00Z",
      until: "1970-01-01T00:00:00Z",
      acquaintedAt: null,
      topicCarriers: [],
    };
  const linked = await trx
    .selectFrom("visit_topic_carriers")
    .select("carrier_id")
    .where("visit_id", "=", approved.id)
    .execute();
  return {
    from: startOfDate(approved.start_date, zone),
    until: startOfDate(parseDate(approved.end_date).add({ days: 1 }).toString(), zone),
    acquaintedAt: approved.acquainted_at,
    topicCarriers: linked.map((l) => l.carrier_id),
  };
}
