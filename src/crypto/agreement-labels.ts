/**
 * Glue between the agreement pack (A2.1 level table, Parties' label policies) and the labels of
 * sealed packages: each Party's label carries its policy OID, the level's ESS classification and the
 * marking in the Party's marking language.
 */
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import { type AgreementLabelTable, buildPackageLabel, type PackageLabel } from "./label.ts";

/** The label table of an agreement pack. */
export function labelTableFromPack(pack: AgreementPack): AgreementLabelTable {
  const parties: Record<string, { policyOid: string; markings: Record<number, string> }> = {};
  for (const party of pack.parties) {
    const markings: Record<number, string> = {};
    for (const level of pack.levels) {
      const mark = level.markings[party.markingLanguage];
      if (mark) markings[level.essClassification] = mark;
    }
    parties[party.code] = { policyOid: party.securityPolicyOid, markings };
  }
  return { agreementId: pack.id, agreementOid: pack.oid, parties };
}

/**
 * The label pair of a carrier of `level` (its id, e.g. "secret", or its rank) sent by
 * `sendingParty` under `pack` (A2.1, A6.1).
 */
export function packageLabelFor(
  pack: AgreementPack,
  sendingParty: string,
  level: string | number,
): PackageLabel {
  const found = pack.levels.find((l) => (typeof level === "number" ? l.rank === level : l.id === level));
  if (!found) throw new RangeError(`no level ${level} in ${pack.id}`);
  return buildPackageLabel(labelTableFromPack(pack), sendingParty, found.essClassification);
}
