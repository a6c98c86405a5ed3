// A11.1: which of a set of carriers are held in quarantine by a breach that is not yet closed.
import type { Trx } from "../../store/transaction.ts";

/** The ids among `carrierIds` that an open breach holds in quarantine. */
export async function quarantinedAmong(trx: Trx, carrierIds: readonly string[]): Promise<Set<string>> {
  if (carrierIds.length === 0) return new Set();
  const rows = await trx
    .selectFrom("breach_carriers")
    .innerJoin("breaches", "breaches.id", "breach_carriers.breach_id")
    .select("breach_carriers.carrier_id")
    .where("breach_carriers.carrier_id", "in", [...carrierIds])
    .where("breach_carriers.quarantined", "=", 1)
    .where("breaches.state", "!=", "closed")
    .execute();
  return new Set(rows.map((r) => r.carrier_id).filter((c): c is string => c !== null));
}
