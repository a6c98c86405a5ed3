/**
 * Refusals of the exchange layer. Until the domain's error catalogue lands, this builds an
 * Error carrying a code and details; it is replaced by the domain's DomainError.
 */
export type ExchangeErrorCode =
  | "MESSAGE_MALFORMED"
  | "MESSAGE_UNKNOWN_KIND"
  | "MESSAGE_CONFLICT"
  | "MESSAGE_MISADDRESSED"
  | "MESSAGE_PEER_MISMATCH";

export class ExchangeError extends Error {
  constructor(
    readonly code: ExchangeErrorCode,
    readonly details: Record<string, unknown>,
  ) {
    super(`${code}: ${JSON.stringify(details)}`);
  }
}

export function exchangeError(code: ExchangeErrorCode, details: Record<string, unknown> = {}): Error {
  return new ExchangeError(code, details);
}
