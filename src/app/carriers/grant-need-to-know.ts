import { transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { requireRegistryKeeper } from "./carrier-guards.ts";
import { loadCarrier } from "./carrier-repository.ts";
import { grantOnCarrier } from "./register-carrier.ts";

/** Grants need-to-know on a carrier to persons of its custodian body (A4.2). */
export async function grantNeedToKnow(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly persons: readonly string[] },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.need-to-know-granted" },
    async (trx, actor) => {
      const carrier = await loadCarrier(trx, ctx, input.carrier);
      requireRegistryKeeper(actor, carrier, input.carrier);
      // The carrier machine allows a grant only while the carrier is held (TRANSITION_FORBIDDEN else).
      const { articles } = transitionCarrier(
        carrier.state,
        { type: "grant-need-to-know", personId: input.persons[0] ?? "" },
        { at: ctx.now().toISOString(), pack: ctx.pack },
      );
      const granted = await grantOnCarrier(trx, ctx, actor, carrier.row.id, input.persons);
      await recordDone(trx, ctx, actor, {
        type: "carrier.need-to-know-granted",
        object: { type: "carrier", id: carrier.row.id },
        articles,
        data: { persons: granted },
      });
      return { carrier: carrier.row.registration_number, copyNumber: carrier.row.copy_number, granted };
    },
  );
}
