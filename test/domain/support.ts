// Shared fixtures of the domain tests: the real kz-am-2025 pack, times, consents, and the
// table-driven runner that tries every (status, event) pair of a machine.
import { expect, it } from "vitest";
import { loadAgreementPackSync } from "../../src/agreements/load-pack.ts";
import type { AgreementState } from "../../src/domain/agreement/agreement-machine.ts";
import { signAgreement, transitionAgreement } from "../../src/domain/agreement/agreement-machine.ts";
import type { ConsentAction, ConsentState } from "../../src/domain/consent/consent-machine.ts";
import { askConsent, transitionConsent } from "../../src/domain/consent/consent-machine.ts";
import type { ErrorCode } from "../../src/domain/errors.ts";
import { DomainError } from "../../src/domain/errors.ts";
import type { TransitionResult, TransitionRule } from "../../src/domain/machine.ts";

export const pack = loadAgreementPackSync("kz-am-2025");

/** A working day in spring 2026, when the agreement is in force in these fixtures. */
export const AT = "2026-03-02T08:00:00Z";

/** An agreement in force since January 2026. */
export function agreementInForce(): AgreementState {
  const ctx = (at: string) => ({ at, pack });
  const a = transitionAgreement(
    signAgreement(pack.id),
    { type: "receive-notice", from: "KZ" },
    ctx("2026-01-10T09:00:00Z"),
  );
  return transitionAgreement(a.state, { type: "receive-notice", from: "AM" }, ctx("2026-01-20T09:00:00Z"))
    .state;
}

/** A granted consent for `action` on `subjectId`, answered before {@link AT}. */
export function grantedConsent(
  action: ConsentAction,
  subjectId: string,
  options: { newLevel?: number; expiresAt?: string } = {},
): ConsentState {
  const asked = askConsent({
    id: `consent-${action}-${subjectId}`,
    action,
    subjectId,
    askedBy: "kz-body",
    askedOf: "am-body",
    at: "2026-02-01T08:00:00Z",
    newLevel: options.newLevel ?? null,
  });
  return transitionConsent(
    asked,
    { type: "grant", by: "am-body", expiresAt: options.expiresAt ?? null },
    { at: "2026-02-02T08:00:00Z" },
  ).state;
}

/** The DomainError `fn` throws (fails the test if it does not throw one). */
export function refusalOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  throw new Error("expected a DomainError, nothing was thrown");
}

/**
 * Table-driven: for every status × event, an allowed pair must succeed and land in the rule's
 * status citing its articles; every other pair must be refused with one of `forbiddenCodes`.
 */
export function testEveryTransition<
  S extends string,
  E extends string,
  T extends { readonly status: S },
>(options: {
  statuses: readonly S[];
  events: readonly E[];
  rules: readonly TransitionRule<S, E>[];
  run: (status: S, event: E) => TransitionResult<T>;
  forbiddenCodes?: readonly ErrorCode[];
}): void {
  const cases = options.statuses.flatMap((status) => options.events.map((event) => ({ status, event })));
  for (const { status, event } of cases) {
    const rule = options.rules.find((r) => r.from === status && r.event === event);
    if (rule) {
      it(`${rule.articles.join(", ")}: allows ${event} in ${status} → ${rule.to}`, () => {
        const result = options.run(status, event);
        expect(result.state.status).toBe(rule.to);
        expect(result.articles).toEqual(expect.arrayContaining([...rule.articles]));
      });
    } else {
      it(`refuses ${event} in ${status}`, () => {
        const error = refusalOf(() => options.run(status, event));
        expect(options.forbiddenCodes ?? ["TRANSITION_FORBIDDEN"]).toContain(error.code);
      });
    }
  }
}

/**
 * Pins a machine's table: the allowed transitions, written out by hand in the test, must be
 * exactly the code's (so a transition added or removed by mistake fails a test).
 */
export function expectTransitionTable<S extends string, E extends string>(
  rules: readonly TransitionRule<S, E>[],
  expected: readonly string[],
): void {
  it("allows exactly the transitions the agreement describes, and no other", () => {
    expect(rules.map((r) => `${r.from} ${r.event} → ${r.to}`).sort()).toEqual([...expected].sort());
  });
}
