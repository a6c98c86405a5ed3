import type { GeneratedAlways } from "kysely";

// Row types of the audit log's tables (migration src/store/migrations/0002-audit.ts).

/**
 * One entry of the append-only audit log; `idx` is its leaf index in the RFC 9162 tree. `entry`
 * (the canonical bytes) is the source of truth; the other columns are derived from it by the
 * database (stored generated columns, never written) and index it for queries.
 */
export interface AuditEntriesTable {
  idx: number;
  /** The entry's canonical bytes (UTF-8 JSON, see src/audit/entry.ts), exactly as hashed. */
  entry: Uint8Array;
  /** SHA-256(0x00 ‖ canonical entry bytes). */
  leaf_hash: Uint8Array;
  /** UTC instant, ISO 8601 with milliseconds (`toTimestamp`). */
  recorded_at: GeneratedAlways<string>;
  actor: GeneratedAlways<string>;
  organisation: GeneratedAlways<string | null>;
  event_type: GeneratedAlways<string>;
  object: GeneratedAlways<string | null>;
  /** done | allowed | refused | failed */
  outcome: GeneratedAlways<string>;
  /** JSON array of article IDs, as in the bytes. */
  articles: GeneratedAlways<string>;
  /** JSON object of event data, as in the bytes; null when none. */
  data: GeneratedAlways<string | null>;
}

/** The log's head: one row (id 1) with its size and frontier (roots of its perfect subtrees). */
export interface AuditHeadTable {
  id: number;
  size: number;
  frontier: Uint8Array;
}

/** Stored interior hashes of perfect subtrees at levels 8, 16, 24… (proofs in O(log n) reads). */
export interface AuditNodesTable {
  level: number;
  idx: number;
  hash: Uint8Array;
}

/** Checkpoints the node signed (C2SP signed notes), one per log size. */
export interface AuditCheckpointsTable {
  size: number;
  root: Uint8Array;
  note: string;
  created_at: string;
}

/** The audit log's part of the database. */
export interface AuditTables {
  audit_entries: AuditEntriesTable;
  audit_head: AuditHeadTable;
  audit_nodes: AuditNodesTable;
  audit_checkpoints: AuditCheckpointsTable;
}
