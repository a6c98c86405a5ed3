// The breaches a person may see (A11.1, A4.2): the competent authority's officers and the auditors
// see every case of the node, a registry officer those its body reported. Each case with its step
// clocks (policy targets from the pack, the clock is `ctx.now()`), and the carriers it names only
// where the viewer's visibility rule allows. One audit entry per read.
import { type BreachStep, breachSteps, overdueSteps } from "../../domain/breach/breach-machine.ts";
import { findLevel, findParty, markingOf, otherParty } from "../../domain/classification/levels.ts";
import { jsonStringList, parseJsonColumn } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { BreachesTable } from "../../store/visit-breach-tables.ts";
import { loadNamedCarriers, type NamedCarrier } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { breachStateOf, isAuthorityOfficer, loadBreach, maySeeBreach } from "./breach-flow.ts";

export type BreachView = {
  readonly id: string;
  /** own: it happened on this Party's side; in: the other Party notified us. */
  readonly direction: "own" | "in";
  readonly party: string;
  readonly suspected: boolean;
  readonly state: string;
  readonly what: string;
  readonly howFound: string;
  readonly occurredAt: string | null;
  readonly foundAt: string;
  readonly reportedAt: string;
  readonly informationOf: string[];
  /** Where it was found, e.g. `transfer:<id>` (a broken seal at take-in). */
  readonly source: string | null;
  /** Each named carrier; its numbers only where the viewer may learn of it (A4.2). */
  readonly carriers: {
    registrationNumber: string | null;
    originRef: string | null;
    quarantined: boolean;
    visible: boolean;
    /** The record's parts for the case's view and its marking banners, only where visible. */
    carrierId: string | null;
    title: string | null;
    levelId: string | null;
    levelRank: number | null;
    originatorParty: string | null;
    markings: { party: string; language: string; text: string }[] | null;
  }[];
  readonly steps: { step: BreachStep; dueAt: string | null; doneAt: string | null; overdue: boolean }[];
  readonly results: string | null;
  readonly damageAssessment: string | null;
  readonly settlement: string | null;
  readonly closedAt: string | null;
  /** What the viewer may do now (the use case decides again): investigate, results, settle. */
  readonly actions: string[];
};

/** The views of `rows` for `actor` at `at` (three queries however many rows). */
export async function breachViews(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  rows: readonly BreachesTable[],
  at: string,
): Promise<BreachView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const notices = rows.map((r) => r.notice_message).filter((m): m is string => m !== null);
  const [carriers, delivered] = await Promise.all([
    trx.selectFrom("breach_carriers").selectAll().where("breach_id", "in", ids).orderBy("seq").execute(),
    notices.length === 0
      ? Promise.resolve([] as { id: string; delivered_at: string | null }[])
      : trx.selectFrom("exchange_outbox").select(["id", "delivered_at"]).where("id", "in", notices).execute(),
  ]);
  const named = await loadNamedCarriers(
    trx,
    ctx,
    actor,
    carriers.map((c) => c.carrier_id),
    at,
  );
  const deliveredAt = new Map(delivered.map((d) => [d.id, d.delivered_at]));
  return rows.map((row) => {
    const own = carriers.filter((c) => c.breach_id === row.id);
    const state = breachStateOf(
      row,
      own.map((c) => c.carrier_id).filter((c): c is string => c !== null),
      row.notice_message ? (deliveredAt.get(row.notice_message) ?? null) : null,
    );
    const investigates = isAuthorityOfficer(actor) && row.direction === "own";
    const actions = !investigates
      ? []
      : row.state === "notified" || (row.state === "reported" && row.notice_due_at === null)
        ? ["investigate"]
        : row.state === "investigating"
          ? ["results"]
          : row.state === "results-reported"
            ? ["settle"]
            : [];
    return {
      id: row.id,
      direction: row.direction as "own" | "in",
      party: row.party,
      suspected: row.suspected === 1,
      state: row.state,
      what: row.what,
      howFound: row.how_found,
      occurredAt: row.occurred_at,
      foundAt: row.found_at,
      reportedAt: row.reported_at,
      informationOf: parseJsonColumn(jsonStringList, row.information_of, "breaches.information_of"),
      source: row.source,
      carriers: own.map((c) => {
        const carrier = c.carrier_id ? named.get(c.carrier_id) : undefined;
        const visible = carrier?.visible === true;
        return {
          registrationNumber: visible ? `${carrier!.registration_number}/${carrier!.copy_number}` : null,
          // A carrier this node does not hold is named as the other Party notified it.
          originRef:
            visible || c.carrier_id === null
              ? `${c.origin_party}/${c.origin_registration_number}/${c.origin_copy_number}`
              : null,
          quarantined: c.quarantined === 1 && row.state !== "closed",
          visible,
          carrierId: visible ? carrier!.id : null,
          title: visible ? carrier!.title : null,
          levelId: visible ? carrier!.level : null,
          levelRank: visible ? findLevel(ctx.pack, carrier!.level).rank : null,
          originatorParty: visible ? carrier!.originator_party : null,
          markings: visible ? carrierMarkings(ctx, carrier!) : null,
        };
      }),
      steps: breachSteps(state, at).map((s) => ({ ...s })),
      results: row.results,
      damageAssessment: row.damage_assessment,
      settlement: row.settlement,
      closedAt: row.closed_at,
      actions,
    };
  });
}

/** The rows of the breaches `actor` may see, newest first. */
async function visibleRows(trx: Trx, actor: Actor): Promise<BreachesTable[]> {
  let query = trx.selectFrom("breaches").selectAll().orderBy("reported_at", "desc").orderBy("id");
  if (!isAuthorityOfficer(actor) && !actor.roles.has("auditor")) {
    if (!actor.roles.has("registry-officer")) return [];
    query = query.where("reporting_org", "=", actor.organisation.id);
  }
  return query.limit(1000).execute();
}

/** A11.1: the breaches the person may see. */
export async function listBreaches(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<BreachView[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "breach.listed" }, async (trx, actor) => {
    const at = ctx.now().toISOString();
    const views = await breachViews(trx, ctx, actor, await visibleRows(trx, actor), at);
    await recordDone(trx, ctx, actor, {
      type: "breach.listed",
      outcome: "allowed",
      object: null,
      articles: ["A11.1", "A4.2"],
      data: { shown: views.length },
    });
    return views;
  });
}

/** A11.1: one breach case; BREACH_NOT_FOUND when the person may not learn of it. */
export async function showBreach(
  ctx: AppContext,
  input: { readonly actor: string; readonly breach: string },
): Promise<BreachView> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "breach.viewed", object: { type: "breach", id: input.breach } },
    async (trx, actor) => {
      const row = await loadBreach(trx, actor, input.breach);
      const [view] = await breachViews(trx, ctx, actor, [row], ctx.now().toISOString());
      await recordDone(trx, ctx, actor, {
        type: "breach.viewed",
        outcome: "allowed",
        object: { type: "breach", id: row.id },
        articles: ["A11.1", "A4.2"],
      });
      return view!;
    },
  );
}

/**
 * The open cases whose next step is this node's competent authority's (A11.1: investigate, report
 * the results; A11.2: settle), for its officers' dashboard; empty for anyone else. Runs in the
 * caller's use case (its one audit entry).
 */
export async function breachesToAct(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
): Promise<{ id: string; what: string; action: string }[]> {
  if (!isAuthorityOfficer(actor)) return [];
  const rows = (await visibleRows(trx, actor)).filter((r) => r.direction === "own" && r.state !== "closed");
  const views = await breachViews(trx, ctx, actor, rows, ctx.now().toISOString());
  return views.flatMap((v) => (v.actions[0] ? [{ id: v.id, what: v.what, action: v.actions[0] }] : []));
}

/**
 * The steps of open cases past their targets at `ctx.now()` (A11.1, A11.2), for the dashboard of
 * the competent authority's officers and the auditors; empty for anyone else. Runs in the caller's
 * use case (its one audit entry).
 */
export async function overdueBreachSteps(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
): Promise<{ id: string; step: BreachStep; dueAt: string }[]> {
  if (!isAuthorityOfficer(actor) && !actor.roles.has("auditor")) return [];
  const at = ctx.now().toISOString();
  const rows = await trx.selectFrom("breaches").selectAll().where("state", "!=", "closed").execute();
  const views = rows.filter((r) => maySeeBreach(actor, r));
  const notices = views.map((r) => r.notice_message).filter((m): m is string => m !== null);
  const delivered =
    notices.length === 0
      ? []
      : await trx
          .selectFrom("exchange_outbox")
          .select(["id", "delivered_at"])
          .where("id", "in", notices)
          .execute();
  const deliveredAt = new Map(delivered.map((d) => [d.id, d.delivered_at]));
  return views.flatMap((row) =>
    overdueSteps(
      breachStateOf(row, [], row.notice_message ? (deliveredAt.get(row.notice_message) ?? null) : null),
      at,
    ).map((s) => ({ id: row.id, step: s.step, dueAt: s.dueAt })),
  );
}

/** The originator's marking, then the other Party's equivalent (A2.1, A6.1), as the carrier view gives them. */
function carrierMarkings(
  ctx: AppContext,
  row: NamedCarrier,
): { party: string; language: string; text: string }[] {
  const origin = findParty(ctx.pack, row.originator_party);
  const other = otherParty(ctx.pack, row.originator_party);
  return [
    { party: origin.code, language: origin.markingLanguage, text: row.marking },
    {
      party: other.code,
      language: other.markingLanguage,
      text: row.national_marking ?? markingOf(ctx.pack, other.code, row.level),
    },
  ];
}
