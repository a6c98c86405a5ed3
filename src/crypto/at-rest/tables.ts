// Row types of the content keys of carriers (migration src/store/migrations/0002-audit.ts).

/**
 * The key of one carrier's electronic content, wrapped (AES-256-GCM) by the node's wrapping key,
 * and where its encrypted blob lives. Deleting the row erases the key (A1.8).
 */
export interface ContentKeysTable {
  carrier_id: string;
  /** nonce(12) ‖ encrypted key(32) ‖ tag(16). */
  wrapped_key: Uint8Array;
  /** First 8 bytes of SHA-256 of the wrapping key, hex: which node key wrapped it. */
  wrap_key_id: string;
  /** File name of the blob under `<dataDir>/blobs/`. */
  blob_name: string;
  /** Plaintext size in bytes. */
  size_bytes: number;
  /** Plaintext bytes per encrypted chunk. */
  chunk_size: number;
  stored_at: string;
}

/** The at-rest encryption's part of the database. */
export interface ContentKeyTables {
  content_keys: ContentKeysTable;
}
