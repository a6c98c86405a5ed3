import type { AppContext } from "../context.ts";

/** The node's organisations with their facility clearances (not classified: no actor needed). */
export async function listOrganisations(ctx: AppContext) {
  const organisations = await ctx.db.selectFrom("organisations").selectAll().orderBy("created_at").execute();
  const clearances = await ctx.db
    .selectFrom("facility_clearances")
    .selectAll()
    .where("revoked_at", "is", null)
    .orderBy("valid_from")
    .execute();
  return organisations.map((o) => ({
    ...o,
    facilityClearances: clearances.filter((c) => c.organisation_id === o.id),
  }));
}
