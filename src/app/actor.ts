// The acting person of a use case, loaded with what decisions need: organisation, roles and
// clearances. The CLI names the actor with `--as <handle>`; the API from the session.
import { DomainError } from "../domain/errors.ts";
import type {
  FacilityClearancesTable,
  OrganisationsTable,
  PersonalClearancesTable,
} from "../store/core-tables.ts";
import type { Trx } from "../store/transaction.ts";

export const ROLES = [
  "competent-authority-officer",
  "registry-officer",
  "cleared-user",
  "auditor",
  "administrator",
] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export type Actor = {
  readonly personId: string;
  readonly handle: string;
  readonly name: string;
  readonly organisation: OrganisationsTable;
  readonly roles: ReadonlySet<Role>;
  readonly clearances: readonly PersonalClearancesTable[];
  readonly facilityClearances: readonly FacilityClearancesTable[];
};

/**
 * Loads the person named by `ref` (handle or id). An unknown or disabled person is refused with the
 * same answer (AUTH_FAILED), so the answer does not tell which people exist.
 */
export async function loadActor(trx: Trx, ref: string): Promise<Actor> {
  const person = await trx
    .selectFrom("people")
    .selectAll()
    .where((eb) => eb.or([eb("handle", "=", ref), eb("id", "=", ref)]))
    .executeTakeFirst();
  if (!person || person.disabled_at !== null) throw new DomainError("AUTH_FAILED", {});
  const [organisation, roles, clearances, facilityClearances] = await Promise.all([
    trx
      .selectFrom("organisations")
      .selectAll()
      .where("id", "=", person.organisation_id)
      .executeTakeFirstOrThrow(),
    trx.selectFrom("person_roles").select("role").where("person_id", "=", person.id).execute(),
    trx
      .selectFrom("personal_clearances")
      .selectAll()
      .where("person_id", "=", person.id)
      .where("revoked_at", "is", null)
      .execute(),
    trx
      .selectFrom("facility_clearances")
      .selectAll()
      .where("organisation_id", "=", person.organisation_id)
      .where("revoked_at", "is", null)
      .execute(),
  ]);
  return {
    personId: person.id,
    handle: person.handle,
    name: person.name,
    organisation,
    roles: new Set(roles.map((r) => r.role).filter(isRole)),
    clearances,
    facilityClearances,
  };
}

/** Refuses (ROLE_FORBIDDEN) unless the actor holds one of `roles`. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.some((r) => actor.roles.has(r))) {
    throw new DomainError("ROLE_FORBIDDEN", { needed: roles, actor: actor.handle });
  }
}
