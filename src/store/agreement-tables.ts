/** Tables of migration 0007-agreement-notices: written notices about the agreement (A15.1, A15.2). */

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

export interface AgreementTables {
  agreement_notices: AgreementNoticesTable;
}
