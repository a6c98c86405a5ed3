/**
 * CMS SignedData (RFC 5652 §5) as Kelisim signs and checks it: ECDSA P-384 with SHA-384, signed
 * attributes in DER order with content type, signing time, message digest, signingCertificateV2
 * (RFC 5035), the ESS security label and equivalentLabels (RFC 2634; A2.1, A6.1), and optional
 * Kelisim attributes. `openssl cms -verify` verifies what `signContent` makes.
 */
import { createHash, sign as signBytes, verify as verifyBytes } from "node:crypto";
import { bytesEqual, type CertificateInfo, certificatePublicKey, parseCertificate } from "./certificate.ts";
import {
  CMS_LIMITS,
  concatBytes,
  DerError,
  type DerLimits,
  explicit,
  integer,
  type Node,
  octets,
  oid,
  parseDer,
  seq,
  setOf,
  sortedSetContent,
  TAG,
  time,
  tlv,
} from "./der.ts";
import {
  decodeEquivalentLabels,
  decodeEssLabel,
  type EssLabel,
  encodeEquivalentLabels,
  encodeEssLabel,
  type PackageLabel,
} from "./label.ts";
import { OID } from "./oids.ts";
import type { KeyHolder } from "./pki-store.ts";
import { refuse } from "./refusal.ts";
import { type CertificateHolder, type TrustStore, validateCertificate } from "./trust.ts";

/** An encoded Attribute ::= SEQUENCE { attrType, attrValues SET OF }. */
export function attribute(type: string, ...values: readonly Uint8Array[]): Uint8Array {
  return seq(oid(type), setOf(values));
}

const DIGESTS: Record<string, { name: string; length: number }> = {
  [OID.sha256]: { name: "sha256", length: 32 },
  [OID.sha384]: { name: "sha384", length: 48 },
  "2.16.840.1.101.3.4.2.3": { name: "sha512", length: 64 },
};
const SIGNATURES: Record<string, string> = {
  "1.2.840.10045.4.3.2": "sha256",
  [OID.ecdsaWithSha384]: "sha384",
  "1.2.840.10045.4.3.4": "sha512",
};

/** The signing attributes every Kelisim signature carries besides content type and digest. */
function labelAttributes(label: PackageLabel): Uint8Array[] {
  return [
    attribute(OID.securityLabel, encodeEssLabel(label.label)),
    attribute(OID.equivalentLabels, encodeEquivalentLabels(label.equivalentLabels)),
  ];
}

function signingCertificateV2(cert: CertificateInfo): Uint8Array {
  // ESSCertIDv2 with the default hash (SHA-256, so omitted in DER) and IssuerSerial.
  const certHash = createHash("sha256").update(cert.der).digest();
  const issuerSerial = seq(seq(tlv(0xa4, cert.issuerDer)), tlv(TAG.INTEGER, cert.serialBytes));
  return attribute(OID.signingCertificateV2, seq(seq(seq(octets(certHash), issuerSerial))));
}

/**
 * Signs `content` (attached, eContentType id-data) with `signer`, putting the label pair in the
 * signed attributes. `extraAttributes` are further encoded Attributes (e.g. the package info).
 * Returns a DER ContentInfo.
 */
export function signContent(params: {
  content: Uint8Array;
  signer: KeyHolder;
  label: PackageLabel;
  signingTime: Date;
  extraAttributes?: readonly Uint8Array[];
}): Uint8Array {
  const cert = parseCertificate(params.signer.certificate);
  const digest = createHash("sha384").update(params.content).digest();
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(params.signingTime)),
    attribute(OID.messageDigest, octets(digest)),
    signingCertificateV2(cert),
    ...labelAttributes(params.label),
    ...(params.extraAttributes ?? []),
  ];
  // RFC 5652 §5.4: the signature covers the DER of the attributes with an EXPLICIT SET OF tag;
  // DER needs the SET OF sorted (pkijs does not sort them, so we encode ourselves).
  const attrsContent = sortedSetContent(attrs);
  const signature = signBytes("sha384", tlv(TAG.SET, attrsContent), {
    key: params.signer.privateKey,
    dsaEncoding: "der",
  });
  const sha384 = seq(oid(OID.sha384));
  const signerInfo = seq(
    integer(1),
    cert.issuerAndSerial,
    sha384,
    tlv(0xa0, attrsContent),
    seq(oid(OID.ecdsaWithSha384)),
    octets(signature),
  );
  const signedData = seq(
    integer(1),
    setOf([sha384]),
    seq(oid(OID.data), explicit(0, octets(params.content))),
    tlv(0xa0, cert.der),
    setOf([signerInfo]),
  );
  return seq(oid(OID.signedData), explicit(0, signedData));
}

/** The outcome of a verified signature. */
export type VerifiedSignature = {
  readonly content: Uint8Array;
  readonly signer: CertificateHolder;
  readonly signingTime: Date | undefined;
  readonly label: PackageLabel;
  /** Other signed attributes by OID (first value, DER), e.g. the package info. */
  readonly attributes: ReadonlyMap<string, Uint8Array>;
};

function readDigestAlgorithm(node: Node): string {
  if (node.tag !== TAG.SEQUENCE) throw new DerError("digest AlgorithmIdentifier is not a SEQUENCE");
  const algorithm = node.next(TAG.OID, "digest algorithm").asOid();
  if (node.hasMore()) node.next(TAG.NULL, "digest parameters").asNull();
  node.end("AlgorithmIdentifier");
  if (!DIGESTS[algorithm]) throw new DerError(`unsupported digest ${algorithm}`);
  return algorithm;
}

/**
 * Verifies a DER ContentInfo(SignedData) with attached content under Kelisim's profile: exactly one
 * signer, identified by issuer and serial; signed attributes in DER order with content type id-data
 * and a matching message digest; ECDSA signature valid; signer certificate (carried in the message)
 * validated against the pinned root of its Party (never trusted on its own); ESS label and
 * equivalentLabels present. Refuses with typed PACKAGE_* errors.
 */
export function verifySignedContent(params: {
  bytes: Uint8Array;
  trust: TrustStore;
  now: Date;
  limits?: DerLimits;
}): VerifiedSignature {
  let parsed: ReturnType<typeof parseSignedData>;
  try {
    parsed = parseSignedData(parseDer(params.bytes, params.limits ?? CMS_LIMITS));
  } catch (error) {
    if (error instanceof DerError) {
      if (/over the limit|too many|too deep/.test(error.message))
        refuse("PACKAGE_LIMIT_EXCEEDED", error.message);
      refuse("PACKAGE_STRUCTURE_INVALID", error.message);
    }
    throw error;
  }
  const { content, signerCert, signedAttrsDer, signature, signatureHash, digestAlgorithm, attrs } = parsed;

  const digest = createHash(DIGESTS[digestAlgorithm]!.name).update(content).digest();
  if (!bytesEqual(digest, attrs.messageDigest))
    refuse("PACKAGE_INTEGRITY_FAILED", "the content does not match its signed digest");
  let ok = false;
  try {
    ok = verifyBytes(
      signatureHash,
      signedAttrsDer,
      { key: certificatePublicKey(signerCert), dsaEncoding: "der" },
      signature,
    );
  } catch {
    ok = false;
  }
  if (!ok) refuse("PACKAGE_INTEGRITY_FAILED", "the signature does not verify");
  const signer = validateCertificate(signerCert, params.trust, { purpose: "signing", now: params.now });
  if (
    attrs.signingCertificateV2 &&
    !bytesEqual(attrs.signingCertificateV2, createHash("sha256").update(signerCert.der).digest())
  )
    refuse("PACKAGE_INTEGRITY_FAILED", "signingCertificateV2 names another certificate");
  if (!attrs.label || !attrs.equivalentLabels)
    refuse("PACKAGE_LABEL_MISSING", "no ESS security label and equivalent label (A2.1, A6.1)");
  return {
    content,
    signer,
    signingTime: attrs.signingTime,
    label: { label: attrs.label, equivalentLabels: attrs.equivalentLabels },
    attributes: attrs.others,
  };
}

type SignedAttrs = {
  messageDigest: Uint8Array;
  signingTime: Date | undefined;
  signingCertificateV2: Uint8Array | undefined;
  label: EssLabel | undefined;
  equivalentLabels: EssLabel[] | undefined;
  others: Map<string, Uint8Array>;
};

function parseSignedData(root: Node) {
  if (root.next(TAG.OID, "contentType").asOid() !== OID.signedData) throw new DerError("not a SignedData");
  const sd = root.next(0xa0, "content").next(TAG.SEQUENCE, "SignedData");
  root.end("ContentInfo");
  const version = sd.next(TAG.INTEGER, "version").asSmallInt();
  if (version !== 1) throw new DerError(`SignedData version ${version} not accepted`);
  const digestAlgorithms = sd
    .next(TAG.SET, "digestAlgorithms")
    .setChildren("digestAlgorithms", TAG.SEQUENCE)
    .map((n) => readDigestAlgorithm(n));
  if (digestAlgorithms.length !== 1) throw new DerError("exactly one digest algorithm expected");
  const encap = sd.next(TAG.SEQUENCE, "encapContentInfo");
  if (encap.next(TAG.OID, "eContentType").asOid() !== OID.data)
    throw new DerError("eContentType is not id-data");
  const eContent = encap.next(0xa0, "eContent (detached signatures are not accepted here)");
  const content = eContent.next(TAG.OCTET_STRING, "eContent").asOctets();
  eContent.end();
  encap.end("encapContentInfo");
  const certs: CertificateInfo[] = [];
  const certsNode = sd.optional(0xa0);
  if (certsNode)
    for (const c of certsNode.children("certificates", TAG.SEQUENCE)) {
      if (certs.length >= 4) throw new DerError("too many certificates");
      certs.push(parseCertificate(c.bytes));
    }
  if (sd.peekTag() === 0xa1) throw new DerError("CRLs inside the message are not accepted");
  const signerInfos = sd.next(TAG.SET, "signerInfos").children("signerInfos", TAG.SEQUENCE);
  sd.end("SignedData");
  if (signerInfos.length !== 1) throw new DerError("exactly one signer expected");
  const si = signerInfos[0]!;
  if (si.next(TAG.INTEGER).asSmallInt() !== 1) throw new DerError("SignerInfo version must be 1");
  const sid = si.next(TAG.SEQUENCE, "sid (issuerAndSerialNumber)").bytes;
  const digestAlgorithm = readDigestAlgorithm(si.next(TAG.SEQUENCE, "digestAlgorithm"));
  if (digestAlgorithm !== digestAlgorithms[0])
    throw new DerError("digest algorithm differs from the one announced");
  const signedAttrsNode = si.next(0xa0, "signedAttrs");
  const sigAlgNode = si.next(TAG.SEQUENCE, "signatureAlgorithm");
  const sigAlg = sigAlgNode.next(TAG.OID).asOid();
  sigAlgNode.end("signatureAlgorithm");
  const signatureHash = SIGNATURES[sigAlg];
  if (!signatureHash) throw new DerError(`unsupported signature algorithm ${sigAlg}`);
  const signature = si.next(TAG.OCTET_STRING, "signature").asOctets();
  si.end("SignerInfo (unsigned attributes are not accepted)");
  const signerCert = certs.find((c) => bytesEqual(c.issuerAndSerial, sid));
  if (!signerCert) throw new DerError("the signer's certificate is not in the message");
  const attrs = parseSignedAttrs(signedAttrsNode, DIGESTS[digestAlgorithm]!.length);
  const signedAttrsDer = concatBytes([Uint8Array.of(TAG.SET), signedAttrsNode.bytes.subarray(1)]);
  return { content, signerCert, signedAttrsDer, signature, signatureHash, digestAlgorithm, attrs };
}

function parseSignedAttrs(node: Node, digestLength: number): SignedAttrs {
  const seen = new Set<string>();
  const out: SignedAttrs = {
    messageDigest: new Uint8Array(),
    signingTime: undefined,
    signingCertificateV2: undefined,
    label: undefined,
    equivalentLabels: undefined,
    others: new Map(),
  };
  let contentTypeOk = false;
  for (const a of node.setChildren("signedAttrs", TAG.SEQUENCE)) {
    const type = a.next(TAG.OID, "attrType").asOid();
    if (seen.has(type)) throw new DerError(`attribute ${type} appears twice`);
    seen.add(type);
    const values = a.next(TAG.SET, "attrValues").setChildren("attrValues");
    a.end("Attribute");
    if (values.length !== 1) throw new DerError(`attribute ${type} must have exactly one value`);
    const v = values[0]!;
    switch (type) {
      case OID.contentType:
        contentTypeOk = v.asOid() === OID.data;
        break;
      case OID.messageDigest:
        out.messageDigest = v.asOctets();
        if (out.messageDigest.length !== digestLength)
          throw new DerError("message digest of the wrong length");
        break;
      case OID.signingTime:
        out.signingTime = v.asTime();
        break;
      case OID.signingCertificateV2: {
        const certs = v.next(TAG.SEQUENCE, "certs");
        const first = certs.next(TAG.SEQUENCE, "ESSCertIDv2");
        if (first.peekTag() === TAG.SEQUENCE) {
          const alg = first.next(TAG.SEQUENCE).next(TAG.OID).asOid();
          if (alg !== OID.sha256) throw new DerError("signingCertificateV2 with a hash other than SHA-256");
        }
        out.signingCertificateV2 = first.next(TAG.OCTET_STRING, "certHash").asOctets();
        break;
      }
      case OID.securityLabel:
        out.label = decodeEssLabel(v);
        break;
      case OID.equivalentLabels:
        out.equivalentLabels = decodeEquivalentLabels(v);
        break;
      default:
        out.others.set(type, v.bytes);
    }
  }
  if (!contentTypeOk) throw new DerError("content-type attribute missing or not id-data");
  if (out.messageDigest.length === 0) throw new DerError("message-digest attribute missing");
  return out;
}
