// Who may act on a carrier, answered without revealing carriers a person may not know of (A4.2).
import { DomainError } from "../../domain/errors.ts";
import type { Trx } from "../../store/transaction.ts";
import { decideVisibility1 } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { ConcealedRefusal } from "../use-case.ts";
import { carrierNotFound, type LoadedCarrier, loadCarrier } from "./carrier-repository.ts";

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

/**
 * The carrier a registry officer acts on (A4.2, A1.11, A6.2), loaded and locked for the
 * transaction (`loadCarrier`): in the registry of the officer's body, and visible to the officer
 * by the node's one visibility rule (a valid personal clearance, and the body's facility clearance,
 * of at least its level). Otherwise answered exactly as a carrier that does not exist; the audit
 * entry keeps the failed conditions. Its state is then checked by the carrier machine.
 */
export async function loadKeptCarrier(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  ref: string,
): Promise<LoadedCarrier> {
  // The role first: its refusal is the same for any carrier, existing or not.
  requireRole(actor, "registry-officer");
  const carrier = await loadCarrier(trx, ctx, ref);
  requireRegistryKeeper(actor, carrier, ref);
  const visibility = await decideVisibility1(trx, ctx, actor, carrier.row);
  if (!visibility.record) {
    const failures = visibility.content.allowed ? [] : visibility.content.failures.map((f) => ({ ...f }));
    throw new ConcealedRefusal(
      carrierNotFound(ref),
      new DomainError(
        "ACCESS_DENIED",
        { carrierId: carrier.row.id, failures },
        { articles: visibility.articles },
      ),
      { type: "carrier", id: carrier.row.id },
    );
  }
  return carrier;
}
