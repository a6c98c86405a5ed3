/**
 * Levels and their equivalence between the Parties (A2.1, A2.2). Fail closed: an unknown Party,
 * level or marking is an error, never a default.
 *
 * In state data a level is its rank (a number: 1 lowest); the pack maps ranks to markings.
 */
import type { AgreementPack, Level, Party, PartyCode } from "../agreement/pack-schema.ts";
import { DomainError } from "../errors.ts";
import type { Language } from "../language.ts";

/** A level as stored in state data: its rank in the A2.1 table (higher = more secret). */
export type LevelRank = number;

/**
 * The Party `code` of the pack.
 * @throws DomainError PARTY_UNKNOWN (A3.1)
 */
export function findParty(pack: AgreementPack, code: PartyCode): Party {
  const party = pack.parties.find((p) => p.code === code);
  if (!party)
    throw new DomainError("PARTY_UNKNOWN", { party: code, parties: pack.parties.map((p) => p.code) });
  return party;
}

/** The other Party of a bilateral agreement. @throws DomainError PARTY_UNKNOWN */
export function otherParty(pack: AgreementPack, code: PartyCode): Party {
  findParty(pack, code);
  return pack.parties.find((p) => p.code !== code)!;
}

/**
 * The level with this rank or id (`2`, `"2"`, `"top-secret"`).
 * @throws DomainError LEVEL_UNKNOWN (A2.1)
 */
export function findLevel(pack: AgreementPack, rankOrId: LevelRank | string): Level {
  const level =
    typeof rankOrId === "number"
      ? pack.levels.find((l) => l.rank === rankOrId)
      : pack.levels.find((l) => l.id === rankOrId || String(l.rank) === rankOrId);
  if (!level) throw new DomainError("LEVEL_UNKNOWN", { level: String(rankOrId) });
  return level;
}

/**
 * The level a Party's marking stands for (A2.1). Accepts the Party's national marking or the
 * table's equivalent-language marking (Russian), compared exactly after Unicode NFC and trimming.
 * @throws DomainError MARKING_UNKNOWN (A2.1) — never guesses a level.
 */
export function levelOfMarking(pack: AgreementPack, partyCode: PartyCode, marking: string): Level {
  const party = findParty(pack, partyCode);
  const text = marking.normalize("NFC").trim();
  const languages: readonly Language[] = [party.markingLanguage, pack.equivalentMarkingLanguage];
  const level = pack.levels.find((l) => languages.some((lang) => l.markings[lang] === text));
  if (!level) throw new DomainError("MARKING_UNKNOWN", { marking, party: party.code });
  return level;
}

/**
 * The level a person of `partyCode` named: a level id (`top-secret`), a rank (`2`) or a marking as
 * that Party writes it (its national marking or the table's Russian one, A2.1). Registry officers
 * type markings; scripts use ids. Another Party's marking is not accepted here: a received
 * carrier's marking is mapped by `levelOfMarking` with the sending Party named.
 * @throws DomainError MARKING_UNKNOWN (A2.1) — never guesses a level.
 */
export function parseLevelInput(pack: AgreementPack, partyCode: PartyCode, text: string): Level {
  const byId = pack.levels.find((l) => l.id === text || String(l.rank) === text);
  return byId ?? levelOfMarking(pack, partyCode, text);
}

/**
 * The national marking of `level` for a Party (its marking language), byte-exact from the pack.
 * @throws DomainError PARTY_UNKNOWN | LEVEL_UNKNOWN (a level without an equivalent)
 */
export function markingOf(pack: AgreementPack, partyCode: PartyCode, level: LevelRank | string): string {
  const party = findParty(pack, partyCode);
  const found = findLevel(pack, level);
  const marking = found.markings[party.markingLanguage];
  if (marking === undefined) throw new DomainError("LEVEL_UNKNOWN", { level: found.id });
  return marking;
}

/**
 * A2.1/A2.2: the receiving Party's marking equivalent to the sending Party's `marking`.
 * @throws DomainError MARKING_UNKNOWN | PARTY_UNKNOWN
 */
export function equivalentMarking(
  pack: AgreementPack,
  from: PartyCode,
  to: PartyCode,
  marking: string,
): string {
  findParty(pack, to);
  return markingOf(pack, to, levelOfMarking(pack, from, marking).rank);
}

/**
 * A2.2: the level the receiving Party sets for information at the sending Party's `rank`: the
 * same rank (the table is one of equivalences). Fails closed on an unknown rank.
 * @throws DomainError LEVEL_UNKNOWN | PARTY_UNKNOWN
 */
export function equivalentLevel(pack: AgreementPack, from: PartyCode, to: PartyCode, rank: LevelRank): Level {
  findParty(pack, from);
  findParty(pack, to);
  const level = findLevel(pack, rank);
  markingOf(pack, from, level.rank);
  markingOf(pack, to, level.rank);
  return level;
}

/** The highest of the given ranks (A6.1: derived information). @throws DomainError INPUT_INVALID when empty */
export function highestRank(ranks: readonly LevelRank[]): LevelRank {
  if (ranks.length === 0) throw new DomainError("INPUT_INVALID", { field: "sources", problem: "no source" });
  return Math.max(...ranks);
}
