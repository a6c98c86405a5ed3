/**
 * Deadlines of the agreement on calendar dates, counted in a Party's own time zone
 * (Asia/Almaty, Asia/Yerevan). Months are calendar months; a day that does not exist in the
 * target month is clamped to the month's last day (31 March − 1 month = 28/29 February;
 * 31 August + 6 months = 28/29 February).
 */
import { Temporal } from "temporal-polyfill";
import { DomainError } from "../errors.ts";
import type { DateString, InstantString } from "./instants.ts";
import { compareInstants, dateInZone, parseDate, parseInstant, startOfDate } from "./instants.ts";

function parseDuration(value: string, field: string): Temporal.Duration {
  try {
    return Temporal.Duration.from(value);
  } catch {
    throw new DomainError("INPUT_INVALID", { field, problem: `"${value}" is not an ISO 8601 duration` });
  }
}

/**
 * A9.2: the last calendar date on which the host may receive a visit request for a visit
 * starting on `visitStart`: `lead` (P1M) before it.
 */
export function latestVisitRequestDate(visitStart: DateString, lead: string): DateString {
  return parseDate(visitStart, "visitStart")
    .subtract(parseDuration(lead, "lead"), { overflow: "constrain" })
    .toString();
}

/**
 * A9.2: whether a request received at instant `receivedAt` by the host (whose zone is
 * `hostTimeZone`) is at least `lead` before the visit starting on `visitStart`. The receipt is
 * dated in the host's zone: a request sent late in the evening in Yerevan may arrive on the next
 * day in Almaty.
 */
export function isVisitRequestInTime(
  receivedAt: InstantString,
  hostTimeZone: string,
  visitStart: DateString,
  lead: string,
): boolean {
  const received = parseDate(dateInZone(receivedAt, hostTimeZone));
  const latest = parseDate(latestVisitRequestDate(visitStart, lead));
  return Temporal.PlainDate.compare(received, latest) <= 0;
}

/**
 * A15.2: the date the agreement ends: `period` (P6M) after the date on which the termination
 * notice was received, dated in the receiving Party's zone.
 */
export function terminationDate(
  noticeReceivedAt: InstantString,
  receiverTimeZone: string,
  period: string,
): DateString {
  return parseDate(dateInZone(noticeReceivedAt, receiverTimeZone))
    .add(parseDuration(period, "period"), { overflow: "constrain" })
    .toString();
}

/** A15.2: the instant the agreement ends (start of {@link terminationDate} in the receiver's zone). */
export function terminationInstant(
  noticeReceivedAt: InstantString,
  receiverTimeZone: string,
  period: string,
): InstantString {
  return startOfDate(terminationDate(noticeReceivedAt, receiverTimeZone, period), receiverTimeZone);
}

/**
 * A11.1 (policy): the instant by which a breach reported at `reportedAt` should be notified to
 * the other Party. The treaty says "at once"; `target` (PT24H by default in the pack) is policy.
 */
export function breachNoticeDueAt(reportedAt: InstantString, target: string): InstantString {
  const duration = parseDuration(target, "target");
  // Calendar units need a zone; a time target is exact.
  return parseInstant(reportedAt, "reportedAt")
    .toZonedDateTimeISO("UTC")
    .add(duration)
    .toInstant()
    .toString();
}

/** True when `at` is at or after `deadline`. */
export function isPast(at: InstantString, deadline: InstantString): boolean {
  return compareInstants(at, deadline) >= 0;
}
