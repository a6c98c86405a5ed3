/**
 * C2SP signed notes (https://c2sp.org/signed-note) with Ed25519 keys (signature type 0x01).
 *
 * A note is UTF-8 text ending in a newline, a blank line, then one or more lines
 * `— <key name> base64(key ID ‖ signature)`. The key ID is
 * `SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key)[:4]`. Verifier keys are written
 * `<name>+<key ID as 8 hex digits>+base64(0x01 ‖ public key)`, as in Go's `golang.org/x/mod/sumdb/note`.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";

const ED25519_TYPE = 0x01;
const SIGNATURE_PREFIX = "— ";
/** Verifiers must accept at least 16 signatures; more are refused (C2SP). */
const MAX_SIGNATURES = 16;
/** DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows it. */
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

/** A key that signs notes: its name, its private key and the matching public key (raw 32 bytes). */
export type NoteSigner = {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  readonly privateKey: KeyObject;
};

/** A key that verifies notes. */
export type NoteVerifier = { readonly name: string; readonly keyId: number; readonly publicKey: Buffer };

/** One signature line of a note. */
export type NoteSignature = { readonly name: string; readonly keyId: number; readonly signature: Buffer };

/** Thrown for a malformed note or key, or a note that no trusted key signed. */
export class SignedNoteError extends Error {
  override readonly name = "SignedNoteError";
}

function assertKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name) || /[\p{Z}]/u.test(name)) {
    throw new SignedNoteError(`key name must be non-empty, without spaces or '+': ${JSON.stringify(name)}`);
  }
}

/** Computes the C2SP key ID of an Ed25519 key: the first 4 bytes (big-endian) of SHA-256(name ‖ \n ‖ 0x01 ‖ key). */
export function computeKeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash("sha256")
    .update(Buffer.from(`${name}\n`, "utf8"))
    .update(Buffer.from([ED25519_TYPE]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

/** Raw 32-byte public key of an Ed25519 key object. */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const der = createPublicKey(key).export({ format: "der", type: "spki" });
  if (
    der.length !== ED25519_SPKI_PREFIX.length + 32 ||
    !der.subarray(0, ED25519_SPKI_PREFIX.length).equals(ED25519_SPKI_PREFIX)
  ) {
    throw new SignedNoteError("not an Ed25519 key");
  }
  return Buffer.from(der.subarray(ED25519_SPKI_PREFIX.length));
}

/** Makes a signer from a name and an Ed25519 private key (a `KeyObject` or PKCS#8 PEM). */
export function createNoteSigner(name: string, privateKey: KeyObject | string): NoteSigner {
  assertKeyName(name);
  const key = typeof privateKey === "string" ? createPrivateKey(privateKey) : privateKey;
  if (key.type !== "private" || key.asymmetricKeyType !== "ed25519") {
    throw new SignedNoteError("a note signer needs an Ed25519 private key");
  }
  const publicKey = rawEd25519PublicKey(key);
  return { name, keyId: computeKeyId(name, publicKey), publicKey, privateKey: key };
}

/** Generates a fresh Ed25519 signer (a node key is made once at `node init` and kept). */
export function generateNoteSigner(name: string): NoteSigner {
  const { privateKey } = generateKeyPairSync("ed25519");
  return createNoteSigner(name, privateKey);
}

/** The verifier key of a signer, as a value. */
export function verifierOf(signer: NoteSigner | NoteVerifier): NoteVerifier {
  return { name: signer.name, keyId: signer.keyId, publicKey: signer.publicKey };
}

/** Writes a verifier key as `<name>+<8 hex key ID>+base64(0x01 ‖ public key)`. */
export function formatVerifierKey(verifier: NoteVerifier): string {
  const id = verifier.keyId.toString(16).padStart(8, "0");
  const key = Buffer.concat([Buffer.from([ED25519_TYPE]), verifier.publicKey]).toString("base64");
  return `${verifier.name}+${id}+${key}`;
}

/** Reads a verifier key written by {@link formatVerifierKey}; refuses a key whose ID does not match. */
export function parseVerifierKey(text: string): NoteVerifier {
  // The key's base64 may itself hold '+': split at the first two only.
  const trimmed = text.trim();
  const first = trimmed.indexOf("+");
  const second = trimmed.indexOf("+", first + 1);
  if (first <= 0 || second < 0) throw new SignedNoteError("a verifier key is <name>+<hex id>+<base64 key>");
  const name = trimmed.slice(0, first);
  const idHex = trimmed.slice(first + 1, second);
  const keyB64 = trimmed.slice(second + 1);
  assertKeyName(name);
  if (!/^[0-9a-f]{8}$/.test(idHex))
    throw new SignedNoteError("the key ID of a verifier key is 8 lower-case hex digits");
  const raw = Buffer.from(keyB64, "base64");
  if (raw.toString("base64") !== keyB64 || raw.length !== 33 || raw[0] !== ED25519_TYPE) {
    throw new SignedNoteError("only Ed25519 (type 0x01) verifier keys are accepted");
  }
  const publicKey = Buffer.from(raw.subarray(1));
  const keyId = Number.parseInt(idHex, 16);
  if (computeKeyId(name, publicKey) !== keyId)
    throw new SignedNoteError("verifier key ID does not match its key");
  return { name, keyId, publicKey };
}

function assertNoteText(text: string): void {
  if (!text.endsWith("\n")) throw new SignedNoteError("note text must end with a newline");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is exactly about control characters
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text))
    throw new SignedNoteError("note text holds a control character");
}

function signatureLine(signer: NoteSigner, text: string): string {
  const signature = sign(null, Buffer.from(text, "utf8"), signer.privateKey);
  const id = Buffer.alloc(4);
  id.writeUInt32BE(signer.keyId, 0);
  return `${SIGNATURE_PREFIX}${signer.name} ${Buffer.concat([id, signature]).toString("base64")}\n`;
}

/** Signs a note text (ending in a newline) with one or more keys and returns the signed note. */
export function signNote(text: string, signers: readonly NoteSigner[]): string {
  assertNoteText(text);
  if (signers.length === 0) throw new SignedNoteError("a signed note needs at least one signature");
  return `${text}\n${signers.map((s) => signatureLine(s, text)).join("")}`;
}

/** Adds a signature (a cosignature) to an already signed note, keeping its other signatures. */
export function addNoteSignature(note: string, signer: NoteSigner): string {
  const { text, signatures } = parseSignedNote(note);
  if (signatures.some((s) => s.name === signer.name && s.keyId === signer.keyId)) return note;
  return `${note}${signatureLine(signer, text)}`;
}

/** Splits a signed note into its text and signature lines, checking the format strictly. */
export function parseSignedNote(note: string): { text: string; signatures: NoteSignature[] } {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the rule is exactly about control characters
  if (/[\u0000-\u0009\u000b-\u001f]/.test(note)) throw new SignedNoteError("note holds a control character");
  if (note.includes("\uFFFD")) throw new SignedNoteError("note is not valid UTF-8");
  const split = note.lastIndexOf("\n\n");
  if (split < 0 || !note.endsWith("\n")) throw new SignedNoteError("note has no signature block");
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split("\n");
  if (lines.length > MAX_SIGNATURES)
    throw new SignedNoteError(`note has more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line): NoteSignature => {
    if (!line.startsWith(SIGNATURE_PREFIX))
      throw new SignedNoteError(`malformed signature line: ${JSON.stringify(line)}`);
    const rest = line.slice(SIGNATURE_PREFIX.length);
    const space = rest.lastIndexOf(" ");
    const name = rest.slice(0, space);
    const b64 = rest.slice(space + 1);
    if (space <= 0) throw new SignedNoteError(`malformed signature line: ${JSON.stringify(line)}`);
    assertKeyName(name);
    const raw = Buffer.from(b64, "base64");
    if (raw.length < 5 || raw.toString("base64") !== b64)
      throw new SignedNoteError("malformed signature encoding");
    return { name, keyId: raw.readUInt32BE(0), signature: Buffer.from(raw.subarray(4)) };
  });
  return { text, signatures };
}

function verifySignature(verifier: NoteVerifier, text: string, signature: Buffer): boolean {
  const key = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, verifier.publicKey]),
    format: "der",
    type: "spki",
  });
  return signature.length === 64 && verify(null, Buffer.from(text, "utf8"), key, signature);
}

/**
 * Opens a signed note: returns its text and the trusted keys whose signatures verified.
 * Signatures of unknown keys are ignored; a bad signature from a known key, or no verified
 * signature of a known key at all, refuses the whole note (C2SP).
 */
export function openSignedNote(
  note: string,
  verifiers: readonly NoteVerifier[],
): { text: string; verifiedBy: NoteVerifier[]; signatures: NoteSignature[] } {
  const { text, signatures } = parseSignedNote(note);
  const verifiedBy: NoteVerifier[] = [];
  for (const sig of signatures) {
    const known = verifiers.find((v) => v.name === sig.name && v.keyId === sig.keyId);
    if (known === undefined) continue;
    if (!verifySignature(known, text, sig.signature)) {
      throw new SignedNoteError(`signature of ${sig.name} does not verify`);
    }
    if (!verifiedBy.includes(known)) verifiedBy.push(known);
  }
  if (verifiedBy.length === 0) throw new SignedNoteError("note is not signed by any trusted key");
  return { text, verifiedBy, signatures };
}
