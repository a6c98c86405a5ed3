import { describe, expect, it } from "vitest";
import {
  breachNoticeDueAt,
  isVisitRequestInTime,
  latestVisitRequestDate,
  terminationDate,
  terminationInstant,
} from "./deadlines.ts";

describe("deadlines on calendar dates (A9.2, A15.2, A11.1)", () => {
  it.each([
    ["2026-03-01", "2026-02-01"],
    ["2026-03-31", "2026-02-28"],
    ["2024-03-31", "2024-02-29"],
    ["2026-03-29", "2026-02-28"],
    ["2026-05-31", "2026-04-30"],
    ["2026-07-31", "2026-06-30"],
    ["2026-01-31", "2025-12-31"],
    ["2026-12-31", "2026-11-30"],
  ])("A9.2: a visit on %s needs the request by %s", (visit, latest) => {
    expect(latestVisitRequestDate(visit, "P1M")).toBe(latest);
  });

  it.each([
    ["2025-08-31T06:00:00Z", "Asia/Almaty", "2026-02-28"],
    ["2023-08-31T06:00:00Z", "Asia/Almaty", "2024-02-29"],
    ["2026-01-31T06:00:00Z", "Asia/Yerevan", "2026-07-31"],
    ["2026-03-31T06:00:00Z", "Asia/Yerevan", "2026-09-30"],
    ["2026-02-28T06:00:00Z", "Asia/Almaty", "2026-08-28"],
    // 19:30 UTC on 31 March is already 1 April in Almaty (UTC+5) but still 31 March in Yerevan (UTC+4).
    ["2026-03-31T19:30:00Z", "Asia/Almaty", "2026-10-01"],
    ["2026-03-31T19:30:00Z", "Asia/Yerevan", "2026-09-30"],
  ])("A15.2: a termination notice received at %s (%s) ends the agreement on %s", (received, zone, end) => {
    expect(terminationDate(received, zone, "P6M")).toBe(end);
  });

  it("A15.2: the agreement ends at the start of that date in the receiver's zone", () => {
    expect(terminationInstant("2026-03-31T19:30:00Z", "Asia/Almaty", "P6M")).toBe("2026-09-30T19:00:00Z");
  });

  it("A9.2: the receipt is dated in the host's zone", () => {
    const lateEveningYerevan = "2026-02-28T19:30:00Z";
    expect(isVisitRequestInTime(lateEveningYerevan, "Asia/Yerevan", "2026-03-31", "P1M")).toBe(true);
    expect(isVisitRequestInTime(lateEveningYerevan, "Asia/Almaty", "2026-03-31", "P1M")).toBe(false);
  });

  // The reading of "one month before" is argued in agreements/kz-am-2025/NOTES.md: counted back from
  // the visit's first day, month ends constrained, the receipt dated in the host's zone.
  it.each([
    ["2027-03-31", "2027-03-02", false],
    ["2027-03-28", "2027-02-28", true],
    ["2028-03-31", "2028-02-29", true],
    ["2028-03-31", "2028-03-01", false],
    ["2027-04-30", "2027-03-31", false],
    ["2027-04-30", "2027-03-30", true],
  ])("A9.2: a visit on %s requested on %s (host's date) is in time: %s", (visit, requested, inTime) => {
    for (const zone of ["Asia/Almaty", "Asia/Yerevan"]) {
      // Noon on the request date in the host's zone, and the last and first minutes of that day.
      const offset = zone === "Asia/Almaty" ? 5 : 4;
      const noon = new Date(`${requested}T12:00:00Z`).getTime() - offset * 3_600_000;
      for (const at of [noon - 12 * 3_600_000 + 60_000, noon, noon + 12 * 3_600_000 - 60_000])
        expect(isVisitRequestInTime(new Date(at).toISOString(), zone, visit, "P1M")).toBe(inTime);
    }
  });

  it("A11.1: the breach notice target is an exact duration after the report", () => {
    expect(breachNoticeDueAt("2026-03-28T22:00:00Z", "PT24H")).toBe("2026-03-29T22:00:00Z");
  });

  it("refuses a malformed date or duration", () => {
    expect(() => latestVisitRequestDate("2026-02-30", "P1M")).toThrow(/not a calendar date/);
    expect(() => latestVisitRequestDate("2026-03-01", "one month")).toThrow(/ISO 8601 duration/);
  });
});
