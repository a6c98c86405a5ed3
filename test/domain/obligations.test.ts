// A4.4: the obligations condition of the one access rule, table-driven over the kinds of viewer and
// the carrier's life: before the person acknowledged the current text of their obligations they
// learn nothing of any carrier (no record, no content); afterwards the rule is what it was.
import { describe, expect, it } from "vitest";
import { type AccessRequest, decideAccess } from "../../src/domain/access/access-decision.ts";
import { currentAcknowledgement, currentObligations } from "../../src/domain/access/obligations.ts";
import { decideVisibility, type Viewer } from "../../src/domain/access/visibility.ts";
import type { CarrierStatus } from "../../src/domain/carrier/carrier-machine.ts";
import { AT, pack } from "./support.ts";

const VALID = { level: 3, validFrom: "2026-01-01T00:00:00Z", validUntil: "2027-01-01T00:00:00Z" };

function request(
  status: CarrierStatus,
  viewer: Viewer,
  obligationsAcknowledged: boolean,
): AccessRequest & { viewer: Viewer; registryOf: string } {
  return {
    at: AT,
    person: { id: "p-1", bodyId: "b-1", clearance: VALID, obligationsAcknowledged },
    body: { id: "b-1", facilityClearance: VALID },
    carrier: { id: "c-1", level: 2, status, custodian: "b-1", grantedPersons: ["p-1"] },
    contractParticipants: [],
    viewer,
    registryOf: "b-1",
  };
}

const READER: Viewer = { keepsRegistry: false, overseesRegistry: false };
const KEEPER: Viewer = { keepsRegistry: true, overseesRegistry: false };
const OVERSEER: Viewer = { keepsRegistry: false, overseesRegistry: true };

// [who, carrier status, record once acknowledged, content once acknowledged]
const CASES: readonly [string, Viewer, CarrierStatus, boolean, boolean][] = [
  ["a cleared user with need-to-know", READER, "registered", true, true],
  ["a cleared user with need-to-know", READER, "received", true, true],
  ["a cleared user of the holding body", READER, "declassified", true, true],
  ["the registry officer keeping it", KEEPER, "registered", true, true],
  ["the registry officer keeping it", KEEPER, "destroyed", true, false],
  ["an overseer of the Party's registry", OVERSEER, "transferred", true, false],
];

describe("A4.4: the obligations come before any access", () => {
  it.each(CASES)(
    "%s, carrier %s: nothing before the acknowledgement; afterwards record %s, content %s",
    (_who, viewer, status, record, content) => {
      const before = decideVisibility(request(status, viewer, false));
      expect(before.record).toBe(false);
      expect(before.content.allowed).toBe(false);
      if (!before.content.allowed) {
        expect(before.content.failures[0]).toEqual({
          code: "OBLIGATIONS_NOT_ACKNOWLEDGED",
          articles: ["A4.4"],
        });
        expect(before.articles).toContain("A4.4");
      }
      const after = decideVisibility(request(status, viewer, true));
      expect(after.record).toBe(record);
      expect(after.content.allowed).toBe(content);
      if (!after.content.allowed)
        expect(after.content.failures.map((f) => f.code)).not.toContain("OBLIGATIONS_NOT_ACKNOWLEDGED");
    },
  );

  it("lists the missing acknowledgement beside the other failed conditions", () => {
    const decision = decideAccess({
      ...request("destroyed", READER, false),
      person: { id: "p-1", bodyId: "b-1", clearance: null, obligationsAcknowledged: false },
    });
    expect(decision.allowed).toBe(false);
    if (!decision.allowed)
      expect(decision.failures.map((f) => f.code)).toEqual([
        "OBLIGATIONS_NOT_ACKNOWLEDGED",
        "ACCESS_CLEARANCE_MISSING",
        "ACCESS_CARRIER_DESTROYED",
      ]);
  });

  it("counts only an acknowledgement of the current version of the person's own Party's text", () => {
    const kz = currentObligations(pack, "KZ");
    const am = currentObligations(pack, "AM");
    const at = "2026-03-01T08:00:00.000Z";
    expect(currentAcknowledgement(pack, "KZ", [])).toBeNull();
    expect(
      currentAcknowledgement(pack, "KZ", [
        { party: "KZ", version: "KZ-2024-0", acknowledgedAt: at, language: "kk" },
      ]),
    ).toBeNull();
    expect(
      currentAcknowledgement(pack, "KZ", [
        { party: "AM", version: am.version, acknowledgedAt: at, language: "hy" },
      ]),
    ).toBeNull();
    const own = { party: "KZ", version: kz.version, acknowledgedAt: at, language: "ru" };
    expect(currentAcknowledgement(pack, "KZ", [own])).toEqual(own);
    expect(() => currentObligations(pack, "XX")).toThrow(expect.objectContaining({ code: "PARTY_UNKNOWN" }));
  });
});
