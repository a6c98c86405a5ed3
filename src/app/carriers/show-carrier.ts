import type { Readable } from "node:stream";
import { DomainError } from "../../domain/errors.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { AppContext } from "../context.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";
import { decideCarrierAccess } from "./carrier-access.ts";
import { carrierNotFound, loadCarrier, markingsOf } from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";

export type ShownCarrier = {
  readonly carrier: CarriersTable;
  readonly markings: readonly { readonly party: string; readonly text: string }[];
  readonly sources: readonly { readonly id: string; readonly relation: string }[];
  readonly articles: readonly string[];
  /** The decrypted content (streamed), when asked for and held. */
  readonly content: { readonly sizeBytes: number; readonly stream: Readable } | null;
};

/**
 * Reads a carrier — its record and, if asked, its content — only through the access decision
 * (A4.2, A1.11, A1.12). Every decision is audited (`carrier.access-decided`, allowed or refused);
 * a refusal answers exactly as for a carrier that does not exist (CARRIER_NOT_FOUND), while the
 * audit entry keeps the failed conditions.
 */
export async function showCarrier(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly content?: boolean },
): Promise<ShownCarrier> {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.access-decided" }, async (trx, actor) => {
    const carrier = await loadCarrier(trx, ctx, input.carrier);
    const decision = await decideCarrierAccess(trx, ctx, actor, carrier);
    if (!decision.allowed) {
      const recorded = new DomainError(
        "ACCESS_DENIED",
        { carrierId: carrier.row.id, failures: decision.failures.map((f) => ({ ...f })) },
        { articles: decision.articles },
      );
      throw new ConcealedRefusal(carrierNotFound(input.carrier), recorded, {
        type: "carrier",
        id: carrier.row.id,
      });
    }
    const wantContent = input.content === true && carrier.row.has_content === 1;
    const content = wantContent ? await contentVaultOf(ctx).readContent(trx, carrier.row.id) : null;
    await recordDone(trx, ctx, actor, {
      type: "carrier.access-decided",
      outcome: "allowed",
      object: { type: "carrier", id: carrier.row.id },
      articles: decision.articles,
      data: { content: wantContent },
    });
    return {
      carrier: carrier.row,
      markings: markingsOf(carrier.row, ctx.config.party),
      sources: carrier.sources,
      articles: decision.articles,
      content,
    };
  });
}
