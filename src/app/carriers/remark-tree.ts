// A level change or declassification of information, applied to every carrier of it in the
// registry (A6.1, A6.3, A6.4): the carrier itself, and every copy, translation and derivative of it.
import { findLevel, markingOf } from "../../domain/classification/levels.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";

/** Statuses in which a carrier is held (its state follows a declassification). */
const HELD = new Set(["registered", "received"]);

/** One re-marked carrier: its level before and after. */
export type Remarked = { readonly id: string; readonly previousLevel: string; readonly level: string };

/**
 * A6.1, A6.4: re-marks the carrier `rootId` (at `levelId`, its originator's marking
 * `originMarking`) and every copy, translation and derivative of it held here. Copies and
 * translations carry their original's marking; a derivative is marked at the highest level of its
 * sources after the change (never lower than any of them). The other Party's information keeps the
 * equivalent national marking beside its own. With `declassify`, every carrier still held becomes
 * `declassified` (A1.7). A destroyed carrier is left as it is. Returns the carriers changed.
 */
export async function remarkTreeDetailed(
  trx: Trx,
  ctx: AppContext,
  rootId: string,
  levelId: string,
  originMarking: string,
  declassify: boolean,
): Promise<Remarked[]> {
  const at = toTimestamp(ctx.now());
  const changed: Remarked[] = [];
  // `marking` undefined: the carrier's own originator's marking of the level.
  const setLevel = async (id: string, level: string, marking?: string) => {
    const row = await trx.selectFrom("carriers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    if (row.state === "destroyed") return;
    await trx
      .updateTable("carriers")
      .set({
        level,
        marking: marking ?? markingOf(ctx.pack, row.originator_party, level),
        national_marking:
          row.originator_party === ctx.config.party ? null : markingOf(ctx.pack, ctx.config.party, level),
        state: declassify && HELD.has(row.state) ? "declassified" : row.state,
        updated_at: at,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .execute();
    changed.push({ id, previousLevel: row.level, level });
  };
  await setLevel(rootId, levelId, originMarking);
  const queue = [rootId];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const current = queue.shift()!;
    const children = await trx
      .selectFrom("carrier_sources")
      .selectAll()
      .where("source_carrier_id", "=", current)
      .execute();
    for (const child of children) {
      if (seen.has(child.carrier_id)) continue;
      seen.add(child.carrier_id);
      const parent = await trx
        .selectFrom("carriers")
        .selectAll()
        .where("id", "=", current)
        .executeTakeFirstOrThrow();
      if (child.relation === "derivation") {
        const sources = await trx
          .selectFrom("carrier_sources")
          .innerJoin("carriers", "carriers.id", "carrier_sources.source_carrier_id")
          .select("carriers.level")
          .where("carrier_sources.carrier_id", "=", child.carrier_id)
          .execute();
        const top = sources.reduce((a, b) =>
          findLevel(ctx.pack, b.level).rank > findLevel(ctx.pack, a.level).rank ? b : a,
        );
        await setLevel(child.carrier_id, top.level);
      } else {
        await setLevel(child.carrier_id, parent.level, parent.marking);
      }
      queue.push(child.carrier_id);
    }
  }
  return changed;
}

/** {@link remarkTreeDetailed}, returning the ids of the carriers changed. */
export async function remarkTree(
  trx: Trx,
  ctx: AppContext,
  rootId: string,
  levelId: string,
  originMarking: string,
  declassify: boolean,
): Promise<string[]> {
  return (await remarkTreeDetailed(trx, ctx, rootId, levelId, originMarking, declassify)).map((c) => c.id);
}
