/**
 * Reading X.509 certificates and CRLs with the strict DER reader: the fields Kelisim's trust
 * decisions use (issuer, serial, validity, subject Party and organisation, key usage), nothing more.
 */
import {
  createHash,
  createPublicKey,
  type KeyObject,
  verify as verifySignature,
  X509Certificate,
} from "node:crypto";
import { DerError, type DerLimits, decodeUtf8, type Node, parseDer, seq, TAG, tlv } from "./der.ts";

/** Limits for one certificate (64 KiB, depth 16, 2,000 nodes) and one CRL (4 MiB, 200,000 nodes). */
const CERT_LIMITS: DerLimits = { maxBytes: 64 * 1024, maxDepth: 16, maxNodes: 2_000 };
const CRL_LIMITS: DerLimits = { maxBytes: 4 * 1024 * 1024, maxDepth: 16, maxNodes: 200_000 };

/** Key usage bits (RFC 5280 §4.2.1.3). */
export const KEY_USAGE = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
} as const;
export type KeyUsageName = keyof typeof KEY_USAGE;

/** What Kelisim reads from a certificate. */
export type CertificateInfo = {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  /** Serial as lowercase hex of the INTEGER content octets. */
  readonly serialHex: string;
  readonly serialBytes: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly spkiDer: Uint8Array;
  /** Subject attributes by short name: C, O, OU, CN. */
  readonly subject: Readonly<Record<string, string>>;
  readonly keyUsage: ReadonlySet<KeyUsageName>;
  readonly extendedKeyUsage: readonly string[];
  readonly isCa: boolean;
  /** IssuerAndSerialNumber (RFC 5652 §10.2.4), DER. */
  readonly issuerAndSerial: Uint8Array;
};

const NAME_OIDS: Record<string, string> = {
  "2.5.4.6": "C",
  "2.5.4.10": "O",
  "2.5.4.11": "OU",
  "2.5.4.3": "CN",
  "2.5.4.5": "serialNumber",
};

/** Converts PEM (one block) or DER bytes to DER. */
export function toDer(input: Uint8Array | string, label = "CERTIFICATE"): Uint8Array {
  const text =
    typeof input === "string" ? input : looksLikePem(input) ? new TextDecoder().decode(input) : undefined;
  if (text === undefined) return input as Uint8Array;
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (!match) throw new DerError(`no ${label} PEM block`);
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ""), "base64"));
}

function looksLikePem(bytes: Uint8Array): boolean {
  return bytes.length > 10 && bytes[0] === 0x2d && bytes[1] === 0x2d;
}

/** Encodes DER as one PEM block. */
export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, "$1\n").replace(/\n$/, "")}\n-----END ${label}-----\n`;
}

function readName(node: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rdn of node.children("RDN", TAG.SET)) {
    for (const atv of rdn.children("attribute", TAG.SEQUENCE)) {
      const type = atv.next(TAG.OID, "attribute type").asOid();
      const value = atv.next(undefined, "attribute value");
      const short = NAME_OIDS[type];
      if (short && out[short] === undefined) out[short] = decodeUtf8(value.content);
    }
  }
  return out;
}

/** Parses a certificate (PEM or DER) strictly. Throws DerError when malformed. */
export function parseCertificate(input: Uint8Array | string): CertificateInfo {
  const der = toDer(input);
  const cert = parseDer(der, CERT_LIMITS);
  const tbsNode = cert.next(TAG.SEQUENCE, "tbsCertificate");
  const sigAlg = cert.next(TAG.SEQUENCE, "signatureAlgorithm").next(TAG.OID).asOid();
  const sigBits = cert.next(TAG.BIT_STRING, "signature").content;
  cert.end("certificate");
  if (sigBits[0] !== 0) throw new DerError("signature has unused bits");

  const version = tbsNode.optional(0xa0);
  if (version?.next(TAG.INTEGER).asSmallInt() !== 2) throw new DerError("only v3 certificates");
  const serialBytes = tbsNode.next(TAG.INTEGER, "serial").asIntegerBytes();
  tbsNode.next(TAG.SEQUENCE, "signature");
  const issuerNode = tbsNode.next(TAG.SEQUENCE, "issuer");
  const validity = tbsNode.next(TAG.SEQUENCE, "validity");
  const notBefore = validity.next(undefined, "notBefore").asTime();
  const notAfter = validity.next(undefined, "notAfter").asTime();
  const subjectNode = tbsNode.next(TAG.SEQUENCE, "subject");
  const spki = tbsNode.next(TAG.SEQUENCE, "subjectPublicKeyInfo");
  const keyUsage = new Set<KeyUsageName>();
  const extendedKeyUsage: string[] = [];
  let isCa = false;
  while (tbsNode.hasMore()) {
    const field = tbsNode.next();
    if (field.tag !== 0xa3) continue; // issuerUniqueID / subjectUniqueID: ignored
    const exts = field.next(TAG.SEQUENCE, "extensions");
    for (const ext of exts.children("extension", TAG.SEQUENCE)) {
      const id = ext.next(TAG.OID).asOid();
      if (ext.peekTag() === TAG.BOOLEAN) ext.next(TAG.BOOLEAN);
      const value = parseDer(ext.next(TAG.OCTET_STRING).content, CERT_LIMITS, "any");
      if (id === "2.5.29.15") {
        if (value.tag !== TAG.BIT_STRING) throw new DerError("keyUsage is not a BIT STRING");
        const bits = value.content;
        for (const [name, bit] of Object.entries(KEY_USAGE)) {
          const byte = bits[1 + (bit >> 3)];
          if (byte !== undefined && (byte & (0x80 >> (bit & 7))) !== 0) keyUsage.add(name as KeyUsageName);
        }
      } else if (id === "2.5.29.37") {
        if (value.tag !== TAG.SEQUENCE) throw new DerError("extKeyUsage is not a SEQUENCE");
        for (const k of value.children("eku", TAG.OID)) extendedKeyUsage.push(k.asOid());
      } else if (id === "2.5.29.19") {
        if (value.tag !== TAG.SEQUENCE) throw new DerError("basicConstraints is not a SEQUENCE");
        if (value.peekTag() === TAG.BOOLEAN) isCa = value.next(TAG.BOOLEAN).content[0] === 0xff;
      }
    }
  }
  const serialHex = Buffer.from(serialBytes).toString("hex");
  return {
    der,
    tbs: tbsNode.bytes,
    signatureAlgorithm: sigAlg,
    signature: sigBits.subarray(1),
    serialHex,
    serialBytes,
    issuerDer: issuerNode.bytes,
    subjectDer: subjectNode.bytes,
    notBefore,
    notAfter,
    spkiDer: spki.bytes,
    subject: readName(subjectNode),
    keyUsage,
    extendedKeyUsage,
    isCa,
    issuerAndSerial: seq(issuerNode.bytes, tlv(TAG.INTEGER, serialBytes)),
  };
}

/** The public key of a certificate as a Node KeyObject. */
export function certificatePublicKey(cert: CertificateInfo): KeyObject {
  return createPublicKey({ key: Buffer.from(cert.spkiDer), format: "der", type: "spki" });
}

const SIGNATURE_HASH: Record<string, string> = {
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};

/**
 * Signatures already verified, by SHA-256 of (certificate, issuer): every message from a body is
 * signed with the same certificate, so the chain check need not repeat. Only successes are kept;
 * the cache is bounded.
 */
const verifiedIssuance = new Set<string>();
const MAX_VERIFIED = 4096;

/** Verifies that `issuer` signed `cert` (ECDSA with SHA-2 only, as Kelisim's PKI issues). */
export function isIssuedBy(cert: CertificateInfo, issuer: CertificateInfo): boolean {
  if (!bytesEqual(cert.issuerDer, issuer.subjectDer)) return false;
  const hash = SIGNATURE_HASH[cert.signatureAlgorithm];
  if (!hash) return false;
  const cacheKey = createHash("sha256").update(cert.der).update(issuer.der).digest("hex");
  if (verifiedIssuance.has(cacheKey)) return true;
  let ok = false;
  try {
    ok = verifySignature(hash, cert.tbs, certificatePublicKey(issuer), cert.signature);
  } catch {
    ok = false;
  }
  if (ok) {
    if (verifiedIssuance.size >= MAX_VERIFIED) verifiedIssuance.clear();
    verifiedIssuance.add(cacheKey);
  }
  return ok;
}

/** Constant-length byte comparison. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** SHA-256 fingerprint of a certificate, hex with colons (as `openssl x509 -fingerprint -sha256`). */
export function fingerprint(cert: CertificateInfo): string {
  return new X509Certificate(Buffer.from(cert.der)).fingerprint256;
}

/** What Kelisim reads from a CRL. */
export type CrlInfo = {
  readonly der: Uint8Array;
  readonly tbs: Uint8Array;
  readonly signatureAlgorithm: string;
  readonly signature: Uint8Array;
  readonly issuerDer: Uint8Array;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  /** Revoked serials (hex of INTEGER content) → revocation date. */
  readonly revoked: ReadonlyMap<string, Date>;
};

/** Parses a CRL (PEM or DER) strictly. */
export function parseCrl(input: Uint8Array | string): CrlInfo {
  const der = toDer(input, "X509 CRL");
  const crl = parseDer(der, CRL_LIMITS);
  const tbs = crl.next(TAG.SEQUENCE, "tbsCertList");
  const sigAlg = crl.next(TAG.SEQUENCE).next(TAG.OID).asOid();
  const sigBits = crl.next(TAG.BIT_STRING).content;
  crl.end("CRL");
  if (tbs.peekTag() === TAG.INTEGER) tbs.next(TAG.INTEGER);
  tbs.next(TAG.SEQUENCE, "signature");
  const issuer = tbs.next(TAG.SEQUENCE, "issuer");
  const thisUpdate = tbs.next(undefined, "thisUpdate").asTime();
  let nextUpdate: Date | undefined;
  const tag = tbs.peekTag();
  if (tag === TAG.UTC_TIME || tag === TAG.GENERALIZED_TIME) nextUpdate = tbs.next().asTime();
  const revoked = new Map<string, Date>();
  if (tbs.peekTag() === TAG.SEQUENCE) {
    for (const entry of tbs.next(TAG.SEQUENCE).children("revoked", TAG.SEQUENCE)) {
      const serial = Buffer.from(entry.next(TAG.INTEGER).asIntegerBytes()).toString("hex");
      revoked.set(serial, entry.next().asTime());
    }
  }
  return {
    der,
    tbs: tbs.bytes,
    signatureAlgorithm: sigAlg,
    signature: sigBits.subarray(1),
    issuerDer: issuer.bytes,
    thisUpdate,
    nextUpdate,
    revoked,
  };
}

/** Verifies that `issuer` signed `crl`. */
export function isCrlIssuedBy(crl: CrlInfo, issuer: CertificateInfo): boolean {
  if (!bytesEqual(crl.issuerDer, issuer.subjectDer)) return false;
  const hash = SIGNATURE_HASH[crl.signatureAlgorithm];
  if (!hash) return false;
  try {
    return verifySignature(hash, crl.tbs, certificatePublicKey(issuer), crl.signature);
  } catch {
    return false;
  }
}
