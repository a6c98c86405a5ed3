// The node's password rules for a password a person sets themselves (A4.2), and the one-time
// password an administrator's reset hands out. A password is kept only as its argon2id hash
// (password.ts); none of these is ever written to the audit log or a log file.
import { randomInt } from "node:crypto";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { DEMO_PASSWORD } from "../demo/demo-world.ts";
import { MIN_PASSWORD_LENGTH } from "./password.ts";

/** The longest password taken (argon2 hashes any length; a bound keeps a request's work bounded). */
export const MAX_PASSWORD_LENGTH = 1000;

// No 0/O, 1/I/L: the administrator reads it out or writes it down for the person.
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/** A random one-time password: 20 characters of a 31-letter alphabet (99 bits), grouped by four. */
export function generateOneTimePassword(): string {
  const chars = Array.from({ length: 20 }, () => ALPHABET[randomInt(ALPHABET.length)]);
  return Array.from({ length: 5 }, (_, i) => chars.slice(i * 4, i * 4 + 4).join("")).join("-");
}

/**
 * Refuses a new password the node's policy does not take: shorter than {@link MIN_PASSWORD_LENGTH}
 * (PASSWORD_TOO_SHORT), the current or one-time one it replaces, or the published demo password
 * (PASSWORD_NOT_ALLOWED).
 */
export function checkNewPassword(next: string, replacing: string): void {
  if ([...next].length < MIN_PASSWORD_LENGTH)
    throw new DomainError("PASSWORD_TOO_SHORT", { minLength: MIN_PASSWORD_LENGTH });
  if (next.length > MAX_PASSWORD_LENGTH)
    throw new DomainError("INPUT_INVALID", {
      field: "password",
      problem: `at most ${MAX_PASSWORD_LENGTH} characters`,
    });
  if (next === replacing || next === DEMO_PASSWORD) throw new DomainError("PASSWORD_NOT_ALLOWED", {});
}

/** Stores a password the person set themselves (its hash), clearing a reset's mark. */
export async function storeOwnPassword(trx: Trx, personId: string, hash: string, at: Date): Promise<void> {
  await trx
    .updateTable("auth_account")
    .set({ password_hash: hash, password_change_required: 0, password_changed_at: toTimestamp(at) })
    .where("person_id", "=", personId)
    .execute();
}
