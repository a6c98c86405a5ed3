import { describe, expect, it } from "vitest";
import type { BreachEvent, BreachEventType, BreachStatus } from "../../src/domain/breach/breach-machine.ts";
import {
  BREACH_EVENTS,
  BREACH_STATUSES,
  BREACH_TRANSITIONS,
  isBreachNoticeOverdue,
  reportBreach,
  transitionBreach,
} from "../../src/domain/breach/breach-machine.ts";
import { expectTransitionTable, pack, testEveryTransition } from "./support.ts";

const REPORTED = "2026-03-01T10:00:00Z";
const breach = reportBreach({
  id: "b-1",
  party: "KZ",
  carrierIds: ["c-1"],
  description: "lost",
  at: REPORTED,
  pack,
});
const eventOf = (type: BreachEventType): BreachEvent =>
  type === "report-results" ? { type, results: "no disclosure" } : ({ type } as BreachEvent);
const run = (status: BreachStatus, type: BreachEventType) =>
  transitionBreach({ ...breach, status }, eventOf(type), { at: "2026-03-01T12:00:00Z" });

describe("breach machine (A11)", () => {
  expectTransitionTable(BREACH_TRANSITIONS, [
    "reported notify → notified",
    "notified start-investigation → investigating",
    "investigating report-results → results-reported",
    "results-reported close → closed",
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
});
