import type { AppContext } from "../context.ts";

/** The node's people with organisation, roles and clearances (not classified: no actor needed). */
export async function listPeople(ctx: AppContext, filter: { organisation?: string } = {}) {
  let query = ctx.db
    .selectFrom("people")
    .innerJoin("organisations", "organisations.id", "people.organisation_id")
    .select([
      "people.id",
      "people.handle",
      "people.name",
      "people.organisation_id",
      "organisations.name as organisation",
      "people.disabled_at",
    ])
    .orderBy("people.handle");
  if (filter.organisation) {
    const ref = filter.organisation;
    query = query.where((eb) =>
      eb.or([eb("organisations.id", "=", ref), eb("organisations.name", "=", ref)]),
    );
  }
  const people = await query.execute();
  const roles = await ctx.db.selectFrom("person_roles").select(["person_id", "role"]).execute();
  const clearances = await ctx.db
    .selectFrom("personal_clearances")
    .select(["person_id", "level", "valid_from", "valid_to", "issued_by"])
    .where("revoked_at", "is", null)
    .execute();
  return people.map((p) => ({
    ...p,
    roles: roles.filter((r) => r.person_id === p.id).map((r) => r.role),
    clearances: clearances.filter((c) => c.person_id === p.id),
  }));
}
