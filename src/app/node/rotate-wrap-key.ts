// `kelisim node rotate-wrap-key` (A4.1.1, A6.2, A1.8): replaces the node's content wrapping key.
// Only what the old key encrypts directly is re-encrypted, in one transaction: the key store of
// bucket keys (rewritten atomically, content keys and blobs untouched), the sealed TOTP secrets and
// the sealed personal data of visitors (whose keys are derived from the wrapping key), and the
// rotation is audited in that same transaction.
//
// Where the new key goes: `--out FILE` (outside the data directory; made 0600 if absent, used if it
// exists: a key made elsewhere, or the file of an interrupted run), else the file the current key is
// read from is replaced in place (the new key staged in `<file>.next` until the store is rewritten).
// A key held in KELISIM_CONTENT_WRAP_KEY needs `--out`. The old key opens everything until the commit.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { resolve } from "node:path";
import { openContentVault } from "../../crypto/at-rest/content-vault.ts";
import {
  CONTENT_WRAP_KEY_ENV,
  CONTENT_WRAP_KEY_FILE_ENV,
  type ContentWrapKey,
  contentWrapKeySource,
  formatContentWrapKey,
  loadContentWrapKey,
  newContentWrapKey,
  parseContentWrapKey,
  writeContentWrapKeyFile,
} from "../../crypto/at-rest/wrap-key.ts";
import { isInsideDirectory } from "../../crypto/key-custody.ts";
import { DomainError } from "../../domain/errors.ts";
import type { OpenNode } from "../../node/open-node.ts";
import type { Trx } from "../../store/transaction.ts";
import { deriveTotpSealKey, openTotpSecret, sealTotpSecret } from "../auth/totp-seal.ts";
import { recordAudit } from "../record-audit.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.1.1, A6.2, A1.8: the node's content wrapping key was replaced. */
    "node.content-wrap-key-rotated": AuditData | undefined;
  }
}

export type RotateWrapKeyInput = {
  /** Where to write the new key (outside the data directory); default: replace the current file. */
  readonly out?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => Date;
};

export type RotatedWrapKey = {
  readonly oldKeyId: string;
  readonly newKeyId: string;
  /** The file now holding the new key. */
  readonly keyFile: string;
  /** True when the current key file was replaced in place (nothing to reconfigure). */
  readonly inPlace: boolean;
  /** The new key, base64 (for KELISIM_CONTENT_WRAP_KEY): shown once. */
  readonly newKeyBase64: string;
  readonly bucketKeys: number;
  readonly legacyRebucketed: number;
  readonly totpSecrets: number;
  readonly personalData: number;
};

const refuse = (problem: string) =>
  new DomainError("NODE_KEY_ROTATION_REFUSED", { key: "content wrapping key", problem });

/** The new key: read from `path` when it exists (not the old one), else made and written there (`made`). */
async function newKeyAt(path: string, old: ContentWrapKey): Promise<{ key: ContentWrapKey; made: boolean }> {
  if (existsSync(path)) {
    const key = parseContentWrapKey(readFileSync(path, "utf8"), path);
    if (key.id === old.id) throw refuse(`${path} holds the current key`);
    return { key, made: false };
  }
  const key = newContentWrapKey();
  await writeContentWrapKeyFile(path, key, true);
  return { key, made: true };
}

// Visitors' personal data (A9.2 (1)) are sealed under a key derived from the wrapping key: the same
// derivation, format and associated data as src/app/visits/personal-data.ts (its tests open what
// is re-sealed here).
const PERSONAL_LABEL = "kelisim visit personal data key v1";
const PERSONAL_AAD = "kelisim visit personal data v1\0";

function personalKey(wrap: ContentWrapKey): Buffer {
  return Buffer.from(hkdfSync("sha256", wrap.key, Buffer.alloc(0), PERSONAL_LABEL, 32));
}

/** Re-seals one visitor's sealed personal data from `old` to `next`; null when not sealed under `old`. Exported for tests. */
export function resealPersonal(
  sealed: string,
  visitId: string,
  seq: number,
  old: ContentWrapKey,
  next: ContentWrapKey,
): string | null {
  const parts = sealed.split(".");
  if (parts.length !== 3 || parts[0] !== "v1" || parts[1] !== old.id) return null;
  const aad = Buffer.from(`${PERSONAL_AAD}${visitId}\0${seq}`, "utf8");
  const body = Buffer.from(parts[2] ?? "", "base64url");
  const decipher = createDecipheriv("aes-256-gcm", personalKey(old), body.subarray(0, 12));
  decipher.setAAD(aad);
  decipher.setAuthTag(body.subarray(body.length - 16));
  let plain: Buffer;
  try {
    plain = Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]);
  } catch {
    throw refuse(`the personal data of visitor ${seq} of visit ${visitId} do not open with the current key`);
  }
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", personalKey(next), nonce);
  cipher.setAAD(aad);
  const out = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  plain.fill(0);
  return `v1.${next.id}.${out.toString("base64url")}`;
}

/** Re-seals the TOTP secrets and visitors' personal data sealed under `old`; returns how many. */
async function resealDerived(
  trx: Trx,
  old: ContentWrapKey,
  next: ContentWrapKey,
): Promise<{ totpSecrets: number; personalData: number }> {
  const oldTotp = deriveTotpSealKey(old);
  const nextTotp = deriveTotpSealKey(next);
  let totpSecrets = 0;
  const accounts = await trx
    .selectFrom("auth_account")
    .select(["person_id", "totp_secret_sealed", "totp_pending_sealed"])
    .execute();
  for (const account of accounts) {
    const reseal = (sealed: string | null): string | null => {
      if (sealed === null || sealed.split(".")[1] !== old.id) return sealed;
      const opened = openTotpSecret(oldTotp, account.person_id, sealed);
      if (!opened.ok)
        throw refuse(`the TOTP secret of person ${account.person_id} does not open with the current key`);
      totpSecrets++;
      return sealTotpSecret(nextTotp, account.person_id, opened.secret);
    };
    const secret = reseal(account.totp_secret_sealed);
    const pending = reseal(account.totp_pending_sealed);
    if (secret !== account.totp_secret_sealed || pending !== account.totp_pending_sealed) {
      await trx
        .updateTable("auth_account")
        .set({ totp_secret_sealed: secret, totp_pending_sealed: pending })
        .where("person_id", "=", account.person_id)
        .execute();
    }
  }
  let personalData = 0;
  const visitors = await trx
    .selectFrom("visit_visitors")
    .select(["visit_id", "seq", "personal"])
    .where("personal", "is not", null)
    .execute();
  for (const v of visitors) {
    const resealed = resealPersonal(v.personal ?? "", v.visit_id, Number(v.seq), old, next);
    if (resealed === null) continue;
    await trx
      .updateTable("visit_visitors")
      .set({ personal: resealed })
      .where("visit_id", "=", v.visit_id)
      .where("seq", "=", v.seq)
      .execute();
    personalData++;
  }
  return { totpSecrets, personalData };
}

/** Replaces the node's content wrapping key (see the top of this file). */
export async function rotateContentWrapKey(
  node: OpenNode,
  input: RotateWrapKeyInput = {},
): Promise<RotatedWrapKey> {
  const env = input.env ?? process.env;
  const now = input.now ?? (() => new Date());
  const { dataDir } = node.location;
  const source = contentWrapKeySource(dataDir, env);
  const old = loadContentWrapKey(dataDir, env);
  let staged: string;
  let finalPath: string;
  if (input.out !== undefined) {
    finalPath = resolve(input.out);
    if (isInsideDirectory(finalPath, dataDir))
      throw refuse(`--out ${finalPath} lies inside the data directory ${dataDir}: name a file outside it`);
    staged = finalPath;
  } else if (source.kind === "file") {
    finalPath = source.path;
    staged = `${source.path}.next`;
  } else {
    throw refuse(`the current key comes from ${CONTENT_WRAP_KEY_ENV}: give --out FILE for the new key`);
  }
  const { key: next, made } = await newKeyAt(staged, old);
  const vault = openContentVault({ dataDir, wrapKey: old });
  let derived = { totpSecrets: 0, personalData: 0 };
  const replaced = vault.replaceWrapKey(node.db, next, async (trx, done) => {
    derived = await resealDerived(trx, old, next);
    await recordAudit(
      trx,
      { now },
      {
        type: "node.content-wrap-key-rotated",
        actor: `node:${node.config.nodeId}`,
        organisation: null,
        object: { type: "node", id: node.config.nodeId },
        outcome: "done",
        articles: ["A4.1.1", "A6.2", "A1.8"],
        data: {
          oldKeyId: old.id,
          newKeyId: next.id,
          bucketKeys: done.bucketKeys,
          legacyRebucketed: done.legacyRebucketed,
          ...derived,
        },
      },
    );
  });
  let counts: Awaited<typeof replaced>;
  try {
    counts = await replaced;
  } catch (error) {
    // A refusal changes nothing: the new key this run made goes (nothing is under it yet).
    if (made && error instanceof DomainError && error.code === "NODE_KEY_ROTATION_REFUSED")
      await unlink(staged).catch(() => {});
    throw error;
  }
  const inPlace = staged !== finalPath;
  if (inPlace) await rename(staged, finalPath);
  return {
    oldKeyId: old.id,
    newKeyId: next.id,
    keyFile: finalPath,
    inPlace,
    newKeyBase64: formatContentWrapKey(next),
    ...counts,
    ...derived,
  };
}

export { CONTENT_WRAP_KEY_ENV, CONTENT_WRAP_KEY_FILE_ENV };
