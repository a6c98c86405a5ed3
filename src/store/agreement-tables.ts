/**
 * Tables of migration 0007-authorities: written notices about the agreement (A15.1, A15.2), the
 * competent authorities' letters (A3.2, A3.3, A8.1, A8.2), the other Party's authority as notified
 * (A3.3), and what the competent authority is informed of (A5.5, A6.7).
 */

export interface AgreementNoticesTable {
  id: string;
  /** out | in */
  direction: string;
  /** procedures-completed | termination | termination-withdrawal */
  kind: string;
  from_party: string;
  dated_on: string;
  reference: string;
  sent_at: string;
  received_at: string | null;
  message_id: string;
  receipt_message_id: string | null;
  recorded_by: string;
  /** A14: the protocol a notice of completed procedures is about; null: the agreement itself. */
  protocol_id: string | null;
}

/** A14: an amendment protocol (0009-amendments). */
export interface AmendmentProtocolsTable {
  id: string;
  number: string;
  title: string;
  signed_on: string;
  reference: string;
  /** JSON text of `PackChange[]`. */
  changes: string;
  proposed_by: string;
  /** out | in */
  direction: string;
  status: string;
  proposed_at: string;
  answered_at: string | null;
  answer_reason: string | null;
  /** JSON text of `[{ from, receivedAt }]`. */
  notices: string;
  in_force_on: string | null;
  in_force_from: string | null;
  version: number | null;
  message_id: string;
  answer_message_id: string | null;
  recorded_by: string;
}

export interface AuthorityLettersTable {
  id: string;
  /** out | in */
  direction: string;
  /** legislation-change | authority-change | consultation-request | regulations */
  subject: string;
  from_party: string;
  title: string;
  body: string;
  authority_name: string | null;
  authority_functions: string | null;
  attachment_name: string | null;
  attachment: Uint8Array | null;
  attachment_sha256: string | null;
  sent_at: string;
  received_at: string | null;
  message_id: string;
  receipt_message_id: string | null;
  recorded_by: string;
}

export interface AuthorityChangesTable {
  letter_id: string;
  party: string;
  org_id: string;
  name: string;
  functions: string;
  changed_at: string;
}

export interface AuthorityNoticesTable {
  id: string;
  at: string;
  event: string;
  /** JSON array of article ids */
  articles: string;
  object: string | null;
  /** JSON object */
  data: string;
  read_at: string | null;
  read_by: string | null;
}

export interface AgreementTables {
  agreement_notices: AgreementNoticesTable;
  amendment_protocols: AmendmentProtocolsTable;
  authority_letters: AuthorityLettersTable;
  authority_changes: AuthorityChangesTable;
  authority_notices: AuthorityNoticesTable;
}
