import { findLevel } from "../../domain/classification/levels.ts";
import { toTimestamp } from "../../store/columns.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { findOrganisation, parseValidity } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

export type GrantFacilityClearanceInput = {
  readonly actor: string;
  readonly organisation: string;
  readonly level: string;
  readonly validFrom: string;
  readonly validTo: string;
};

/** Records a facility clearance of an organisation (A1.11), issued by the competent authority. */
export async function grantFacilityClearance(ctx: AppContext, input: GrantFacilityClearanceInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "facility-clearance.granted" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer");
      const level = findLevel(ctx.pack, input.level);
      const { validFrom, validTo } = parseValidity(input.validFrom, input.validTo);
      const organisation = await findOrganisation(trx, input.organisation);
      const row = {
        id: ctx.newId(),
        organisation_id: organisation.id,
        level: level.id,
        valid_from: validFrom,
        valid_to: validTo,
        issued_by: actor.organisation.name,
        created_at: toTimestamp(ctx.now()),
        revoked_at: null,
      };
      await trx.insertInto("facility_clearances").values(row).execute();
      await recordDone(trx, ctx, actor, {
        type: "facility-clearance.granted",
        object: { type: "organisation", id: organisation.id },
        articles: ["A1.11"],
        data: { clearance: row.id, level: level.id, validFrom, validTo },
      });
      return { ...row, organisation: organisation.name };
    },
  );
}
