// The visits a person may see (A9, A4.2), each with the steps this person may take now (the step's
// use case decides again). The competent authority's officers and the auditors see every visit of
// the node; a body's registry officer (its security officer) the approved visits to that body. Lists
// never hold personal data; a visit's own view shows them only to the competent authority's officers
// and the visited body's security officer, until they are erased.

import { findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone } from "../../domain/time/instants.ts";
import type { Trx } from "../../store/transaction.ts";
import type { VisitsTable, VisitVisitorsTable } from "../../store/visit-breach-tables.ts";
import { loadNamedCarriers } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";
import { openPersonalData } from "./personal-data.ts";
import {
  bodiesOf,
  isAuthorityOfficer,
  isHostSecurityOfficer,
  maySeePersonalData,
  maySeeVisit,
  peopleToMeetOf,
  topicsOf,
  visitNotFound,
  visitorsOf,
} from "./visit-records.ts";

export type VisitRow = {
  id: string;
  direction: "out" | "in";
  kind: string;
  state: string;
  visitingParty: string;
  hostParty: string;
  startDate: string;
  endDate: string;
  purpose: string;
  topics: { title: string; level: string }[];
  level: string;
  bodiesToVisit: { id: string; name: string }[];
  visitors: {
    seq: number;
    surname: string;
    name: string;
    position: string;
    body: string;
    clearanceLevel: string;
    acquaintedAt: string | null;
  }[];
  requestedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  amends: string | null;
  actions: string[];
};

export type VisitDetail = VisitRow & {
  recurrence: string | null;
  peopleToMeet: { position: string; name: string }[];
  personal:
    | { seq: number; birthDate: string; birthPlace: string; citizenship: string; passport: string }[]
    | null;
  personalErasedAt: string | null;
  personalEraseDueAt: string;
  topicCarriers: { topic: number; carrierId: string; registrationNumber: string; title: string }[];
  /** Host side, once approved: the visitors' person records here (their handles), for the host's officers. */
  visitorHandles: { seq: number; handle: string }[];
};

function actionsOf(actor: Actor, row: VisitsTable): string[] {
  const actions: string[] = [];
  const authority = isAuthorityOfficer(actor);
  if (authority && row.direction === "out" && ["sent", "approved"].includes(row.state))
    actions.push("cancel");
  if (authority && row.direction === "out" && row.state === "approved") actions.push("amend");
  if (authority && row.direction === "in" && row.state === "received") actions.push("approve", "refuse");
  if (isHostSecurityOfficer(actor, row) && row.state === "approved") actions.push("acquaint", "link");
  return actions;
}

function rowOf(
  actor: Actor,
  row: VisitsTable,
  visitors: readonly VisitVisitorsTable[],
  names: ReadonlyMap<string, string>,
): VisitRow {
  return {
    id: row.id,
    direction: row.direction === "in" ? "in" : "out",
    kind: row.kind,
    state: row.state,
    visitingParty: row.visiting_party,
    hostParty: row.host_party,
    startDate: row.start_date,
    endDate: row.end_date,
    purpose: row.purpose,
    topics: topicsOf(row),
    level: row.level,
    bodiesToVisit: bodiesOf(row).map((id) => ({ id, name: names.get(id) ?? id })),
    visitors: visitors.map((v) => ({
      seq: v.seq,
      surname: v.surname,
      name: v.name,
      position: v.position,
      body: v.body,
      clearanceLevel: v.clearance_level,
      acquaintedAt: v.acquainted_at,
    })),
    requestedAt: row.requested_at,
    decidedAt: row.decided_at,
    decisionReason: row.decision_reason,
    amends: row.amends,
    actions: actionsOf(actor, row),
  };
}

/** The visit rows the actor may see, newest first (no audit entry: the caller's use case records one). */
async function visitRows(trx: Trx, ctx: AppContext, actor: Actor): Promise<VisitRow[]> {
  let q = trx.selectFrom("visits").selectAll();
  if (!isAuthorityOfficer(actor) && !actor.roles.has("auditor"))
    q = q.where("direction", "=", "in").where("state", "in", ["approved", "completed"]);
  const rows = (await q.orderBy("requested_at", "desc").limit(500).execute()).filter((r) =>
    maySeeVisit(actor, r),
  );
  if (rows.length === 0) return [];
  const visitors = await trx
    .selectFrom("visit_visitors")
    .selectAll()
    .where(
      "visit_id",
      "in",
      rows.map((r) => r.id),
    )
    .orderBy("seq")
    .execute();
  const names = await organisationNames(trx, ctx);
  return rows.map((r) =>
    rowOf(
      actor,
      r,
      visitors.filter((v) => v.visit_id === r.id),
      names,
    ),
  );
}

/**
 * For the dashboard, in the caller's use case (its one audit entry): the visit requests this node's
 * competent authority is to approve or refuse (A9.1), and the approved visits to this node not yet
 * over, which a host body's security officer prepares for (A9.3: acquaint each visitor). Only what
 * the visits list would show the actor.
 */
export async function visitsAwaiting(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
): Promise<{ toDecide: VisitRow[]; expected: VisitRow[] }> {
  if (!isAuthorityOfficer(actor) && !actor.roles.has("registry-officer"))
    return { toDecide: [], expected: [] };
  const today = dateInZone(ctx.now().toISOString(), findParty(ctx.pack, ctx.config.party).timeZone);
  const rows = await visitRows(trx, ctx, actor);
  const byStart = (a: VisitRow, b: VisitRow) => a.startDate.localeCompare(b.startDate);
  return {
    toDecide: rows.filter((r) => r.actions.includes("approve")).sort(byStart),
    expected: rows
      .filter((r) => r.direction === "in" && r.state === "approved" && r.endDate >= today)
      .sort(byStart),
  };
}

/** A9: the visits the actor may see, newest first; never personal data; one audit entry. */
export async function listVisits(ctx: AppContext, input: { readonly actor: string }): Promise<VisitRow[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "visits.listed" }, async (trx, actor) => {
    requireRole(actor, "competent-authority-officer", "registry-officer", "auditor");
    const rows = await visitRows(trx, ctx, actor);
    await recordDone(trx, ctx, actor, {
      type: "visits.listed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A9.2"],
      data: { shown: rows.length },
    });
    return rows;
  });
}

/**
 * A9: one visit. Personal data (A9.2 (1)) only to the competent authority's officers and the
 * visited body's security officer, until erased; the carriers linked to its topics only where the
 * visibility rule lets the actor learn of them. A visit the actor may not learn of: VISIT_NOT_FOUND.
 */
export async function showVisit(
  ctx: AppContext,
  input: { readonly actor: string; readonly visit: string },
): Promise<VisitDetail> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.shown", object: { type: "visit", id: input.visit } },
    async (trx, actor) => {
      const row = await trx.selectFrom("visits").selectAll().where("id", "=", input.visit).executeTakeFirst();
      if (!row) throw visitNotFound(input.visit);
      if (!maySeeVisit(actor, row))
        throw new ConcealedRefusal(visitNotFound(input.visit), forbidden(actor), {
          type: "visit",
          id: row.id,
        });
      const visitors = await visitorsOf(trx, row.id);
      const names = await organisationNames(trx, ctx);
      const personalShown = maySeePersonalData(actor, row) && row.personal_erased_at === null;
      const personal = personalShown
        ? visitors
            .filter((v) => v.personal !== null)
            .map((v) => ({ seq: v.seq, ...openPersonalData(ctx.dataDir, row.id, v.seq, v.personal!) }))
        : null;
      const links = await trx
        .selectFrom("visit_topic_carriers")
        .selectAll()
        .where("visit_id", "=", row.id)
        .orderBy("topic")
        .execute();
      const at = ctx.now().toISOString();
      const named = await loadNamedCarriers(
        trx,
        ctx,
        actor,
        links.map((l) => l.carrier_id),
        at,
      );
      const topicCarriers = links.flatMap((l) => {
        const c = named.get(l.carrier_id);
        return c?.visible
          ? [{ topic: l.topic, carrierId: c.id, registrationNumber: c.registration_number, title: c.title }]
          : [];
      });
      const hostOfficer = isAuthorityOfficer(actor) || isHostSecurityOfficer(actor, row);
      const personIds = visitors.map((v) => v.person_id).filter((p): p is string => p !== null);
      const handles =
        row.direction === "in" && hostOfficer && personIds.length > 0
          ? await trx.selectFrom("people").select(["id", "handle"]).where("id", "in", personIds).execute()
          : [];
      await recordDone(trx, ctx, actor, {
        type: "visit.shown",
        outcome: "allowed",
        object: { type: "visit", id: row.id },
        articles: personalShown ? ["A4.2", "A9.2"] : ["A4.2"],
        data: { personalData: personalShown },
      });
      return {
        ...rowOf(actor, row, visitors, names),
        recurrence: row.recurrence,
        peopleToMeet: peopleToMeetOf(row),
        personal,
        personalErasedAt: row.personal_erased_at,
        personalEraseDueAt: row.personal_erase_due_at,
        topicCarriers,
        visitorHandles: visitors.flatMap((v) => {
          const h = handles.find((p) => p.id === v.person_id);
          return h ? [{ seq: v.seq, handle: h.handle }] : [];
        }),
      };
    },
  );
}

function forbidden(actor: Actor): DomainError {
  return new DomainError("ROLE_FORBIDDEN", {
    needed: ["competent-authority", "the visited body's security officer"],
    actor: actor.handle,
  });
}

/** A9.2: the other Party's bodies (from the peer's directory) a request may name, for the request form. */
export async function listHostBodies(
  ctx: FlowContext,
  input: { readonly actor: string },
): Promise<{ id: string; name: string }[]> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.host-bodies-listed" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer");
      const bodies = (ctx.exchange.peer?.organisations ?? [])
        .filter((o) => o.kind !== "competent-authority")
        .map((o) => ({ id: o.id, name: o.name }));
      await recordDone(trx, ctx, actor, {
        type: "visit.host-bodies-listed",
        outcome: "allowed",
        object: null,
        articles: ["A9.2"],
        data: { shown: bodies.length },
      });
      return bodies;
    },
  );
}
