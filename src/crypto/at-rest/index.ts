// At-rest encryption of carriers' electronic content: one AES-256-GCM key per carrier, wrapped by
// the node's key; chunked blobs under `<dataDir>/blobs/`; destruction as key erasure + blob shredding (A1.8).
//   ensureContentWrapKey(dataDir)                       // at `kelisim node init`
//   const vault = openContentVault({ dataDir });
//   await withTransaction(db, (trx) => vault.storeContent(trx, carrierId, bytesOrStream));
//   const { stream } = await vault.readContent(db, carrierId);          // after the access decision
//   const erased = await withTransaction(db, (trx) => vault.eraseContent(trx, carrierId));
//   if (erased) await vault.purgeErasedContent(db, [erased]);           // after the commit
export * from "./chunked-cipher.ts";
export * from "./content-vault.ts";
export type { ContentKeysTable, ContentKeyTables } from "./tables.ts";
export * from "./wrap-key.ts";
