// A14: which version of the pack applies when. The versions are built from the amendment protocols
// in force that the store holds, the signed pack first; every use case and every message handler
// reads them anew (one small query) so that a protocol that entered into force in another process
// applies here from its date too.
import { buildPackHistory, type PackChange, type ProtocolInForce } from "../../domain/agreement/amendment.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";

/** The protocols in force, in the order this node recorded them (their versions). */
export async function protocolsInForce(trx: Trx): Promise<ProtocolInForce[]> {
  const rows = await trx
    .selectFrom("amendment_protocols")
    .select(["id", "number", "version", "in_force_on", "in_force_from", "notices", "changes"])
    .where("status", "=", "in-force")
    .orderBy("version")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    version: Number(r.version),
    inForceOn: r.in_force_on!,
    // The last notice's receipt: the instant both nodes record alike (A15.1).
    appliesFrom:
      (JSON.parse(r.notices) as { receivedAt: string }[])
        .map((n) => n.receivedAt)
        .sort()
        .at(-1) ?? r.in_force_from!,
    changes: JSON.parse(r.changes) as PackChange[],
  }));
}

/**
 * Reads the protocols in force and rebuilds `ctx.packs` when they changed. A context without
 * `packs` has a fixed pack: nothing to refresh.
 * @throws DomainError PROTOCOL_CHANGE_INVALID when a protocol no longer fits the pack before it
 */
export async function refreshPackHistory(trx: Trx, ctx: AppContext): Promise<void> {
  const packs = ctx.packs;
  if (!packs) return;
  const protocols = await protocolsInForce(trx);
  const key = protocols.map((p) => `${p.version}:${p.id}:${p.appliesFrom}`).join(",");
  if (key === packs.key) return;
  packs.versions = buildPackHistory(packs.versions[0]!.pack, protocols);
  packs.key = key;
}
