// Who may act on a carrier, answered without revealing carriers a person may not know of (A4.2).
import type { ArticleId } from "../../domain/articles.ts";
import { DomainError } from "../../domain/errors.ts";
import type { Trx } from "../../store/transaction.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { ConcealedRefusal } from "../use-case.ts";
import { decideCarrierAccess } from "./carrier-access.ts";
import { carrierNotFound, type LoadedCarrier } from "./carrier-repository.ts";

/**
 * The actor may read the carrier (the access decision allows it); otherwise the answer is
 * CARRIER_NOT_FOUND and the audit log keeps the failed conditions. Returns the articles applied.
 */
export async function requireAccess(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  carrier: LoadedCarrier,
  ref: string,
): Promise<readonly ArticleId[]> {
  const decision = await decideCarrierAccess(trx, ctx, actor, carrier);
  if (decision.allowed) return decision.articles;
  throw new ConcealedRefusal(
    carrierNotFound(ref),
    new DomainError(
      "ACCESS_DENIED",
      { carrierId: carrier.row.id, failures: decision.failures.map((f) => ({ ...f })) },
      { articles: decision.articles },
    ),
    { type: "carrier", id: carrier.row.id },
  );
}

/**
 * The actor keeps the registry the carrier is in: a registry officer of its custodian body. A
 * registry officer of another body is answered as if the carrier did not exist.
 */
export function requireRegistryKeeper(actor: Actor, carrier: LoadedCarrier, ref: string): void {
  requireRole(actor, "registry-officer");
  if (carrier.row.custodian_organisation_id !== actor.organisation.id) {
    throw new ConcealedRefusal(
      carrierNotFound(ref),
      new DomainError("ACCESS_NOT_IN_CUSTODY", { carrierId: carrier.row.id }),
      { type: "carrier", id: carrier.row.id },
    );
  }
}
