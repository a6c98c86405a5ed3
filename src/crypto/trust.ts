/**
 * Trust decisions: a certificate is accepted for a Party only if it chains directly to that Party's
 * root as held by this node (its own, or the peer's root pinned to the agreement), is within its
 * validity, is not on the root's current CRL, and has the key usage its purpose needs. Never a key
 * or certificate carried inside a message on its own authority.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import {
  type CertificateInfo,
  type CrlInfo,
  isCrlIssuedBy,
  isIssuedBy,
  parseCertificate,
  parseCrl,
} from "./certificate.ts";
import { DerError } from "./der.ts";
import { type Party, pkiPaths, readIssuedEntries, readPkiConfig } from "./pki-store.ts";
import { refuse } from "./refusal.ts";

/**
 * One Party's trust anchor: its root and the root's current CRL. For this node's own Party the
 * node itself is the authority: its register of issued certificates (`revokedHere`) is read as
 * well, and its CRL is not required to be fresh (the node publishes a new one when it exports).
 */
export type PartyAnchor = {
  readonly party: Party;
  readonly root: CertificateInfo;
  readonly crl: CrlInfo | undefined;
  readonly revokedHere?: ReadonlyMap<string, Date>;
};

/** The roots this node trusts, one per Party, for one agreement. */
export type TrustStore = {
  readonly ownParty: Party;
  readonly agreementId: string;
  readonly anchors: ReadonlyMap<Party, PartyAnchor>;
};

/** What a certificate is accepted for. */
export type CertificatePurpose = "signing" | "encryption" | "tls";

/** Who a validated certificate belongs to (from its subject: C=Party, OU=organisation id, O=name). */
export type CertificateHolder = {
  readonly party: Party;
  readonly orgId: string;
  readonly orgName: string;
  readonly certificate: CertificateInfo;
};

const EMAIL_PROTECTION = "1.3.6.1.5.5.7.3.4";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

/** Loads this node's trust store: its own root and CRL, and every pinned peer root with its CRL. */
export function loadTrust(dataDir: string): TrustStore {
  const { party, agreementId } = readPkiConfig(dataDir);
  const paths = pkiPaths(dataDir);
  const anchors = new Map<Party, PartyAnchor>();
  const load = (p: Party, certPath: string, crlPath: string, revokedHere?: ReadonlyMap<string, Date>) => {
    const root = parseCertificate(readFileSync(certPath, "utf8"));
    const crl = existsSync(crlPath) ? parseCrl(readFileSync(crlPath, "utf8")) : undefined;
    if (crl && !isCrlIssuedBy(crl, root)) throw new Error(`the CRL held for ${p} is not signed by its root`);
    anchors.set(p, { party: p, root, crl, revokedHere });
  };
  const revokedHere = new Map<string, Date>();
  for (const e of readIssuedEntries(dataDir))
    if (e.revokedAt) revokedHere.set(e.serialHex, new Date(e.revokedAt));
  load(party, paths.rootCert, paths.crl, revokedHere);
  if (existsSync(paths.peers))
    for (const peer of readdirSync(paths.peers).sort()) {
      const dir = paths.peer(peer);
      if (existsSync(join(dir, "root.crt.pem"))) load(peer, join(dir, "root.crt.pem"), join(dir, "crl.pem"));
    }
  return { ownParty: party, agreementId, anchors };
}

/**
 * The trust store of a running node, kept in step with its files: it is read again whenever a root,
 * a CRL or the register of issued certificates changed on disk (a peer CRL imported while the node
 * runs, a certificate revoked here), so a revocation takes effect on the next message, not at the
 * next restart. Checking costs a few `stat` calls.
 */
export function followTrust(dataDir: string): () => TrustStore {
  let held: { stamp: string; store: TrustStore } | null = null;
  return () => {
    const stamp = trustFilesStamp(dataDir);
    if (held?.stamp !== stamp) held = { stamp, store: loadTrust(dataDir) };
    return held.store;
  };
}

/** Size and modification time of every file `loadTrust` reads. */
function trustFilesStamp(dataDir: string): string {
  const paths = pkiPaths(dataDir);
  const files = [paths.config, paths.rootCert, paths.crl, paths.issued];
  if (existsSync(paths.peers))
    for (const peer of readdirSync(paths.peers).sort())
      files.push(join(paths.peer(peer), "root.crt.pem"), join(paths.peer(peer), "crl.pem"));
  return files
    .map((f) => {
      const s = statSync(f, { throwIfNoEntry: false });
      return s ? `${s.size}:${s.mtimeMs}` : "-";
    })
    .join("|");
}

/** Builds a trust store from given roots and CRLs (for tests and tools). */
export function trustFromRoots(params: {
  ownParty: Party;
  agreementId: string;
  roots: readonly { party: Party; root: Uint8Array | string; crl?: Uint8Array | string }[];
}): TrustStore {
  const anchors = new Map<Party, PartyAnchor>();
  for (const r of params.roots) {
    const root = parseCertificate(r.root);
    const crl = r.crl ? parseCrl(r.crl) : undefined;
    if (crl && !isCrlIssuedBy(crl, root))
      throw new Error(`the CRL given for ${r.party} is not signed by its root`);
    anchors.set(r.party, { party: r.party, root, crl });
  }
  return { ownParty: params.ownParty, agreementId: params.agreementId, anchors };
}

/**
 * Validates `certificate` for `purpose` at `now` (A5.7): refuses with PACKAGE_SIGNER_UNTRUSTED
 * (no pinned root of its Party issued it, wrong usage, no current CRL), PACKAGE_CERTIFICATE_EXPIRED
 * or PACKAGE_CERTIFICATE_REVOKED. `expectedParty`, when given, must be the certificate's Party.
 */
export function validateCertificate(
  certificate: Uint8Array | CertificateInfo,
  trust: TrustStore,
  options: {
    purpose: CertificatePurpose;
    now: Date;
    expectedParty?: Party;
    /**
     * Accept a CRL past its next update, or none, checking the serial against what is held: for
     * the TLS link between the nodes, which is also how a fresh CRL arrives (refusing it for a
     * stale CRL would keep the CRL stale). Every package is still checked with a current CRL.
     */
    heldCrlSuffices?: boolean;
  },
): CertificateHolder {
  let cert: CertificateInfo;
  try {
    cert = certificate instanceof Uint8Array ? parseCertificate(certificate) : certificate;
  } catch (error) {
    if (error instanceof DerError)
      refuse("PACKAGE_STRUCTURE_INVALID", `malformed certificate: ${error.message}`);
    throw error;
  }
  const party = cert.subject.C;
  const anchor = party ? trust.anchors.get(party) : undefined;
  if (!party || !anchor)
    refuse("PACKAGE_SIGNER_UNTRUSTED", `no pinned root for the certificate's Party (${party ?? "none"})`);
  if (options.expectedParty && party !== options.expectedParty)
    refuse("PACKAGE_SIGNER_UNTRUSTED", `the certificate belongs to ${party}, not ${options.expectedParty}`);
  if (!isIssuedBy(cert, anchor.root))
    refuse("PACKAGE_SIGNER_UNTRUSTED", `the certificate does not chain to the pinned root of ${party}`);
  if (cert.isCa) refuse("PACKAGE_SIGNER_UNTRUSTED", "a CA certificate cannot sign or receive packages");
  const now = options.now;
  if (now < anchor.root.notBefore || now > anchor.root.notAfter)
    refuse("PACKAGE_CERTIFICATE_EXPIRED", `the root of ${party} is not valid at ${now.toISOString()}`);
  if (now < cert.notBefore || now > cert.notAfter)
    refuse(
      "PACKAGE_CERTIFICATE_EXPIRED",
      `the certificate is valid ${cert.notBefore.toISOString()} – ${cert.notAfter.toISOString()}`,
      {
        serial: cert.serialHex,
      },
    );
  const crl = anchor.crl;
  if (!crl && !options.heldCrlSuffices)
    refuse("PACKAGE_SIGNER_UNTRUSTED", `no revocation list held for ${party}`);
  const ownRegister = anchor.revokedHere;
  const revokedHereAt = ownRegister?.get(cert.serialHex);
  if (revokedHereAt)
    refuse("PACKAGE_CERTIFICATE_REVOKED", `revoked on ${revokedHereAt.toISOString()}`, {
      serial: cert.serialHex,
    });
  if (!ownRegister && !options.heldCrlSuffices && crl?.nextUpdate && now > crl.nextUpdate)
    refuse(
      "PACKAGE_SIGNER_UNTRUSTED",
      `the revocation list of ${party} is out of date since ${crl.nextUpdate.toISOString()}`,
    );
  const revokedAt = crl?.revoked.get(cert.serialHex);
  if (revokedAt)
    refuse("PACKAGE_CERTIFICATE_REVOKED", `revoked on ${revokedAt.toISOString()}`, {
      serial: cert.serialHex,
    });
  const usage = cert.keyUsage;
  const ok =
    options.purpose === "signing"
      ? usage.has("digitalSignature") &&
        usage.has("nonRepudiation") &&
        cert.extendedKeyUsage.includes(EMAIL_PROTECTION)
      : options.purpose === "encryption"
        ? usage.has("keyAgreement") || usage.has("keyEncipherment")
        : usage.has("digitalSignature") &&
          cert.extendedKeyUsage.includes(SERVER_AUTH) &&
          cert.extendedKeyUsage.includes(CLIENT_AUTH);
  if (!ok) refuse("PACKAGE_SIGNER_UNTRUSTED", `the certificate is not for ${options.purpose}`);
  const orgId = cert.subject.OU;
  if (!orgId) refuse("PACKAGE_SIGNER_UNTRUSTED", "the certificate names no organisation (OU)");
  return { party, orgId, orgName: cert.subject.O ?? orgId, certificate: cert };
}
