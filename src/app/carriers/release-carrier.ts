import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import { presentedConsent, requireOriginatorConsents, spendConsents } from "./originator-consent.ts";

export type ReleaseCarrierInput = {
  readonly actor: string;
  readonly carrier: string;
  /** Who receives it (a state, government, international organisation or person outside the agreement, A1.14). */
  readonly thirdParty: string;
  /** The originator's consent to use (default: the one granted for this carrier and third party). */
  readonly consent?: string;
};

/**
 * Releases a carrier held in the actor's registry to a third party (A4.1.5, A1.14): it leaves the
 * registry (state `released`, the record stays). The other Party's information (received, or
 * copied, translated or derived from it along any chain) goes to a third party only with each
 * originator's prior written consent naming that third party, which is spent
 * (THIRD_PARTY_NEEDS_CONSENT otherwise). A carrier no longer held (destroyed, returned, released…)
 * is refused by the carrier machine.
 */
export async function releaseToThirdParty(ctx: AppContext, input: ReleaseCarrierInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.released", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(carrier.state.status, "release-to-third-party");
      const thirdParty = input.thirdParty.trim();
      if (thirdParty.length === 0 || thirdParty.length > 200)
        throw new DomainError("INPUT_INVALID", { field: "third-party", problem: "1–200 characters" });
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: carrier.row.id,
        action: "third-party-release",
        consent: input.consent,
        matches: (d) => d.thirdParty === thirdParty,
      });
      const at = ctx.now();
      const moved = transitionCarrier(
        carrier.state,
        { type: "release-to-third-party", thirdParty },
        {
          at: at.toISOString(),
          pack: ctx.pack,
          consent: presentedConsent(ctx, consents, carrier.row.id),
        },
      );
      await trx
        .updateTable("carriers")
        .set({ state: moved.state.status, updated_at: toTimestamp(at), version: carrier.row.version + 1 })
        .where("id", "=", carrier.row.id)
        .execute();
      await spendConsents(trx, ctx, consents);
      await recordDone(trx, ctx, actor, {
        type: "carrier.released",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: {
          thirdParty,
          consent: consents[0]?.row.id ?? null,
          consents: consents.map((c) => c.row.id),
        },
      });
      return {
        carrierId: carrier.row.id,
        carrier: carrier.row.registration_number,
        copyNumber: carrier.row.copy_number,
        state: moved.state.status,
        thirdParty,
        consents: consents.map((c) => c.row.id),
        articles: moved.articles,
      };
    },
  );
}
