/**
 * Breaches (A11): reported → notified to the other Party's competent authority "at once" when its
 * information is involved (A11.1; the node's target, PT24H by default, is policy) → investigating
 * under the law of the Party where it happened → results reported to the other Party (A11.1) →
 * damage assessed and its settlement recorded, which closes the case (A11.2). A case that involves
 * only the own Party's information sends no notice: reported → investigating.
 *
 * Every step has a due instant from the pack's policy targets (`pack.deadlines`): the notice
 * (reported + breachNotice), the start of the investigation (reported + breachInvestigationStart),
 * the results (investigation start + breachResults), the settlement (results + breachDamageSettlement).
 * `overdueSteps` names the steps past their targets at an instant (the clock is passed in).
 */
import type { AgreementPack, PartyCode } from "../agreement/pack-schema.ts";
import type { ArticleId } from "../articles.ts";
import { findParty } from "../classification/levels.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import { breachNoticeDueAt, isPast } from "../time/deadlines.ts";
import type { InstantString } from "../time/instants.ts";
import { compareInstants, normalizeInstant } from "../time/instants.ts";

export const BREACH_STATUSES = [
  "reported",
  "notified",
  "investigating",
  "results-reported",
  "closed",
] as const;
/** Status of a breach case. */
export type BreachStatus = (typeof BREACH_STATUSES)[number];

/** The steps of a case, each with its clock. */
export const BREACH_STEPS = ["notice", "investigation", "results", "settlement"] as const;
export type BreachStep = (typeof BREACH_STEPS)[number];

/** A breach case (plain JSON). */
export type BreachState = {
  readonly id: string;
  readonly status: BreachStatus;
  /** The Party where the breach happened (it notifies and investigates). */
  readonly party: PartyCode;
  readonly carrierIds: readonly string[];
  readonly description: string;
  readonly reportedAt: InstantString;
  /** The other Party's information is involved: its competent authority is notified (A11.1). */
  readonly needsNotice: boolean;
  /** Policy target for the notice (A11.1 "at once"); null when no notice is owed. */
  readonly noticeDueAt: InstantString | null;
  readonly notifiedAt: InstantString | null;
  /** When the notice reached the other Party (the outbox's delivery); the notice step is done then. */
  readonly noticeDeliveredAt: InstantString | null;
  /** True when the notice left after the policy target. */
  readonly notifiedLate: boolean;
  readonly investigationDueAt: InstantString;
  readonly investigationStartedAt: InstantString | null;
  readonly resultsDueAt: InstantString | null;
  readonly results: string | null;
  readonly resultsReportedAt: InstantString | null;
  readonly damageDueAt: InstantString | null;
  readonly damageAssessment: string | null;
  readonly settlement: string | null;
  readonly closedAt: InstantString | null;
};

export const BREACH_EVENTS = ["notify", "start-investigation", "report-results", "settle"] as const;
export type BreachEventType = (typeof BREACH_EVENTS)[number];

/** An event on a breach case. */
export type BreachEvent =
  | { readonly type: "notify" }
  | { readonly type: "start-investigation" }
  | { readonly type: "report-results"; readonly results: string }
  | { readonly type: "settle"; readonly damageAssessment: string; readonly settlement: string };

/** Context: the time and the pack (its policy targets). */
export type BreachContext = { readonly at: InstantString; readonly pack?: AgreementPack };

const MACHINE: readonly ArticleId[] = ["A11.1"];
/** Every allowed transition of a breach case. */
export const BREACH_TRANSITIONS: readonly TransitionRule<BreachStatus, BreachEventType>[] = [
  { from: "reported", event: "notify", to: "notified", articles: ["A11.1"] },
  // Only the own Party's information: no notice is owed (the machine refuses it otherwise).
  { from: "reported", event: "start-investigation", to: "investigating", articles: ["A11.1"] },
  { from: "notified", event: "start-investigation", to: "investigating", articles: ["A11.1"] },
  { from: "investigating", event: "report-results", to: "results-reported", articles: ["A11.1"] },
  { from: "results-reported", event: "settle", to: "closed", articles: ["A11.2"] },
];

/**
 * Opens a breach case reported at `at`, with its step targets from the pack (policy, A11.1).
 * `needsNotice` (default true): the other Party's information is involved.
 */
export function reportBreach(input: {
  readonly id: string;
  readonly party: PartyCode;
  readonly carrierIds: readonly string[];
  readonly description: string;
  readonly at: InstantString;
  readonly pack: AgreementPack;
  readonly needsNotice?: boolean;
}): BreachState {
  findParty(input.pack, input.party);
  const reportedAt = normalizeInstant(input.at);
  const needsNotice = input.needsNotice ?? true;
  const d = input.pack.deadlines;
  return {
    id: input.id,
    status: "reported",
    party: input.party,
    carrierIds: input.carrierIds,
    description: input.description,
    reportedAt,
    needsNotice,
    noticeDueAt: needsNotice ? breachNoticeDueAt(reportedAt, d.breachNotice.duration) : null,
    notifiedAt: null,
    noticeDeliveredAt: null,
    notifiedLate: false,
    investigationDueAt: breachNoticeDueAt(reportedAt, d.breachInvestigationStart.duration),
    investigationStartedAt: null,
    resultsDueAt: null,
    results: null,
    resultsReportedAt: null,
    damageDueAt: null,
    damageAssessment: null,
    settlement: null,
    closedAt: null,
  };
}

/** True when the notice is still owed and its policy target has passed at `at`. */
export function isBreachNoticeOverdue(state: BreachState, at: InstantString): boolean {
  return (
    state.needsNotice &&
    state.noticeDueAt !== null &&
    state.noticeDeliveredAt === null &&
    state.status !== "closed" &&
    isPast(at, state.noticeDueAt)
  );
}

/** One step of a case: its target, when it was done, and whether it is past its target undone. */
export type BreachStepClock = {
  readonly step: BreachStep;
  readonly dueAt: InstantString | null;
  readonly doneAt: InstantString | null;
  readonly overdue: boolean;
};

/** The clocks of every step of the case at `at` (the notice only when one is owed). */
export function breachSteps(state: BreachState, at: InstantString): BreachStepClock[] {
  const clock = (step: BreachStep, dueAt: InstantString | null, doneAt: InstantString | null) => ({
    step,
    dueAt,
    doneAt,
    overdue: doneAt === null && dueAt !== null && state.status !== "closed" && isPast(at, dueAt),
  });
  return [
    ...(state.needsNotice ? [clock("notice", state.noticeDueAt, state.noticeDeliveredAt)] : []),
    clock("investigation", state.investigationDueAt, state.investigationStartedAt),
    clock("results", state.resultsDueAt, state.resultsReportedAt),
    clock("settlement", state.damageDueAt, state.closedAt),
  ];
}

/** The steps past their targets at `at` (A11.1, A11.2: shown to the competent authority). */
export function overdueSteps(
  state: BreachState,
  at: InstantString,
): { readonly step: BreachStep; readonly dueAt: InstantString }[] {
  return breachSteps(state, at)
    .filter((s) => s.overdue)
    .map((s) => ({ step: s.step, dueAt: s.dueAt! }));
}

/**
 * Applies `event` to a breach case at `ctx.at`. A late notice is still sent, and recorded as late.
 * The next step's target is set from `ctx.pack` (policy) when given.
 * @throws DomainError TRANSITION_FORBIDDEN | BREACH_NOTICE_OWED | INPUT_INVALID (time before the report)
 */
export function transitionBreach(
  state: BreachState,
  event: BreachEvent,
  ctx: BreachContext,
): TransitionResult<BreachState> {
  const rule = findRule("breach", BREACH_TRANSITIONS, state.status, event.type, MACHINE);
  const at = normalizeInstant(ctx.at);
  if (compareInstants(at, state.reportedAt) < 0) {
    throw new DomainError("INPUT_INVALID", { field: "at", problem: "before the breach was reported" });
  }
  const due = (target: string | undefined) => (target ? breachNoticeDueAt(at, target) : null);
  const done = (next: Partial<BreachState>): TransitionResult<BreachState> => ({
    state: { ...state, ...next, status: rule.to },
    articles: rule.articles,
  });
  switch (event.type) {
    case "notify":
      return done({
        notifiedAt: at,
        notifiedLate: state.noticeDueAt !== null && compareInstants(at, state.noticeDueAt) > 0,
      });
    case "start-investigation":
      if (state.status === "reported" && state.needsNotice)
        throw new DomainError("BREACH_NOTICE_OWED", { breach: state.id });
      return done({
        investigationStartedAt: at,
        resultsDueAt: due(ctx.pack?.deadlines.breachResults.duration) ?? state.resultsDueAt,
      });
    case "report-results":
      if (!event.results.trim())
        throw new DomainError("INPUT_INVALID", { field: "results", problem: "state the results" });
      return done({
        results: event.results,
        resultsReportedAt: at,
        damageDueAt: due(ctx.pack?.deadlines.breachDamageSettlement.duration) ?? state.damageDueAt,
      });
    case "settle":
      if (!event.damageAssessment.trim())
        throw new DomainError("INPUT_INVALID", { field: "damageAssessment", problem: "assess the damage" });
      if (!event.settlement.trim())
        throw new DomainError("INPUT_INVALID", { field: "settlement", problem: "record the settlement" });
      return done({ damageAssessment: event.damageAssessment, settlement: event.settlement, closedAt: at });
  }
}
