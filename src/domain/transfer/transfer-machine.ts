/**
 * A transfer of carriers between the Parties' authorized bodies (A5), case by case (A5.4):
 * requested → consented by the sending body's own competent authority (A5.2) → the other
 * Party's competent authority confirms the receiving body's facility clearance (A5.3) →
 * dispatched by an agreed channel (A5.6, A5.7) → received → receipt notice (A5.6).
 * No new transfer starts or leaves unless the agreement is in force (A15.1, A15.2).
 */
import type { AgreementState } from "../agreement/agreement-machine.ts";
import { assertNewTransfersAllowed } from "../agreement/agreement-machine.ts";
import type { AgreementPack, PartyCode } from "../agreement/pack-schema.ts";
import type { ArticleId } from "../articles.ts";
import type { CarrierState } from "../carrier/carrier-machine.ts";
import { isForeign } from "../carrier/carrier-machine.ts";
import type { LevelRank } from "../classification/levels.ts";
import { findLevel, findParty } from "../classification/levels.ts";
import type { ConsentState } from "../consent/consent-machine.ts";
import { checkConsent } from "../consent/consent-machine.ts";
import type { ContractState } from "../contract/contract-machine.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import type { InstantString } from "../time/instants.ts";
import { isWithin, normalizeInstant } from "../time/instants.ts";

export const TRANSFER_STATUSES = [
  "requested",
  "consented",
  "confirmed",
  "dispatched",
  "received",
  "acknowledged",
  "refused",
  "cancelled",
] as const;
/** Status of a transfer. */
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** A facility clearance of the receiving body as confirmed in writing by its competent authority (A5.3). */
export type FacilityConfirmation = {
  readonly level: LevelRank;
  readonly validFrom: InstantString;
  readonly validUntil: InstantString;
  readonly confirmedAt: InstantString;
};

/** A transfer (plain JSON). */
export type TransferState = {
  readonly id: string;
  readonly status: TransferStatus;
  readonly contractId: string;
  readonly fromParty: PartyCode;
  readonly fromBody: string;
  readonly toParty: PartyCode;
  readonly toBody: string;
  readonly carrierIds: readonly string[];
  /** The highest level among the carriers. */
  readonly level: LevelRank;
  readonly consentId: string | null;
  readonly facility: FacilityConfirmation | null;
  readonly channel: string | null;
  readonly requestedAt: InstantString;
  readonly dispatchedAt: InstantString | null;
  readonly receivedAt: InstantString | null;
  readonly acknowledgedAt: InstantString | null;
  readonly refusal: { readonly by: string; readonly reason: string } | null;
};

export const TRANSFER_EVENTS = [
  "consent",
  "refuse",
  "confirm-facility",
  "dispatch",
  "receive",
  "acknowledge",
  "cancel",
] as const;
export type TransferEventType = (typeof TRANSFER_EVENTS)[number];

/** An event on a transfer. */
export type TransferEvent =
  | { readonly type: "consent"; readonly consent: ConsentState }
  | { readonly type: "refuse"; readonly by: string; readonly reason: string }
  | {
      readonly type: "confirm-facility";
      readonly level: LevelRank;
      readonly validFrom: InstantString;
      readonly validUntil: InstantString;
    }
  | { readonly type: "dispatch"; readonly channel: string }
  | { readonly type: "receive"; readonly by: string }
  | { readonly type: "acknowledge" }
  | { readonly type: "cancel" };

/** Context: the time, the pack (channels, levels) and the agreement's state (A15). */
export type TransferContext = {
  readonly at: InstantString;
  readonly pack: AgreementPack;
  readonly agreement: AgreementState;
};

const MACHINE: readonly ArticleId[] = ["A5.2", "A5.3", "A5.6"];
/** Every allowed transition of a transfer. */
export const TRANSFER_TRANSITIONS: readonly TransitionRule<TransferStatus, TransferEventType>[] = [
  { from: "requested", event: "consent", to: "consented", articles: ["A5.1", "A5.2"] },
  { from: "requested", event: "refuse", to: "refused", articles: ["A5.2", "A5.4"] },
  { from: "requested", event: "cancel", to: "cancelled", articles: ["A5.4"] },
  { from: "consented", event: "confirm-facility", to: "confirmed", articles: ["A5.3", "A1.11"] },
  { from: "consented", event: "refuse", to: "refused", articles: ["A5.3"] },
  { from: "consented", event: "cancel", to: "cancelled", articles: ["A5.4"] },
  { from: "confirmed", event: "dispatch", to: "dispatched", articles: ["A5.6", "A5.7", "A15.1"] },
  { from: "confirmed", event: "cancel", to: "cancelled", articles: ["A5.4"] },
  { from: "dispatched", event: "receive", to: "received", articles: ["A5.6", "A6.2"] },
  { from: "received", event: "acknowledge", to: "acknowledged", articles: ["A5.6", "A5.5"] },
];

/**
 * Starts a transfer of `carriers` under `contract` (A5.1, A5.4): the contract must be active
 * between the two bodies and list the carriers' levels (A7.1); the carriers must be the sending
 * body's own, in its custody; the agreement must be in force (A15).
 * @throws DomainError TRANSFER_CONTRACT_REQUIRED | TRANSFER_LEVEL_NOT_IN_CONTRACT | AGREEMENT_* | TRANSITION_FORBIDDEN | INPUT_INVALID
 */
export function requestTransfer(input: {
  readonly id: string;
  readonly contract: ContractState;
  readonly fromParty: PartyCode;
  readonly fromBody: string;
  readonly toParty: PartyCode;
  readonly toBody: string;
  readonly carriers: readonly CarrierState[];
  readonly at: InstantString;
  readonly pack: AgreementPack;
  readonly agreement: AgreementState;
}): TransferState {
  const at = normalizeInstant(input.at);
  findParty(input.pack, input.fromParty);
  findParty(input.pack, input.toParty);
  if (input.fromParty === input.toParty) {
    throw new DomainError("INPUT_INVALID", {
      field: "toParty",
      problem: "a transfer goes to the other Party",
    });
  }
  assertNewTransfersAllowed(input.agreement, at);
  const { contract } = input;
  if (
    contract.status !== "active" ||
    !contract.bodies.includes(input.fromBody) ||
    !contract.bodies.includes(input.toBody)
  ) {
    throw new DomainError("TRANSFER_CONTRACT_REQUIRED", { contractId: contract.id });
  }
  if (input.carriers.length === 0) {
    throw new DomainError("INPUT_INVALID", { field: "carriers", problem: "no carrier" });
  }
  const listed = new Set(contract.informationList.map((i) => i.level));
  const maxListed = Math.max(0, ...contract.informationList.map((i) => i.level ?? 0));
  for (const carrier of input.carriers) {
    if (carrier.status !== "registered" || carrier.custodian !== input.fromBody || isForeign(carrier)) {
      throw new DomainError(
        "TRANSITION_FORBIDDEN",
        { machine: "transfer", state: `carrier ${carrier.id} ${carrier.status}`, event: "request" },
        { articles: ["A5.1", "A6.2"] },
      );
    }
    if (carrier.level > maxListed || !listed.has(carrier.level)) {
      throw new DomainError("TRANSFER_LEVEL_NOT_IN_CONTRACT", {
        level: findLevel(input.pack, carrier.level).id,
      });
    }
  }
  return {
    id: input.id,
    status: "requested",
    contractId: contract.id,
    fromParty: input.fromParty,
    fromBody: input.fromBody,
    toParty: input.toParty,
    toBody: input.toBody,
    carrierIds: input.carriers.map((c) => c.id),
    level: Math.max(...input.carriers.map((c) => c.level)),
    consentId: null,
    facility: null,
    channel: null,
    requestedAt: at,
    dispatchedAt: null,
    receivedAt: null,
    acknowledgedAt: null,
    refusal: null,
  };
}

/**
 * Applies `event` to a transfer at `ctx.at`. Dispatching before the own competent authority's
 * consent is TRANSFER_CONSENT_MISSING (A5.2); before the other Party's confirmation,
 * TRANSFER_FACILITY_NOT_CONFIRMED (A5.3).
 * @throws DomainError
 */
export function transitionTransfer(
  state: TransferState,
  event: TransferEvent,
  ctx: TransferContext,
): TransitionResult<TransferState> {
  if (event.type === "dispatch" && state.status === "requested") {
    throw new DomainError("TRANSFER_CONSENT_MISSING", { transferId: state.id });
  }
  if (event.type === "dispatch" && state.status === "consented") {
    throw new DomainError("TRANSFER_FACILITY_NOT_CONFIRMED", { transferId: state.id });
  }
  const rule = findRule("transfer", TRANSFER_TRANSITIONS, state.status, event.type, MACHINE);
  const at = normalizeInstant(ctx.at);
  const done = (next: Partial<TransferState>): TransitionResult<TransferState> => ({
    state: { ...state, ...next, status: rule.to },
    articles: rule.articles,
  });
  switch (event.type) {
    case "consent":
      // A15.2, A15.3: after the end, no consent to a transfer that has not left yet.
      assertNewTransfersAllowed(ctx.agreement, at);
      checkConsent(event.consent, { action: "transfer", subjectId: state.id, at });
      return done({ consentId: event.consent.id });
    case "refuse":
      return done({ refusal: { by: event.by, reason: event.reason } });
    case "confirm-facility": {
      const facility = {
        level: event.level,
        validFrom: normalizeInstant(event.validFrom, "validFrom"),
        validUntil: normalizeInstant(event.validUntil, "validUntil"),
        confirmedAt: at,
      };
      assertFacilityCovers(ctx.pack, facility, state.level, at);
      return done({ facility });
    }
    case "dispatch": {
      if (!ctx.pack.channels.some((c) => c.id === event.channel)) {
        throw new DomainError("TRANSFER_CHANNEL_UNKNOWN", { channel: event.channel });
      }
      assertNewTransfersAllowed(ctx.agreement, at);
      // The confirmation must still hold when the carriers leave.
      assertFacilityCovers(ctx.pack, state.facility!, state.level, at);
      return done({ channel: event.channel, dispatchedAt: at });
    }
    case "receive":
      if (event.by !== state.toBody) throw new DomainError("MESSAGE_MISADDRESSED", { by: event.by });
      return done({ receivedAt: at });
    case "acknowledge":
      return done({ acknowledgedAt: at });
    case "cancel":
      return done({});
  }
}

function assertFacilityCovers(
  pack: AgreementPack,
  facility: FacilityConfirmation,
  level: LevelRank,
  at: InstantString,
): void {
  findLevel(pack, facility.level);
  if (facility.level < level || !isWithin(at, facility.validFrom, facility.validUntil)) {
    throw new DomainError("TRANSFER_FACILITY_TOO_LOW", {
      held: `${findLevel(pack, facility.level).workingName.en}, valid ${facility.validFrom} – ${facility.validUntil}`,
      required: findLevel(pack, level).workingName.en,
    });
  }
}
