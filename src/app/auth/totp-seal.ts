import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { type ContentWrapKey, loadContentWrapKey } from "../../crypto/at-rest/wrap-key.ts";

// TOTP secrets are kept sealed (AES-256-GCM) so that a stolen database file yields no second factor
// (A4.2). The key is not the node's wrapping key itself but one derived from it (HKDF-SHA256, own
// label), so the two uses never share a key; it lives wherever the wrapping key lives (the key file
// or KELISIM_CONTENT_WRAP_KEY), never in the database.

const KEY_LABEL = "kelisim totp secret key v1";
const AAD_CONTEXT = "kelisim totp secret v1\0";
const FORMAT = "v1";
const NONCE_SIZE = 12;
const TAG_SIZE = 16;

/** The key that seals TOTP secrets, and the id of the node wrapping key it was derived from. */
export type TotpSealKey = { readonly key: Buffer; readonly wrapKeyId: string };

/** Derives the TOTP sealing key from the node's wrapping key. */
export function deriveTotpSealKey(wrapKey: ContentWrapKey): TotpSealKey {
  const key = Buffer.from(hkdfSync("sha256", wrapKey.key, Buffer.alloc(0), KEY_LABEL, 32));
  return { key, wrapKeyId: wrapKey.id };
}

/** Loads the node's wrapping key (environment or `<dataDir>/keys/node-wrap.key`) and derives the TOTP key. */
export function loadTotpSealKey(dataDir: string, env: NodeJS.ProcessEnv = process.env): TotpSealKey {
  return deriveTotpSealKey(loadContentWrapKey(dataDir, env));
}

// The account id is bound as associated data: a sealed secret copied to another row does not open.
function aadFor(personId: string): Buffer {
  return Buffer.from(`${AAD_CONTEXT}${personId}`, "utf8");
}

/** Seals a base32 TOTP secret for one account: `v1.<wrap key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`. */
export function sealTotpSecret(key: TotpSealKey, personId: string, secret: string): string {
  const nonce = randomBytes(NONCE_SIZE);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(aadFor(personId));
  const body = Buffer.concat([nonce, cipher.update(secret, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}.${key.wrapKeyId}.${body.toString("base64url")}`;
}

export type OpenedTotpSecret =
  | { ok: true; secret: string }
  | { ok: false; problem: "malformed" | "other-node-key" | "does-not-open" };

/**
 * Opens a sealed TOTP secret of `personId`. Never throws: a failure is a refused second factor
 * (the caller fails closed and audits the problem).
 */
export function openTotpSecret(key: TotpSealKey, personId: string, sealed: string): OpenedTotpSecret {
  const parts = sealed.split(".");
  if (parts.length !== 3 || parts[0] !== FORMAT) return { ok: false, problem: "malformed" };
  if (parts[1] !== key.wrapKeyId) return { ok: false, problem: "other-node-key" };
  const body = Buffer.from(parts[2] ?? "", "base64url");
  if (body.length <= NONCE_SIZE + TAG_SIZE) return { ok: false, problem: "malformed" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, body.subarray(0, NONCE_SIZE));
    decipher.setAAD(aadFor(personId));
    decipher.setAuthTag(body.subarray(body.length - TAG_SIZE));
    const plain = Buffer.concat([
      decipher.update(body.subarray(NONCE_SIZE, body.length - TAG_SIZE)),
      decipher.final(),
    ]);
    return { ok: true, secret: plain.toString("utf8") };
  } catch {
    return { ok: false, problem: "does-not-open" };
  }
}
