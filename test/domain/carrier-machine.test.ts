import { describe, expect, it } from "vitest";
import type {
  CarrierEvent,
  CarrierEventType,
  CarrierState,
  CarrierStatus,
} from "../../src/domain/carrier/carrier-machine.ts";
import {
  CARRIER_EVENTS,
  CARRIER_STATUSES,
  CARRIER_TRANSITIONS,
  createCopy,
  createDerived,
  isUnderProtection,
  registerCarrier,
  transitionCarrier,
} from "../../src/domain/carrier/carrier-machine.ts";
import type { ConsentAction } from "../../src/domain/consent/consent-machine.ts";
import {
  AT,
  agreementInForce,
  expectTransitionTable,
  grantedConsent,
  pack,
  refusalOf,
  testEveryTransition,
} from "./support.ts";

const agreement = agreementInForce();

/** An AM carrier at level 2 sent to KZ and received there by kz-body. */
function receivedCarrier(): CarrierState {
  const own = registerCarrier({ id: "am-1", level: 2, party: "AM", body: "am-body", at: AT, pack });
  const sent = transitionCarrier(
    own,
    { type: "dispatch", transferId: "t-1" },
    { at: AT, pack, agreement },
  ).state;
  return transitionCarrier(
    sent,
    { type: "receive", by: "kz-body", party: "KZ", labelLevel: 2 },
    { at: AT, pack },
  ).state;
}

function carrierIn(status: CarrierStatus, event: CarrierEventType): CarrierState {
  if (event === "dispatch") {
    // Only a Party's own information is dispatched under A5.
    const own = registerCarrier({ id: "kz-1", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    return { ...own, status };
  }
  if (status === "transferred") {
    // Only the originator's own carrier is transferred (its record once the receipt came, A5.6).
    const own = registerCarrier({ id: "kz-1", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    return { ...own, status, custodian: null };
  }
  if (status === "dispatched") {
    return {
      ...registerCarrier({ id: "am-1", level: 2, party: "AM", body: "am-body", at: AT, pack }),
      status,
    };
  }
  const received = receivedCarrier();
  // A registered foreign carrier: a (consented) copy of the received one.
  if (status === "registered") return createCopy(received, { id: "am-1", kind: "copy", at: AT });
  return { ...received, status };
}

const CONSENT_OF: Partial<Record<CarrierEventType, ConsentAction>> = {
  copy: "copy",
  translate: "translate",
  reclassify: "reclassify",
  declassify: "declassify",
  destroy: "destroy",
  return: "return",
  "take-back": "return",
  "release-to-third-party": "third-party-release",
};

function eventOf(type: CarrierEventType): CarrierEvent {
  switch (type) {
    case "dispatch":
      return { type, transferId: "t-1" };
    case "acknowledge-electronic":
    case "take-back":
      return { type, by: "kz-body" };
    case "receive":
      return { type, by: "kz-body", party: "KZ", labelLevel: 2 };
    case "copy":
      return { type, copyId: "c-2" };
    case "translate":
      return { type, translationId: "c-3" };
    case "derive":
      return { type, derivedId: "c-4" };
    case "reclassify":
      return { type, level: 1 };
    case "grant-need-to-know":
    case "withdraw-need-to-know":
      return { type, personId: "p-1" };
    case "change-custody":
      return { type, to: "kz-other-body" };
    case "release-to-third-party":
      return { type, thirdParty: "XX" };
    default:
      return { type } as CarrierEvent;
  }
}

function run(status: CarrierStatus, type: CarrierEventType) {
  const held = carrierIn(status, type);
  // A4.2: a grant is withdrawn only while in effect.
  const state = type === "withdraw-need-to-know" ? { ...held, grantedPersons: ["p-1"] } : held;
  const action = CONSENT_OF[type];
  const consent = action ? grantedConsent(action, state.id, { newLevel: 1 }) : null;
  return transitionCarrier(state, eventOf(type), { at: AT, pack, consent, agreement });
}

describe("carrier machine (A5, A6)", () => {
  expectTransitionTable(CARRIER_TRANSITIONS, [
    "registered dispatch → dispatched",
    "dispatched acknowledge → transferred",
    "dispatched acknowledge-electronic → registered",
    "transferred take-back → registered",
    "transferred reclassify → transferred",
    "transferred declassify → declassified",
    "dispatched receive → received",
    "registered copy → registered",
    "received copy → received",
    "registered translate → registered",
    "received translate → received",
    "registered derive → registered",
    "received derive → received",
    "registered reclassify → registered",
    "received reclassify → received",
    "registered declassify → declassified",
    "received declassify → declassified",
    "registered destroy → destroyed",
    "received destroy → destroyed",
    "registered return → returned",
    "received return → returned",
    "registered release-to-third-party → released",
    "received release-to-third-party → released",
    "registered grant-need-to-know → registered",
    "received grant-need-to-know → received",
    "registered withdraw-need-to-know → registered",
    "received withdraw-need-to-know → received",
    "registered change-custody → registered",
    "received change-custody → received",
  ]);

  testEveryTransition({
    statuses: CARRIER_STATUSES,
    events: CARRIER_EVENTS,
    rules: CARRIER_TRANSITIONS,
    run,
  });

  it("A2.2, A6.1: a received carrier keeps the originator's marking and gains the equivalent national one", () => {
    expect(receivedCarrier().markings).toEqual([
      { party: "AM", text: "Հույժ գաղտնի" },
      { party: "KZ", text: "Өте құпия" },
    ]);
  });

  it("A2.2: refuses to receive a carrier whose label level differs from the sender's", () => {
    const own = registerCarrier({ id: "am-1", level: 3, party: "AM", body: "am-body", at: AT, pack });
    const sent = transitionCarrier(
      own,
      { type: "dispatch", transferId: "t" },
      { at: AT, pack, agreement },
    ).state;
    const error = refusalOf(() =>
      transitionCarrier(
        sent,
        { type: "receive", by: "kz-body", party: "KZ", labelLevel: 2 },
        { at: AT, pack },
      ),
    );
    expect(error.code).toBe("MARKING_NOT_EQUIVALENT");
  });

  const consentCases: readonly [CarrierEventType, string, string][] = [
    ["copy", "A6.5", "COPY_NEEDS_CONSENT"],
    ["translate", "A6.5", "TRANSLATION_NEEDS_CONSENT"],
    ["reclassify", "A4.1.2", "MARKING_CHANGE_NEEDS_CONSENT"],
    ["declassify", "A6.4", "DECLASSIFICATION_NEEDS_AGREEMENT"],
    ["destroy", "A6.6", "DESTRUCTION_NEEDS_PERMISSION"],
    ["return", "A6.6", "RETURN_NEEDS_PERMISSION"],
    ["release-to-third-party", "A4.1.5", "THIRD_PARTY_NEEDS_CONSENT"],
  ];
  for (const [type, article, code] of consentCases) {
    it(`${article}: refuses to ${type} a received carrier without the providing side's written consent`, () => {
      const error = refusalOf(() =>
        transitionCarrier(receivedCarrier(), eventOf(type), { at: AT, pack, consent: null, agreement }),
      );
      expect(error.code).toBe(code);
      expect(error.articles).toContain(article);
    });
  }

  it("A6.5: a consent for another carrier does not allow a copy", () => {
    const error = refusalOf(() =>
      transitionCarrier(receivedCarrier(), eventOf("copy"), {
        at: AT,
        pack,
        consent: grantedConsent("copy", "other-carrier"),
      }),
    );
    expect(error.code).toBe("CONSENT_INVALID");
  });

  it("A4.1.2: a consent to reclassify to level 1 does not allow level 3", () => {
    const error = refusalOf(() =>
      transitionCarrier(
        receivedCarrier(),
        { type: "reclassify", level: 3 },
        { at: AT, pack, consent: grantedConsent("reclassify", "am-1", { newLevel: 1 }) },
      ),
    );
    expect(error.code).toBe("CONSENT_INVALID");
  });

  it("A6.3: a consented level change re-marks every Party's marking", () => {
    const result = run("received", "reclassify");
    expect(result.state.level).toBe(1);
    expect(result.state.markings).toEqual([
      { party: "AM", text: "Գաղտնի" },
      { party: "KZ", text: "Құпия" },
    ]);
  });

  it("A6.3: the level of jointly created information changes only by mutual agreement", () => {
    const joint = registerCarrier({
      id: "j-1",
      level: 2,
      party: "KZ",
      body: "kz-body",
      jointlyCreated: true,
      at: AT,
      pack,
    });
    expect(
      refusalOf(() => transitionCarrier(joint, { type: "reclassify", level: 1 }, { at: AT, pack })).code,
    ).toBe("MARKING_CHANGE_NEEDS_MUTUAL_AGREEMENT");
    const own = registerCarrier({ id: "o-1", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    expect(transitionCarrier(own, { type: "reclassify", level: 1 }, { at: AT, pack }).state.level).toBe(1);
  });

  it("A6.1: a copy and a translation carry the original's marking", () => {
    const original = receivedCarrier();
    for (const kind of ["copy", "translation"] as const) {
      const copy = createCopy(original, { id: `x-${kind}`, kind, at: AT });
      expect(copy.level).toBe(original.level);
      expect(copy.markings).toEqual(original.markings);
      expect(copy.originatorParty).toBe("AM");
    }
  });

  it("A6.1: derived information is marked at the highest source level, never lower", () => {
    const low = registerCarrier({ id: "s-1", level: 1, party: "KZ", body: "kz-body", at: AT, pack });
    const high = receivedCarrier();
    const derived = createDerived({
      id: "d-1",
      sources: [low, high],
      party: "KZ",
      body: "kz-body",
      at: AT,
      pack,
    });
    expect(derived.level).toBe(2);
    expect(derived.originatorParty).toBe("AM");
    expect(derived.markings).toEqual(high.markings);
    const error = refusalOf(() =>
      createDerived({
        id: "d-2",
        sources: [low, high],
        level: 1,
        party: "KZ",
        body: "kz-body",
        at: AT,
        pack,
      }),
    );
    expect(error.code).toBe("MARKING_BELOW_SOURCE");
    expect(error.articles).toEqual(["A6.1"]);
  });

  it("A15.2: no dispatch after the agreement has terminated", () => {
    const terminated = {
      ...agreement,
      status: "terminated" as const,
      termination: {
        notifiedBy: "AM",
        receivedAt: "2025-06-01T00:00:00Z",
        terminatesOn: "2025-12-01",
        terminatesAt: "2025-11-30T19:00:00Z",
      },
    };
    const own = registerCarrier({ id: "kz-9", level: 1, party: "KZ", body: "kz-body", at: AT, pack });
    expect(
      refusalOf(() =>
        transitionCarrier(
          own,
          { type: "dispatch", transferId: "t" },
          { at: AT, pack, agreement: terminated },
        ),
      ).code,
    ).toBe("AGREEMENT_TERMINATED");
  });

  it("A5.6, A6.6: the originator's record: transferred on the receipt, in custody again when taken back with its permission", () => {
    const own = registerCarrier({ id: "kz-5", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    const sent = transitionCarrier(own, { type: "dispatch", transferId: "t" }, { at: AT, pack, agreement });
    const transferred = transitionCarrier(sent.state, { type: "acknowledge" }, { at: AT, pack }).state;
    expect(transferred).toMatchObject({ status: "transferred", custodian: null });
    const noPermission = refusalOf(() =>
      transitionCarrier(transferred, { type: "take-back", by: "kz-body" }, { at: AT, pack, consent: null }),
    );
    expect(noPermission.code).toBe("RETURN_NEEDS_PERMISSION");
    const back = transitionCarrier(
      transferred,
      { type: "take-back", by: "kz-body" },
      { at: AT, pack, consent: grantedConsent("return", "kz-5") },
    ).state;
    expect(back).toMatchObject({ status: "registered", custodian: "kz-body" });
    const kept = transitionCarrier(
      sent.state,
      { type: "acknowledge-electronic", by: "kz-body" },
      { at: AT, pack },
    ).state;
    expect(kept).toMatchObject({ status: "registered", custodian: "kz-body" });
  });

  it("A1.7, A6.4: a declassified carrier stays in its holder's custody (the record and its history remain)", () => {
    const own = registerCarrier({ id: "kz-7", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    const declassified = transitionCarrier(own, { type: "declassify" }, { at: AT, pack }).state;
    expect(declassified).toMatchObject({ status: "declassified", custodian: "kz-body" });
  });

  it("A6.2, A1.11: custody passes to another body only while held, and never to the body that holds it", () => {
    const own = registerCarrier({ id: "kz-8", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
    const moved = transitionCarrier(own, { type: "change-custody", to: "kz-navy" }, { at: AT, pack }).state;
    expect(moved).toMatchObject({ status: "registered", custodian: "kz-navy" });
    expect(
      refusalOf(() => transitionCarrier(moved, { type: "change-custody", to: "kz-navy" }, { at: AT, pack }))
        .code,
    ).toBe("TRANSITION_FORBIDDEN");
    const destroyed = transitionCarrier(own, { type: "destroy" }, { at: AT, pack }).state;
    expect(
      refusalOf(() =>
        transitionCarrier(destroyed, { type: "change-custody", to: "kz-navy" }, { at: AT, pack }),
      ).code,
    ).toBe("TRANSITION_FORBIDDEN");
  });

  it("A2.1: refuses to register a carrier at a level the agreement does not know", () => {
    expect(
      refusalOf(() => registerCarrier({ id: "x", level: 4, party: "KZ", body: "b", at: AT, pack })).code,
    ).toBe("LEVEL_UNKNOWN");
  });
  it("A15.3: protection continues until a carrier is destroyed or declassified", () => {
    const protectedStatuses = CARRIER_STATUSES.filter((status) => isUnderProtection({ status }));
    expect(protectedStatuses).toEqual([
      "registered",
      "dispatched",
      "transferred",
      "received",
      "returned",
      "released",
    ]);
  });
});
