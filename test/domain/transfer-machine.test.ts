import { describe, expect, it } from "vitest";
import { registerCarrier } from "../../src/domain/carrier/carrier-machine.ts";
import type { ContractState } from "../../src/domain/contract/contract-machine.ts";
import { CONTRACT_CLAUSES, draftContract } from "../../src/domain/contract/contract-machine.ts";
import type {
  TransferEvent,
  TransferEventType,
  TransferState,
  TransferStatus,
} from "../../src/domain/transfer/transfer-machine.ts";
import {
  requestTransfer,
  TRANSFER_EVENTS,
  TRANSFER_STATUSES,
  TRANSFER_TRANSITIONS,
  transitionTransfer,
} from "../../src/domain/transfer/transfer-machine.ts";
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
const contract: ContractState = {
  ...draftContract({
    id: "k-1",
    bodies: ["kz-body", "am-body"],
    clauses: CONTRACT_CLAUSES,
    informationList: [
      { title: "drawings", level: 1 },
      { title: "test results", level: 2 },
    ],
  }),
  status: "active",
};
const carrier = registerCarrier({ id: "kz-1", level: 2, party: "KZ", body: "kz-body", at: AT, pack });
const FACILITY = { level: 2, validFrom: "2025-01-01T00:00:00Z", validUntil: "2030-01-01T00:00:00Z" };

function request(overrides: Partial<Parameters<typeof requestTransfer>[0]> = {}): TransferState {
  return requestTransfer({
    id: "t-1",
    contract,
    fromParty: "KZ",
    fromBody: "kz-body",
    toParty: "AM",
    toBody: "am-body",
    carriers: [carrier],
    at: AT,
    pack,
    agreement,
    ...overrides,
  });
}

function transferIn(status: TransferStatus): TransferState {
  return { ...request(), status, facility: { ...FACILITY, confirmedAt: AT } };
}

function eventOf(type: TransferEventType): TransferEvent {
  switch (type) {
    case "consent":
      return { type, consent: grantedConsent("transfer", "t-1") };
    case "refuse":
      return { type, by: "kz-nsc", reason: "not now" };
    case "confirm-facility":
      return { type, ...FACILITY };
    case "dispatch":
      return { type, channel: "agreed-electronic" };
    case "receive":
      return { type, by: "am-body" };
    default:
      return { type } as TransferEvent;
  }
}

const run = (status: TransferStatus, type: TransferEventType) =>
  transitionTransfer(transferIn(status), eventOf(type), { at: AT, pack, agreement });

describe("transfer machine (A5)", () => {
  expectTransitionTable(TRANSFER_TRANSITIONS, [
    "requested consent → consented",
    "requested refuse → refused",
    "requested cancel → cancelled",
    "consented confirm-facility → confirmed",
    "consented refuse → refused",
    "consented cancel → cancelled",
    "confirmed dispatch → dispatched",
    "confirmed cancel → cancelled",
    "dispatched receive → received",
    "received acknowledge → acknowledged",
  ]);

  testEveryTransition({
    statuses: TRANSFER_STATUSES,
    events: TRANSFER_EVENTS,
    rules: TRANSFER_TRANSITIONS,
    run,
    forbiddenCodes: ["TRANSITION_FORBIDDEN", "TRANSFER_CONSENT_MISSING", "TRANSFER_FACILITY_NOT_CONFIRMED"],
  });

  it("A5.2: refuses to dispatch before the own competent authority's written consent", () => {
    expect(refusalOf(() => run("requested", "dispatch")).code).toBe("TRANSFER_CONSENT_MISSING");
  });

  it("A5.3: refuses to dispatch before the other Party confirmed the receiving body's facility clearance", () => {
    const error = refusalOf(() => run("consented", "dispatch"));
    expect(error.code).toBe("TRANSFER_FACILITY_NOT_CONFIRMED");
    expect(error.articles).toEqual(["A5.2", "A5.3"]);
  });

  it("A5.3: refuses a facility confirmation below the carriers' level or expired", () => {
    for (const facility of [
      { ...FACILITY, level: 1 },
      { ...FACILITY, validUntil: "2026-01-01T00:00:00Z" },
    ]) {
      const error = refusalOf(() =>
        transitionTransfer(
          transferIn("consented"),
          { type: "confirm-facility", ...facility },
          { at: AT, pack, agreement },
        ),
      );
      expect(error.code).toBe("TRANSFER_FACILITY_TOO_LOW");
    }
  });

  it("A5.6: refuses a channel the agreement does not name", () => {
    const error = refusalOf(() =>
      transitionTransfer(
        transferIn("confirmed"),
        { type: "dispatch", channel: "email" },
        { at: AT, pack, agreement },
      ),
    );
    expect(error.code).toBe("TRANSFER_CHANNEL_UNKNOWN");
  });

  it("A5.2: a consent for another transfer does not count", () => {
    const error = refusalOf(() =>
      transitionTransfer(
        transferIn("requested"),
        { type: "consent", consent: grantedConsent("transfer", "t-2") },
        { at: AT, pack, agreement },
      ),
    );
    expect(error.code).toBe("CONSENT_INVALID");
  });

  it("A15.2, A15.3: after the agreement ended, no consent to a transfer that has not left", () => {
    const ended = {
      ...agreement,
      status: "termination-notified" as const,
      termination: {
        notifiedBy: "AM" as const,
        receivedAt: "2026-03-31T19:30:00Z",
        terminatesOn: "2026-10-01",
        terminatesAt: "2026-09-30T19:00:00Z",
      },
    };
    const consent = { type: "consent" as const, consent: grantedConsent("transfer", "t-1") };
    const atEnd = { at: "2026-09-30T19:00:00Z", pack, agreement: ended };
    expect(refusalOf(() => transitionTransfer(transferIn("requested"), consent, atEnd)).code).toBe(
      "AGREEMENT_TERMINATED",
    );
    const before = { ...atEnd, at: "2026-09-30T18:59:59Z" };
    expect(transitionTransfer(transferIn("requested"), consent, before).state.status).toBe("consented");
  });

  it("A5.1: refuses a transfer without an active contract between the two bodies", () => {
    expect(refusalOf(() => request({ contract: { ...contract, status: "draft" } })).code).toBe(
      "TRANSFER_CONTRACT_REQUIRED",
    );
    expect(refusalOf(() => request({ toBody: "am-other" })).code).toBe("TRANSFER_CONTRACT_REQUIRED");
  });

  it("A7.1: refuses a carrier whose level the contract's information list does not cover", () => {
    const top = registerCarrier({ id: "kz-3", level: 3, party: "KZ", body: "kz-body", at: AT, pack });
    expect(refusalOf(() => request({ carriers: [top] })).code).toBe("TRANSFER_LEVEL_NOT_IN_CONTRACT");
  });

  it("A15.1: refuses a transfer before the agreement is in force", () => {
    const signed = { ...agreement, status: "signed" as const, inForceFrom: null, inForceOn: null };
    expect(refusalOf(() => request({ agreement: signed })).code).toBe("AGREEMENT_NOT_IN_FORCE");
  });

  it("A5.6: only the named receiving body takes the carriers in", () => {
    const error = refusalOf(() =>
      transitionTransfer(
        transferIn("dispatched"),
        { type: "receive", by: "am-other" },
        { at: AT, pack, agreement },
      ),
    );
    expect(error.code).toBe("MESSAGE_MISADDRESSED");
  });

  it("A5: walks the whole flow to the receipt notice", () => {
    let state = request();
    for (const type of ["consent", "confirm-facility", "dispatch", "receive", "acknowledge"] as const) {
      state = transitionTransfer(state, eventOf(type), { at: AT, pack, agreement }).state;
    }
    expect(state.status).toBe("acknowledged");
    expect(state.channel).toBe("agreed-electronic");
    expect(state.consentId).toBe("consent-transfer-t-1");
  });
});
