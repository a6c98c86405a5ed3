// A9.2 (1): a visitor's personal data (date and place of birth, citizenship, passport series and
// number) kept sealed at rest (AES-256-GCM) so that a copy of the database yields none of them. The
// key is derived from the node's wrapping key (HKDF-SHA256, its own label, as the TOTP seal does),
// so no two uses share a key; the visit id and the visitor's number are bound as associated data: a
// sealed value copied to another visitor's row does not open. Never in lists, audit data, logs,
// error messages or the inbox (the request carries them as its sealed attachment).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { z } from "zod";
import { loadContentWrapKey } from "../../crypto/at-rest/wrap-key.ts";
import { DomainError } from "../../domain/errors.ts";

const KEY_LABEL = "kelisim visit personal data key v1";
const AAD_CONTEXT = "kelisim visit personal data v1\0";
const FORMAT = "v1";
const NONCE_SIZE = 12;
const TAG_SIZE = 16;

/** A visitor's personal data as A9.2 (1) lists them. */
export type VisitorPersonalData = {
  readonly birthDate: string;
  readonly birthPlace: string;
  readonly citizenship: string;
  readonly passport: string;
};

const StoredPersonalData = z.strictObject({
  birthDate: z.string(),
  birthPlace: z.string(),
  citizenship: z.string(),
  passport: z.string(),
}) satisfies z.ZodType<VisitorPersonalData>;

type SealKey = { readonly key: Buffer; readonly wrapKeyId: string };

const KEYS = new Map<string, SealKey>();

function sealKeyOf(dataDir: string): SealKey {
  let key = KEYS.get(dataDir);
  if (!key) {
    const wrap = loadContentWrapKey(dataDir);
    key = {
      key: Buffer.from(hkdfSync("sha256", wrap.key, Buffer.alloc(0), KEY_LABEL, 32)),
      wrapKeyId: wrap.id,
    };
    KEYS.set(dataDir, key);
  }
  return key;
}

const aadFor = (visitId: string, seq: number) => Buffer.from(`${AAD_CONTEXT}${visitId}\0${seq}`, "utf8");

/** Seals one visitor's personal data: `v1.<wrap key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`. */
export function sealPersonalData(
  dataDir: string,
  visitId: string,
  seq: number,
  data: VisitorPersonalData,
): string {
  const key = sealKeyOf(dataDir);
  const nonce = randomBytes(NONCE_SIZE);
  const cipher = createCipheriv("aes-256-gcm", key.key, nonce);
  cipher.setAAD(aadFor(visitId, seq));
  const plain = JSON.stringify({
    birthDate: data.birthDate,
    birthPlace: data.birthPlace,
    citizenship: data.citizenship,
    passport: data.passport,
  });
  const body = Buffer.concat([nonce, cipher.update(plain, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `${FORMAT}.${key.wrapKeyId}.${body.toString("base64url")}`;
}

/**
 * Opens one visitor's sealed personal data. A value that does not open is the node's data damaged:
 * the data are never shown half-way, and the error names no value.
 */
export function openPersonalData(
  dataDir: string,
  visitId: string,
  seq: number,
  sealed: string,
): VisitorPersonalData {
  const key = sealKeyOf(dataDir);
  const parts = sealed.split(".");
  const damaged = () => new DomainError("VISIT_PERSONAL_DATA_DAMAGED", { visit: visitId, seq });
  if (parts.length !== 3 || parts[0] !== FORMAT || parts[1] !== key.wrapKeyId) throw damaged();
  const body = Buffer.from(parts[2] ?? "", "base64url");
  if (body.length <= NONCE_SIZE + TAG_SIZE) throw damaged();
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, body.subarray(0, NONCE_SIZE));
    decipher.setAAD(aadFor(visitId, seq));
    decipher.setAuthTag(body.subarray(body.length - TAG_SIZE));
    const plain = Buffer.concat([
      decipher.update(body.subarray(NONCE_SIZE, body.length - TAG_SIZE)),
      decipher.final(),
    ]);
    // Not JSON or not this shape: damaged like a failed tag (visit_visitors.personal_data).
    return StoredPersonalData.parse(JSON.parse(plain.toString("utf8")));
  } catch {
    throw damaged();
  }
}
