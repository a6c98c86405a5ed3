import type { ErasedContent } from "../../crypto/at-rest/content-vault.ts";
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import { contentVaultOf } from "./content.ts";
import { presentedConsent, requireOriginatorConsents, spendConsents } from "./originator-consent.ts";

export type ReturnCarrierInput = {
  readonly actor: string;
  readonly carrier: string;
  /** A channel of the agreement pack (A5.6). */
  readonly channel: string;
  readonly sealNumbers?: readonly string[];
  readonly waybill?: string;
  /** The originator's permission to use (default: the one granted for this carrier). */
  readonly consent?: string;
};

/**
 * A6.6: returns the other Party's information (a received carrier, or one copied, translated or
 * derived from it) to its originator, only with each originator's granted, unused written
 * permission, which is spent (RETURN_NEEDS_PERMISSION otherwise). The carrier leaves this registry
 * (state `returned`, electronic content erased here as on destruction, A1.8: the result's `erasure`
 * says whether the cryptographic erasure finished); the physical return goes by the agreed
 * channel with its dispatch record (seal numbers, waybill). The carrier machine refuses the return
 * of this Party's own information and of a carrier no longer held.
 */
export async function returnCarrier(ctx: AppContext, input: ReturnCarrierInput) {
  const vault = contentVaultOf(ctx);
  let erased: ErasedContent | null = null;
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.returned", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(carrier.state.status, "return");
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: carrier.row.id,
        action: "return",
        consent: input.consent,
      });
      const at = ctx.now();
      const moved = transitionCarrier(
        carrier.state,
        { type: "return" },
        {
          at: at.toISOString(),
          pack: ctx.pack,
          consent: presentedConsent(ctx, consents, carrier.row.id),
        },
      );
      if (!ctx.pack.channels.some((c) => c.id === input.channel))
        throw new DomainError("TRANSFER_CHANNEL_UNKNOWN", { channel: input.channel });
      erased = await vault.eraseContent(trx, carrier.row.id);
      await trx
        .updateTable("carriers")
        .set({
          state: moved.state.status,
          has_content: 0,
          updated_at: toTimestamp(at),
          version: carrier.row.version + 1,
        })
        .where("id", "=", carrier.row.id)
        .execute();
      await spendConsents(trx, ctx, consents);
      const dispatch = {
        channel: input.channel,
        sealNumbers: [...(input.sealNumbers ?? [])],
        waybill: input.waybill ?? null,
      };
      const to = [...new Set(consents.map((c) => `${c.root.origin_party}/${c.root.origin_org}`))];
      await recordDone(trx, ctx, actor, {
        type: "carrier.returned",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: {
          consent: consents[0]?.row.id ?? null,
          consents: consents.map((c) => c.row.id),
          to: to.join(", "),
          ...dispatch,
        },
      });
      return {
        carrierId: carrier.row.id,
        carrier: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        state: moved.state.status,
        consents: consents.map((c) => c.row.id),
        to,
        ...dispatch,
      };
    },
  );
  // Committed: from here on the return is reported, never an error (A1.8).
  const erasure = await vault.purgeErasedContent(ctx.db, erased ? [erased] : []);
  return { ...result, erasure };
}
