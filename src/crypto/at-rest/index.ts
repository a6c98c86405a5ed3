// At-rest encryption of carriers' electronic content: one AES-256-GCM key per carrier, wrapped under
// a bucket key of the node's key store (itself encrypted under the node's key); chunked blobs under
// `<dataDir>/blobs/`; destruction as cryptographic erasure: key row deleted, bucket key replaced and
// the old one dropped, blob shredded (A1.8).
//   ensureContentWrapKey(dataDir)                       // at `kelisim node init`
//   const vault = openContentVault({ dataDir });
//   await withTransaction(db, (trx) => vault.storeContent(trx, carrierId, bytesOrStream));
//   const { stream } = await vault.readContent(db, carrierId);          // after the access decision
//   const erased = await withTransaction(db, (trx) => vault.eraseContent(trx, carrierId));
//   if (erased) report = await vault.purgeErasedContent(db, [erased]);  // after the commit; never throws then
//   await vault.finishPendingErasures(db);              // at start: finishes an erasure a crash interrupted
export * from "./bucket-key-store.ts";
export * from "./chunked-cipher.ts";
export * from "./content-vault.ts";
export type {
  ContentKeyBucketsTable,
  ContentKeyStoreTable,
  ContentKeysTable,
  ContentKeyTables,
} from "./tables.ts";
export * from "./wrap-key.ts";
