import { transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import { requireClearances } from "../access/visibility.ts";
import type { AppContext } from "../context.ts";
import { findOrganisation } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";

/**
 * Hands a carrier over to another body of this node (A6.2, A1.11): only a carrier the carrier
 * machine says is held (registered or received), only to a body holding a valid facility clearance
 * of at least its level.
 */
export async function changeCustody(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly to: string },
) {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "carrier.custody-changed",
      object: { type: "carrier", id: input.carrier },
    },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      const target = await findOrganisation(trx, input.to);
      if (target.id === carrier.row.custodian_organisation_id)
        throw new DomainError("INPUT_INVALID", { field: "to", problem: `${target.name} already holds it` });
      if (target.party !== ctx.config.party)
        throw new DomainError("INPUT_INVALID", {
          field: "to",
          problem: `${target.name} is not a body of this Party`,
        });
      const moved = transitionCarrier(
        carrier.state,
        { type: "change-custody", to: target.id },
        { at: ctx.now().toISOString(), pack: ctx.pack },
      );
      // A1.11: the receiving body's facility clearance, by the node's one clearance rule (the
      // officer handing it over is held to their own personal clearance, as for any act on it).
      const clearances = await trx
        .selectFrom("facility_clearances")
        .selectAll()
        .where("organisation_id", "=", target.id)
        .where("revoked_at", "is", null)
        .execute();
      requireClearances(ctx, { ...actor, facilityClearances: clearances }, carrier.row.level);
      await trx
        .updateTable("carriers")
        .set({
          custodian_organisation_id: moved.state.custodian ?? target.id,
          updated_at: toTimestamp(ctx.now()),
          version: carrier.row.version + 1,
        })
        .where("id", "=", carrier.row.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "carrier.custody-changed",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: { from: carrier.row.custodian_organisation_id, to: target.id },
      });
      return {
        carrier: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        from: actor.organisation.name,
        to: target.name,
      };
    },
  );
}
