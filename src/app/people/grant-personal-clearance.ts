import { findLevel } from "../../domain/classification/levels.ts";
import { toTimestamp } from "../../store/columns.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { findPerson, parseValidity } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

export type GrantPersonalClearanceInput = {
  readonly actor: string;
  readonly person: string;
  readonly level: string;
  readonly validFrom: string;
  readonly validTo: string;
};

/** Records a person's clearance (A1.11, A4.2), issued by the competent authority. */
export async function grantPersonalClearance(ctx: AppContext, input: GrantPersonalClearanceInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "person.clearance-granted" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer");
      const level = findLevel(ctx.pack, input.level);
      const { validFrom, validTo } = parseValidity(input.validFrom, input.validTo);
      const person = await findPerson(trx, input.person);
      const row = {
        id: ctx.newId(),
        person_id: person.id,
        level: level.id,
        valid_from: validFrom,
        valid_to: validTo,
        issued_by: actor.organisation.name,
        created_at: toTimestamp(ctx.now()),
        revoked_at: null,
      };
      await trx.insertInto("personal_clearances").values(row).execute();
      await recordDone(trx, ctx, actor, {
        type: "person.clearance-granted",
        object: { type: "person", id: person.id },
        articles: ["A1.11", "A4.2"],
        data: { clearance: row.id, level: level.id, validFrom, validTo },
      });
      return { ...row, person: person.handle };
    },
  );
}
