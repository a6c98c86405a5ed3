/**
 * The access decision (A4.2, A1.11, A1.12, A6.2): a person may acquaint themselves with a carrier
 * only when ALL hold at the time `at` (passed in):
 *  - the person's clearance is at least the carrier's level and valid at `at` (no read-up);
 *  - the person's authorized body holds a facility clearance at least that level, valid at `at`;
 *  - the person has need-to-know: a participant of the carrier's (active) contract, or granted
 *    on the carrier;
 *  - the carrier is in that body's custody, and not dispatched, transferred, destroyed, returned or
 *    released.
 * A visitor of the other Party (A9) has need-to-know only on the carriers the host linked to the
 * topics of their approved visit, only during the visit, and only once the host recorded that they
 * were acquainted with its handling rules (A9.3). A carrier named by an open breach (A11.1) and held
 * in quarantine is read by no one until the breach is closed; its record stays visible. The other
 * Party's information linked to a contract that is suspended or closed is read by no one meanwhile
 * (A4.1.4); it stays registered, and is still destroyed or returned as the originator agrees.
 * A declassified carrier (A1.7, A6.4) is free of those restrictions: every person of the body that
 * holds it may read it, without clearance or need-to-know; what remains is its record and history.
 * Before all of these, a person who has not acknowledged the current text of their obligations under
 * their state's law (A4.4) reads nothing, declassified or not.
 * The decision lists every failed condition with its articles, so that a refusal can be
 * explained to an officer (users without access are told only CARRIER_NOT_FOUND, A4.2).
 */

import type { ArticleId } from "../articles.ts";
import type { CarrierStatus } from "../carrier/carrier-machine.ts";
import type { LevelRank } from "../classification/levels.ts";
import type { ErrorCode } from "../errors.ts";
import { DomainError, ERROR_CATALOGUE } from "../errors.ts";
import type { InstantString } from "../time/instants.ts";
import { isWithin, normalizeInstant } from "../time/instants.ts";

/** A personal or facility clearance (A1.11): a level and a validity window `[validFrom, validUntil)`. */
export type Clearance = {
  readonly level: LevelRank;
  readonly validFrom: InstantString;
  readonly validUntil: InstantString;
};

/** What the decision looks at (plain data, loaded by the app layer). */
export type AccessRequest = {
  readonly at: InstantString;
  readonly person: {
    readonly id: string;
    readonly bodyId: string;
    readonly clearance: Clearance | null;
    /**
     * A4.4: the person has acknowledged the current version of their obligations (a visitor of the
     * other Party, who took them on at home, is acquainted with the host's rules instead, A9.3).
     */
    readonly obligationsAcknowledged: boolean;
  };
  readonly body: { readonly id: string; readonly facilityClearance: Clearance | null };
  readonly carrier: {
    readonly id: string;
    readonly level: LevelRank;
    readonly status: CarrierStatus;
    readonly custodian: string | null;
    readonly grantedPersons: readonly string[];
    /** Held in quarantine by an open breach (A11.1): no one reads it until the breach is closed. */
    readonly quarantined?: boolean;
    /**
     * The other Party's information, linked to a contract that is suspended or closed (A4.1.4: it is
     * used only for the agreement and the contracts under it): no one reads it meanwhile.
     */
    readonly contractNotInForce?: boolean;
  };
  /** Participants of the carrier's contract, when that contract is active; else empty. */
  readonly contractParticipants: readonly string[];
  /** Set when the person is a visitor of the other Party on an approved visit (A9); else absent. */
  readonly visit?: VisitAccess | null;
};

/** A visitor's standing on the host's node (A9.1, A9.3): the visit's dates, the topics' carriers. */
export type VisitAccess = {
  /** `[from, until)`: the visit's days in the host's zone. */
  readonly from: InstantString;
  readonly until: InstantString;
  /** When the host recorded the visitor's acquaintance with its handling rules (A9.3), if it did. */
  readonly acquaintedAt: InstantString | null;
  /** The host's carriers linked to the visit's topics. */
  readonly topicCarriers: readonly string[];
};

/** One failed condition of an access decision. */
export type AccessFailure = {
  readonly code: ErrorCode;
  readonly articles: readonly ArticleId[];
  readonly held?: string;
  readonly required?: string;
  readonly at?: string;
};

/** The decision: granted with the articles applied, or refused with every failed condition. */
export type AccessDecision =
  | { readonly allowed: true; readonly articles: readonly ArticleId[] }
  | {
      readonly allowed: false;
      readonly articles: readonly ArticleId[];
      readonly failures: readonly AccessFailure[];
    };

const ACCESS_ARTICLES: readonly ArticleId[] = ["A4.2", "A1.11", "A1.12", "A6.2"];
const DECLASSIFIED_ARTICLES: readonly ArticleId[] = ["A1.7", "A6.4", "A6.2"];

const STATUS_FAILURE: Partial<Record<CarrierStatus, ErrorCode>> = {
  dispatched: "ACCESS_CARRIER_IN_TRANSIT",
  transferred: "ACCESS_CARRIER_TRANSFERRED",
  destroyed: "ACCESS_CARRIER_DESTROYED",
  returned: "ACCESS_CARRIER_RETURNED",
  released: "ACCESS_CARRIER_RELEASED",
};

/**
 * Decides whether `request.person` may access `request.carrier` at `request.at`.
 * Pure and total: never throws for a well-formed request; an invalid instant is INPUT_INVALID.
 */
export function decideAccess(request: AccessRequest): AccessDecision {
  const at = normalizeInstant(request.at);
  const { person, body, carrier } = request;
  const failures: AccessFailure[] = [];
  const fail = (code: ErrorCode, extra: Omit<AccessFailure, "code" | "articles"> = {}) =>
    failures.push({ code, articles: ERROR_CATALOGUE[code].articles, ...extra });

  // A4.4: the obligations come before any access.
  if (!person.obligationsAcknowledged) fail("OBLIGATIONS_NOT_ACKNOWLEDGED");

  // A1.7, A6.4: declassification removed every restriction on access; custody still applies (A6.2).
  if (carrier.status === "declassified") {
    if (carrier.custodian !== null && carrier.custodian === person.bodyId) {
      if (failures.length === 0) return { allowed: true, articles: DECLASSIFIED_ARTICLES };
    } else fail("ACCESS_NOT_IN_CUSTODY");
    return { allowed: false, articles: [...new Set(failures.flatMap((f) => f.articles))], failures };
  }

  // Personal clearance (A4.2, A1.11): no read-up, and valid at the time.
  const clearance = person.clearance;
  if (clearance === null) fail("ACCESS_CLEARANCE_MISSING");
  else {
    if (clearance.level < carrier.level) {
      fail("ACCESS_CLEARANCE_TOO_LOW", { held: String(clearance.level), required: String(carrier.level) });
    }
    if (!isWithin(at, clearance.validFrom, clearance.validUntil)) fail("ACCESS_CLEARANCE_EXPIRED", { at });
  }

  // The person's own authorized body and its facility clearance (A1.9, A1.11).
  const facility = body.id === person.bodyId ? body.facilityClearance : null;
  if (facility === null) fail("ACCESS_FACILITY_CLEARANCE_MISSING");
  else {
    if (facility.level < carrier.level) {
      fail("ACCESS_FACILITY_CLEARANCE_TOO_LOW", {
        held: String(facility.level),
        required: String(carrier.level),
      });
    }
    if (!isWithin(at, facility.validFrom, facility.validUntil))
      fail("ACCESS_FACILITY_CLEARANCE_EXPIRED", { at });
  }

  // Need-to-know (A4.2, A4.1.4); a visitor's comes from the visit's topics only (A9.1).
  const visit = request.visit ?? null;
  if (visit !== null) {
    if (!visit.topicCarriers.includes(carrier.id)) fail("ACCESS_NO_NEED_TO_KNOW");
    if (!isWithin(at, visit.from, visit.until)) fail("ACCESS_VISIT_NOT_IN_PROGRESS", { at });
    if (visit.acquaintedAt === null) fail("ACCESS_VISITOR_NOT_ACQUAINTED");
  } else if (
    !request.contractParticipants.includes(person.id) &&
    !carrier.grantedPersons.includes(person.id)
  ) {
    fail("ACCESS_NO_NEED_TO_KNOW");
  }

  // A11.1: a carrier held in quarantine by an open breach is read by no one.
  if (carrier.quarantined === true) fail("ACCESS_CARRIER_QUARANTINED");
  // A4.1.4: the other Party's information is used only under its contract while that is in force.
  if (carrier.contractNotInForce === true) fail("ACCESS_CONTRACT_NOT_IN_FORCE");

  // Custody and the carrier's life (A6.2, A6.4, A6.6, A4.1.5).
  const statusFailure = STATUS_FAILURE[carrier.status];
  if (statusFailure) fail(statusFailure);
  else if (carrier.custodian !== person.bodyId) fail("ACCESS_NOT_IN_CUSTODY");

  if (failures.length === 0) return { allowed: true, articles: ACCESS_ARTICLES };
  const articles = [...new Set(failures.flatMap((f) => f.articles))];
  return { allowed: false, articles, failures };
}

/**
 * {@link decideAccess}, throwing ACCESS_DENIED (details.failures lists every failed condition)
 * when refused. Callers that must not reveal the carrier's existence map this to CARRIER_NOT_FOUND.
 * @throws DomainError ACCESS_DENIED
 */
export function assertAccess(request: AccessRequest): readonly ArticleId[] {
  const decision = decideAccess(request);
  if (decision.allowed) return decision.articles;
  throw new DomainError(
    "ACCESS_DENIED",
    { carrierId: request.carrier.id, failures: decision.failures.map((f) => ({ ...f })) },
    { articles: decision.articles },
  );
}
