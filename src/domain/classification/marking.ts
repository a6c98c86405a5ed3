/**
 * Marking rules (A2.2, A6.1): a received carrier keeps the originator's marking and gains the
 * equivalent national one; a copy or translation carries the original's marking; derived
 * information is marked at the highest level of its sources, never lower.
 */
import type { AgreementPack, PartyCode } from "../agreement/pack-schema.ts";
import { DomainError } from "../errors.ts";
import type { LevelRank } from "./levels.ts";
import { findLevel, highestRank, markingOf } from "./levels.ts";

/** One marking on a carrier: the Party whose marking it is, and its text (byte-exact from the pack). */
export type CarrierMarking = { readonly party: PartyCode; readonly text: string };

/** The marking a Party puts on its own carrier of level `rank`. */
export function markOwn(pack: AgreementPack, party: PartyCode, rank: LevelRank): readonly CarrierMarking[] {
  return [{ party, text: markingOf(pack, party, rank) }];
}

/**
 * A2.2, A6.1: the markings of a carrier received by `receiver` from `originator` at the level
 * the originator set: the originator's marking kept, the receiver's equivalent added.
 * @throws DomainError LEVEL_UNKNOWN | PARTY_UNKNOWN (fail closed)
 */
export function markReceived(
  pack: AgreementPack,
  originator: PartyCode,
  receiver: PartyCode,
  rank: LevelRank,
): readonly CarrierMarking[] {
  const own = markOwn(pack, originator, rank);
  return originator === receiver ? own : [...own, { party: receiver, text: markingOf(pack, receiver, rank) }];
}

/**
 * A2.2: the receiving side checks the level it is about to set equals the one the sender set.
 * @throws DomainError MARKING_NOT_EQUIVALENT
 */
export function assertSameLevel(pack: AgreementPack, sentRank: LevelRank, receivedRank: LevelRank): void {
  if (sentRank !== receivedRank) {
    throw new DomainError("MARKING_NOT_EQUIVALENT", {
      expected: findLevel(pack, sentRank).workingName.en,
      actual: String(receivedRank),
    });
  }
}

/**
 * A6.1: the level of derived information: the highest of its sources, or `requested` if given
 * and not lower.
 * @throws DomainError MARKING_BELOW_SOURCE when `requested` is lower than a source
 */
export function levelForDerived(sourceRanks: readonly LevelRank[], requested?: LevelRank): LevelRank {
  const highest = highestRank(sourceRanks);
  if (requested === undefined) return highest;
  if (requested < highest) throw new DomainError("MARKING_BELOW_SOURCE", { required: highest });
  return requested;
}

/** A6.1, A6.3: the markings after a (consented) level change: every Party's marking follows. */
export function remark(
  pack: AgreementPack,
  markings: readonly CarrierMarking[],
  rank: LevelRank,
): readonly CarrierMarking[] {
  return markings.map((m) => ({ party: m.party, text: markingOf(pack, m.party, rank) }));
}
