// Names as people read them: the node's organisations and people by id, and the other Party's
// organisations as its exported directory names them (`<dataDir>/exchange/peer.json`). Names are
// not classified; what a name is shown beside is decided by the visibility rule.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { Trx } from "../store/transaction.ts";
import type { AppContext } from "./context.ts";

const PeerDirectory = z.object({
  party: z.string(),
  organisations: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
});
export type PeerDirectory = z.infer<typeof PeerDirectory>;

/** The other Party's directory as imported, or null when none is (or it does not parse). */
export function readPeerDirectory(dataDir: string): PeerDirectory | null {
  const path = join(dataDir, "exchange", "peer.json");
  if (!existsSync(path)) return null;
  try {
    const parsed = PeerDirectory.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Organisation names by id: this node's, then the other Party's (as notified since, A3.3). */
export async function organisationNames(trx: Trx, ctx: AppContext): Promise<Map<string, string>> {
  const rows = await trx.selectFrom("organisations").select(["id", "name"]).execute();
  const names = new Map(rows.map((r) => [r.id, r.name]));
  const renamed = await peerAuthorityNames(trx, ctx);
  for (const o of readPeerDirectory(ctx.dataDir)?.organisations ?? [])
    if (!names.has(o.id)) names.set(o.id, renamed.get(o.id) ?? o.name);
  return names;
}

/**
 * A3.3: the other Party's authorities by id under the newest name they notified (the peer directory
 * file keeps the name exchanged at set-up).
 */
export async function peerAuthorityNames(trx: Trx, ctx: AppContext): Promise<Map<string, string>> {
  const rows = await trx
    .selectFrom("authority_changes")
    .select(["org_id", "name"])
    .where("party", "!=", ctx.config.party)
    .orderBy("changed_at")
    .orderBy("letter_id")
    .execute();
  return new Map(rows.map((r) => [r.org_id, r.name]));
}

/** People's names by id (for the ids given). */
export async function personNames(trx: Trx, ids: readonly string[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids)].filter((id) => id.length > 0);
  if (wanted.length === 0) return new Map();
  const rows = await trx.selectFrom("people").select(["id", "name"]).where("id", "in", wanted).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
