import { describe, expect, it } from "vitest";
import type {
  ConsentEventType,
  ConsentState,
  ConsentStatus,
} from "../../src/domain/consent/consent-machine.ts";
import {
  CONSENT_EVENTS,
  CONSENT_STATUSES,
  CONSENT_TRANSITIONS,
  checkConsent,
  transitionConsent,
} from "../../src/domain/consent/consent-machine.ts";
import { AT, expectTransitionTable, grantedConsent, refusalOf, testEveryTransition } from "./support.ts";

const EXPIRES = "2026-04-01T00:00:00Z";
const AFTER_EXPIRY = "2026-04-02T00:00:00Z";

function consentIn(status: ConsentStatus): ConsentState {
  const granted = grantedConsent("copy", "c-1", { expiresAt: EXPIRES });
  if (status === "granted") return granted;
  if (status === "asked") return { ...granted, status, answeredAt: null, expiresAt: null };
  return { ...granted, status };
}

function run(status: ConsentStatus, type: ConsentEventType) {
  const state = consentIn(status);
  switch (type) {
    case "grant":
      return transitionConsent(state, { type, by: "am-body", expiresAt: EXPIRES }, { at: AT });
    case "refuse":
      return transitionConsent(state, { type, by: "am-body" }, { at: AT });
    case "withdraw":
      return transitionConsent(state, { type, by: status === "asked" ? "kz-body" : "am-body" }, { at: AT });
    case "expire":
      return transitionConsent(state, { type }, { at: AFTER_EXPIRY });
    case "use":
      return transitionConsent(state, { type, action: "copy", subjectId: "c-1" }, { at: AT });
  }
}

describe("consent request machine (A6.7, A5.4)", () => {
  expectTransitionTable(CONSENT_TRANSITIONS, [
    "asked grant → granted",
    "asked refuse → refused",
    "asked withdraw → withdrawn",
    "asked expire → expired",
    "granted withdraw → withdrawn",
    "granted expire → expired",
    "granted use → used",
  ]);

  testEveryTransition({
    statuses: CONSENT_STATUSES,
    events: CONSENT_EVENTS,
    rules: CONSENT_TRANSITIONS,
    run,
  });

  it("A6.7: only the body asked may grant", () => {
    expect(
      refusalOf(() => transitionConsent(consentIn("asked"), { type: "grant", by: "kz-body" }, { at: AT }))
        .code,
    ).toBe("ROLE_FORBIDDEN");
  });

  it("A6.7: a granted consent does not expire before its date", () => {
    const error = refusalOf(() => transitionConsent(consentIn("granted"), { type: "expire" }, { at: AT }));
    expect(error.code).toBe("CONSENT_INVALID");
  });

  it("A6.5: no consent is COPY_NEEDS_CONSENT; another carrier's, action's, an expired or used one is CONSENT_INVALID", () => {
    expect(refusalOf(() => checkConsent(null, { action: "copy", subjectId: "c-1", at: AT })).code).toBe(
      "COPY_NEEDS_CONSENT",
    );
    const granted = consentIn("granted");
    const cases = [
      { consent: granted, need: { action: "copy" as const, subjectId: "c-2", at: AT } },
      { consent: granted, need: { action: "translate" as const, subjectId: "c-1", at: AT } },
      { consent: granted, need: { action: "copy" as const, subjectId: "c-1", at: AFTER_EXPIRY } },
      {
        consent: { ...granted, status: "used" as const },
        need: { action: "copy" as const, subjectId: "c-1", at: AT },
      },
      { consent: granted, need: { action: "copy" as const, subjectId: "c-1", at: "2026-01-01T00:00:00Z" } },
    ];
    for (const { consent, need } of cases) {
      const error = refusalOf(() => checkConsent(consent, need));
      expect(error.code).toBe("CONSENT_INVALID");
      expect(error.articles).toContain("A6.7");
    }
    expect(() => checkConsent(granted, { action: "copy", subjectId: "c-1", at: AT })).not.toThrow();
  });

  it("A5.4: a consent is used once", () => {
    const used = run("granted", "use").state;
    expect(used.status).toBe("used");
    expect(
      refusalOf(() => transitionConsent(used, { type: "use", action: "copy", subjectId: "c-1" }, { at: AT }))
        .code,
    ).toBe("TRANSITION_FORBIDDEN");
  });
});
