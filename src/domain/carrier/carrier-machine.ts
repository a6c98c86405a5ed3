/**
 * A carrier's life in a registry (A1.2, A5, A6). Statuses: registered (an own carrier, a copy,
 * a translation or a derived carrier in custody), dispatched (in transit, A5.6), transferred (the
 * originator's record of a carrier the receiving body acknowledged in writing, A5.6: it is in the
 * other Party's registry, under the number the receipt notice gives, until it is returned, A6.6),
 * received (in the receiving body's custody, marked with the equivalent national marking, A6.1,
 * A6.2), and the final ones: declassified (A6.4), destroyed (A6.6), returned (A6.6), released to a
 * third party (A4.1.5).
 *
 * A carrier is *foreign* when its information was provided by the other Party: then copying,
 * translating, a level change, declassification, destruction, return and third-party release
 * each need the providing side's written consent (A4.1.2, A4.1.5, A6.3–A6.6). Information
 * created jointly needs mutual agreement for a level change or declassification (A6.3) and the
 * other Party's consent for a third party (A4.1.1, A4.1.5).
 */

import type { AgreementState } from "../agreement/agreement-machine.ts";
import { assertNewTransfersAllowed } from "../agreement/agreement-machine.ts";
import type { AgreementPack, PartyCode } from "../agreement/pack-schema.ts";
import type { ArticleId } from "../articles.ts";
import type { LevelRank } from "../classification/levels.ts";
import { findLevel, findParty } from "../classification/levels.ts";
import type { CarrierMarking } from "../classification/marking.ts";
import {
  assertSameLevel,
  levelForDerived,
  markOwn,
  markReceived,
  remark,
} from "../classification/marking.ts";
import type { ConsentAction, ConsentState } from "../consent/consent-machine.ts";
import { checkConsent } from "../consent/consent-machine.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule, uniqueArticles } from "../machine.ts";
import type { InstantString } from "../time/instants.ts";
import { normalizeInstant } from "../time/instants.ts";

export const CARRIER_STATUSES = [
  "registered",
  "dispatched",
  "transferred",
  "received",
  "declassified",
  "destroyed",
  "returned",
  "released",
] as const;
/** Status of a carrier. */
export type CarrierStatus = (typeof CARRIER_STATUSES)[number];

/** Where a carrier's information comes from. */
export type CarrierOrigin = "original" | "received" | "copy" | "translation" | "derived";

/** A carrier as the registry holds it (plain JSON). */
export type CarrierState = {
  readonly id: string;
  readonly status: CarrierStatus;
  readonly level: LevelRank;
  readonly origin: CarrierOrigin;
  /** The Party that set the level (the originator, A2.2). */
  readonly originatorParty: PartyCode;
  /** The authorized body that provided the information (whose consent A6 needs). */
  readonly providingBody: string;
  /** The Party whose registry holds this record. */
  readonly holderParty: PartyCode;
  /** The authorized body in custody; null while in transit or after it left the registry. */
  readonly custodian: string | null;
  readonly jointlyCreated: boolean;
  readonly markings: readonly CarrierMarking[];
  readonly sourceIds: readonly string[];
  readonly contractId: string | null;
  /** Persons granted need-to-know on this carrier (beyond the contract's participants). */
  readonly grantedPersons: readonly string[];
  readonly copies: number;
  readonly updatedAt: InstantString;
};

export const CARRIER_EVENTS = [
  "dispatch",
  "acknowledge",
  "acknowledge-electronic",
  "take-back",
  "receive",
  "copy",
  "translate",
  "derive",
  "reclassify",
  "declassify",
  "destroy",
  "return",
  "release-to-third-party",
  "grant-need-to-know",
  "withdraw-need-to-know",
  "change-custody",
] as const;
export type CarrierEventType = (typeof CARRIER_EVENTS)[number];

/** An event on a carrier. */
export type CarrierEvent =
  | { readonly type: "dispatch"; readonly transferId: string }
  /** A5.6: the receipt notice of a carrier that travelled physically (the originator's record). */
  | { readonly type: "acknowledge" }
  /** A5.6, A5.7: the receipt notice of an electronic transfer; `by` keeps the originator's carrier. */
  | { readonly type: "acknowledge-electronic"; readonly by: string }
  /** A6.6: the originator takes back in a carrier the holder returned with its written permission. */
  | { readonly type: "take-back"; readonly by: string }
  | {
      readonly type: "receive";
      readonly by: string;
      readonly party: PartyCode;
      readonly labelLevel: LevelRank;
    }
  | { readonly type: "copy"; readonly copyId: string }
  | { readonly type: "translate"; readonly translationId: string }
  | { readonly type: "derive"; readonly derivedId: string }
  | { readonly type: "reclassify"; readonly level: LevelRank }
  | { readonly type: "declassify" }
  | { readonly type: "destroy" }
  | { readonly type: "return" }
  | { readonly type: "release-to-third-party"; readonly thirdParty: string }
  | { readonly type: "grant-need-to-know"; readonly personId: string }
  /** A4.2: the custodian's registry officer withdraws a grant of need-to-know (`person` names them). */
  | { readonly type: "withdraw-need-to-know"; readonly personId: string; readonly person?: string }
  /** A6.2, A1.11: the carrier passes to another authorized body of the same Party. */
  | { readonly type: "change-custody"; readonly to: string };

/**
 * Context of a carrier transition: the time; the pack; the consent presented (if the action
 * needs one); the agreement's state (dispatch needs it in force, A15).
 */
export type CarrierContext = {
  readonly at: InstantString;
  readonly pack: AgreementPack;
  readonly consent?: ConsentState | null;
  readonly agreement?: AgreementState;
};

const HELD: readonly CarrierStatus[] = ["registered", "received"];
const rulesFromHeld = (
  event: CarrierEventType,
  to: CarrierStatus | "same",
  articles: readonly ArticleId[],
): TransitionRule<CarrierStatus, CarrierEventType>[] =>
  HELD.map((from) => ({ from, event, to: to === "same" ? from : to, articles }));

/** Every allowed transition of a carrier. */
export const CARRIER_TRANSITIONS: readonly TransitionRule<CarrierStatus, CarrierEventType>[] = [
  { from: "registered", event: "dispatch", to: "dispatched", articles: ["A5.1", "A5.6"] },
  // The originator's record (A5.6): a physical carrier is in the receiving body's registry once
  // acknowledged; an electronic transfer sent the content, and the originator's carrier (its own
  // electronic copy, which never left) is in its custody again (A5.7).
  { from: "dispatched", event: "acknowledge", to: "transferred", articles: ["A5.6"] },
  { from: "dispatched", event: "acknowledge-electronic", to: "registered", articles: ["A5.6", "A5.7"] },
  // A6.6: returned with the originator's written permission, the carrier is in its custody again.
  { from: "transferred", event: "take-back", to: "registered", articles: ["A6.6", "A6.2"] },
  { from: "dispatched", event: "receive", to: "received", articles: ["A2.2", "A6.1", "A6.2", "A5.6"] },
  ...rulesFromHeld("copy", "same", ["A6.5", "A6.1"]),
  ...rulesFromHeld("translate", "same", ["A6.5", "A6.1"]),
  ...rulesFromHeld("derive", "same", ["A6.1"]),
  ...rulesFromHeld("reclassify", "same", ["A4.1.2", "A6.3", "A6.4"]),
  ...rulesFromHeld("declassify", "declassified", ["A6.4", "A1.7"]),
  // A6.3, A6.4: the originator keeps setting the level of its information held by the other Party
  // (the holders are notified in writing); the record of a transferred carrier follows it.
  { from: "transferred", event: "reclassify", to: "transferred", articles: ["A6.3", "A6.4"] },
  { from: "transferred", event: "declassify", to: "declassified", articles: ["A6.4", "A1.7"] },
  ...rulesFromHeld("destroy", "destroyed", ["A6.6", "A1.8"]),
  ...rulesFromHeld("return", "returned", ["A6.6"]),
  ...rulesFromHeld("release-to-third-party", "released", ["A4.1.5", "A1.14"]),
  ...rulesFromHeld("grant-need-to-know", "same", ["A4.2"]),
  ...rulesFromHeld("withdraw-need-to-know", "same", ["A4.2"]),
  ...rulesFromHeld("change-custody", "same", ["A6.2", "A1.11"]),
];

const MACHINE: readonly ArticleId[] = ["A6.2", "A6.7"];

/**
 * Refuses `event` in `status` exactly as `transitionCarrier` would (TRANSITION_FORBIDDEN citing the
 * machine's articles), for a use case that checks the state before it loads what the event needs.
 * @throws DomainError TRANSITION_FORBIDDEN
 */
export function assertCarrierEvent(status: CarrierStatus, event: CarrierEventType): void {
  findRule("carrier", CARRIER_TRANSITIONS, status, event, MACHINE);
}

/** True when the carrier's information was provided by the other Party. */
export function isForeign(carrier: Pick<CarrierState, "originatorParty" | "holderParty">): boolean {
  return carrier.originatorParty !== carrier.holderParty;
}

/**
 * The consent an action on this carrier needs, or null: for foreign information every A6 action
 * (and A4.1.5); for jointly created information a level change, declassification (mutual, A6.3)
 * and third-party release.
 */
export function consentNeeded(carrier: CarrierState, action: ConsentAction): ConsentAction | null {
  if (isForeign(carrier)) return action === "transfer" ? null : action;
  if (carrier.jointlyCreated && ["reclassify", "declassify", "third-party-release"].includes(action))
    return action;
  return null;
}

/**
 * Registers a Party's own carrier at `level`, marked with its national marking.
 * @throws DomainError LEVEL_UNKNOWN | PARTY_UNKNOWN
 */
export function registerCarrier(input: {
  readonly id: string;
  readonly level: LevelRank;
  readonly party: PartyCode;
  readonly body: string;
  readonly contractId?: string | null;
  readonly jointlyCreated?: boolean;
  readonly at: InstantString;
  readonly pack: AgreementPack;
}): CarrierState {
  findParty(input.pack, input.party);
  findLevel(input.pack, input.level);
  return {
    id: input.id,
    status: "registered",
    level: input.level,
    origin: "original",
    originatorParty: input.party,
    providingBody: input.body,
    holderParty: input.party,
    custodian: input.body,
    jointlyCreated: input.jointlyCreated ?? false,
    markings: markOwn(input.pack, input.party, input.level),
    sourceIds: [],
    contractId: input.contractId ?? null,
    grantedPersons: [],
    copies: 0,
    updatedAt: normalizeInstant(input.at),
  };
}

/**
 * A6.1: a copy or translation of `original` (after its `copy`/`translate` transition): same level,
 * same markings, same originator, registered in the same custody.
 */
export function createCopy(
  original: CarrierState,
  input: { readonly id: string; readonly kind: "copy" | "translation"; readonly at: InstantString },
): CarrierState {
  return {
    ...original,
    id: input.id,
    status: "registered",
    origin: input.kind,
    sourceIds: [original.id],
    grantedPersons: [],
    copies: 0,
    updatedAt: normalizeInstant(input.at),
  };
}

/**
 * A6.1: a carrier of information derived from `sources`, at the highest source level or the
 * `level` asked if not lower. Derived from foreign information it stays under the providing
 * side's control (fail closed): originator and providing body of the highest foreign source.
 * @throws DomainError MARKING_BELOW_SOURCE | INPUT_INVALID (no source)
 */
export function createDerived(input: {
  readonly id: string;
  readonly sources: readonly CarrierState[];
  readonly level?: LevelRank;
  readonly party: PartyCode;
  readonly body: string;
  readonly at: InstantString;
  readonly pack: AgreementPack;
}): CarrierState {
  const level = levelForDerived(
    input.sources.map((s) => s.level),
    input.level,
  );
  findLevel(input.pack, level);
  const foreign = [...input.sources].filter(isForeign).sort((a, b) => b.level - a.level)[0];
  const originatorParty = foreign?.originatorParty ?? input.party;
  return {
    id: input.id,
    status: "registered",
    level,
    origin: "derived",
    originatorParty,
    providingBody: foreign?.providingBody ?? input.body,
    holderParty: input.party,
    custodian: input.body,
    jointlyCreated: input.sources.some((s) => s.jointlyCreated),
    markings: markReceived(input.pack, originatorParty, input.party, level),
    sourceIds: input.sources.map((s) => s.id),
    contractId: input.sources.find((s) => s.contractId !== null)?.contractId ?? null,
    grantedPersons: [],
    copies: 0,
    updatedAt: normalizeInstant(input.at),
  };
}

/**
 * Applies `event` to a carrier at `ctx.at`, checking the consent the action needs.
 * @throws DomainError TRANSITION_FORBIDDEN | the action's missing-consent code | CONSENT_INVALID |
 *   MARKING_NOT_EQUIVALENT | MARKING_CHANGE_NEEDS_MUTUAL_AGREEMENT | AGREEMENT_* | LEVEL_UNKNOWN
 */
export function transitionCarrier(
  state: CarrierState,
  event: CarrierEvent,
  ctx: CarrierContext,
): TransitionResult<CarrierState> {
  const rule = findRule("carrier", CARRIER_TRANSITIONS, state.status, event.type, MACHINE);
  const at = normalizeInstant(ctx.at);
  const done = (
    next: Partial<CarrierState>,
    extra: readonly ArticleId[] = [],
  ): TransitionResult<CarrierState> => ({
    state: { ...state, ...next, status: rule.to, updatedAt: at },
    articles: uniqueArticles(rule.articles, extra),
  });
  const requireConsent = (action: ConsentAction): readonly ArticleId[] => {
    const needed = consentNeeded(state, action);
    if (needed === null) return [];
    if (!isForeign(state) && action !== "third-party-release" && !ctx.consent) {
      // Jointly created information: the level is set or changed by mutual agreement (A6.3).
      throw new DomainError("MARKING_CHANGE_NEEDS_MUTUAL_AGREEMENT", { carrierId: state.id });
    }
    checkConsent(ctx.consent, { action: needed, subjectId: state.id, at });
    return ["A6.7"];
  };
  const forbid = (why: string): never => {
    throw new DomainError(
      "TRANSITION_FORBIDDEN",
      { machine: "carrier", state: `${state.status} (${why})`, event: event.type },
      { articles: rule.articles },
    );
  };

  switch (event.type) {
    case "dispatch":
      // Onward transfer of the other Party's information is a return or a third-party release.
      if (isForeign(state)) forbid("information provided by the other Party");
      if (!ctx.agreement) throw new DomainError("AGREEMENT_NOT_IN_FORCE", { at });
      assertNewTransfersAllowed(ctx.agreement, at);
      return done({ custodian: null }, ["A15.1"]);
    case "acknowledge":
      return done({ custodian: null });
    case "acknowledge-electronic":
      return done({ custodian: event.by });
    case "take-back":
      // Only the originator's own carrier comes back to it; the return needed its written permission.
      if (isForeign(state)) forbid("information provided by the other Party");
      checkConsent(ctx.consent, { action: "return", subjectId: state.id, at });
      return done({ custodian: event.by }, ["A6.7"]);
    case "receive": {
      findParty(ctx.pack, event.party);
      assertSameLevel(ctx.pack, state.level, event.labelLevel);
      return done({
        custodian: event.by,
        holderParty: event.party,
        origin: event.party === state.originatorParty ? state.origin : "received",
        markings: markReceived(ctx.pack, state.originatorParty, event.party, state.level),
      });
    }
    case "copy":
      return done({ copies: state.copies + 1 }, requireConsent("copy"));
    case "translate":
      return done({ copies: state.copies + 1 }, requireConsent("translate"));
    case "derive":
      return done({});
    case "reclassify": {
      findLevel(ctx.pack, event.level);
      if (event.level === state.level) forbid("same level");
      const extra = requireConsent("reclassify");
      if (extra.length > 0 && ctx.consent?.newLevel !== event.level) {
        throw new DomainError(
          "CONSENT_INVALID",
          { reason: `consent is for level ${String(ctx.consent?.newLevel)}, not ${event.level}` },
          { articles: ["A4.1.2", "A6.3", "A6.7"] },
        );
      }
      return done({ level: event.level, markings: remark(ctx.pack, state.markings, event.level) }, extra);
    }
    case "declassify":
      // A1.7: the restrictions are lifted, the record stays in its holder's registry (custody).
      return done({}, requireConsent("declassify"));
    case "destroy":
      return done({ custodian: null }, requireConsent("destroy"));
    case "return":
      if (!isForeign(state)) forbid("own carrier");
      return done({ custodian: null }, requireConsent("return"));
    case "release-to-third-party":
      return done({ custodian: null }, requireConsent("third-party-release"));
    case "grant-need-to-know":
      return done({ grantedPersons: [...new Set([...state.grantedPersons, event.personId])] });
    case "withdraw-need-to-know":
      // A4.2: only a grant in effect is withdrawn (a contract's participants keep theirs by the contract).
      if (!state.grantedPersons.includes(event.personId))
        throw new DomainError("NEED_TO_KNOW_NOT_GRANTED", { person: event.person ?? event.personId });
      return done({ grantedPersons: state.grantedPersons.filter((p) => p !== event.personId) });
    case "change-custody":
      if (event.to === state.custodian) forbid("already in that body's custody");
      return done({ custodian: event.to });
  }
}

/**
 * A4.1.1, A15.3: whether the carrier is still under Article 4 protection — also after the
 * agreement's termination — until it is destroyed or declassified.
 */
export function isUnderProtection(carrier: Pick<CarrierState, "status">): boolean {
  return carrier.status !== "destroyed" && carrier.status !== "declassified";
}
