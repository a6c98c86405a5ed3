/**
 * D3, A15.3: the markings of the repealed 2015 agreement, read through the pack's table
 * (`agreement.json` `predecessor.markings`). The table is data: this file names no level and no
 * marking. Fail closed: a marking the table does not hold maps to nothing, never to a default.
 */
import { type AgreementPack, foldMarking, type Level } from "../agreement/pack-schema.ts";
import { findLevel } from "./levels.ts";

export { foldMarking } from "../agreement/pack-schema.ts";

/** A lookup of old markings (folded as {@link foldMarking}) to this agreement's levels. */
export type PredecessorMarkingMap = ReadonlyMap<string, Level>;

/** The pack's table of old markings as a lookup (build once per import, then look up each row). */
export function predecessorMarkingMap(pack: AgreementPack): PredecessorMarkingMap {
  return new Map(
    pack.predecessor.markings.table.map((m) => [foldMarking(m.marking), findLevel(pack, m.level)]),
  );
}

/**
 * The level of this agreement that an old marking, as written on a 2015-era carrier, stands for;
 * null when the pack's table does not hold it (the caller refuses the record, naming it).
 */
export function levelOfPredecessorMarking(map: PredecessorMarkingMap, written: string): Level | null {
  return map.get(foldMarking(written)) ?? null;
}
