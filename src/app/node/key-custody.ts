// Where a production node's secret keys are kept (A4.1.1, A6.2, A1.8): never inside its data
// directory, so that a copy of the directory (a stolen disk, a backup) lets no one re-sign a forged
// audit log or open the key store of content keys. `kelisim serve` (not demo mode) checks it before
// anything opens; demo nodes and the CLI's local verbs may keep the keys in `<dataDir>/keys/`.
import { AUDIT_SIGNING_KEY_SPEC, auditSigningKeySource } from "../../audit/signing-key.ts";
import { CONTENT_WRAP_KEY_SPEC, contentWrapKeySource } from "../../crypto/at-rest/wrap-key.ts";
import { type KeySource, keysInDataDirError, sourceInDataDir } from "../../crypto/key-custody.ts";

/** Where each of the node's two secret keys is read from, and whether that is inside the data directory. */
export type NodeKeyCustody = {
  readonly auditSigningKey: KeySource & { readonly inDataDir: boolean };
  readonly contentWrapKey: KeySource & { readonly inDataDir: boolean };
};

/** Where the node's keys are read from (NODE_KEY_IN_DATA_DIR for a *_FILE inside the data directory). */
export function nodeKeyCustody(dataDir: string, env: NodeJS.ProcessEnv = process.env): NodeKeyCustody {
  const audit = auditSigningKeySource(dataDir, env);
  const wrap = contentWrapKeySource(dataDir, env);
  return {
    auditSigningKey: { ...audit, inDataDir: sourceInDataDir(audit, dataDir) },
    contentWrapKey: { ...wrap, inDataDir: sourceInDataDir(wrap, dataDir) },
  };
}

/**
 * Refuses (NODE_KEY_IN_DATA_DIR, naming each key, its path and the variables to set) a production
 * start whose audit signing key or content wrapping key would be read from inside the data
 * directory, symlinks resolved. Reads no key and changes nothing.
 */
export function refuseKeysInDataDir(dataDir: string, env: NodeJS.ProcessEnv = process.env): NodeKeyCustody {
  const custody = nodeKeyCustody(dataDir, env);
  const inside = [
    { spec: AUDIT_SIGNING_KEY_SPEC, source: custody.auditSigningKey },
    { spec: CONTENT_WRAP_KEY_SPEC, source: custody.contentWrapKey },
  ].flatMap(({ spec, source }) =>
    source.inDataDir && source.kind === "file" ? [{ spec, path: source.path }] : [],
  );
  if (inside.length > 0) throw keysInDataDirError(dataDir, inside);
  return custody;
}
