import type { ErasedContent } from "../../crypto/at-rest/content-vault.ts";
import { transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { requireRegistryKeeper } from "./carrier-guards.ts";
import { loadCarrier } from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";

/**
 * Destroys a carrier (A1.8, A6.6): in one transaction its status becomes `destroyed`, its content
 * key is erased and the audit entry written; after the commit its encrypted blob is overwritten and
 * removed and the database files purged of the erased key (WAL truncated / VACUUM), so neither key
 * nor content can be recovered. The registry keeps the record. Destroying the other Party's
 * information needs the providing body's written permission (DESTRUCTION_NEEDS_PERMISSION).
 */
export async function destroyCarrier(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string },
) {
  const vault = contentVaultOf(ctx);
  let erased: ErasedContent | null = null;
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.destroyed" },
    async (trx, actor) => {
      const carrier = await loadCarrier(trx, ctx, input.carrier);
      requireRegistryKeeper(actor, carrier, input.carrier);
      const at = ctx.now();
      const moved = transitionCarrier(
        carrier.state,
        { type: "destroy" },
        { at: at.toISOString(), pack: ctx.pack, consent: null },
      );
      erased = await vault.eraseContent(trx, carrier.row.id);
      const stamp = toTimestamp(at);
      await trx
        .updateTable("carriers")
        .set({
          state: moved.state.status,
          destroyed_at: stamp,
          has_content: 0,
          updated_at: stamp,
          version: carrier.row.version + 1,
        })
        .where("id", "=", carrier.row.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "carrier.destroyed",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: {
          registrationNumber: carrier.row.registration_number,
          copyNumber: carrier.row.copy_number,
          contentErased: erased !== null,
        },
      });
      return {
        carrier: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        destroyedAt: stamp,
        contentErased: erased !== null,
        articles: moved.articles,
      };
    },
  );
  await vault.purgeErasedContent(ctx.db, erased ? [erased] : []);
  return result;
}
