/**
 * Breaches (A11): reported → notified to the other Party's competent authority "at once"
 * (A11.1; the node's target, PT24H by default, is policy) → investigating under the law of the
 * Party where it happened → results reported to the other Party → closed.
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

/** A breach case (plain JSON). */
export type BreachState = {
  readonly id: string;
  readonly status: BreachStatus;
  /** The Party where the breach happened (it notifies and investigates). */
  readonly party: PartyCode;
  readonly carrierIds: readonly string[];
  readonly description: string;
  readonly reportedAt: InstantString;
  /** Policy target for the notice (A11.1 "at once"). */
  readonly noticeDueAt: InstantString;
  readonly notifiedAt: InstantString | null;
  /** True when the notice left after the policy target. */
  readonly notifiedLate: boolean;
  readonly investigationStartedAt: InstantString | null;
  readonly results: string | null;
  readonly resultsReportedAt: InstantString | null;
  readonly closedAt: InstantString | null;
};

export const BREACH_EVENTS = ["notify", "start-investigation", "report-results", "close"] as const;
export type BreachEventType = (typeof BREACH_EVENTS)[number];

/** An event on a breach case. */
export type BreachEvent =
  | { readonly type: "notify" }
  | { readonly type: "start-investigation" }
  | { readonly type: "report-results"; readonly results: string }
  | { readonly type: "close" };

/** Context: the time. */
export type BreachContext = { readonly at: InstantString };

const MACHINE: readonly ArticleId[] = ["A11.1"];
/** Every allowed transition of a breach case. */
export const BREACH_TRANSITIONS: readonly TransitionRule<BreachStatus, BreachEventType>[] = [
  { from: "reported", event: "notify", to: "notified", articles: ["A11.1"] },
  { from: "notified", event: "start-investigation", to: "investigating", articles: ["A11.1"] },
  { from: "investigating", event: "report-results", to: "results-reported", articles: ["A11.1", "A11.2"] },
  { from: "results-reported", event: "close", to: "closed", articles: ["A11.1", "A11.2"] },
];

/** Opens a breach case reported at `at`, with its notice target from the pack (policy, A11.1). */
export function reportBreach(input: {
  readonly id: string;
  readonly party: PartyCode;
  readonly carrierIds: readonly string[];
  readonly description: string;
  readonly at: InstantString;
  readonly pack: AgreementPack;
}): BreachState {
  findParty(input.pack, input.party);
  const reportedAt = normalizeInstant(input.at);
  return {
    id: input.id,
    status: "reported",
    party: input.party,
    carrierIds: input.carrierIds,
    description: input.description,
    reportedAt,
    noticeDueAt: breachNoticeDueAt(reportedAt, input.pack.deadlines.breachNotice.duration),
    notifiedAt: null,
    notifiedLate: false,
    investigationStartedAt: null,
    results: null,
    resultsReportedAt: null,
    closedAt: null,
  };
}

/** True when the notice is still owed and its policy target has passed at `at`. */
export function isBreachNoticeOverdue(state: BreachState, at: InstantString): boolean {
  return state.status === "reported" && isPast(at, state.noticeDueAt);
}

/**
 * Applies `event` to a breach case at `ctx.at`. A late notice is still sent, and recorded as late.
 * @throws DomainError TRANSITION_FORBIDDEN | INPUT_INVALID (time before the report)
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
  const done = (next: Partial<BreachState>): TransitionResult<BreachState> => ({
    state: { ...state, ...next, status: rule.to },
    articles: rule.articles,
  });
  switch (event.type) {
    case "notify":
      return done({ notifiedAt: at, notifiedLate: compareInstants(at, state.noticeDueAt) > 0 });
    case "start-investigation":
      return done({ investigationStartedAt: at });
    case "report-results":
      return done({ results: event.results, resultsReportedAt: at });
    case "close":
      return done({ closedAt: at });
  }
}
