// What the visit use cases (A9) share: who may see and act on a visit, the visit's row as the
// domain's state, the peer's competent authority, the erasure date of the visitors' personal data.

import { Temporal } from "temporal-polyfill";
import { z } from "zod";
import { findLevel, findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { parseDate, startOfDate } from "../../domain/time/instants.ts";
import type { VisitKind, VisitState, VisitStatus } from "../../domain/visit/visit-machine.ts";
import { jsonStringList, parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import { lockForUpdate, type Trx } from "../../store/transaction.ts";
import type { VisitsTable, VisitVisitorsTable } from "../../store/visit-breach-tables.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ConcealedRefusal } from "../use-case.ts";

export type Topic = { readonly title: string; readonly level: string };
export type PersonToMeet = { readonly position: string; readonly name: string };

const TopicSchema = z.object({ title: z.string(), level: z.string() }) satisfies z.ZodType<Topic>;
const PersonToMeetSchema = z.object({
  position: z.string(),
  name: z.string(),
}) satisfies z.ZodType<PersonToMeet>;

export const topicsOf = (row: Pick<VisitsTable, "topics">) =>
  parseJsonColumn(z.array(TopicSchema), row.topics, "visits.topics");
export const bodiesOf = (row: Pick<VisitsTable, "bodies_to_visit">) =>
  parseJsonColumn(jsonStringList, row.bodies_to_visit, "visits.bodies_to_visit");
export const peopleToMeetOf = (row: Pick<VisitsTable, "people_to_meet">) =>
  parseJsonColumn(z.array(PersonToMeetSchema), row.people_to_meet, "visits.people_to_meet");

/** An officer of this Party's competent authority: requests, decides, cancels, sees every visit. */
export function isAuthorityOfficer(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/**
 * The host body's security officer (its registry officer, A9.3) of a visit hosted here: an approved
 * (or completed) visit naming the officer's body among the bodies to visit.
 */
export function isHostSecurityOfficer(actor: Actor, row: VisitsTable): boolean {
  return (
    row.direction === "in" &&
    ["approved", "completed"].includes(row.state) &&
    actor.roles.has("registry-officer") &&
    bodiesOf(row).includes(actor.organisation.id)
  );
}

/** Whether the actor may learn of the visit at all (A4.2). */
export function maySeeVisit(actor: Actor, row: VisitsTable): boolean {
  return isAuthorityOfficer(actor) || actor.roles.has("auditor") || isHostSecurityOfficer(actor, row);
}

/** Whether the actor may see the visitors' personal data (A9.2): the competent authority and the host body's security officer. */
export function maySeePersonalData(actor: Actor, row: VisitsTable): boolean {
  return isAuthorityOfficer(actor) || isHostSecurityOfficer(actor, row);
}

export const visitNotFound = (ref: string) => new DomainError("VISIT_NOT_FOUND", { visit: ref });

/**
 * The visit `ref` the actor may learn of and `allowed` lets act on, locked for the transaction
 * (PostgreSQL). Any other is answered exactly as a visit that does not exist; the audit log keeps
 * the real reason.
 */
export async function loadVisit(
  trx: Trx,
  actor: Actor,
  ref: string,
  allowed: (row: VisitsTable) => boolean,
  needed: string,
): Promise<VisitsTable> {
  const row = await lockForUpdate(
    trx,
    trx.selectFrom("visits").selectAll().where("id", "=", ref),
  ).executeTakeFirst();
  if (!row) throw visitNotFound(ref);
  if (!allowed(row)) {
    const refusal = new DomainError("ROLE_FORBIDDEN", { needed: [needed], actor: actor.handle });
    if (maySeeVisit(actor, row)) throw refusal;
    throw new ConcealedRefusal(visitNotFound(ref), refusal, { type: "visit", id: row.id });
  }
  return row;
}

export async function visitorsOf(trx: Trx, visitId: string): Promise<VisitVisitorsTable[]> {
  return trx
    .selectFrom("visit_visitors")
    .selectAll()
    .where("visit_id", "=", visitId)
    .orderBy("seq")
    .execute();
}

/** The visit as the domain's machine sees it (personal data are not needed for its decisions). */
export function visitStateOf(ctx: AppContext, row: VisitsTable): VisitState {
  return {
    id: row.id,
    status: row.state as VisitStatus,
    kind: row.kind as VisitKind,
    amends: row.amends,
    recurrence: row.recurrence,
    visitingParty: row.visiting_party,
    hostParty: row.host_party,
    visitors: [],
    startDate: row.start_date,
    endDate: row.end_date,
    purpose: row.purpose,
    topics: topicsOf(row).map((t) => t.title),
    level: findLevel(ctx.pack, row.level).rank,
    bodiesToVisit: bodiesOf(row),
    peopleToMeet: peopleToMeetOf(row).map((p) => `${p.position} ${p.name}`),
    sentAt: row.requested_at,
    receivedAt: row.received_at,
    decidedAt: row.decided_at,
  };
}

/**
 * When the visitors' personal data are due for erasure: the start of the day after the visit's last
 * day in this node's zone, plus the pack's retention (`visitPersonalDataRetention`, policy).
 */
export function personalEraseDueAt(ctx: AppContext, endDate: string): string {
  const zone = findParty(ctx.pack, ctx.config.party).timeZone;
  const retention = Temporal.Duration.from(ctx.pack.deadlines.visitPersonalDataRetention.duration);
  const start = startOfDate(parseDate(endDate, "endDate").add({ days: 1 }).toString(), zone);
  const due = Temporal.Instant.from(start).toZonedDateTimeISO(zone).add(retention).toInstant();
  return toTimestamp(new Date(due.epochMilliseconds));
}

/** The other Party's competent authority, as the peer's directory names it. */
export function peerAuthority(ctx: FlowContext): { party: string; org: string } {
  const peer = ctx.exchange.peer;
  const ca = peer?.organisations.find((o) => o.kind === "competent-authority");
  if (!ca || !peer)
    throw new DomainError("INPUT_INVALID", {
      field: "peer",
      problem: "the peer node is not configured (kelisim exchange peer)",
    });
  return { party: peer.party, org: ca.id };
}

export const nodeActor = (ctx: AppContext) => `node:${ctx.config.nodeId}`;
