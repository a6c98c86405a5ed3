// A11.1: the carriers named by a breach that is not closed are flagged in the registry (on both
// Parties' nodes); those whose seals were broken at take-in are also held in quarantine.
import type { Trx } from "../../store/transaction.ts";

export type BreachFlag = { readonly flagged: boolean; readonly quarantined: boolean };

export const NO_BREACH: BreachFlag = { flagged: false, quarantined: false };

/** The breach flag of each of `carrierIds` (absent: not named by an open breach). */
export async function breachFlagsOf(
  trx: Trx,
  carrierIds: readonly string[],
): Promise<Map<string, BreachFlag>> {
  const flags = new Map<string, BreachFlag>();
  if (carrierIds.length === 0) return flags;
  const rows = await trx
    .selectFrom("breach_carriers")
    .innerJoin("breaches", "breaches.id", "breach_carriers.breach_id")
    .select(["breach_carriers.carrier_id", "breach_carriers.quarantined"])
    .where("breach_carriers.carrier_id", "in", [...new Set(carrierIds)])
    .where("breaches.state", "!=", "closed")
    .execute();
  for (const r of rows) {
    if (r.carrier_id === null) continue;
    const before = flags.get(r.carrier_id);
    flags.set(r.carrier_id, {
      flagged: true,
      quarantined: before?.quarantined === true || r.quarantined === 1,
    });
  }
  return flags;
}
