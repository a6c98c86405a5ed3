/**
 * A4.4: persons given access under a contract take on obligations under their state's law. A person
 * acknowledges the current text of those obligations (its version in the agreement pack, per Party)
 * before their first access; the access decision refuses everything until then
 * (OBLIGATIONS_NOT_ACKNOWLEDGED), and a new version of the text is acknowledged again.
 */
import type { AgreementPack, Obligations, PartyCode } from "../agreement/pack-schema.ts";
import { findParty } from "../classification/levels.ts";

/** A recorded acknowledgement: whose text (Party, version), when, and in which language it was shown. */
export type ObligationsAcknowledgement = {
  readonly party: PartyCode;
  readonly version: string;
  readonly acknowledgedAt: string;
  readonly language: string;
};

/**
 * The current obligations text of `party` (A4.4).
 * @throws DomainError PARTY_UNKNOWN
 */
export function currentObligations(pack: AgreementPack, party: PartyCode): Obligations {
  return findParty(pack, party).obligations;
}

/**
 * The acknowledgement of the current version of `party`'s obligations among `acknowledgements`, or
 * null when the person has not acknowledged that version (an older one does not count).
 */
export function currentAcknowledgement(
  pack: AgreementPack,
  party: PartyCode,
  acknowledgements: readonly ObligationsAcknowledgement[],
): ObligationsAcknowledgement | null {
  const { version } = currentObligations(pack, party);
  return acknowledgements.find((a) => a.party === party && a.version === version) ?? null;
}
