import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import { isRole, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { findPerson } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

/** Gives a person a role (administrator). Granting a role already held changes nothing. */
export async function grantRole(ctx: AppContext, input: { actor: string; person: string; role: string }) {
  return executeUseCase(ctx, { actor: input.actor, action: "person.role-granted" }, async (trx, actor) => {
    requireRole(actor, "administrator");
    if (!isRole(input.role)) {
      throw new DomainError("INPUT_INVALID", { field: "role", problem: `unknown role ${input.role}` });
    }
    const person = await findPerson(trx, input.person);
    const held = await trx
      .selectFrom("person_roles")
      .select("role")
      .where("person_id", "=", person.id)
      .where("role", "=", input.role)
      .executeTakeFirst();
    if (!held) {
      await trx
        .insertInto("person_roles")
        .values({ person_id: person.id, role: input.role, granted_at: toTimestamp(ctx.now()) })
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "person.role-granted",
        object: { type: "person", id: person.id },
        data: { role: input.role },
      });
    }
    return { person: person.handle, role: input.role, changed: !held };
  });
}
