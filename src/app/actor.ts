// The acting person of a use case, loaded with what decisions need: organisation, roles and
// clearances. The CLI names the actor with `--as <handle>`; the API from the session.

import { type RawBuilder, sql } from "kysely";
import { z } from "zod";
import type { ObligationsAcknowledgement } from "../domain/access/obligations.ts";
import { DomainError } from "../domain/errors.ts";
import { dialectOf, jsonStringList, parseJsonColumn } from "../store/columns.ts";
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
  /** A4.4: the versions of the obligations text the person acknowledged (the access rule asks). */
  readonly obligations: readonly ObligationsAcknowledgement[];
};

/**
 * Loads the person named by `ref` (handle or id). An unknown or disabled person is refused with the
 * same answer (AUTH_FAILED), so the answer does not tell which people exist.
 */
export async function loadActor(trx: Trx, ref: string): Promise<Actor> {
  // One round trip: the person, their organisation, roles and clearances (as JSON arrays), since
  // every use case starts here.
  const postgres = dialectOf(trx) === "postgres";
  const agg = (object: RawBuilder<unknown>) =>
    postgres ? sql`coalesce(json_agg(${object}), '[]')::text` : sql`json_group_array(${object})`;
  const obj = (alias: string, columns: readonly string[]) =>
    sql.raw(
      `${postgres ? "json_build_object" : "json_object"}(${columns.map((c) => `'${c}', ${alias}.${c}`).join(", ")})`,
    );
  const found = await trx
    .selectFrom("people")
    .innerJoin("organisations", "organisations.id", "people.organisation_id")
    .select([
      "people.id as person_id",
      "people.handle",
      "people.name as person_name",
      "people.disabled_at",
      "organisations.id",
      "organisations.party",
      "organisations.kind",
      "organisations.name",
      "organisations.created_at",
      sql<string>`(select ${agg(sql.raw("r.role"))} from person_roles r where r.person_id = people.id)`.as(
        "roles",
      ),
      sql<string>`(select ${agg(obj("c", CLEARANCE_COLUMNS))} from personal_clearances c
        where c.person_id = people.id and c.revoked_at is null)`.as("clearances"),
      sql<string>`(select ${agg(obj("f", FACILITY_COLUMNS))} from facility_clearances f
        where f.organisation_id = organisations.id and f.revoked_at is null)`.as("facility_clearances"),
      sql<string>`(select ${agg(obj("o", OBLIGATIONS_COLUMNS))} from obligations_acknowledgements o
        where o.person_id = people.id)`.as("obligations"),
    ])
    .where((eb) => eb.or([eb("people.handle", "=", ref), eb("people.id", "=", ref)]))
    .executeTakeFirst();
  if (!found || found.disabled_at !== null) throw new DomainError("AUTH_FAILED", {});
  const organisation: OrganisationsTable = {
    id: found.id,
    party: found.party,
    kind: found.kind,
    name: found.name,
    created_at: found.created_at,
  };
  return {
    personId: found.person_id,
    handle: found.handle,
    name: found.person_name,
    organisation,
    roles: new Set(parseJsonColumn(jsonStringList, found.roles, "person_roles.role").filter(isRole)),
    clearances: parseJsonColumn(z.array(PersonalClearanceRow), found.clearances, "personal_clearances"),
    facilityClearances: parseJsonColumn(
      z.array(FacilityClearanceRow),
      found.facility_clearances,
      "facility_clearances",
    ),
    obligations: parseJsonColumn(
      z.array(ObligationsRow),
      found.obligations,
      "obligations_acknowledgements",
    ).map((o) => ({
      party: o.party,
      version: o.version,
      acknowledgedAt: o.acknowledged_at,
      language: o.language,
    })),
  };
}

const CLEARANCE_COLUMNS = [
  "id",
  "person_id",
  "level",
  "valid_from",
  "valid_to",
  "issued_by",
  "created_at",
  "revoked_at",
  "revocation",
];
const OBLIGATIONS_COLUMNS = ["party", "version", "language", "acknowledged_at"];
const FACILITY_COLUMNS = [
  "id",
  "organisation_id",
  "level",
  "valid_from",
  "valid_to",
  "issued_by",
  "created_at",
  "revoked_at",
  "revocation",
];

/** The rows `loadActor` reads as JSON objects (CLEARANCE_COLUMNS, FACILITY_COLUMNS, OBLIGATIONS_COLUMNS). */
const clearanceRowShape = {
  id: z.string(),
  level: z.string(),
  valid_from: z.string(),
  valid_to: z.string(),
  issued_by: z.string(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
  revocation: z.string().nullable(),
};
const PersonalClearanceRow = z.object({ ...clearanceRowShape, person_id: z.string() });
const FacilityClearanceRow = z.object({ ...clearanceRowShape, organisation_id: z.string() });
const ObligationsRow = z.object({
  party: z.string(),
  version: z.string(),
  language: z.string(),
  acknowledged_at: z.string(),
});

/** Refuses (ROLE_FORBIDDEN) unless the actor holds one of `roles`. */
export function requireRole(actor: Actor, ...roles: Role[]): void {
  if (!roles.some((r) => actor.roles.has(r))) {
    throw new DomainError("ROLE_FORBIDDEN", { needed: roles, actor: actor.handle });
  }
}
