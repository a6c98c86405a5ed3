// A14: which version of the pack applies when. The versions are built from the amendment protocols
// in force that the store holds, the signed pack first; every use case and every message handler
// reads them anew (one small query) so that a protocol that entered into force in another process
// applies here from its date too.
import { z } from "zod";
import {
  buildPackHistory,
  type DeadlineName,
  type PackChange,
  type ProtocolInForce,
} from "../../domain/agreement/amendment.ts";
import { LANGUAGES } from "../../domain/language.ts";
import { parseJsonColumn } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";

/** Every deadline a protocol may change (exhaustive: a new deadline of the pack must be added here). */
const DEADLINES: Record<DeadlineName, true> = {
  visitRequestLead: true,
  termination: true,
  breachNotice: true,
  breachInvestigationStart: true,
  breachResults: true,
  breachDamageSettlement: true,
  visitPersonalDataRetention: true,
};
const localized = z.object({ kk: z.string(), hy: z.string(), ru: z.string(), en: z.string() });

/** A14: amendment_protocols.changes as stored (the changes of the protocol's message, PackChange). */
export const storedPackChanges = z.array(
  z.discriminatedUnion("kind", [
    z.object({
      kind: z.literal("level-marking"),
      level: z.string(),
      language: z.enum(LANGUAGES),
      marking: z.string(),
    }),
    z.object({
      kind: z.literal("deadline"),
      deadline: z.enum(Object.keys(DEADLINES) as [DeadlineName, ...DeadlineName[]]),
      duration: z.string(),
    }),
    z.object({
      kind: z.literal("channel-add"),
      channel: z.object({ id: z.string(), kind: z.enum(["physical", "electronic"]), name: localized }),
    }),
    z.object({ kind: z.literal("channel-remove"), channel: z.string() }),
  ]),
) satisfies z.ZodType<PackChange[]>;

/** A14, A15.1: amendment_protocols.notices as stored (ProtocolState["notices"]). */
export const storedProtocolNotices = z.array(z.object({ from: z.string(), receivedAt: z.string() }));

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
      parseJsonColumn(storedProtocolNotices, r.notices, "amendment_protocols.notices")
        .map((n) => n.receivedAt)
        .sort()
        .at(-1) ?? r.in_force_from!,
    changes: parseJsonColumn(storedPackChanges, r.changes, "amendment_protocols.changes"),
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
