/** Tables of migration 0006-visits-breaches: the visits of Article 9 and the breaches of Article 11. */

export interface VisitsTable {
  id: string;
  /** out: this node's Party sends the visitors; in: it hosts them. */
  direction: string;
  /** one-time | recurring | amendment */
  kind: string;
  amends: string | null;
  /** sent | received | approved | refused | cancelled | completed | superseded */
  state: string;
  visiting_party: string;
  host_party: string;
  requesting_org: string;
  host_authority_org: string;
  start_date: string;
  end_date: string;
  recurrence: string | null;
  purpose: string;
  /** JSON [{ title, level }] */
  topics: string;
  level: string;
  /** JSON [org id] */
  bodies_to_visit: string;
  /** JSON [{ position, name }] */
  people_to_meet: string;
  requested_by: string;
  requested_at: string;
  request_message: string | null;
  received_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  cancelled_at: string | null;
  cancel_reason: string | null;
  personal_erase_due_at: string;
  personal_erased_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VisitVisitorsTable {
  visit_id: string;
  seq: number;
  person_id: string | null;
  surname: string;
  name: string;
  position: string;
  body: string;
  clearance_level: string;
  clearance_valid_until: string;
  /** Sealed personal data (birth date and place, citizenship, passport); null once erased. */
  personal: string | null;
  acquainted_at: string | null;
  acquainted_by: string | null;
}

export interface VisitTopicCarriersTable {
  visit_id: string;
  topic: number;
  carrier_id: string;
  linked_by: string;
  linked_at: string;
}

export interface BreachesTable {
  id: string;
  /** own: it happened on this Party's side; in: the other Party notified us. */
  direction: string;
  party: string;
  suspected: number;
  state: string;
  what: string;
  how_found: string;
  occurred_at: string | null;
  found_at: string;
  /** JSON [party code] */
  information_of: string;
  reporting_org: string;
  reported_by: string;
  reported_at: string;
  source: string | null;
  notice_message: string | null;
  notice_due_at: string | null;
  notified_at: string | null;
  investigation_due_at: string | null;
  investigation_started_at: string | null;
  results_due_at: string | null;
  results: string | null;
  results_reported_at: string | null;
  damage_due_at: string | null;
  damage_assessment: string | null;
  settlement: string | null;
  closed_at: string | null;
  closed_by: string | null;
  updated_at: string;
}

export interface BreachCarriersTable {
  breach_id: string;
  seq: number;
  carrier_id: string | null;
  origin_party: string;
  origin_registration_number: string;
  origin_copy_number: number;
  quarantined: number;
}

export interface VisitBreachTables {
  visits: VisitsTable;
  visit_visitors: VisitVisitorsTable;
  visit_topic_carriers: VisitTopicCarriersTable;
  breaches: BreachesTable;
  breach_carriers: BreachCarriersTable;
}
