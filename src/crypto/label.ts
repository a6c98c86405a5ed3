/**
 * ESS security labels (RFC 2634 §3) and equivalent labels carrying a carrier's level (A2.1, A6.1).
 *
 * The sending Party's label names its security policy, the level's rank as the classification and
 * the marking as the privacy mark; `equivalentLabels` carries the receiving Party's label for the
 * same rank, so that the receiver marks the carrier with the equivalent level (A2.2, A6.1).
 */
import { DerError, integer, type Node, oid, seq, TAG, tlv, utf8 } from "./der.ts";

/** One ESS security label. */
export type EssLabel = {
  /** The Party's security policy OID. */
  readonly policyOid: string;
  /** The level's rank (A2.1): 1 Secret, 2 Top secret, 3 Of special importance. */
  readonly classification: number;
  /** The marking in the Party's language, e.g. "Құпия". */
  readonly privacyMark: string;
};

/** The label of a package: the sender's label and the receiving Party's equivalent label(s). */
export type PackageLabel = {
  readonly label: EssLabel;
  readonly equivalentLabels: readonly EssLabel[];
};

/** One Party's entry in the agreement's label table. */
export type PartyLabelPolicy = {
  readonly policyOid: string;
  /** Marking per rank, in the Party's language. */
  readonly markings: Readonly<Record<number, string>>;
};

/** What the crypto layer needs of an agreement to build and check labels. */
export type AgreementLabelTable = {
  readonly agreementId: string;
  readonly agreementOid: string;
  /** Party code (KZ, AM) → its policy and markings. */
  readonly parties: Readonly<Record<string, PartyLabelPolicy>>;
};

/** Encodes an ESSSecurityLabel: a DER SET, so its components sorted by tag (INTEGER, OID, UTF8String). */
export function encodeEssLabel(label: EssLabel): Uint8Array {
  if (!Number.isInteger(label.classification) || label.classification < 0 || label.classification > 256)
    throw new RangeError("classification out of range 0..256 (RFC 2634 ub-integer-options)");
  if (label.privacyMark.length === 0 || label.privacyMark.length > 128)
    throw new RangeError("bad privacy mark");
  return tlv(TAG.SET, integer(label.classification), oid(label.policyOid), utf8(label.privacyMark));
}

/** Encodes EquivalentLabels ::= SEQUENCE OF ESSSecurityLabel. */
export function encodeEquivalentLabels(labels: readonly EssLabel[]): Uint8Array {
  return seq(...labels.map(encodeEssLabel));
}

/** Decodes an ESSSecurityLabel (classification and privacy mark required by Kelisim's profile). */
export function decodeEssLabel(node: Node): EssLabel {
  if (node.tag !== TAG.SET) throw new DerError("label is not a SET");
  const classificationNode = node.next(TAG.INTEGER, "security-classification");
  const policyNode = node.next(TAG.OID, "security-policy-identifier");
  const markNode = node.next(undefined, "privacy-mark");
  node.end("ESSSecurityLabel");
  const classification = classificationNode.asSmallInt();
  if (classification > 256) throw new DerError("classification out of range");
  return { policyOid: policyNode.asOid(), classification, privacyMark: markNode.asUtf8() };
}

/** Decodes EquivalentLabels. */
export function decodeEquivalentLabels(node: Node): EssLabel[] {
  if (node.tag !== TAG.SEQUENCE) throw new DerError("equivalentLabels is not a SEQUENCE");
  const out: EssLabel[] = [];
  while (node.hasMore()) {
    if (out.length >= 8) throw new DerError("too many equivalent labels");
    out.push(decodeEssLabel(node.next(TAG.SET, "equivalent label")));
  }
  return out;
}

/** True when both labels are the same. */
export function isSameLabel(a: EssLabel, b: EssLabel): boolean {
  return (
    a.policyOid === b.policyOid && a.classification === b.classification && a.privacyMark === b.privacyMark
  );
}

/**
 * Builds the label pair for a carrier of level `rank` sent by `sendingParty` (A2.1, A6.1): the sender's
 * label, and as equivalent labels the label of every other Party of the agreement for the same rank.
 */
export function buildPackageLabel(
  table: AgreementLabelTable,
  sendingParty: string,
  rank: number,
): PackageLabel {
  const own = table.parties[sendingParty];
  if (!own) throw new RangeError(`${sendingParty} is not a Party to ${table.agreementId}`);
  const label = partyLabel(own, rank, sendingParty);
  const equivalentLabels = Object.entries(table.parties)
    .filter(([party]) => party !== sendingParty)
    .map(([party, policy]) => partyLabel(policy, rank, party));
  return { label, equivalentLabels };
}

function partyLabel(policy: PartyLabelPolicy, rank: number, party: string): EssLabel {
  const mark = policy.markings[rank];
  if (mark === undefined) throw new RangeError(`no level of rank ${rank} for ${party}`);
  return { policyOid: policy.policyOid, classification: rank, privacyMark: mark };
}

/**
 * Checks a received label pair against the agreement's table for the signer's Party (A2.1, A6.1):
 * true only when it is exactly what `buildPackageLabel` gives for that Party and rank.
 */
export function matchesAgreement(
  table: AgreementLabelTable,
  signerParty: string,
  received: PackageLabel,
): boolean {
  let expected: PackageLabel;
  try {
    expected = buildPackageLabel(table, signerParty, received.label.classification);
  } catch {
    return false;
  }
  if (!isSameLabel(expected.label, received.label)) return false;
  if (expected.equivalentLabels.length !== received.equivalentLabels.length) return false;
  return expected.equivalentLabels.every((e, i) => isSameLabel(e, received.equivalentLabels[i]!));
}
