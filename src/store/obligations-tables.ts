/**
 * Tables of migration 0011-obligations: each person's acknowledgements of the obligations they take
 * on under their state's law (A4.4), one row per version of the text acknowledged. Rows are never
 * changed or deleted: a new version of the text is a new row.
 */

export interface ObligationsAcknowledgementsTable {
  id: string;
  person_id: string;
  /** The Party whose obligations text it is (`KZ`, `AM`): the person's state. */
  party: string;
  /** The version of the text in the agreement pack (`KZ-2025-1`). */
  version: string;
  /** The language the text was shown in (`kk`, `hy`, `ru`, `en`). */
  language: string;
  /** ISO 8601 UTC: when the person acknowledged it. */
  acknowledged_at: string;
}

export interface ObligationsTables {
  obligations_acknowledgements: ObligationsAcknowledgementsTable;
}
