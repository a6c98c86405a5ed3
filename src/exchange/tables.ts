// Row types of migration 0004-exchange (src/store/migrations/0004-exchange.ts): outbox, inbox, peer checkpoints, transfers,
// received carriers and consent requests.

export interface ExchangeOutboxTable {
  id: string;
  seq: number;
  peer_party: string;
  kind: string;
  sender_org: string;
  recipient_org: string;
  in_reply_to: string | null;
  parcel: Uint8Array;
  parcel_sha256: string;
  /** pending | delivered | refused */
  state: string;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
  delivered_via: string | null;
  exported_at: string | null;
  ack: string | null;
}

export interface ExchangeInboxTable {
  id: string;
  sender_party: string;
  sender_org: string;
  recipient_org: string;
  kind: string;
  envelope_sha256: string;
  envelope: string;
  received_via: string;
  received_at: string;
  /** accepted | refused */
  outcome: string;
  refusal: string | null;
  reply_id: string | null;
}

export interface ExchangePeerCheckpointsTable {
  party: string;
  size: number;
  root_hash: string;
  note: string;
  cosignature: string;
  verified_at: string;
}

export interface ExchangeCosignedCheckpointsTable {
  party: string;
  size: number;
  note: string;
  received_at: string;
}

export interface ExchangeAlertsTable {
  id: string;
  party: string;
  /** peer-log-forked | peer-log-rewritten | peer-log-shrunk | peer-checkpoint-invalid */
  kind: string;
  details: string;
  raised_at: string;
}

export interface TransfersTable {
  id: string;
  /** out | in */
  direction: string;
  state: string;
  carrier_id: string | null;
  contract_number: string;
  level: string;
  sending_party: string;
  sending_org: string;
  receiving_party: string;
  receiving_org: string;
  mode: string | null;
  requested_by: string | null;
  requested_at: string;
  consented_by: string | null;
  consented_at: string | null;
  confirmation: string | null;
  dispatch: string | null;
  dispatched_at: string | null;
  receipt_due_at: string | null;
  receipt: string | null;
  closed_at: string | null;
  refusal: string | null;
  updated_at: string;
}

export interface ReceivedCarriersTable {
  carrier_id: string;
  origin_party: string;
  origin_registration_number: string;
  origin_copy_number: number;
  origin_org: string;
  transfer_id: string;
  received_at: string;
}

export interface ConsentRequestsTable {
  id: string;
  /** out | in */
  direction: string;
  action: string;
  state: string;
  carrier_id: string | null;
  origin_party: string;
  origin_registration_number: string;
  origin_copy_number: number;
  holder_org: string;
  originator_org: string;
  details: string;
  requested_by: string | null;
  requested_at: string;
  answered_by: string | null;
  answered_at: string | null;
  answer_reason: string | null;
  used_at: string | null;
  /**
   * Migration 0012 (D3, A6.7): a request received on a carrier of the 2015 agreement this node holds
   * no record of is referred to the competent authority named here, whose officer decides by hand.
   */
  referred_to: string | null;
}

export interface ExchangeTables {
  exchange_outbox: ExchangeOutboxTable;
  exchange_inbox: ExchangeInboxTable;
  exchange_peer_checkpoints: ExchangePeerCheckpointsTable;
  exchange_cosigned_checkpoints: ExchangeCosignedCheckpointsTable;
  exchange_alerts: ExchangeAlertsTable;
  transfers: TransfersTable;
  received_carriers: ReceivedCarriersTable;
  consent_requests: ConsentRequestsTable;
}
