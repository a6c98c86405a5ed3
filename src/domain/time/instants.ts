/**
 * Time in the domain. State data holds instants as ISO-8601 UTC strings (`2026-03-01T09:30:00Z`)
 * and calendar dates as ISO dates (`2026-03-01`), so that it stays plain JSON; Temporal objects
 * are used inside functions only. The current time is always passed in (`at`), never read.
 */
import { Temporal } from "temporal-polyfill";
import { DomainError } from "../errors.ts";

/** An instant as an ISO-8601 string in UTC (`…Z`). */
export type InstantString = string;
/** A calendar date as `YYYY-MM-DD`. */
export type DateString = string;

/**
 * Parses an instant (any ISO-8601 instant with offset) for computation.
 * @throws DomainError INPUT_INVALID naming `field`
 */
export function parseInstant(value: string, field = "at"): Temporal.Instant {
  try {
    return Temporal.Instant.from(value);
  } catch {
    throw new DomainError("INPUT_INVALID", { field, problem: `"${value}" is not an ISO-8601 instant` });
  }
}

/** Normalises an instant to its canonical UTC string. @throws DomainError INPUT_INVALID */
export function normalizeInstant(value: string, field = "at"): InstantString {
  return parseInstant(value, field).toString();
}

/**
 * Parses a calendar date `YYYY-MM-DD`.
 * @throws DomainError INPUT_INVALID naming `field`
 */
export function parseDate(value: string, field = "date"): Temporal.PlainDate {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new DomainError("INPUT_INVALID", { field, problem: `"${value}" is not a YYYY-MM-DD date` });
  }
  try {
    return Temporal.PlainDate.from(value, { overflow: "reject" });
  } catch {
    throw new DomainError("INPUT_INVALID", { field, problem: `"${value}" is not a calendar date` });
  }
}

/** -1, 0 or 1 as instant `a` is before, equal to or after `b`. @throws DomainError INPUT_INVALID */
export function compareInstants(a: string, b: string): number {
  const x = epochNanoseconds(a);
  const y = epochNanoseconds(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// Every access decision compares the time with each clearance's window (a registration made 16
// such parses, ≈ 10 µs each): each distinct string is parsed once. Bounded; a pure function's
// memo, so the domain stays deterministic.
const EPOCH_NANOSECONDS = new Map<string, bigint>();
const MEMO_LIMIT = 4096;

function epochNanoseconds(value: string): bigint {
  let ns = EPOCH_NANOSECONDS.get(value);
  if (ns === undefined) {
    ns = parseInstant(value).epochNanoseconds;
    if (EPOCH_NANOSECONDS.size >= MEMO_LIMIT) EPOCH_NANOSECONDS.clear();
    EPOCH_NANOSECONDS.set(value, ns);
  }
  return ns;
}

/** True when `validFrom <= at < validUntil` (a validity window, end exclusive). */
export function isWithin(at: string, validFrom: string, validUntil: string): boolean {
  return compareInstants(validFrom, at) <= 0 && compareInstants(at, validUntil) < 0;
}

/** The calendar date of `instant` in `timeZone` (e.g. a receipt counted in the receiver's zone). */
export function dateInZone(instant: string, timeZone: string): DateString {
  return parseInstant(instant).toZonedDateTimeISO(timeZone).toPlainDate().toString();
}

/** The instant at which `date` begins in `timeZone`. */
export function startOfDate(date: DateString, timeZone: string): InstantString {
  return parseDate(date).toZonedDateTime({ timeZone }).toInstant().toString();
}
