import { describe, expect, it } from "vitest";
import type {
  AgreementEvent,
  AgreementEventType,
  AgreementState,
  AgreementStatus,
} from "../../src/domain/agreement/agreement-machine.ts";
import {
  AGREEMENT_EVENTS,
  AGREEMENT_STATUSES,
  AGREEMENT_TRANSITIONS,
  agreementStatusAt,
  assertNewTransfersAllowed,
  signAgreement,
  transitionAgreement,
} from "../../src/domain/agreement/agreement-machine.ts";
import { agreementInForce, expectTransitionTable, pack, refusalOf, testEveryTransition } from "./support.ts";

const TERMINATION = {
  notifiedBy: "AM",
  receivedAt: "2026-03-31T19:30:00Z",
  terminatesOn: "2026-10-01",
  terminatesAt: "2026-09-30T19:00:00Z",
};

function agreementIn(status: AgreementStatus): AgreementState {
  const base = signAgreement(pack.id);
  if (status === "partly-notified")
    return { ...base, status, notices: [{ from: "KZ", receivedAt: "2026-01-10T09:00:00Z" }] };
  if (status === "signed") return base;
  const inForce = agreementInForce();
  if (status === "in-force") return inForce;
  return { ...inForce, status, termination: TERMINATION };
}
const eventOf = (type: AgreementEventType): AgreementEvent =>
  type === "terminate" ? { type } : type === "receive-notice" ? { type, from: "AM" } : { type, from: "AM" };
const run = (status: AgreementStatus, type: AgreementEventType) =>
  transitionAgreement(agreementIn(status), eventOf(type), { at: "2026-11-01T00:00:00Z", pack });

describe("agreement lifecycle (A15)", () => {
  expectTransitionTable(AGREEMENT_TRANSITIONS, [
    "signed receive-notice → partly-notified",
    "partly-notified receive-notice → in-force",
    "in-force receive-termination-notice → termination-notified",
    "termination-notified terminate → terminated",
  ]);

  testEveryTransition({
    statuses: AGREEMENT_STATUSES,
    events: AGREEMENT_EVENTS,
    rules: AGREEMENT_TRANSITIONS,
    run,
  });

  it("A15.1: in force from the date the last notice is received, dated in the receiver's zone", () => {
    const ctx = (at: string) => ({ at, pack });
    const first = transitionAgreement(
      signAgreement(pack.id),
      { type: "receive-notice", from: "AM" },
      ctx("2026-01-05T08:00:00Z"),
    ).state;
    expect(refusalOf(() => assertNewTransfersAllowed(first, "2026-02-01T00:00:00Z")).code).toBe(
      "AGREEMENT_NOT_IN_FORCE",
    );
    // KZ's notice received by AM at 23:30 in Yerevan on 14 January (19:30 UTC).
    const last = transitionAgreement(
      first,
      { type: "receive-notice", from: "KZ" },
      ctx("2026-01-14T19:30:00Z"),
    ).state;
    expect(last.status).toBe("in-force");
    expect(last.inForceOn).toBe("2026-01-14");
    expect(last.inForceFrom).toBe("2026-01-13T20:00:00Z");
    expect(() => assertNewTransfersAllowed(last, "2026-01-14T19:31:00Z")).not.toThrow();
  });

  it("A15.1: the same Party cannot notify twice", () => {
    const first = agreementIn("partly-notified");
    const error = refusalOf(() =>
      transitionAgreement(
        first,
        { type: "receive-notice", from: "KZ" },
        { at: "2026-01-11T00:00:00Z", pack },
      ),
    );
    expect(error.articles).toEqual(["A15.1"]);
  });

  it("A15.2: terminates six months after the notice is received, dated in the receiver's zone", () => {
    // AM notifies; KZ receives at 00:30 on 1 April in Almaty (19:30 UTC on 31 March).
    const notified = transitionAgreement(
      agreementInForce(),
      { type: "receive-termination-notice", from: "AM" },
      { at: "2026-03-31T19:30:00Z", pack },
    ).state;
    expect(notified.termination).toEqual(TERMINATION);
    expect(() => assertNewTransfersAllowed(notified, "2026-09-30T18:59:59Z")).not.toThrow();
    expect(agreementStatusAt(notified, "2026-09-30T19:00:00Z")).toBe("terminated");
    expect(refusalOf(() => assertNewTransfersAllowed(notified, "2026-09-30T19:00:00Z")).code).toBe(
      "AGREEMENT_TERMINATED",
    );
    expect(
      refusalOf(() =>
        transitionAgreement(notified, { type: "terminate" }, { at: "2026-09-30T18:00:00Z", pack }),
      ).code,
    ).toBe("INPUT_INVALID");
    const ended = transitionAgreement(notified, { type: "terminate" }, { at: "2026-10-01T00:00:00Z", pack });
    expect(ended.articles).toEqual(["A15.2", "A15.3"]);
  });
});
