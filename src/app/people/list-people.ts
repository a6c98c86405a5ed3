// The node's people with organisation, roles and clearances (the one valid now, A1.11), for those
// who administer or oversee them, each with what the actor may do to them now (standing-actions.ts).
// One audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { currentClearance } from "../access/current-clearance.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { isSuspended, personActions } from "./standing-actions.ts";

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
    // A1.11: the rows a clearance change would touch (in force or suspended), for the actions.
    const standing = await trx
      .selectFrom("personal_clearances")
      .select(["person_id", "revoked_at", "revocation"])
      .where((eb) => eb.or([eb("revoked_at", "is", null), eb("revocation", "=", "suspended")]))
      .execute();
    const accounts = new Set(
      (await trx.selectFrom("auth_account").select("person_id").execute()).map((a) => a.person_id),
    );
    const rows = people.map((p) => {
      const own = clearances.filter((c) => c.person_id === p.id);
      const ownStanding = standing.filter((c) => c.person_id === p.id);
      const personRoles = roles.filter((r) => r.person_id === p.id).map((r) => r.role);
      return {
        ...p,
        roles: personRoles,
        clearances: own,
        current: currentClearance(ctx, own),
        clearanceSuspended: isSuspended(ownStanding),
        actions: personActions(actor, {
          id: p.id,
          disabled: p.disabled_at !== null,
          roles: personRoles,
          hasAccount: accounts.has(p.id),
          clearances: ownStanding,
        }),
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
