// Row types of the content keys of carriers (migrations src/store/migrations/0002-audit.ts and
// 0013-content-key-buckets.ts).

/**
 * The key of one carrier's electronic content, wrapped (AES-256-GCM) by its bucket's key (or, for a
 * row written before 0013 and not yet re-wrapped, by the node's wrapping key), and where its
 * encrypted blob lives. Deleting the row and replacing the bucket's key erases the key (A1.8).
 */
export interface ContentKeysTable {
  carrier_id: string;
  /** nonce(12) ‖ encrypted key(32) ‖ tag(16). */
  wrapped_key: Uint8Array;
  /** The bucket key that wrapped it (its id in the key store); for a legacy row, the node key's id. */
  wrap_key_id: string;
  /** File name of the blob under `<dataDir>/blobs/`. */
  blob_name: string;
  /** Plaintext size in bytes. */
  size_bytes: number;
  /** Plaintext bytes per encrypted chunk. */
  chunk_size: number;
  stored_at: string;
  /** The carrier's bucket; null: a legacy row wrapped by the node key (re-wrapped at the next destruction). */
  bucket_id: string | null;
}

/** A group of carriers whose keys are wrapped under one bucket key, replaced at each destruction in it. */
export interface ContentKeyBucketsTable {
  id: string;
  /** The bucket key (id in `<dataDir>/keys/content-buckets.keys`) that wraps its carriers' keys now. */
  key_id: string;
  /** Carriers ever assigned to it (it takes no more once full). */
  carriers: number;
  opened_at: string;
  /** 1: a carrier of the bucket was destroyed and the bucket key not yet replaced (A1.8). */
  erasure_pending: number;
}

/** One row (id 1): the lock of the key-store file, taken first by every writer of it. */
export interface ContentKeyStoreTable {
  id: number;
  /** Incremented at every write of the key-store file (the file carries it too). */
  generation: number;
  /** 1: bucket keys no row uses any more remain in the file, to be dropped. */
  drop_pending: number;
}

/** The at-rest encryption's part of the database. */
export interface ContentKeyTables {
  content_keys: ContentKeysTable;
  content_key_buckets: ContentKeyBucketsTable;
  content_key_store: ContentKeyStoreTable;
}
