/**
 * Sealed messages in memory (A5.7): sign-then-encrypt. The signed message — ContentInfo(SignedData)
 * with the label pair — is the id-data content of an AuthEnvelopedData (AES-256-GCM) to the
 * receiving organisation.
 *
 * OpenSSL: `openssl cms -decrypt -inform DER -in M -recip enc.crt -inkey enc.key -out signed.p7s`,
 * then `openssl cms -verify -inform DER -in signed.p7s -CAfile sender-root.pem -out content`.
 */
import { decryptEnvelope, type EnvelopeTrailer, encryptEnvelope } from "./auth-enveloped.ts";
import { type CertificateInfo, parseCertificate } from "./certificate.ts";
import { DerError, type Node } from "./der.ts";
import {
  type AgreementLabelTable,
  decodeEssLabel,
  type EssLabel,
  isSameLabel,
  matchesAgreement,
  type PackageLabel,
} from "./label.ts";
import { OID } from "./oids.ts";
import type { KeyHolder, Party } from "./pki-store.ts";
import { refuse } from "./refusal.ts";
import { signContent, verifySignedContent } from "./signed-data.ts";
import { type TrustStore, validateCertificate } from "./trust.ts";

/** The largest message sealed or opened in memory: 64 MiB (larger carriers go by `sealFile`). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/**
 * Signs `content` with `signer` (the sending organisation's signing certificate and key) under the
 * label pair, and encrypts it to `recipientCert` (the receiving organisation's encryption
 * certificate). Both certificates are validated against `trust` first: a package is never sealed to
 * a certificate that does not chain to a pinned root, nor signed with a revoked or expired one.
 */
export function sealBytes(params: {
  content: Uint8Array;
  label: PackageLabel;
  signer: KeyHolder;
  recipientCert: Uint8Array | string;
  trust: TrustStore;
  now?: Date;
}): Uint8Array {
  const now = params.now ?? new Date();
  if (params.content.length > MAX_MESSAGE_BYTES)
    refuse("PACKAGE_LIMIT_EXCEEDED", `a message over ${MAX_MESSAGE_BYTES} bytes goes as a file package`);
  const recipient = parseCertificate(params.recipientCert);
  validateCertificate(recipient, params.trust, { purpose: "encryption", now });
  validateCertificate(params.signer.certificate, params.trust, {
    purpose: "signing",
    now,
    expectedParty: params.trust.ownParty,
  });
  const signed = signContent({
    content: params.content,
    signer: params.signer,
    label: params.label,
    signingTime: now,
  });
  // No authAttrs: OpenSSL 3.0 decodes AuthEnvelopedData authAttrs with a wrong tag ([2] instead of
  // RFC 5083's [1]) and refuses the message, so the label is bound by the signature alone.
  return encryptEnvelope({ plaintext: signed, recipient });
}

/** What an opened message gives. */
export type OpenedMessage = {
  readonly content: Uint8Array;
  readonly label: EssLabel;
  readonly equivalentLabels: readonly EssLabel[];
  readonly signerCertificate: CertificateInfo;
  readonly signerParty: Party;
  readonly signerOrgId: string;
  readonly signerOrgName: string;
  readonly signingTime: Date | undefined;
};

/** Reads the ESS label among the authenticated attributes of an envelope, if any. */
export function envelopeLabel(authAttrs: EnvelopeTrailer["authAttrs"]): EssLabel | undefined {
  let found: EssLabel | undefined;
  for (const a of authAttrs) {
    const node = a as Node;
    const type = node.next(undefined, "attrType").asOid();
    const values = node.next(undefined, "attrValues").children();
    if (type === OID.securityLabel) {
      if (found || values.length !== 1) throw new DerError("one security label expected in authAttrs");
      found = decodeEssLabel(values[0]!);
    }
  }
  return found;
}

/**
 * Opens a sealed message for `recipient` (its encryption certificate and key): decrypts (the tag must
 * check out), verifies the signature, validates the signer against the pinned root of its Party at
 * `now`, and checks the label pair against the agreement's table for the signer's Party (A2.1,
 * A6.1). Returns nothing unless all of that holds; refuses with a typed PACKAGE_* error.
 */
export function openBytes(params: {
  bytes: Uint8Array;
  recipient: KeyHolder;
  trust: TrustStore;
  agreement: AgreementLabelTable;
  now?: Date;
}): OpenedMessage {
  const now = params.now ?? new Date();
  if (params.bytes.length > MAX_MESSAGE_BYTES + 64 * 1024)
    refuse("PACKAGE_LIMIT_EXCEEDED", `a message is at most ${MAX_MESSAGE_BYTES} bytes`);
  const recipientCert = parseCertificate(params.recipient.certificate);
  const { plaintext, authAttrs } = decryptEnvelope({
    bytes: params.bytes,
    recipientCert,
    privateKey: params.recipient.privateKey,
  });
  const verified = verifySignedContent({ bytes: plaintext, trust: params.trust, now });
  let outerLabel: EssLabel | undefined;
  try {
    outerLabel = envelopeLabel(authAttrs);
  } catch (error) {
    if (error instanceof DerError) refuse("PACKAGE_STRUCTURE_INVALID", error.message);
    throw error;
  }
  if (outerLabel && !isSameLabel(outerLabel, verified.label.label))
    refuse("PACKAGE_LABEL_MISMATCH", "the envelope's label differs from the signed label");
  if (!matchesAgreement(params.agreement, verified.signer.party, verified.label))
    refuse(
      "PACKAGE_LABEL_MISMATCH",
      `the label is not the agreement's label of a level for ${verified.signer.party} (A2.1)`,
      {
        label: JSON.stringify(verified.label),
      },
    );
  return {
    content: verified.content,
    label: verified.label.label,
    equivalentLabels: verified.label.equivalentLabels,
    signerCertificate: verified.signer.certificate,
    signerParty: verified.signer.party,
    signerOrgId: verified.signer.orgId,
    signerOrgName: verified.signer.orgName,
    signingTime: verified.signingTime,
  };
}
