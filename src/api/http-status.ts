import { ERROR_CATALOGUE, ERROR_CODES, type ErrorCode, type ErrorKind } from "../domain/errors.ts";

/** The HTTP status of each kind of error; `Record<ErrorKind, …>` so that a new kind cannot go unmapped. */
const STATUS_BY_KIND: Record<ErrorKind, number> = {
  refusal: 403,
  "not-found": 404,
  conflict: 409,
  invalid: 400,
  unauthenticated: 401,
  integrity: 422,
  configuration: 500,
  unavailable: 503,
};

/** Codes whose status differs from their kind's. */
const STATUS_OVERRIDES: Partial<Record<ErrorCode, number>> = {
  AUTH_LOCKED: 429,
  TRANSITION_FORBIDDEN: 409,
};

/**
 * Every error code → its one HTTP status. Built over the whole catalogue, so no code goes
 * unmapped: a code added to the catalogue gets its kind's status until it is given its own.
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.fromEntries(
  ERROR_CODES.map((code) => [code, STATUS_OVERRIDES[code] ?? STATUS_BY_KIND[ERROR_CATALOGUE[code].kind]]),
) as Record<ErrorCode, number>;

/** True for the refusals of the access decision (A4.2): to a user they must look like "not found". */
export function isAccessRefusal(code: ErrorCode): boolean {
  return code.startsWith("ACCESS_");
}
