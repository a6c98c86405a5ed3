/**
 * Tables of migration 0008-predecessor-records: what a carrier imported from the repealed 2015
 * agreement (D3) brought with it. The carrier itself is an ordinary row of `carriers` (and, for the
 * other Party's information, of `received_carriers`), so every rule applies to it unchanged
 * (A15.3); this row is its origin flag and the record of the old register.
 */

export interface PredecessorRecordsTable {
  carrier_id: string;
  /** The predecessor agreement's id in the pack (`kz-am-2015`). */
  origin_agreement: string;
  /** The body whose old register the record came from (the custodian at import). */
  register_org: string;
  /** The number and copy the carrier bore in the old register. */
  old_number: string;
  old_copy: number;
  /** The old marking as written on the carrier (the level it maps to is the carrier's `level`). */
  old_marking: string;
  /** The originator body as the old record names it (the carrier keeps its id). */
  originator_body: string;
  /** YYYY-MM-DD: registered (own) or received in the old register. */
  registered_on: string;
  /** in | out | null (created here, never transferred). */
  transfer_direction: string | null;
  /** The other Party's registration number under the old agreement. */
  other_party_number: string | null;
  /** YYYY-MM-DD of the transfer. */
  transfer_date: string | null;
  /** The import that brought it (its audit entry names the same id). */
  import_id: string;
  imported_at: string;
}

export interface PredecessorTables {
  predecessor_records: PredecessorRecordsTable;
}
