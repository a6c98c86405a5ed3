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
  checkNoticeDate,
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
// A withdrawal is tried before the termination's date, the end itself after it.
const run = (status: AgreementStatus, type: AgreementEventType) =>
  transitionAgreement(agreementIn(status), eventOf(type), {
    at: type === "withdraw-termination" ? "2026-06-01T00:00:00Z" : "2026-11-01T00:00:00Z",
    pack,
  });

describe("agreement lifecycle (A15)", () => {
  expectTransitionTable(AGREEMENT_TRANSITIONS, [
    "signed receive-notice → partly-notified",
    "partly-notified receive-notice → in-force",
    "in-force receive-termination-notice → termination-notified",
    "termination-notified terminate → terminated",
    "termination-notified withdraw-termination → in-force",
  ]);

  testEveryTransition({
    statuses: AGREEMENT_STATUSES,
    events: AGREEMENT_EVENTS,
    rules: AGREEMENT_TRANSITIONS,
    run,
    // Out-of-turn notices are refused naming their rule (A15.1, A15.2).
    forbiddenCodes: [
      "TRANSITION_FORBIDDEN",
      "AGREEMENT_NOTICE_ALREADY_GIVEN",
      "AGREEMENT_NOT_IN_FORCE",
      "AGREEMENT_TERMINATION_ALREADY_NOTIFIED",
      "AGREEMENT_TERMINATED",
      "AGREEMENT_WITHDRAWAL_NOT_ALLOWED",
    ],
  });

  it("A15.2: a termination before entry into force, a second one, and one after the end are each refused by name", () => {
    const at = { at: "2026-06-01T00:00:00Z", pack };
    const terminate = { type: "receive-termination-notice", from: "KZ" } as const;
    expect(refusalOf(() => transitionAgreement(agreementIn("partly-notified"), terminate, at)).code).toBe(
      "AGREEMENT_NOT_IN_FORCE",
    );
    const second = refusalOf(() => transitionAgreement(agreementIn("termination-notified"), terminate, at));
    expect(second.code).toBe("AGREEMENT_TERMINATION_ALREADY_NOTIFIED");
    expect(second.details).toEqual({ terminatesOn: "2026-10-01" });
    expect(second.articles).toEqual(["A15.2"]);
    const after = { at: "2026-10-02T00:00:00Z", pack };
    expect(
      refusalOf(() => transitionAgreement(agreementIn("termination-notified"), terminate, after)).code,
    ).toBe("AGREEMENT_TERMINATED");
  });

  it("A15.2: only the notifying Party withdraws its termination, before it takes effect, where the pack allows", () => {
    const notified = agreementIn("termination-notified");
    const withdraw = (from: "KZ" | "AM", at: string, p = pack) =>
      transitionAgreement(notified, { type: "withdraw-termination", from }, { at, pack: p });
    const back = withdraw("AM", "2026-09-30T18:59:59Z");
    expect(back.state.status).toBe("in-force");
    expect(back.state.termination).toBeNull();
    expect(back.state.inForceOn).toBe(notified.inForceOn);
    expect(refusalOf(() => withdraw("KZ", "2026-06-01T00:00:00Z")).code).toBe(
      "AGREEMENT_WITHDRAWAL_NOT_ALLOWED",
    );
    expect(refusalOf(() => withdraw("AM", "2026-09-30T19:00:00Z")).code).toBe(
      "AGREEMENT_WITHDRAWAL_NOT_ALLOWED",
    );
    const never = {
      ...pack,
      terminationWithdrawal: { ...pack.terminationWithdrawal, allowed: "never" as const },
    };
    expect(refusalOf(() => withdraw("AM", "2026-06-01T00:00:00Z", never)).code).toBe(
      "AGREEMENT_WITHDRAWAL_NOT_ALLOWED",
    );
  });

  it("A15.1, A15.2: a notice dated before signature, before entry into force or in the future is refused", () => {
    const inForce = agreementIn("in-force");
    const today = "2026-06-01";
    const check = (state: AgreementState, kind: Parameters<typeof checkNoticeDate>[1], datedOn: string) =>
      refusalOf(() => checkNoticeDate(state, kind, datedOn, { pack, today }));
    // The cases: a termination dated 2020 for an agreement in force since 2026, and one
    // dated three months ahead.
    const backdated = check(inForce, "termination", "2020-01-01");
    expect(backdated.code).toBe("AGREEMENT_NOTICE_BACKDATED");
    expect(backdated.details).toEqual({ datedOn: "2020-01-01", earliest: inForce.inForceOn });
    expect(backdated.articles).toEqual(["A15.2"]);
    const future = check(inForce, "termination", "2026-09-01");
    expect(future.code).toBe("AGREEMENT_NOTICE_FUTURE");
    expect(future.details).toEqual({ datedOn: "2026-09-01", today });
    // A notice of completed procedures: not before the signature (the pack's earliest date).
    const signed = pack.signature.notBefore;
    expect(check(signAgreement(pack.id), "procedures-completed", "2025-11-18").code).toBe(
      "AGREEMENT_NOTICE_BACKDATED",
    );
    expect(check(signAgreement(pack.id), "procedures-completed", "2025-11-18").articles).toEqual(["A15.1"]);
    expect(() =>
      checkNoticeDate(signAgreement(pack.id), "procedures-completed", signed, { pack, today }),
    ).not.toThrow();
    expect(() => checkNoticeDate(inForce, "termination", today, { pack, today })).not.toThrow();
    expect(check(inForce, "termination", "1 June").code).toBe("INPUT_INVALID");
    // A withdrawal bears a date no earlier than the day the termination was received, on the
    // receiver's calendar: 19:30 UTC on 31 March is already 1 April in Almaty.
    const notified = agreementIn("termination-notified");
    expect(check(notified, "termination-withdrawal", "2026-03-31").details).toEqual({
      datedOn: "2026-03-31",
      earliest: "2026-04-01",
    });
    expect(() =>
      checkNoticeDate(notified, "termination-withdrawal", "2026-04-01", { pack, today }),
    ).not.toThrow();
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
    expect(error.code).toBe("AGREEMENT_NOTICE_ALREADY_GIVEN");
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
