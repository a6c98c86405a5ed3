/**
 * Refusals of the exchange layer, as the domain's DomainError. A malformed message is reported
 * as a malformed package (PACKAGE_STRUCTURE_INVALID): to the receiver both are bytes that do not
 * hold together.
 */
import { DomainError, type ErrorDetails } from "../domain/errors.ts";

export type ExchangeErrorCode =
  | "MESSAGE_MALFORMED"
  | "MESSAGE_UNKNOWN_KIND"
  | "MESSAGE_CONFLICT"
  | "MESSAGE_MISADDRESSED"
  | "MESSAGE_PEER_MISMATCH";

/** Builds the DomainError of an exchange refusal; `details` are made plain JSON. */
export function exchangeError(code: ExchangeErrorCode, details: Record<string, unknown> = {}): DomainError {
  const plain = JSON.parse(JSON.stringify(details)) as ErrorDetails;
  if (code === "MESSAGE_MALFORMED")
    return new DomainError("PACKAGE_STRUCTURE_INVALID", { ...plain, message: true });
  return new DomainError(code, plain);
}
