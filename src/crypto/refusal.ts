/**
 * Typed refusals of the crypto layer: DomainErrors of the catalogue (src/domain/errors.ts) with the
 * PACKAGE_* codes, each carrying a technical `reason` in its details.
 */
import { DomainError } from "../domain/errors.ts";

/** The refusal codes the crypto layer raises. */
export type PackageRefusalCode =
  | "PACKAGE_NOT_FOR_RECIPIENT"
  | "PACKAGE_SIGNER_UNTRUSTED"
  | "PACKAGE_CERTIFICATE_REVOKED"
  | "PACKAGE_CERTIFICATE_EXPIRED"
  | "PACKAGE_LABEL_MISSING"
  | "PACKAGE_LABEL_MISMATCH"
  | "PACKAGE_STRUCTURE_INVALID"
  | "PACKAGE_INTEGRITY_FAILED"
  | "PACKAGE_LIMIT_EXCEEDED";

/** Throws the DomainError `code` with a technical reason (never returns). */
export function refuse(
  code: PackageRefusalCode,
  reason: string,
  details: Record<string, string | number> = {},
): never {
  const all: Record<string, string | number> = { reason, ...details };
  if (code === "PACKAGE_LIMIT_EXCEEDED" && all.limit === undefined) all.limit = reason;
  const error = new DomainError(code, all);
  error.message = `${error.message} (${reason})`;
  throw error;
}

/** Reads the refusal code of an error thrown by the crypto layer, if it is one. */
export function refusalCode(error: unknown): PackageRefusalCode | undefined {
  if (error instanceof DomainError && error.code.startsWith("PACKAGE_"))
    return error.code as PackageRefusalCode;
  return undefined;
}
