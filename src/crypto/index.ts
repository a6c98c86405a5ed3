/**
 * Kelisim's crypto layer: the Party PKI and sealed packages (A5.7) that `openssl cms` verifies and
 * decrypts. Layout and OpenSSL commands: docs/packages.md.
 *
 * ## PKI (file-based, `<dataDir>/pki/`; private keys encrypted at rest under KELISIM_PKI_PASSPHRASE
 * or the node key file `pki/node.key`, never logged)
 * - `initPartyPki({ dataDir, party, agreementId, now? })` → root CA (ECDSA P-384) + empty CRL.
 * - `issueOrganisationCertificates({ dataDir, orgId, orgName, now?, validityDays?, encryption? })` →
 *   signing cert (digitalSignature+nonRepudiation, EKU emailProtection) and encryption cert (ECDH
 *   P-384 keyAgreement, or `encryption: "rsa-oaep"`). Subject: C=<Party>, O=<orgName>, OU=<orgId>.
 * - `issueNodeTlsCertificate({ dataDir, hostnames?, ips?, now? })` → serverAuth+clientAuth, SAN
 *   localhost + 127.0.0.1; `loadNodeTls(dataDir)` → { cert, key (PEM, decrypted in memory), ownRoot,
 *   peerRoots } for the mTLS between nodes (check the peer certificate with `validateCertificate(…,
 *   { purpose: "tls", expectedParty })`).
 * - `revokeCertificate({ dataDir, serialHex? | orgId?, reason?, now? })` → fresh CRL.
 * - `exportRoot({ dataDir, now? })` → { party, pem (root + fresh CRL), fingerprint };
 *   `importPeerRoot({ dataDir, party, pem, expectedFingerprint?, replace? })` pins the other
 *   Party's root; `publishOwnCrl({ dataDir })` (fresh, async) or `readOwnCrl(dataDir)` (as held) and
 *   `importPeerCrl({ dataDir, party, pem })` carry CRL updates: a peer CRL is valid 90 days, after
 *   which that Party's certificates are refused until a newer one arrives.
 * - `loadTrust(dataDir)` → TrustStore (own root + pinned peer roots, each with its CRL);
 *   `followTrust(dataDir)` → a getter that re-reads it when those files change (a running node).
 * - `loadOrganisation({ dataDir, orgId })` → { party, signer, recipient } (certificate DER + KeyObject).
 * - `validateCertificate(cert, trust, { purpose, now, expectedParty? })` → { party, orgId, orgName }.
 *
 * ## Labels (A2.1, A6.1)
 * - `packageLabelFor(pack, sendingParty, levelIdOrRank)` → { label, equivalentLabels };
 *   `labelTableFromPack(pack)` → the table `openBytes`/`openFile` check labels against.
 *
 * ## Sealed messages in memory (≤ 64 MiB; every message between nodes)
 * - `sealBytes({ content, label, signer, recipientCert, trust, now? })` → Uint8Array (DER CMS
 *   AuthEnvelopedData of a SignedData). `trust` is required: the recipient certificate must chain to a
 *   pinned root and the signer's to this node's root, both valid and unrevoked.
 * - `openBytes({ bytes, recipient, trust, agreement, now? })` → { content, label, equivalentLabels,
 *   signerCertificate, signerParty, signerOrgId, signerOrgName, signingTime }, or throws DomainError
 *   PACKAGE_* (use `refusalCode(error)`).
 *
 * ## Sealed packages on disk, any size
 * - `sealFile({ input, output, label, signer, recipientCert, trust, now?, pieceSize?, onProgress? })`
 *   → folder `output` (manifest.p7s + piece-NNNNNN.p7m), pieces on all cores (worker threads);
 *   `signer` may be a promise (pieces are sealed meanwhile; it is checked when it arrives).
 * - `openFile({ input, output, recipient, trust, agreement, now?, onProgress? })` (folder or single
 *   file): nothing is left at `output` unless every piece and the signature check out.
 * - `packageRecipients(input)` → the recipients' IssuerAndSerialNumber, to pick the organisation.
 * - Pass `pool: new PieceWorkerPool()` to reuse workers across calls (then `pool.close()`).
 */
export { labelTableFromPack, packageLabelFor } from "./agreement-labels.ts";
export { type CertificateInfo, fingerprint, parseCertificate, toPem } from "./certificate.ts";
export {
  type AgreementLabelTable,
  buildPackageLabel,
  type EssLabel,
  matchesAgreement,
  type PackageLabel,
} from "./label.ts";
export {
  DEFAULT_PIECE_SIZE,
  type OpenedPackage,
  openFile,
  type Progress,
  packageRecipients,
  type SealedPackage,
  sealFile,
} from "./package/package-file.ts";
export { PieceWorkerPool } from "./package/worker-pool.ts";
export {
  exportRoot,
  importPeerCrl,
  importPeerRoot,
  initPartyPki,
  issueNodeTlsCertificate,
  issueOrganisationCertificates,
  type KeyHolder,
  loadNodeTls,
  loadOrganisation,
  type Party,
  publishOwnCrl,
  readOwnCrl,
  readPkiConfig,
  revokeCertificate,
} from "./pki.ts";
export { type PackageRefusalCode, refusalCode } from "./refusal.ts";
export { MAX_MESSAGE_BYTES, type OpenedMessage, openBytes, sealBytes } from "./seal-bytes.ts";
export {
  type CertificateHolder,
  type CertificatePurpose,
  followTrust,
  loadTrust,
  type TrustStore,
  trustFromRoots,
  validateCertificate,
} from "./trust.ts";
