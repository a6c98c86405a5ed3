// The access decision on a carrier (A4.2, A1.11, A1.12) for a use case that acts on it: the
// content half of the node's one visibility rule (src/app/access/visibility.ts).
import type { AccessDecision } from "../../domain/access/access-decision.ts";
import type { Trx } from "../../store/transaction.ts";
import { decideContentAccess } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import type { LoadedCarrier } from "./carrier-repository.ts";

export { bestClearance } from "../access/visibility.ts";

/** Decides whether `actor` may access the carrier now. */
export async function decideCarrierAccess(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  carrier: LoadedCarrier,
): Promise<AccessDecision> {
  return decideContentAccess(trx, ctx, actor, carrier.row);
}
