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
  // A2.1, A3.1: a marking, level or Party the agreement does not know is a request naming nothing
  // (no level is ever assumed): bad input, not a rule forbidding what was asked. They stay refusals
  // for the CLI's exit code and the audit log.
  MARKING_UNKNOWN: 400,
  LEVEL_UNKNOWN: 400,
  PARTY_UNKNOWN: 400,
  CONTRACT_ITEM_LEVEL_UNKNOWN: 400,
  // A9.2: a visit request lacking an item is a form to complete (the answer names the items).
  VISIT_REQUEST_INCOMPLETE: 400,
};

/**
 * Every error code → its one HTTP status. Built over the whole catalogue, so no code goes
 * unmapped: a code added to the catalogue gets its kind's status until it is given its own.
 * An ACCESS_* refusal is 403 with its own code (A4.2): where the existence of a carrier must not be
 * learnt, the use case itself answers CARRIER_NOT_FOUND (see ConcealedRefusal in src/app/use-case.ts).
 */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = Object.fromEntries(
  ERROR_CODES.map((code) => [code, STATUS_OVERRIDES[code] ?? STATUS_BY_KIND[ERROR_CATALOGUE[code].kind]]),
) as Record<ErrorCode, number>;
