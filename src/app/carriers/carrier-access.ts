// The access decision on a carrier (A4.2, A1.11, A1.12), as the domain decides it, with the facts
// loaded from the registry: the person's best current clearance, their body's facility clearance,
// the participants of the carrier's contract when it is active, and the persons granted on it.
import { type AccessDecision, type Clearance, decideAccess } from "../../domain/access/access-decision.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import { isWithin } from "../../domain/time/instants.ts";
import type { FacilityClearancesTable, PersonalClearancesTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { clearanceWindow, type LoadedCarrier } from "./carrier-repository.ts";

/** Decides whether `actor` may access the carrier now. */
export async function decideCarrierAccess(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  carrier: LoadedCarrier,
): Promise<AccessDecision> {
  const at = ctx.now().toISOString();
  let contractParticipants: string[] = [];
  if (carrier.row.contract_id) {
    const contract = await trx
      .selectFrom("contracts")
      .select("state")
      .where("id", "=", carrier.row.contract_id)
      .executeTakeFirst();
    if (contract?.state === "active") {
      const participant = await trx
        .selectFrom("contract_participants")
        .select("person_id")
        .where("contract_id", "=", carrier.row.contract_id)
        .where("person_id", "=", actor.personId)
        .executeTakeFirst();
      if (participant) contractParticipants = [participant.person_id];
    }
  }
  return decideAccess({
    at,
    person: {
      id: actor.personId,
      bodyId: actor.organisation.id,
      clearance: bestClearance(ctx, actor.clearances, at),
    },
    body: { id: actor.organisation.id, facilityClearance: bestClearance(ctx, actor.facilityClearances, at) },
    carrier: {
      id: carrier.state.id,
      level: carrier.state.level,
      status: carrier.state.status,
      custodian: carrier.state.custodian,
      grantedPersons: carrier.state.grantedPersons,
    },
    contractParticipants,
  });
}

/**
 * The clearance the decision should look at: the highest-level one valid at `at`, else (so the
 * refusal says "expired" rather than "missing") the most recent one; null when none is held.
 */
export function bestClearance(
  ctx: AppContext,
  clearances: readonly (PersonalClearancesTable | FacilityClearancesTable)[],
  at: string,
): Clearance | null {
  const windows = clearances.map((c) => ({
    level: findLevel(ctx.pack, c.level).rank,
    ...clearanceWindow(ctx, c),
  }));
  const valid = windows
    .filter((w) => isWithin(at, w.validFrom, w.validUntil))
    .sort((a, b) => b.level - a.level)[0];
  if (valid) return valid;
  return [...windows].sort((a, b) => (a.validUntil < b.validUntil ? 1 : -1))[0] ?? null;
}
