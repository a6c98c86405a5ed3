import { describe, expect, it } from "vitest";
import type { BreachEvent, BreachEventType, BreachStatus } from "../../src/domain/breach/breach-machine.ts";
import {
  BREACH_EVENTS,
  BREACH_STATUSES,
  BREACH_TRANSITIONS,
  breachSteps,
  isBreachNoticeOverdue,
  overdueSteps,
  reportBreach,
  transitionBreach,
} from "../../src/domain/breach/breach-machine.ts";
import { expectTransitionTable, pack, refusalOf, testEveryTransition } from "./support.ts";

const REPORTED = "2026-03-01T10:00:00Z";
const breach = reportBreach({
  id: "b-1",
  party: "KZ",
  carrierIds: ["c-1"],
  description: "lost",
  at: REPORTED,
  pack,
});
const ownOnly = reportBreach({ ...breach, at: REPORTED, pack, needsNotice: false });
const eventOf = (type: BreachEventType): BreachEvent =>
  type === "report-results"
    ? { type, results: "no disclosure" }
    : type === "settle"
      ? { type, damageAssessment: "none", settlement: "nothing owed" }
      : ({ type } as BreachEvent);
const run = (status: BreachStatus, type: BreachEventType) =>
  // From `reported`, the investigation starts without a notice only when none is owed.
  transitionBreach({ ...(type === "start-investigation" ? ownOnly : breach), status }, eventOf(type), {
    at: "2026-03-01T12:00:00Z",
    pack,
  });

describe("breach machine (A11)", () => {
  expectTransitionTable(BREACH_TRANSITIONS, [
    "reported notify → notified",
    "reported start-investigation → investigating",
    "notified start-investigation → investigating",
    "investigating report-results → results-reported",
    "results-reported settle → closed",
  ]);

  testEveryTransition({ statuses: BREACH_STATUSES, events: BREACH_EVENTS, rules: BREACH_TRANSITIONS, run });

  it("A11.1: the notice target is the pack's policy (PT24H), and a late notice is recorded as late", () => {
    expect(breach.noticeDueAt).toBe("2026-03-02T10:00:00Z");
    expect(isBreachNoticeOverdue(breach, "2026-03-02T09:59:59Z")).toBe(false);
    expect(isBreachNoticeOverdue(breach, "2026-03-02T10:00:00Z")).toBe(true);
    expect(
      transitionBreach(breach, { type: "notify" }, { at: "2026-03-02T09:00:00Z" }).state.notifiedLate,
    ).toBe(false);
    expect(
      transitionBreach(breach, { type: "notify" }, { at: "2026-03-03T09:00:00Z" }).state.notifiedLate,
    ).toBe(true);
  });

  it("A11.1: a case involving the other Party's information does not go on without its notice", () => {
    const error = refusalOf(() =>
      transitionBreach(breach, { type: "start-investigation" }, { at: REPORTED, pack }),
    );
    expect(error.code).toBe("BREACH_NOTICE_OWED");
    expect(error.articles).toEqual(["A11.1"]);
  });

  it("A11.1: a case with only the own Party's information owes no notice and goes straight to investigation", () => {
    expect(ownOnly.noticeDueAt).toBeNull();
    expect(breachSteps(ownOnly, REPORTED).map((s) => s.step)).toEqual([
      "investigation",
      "results",
      "settlement",
    ]);
    expect(
      transitionBreach(ownOnly, { type: "start-investigation" }, { at: REPORTED, pack }).state.status,
    ).toBe("investigating");
  });

  it("A11.1, A11.2: each step's target follows from the one before (policy), and a step is overdue only at its target", () => {
    expect(breach.investigationDueAt).toBe("2026-03-04T10:00:00Z");
    expect(overdueSteps(breach, "2026-03-02T09:59:59Z")).toEqual([]);
    expect(overdueSteps(breach, "2026-03-02T10:00:00Z")).toEqual([
      { step: "notice", dueAt: "2026-03-02T10:00:00Z" },
    ]);
    const notified = transitionBreach(breach, { type: "notify" }, { at: REPORTED, pack }).state;
    const delivered = { ...notified, noticeDeliveredAt: "2026-03-01T10:05:00Z" };
    expect(overdueSteps(delivered, "2026-03-04T09:59:59Z")).toEqual([]);
    expect(overdueSteps(delivered, "2026-03-04T10:00:00Z")).toEqual([
      { step: "investigation", dueAt: "2026-03-04T10:00:00Z" },
    ]);
    const started = transitionBreach(
      delivered,
      { type: "start-investigation" },
      { at: "2026-03-02T10:00:00Z", pack },
    );
    expect(started.state.resultsDueAt).toBe("2026-04-01T10:00:00Z");
    expect(overdueSteps(started.state, "2026-04-01T09:59:59Z")).toEqual([]);
    expect(overdueSteps(started.state, "2026-04-01T10:00:00Z").map((s) => s.step)).toEqual(["results"]);
    const results = transitionBreach(
      started.state,
      { type: "report-results", results: "seal tampered in transit, no disclosure" },
      { at: "2026-03-20T10:00:00Z", pack },
    );
    expect(results.articles).toEqual(["A11.1"]);
    expect(results.state.damageDueAt).toBe("2026-06-18T10:00:00Z");
    expect(overdueSteps(results.state, "2026-06-18T10:00:00Z").map((s) => s.step)).toEqual(["settlement"]);
    const closed = transitionBreach(
      results.state,
      { type: "settle", damageAssessment: "no damage", settlement: "none owed" },
      { at: "2026-06-19T10:00:00Z", pack },
    );
    expect(closed.articles).toEqual(["A11.2"]);
    expect(closed.state.closedAt).toBe("2026-06-19T10:00:00Z");
    expect(overdueSteps(closed.state, "2027-01-01T00:00:00Z")).toEqual([]);
  });

  it("A11.2: the damage assessment and the settlement are both recorded to close", () => {
    const at = "2026-03-02T10:00:00Z";
    const state = { ...breach, status: "results-reported" as const };
    expect(
      refusalOf(() =>
        transitionBreach(state, { type: "settle", damageAssessment: " ", settlement: "x" }, { at }),
      ).code,
    ).toBe("INPUT_INVALID");
  });
});
