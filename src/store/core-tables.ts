// Row types of the core tables (migration 0001-core): the node's organisations, people, contracts and
// the registry of carriers. Conventions (timestamps as ISO text, 0/1 flags, …): see `columns.ts`.
// Levels are stored as the level identifiers of the agreement pack; the domain interprets them.

/** One setting of this node (party, agreement, registration-number format…). */
export interface NodeSettingsTable {
  name: string;
  value: string;
}

/** Named counters (sequence numbers, registration numbers); incremented under a row lock. */
export interface CountersTable {
  name: string;
  value: number;
}

export interface OrganisationsTable {
  id: string;
  /** The Party the organisation belongs to, e.g. `KZ`. */
  party: string;
  /** `competent-authority` or `authorized-body`. */
  kind: string;
  name: string;
  created_at: string;
}

export interface FacilityClearancesTable {
  id: string;
  organisation_id: string;
  level: string;
  /** Calendar dates or instants as ISO text; `valid_to` inclusive. */
  valid_from: string;
  valid_to: string;
  /** Who issued it (usually the competent authority's name or id). */
  issued_by: string;
  created_at: string;
  revoked_at: string | null;
  /** Migration 0007 (A1.11): why it no longer counts: `withdrawn` (for good) or `suspended` (until reinstated). */
  revocation: string | null;
}

export interface PeopleTable {
  id: string;
  organisation_id: string;
  /** Short unique handle used on the command line (`--as`). */
  handle: string;
  name: string;
  created_at: string;
  disabled_at: string | null;
}

export interface PersonalClearancesTable {
  id: string;
  person_id: string;
  level: string;
  valid_from: string;
  valid_to: string;
  issued_by: string;
  created_at: string;
  revoked_at: string | null;
  /** Migration 0007 (A1.11): why it no longer counts: `withdrawn` (for good) or `suspended` (until reinstated). */
  revocation: string | null;
}

export interface PersonRolesTable {
  person_id: string;
  /** competent-authority-officer | registry-officer | cleared-user | auditor | administrator */
  role: string;
  granted_at: string;
}

export interface ContractsTable {
  id: string;
  number: string;
  title: string;
  /** The contract's state (draft, active, …) as the domain's contract machine names it. */
  state: string;
  organisation_id: string;
  counterpart_party: string;
  counterpart_name: string;
  created_at: string;
  activated_at: string | null;
  version: number;
  /** Migration 0007 (A7, A1.13): the Party whose body concluded it there, for a contract held here as the other Party sent it; null when concluded here. */
  origin_party: string | null;
  /** Its id at the concluding node. */
  origin_contract_id: string | null;
  /** JSON [{ name }]: the other side's participants, as it notified them. */
  peer_participants: string | null;
  /** Migration 0012 (A7.1): the version of the list of `peer_participants` (the later list wins). */
  peer_participants_version: number | null;
  /** When this node last sent it to the other Party, and the version sent. */
  shared_at: string | null;
  shared_version: number | null;
  suspended_at: string | null;
  closed_at: string | null;
}

export interface ContractClausesTable {
  contract_id: string;
  /** One of the six mandatory clauses of A7.1 (the domain's clause identifiers). */
  clause: string;
  text: string;
}

export interface ContractInformationTable {
  contract_id: string;
  position: number;
  description: string;
  level: string;
}

export interface ContractParticipantsTable {
  contract_id: string;
  person_id: string;
}

export interface CarriersTable {
  id: string;
  /** Registration order in this node's registry; the key of keyset paging. */
  seq: number;
  /** In the node's format; copies of one document share it and differ by copy number (A6.2). */
  registration_number: string;
  copy_number: number;
  /** paper-document | electronic-file | removable-media | other-object */
  kind: string;
  sheets: number | null;
  size_bytes: number | null;
  /** The unclassified title. */
  title: string;
  level: string;
  /** The marking as the originator set it (A2.2, A6.1). */
  marking: string;
  /** The equivalent national marking added by a receiving body (A6.1), if any. */
  national_marking: string | null;
  originator_party: string;
  originator_name: string;
  originator_organisation_id: string | null;
  custodian_organisation_id: string;
  contract_id: string | null;
  /** The carrier's state as the domain's carrier machine names it. */
  state: string;
  /** 1 when electronic content is held (encrypted at rest). */
  has_content: number;
  registered_at: string;
  registered_by: string;
  updated_at: string;
  destroyed_at: string | null;
  version: number;
}

export interface CarrierSourcesTable {
  carrier_id: string;
  source_carrier_id: string;
  /** copy | translation | derivation */
  relation: string;
}

export interface CarrierNeedToKnowTable {
  carrier_id: string;
  person_id: string;
  granted_by: string;
  granted_at: string;
}

/** Case-folded words of carrier titles, for the registry search (word → carriers, newest first). */
export interface CarrierTitleWordsTable {
  word: string;
  carrier_seq: number;
}

export interface CoreTables {
  node_settings: NodeSettingsTable;
  counters: CountersTable;
  organisations: OrganisationsTable;
  facility_clearances: FacilityClearancesTable;
  people: PeopleTable;
  personal_clearances: PersonalClearancesTable;
  person_roles: PersonRolesTable;
  contracts: ContractsTable;
  contract_clauses: ContractClausesTable;
  contract_information: ContractInformationTable;
  contract_participants: ContractParticipantsTable;
  carriers: CarriersTable;
  carrier_sources: CarrierSourcesTable;
  carrier_need_to_know: CarrierNeedToKnowTable;
  carrier_title_words: CarrierTitleWordsTable;
}
