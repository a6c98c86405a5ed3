/**
 * CMS AuthEnvelopedData (RFC 5083) with AES-256-GCM (RFC 5084), written by hand because pkijs 4
 * lacks it. Recipients: ECDH P-384 key agreement (RFC 5753, dhSinglePass-stdDH-sha384kdf-scheme,
 * AES-256 key wrap, no ukm) or RSA-OAEP with SHA-256 (RFC 8017/3560). `openssl cms -decrypt`
 * decrypts what this writes (`-keyopt ecdh_kdf_md:sha384` when OpenSSL encrypts to us).
 *
 * The writer produces the header (everything before the encrypted content), so that large pieces
 * stream through the cipher; the reader parses the header and the trailer (authAttrs, mac) around a
 * streamed content, with limits.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createECDH,
  createHash,
  createPublicKey,
  diffieHellman,
  type KeyObject,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from "node:crypto";
import { bytesEqual, type CertificateInfo, certificatePublicKey } from "./certificate.ts";
import {
  concatBytes,
  DerError,
  DerReader,
  encodeHeader,
  explicit,
  integer,
  type Node,
  octets,
  oid,
  parseDer,
  readHeader,
  seq,
  setOf,
  sortedSetContent,
  TAG,
  tlv,
} from "./der.ts";
import { OID } from "./oids.ts";
import { refuse } from "./refusal.ts";

const KW_IV = Buffer.from("A6A6A6A6A6A6A6A6", "hex");
/** The largest header (recipient infos) accepted before the content: 64 KiB. */
export const MAX_ENVELOPE_HEADER = 64 * 1024;
/** The largest trailer (authAttrs and mac) accepted after the content: 16 KiB. */
export const MAX_ENVELOPE_TRAILER = 16 * 1024;
const HEADER_LIMITS = { maxBytes: MAX_ENVELOPE_HEADER, maxDepth: 16, maxNodes: 500 };
const TRAILER_LIMITS = { maxBytes: MAX_ENVELOPE_TRAILER, maxDepth: 16, maxNodes: 500 };

/** The content-encryption key and nonce of one envelope. */
export type ContentKey = { readonly key: Uint8Array; readonly nonce: Uint8Array };

function x963Kdf(z: Uint8Array, sharedInfo: Uint8Array, length: number): Buffer {
  // ANSI X9.63 KDF with SHA-384 (one block suffices for a 256-bit KEK).
  if (length > 48) throw new RangeError("KEK too long");
  return createHash("sha384")
    .update(z)
    .update(Uint8Array.of(0, 0, 0, 1))
    .update(sharedInfo)
    .digest()
    .subarray(0, length);
}

function eccCmsSharedInfo(): Uint8Array {
  // ECC-CMS-SharedInfo { keyInfo aes256-wrap (no parameters), suppPubInfo [2] 256 bits }; no
  // entityUInfo since no ukm is sent (an empty one here is pkijs issue #335).
  return seq(seq(oid(OID.aes256Wrap)), explicit(2, octets(Uint8Array.of(0, 0, 1, 0))));
}

function ecPointOf(cert: CertificateInfo): Uint8Array {
  const spki = parseDer(cert.spkiDer);
  const alg = spki.next(TAG.SEQUENCE);
  if (alg.next(TAG.OID).asOid() !== OID.ecPublicKey || alg.next(TAG.OID).asOid() !== OID.secp384r1)
    throw new Error("the recipient's key is not ECDH P-384");
  return spki.next(TAG.BIT_STRING).content.subarray(1);
}

function keyTypeOf(cert: CertificateInfo): "ec" | "rsa" {
  const type = certificatePublicKey(cert).asymmetricKeyType;
  if (type === "ec") return "ec";
  if (type === "rsa") return "rsa";
  throw new Error(`unsupported recipient key type ${type}`);
}

const OAEP_PARAMS = seq(
  explicit(0, seq(oid(OID.sha256))),
  explicit(1, seq(oid(OID.mgf1), seq(oid(OID.sha256)))),
);

/** Builds the RecipientInfo that carries `cek` to the holder of `cert`. */
export function recipientInfoFor(cert: CertificateInfo, cek: Uint8Array): Uint8Array {
  if (keyTypeOf(cert) === "rsa") {
    if (!cert.keyUsage.has("keyEncipherment"))
      throw new Error("the recipient certificate is not for key encipherment");
    const encrypted = publicEncrypt(
      { key: certificatePublicKey(cert), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
      cek,
    );
    return seq(integer(0), cert.issuerAndSerial, seq(oid(OID.rsaesOaep), OAEP_PARAMS), octets(encrypted));
  }
  if (!cert.keyUsage.has("keyAgreement"))
    throw new Error("the recipient certificate is not for key agreement");
  const ecdh = createECDH("secp384r1");
  const ephemeral = ecdh.generateKeys();
  const z = ecdh.computeSecret(ecPointOf(cert));
  const kek = x963Kdf(z, eccCmsSharedInfo(), 32);
  const wrap = createCipheriv("id-aes256-wrap", kek, KW_IV);
  const wrapped = Buffer.concat([wrap.update(cek), wrap.final()]);
  const originatorKey = tlv(
    0xa1,
    seq(oid(OID.ecPublicKey), oid(OID.secp384r1)),
    tlv(TAG.BIT_STRING, Uint8Array.of(0), ephemeral),
  );
  return tlv(
    0xa1,
    integer(3),
    explicit(0, originatorKey),
    seq(oid(OID.ecdhStdSha384Kdf), seq(oid(OID.aes256Wrap))),
    seq(seq(cert.issuerAndSerial, octets(wrapped))),
  );
}

/** A prepared envelope: write `header`, then the ciphertext of `contentLength` bytes, then `trailer(tag)`. */
export type PreparedEnvelope = {
  readonly header: Uint8Array;
  readonly contentKey: ContentKey;
  /** The additional authenticated data: the authAttrs with an EXPLICIT SET OF tag (RFC 5083 §2.2). */
  readonly aad: Uint8Array;
  readonly trailer: (tag: Uint8Array) => Uint8Array;
  readonly totalLength: number;
};

/**
 * Prepares an AuthEnvelopedData for `contentLength` bytes of id-data content to `recipient`, with a
 * fresh random AES-256 key and 96-bit nonce and the given authenticated attributes.
 */
export function prepareEnvelope(params: {
  recipient: CertificateInfo;
  contentLength: number;
  authAttrs?: readonly Uint8Array[];
  contentKey?: ContentKey;
}): PreparedEnvelope {
  const contentKey = params.contentKey ?? { key: randomBytes(32), nonce: randomBytes(12) };
  const recipientInfos = setOf([recipientInfoFor(params.recipient, contentKey.key)]);
  const algorithm = seq(oid(OID.aes256Gcm), seq(octets(contentKey.nonce), integer(16)));
  const contentHeader = encodeHeader(0x80, params.contentLength);
  const eciPrefix = concatBytes([oid(OID.data), algorithm, contentHeader]);
  const eciHeader = encodeHeader(TAG.SEQUENCE, eciPrefix.length + params.contentLength);
  const attrs = params.authAttrs ?? [];
  const attrsContent = sortedSetContent(attrs);
  const authAttrs = attrs.length > 0 ? tlv(0xa1, attrsContent) : new Uint8Array();
  const aad = attrs.length > 0 ? tlv(TAG.SET, attrsContent) : new Uint8Array();
  const macLength = 18;
  const version = integer(0);
  const aedContentLength =
    version.length +
    recipientInfos.length +
    eciHeader.length +
    eciPrefix.length +
    params.contentLength +
    authAttrs.length +
    macLength;
  const aedHeader = encodeHeader(TAG.SEQUENCE, aedContentLength);
  const explicitHeader = encodeHeader(0xa0, aedHeader.length + aedContentLength);
  const typeOid = oid(OID.authEnvelopedData);
  const ciLength = typeOid.length + explicitHeader.length + aedHeader.length + aedContentLength;
  const header = concatBytes([
    encodeHeader(TAG.SEQUENCE, ciLength),
    typeOid,
    explicitHeader,
    aedHeader,
    version,
    recipientInfos,
    eciHeader,
    eciPrefix,
  ]);
  const totalLength = encodeHeader(TAG.SEQUENCE, ciLength).length + ciLength;
  return {
    header,
    contentKey,
    aad,
    totalLength,
    trailer: (tag: Uint8Array) => {
      if (tag.length !== 16) throw new RangeError("GCM tag must be 16 bytes");
      return concatBytes([authAttrs, octets(tag)]);
    },
  };
}

/** Encrypts `plaintext` in memory into a DER ContentInfo(AuthEnvelopedData). */
export function encryptEnvelope(params: {
  plaintext: Uint8Array;
  recipient: CertificateInfo;
  authAttrs?: readonly Uint8Array[];
}): Uint8Array {
  const env = prepareEnvelope({
    recipient: params.recipient,
    contentLength: params.plaintext.length,
    authAttrs: params.authAttrs,
  });
  const cipher = createCipheriv("aes-256-gcm", env.contentKey.key, env.contentKey.nonce, {
    authTagLength: 16,
  });
  if (env.aad.length > 0) cipher.setAAD(env.aad);
  const ciphertext = concatBytes([cipher.update(params.plaintext), cipher.final()]);
  return concatBytes([env.header, ciphertext, env.trailer(cipher.getAuthTag())]);
}

/** The parsed head of an envelope: where the content lies, and how to get its key. */
export type EnvelopeHead = {
  readonly recipientInfos: readonly Node[];
  readonly nonce: Uint8Array;
  /** Offset of the first ciphertext byte from the start of the envelope. */
  readonly contentOffset: number;
  readonly contentLength: number;
  /** Length of the authAttrs + mac that follow the content. */
  readonly trailerLength: number;
};

function structureError(error: unknown): never {
  if (error instanceof DerError) refuse("PACKAGE_STRUCTURE_INVALID", error.message);
  throw error;
}

/**
 * Parses the head of a DER ContentInfo(AuthEnvelopedData) of `totalLength` bytes from its first bytes
 * (`head`, at most MAX_ENVELOPE_HEADER). Lengths must agree exactly with `totalLength`.
 */
export function parseEnvelopeHead(head: Uint8Array, totalLength: number): EnvelopeHead {
  try {
    const ci = readHeader(head, 0, head.length);
    if (ci.tag !== TAG.SEQUENCE || ci.contentStart + ci.length !== totalLength)
      throw new DerError("ContentInfo length mismatch");
    const r = new DerReader(head.subarray(0, Math.min(head.length, MAX_ENVELOPE_HEADER)), HEADER_LIMITS);
    const typeTlv = r.readAt(ci.contentStart, head.length, 1);
    if (
      typeTlv.tag !== TAG.OID ||
      new Uint8Array(typeTlv.bytes).toString() !== oid(OID.authEnvelopedData).toString()
    )
      throw new DerError("not an AuthEnvelopedData");
    const ex = readHeader(head, typeTlv.end, head.length);
    if (ex.tag !== 0xa0 || ex.contentStart + ex.length !== totalLength)
      throw new DerError("content length mismatch");
    const aed = readHeader(head, ex.contentStart, head.length);
    if (aed.tag !== TAG.SEQUENCE || aed.contentStart + aed.length !== totalLength)
      throw new DerError("AuthEnvelopedData length mismatch");
    const versionTlv = r.readAt(aed.contentStart, head.length, 2);
    if (versionTlv.tag !== TAG.INTEGER || versionTlv.content.length !== 1 || versionTlv.content[0] !== 0)
      throw new DerError("AuthEnvelopedData version must be 0");
    let at = versionTlv.end;
    if (head[at] === 0xa0) throw new DerError("originatorInfo is not accepted");
    const risTlv = r.readAt(at, head.length, 2);
    if (risTlv.tag !== TAG.SET) throw new DerError("recipientInfos missing");
    const ris = parseDer(risTlv.bytes, HEADER_LIMITS, TAG.SET).setChildren("recipientInfos");
    if (ris.length === 0 || ris.length > 16) throw new DerError("between 1 and 16 recipients expected");
    at = risTlv.end;
    const eci = readHeader(head, at, head.length);
    if (eci.tag !== TAG.SEQUENCE) throw new DerError("authEncryptedContentInfo missing");
    const ctype = r.readAt(eci.contentStart, head.length, 3);
    if (ctype.tag !== TAG.OID || new Uint8Array(ctype.bytes).toString() !== oid(OID.data).toString())
      throw new DerError("encrypted content type must be id-data");
    const algTlv = r.readAt(ctype.end, head.length, 3);
    const alg = parseDer(algTlv.bytes, HEADER_LIMITS);
    if (alg.next(TAG.OID).asOid() !== OID.aes256Gcm)
      throw new DerError("content encryption must be AES-256-GCM");
    const gcm = alg.next(TAG.SEQUENCE, "GCMParameters");
    alg.end("AlgorithmIdentifier");
    const nonce = gcm.next(TAG.OCTET_STRING, "aes-nonce").asOctets();
    if (nonce.length !== 12) throw new DerError("GCM nonce must be 12 bytes");
    const icv = gcm.next(TAG.INTEGER, "aes-ICVlen").asSmallInt();
    gcm.end("GCMParameters");
    if (icv !== 16) throw new DerError("GCM tag must be 16 bytes");
    const content = readHeader(head, algTlv.end, head.length);
    if (content.tag !== 0x80) throw new DerError("encryptedContent missing or constructed");
    if (content.contentStart + content.length !== eci.contentStart + eci.length)
      throw new DerError("EncryptedContentInfo length mismatch");
    const contentEnd = content.contentStart + content.length;
    if (contentEnd > totalLength) throw new DerError("content runs past the end");
    return {
      recipientInfos: ris,
      nonce,
      contentOffset: content.contentStart,
      contentLength: content.length,
      trailerLength: totalLength - contentEnd,
    };
  } catch (error) {
    return structureError(error);
  }
}

/** The parsed trailer: authAttrs (raw, for AAD) and the GCM tag. */
export type EnvelopeTrailer = {
  readonly aad: Uint8Array;
  readonly authAttrs: readonly Node[];
  readonly tag: Uint8Array;
};

/** Parses the bytes after the content: optional [1] authAttrs and the 16-byte mac, nothing else. */
export function parseEnvelopeTrailer(trailer: Uint8Array): EnvelopeTrailer {
  try {
    if (trailer.length > MAX_ENVELOPE_TRAILER) throw new DerError("trailer too long");
    const wrapped = parseDer(tlv(TAG.SEQUENCE, trailer), TRAILER_LIMITS);
    let aad: Uint8Array = new Uint8Array();
    let authAttrs: Node[] = [];
    const attrsNode = wrapped.optional(0xa1);
    if (attrsNode) {
      aad = concatBytes([Uint8Array.of(TAG.SET), attrsNode.bytes.subarray(1)]);
      authAttrs = attrsNode.setChildren("authAttrs");
    }
    const tag = wrapped.next(TAG.OCTET_STRING, "mac").asOctets();
    wrapped.end("AuthEnvelopedData (unauthAttrs are not accepted)");
    if (tag.length !== 16) throw new DerError("mac must be 16 bytes");
    return { aad, authAttrs, tag };
  } catch (error) {
    return structureError(error);
  }
}

/**
 * Recovers the content key from the RecipientInfo addressed to `recipientCert` with its private key.
 * Refuses PACKAGE_NOT_FOR_RECIPIENT when none is addressed to it, PACKAGE_INTEGRITY_FAILED when
 * the key does not unwrap.
 */
export function unwrapContentKey(
  recipientInfos: readonly Node[],
  recipientCert: CertificateInfo,
  privateKey: KeyObject,
): Uint8Array {
  try {
    for (const ri of recipientInfos) {
      const clone = parseDer(ri.bytes, HEADER_LIMITS, "any");
      if (clone.tag === TAG.SEQUENCE) {
        // ktri: version 0, rid issuerAndSerialNumber, RSAES-OAEP with SHA-256
        if (clone.next(TAG.INTEGER).asSmallInt() !== 0)
          throw new DerError("KeyTransRecipientInfo version must be 0");
        const rid = clone.next(TAG.SEQUENCE, "rid").bytes;
        const alg = clone.next(TAG.SEQUENCE, "keyEncryptionAlgorithm");
        const encryptedKey = clone.next(TAG.OCTET_STRING, "encryptedKey").asOctets();
        clone.end("KeyTransRecipientInfo");
        if (!bytesEqual(rid, recipientCert.issuerAndSerial)) continue;
        if (alg.next(TAG.OID).asOid() !== OID.rsaesOaep)
          throw new DerError("only RSAES-OAEP key transport is accepted");
        checkOaepParams(alg.next(TAG.SEQUENCE, "RSAES-OAEP-params"));
        alg.end("keyEncryptionAlgorithm");
        try {
          return new Uint8Array(
            privateDecrypt(
              { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" },
              encryptedKey,
            ),
          );
        } catch {
          refuse("PACKAGE_INTEGRITY_FAILED", "the content key does not decrypt");
        }
      }
      if (clone.tag !== 0xa1) continue; // other recipient kinds: not for us
      if (clone.next(TAG.INTEGER).asSmallInt() !== 3)
        throw new DerError("KeyAgreeRecipientInfo version must be 3");
      const originator = clone.next(0xa0, "originator").next(0xa1, "originatorKey");
      if (clone.peekTag() === 0xa1) throw new DerError("ukm is not accepted");
      const kea = clone.next(TAG.SEQUENCE, "keyEncryptionAlgorithm");
      const reks = clone
        .next(TAG.SEQUENCE, "recipientEncryptedKeys")
        .children("recipientEncryptedKeys", TAG.SEQUENCE);
      clone.end("KeyAgreeRecipientInfo");
      for (const rek of reks) {
        const rid = rek.next(TAG.SEQUENCE, "rid").bytes;
        const wrapped = rek.next(TAG.OCTET_STRING, "encryptedKey").asOctets();
        rek.end("RecipientEncryptedKey");
        if (!bytesEqual(rid, recipientCert.issuerAndSerial)) continue;
        if (kea.next(TAG.OID).asOid() !== OID.ecdhStdSha384Kdf)
          throw new DerError("only dhSinglePass-stdDH-sha384kdf-scheme is accepted");
        const wrapAlg = kea.next(TAG.SEQUENCE, "key wrap algorithm");
        kea.end("keyEncryptionAlgorithm");
        if (wrapAlg.next(TAG.OID).asOid() !== OID.aes256Wrap)
          throw new DerError("only AES-256 key wrap is accepted");
        if (wrapAlg.hasMore()) wrapAlg.next(TAG.NULL).asNull();
        wrapAlg.end();
        const origAlg = originator.next(TAG.SEQUENCE, "originator algorithm");
        if (origAlg.next(TAG.OID).asOid() !== OID.ecPublicKey) throw new DerError("originator key is not EC");
        if (origAlg.hasMore()) {
          const p = origAlg.next();
          if (p.tag === TAG.OID && p.asOid() !== OID.secp384r1)
            throw new DerError("originator key is not P-384");
          if (p.tag !== TAG.OID) p.asNull();
        }
        origAlg.end();
        const pointBits = originator.next(TAG.BIT_STRING, "originator public key").content;
        originator.end("OriginatorPublicKey");
        if (pointBits.length !== 98 || pointBits[0] !== 0 || pointBits[1] !== 4)
          throw new DerError("bad originator point");
        let z: Buffer;
        try {
          const spki = seq(seq(oid(OID.ecPublicKey), oid(OID.secp384r1)), tlv(TAG.BIT_STRING, pointBits));
          const publicKey = createPublicKey({ key: Buffer.from(spki), format: "der", type: "spki" });
          z = diffieHellman({ privateKey, publicKey });
        } catch {
          refuse("PACKAGE_INTEGRITY_FAILED", "the originator key is not a valid P-384 point");
        }
        const kek = x963Kdf(z, eccCmsSharedInfo(), 32);
        try {
          const unwrap = createDecipheriv("id-aes256-wrap", kek, KW_IV);
          const cek = Buffer.concat([unwrap.update(wrapped), unwrap.final()]);
          if (cek.length !== 32) throw new Error("bad key length");
          return new Uint8Array(cek);
        } catch {
          refuse("PACKAGE_INTEGRITY_FAILED", "the content key does not unwrap");
        }
      }
    }
  } catch (error) {
    structureError(error);
  }
  return refuse(
    "PACKAGE_NOT_FOR_RECIPIENT",
    "no recipient info is addressed to this organisation's certificate",
  );
}

function checkOaepParams(params: Node): void {
  const hash = params.next(0xa0, "hashAlgorithm").next(TAG.SEQUENCE);
  if (hash.next(TAG.OID).asOid() !== OID.sha256) throw new DerError("OAEP hash must be SHA-256");
  const mgf = params.next(0xa1, "maskGenAlgorithm").next(TAG.SEQUENCE);
  if (mgf.next(TAG.OID).asOid() !== OID.mgf1) throw new DerError("OAEP mask must be MGF1");
  if (mgf.next(TAG.SEQUENCE).next(TAG.OID).asOid() !== OID.sha256)
    throw new DerError("MGF1 hash must be SHA-256");
  if (params.hasMore()) throw new DerError("OAEP label parameters are not accepted");
}

/**
 * Decrypts a whole DER ContentInfo(AuthEnvelopedData) in memory. Nothing is returned unless the tag
 * checks out. Returns the plaintext and the authenticated attributes.
 */
export function decryptEnvelope(params: {
  bytes: Uint8Array;
  recipientCert: CertificateInfo;
  privateKey: KeyObject;
}): { plaintext: Uint8Array; authAttrs: readonly Node[] } {
  const { bytes } = params;
  const head = parseEnvelopeHead(
    bytes.subarray(0, Math.min(bytes.length, MAX_ENVELOPE_HEADER)),
    bytes.length,
  );
  if (head.contentOffset + head.contentLength > bytes.length)
    refuse("PACKAGE_STRUCTURE_INVALID", "truncated content");
  const trailer = parseEnvelopeTrailer(bytes.subarray(head.contentOffset + head.contentLength));
  const cek = unwrapContentKey(head.recipientInfos, params.recipientCert, params.privateKey);
  const decipher = createDecipheriv("aes-256-gcm", cek, head.nonce, { authTagLength: 16 });
  if (trailer.aad.length > 0) decipher.setAAD(trailer.aad);
  decipher.setAuthTag(trailer.tag);
  const out = decipher.update(bytes.subarray(head.contentOffset, head.contentOffset + head.contentLength));
  try {
    decipher.final();
  } catch {
    out.fill(0);
    refuse("PACKAGE_INTEGRITY_FAILED", "the authentication tag does not check out");
  }
  return { plaintext: new Uint8Array(out), authAttrs: trailer.authAttrs };
}
