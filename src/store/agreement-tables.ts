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
  authority_letters: AuthorityLettersTable;
  authority_changes: AuthorityChangesTable;
  authority_notices: AuthorityNoticesTable;
}
