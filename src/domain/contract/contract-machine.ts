/**
 * Contracts between authorized bodies (A1.13, A7.1): a draft becomes active only when it holds
 * all six mandatory clauses and its list of classified information is non-empty with a known
 * level for every item. Only an active contract allows transfers and gives need-to-know; a
 * suspended one neither, until it resumes (A4.1.4). Once active it is held at both nodes.
 */
import type { ArticleId } from "../articles.ts";
import type { LevelRank } from "../classification/levels.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import type { InstantString } from "../time/instants.ts";
import { normalizeInstant } from "../time/instants.ts";

/** The six mandatory clauses of A7.1, in its order. */
export const CONTRACT_CLAUSES = [
  "information-list",
  "protection-conditions",
  "transfer-procedure",
  "third-party-ban",
  "cleared-persons-only",
  "disputes-and-damages",
] as const;
/** A mandatory clause of a contract (A7.1 (1)–(6)). */
export type ContractClause = (typeof CONTRACT_CLAUSES)[number];

export const CONTRACT_STATUSES = ["draft", "active", "suspended", "closed", "cancelled"] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** One item of the contract's list of classified information (A7.1 (1)). */
export type InformationItem = { readonly title: string; readonly level: LevelRank | null };

/** A contract (plain JSON). */
export type ContractState = {
  readonly id: string;
  readonly status: ContractStatus;
  /** The two authorized bodies (one per Party). */
  readonly bodies: readonly string[];
  readonly clauses: readonly ContractClause[];
  readonly informationList: readonly InformationItem[];
  /** Persons with need-to-know under the contract (A4.2). */
  readonly participants: readonly string[];
  readonly activatedAt: InstantString | null;
  readonly closedAt: InstantString | null;
};

export const CONTRACT_EVENTS = [
  "amend",
  "activate",
  "add-participant",
  "remove-participant",
  "suspend",
  "resume",
  "close",
  "cancel",
] as const;
export type ContractEventType = (typeof CONTRACT_EVENTS)[number];

/** An event on a contract. */
export type ContractEvent =
  | {
      readonly type: "amend";
      readonly clauses?: readonly ContractClause[];
      readonly informationList?: readonly InformationItem[];
    }
  | { readonly type: "activate" }
  | { readonly type: "add-participant"; readonly personId: string }
  | { readonly type: "remove-participant"; readonly personId: string }
  | { readonly type: "suspend" }
  | { readonly type: "resume" }
  | { readonly type: "close" }
  | { readonly type: "cancel" };

/** Context: the time, and the ranks the agreement knows (from the pack). */
export type ContractContext = { readonly at: InstantString; readonly levelRanks: readonly LevelRank[] };

const MACHINE: readonly ArticleId[] = ["A7.1"];
/** Every allowed transition of a contract. */
export const CONTRACT_TRANSITIONS: readonly TransitionRule<ContractStatus, ContractEventType>[] = [
  { from: "draft", event: "amend", to: "draft", articles: ["A7.1"] },
  { from: "draft", event: "add-participant", to: "draft", articles: ["A4.2"] },
  { from: "draft", event: "remove-participant", to: "draft", articles: ["A4.2"] },
  { from: "draft", event: "activate", to: "active", articles: ["A7.1", "A5.1"] },
  { from: "draft", event: "cancel", to: "cancelled", articles: ["A7.1"] },
  { from: "active", event: "add-participant", to: "active", articles: ["A4.2", "A7.1"] },
  { from: "active", event: "remove-participant", to: "active", articles: ["A4.2"] },
  { from: "active", event: "close", to: "closed", articles: ["A7.1", "A4.1.4"] },
  // An active contract is amended as a whole, still complete (A7.1); suspended, its information is
  // not used (A4.1.4) until it resumes or closes.
  { from: "active", event: "amend", to: "active", articles: ["A7.1"] },
  { from: "active", event: "suspend", to: "suspended", articles: ["A4.1.4", "A7.1"] },
  { from: "suspended", event: "resume", to: "active", articles: ["A4.1.4", "A7.1"] },
  { from: "suspended", event: "remove-participant", to: "suspended", articles: ["A4.2"] },
  { from: "suspended", event: "close", to: "closed", articles: ["A7.1", "A4.1.4"] },
];

/** A new draft contract between two authorized bodies. */
export function draftContract(input: {
  readonly id: string;
  readonly bodies: readonly string[];
  readonly clauses?: readonly ContractClause[];
  readonly informationList?: readonly InformationItem[];
  readonly participants?: readonly string[];
}): ContractState {
  return {
    id: input.id,
    status: "draft",
    bodies: input.bodies,
    clauses: input.clauses ?? [],
    informationList: input.informationList ?? [],
    participants: input.participants ?? [],
    activatedAt: null,
    closedAt: null,
  };
}

/** A7.1: the mandatory clauses a contract still lacks, in A7.1 order. */
export function missingClauses(contract: Pick<ContractState, "clauses">): readonly ContractClause[] {
  return CONTRACT_CLAUSES.filter((c) => !contract.clauses.includes(c));
}

/** The highest level the contract's information list allows (0 when none). */
export function contractMaxLevel(contract: Pick<ContractState, "informationList">): LevelRank {
  return Math.max(0, ...contract.informationList.map((i) => i.level ?? 0));
}

/** A7.1: all six clauses, and a non-empty information list with a known level for every item. */
function assertComplete(state: ContractState, ctx: ContractContext): void {
  const missing = missingClauses(state);
  if (missing.length > 0) throw new DomainError("CONTRACT_CLAUSES_MISSING", { missing: [...missing] });
  const list = state.informationList;
  if (list.length === 0 || list.some((i) => i.level === null || !ctx.levelRanks.includes(i.level)))
    throw new DomainError("CONTRACT_LEVELS_MISSING", {});
}

/**
 * Applies `event` to a contract at `ctx.at`.
 * @throws DomainError TRANSITION_FORBIDDEN | CONTRACT_CLAUSES_MISSING | CONTRACT_LEVELS_MISSING
 */
export function transitionContract(
  state: ContractState,
  event: ContractEvent,
  ctx: ContractContext,
): TransitionResult<ContractState> {
  const rule = findRule("contract", CONTRACT_TRANSITIONS, state.status, event.type, MACHINE);
  const at = normalizeInstant(ctx.at);
  const done = (next: ContractState): TransitionResult<ContractState> => ({
    state: next,
    articles: rule.articles,
  });
  switch (event.type) {
    case "amend": {
      const next = {
        ...state,
        clauses: event.clauses ? [...new Set(event.clauses)] : state.clauses,
        informationList: event.informationList ?? state.informationList,
      };
      // An active contract stays complete through an amendment (A7.1).
      if (state.status === "active") assertComplete(next, ctx);
      return done(next);
    }
    case "activate":
      assertComplete(state, ctx);
      return done({ ...state, status: rule.to, activatedAt: at });
    case "suspend":
    case "resume":
      return done({ ...state, status: rule.to });
    case "add-participant":
      return done({ ...state, participants: [...new Set([...state.participants, event.personId])] });
    case "remove-participant":
      return done({ ...state, participants: state.participants.filter((p) => p !== event.personId) });
    case "close":
      return done({ ...state, status: rule.to, closedAt: at });
    case "cancel":
      return done({ ...state, status: rule.to, closedAt: at });
  }
}
