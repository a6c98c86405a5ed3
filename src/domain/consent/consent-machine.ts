/**
 * Written consents (A4.1.2, A4.1.5, A5.2, A6.3–A6.7): asked → granted | refused | withdrawn |
 * expired; a granted consent is used once (A5.4: case by case) and then cannot be used again.
 */
import type { ArticleId } from "../articles.ts";
import type { ErrorCode } from "../errors.ts";
import { DomainError } from "../errors.ts";
import type { TransitionResult, TransitionRule } from "../machine.ts";
import { findRule } from "../machine.ts";
import type { InstantString } from "../time/instants.ts";
import { compareInstants, normalizeInstant } from "../time/instants.ts";

/** What a consent allows. */
export const CONSENT_ACTIONS = [
  "transfer",
  "copy",
  "translate",
  "reclassify",
  "declassify",
  "destroy",
  "return",
  "third-party-release",
] as const;
/** An action that needs a written consent. */
export type ConsentAction = (typeof CONSENT_ACTIONS)[number];

/** The articles that make each action need a consent. */
export const CONSENT_ARTICLES: Readonly<Record<ConsentAction, readonly ArticleId[]>> = {
  transfer: ["A5.1", "A5.2"],
  copy: ["A6.5"],
  translate: ["A6.5"],
  reclassify: ["A4.1.2", "A6.3"],
  declassify: ["A6.4"],
  destroy: ["A6.6"],
  return: ["A6.6"],
  "third-party-release": ["A4.1.5"],
};

/** The refusal when the consent for an action is missing. */
export const MISSING_CONSENT_ERROR: Readonly<Record<ConsentAction, ErrorCode>> = {
  transfer: "TRANSFER_CONSENT_MISSING",
  copy: "COPY_NEEDS_CONSENT",
  translate: "TRANSLATION_NEEDS_CONSENT",
  reclassify: "MARKING_CHANGE_NEEDS_CONSENT",
  declassify: "DECLASSIFICATION_NEEDS_AGREEMENT",
  destroy: "DESTRUCTION_NEEDS_PERMISSION",
  return: "RETURN_NEEDS_PERMISSION",
  "third-party-release": "THIRD_PARTY_NEEDS_CONSENT",
};

export const CONSENT_STATUSES = ["asked", "granted", "refused", "withdrawn", "expired", "used"] as const;
/** Status of a consent request. */
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

/** A consent request and, once answered, the consent. Plain JSON. */
export type ConsentState = {
  readonly id: string;
  readonly status: ConsentStatus;
  readonly action: ConsentAction;
  /** The carrier (or transfer, for `transfer`) the consent is about. */
  readonly subjectId: string;
  /** Who asks (an authorized body). */
  readonly askedBy: string;
  /** Who must answer (the providing body, or the own competent authority for a transfer). */
  readonly askedOf: string;
  readonly askedAt: InstantString;
  readonly answeredAt: InstantString | null;
  /** A granted consent is valid until then (exclusive); null = no limit. */
  readonly expiresAt: InstantString | null;
  /** For `reclassify`: the level consented to. */
  readonly newLevel: number | null;
  readonly usedAt: InstantString | null;
};

export const CONSENT_EVENTS = ["grant", "refuse", "withdraw", "expire", "use"] as const;
export type ConsentEventType = (typeof CONSENT_EVENTS)[number];

/** An event on a consent request. */
export type ConsentEvent =
  | { readonly type: "grant"; readonly by: string; readonly expiresAt?: InstantString | null }
  | { readonly type: "refuse"; readonly by: string }
  | { readonly type: "withdraw"; readonly by: string }
  | { readonly type: "expire" }
  | { readonly type: "use"; readonly subjectId: string; readonly action: ConsentAction };

/** Context of a consent transition: the time, passed in. */
export type ConsentContext = { readonly at: InstantString };

const W: readonly ArticleId[] = ["A6.7"];
/** Every allowed transition of a consent request. */
export const CONSENT_TRANSITIONS: readonly TransitionRule<ConsentStatus, ConsentEventType>[] = [
  { from: "asked", event: "grant", to: "granted", articles: W },
  { from: "asked", event: "refuse", to: "refused", articles: W },
  { from: "asked", event: "withdraw", to: "withdrawn", articles: W },
  { from: "asked", event: "expire", to: "expired", articles: W },
  { from: "granted", event: "withdraw", to: "withdrawn", articles: W },
  { from: "granted", event: "expire", to: "expired", articles: W },
  { from: "granted", event: "use", to: "used", articles: ["A5.4", "A6.7"] },
];

/** Creates a consent request (status `asked`). */
export function askConsent(input: {
  readonly id: string;
  readonly action: ConsentAction;
  readonly subjectId: string;
  readonly askedBy: string;
  readonly askedOf: string;
  readonly at: InstantString;
  readonly newLevel?: number | null;
}): ConsentState {
  return {
    id: input.id,
    status: "asked",
    action: input.action,
    subjectId: input.subjectId,
    askedBy: input.askedBy,
    askedOf: input.askedOf,
    askedAt: normalizeInstant(input.at),
    answeredAt: null,
    expiresAt: null,
    newLevel: input.newLevel ?? null,
    usedAt: null,
  };
}

/**
 * Applies `event` to a consent request at `ctx.at`. Only the body asked may grant or refuse;
 * an expiry takes effect only once `expiresAt` has passed; `use` checks the consent covers
 * the subject and action and is still valid.
 * @throws DomainError TRANSITION_FORBIDDEN | CONSENT_INVALID | ROLE_FORBIDDEN
 */
export function transitionConsent(
  state: ConsentState,
  event: ConsentEvent,
  ctx: ConsentContext,
): TransitionResult<ConsentState> {
  const rule = findRule("consent", CONSENT_TRANSITIONS, state.status, event.type, W);
  const at = normalizeInstant(ctx.at);
  const articles = [...rule.articles, ...CONSENT_ARTICLES[state.action]];
  switch (event.type) {
    case "grant": {
      if (event.by !== state.askedOf) throw new DomainError("ROLE_FORBIDDEN", { by: event.by });
      const expiresAt = event.expiresAt ? normalizeInstant(event.expiresAt, "expiresAt") : null;
      if (expiresAt !== null && compareInstants(expiresAt, at) <= 0) {
        throw new DomainError("INPUT_INVALID", { field: "expiresAt", problem: "already past" });
      }
      return { state: { ...state, status: rule.to, answeredAt: at, expiresAt }, articles };
    }
    case "refuse":
      if (event.by !== state.askedOf) throw new DomainError("ROLE_FORBIDDEN", { by: event.by });
      return { state: { ...state, status: rule.to, answeredAt: at }, articles };
    case "withdraw":
      // The asker withdraws its request; the grantor withdraws its consent.
      if (event.by !== (state.status === "asked" ? state.askedBy : state.askedOf)) {
        throw new DomainError("ROLE_FORBIDDEN", { by: event.by });
      }
      return { state: { ...state, status: rule.to, answeredAt: state.answeredAt ?? at }, articles };
    case "expire":
      if (
        state.status === "granted" &&
        (state.expiresAt === null || compareInstants(at, state.expiresAt) < 0)
      ) {
        throw new DomainError("CONSENT_INVALID", { reason: "not yet expired" }, { articles: W });
      }
      return { state: { ...state, status: rule.to }, articles };
    case "use":
      checkConsent(state, { action: event.action, subjectId: event.subjectId, at });
      return { state: { ...state, status: rule.to, usedAt: at }, articles };
  }
}

/**
 * Checks that `consent` allows `action` on `subjectId` at `at`: present, granted, not expired,
 * not used, for this subject and action. Missing → the action's own refusal (e.g.
 * COPY_NEEDS_CONSENT, A6.5); present but not covering → CONSENT_INVALID with the reason.
 * @throws DomainError
 */
export function checkConsent(
  consent: ConsentState | null | undefined,
  need: { readonly action: ConsentAction; readonly subjectId: string; readonly at: InstantString },
): void {
  const articles = CONSENT_ARTICLES[need.action];
  if (!consent) throw new DomainError(MISSING_CONSENT_ERROR[need.action], { subjectId: need.subjectId });
  const refuse = (reason: string): never => {
    throw new DomainError(
      "CONSENT_INVALID",
      { reason, consentId: consent.id },
      { articles: [...articles, "A6.7"] },
    );
  };
  if (consent.action !== need.action) refuse(`given for “${consent.action}”, not “${need.action}”`);
  if (consent.subjectId !== need.subjectId) refuse(`given for ${consent.subjectId}, not ${need.subjectId}`);
  if (consent.status !== "granted") refuse(`consent is ${consent.status}`);
  if (consent.expiresAt !== null && compareInstants(need.at, consent.expiresAt) >= 0)
    refuse("consent expired");
  if (consent.answeredAt !== null && compareInstants(need.at, consent.answeredAt) < 0) {
    refuse("consent granted after the action");
  }
}
