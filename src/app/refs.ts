// Finding the rows a command names: by id, or by the name a person types (org name, handle,
// contract number, registration number). Missing rows are refused with the catalogue's codes.
import { DomainError } from "../domain/errors.ts";
import { lockForUpdate, type Trx } from "../store/transaction.ts";

/** A calendar date `YYYY-MM-DD` that exists. */
export function parseCalendarDate(value: string, field: string): string {
  const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value);
  const date = match
    ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))
    : undefined;
  if (!date || date.toISOString().slice(0, 10) !== value) {
    throw new DomainError("INPUT_INVALID", { field, problem: `not a calendar date YYYY-MM-DD: ${value}` });
  }
  return value;
}

/** Checks `from` ≤ `to` for a validity period. */
export function parseValidity(from: string, to: string): { validFrom: string; validTo: string } {
  const validFrom = parseCalendarDate(from, "valid-from");
  const validTo = parseCalendarDate(to, "valid-to");
  if (validTo < validFrom) {
    throw new DomainError("INPUT_INVALID", {
      field: "valid-to",
      problem: `ends (${validTo}) before it starts (${validFrom})`,
    });
  }
  return { validFrom, validTo };
}

/** An organisation by id or name; `competent-authority` names the node's competent authority. */
export async function findOrganisation(trx: Trx, ref: string) {
  const row = await trx
    .selectFrom("organisations")
    .selectAll()
    .where((eb) =>
      ref === "competent-authority"
        ? eb("kind", "=", "competent-authority")
        : eb.or([eb("id", "=", ref), eb("name", "=", ref)]),
    )
    .executeTakeFirst();
  if (!row)
    throw new DomainError("INPUT_INVALID", { field: "organisation", problem: `no organisation ${ref}` });
  return row;
}

export async function findPerson(trx: Trx, ref: string) {
  const row = await trx
    .selectFrom("people")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("handle", "=", ref)]))
    .executeTakeFirst();
  if (!row) throw new DomainError("INPUT_INVALID", { field: "person", problem: `no person ${ref}` });
  return row;
}

/** A contract by id or number, locked for the rest of the transaction (PostgreSQL). */
export async function findContract(trx: Trx, ref: string) {
  const query = trx
    .selectFrom("contracts")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("number", "=", ref)]));
  const row = await lockForUpdate(trx, query).executeTakeFirst();
  if (!row) throw new DomainError("INPUT_INVALID", { field: "contract", problem: `no contract ${ref}` });
  return row;
}
