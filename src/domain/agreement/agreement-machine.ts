/**
 * The agreement's own life (A15): signed → partly-notified (one Party's notice of completed
 * internal procedures received) → in-force (from the date the last notice is received, A15.1)
 * → termination-notified (A15.2) → terminated six months after the notice is received (or, where
 * the pack allows, back to in-force when the notifying Party withdraws its notice before then).
 * After termination Article 4 protection continues for what is not destroyed or declassified
 * (A15.3), but no new transfer may start.
 */
import type { ArticleId } from "../articles.ts";
import { findParty, otherParty } from "../classification/levels.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import { terminationDate } from "../time/deadlines.ts";
import type { DateString, InstantString } from "../time/instants.ts";
import { compareInstants, dateInZone, normalizeInstant, parseDate, startOfDate } from "../time/instants.ts";
import type { AgreementPack, PartyCode } from "./pack-schema.ts";

export const AGREEMENT_STATUSES = [
  "signed",
  "partly-notified",
  "in-force",
  "termination-notified",
  "terminated",
] as const;
/** Status of the agreement. */
export type AgreementStatus = (typeof AGREEMENT_STATUSES)[number];

/** The agreement's state (plain JSON). */
export type AgreementState = {
  readonly agreementId: string;
  readonly status: AgreementStatus;
  /** Notices of completed internal procedures: which Party sent, when the other received it. */
  readonly notices: readonly { readonly from: PartyCode; readonly receivedAt: InstantString }[];
  /** A15.1: the date (in the receiving Party's zone) the last notice was received, and its start. */
  readonly inForceOn: DateString | null;
  readonly inForceFrom: InstantString | null;
  readonly termination: {
    readonly notifiedBy: PartyCode;
    readonly receivedAt: InstantString;
    /** A15.2: six months after receipt, dated in the receiver's zone. */
    readonly terminatesOn: DateString;
    readonly terminatesAt: InstantString;
  } | null;
};

export const AGREEMENT_EVENTS = [
  "receive-notice",
  "receive-termination-notice",
  "withdraw-termination",
  "terminate",
] as const;
export type AgreementEventType = (typeof AGREEMENT_EVENTS)[number];

/**
 * An event of the agreement's life; the time of receipt is `ctx.at`. A notice is "received" when
 * the other Party received it: the receiving node applies it at its receipt, the sending node when
 * the receipt comes back, with the same instant, so both record the same dates.
 */
export type AgreementEvent =
  | { readonly type: "receive-notice"; readonly from: PartyCode }
  | { readonly type: "receive-termination-notice"; readonly from: PartyCode }
  | { readonly type: "withdraw-termination"; readonly from: PartyCode }
  | { readonly type: "terminate" };

/** Context: the time (passed in) and the pack (Parties, zones, termination period). */
export type AgreementContext = { readonly at: InstantString; readonly pack: AgreementPack };

const MACHINE: readonly ArticleId[] = ["A15.1", "A15.2"];
/** Every allowed transition of the agreement. */
export const AGREEMENT_TRANSITIONS: readonly TransitionRule<AgreementStatus, AgreementEventType>[] = [
  { from: "signed", event: "receive-notice", to: "partly-notified", articles: ["A15.1"] },
  { from: "partly-notified", event: "receive-notice", to: "in-force", articles: ["A15.1"] },
  { from: "in-force", event: "receive-termination-notice", to: "termination-notified", articles: ["A15.2"] },
  { from: "termination-notified", event: "terminate", to: "terminated", articles: ["A15.2", "A15.3"] },
  // Pack policy (A15.2 is silent; Vienna Convention Art. 68): withdrawn before it takes effect.
  { from: "termination-notified", event: "withdraw-termination", to: "in-force", articles: ["A15.2"] },
];

/** A freshly signed agreement. */
export function signAgreement(agreementId: string): AgreementState {
  return {
    agreementId,
    status: "signed",
    notices: [],
    inForceOn: null,
    inForceFrom: null,
    termination: null,
  };
}

/**
 * Applies an event of the agreement's life at `ctx.at`.
 * @throws DomainError TRANSITION_FORBIDDEN | PARTY_UNKNOWN | AGREEMENT_NOTICE_ALREADY_GIVEN |
 * AGREEMENT_TERMINATION_ALREADY_NOTIFIED | AGREEMENT_NOT_IN_FORCE | AGREEMENT_TERMINATED |
 * AGREEMENT_WITHDRAWAL_NOT_ALLOWED | INPUT_INVALID (termination recorded before its date)
 */
export function transitionAgreement(
  state: AgreementState,
  event: AgreementEvent,
  ctx: AgreementContext,
): TransitionResult<AgreementState> {
  const at = normalizeInstant(ctx.at);
  refuseOutOfTurn(state, event, ctx.pack, at);
  const rule = findRule("agreement", AGREEMENT_TRANSITIONS, state.status, event.type, MACHINE);
  switch (event.type) {
    case "receive-notice": {
      findParty(ctx.pack, event.from);
      const notices = [...state.notices, { from: event.from, receivedAt: at }];
      if (rule.to !== "in-force")
        return { state: { ...state, status: rule.to, notices }, articles: rule.articles };
      return {
        state: { ...state, status: rule.to, notices, ...entryIntoForce(notices, ctx.pack) },
        articles: rule.articles,
      };
    }
    case "receive-termination-notice": {
      findParty(ctx.pack, event.from);
      const receiver = otherParty(ctx.pack, event.from);
      const terminatesOn = terminationDate(at, receiver.timeZone, ctx.pack.deadlines.termination.duration);
      return {
        state: {
          ...state,
          status: rule.to,
          termination: {
            notifiedBy: event.from,
            receivedAt: at,
            terminatesOn,
            terminatesAt: startOfDate(terminatesOn, receiver.timeZone),
          },
        },
        articles: rule.articles,
      };
    }
    case "withdraw-termination":
      return { state: { ...state, status: rule.to, termination: null }, articles: rule.articles };
    case "terminate": {
      const termination = state.termination!;
      if (compareInstants(at, termination.terminatesAt) < 0) {
        throw new DomainError(
          "INPUT_INVALID",
          { field: "at", problem: `the agreement ends on ${termination.terminatesOn}, not before` },
          { articles: ["A15.2"] },
        );
      }
      return { state: { ...state, status: rule.to }, articles: rule.articles };
    }
  }
}

/**
 * A15.1 (and A14 for a protocol): the date of receipt of the last notice of completed internal
 * procedures, in the receiving Party's zone, and the instant that date begins. The last by receipt,
 * whichever order the two nodes learn of them in (the sender learns of its own notice's receipt
 * only when the receipt comes back).
 */
export function entryIntoForce(
  notices: readonly { readonly from: PartyCode; readonly receivedAt: InstantString }[],
  pack: AgreementPack,
): { readonly inForceOn: DateString; readonly inForceFrom: InstantString } {
  const last = [...notices].sort((a, b) => compareInstants(a.receivedAt, b.receivedAt)).at(-1)!;
  const receiver = otherParty(pack, last.from);
  const inForceOn = dateInZone(last.receivedAt, receiver.timeZone);
  return { inForceOn, inForceFrom: startOfDate(inForceOn, receiver.timeZone) };
}

/**
 * The refusals that name their rule rather than a bare TRANSITION_FORBIDDEN: a Party's second
 * notice of completed procedures (A15.1); a termination before entry into force, a second one, or
 * one after the end (A15.2); a withdrawal the pack does not allow (A15.2, pack policy).
 */
function refuseOutOfTurn(
  state: AgreementState,
  event: AgreementEvent,
  pack: AgreementPack,
  at: string,
): void {
  const status = agreementStatusAt(state, at);
  switch (event.type) {
    case "receive-notice":
      if (state.notices.some((n) => n.from === event.from))
        throw new DomainError("AGREEMENT_NOTICE_ALREADY_GIVEN", { party: event.from });
      return;
    case "receive-termination-notice":
      if (status === "terminated")
        throw new DomainError("AGREEMENT_TERMINATED", { at: state.termination?.terminatesOn ?? at });
      if (state.termination)
        throw new DomainError("AGREEMENT_TERMINATION_ALREADY_NOTIFIED", {
          terminatesOn: state.termination.terminatesOn,
        });
      if (status !== "in-force")
        throw new DomainError("AGREEMENT_NOT_IN_FORCE", { at }, { articles: ["A15.2"] });
      return;
    case "withdraw-termination": {
      const t = state.termination;
      if (
        pack.terminationWithdrawal.allowed === "never" ||
        t === null ||
        t.notifiedBy !== event.from ||
        status === "terminated"
      )
        throw new DomainError("AGREEMENT_WITHDRAWAL_NOT_ALLOWED", { terminatesOn: t?.terminatesOn ?? "—" });
      return;
    }
    case "terminate":
      return;
  }
}

/** Which notice a date is checked for (A15.1, A15.2). */
export type AgreementNoticeDateKind = "procedures-completed" | "termination" | "termination-withdrawal";

/**
 * A15.1, A15.2: the date a written notice about the agreement bears. Not after `today` (the date
 * in the sending Party's zone, at sending or at receipt); not before the earliest it can bear: the
 * signature (the pack's earliest date for it) for a notice of completed procedures, the entry into
 * force for a termination, the date the termination was received for its withdrawal.
 * @throws DomainError AGREEMENT_NOTICE_FUTURE | AGREEMENT_NOTICE_BACKDATED | INPUT_INVALID
 */
export function checkNoticeDate(
  state: AgreementState,
  kind: AgreementNoticeDateKind,
  datedOn: string,
  ctx: { readonly pack: AgreementPack; readonly today: DateString },
): void {
  const articles: readonly ArticleId[] = kind === "procedures-completed" ? ["A15.1"] : ["A15.2"];
  const dated = parseDate(datedOn, "datedOn").toString();
  if (dated > ctx.today)
    throw new DomainError("AGREEMENT_NOTICE_FUTURE", { datedOn: dated, today: ctx.today }, { articles });
  const signed = ctx.pack.signature.notBefore;
  const earliest =
    kind === "termination"
      ? (state.inForceOn ?? signed)
      : kind === "termination-withdrawal" && state.termination
        ? // The day the termination was received, on the receiver's calendar (as its end is counted).
          dateInZone(
            state.termination.receivedAt,
            otherParty(ctx.pack, state.termination.notifiedBy).timeZone,
          )
        : signed;
  const bound = onSendersCalendar(earliest, ctx.today);
  if (dated < bound)
    throw new DomainError("AGREEMENT_NOTICE_BACKDATED", { datedOn: dated, earliest: bound }, { articles });
}

/**
 * A15.1, A15.2, A14: the earliest date a notice can bear, as the sender's calendar can give it. The
 * two Parties' calendars differ by at most one day (Almaty is an hour ahead of Yerevan): a date
 * reached on the other Party's calendar (an entry into force, a signature) but not yet on the
 * sender's is its `today`, else the sender could give no notice at all until its midnight.
 */
export function onSendersCalendar(earliest: DateString, today: DateString): DateString {
  return earliest > today && parseDate(today, "today").add({ days: 1 }).toString() === earliest
    ? today
    : earliest;
}

/**
 * The status in effect at `at`: a notified termination takes effect at its date even before
 * anyone records the `terminate` event.
 */
export function agreementStatusAt(state: AgreementState, at: InstantString): AgreementStatus {
  if (state.termination && compareInstants(at, state.termination.terminatesAt) >= 0) return "terminated";
  if (state.inForceFrom && compareInstants(at, state.inForceFrom) < 0) return "partly-notified";
  return state.status;
}

/**
 * Refuses a new transfer unless the agreement is in force at `at` (A15.1) and not terminated
 * (A15.2, A15.3: protection continues, transfers do not).
 * @throws DomainError AGREEMENT_NOT_IN_FORCE | AGREEMENT_TERMINATED
 */
export function assertNewTransfersAllowed(state: AgreementState, at: InstantString): void {
  const status = agreementStatusAt(state, at);
  if (status === "terminated") {
    throw new DomainError("AGREEMENT_TERMINATED", { at: state.termination?.terminatesOn ?? at });
  }
  if (status !== "in-force" && status !== "termination-notified") {
    throw new DomainError("AGREEMENT_NOT_IN_FORCE", { at });
  }
}
