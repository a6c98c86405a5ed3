// The objects of audit entries (`<type>:<id>`) named as people name them (A4.2: auditors must be
// able to find and read the entries): a carrier by its registration number (and copy), a person or an
// organisation by name, a transfer by its carrier's number. A carrier is named only when the
// reader may learn of it by the node's one visibility rule (`access/visibility.ts`); otherwise the
// raw `carrier:<id>` stays, so a name is never a hint of a record the reader may not see.
import type { Trx } from "../../store/transaction.ts";
import { loadNamedCarriers } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";

/** How an entry's object is shown: its name, and the carrier whose page it links to (if any). */
export type ObjectName = { readonly name: string; readonly carrierId: string | null };

/** `NUMBER` for the original, `NUMBER/COPY` for a copy. */
export function carrierLabel(c: { registration_number: string; copy_number: number }): string {
  return c.copy_number === 1 ? c.registration_number : `${c.registration_number}/${c.copy_number}`;
}

function splitObject(object: string): { type: string; id: string } | null {
  const colon = object.indexOf(":");
  return colon > 0 ? { type: object.slice(0, colon), id: object.slice(colon + 1) } : null;
}

/** The names of `objects` for `actor` at `at` (a handful of queries however many objects). */
export async function resolveObjectNames(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  objects: readonly string[],
  at: string,
): Promise<Map<string, ObjectName>> {
  const byType = new Map<string, Set<string>>();
  for (const object of new Set(objects)) {
    const parts = splitObject(object);
    if (!parts) continue;
    const ids = byType.get(parts.type) ?? new Set<string>();
    ids.add(parts.id);
    byType.set(parts.type, ids);
  }
  const ids = (type: string) => [...(byType.get(type) ?? [])];
  const personIds = ids("person");
  const organisationIds = ids("organisation");
  const transferIds = ids("transfer");
  const [people, organisations, transfers] = await Promise.all([
    personIds.length === 0
      ? Promise.resolve([] as { id: string; name: string }[])
      : trx.selectFrom("people").select(["id", "name"]).where("id", "in", personIds).execute(),
    organisationIds.length === 0
      ? Promise.resolve([] as { id: string; name: string }[])
      : trx.selectFrom("organisations").select(["id", "name"]).where("id", "in", organisationIds).execute(),
    transferIds.length === 0
      ? Promise.resolve([] as { id: string; carrier_id: string | null }[])
      : trx.selectFrom("transfers").select(["id", "carrier_id"]).where("id", "in", transferIds).execute(),
  ]);
  const carriers = await loadNamedCarriers(
    trx,
    ctx,
    actor,
    [...ids("carrier"), ...transfers.map((t) => t.carrier_id)],
    at,
  );
  const names = new Map<string, ObjectName>();
  for (const id of ids("carrier")) {
    const c = carriers.get(id);
    if (c?.visible) names.set(`carrier:${id}`, { name: carrierLabel(c), carrierId: c.id });
  }
  for (const t of transfers) {
    const c = t.carrier_id !== null ? carriers.get(t.carrier_id) : undefined;
    if (c?.visible) names.set(`transfer:${t.id}`, { name: carrierLabel(c), carrierId: c.id });
  }
  for (const p of people) names.set(`person:${p.id}`, { name: p.name, carrierId: null });
  for (const o of organisations) names.set(`organisation:${o.id}`, { name: o.name, carrierId: null });
  return names;
}
