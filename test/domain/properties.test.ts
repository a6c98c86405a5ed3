// Property tests (fast-check) of the rules that must hold whatever the inputs.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { AccessRequest, Clearance } from "../../src/domain/access/access-decision.ts";
import { decideAccess } from "../../src/domain/access/access-decision.ts";
import {
  CARRIER_STATUSES,
  createDerived,
  registerCarrier,
} from "../../src/domain/carrier/carrier-machine.ts";
import { equivalentMarking, levelOfMarking, markingOf } from "../../src/domain/classification/levels.ts";
import { levelForDerived } from "../../src/domain/classification/marking.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { AT, pack } from "./support.ts";

const RANKS = pack.levels.map((l) => l.rank);
const rank = fc.constantFrom(...RANKS);
const BASE = Date.parse("2020-01-01T00:00:00Z");
const instant = fc
  .integer({ min: 0, max: 20 * 365 * 24 * 3600 })
  .map((s) => new Date(BASE + s * 1000).toISOString());
const clearance: fc.Arbitrary<Clearance> = fc
  .record({ level: rank, window: fc.tuple(instant, instant) })
  .map(({ level, window }) => {
    const [validFrom, validUntil] = [...window].sort();
    return { level, validFrom: validFrom!, validUntil: validUntil! };
  });
const people = fc.constantFrom("p-1", "p-2", "p-3");
const bodies = fc.constantFrom("b-1", "b-2");

const request: fc.Arbitrary<AccessRequest> = fc.record({
  at: instant,
  person: fc.record({
    id: people,
    bodyId: bodies,
    clearance: fc.option(clearance, { nil: null }),
    obligationsAcknowledged: fc.boolean(),
  }),
  body: fc.record({ id: bodies, facilityClearance: fc.option(clearance, { nil: null }) }),
  carrier: fc.record({
    id: fc.constant("c-1"),
    level: rank,
    status: fc.constantFrom(...CARRIER_STATUSES),
    custodian: fc.option(bodies, { nil: null }),
    grantedPersons: fc.subarray(["p-1", "p-2", "p-3"]),
  }),
  contractParticipants: fc.subarray(["p-1", "p-2", "p-3"]),
});

const within = (at: string, c: Clearance) => c.validFrom <= at && at < c.validUntil;

describe("properties of the agreement's rules", () => {
  it("A4.2: no read-up — a clearance below the carrier's level is always refused, whatever else holds (until declassified, A1.7)", () => {
    fc.assert(
      fc.property(request, (r) => {
        fc.pre(r.carrier.status !== "declassified");
        fc.pre(r.person.clearance !== null && r.person.clearance.level < r.carrier.level);
        const decision = decideAccess(r);
        expect(decision.allowed).toBe(false);
        if (!decision.allowed)
          expect(decision.failures.map((f) => f.code)).toContain("ACCESS_CLEARANCE_TOO_LOW");
      }),
      { numRuns: 500 },
    );
  });

  it("A1.11: an expired (or not yet valid) clearance never grants access to a classified carrier", () => {
    fc.assert(
      fc.property(request, (r) => {
        fc.pre(r.carrier.status !== "declassified");
        fc.pre(r.person.clearance !== null && !within(r.at, r.person.clearance));
        const decision = decideAccess(r);
        expect(decision.allowed).toBe(false);
        if (!decision.allowed)
          expect(decision.failures.map((f) => f.code)).toContain("ACCESS_CLEARANCE_EXPIRED");
      }),
      { numRuns: 500 },
    );
  });

  it("A4.2, A1.11, A1.12, A1.7, A4.4: access is granted exactly when every condition holds (a declassified carrier: custody and the obligations alone), and each failure cites its article", () => {
    fc.assert(
      fc.property(request, (r) => {
        const c = r.person.clearance;
        const f = r.body.id === r.person.bodyId ? r.body.facilityClearance : null;
        const declassified = r.carrier.status === "declassified";
        const expected =
          r.person.obligationsAcknowledged &&
          (declassified
            ? r.carrier.custodian === r.person.bodyId
            : c !== null &&
              c.level >= r.carrier.level &&
              within(r.at, c) &&
              f !== null &&
              f.level >= r.carrier.level &&
              within(r.at, f) &&
              (r.contractParticipants.includes(r.person.id) ||
                r.carrier.grantedPersons.includes(r.person.id)) &&
              (r.carrier.status === "registered" || r.carrier.status === "received") &&
              r.carrier.custodian === r.person.bodyId);
        const decision = decideAccess(r);
        expect(decision.allowed).toBe(expected);
        if (!decision.allowed) {
          expect(decision.failures.length).toBeGreaterThan(0);
          for (const failure of decision.failures) expect(failure.articles.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("A6.1: derived information is never marked lower than any of its sources", () => {
    fc.assert(
      fc.property(
        fc.array(rank, { minLength: 1, maxLength: 6 }),
        fc.option(rank, { nil: undefined }),
        (sources, asked) => {
          let level: number;
          try {
            level = levelForDerived(sources, asked);
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError);
            expect((error as DomainError).code).toBe("MARKING_BELOW_SOURCE");
            expect(asked).toBeLessThan(Math.max(...sources));
            return;
          }
          for (const s of sources) expect(level).toBeGreaterThanOrEqual(s);
          const carriers = sources.map((l, i) =>
            registerCarrier({ id: `s-${i}`, level: l, party: i % 2 ? "AM" : "KZ", body: "b", at: AT, pack }),
          );
          const derived = createDerived({
            id: "d",
            sources: carriers,
            level: asked,
            party: "KZ",
            body: "b",
            at: AT,
            pack,
          });
          for (const s of sources) expect(derived.level).toBeGreaterThanOrEqual(s);
        },
      ),
    );
  });

  it("A2.1: equivalence KZ→AM→KZ and AM→KZ→AM is the identity for every level", () => {
    fc.assert(
      fc.property(rank, fc.constantFrom<[string, string]>(["KZ", "AM"], ["AM", "KZ"]), (r, [from, to]) => {
        const marking = markingOf(pack, from, r);
        const there = equivalentMarking(pack, from, to, marking);
        expect(levelOfMarking(pack, to, there).rank).toBe(r);
        expect(equivalentMarking(pack, to, from, there)).toBe(marking);
      }),
    );
  });

  it("A2.1: any text that is not a marking of the Party is refused, never defaulted", () => {
    const known = new Set(pack.levels.flatMap((l) => Object.values(l.markings)));
    fc.assert(
      fc.property(fc.string(), fc.constantFrom("KZ", "AM"), (text, party) => {
        fc.pre(!known.has(text.normalize("NFC").trim()));
        expect(() => levelOfMarking(pack, party, text)).toThrow(
          expect.objectContaining({ code: "MARKING_UNKNOWN", articles: ["A2.1"] }),
        );
      }),
    );
  });
});
