/**
 * Visit requests (A9): draft → sent by the visiting side's competent authority → received by
 * the host's competent authority, at least one calendar month before the visit counted in the
 * host's zone (A9.2) → approved | refused → completed; cancelled at any open step. Only persons
 * holding a matching valid clearance may visit (A9.1, A4.2).
 *
 * Kinds as practice knows them: `one-time`; `recurring` (the dates bound the period, `recurrence`
 * says how often); `amendment` (names an approved request it replaces, checked as a whole new
 * request; once the amendment is approved the amended request is `superseded`). A request that
 * reaches the host late is refused at receipt (`receiveVisitRequest`), not left waiting.
 * On the visiting side the request goes `sent → approved | refused` when the host's answer arrives.
 */
import type { AgreementPack, PartyCode } from "../agreement/pack-schema.ts";
import type { ArticleId } from "../articles.ts";
import type { LevelRank } from "../classification/levels.ts";
import { findLevel, findParty } from "../classification/levels.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import { isVisitRequestInTime, latestVisitRequestDate } from "../time/deadlines.ts";
import type { DateString, InstantString } from "../time/instants.ts";
import { compareInstants, isWithin, normalizeInstant, parseDate, startOfDate } from "../time/instants.ts";

export const VISIT_STATUSES = [
  "draft",
  "sent",
  "received",
  "approved",
  "refused",
  "completed",
  "cancelled",
  "superseded",
] as const;
/** Status of a visit request. */
export type VisitStatus = (typeof VISIT_STATUSES)[number];

/** A visitor as A9.2 (1)–(3) requires. */
export type Visitor = {
  readonly surname: string;
  readonly name: string;
  readonly birthDate: DateString;
  readonly birthPlace: string;
  readonly citizenship: string;
  readonly passport: string;
  readonly position: string;
  readonly body: string;
  readonly clearance: {
    readonly level: LevelRank;
    readonly validFrom: InstantString;
    readonly validUntil: InstantString;
  } | null;
};

/** Kinds of request (practice under A9.2). */
export const VISIT_KINDS = ["one-time", "recurring", "amendment"] as const;
export type VisitKind = (typeof VISIT_KINDS)[number];

/** A visit request (plain JSON). */
export type VisitState = {
  readonly id: string;
  readonly status: VisitStatus;
  /** Default one-time. */
  readonly kind?: VisitKind;
  /** An amendment: the approved request it replaces. */
  readonly amends?: string | null;
  /** A recurring request: how often the visits recur within [startDate, endDate]. */
  readonly recurrence?: string | null;
  readonly visitingParty: PartyCode;
  readonly hostParty: PartyCode;
  readonly visitors: readonly Visitor[];
  /** A9.2 (4): first and last day of the visit (host's calendar). */
  readonly startDate: DateString;
  readonly endDate: DateString;
  /** A9.2 (5) */
  readonly purpose: string;
  readonly topics: readonly string[];
  /** The highest level of the topics to be discussed. */
  readonly level: LevelRank;
  /** A9.2 (6), (7) */
  readonly bodiesToVisit: readonly string[];
  readonly peopleToMeet: readonly string[];
  readonly sentAt: InstantString | null;
  readonly receivedAt: InstantString | null;
  readonly decidedAt: InstantString | null;
};

export const VISIT_EVENTS = [
  "amend",
  "send",
  "receive",
  "approve",
  "refuse",
  "complete",
  "cancel",
  "supersede",
] as const;
export type VisitEventType = (typeof VISIT_EVENTS)[number];

/** An event on a visit request. */
export type VisitEvent =
  | { readonly type: "amend"; readonly changes: Partial<Omit<VisitState, "id" | "status">> }
  | { readonly type: "send" }
  | { readonly type: "receive" }
  | { readonly type: "approve" }
  | { readonly type: "refuse"; readonly reason: string }
  | { readonly type: "complete" }
  | { readonly type: "cancel" }
  | { readonly type: "supersede" };

/** Context: the time and the pack (zones, the P1M lead). */
export type VisitContext = { readonly at: InstantString; readonly pack: AgreementPack };

const MACHINE: readonly ArticleId[] = ["A9.1", "A9.2"];
/** Every allowed transition of a visit request. */
export const VISIT_TRANSITIONS: readonly TransitionRule<VisitStatus, VisitEventType>[] = [
  { from: "draft", event: "amend", to: "draft", articles: ["A9.2"] },
  { from: "draft", event: "send", to: "sent", articles: ["A9.1", "A9.2"] },
  { from: "draft", event: "cancel", to: "cancelled", articles: ["A9.2"] },
  { from: "sent", event: "receive", to: "received", articles: ["A9.2"] },
  // The visiting side records the host's written answer; the host refuses a late request at receipt.
  { from: "sent", event: "approve", to: "approved", articles: ["A9.1"] },
  { from: "sent", event: "refuse", to: "refused", articles: ["A9.1", "A9.2"] },
  { from: "sent", event: "cancel", to: "cancelled", articles: ["A9.2"] },
  { from: "received", event: "approve", to: "approved", articles: ["A9.1"] },
  { from: "received", event: "refuse", to: "refused", articles: ["A9.1"] },
  { from: "received", event: "cancel", to: "cancelled", articles: ["A9.2"] },
  { from: "approved", event: "complete", to: "completed", articles: ["A9.1", "A9.3"] },
  { from: "approved", event: "cancel", to: "cancelled", articles: ["A9.1"] },
  // An approved amendment replaces the request it amends.
  { from: "approved", event: "supersede", to: "superseded", articles: ["A9.2"] },
];

/** A9.2: the items the request still lacks (empty when complete). */
export function missingVisitItems(visit: VisitState): readonly string[] {
  const missing: string[] = [];
  if (visit.visitors.length === 0) missing.push("visitors");
  const fields = [
    "surname",
    "name",
    "birthDate",
    "birthPlace",
    "citizenship",
    "passport",
    "position",
    "body",
  ] as const;
  visit.visitors.forEach((v, i) => {
    for (const f of fields) if (v[f].trim() === "") missing.push(`visitors[${i}].${f}`);
    if (v.clearance === null) missing.push(`visitors[${i}].clearance`);
  });
  if (visit.purpose.trim() === "") missing.push("purpose");
  if (visit.topics.length === 0) missing.push("topics");
  if (visit.bodiesToVisit.length === 0) missing.push("bodiesToVisit");
  if (visit.peopleToMeet.length === 0) missing.push("peopleToMeet");
  if (visit.kind === "recurring" && !visit.recurrence?.trim()) missing.push("recurrence");
  if (visit.kind === "amendment" && !visit.amends?.trim()) missing.push("amends");
  return missing;
}

/**
 * Applies `event` to a visit request at `ctx.at`.
 * @throws DomainError TRANSITION_FORBIDDEN | VISIT_REQUEST_INCOMPLETE | VISITOR_NOT_CLEARED | VISIT_REQUEST_TOO_LATE
 */
export function transitionVisit(
  state: VisitState,
  event: VisitEvent,
  ctx: VisitContext,
): TransitionResult<VisitState> {
  const rule = findRule("visit request", VISIT_TRANSITIONS, state.status, event.type, MACHINE);
  const at = normalizeInstant(ctx.at);
  const done = (next: Partial<VisitState>): TransitionResult<VisitState> => ({
    state: { ...state, ...next, status: rule.to },
    articles: rule.articles,
  });
  switch (event.type) {
    case "amend":
      return done({ ...event.changes });
    case "send": {
      const missing = missingVisitItems(state);
      if (missing.length > 0) throw new DomainError("VISIT_REQUEST_INCOMPLETE", { missing: [...missing] });
      checkDates(state);
      assertVisitorsCleared(ctx.pack, state);
      assertInTime(ctx.pack, state, at);
      return done({ sentAt: at });
    }
    case "receive":
      assertInTime(ctx.pack, state, at);
      return done({ receivedAt: at });
    case "approve":
    case "refuse":
      return done({ decidedAt: at });
    case "complete": {
      const host = findParty(ctx.pack, state.hostParty);
      if (compareInstants(at, startOfDate(state.startDate, host.timeZone)) < 0) {
        throw new DomainError("INPUT_INVALID", { field: "at", problem: "the visit has not started" });
      }
      return done({});
    }
    case "cancel":
    case "supersede":
      return done({});
  }
}

/**
 * A9.2 at the host: the request as received at `ctx.at`. In time: `received`. Late: `refused`
 * at once, with the refusal (VISIT_REQUEST_TOO_LATE) that the answer to the visiting side names.
 */
export function receiveVisitRequest(
  state: VisitState,
  ctx: VisitContext,
): { readonly state: VisitState; readonly refusal: DomainError | null } {
  try {
    return { state: transitionVisit(state, { type: "receive" }, ctx).state, refusal: null };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== "VISIT_REQUEST_TOO_LATE") throw error;
    const refused = transitionVisit(state, { type: "refuse", reason: error.code }, ctx).state;
    return { state: { ...refused, receivedAt: normalizeInstant(ctx.at) }, refusal: error };
  }
}

function checkDates(visit: VisitState): void {
  if (parseDate(visit.endDate, "endDate").since(parseDate(visit.startDate, "startDate")).sign < 0) {
    throw new DomainError("INPUT_INVALID", { field: "endDate", problem: "before startDate" });
  }
}

// A9.2: the request reaches the host at least one calendar month before the visit, dated in the host's zone.
function assertInTime(pack: AgreementPack, visit: VisitState, at: InstantString): void {
  const host = findParty(pack, visit.hostParty);
  const lead = pack.deadlines.visitRequestLead.duration;
  if (!isVisitRequestInTime(at, host.timeZone, visit.startDate, lead)) {
    throw new DomainError("VISIT_REQUEST_TOO_LATE", {
      visitDate: visit.startDate,
      latest: latestVisitRequestDate(visit.startDate, lead),
      zone: host.timeZone,
    });
  }
}

// A9.1, A4.2: every visitor holds a clearance at least the visit's level, valid for the whole visit.
function assertVisitorsCleared(pack: AgreementPack, visit: VisitState): void {
  const host = findParty(pack, visit.hostParty);
  const level = findLevel(pack, visit.level);
  const from = startOfDate(visit.startDate, host.timeZone);
  const lastMoment = parseDate(visit.endDate).add({ days: 1 }).toString();
  const until = startOfDate(lastMoment, host.timeZone);
  for (const v of visit.visitors) {
    const c = v.clearance;
    const ok =
      c !== null &&
      c.level >= level.rank &&
      isWithin(from, c.validFrom, c.validUntil) &&
      compareInstants(until, c.validUntil) <= 0;
    if (!ok)
      throw new DomainError("VISITOR_NOT_CLEARED", { visitor: `${v.surname} ${v.name}`, required: level.id });
  }
}
