import { DomainError } from "../../domain/errors.ts";
import { isWithin } from "../../domain/time/instants.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { findOrganisation } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { bestClearance } from "./carrier-access.ts";
import { requireRegistryKeeper } from "./carrier-guards.ts";
import { loadCarrier } from "./carrier-repository.ts";

/**
 * Hands a carrier over to another body of this node: only a carrier in custody (registered or
 * received), only to a body holding a valid facility clearance of at least its level (A1.11, A6.2).
 */
export async function changeCustody(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly to: string },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.custody-changed" },
    async (trx, actor) => {
      const carrier = await loadCarrier(trx, ctx, input.carrier);
      requireRegistryKeeper(actor, carrier, input.carrier);
      if (carrier.state.custodian === null) {
        throw new DomainError(
          "TRANSITION_FORBIDDEN",
          { machine: "carrier", state: carrier.state.status, event: "change-custody" },
          { articles: ["A6.2"] },
        );
      }
      const target = await findOrganisation(trx, input.to);
      if (target.id === carrier.row.custodian_organisation_id) {
        throw new DomainError("INPUT_INVALID", { field: "to", problem: `${target.name} already holds it` });
      }
      const clearances = await trx
        .selectFrom("facility_clearances")
        .selectAll()
        .where("organisation_id", "=", target.id)
        .where("revoked_at", "is", null)
        .execute();
      const at = ctx.now().toISOString();
      const facility = bestClearance(ctx, clearances, at);
      if (facility === null)
        throw new DomainError("ACCESS_FACILITY_CLEARANCE_MISSING", { organisation: target.name });
      if (facility.level < carrier.state.level) {
        throw new DomainError("ACCESS_FACILITY_CLEARANCE_TOO_LOW", {
          held: String(facility.level),
          required: String(carrier.state.level),
        });
      }
      if (!isWithin(at, facility.validFrom, facility.validUntil)) {
        throw new DomainError("ACCESS_FACILITY_CLEARANCE_EXPIRED", { at });
      }
      await trx
        .updateTable("carriers")
        .set({
          custodian_organisation_id: target.id,
          updated_at: toTimestamp(ctx.now()),
          version: carrier.row.version + 1,
        })
        .where("id", "=", carrier.row.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "carrier.custody-changed",
        object: { type: "carrier", id: carrier.row.id },
        articles: ["A6.2", "A1.11"],
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
