// The node's people with organisation, roles and clearances (the one valid now, A1.11), for those
// who administer or oversee them. One audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { currentClearance } from "../access/current-clearance.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "people.listed": AuditData | undefined;
  }
}

export async function listPeople(
  ctx: AppContext,
  input: { readonly actor: string; readonly organisation?: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "people.listed" }, async (trx, actor) => {
    requireRole(actor, "competent-authority-officer", "administrator");
    let query = trx
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
    if (input.organisation) {
      const ref = input.organisation;
      query = query.where((eb) =>
        eb.or([eb("organisations.id", "=", ref), eb("organisations.name", "=", ref)]),
      );
    }
    const people = await query.execute();
    const roles = await trx.selectFrom("person_roles").select(["person_id", "role"]).execute();
    const clearances = await trx
      .selectFrom("personal_clearances")
      .select(["person_id", "level", "valid_from", "valid_to", "issued_by"])
      .where("revoked_at", "is", null)
      .execute();
    const rows = people.map((p) => {
      const own = clearances.filter((c) => c.person_id === p.id);
      return {
        ...p,
        roles: roles.filter((r) => r.person_id === p.id).map((r) => r.role),
        clearances: own,
        current: currentClearance(ctx, own),
      };
    });
    await recordDone(trx, ctx, actor, {
      type: "people.listed",
      outcome: "allowed",
      object: null,
      data: { shown: rows.length },
    });
    return rows;
  });
}
