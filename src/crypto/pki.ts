/**
 * A Party's PKI, file-based under `<dataDir>/pki/` (see the layout below): the Party's root CA
 * (ECDSA P-384), certificates per organisation (signing; encryption by ECDH P-384 or RSA-OAEP), the
 * node's TLS certificate, revocation (a CRL signed by the root), and the other Party's root pinned
 * to the agreement (the bootstrap that in life goes by diplomatic channel, A5.7).
 *
 * Layout:
 *   pki/pki.json                      Party, agreement, key-derivation salt
 *   pki/node.key                      node key (only without KELISIM_PKI_PASSPHRASE), mode 0600
 *   pki/root/root.crt.pem, root.key.pem (encrypted), crl.pem, issued.json
 *   pki/orgs/<orgId>/signing.crt.pem, signing.key.pem, encryption.crt.pem, encryption.key.pem
 *   pki/node/tls.crt.pem, tls.key.pem
 *   pki/peers/<PARTY>/root.crt.pem, crl.pem, pin.json
 */
import { createPrivateKey, type KeyObject, randomBytes, webcrypto } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type * as X509 from "@peculiar/x509";
import {
  type CertificateInfo,
  fingerprint,
  isCrlIssuedBy,
  isIssuedBy,
  parseCertificate,
  parseCrl,
  toPem,
} from "./certificate.ts";
import { ensureNodeKey, readPrivateKey, writePrivateKey } from "./key-storage.ts";
import {
  assertOrgId,
  type IssuedEntry,
  type Party,
  type PkiConfig,
  pkiPaths,
  readConfig,
  readIssuedEntries,
} from "./pki-store.ts";

export {
  exportPrivateKey,
  type KeyHolder,
  listOrganisations,
  loadNodeTls,
  loadOrganisation,
  type Party,
  pkiPaths,
  readPkiConfig,
} from "./pki-store.ts";

/**
 * @peculiar/x509 and the reflect polyfill it needs, loaded when a certificate or CRL is made: they
 * take a fifth of a CPU-second, which no verb that only reads certificates (certificate.ts) pays.
 */
let x509Module: Promise<typeof X509> | undefined;
function loadX509(): Promise<typeof X509> {
  x509Module ??= (async () => {
    await import("reflect-metadata");
    const x509 = await import("@peculiar/x509");
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    return x509;
  })();
  return x509Module;
}

const ECDSA = { name: "ECDSA", namedCurve: "P-384", hash: "SHA-384" } as const;
const DAY = 86_400_000;
/**
 * A CRL is valid 90 days; `revokeCertificate`, `exportRoot` and `publishOwnCrl` publish a fresh one.
 * A peer's CRL older than that makes its certificates refused (revocation status unknown), so the
 * nodes pass CRLs to each other well within that time: a running exchange fetches the peer's and
 * refreshes its own (see `run-exchange.ts`); `pki export-crl` / `import-crl` do it by hand.
 */
const CRL_VALIDITY_DAYS = 90;

function assertParty(party: string): void {
  if (!/^[A-Z]{2}$/.test(party))
    throw new RangeError(`a Party is a two-letter code (KZ, AM), not "${party}"`);
}
function writeAtomic(path: string, data: string | Uint8Array, mode = 0o644): void {
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01; // positive, no leading zero byte
  return bytes.toString("hex");
}

async function toCryptoKey(key: KeyObject): Promise<CryptoKey> {
  const der = key.export({ type: "pkcs8", format: "der" });
  return (await webcrypto.subtle.importKey("pkcs8", der, ECDSA, false, ["sign"])) as unknown as CryptoKey;
}

async function generateNodeKeyPair(
  algorithm: "ecdsa" | "ecdh" | "rsa-oaep",
): Promise<{ publicKey: CryptoKey; privateKey: KeyObject }> {
  const subtle = webcrypto.subtle;
  let pair: webcrypto.CryptoKeyPair;
  if (algorithm === "ecdsa") pair = await subtle.generateKey(ECDSA, true, ["sign", "verify"]);
  else if (algorithm === "ecdh")
    pair = await subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits"]);
  else
    pair = await subtle.generateKey(
      { name: "RSA-OAEP", modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
      true,
      ["encrypt", "decrypt"],
    );
  const pkcs8 = new Uint8Array(await subtle.exportKey("pkcs8", pair.privateKey));
  return {
    publicKey: pair.publicKey as unknown as CryptoKey,
    privateKey: createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }),
  };
}

async function loadRootSigner(dataDir: string) {
  const x509 = await loadX509();
  const config = readConfig(dataDir);
  const paths = pkiPaths(dataDir);
  const certPem = readFileSync(paths.rootCert, "utf8");
  const cert = new x509.X509Certificate(certPem);
  const key = readPrivateKey(dataDir, config.salt, paths.rootKey);
  return { config, cert, signingKey: await toCryptoKey(key) };
}

async function publishCrl(dataDir: string, now: Date): Promise<string> {
  const x509 = await loadX509();
  const { cert, signingKey } = await loadRootSigner(dataDir);
  const entries = readIssuedEntries(dataDir)
    .filter((e) => e.revokedAt)
    .map((e) => ({ serialNumber: e.serialHex, revocationDate: new Date(e.revokedAt!) }));
  const crl = await x509.X509CrlGenerator.create({
    issuer: cert.subjectName,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + CRL_VALIDITY_DAYS * DAY),
    entries,
    signingKey,
    signingAlgorithm: ECDSA,
  });
  // OpenSSL reads "X509 CRL" PEM blocks (@peculiar/x509 writes "CRL").
  const pem = toPem(new Uint8Array(crl.rawData), "X509 CRL");
  writeAtomic(pkiPaths(dataDir).crl, pem);
  return pem;
}

/**
 * Creates the Party's root CA in `<dataDir>/pki/` (ECDSA P-384, CA with path length 0, keyCertSign
 * and cRLSign, 10 years) and its first, empty CRL. Refuses if a PKI already exists there.
 */
export async function initPartyPki(params: {
  dataDir: string;
  party: Party;
  agreementId: string;
  now?: Date;
  validityDays?: number;
}): Promise<{ rootCertificatePem: string; fingerprint: string }> {
  const x509 = await loadX509();
  const { dataDir, party, agreementId } = params;
  const now = params.now ?? new Date();
  assertParty(party);
  const paths = pkiPaths(dataDir);
  if (existsSync(paths.config)) throw new Error(`a PKI already exists in ${paths.pki}`);
  for (const dir of [paths.pki, paths.root, paths.orgs, paths.node, paths.peers])
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  const config: PkiConfig = {
    party,
    agreementId,
    salt: randomBytes(16).toString("hex"),
    createdAt: now.toISOString(),
  };
  ensureNodeKey(dataDir);
  const keys = await generateNodeKeyPair("ecdsa");
  const signingKey = await toCryptoKey(keys.privateKey);
  const publicKey = keys.publicKey;
  const rootName: X509.JsonName = [
    { C: [party] },
    { O: [`Kelisim ${party}`] },
    { OU: [agreementId] },
    { CN: [`Kelisim ${party} root CA`] },
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialHex(),
    subject: rootName,
    issuer: rootName,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (params.validityDays ?? 3652) * DAY),
    publicKey,
    signingKey,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
  writePrivateKey(dataDir, config.salt, paths.rootKey, keys.privateKey);
  const pem = cert.toString("pem");
  writeAtomic(paths.rootCert, `${pem.trim()}\n`);
  writeAtomic(paths.issued, "[]\n");
  writeAtomic(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  await publishCrl(dataDir, now);
  return { rootCertificatePem: pem, fingerprint: fingerprint(parseCertificate(pem)) };
}

type IssueSpec = {
  kind: IssuedEntry["kind"];
  orgId?: string;
  subject: X509.JsonName;
  publicKey: CryptoKey;
  keyUsage: number;
  extendedKeyUsage: string[];
  san?: X509.JsonGeneralNames;
  now: Date;
  validityDays: number;
};

async function issue(dataDir: string, spec: IssueSpec): Promise<{ pem: string; serialHex: string }> {
  const x509 = await loadX509();
  const { cert: root, signingKey } = await loadRootSigner(dataDir);
  const serialHex = randomSerialHex();
  const notAfter = new Date(spec.now.getTime() + spec.validityDays * DAY);
  if (notAfter > root.notAfter) throw new Error("a certificate cannot outlive the root");
  const extensions: X509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(spec.keyUsage, true),
    new x509.ExtendedKeyUsageExtension(spec.extendedKeyUsage, false),
    await x509.SubjectKeyIdentifierExtension.create(spec.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(root),
  ];
  if (spec.san) extensions.push(new x509.SubjectAlternativeNameExtension(spec.san, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialHex,
    subject: spec.subject,
    issuer: root.subjectName,
    notBefore: new Date(spec.now.getTime() - 60_000),
    notAfter,
    publicKey: spec.publicKey,
    signingKey,
    signingAlgorithm: ECDSA,
    extensions,
  });
  const issued = readIssuedEntries(dataDir);
  issued.push({ serialHex, kind: spec.kind, orgId: spec.orgId, notAfter: notAfter.toISOString() });
  writeAtomic(pkiPaths(dataDir).issued, `${JSON.stringify(issued, null, 2)}\n`);
  return { pem: cert.toString("pem"), serialHex };
}

/** The organisation subject: C=<Party>, O=<name>, OU=<orgId>, CN=<orgId> <role>. */
function organisationSubject(party: Party, orgId: string, orgName: string, role: string): X509.JsonName {
  return [{ C: [party] }, { O: [orgName] }, { OU: [orgId] }, { CN: [`${orgId} ${role}`] }];
}

/**
 * Issues an organisation's two certificates under the Party root: signing (ECDSA P-384,
 * digitalSignature + nonRepudiation, EKU emailProtection so that `openssl cms -verify` accepts it
 * without `-purpose`) and encryption (ECDH P-384 with keyAgreement, or RSA-OAEP 3072 with
 * keyEncipherment). Replaces the organisation's current certificates (revoke the old ones apart).
 */
export async function issueOrganisationCertificates(params: {
  dataDir: string;
  orgId: string;
  orgName: string;
  now?: Date;
  validityDays?: number;
  encryption?: "ecdh-p384" | "rsa-oaep";
}): Promise<{
  signing: { serialHex: string; certificatePem: string };
  encryption: { serialHex: string; certificatePem: string };
}> {
  const x509 = await loadX509();
  const { dataDir, orgId, orgName } = params;
  assertOrgId(orgId);
  const now = params.now ?? new Date();
  const validityDays = params.validityDays ?? 730;
  const config = readConfig(dataDir);
  const dir = pkiPaths(dataDir).org(orgId);
  mkdirSync(dir, { recursive: true, mode: 0o700 });

  const signingKeys = await generateNodeKeyPair("ecdsa");
  const signing = await issue(dataDir, {
    kind: "signing",
    orgId,
    subject: organisationSubject(config.party, orgId, orgName, "signing"),
    publicKey: signingKeys.publicKey,
    keyUsage: x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation,
    extendedKeyUsage: [x509.ExtendedKeyUsage.emailProtection],
    now,
    validityDays,
  });
  const rsa = params.encryption === "rsa-oaep";
  const encryptionKeys = await generateNodeKeyPair(rsa ? "rsa-oaep" : "ecdh");
  const encryption = await issue(dataDir, {
    kind: "encryption",
    orgId,
    subject: organisationSubject(config.party, orgId, orgName, "encryption"),
    publicKey: encryptionKeys.publicKey,
    keyUsage: rsa ? x509.KeyUsageFlags.keyEncipherment : x509.KeyUsageFlags.keyAgreement,
    extendedKeyUsage: [x509.ExtendedKeyUsage.emailProtection],
    now,
    validityDays,
  });
  writePrivateKey(dataDir, config.salt, join(dir, "signing.key.pem"), signingKeys.privateKey);
  writeAtomic(join(dir, "signing.crt.pem"), signing.pem);
  writePrivateKey(dataDir, config.salt, join(dir, "encryption.key.pem"), encryptionKeys.privateKey);
  writeAtomic(join(dir, "encryption.crt.pem"), encryption.pem);
  writeAtomic(join(dir, "org.json"), `${JSON.stringify({ orgId, orgName, party: config.party }, null, 2)}\n`);
  return {
    signing: { serialHex: signing.serialHex, certificatePem: signing.pem },
    encryption: { serialHex: encryption.serialHex, certificatePem: encryption.pem },
  };
}

/**
 * Issues the node's TLS certificate (ECDSA P-384, serverAuth + clientAuth, SAN 127.0.0.1 and
 * localhost plus the names given) for the mutual TLS between the two nodes.
 */
export async function issueNodeTlsCertificate(params: {
  dataDir: string;
  hostnames?: readonly string[];
  ips?: readonly string[];
  now?: Date;
  validityDays?: number;
}): Promise<{ serialHex: string; certificatePem: string }> {
  const { dataDir } = params;
  const x509 = await loadX509();
  const now = params.now ?? new Date();
  const config = readConfig(dataDir);
  const keys = await generateNodeKeyPair("ecdsa");
  const dns = ["localhost", ...(params.hostnames ?? [])];
  const ips = ["127.0.0.1", ...(params.ips ?? [])];
  const result = await issue(dataDir, {
    kind: "tls",
    subject: [
      { C: [config.party] },
      { O: [`Kelisim ${config.party}`] },
      { OU: ["node"] },
      { CN: [`kelisim-node-${config.party.toLowerCase()}`] },
    ],
    publicKey: keys.publicKey,
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsage: [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth],
    san: [
      ...dns.map((value) => ({ type: "dns" as const, value })),
      ...ips.map((value) => ({ type: "ip" as const, value })),
    ],
    now,
    validityDays: params.validityDays ?? 365,
  });
  const paths = pkiPaths(dataDir);
  mkdirSync(paths.node, { recursive: true, mode: 0o700 });
  writePrivateKey(dataDir, config.salt, join(paths.node, "tls.key.pem"), keys.privateKey);
  writeAtomic(join(paths.node, "tls.crt.pem"), result.pem);
  return { serialHex: result.serialHex, certificatePem: result.pem };
}

/**
 * Revokes a certificate issued by this node's root (by serial, or every current certificate of an
 * organisation) and publishes a fresh CRL. Returns the serials revoked.
 */
export async function revokeCertificate(params: {
  dataDir: string;
  serialHex?: string;
  orgId?: string;
  reason?: string;
  now?: Date;
}): Promise<{ revoked: string[]; crlPem: string }> {
  const { dataDir } = params;
  const now = params.now ?? new Date();
  const issued = readIssuedEntries(dataDir);
  const wanted = params.serialHex?.toLowerCase().replace(/:/g, "");
  const revoked: string[] = [];
  for (const entry of issued) {
    if (entry.revokedAt) continue;
    if ((wanted && entry.serialHex === wanted) || (params.orgId && entry.orgId === params.orgId)) {
      entry.revokedAt = now.toISOString();
      entry.reason = params.reason ?? "unspecified";
      revoked.push(entry.serialHex);
    }
  }
  if (revoked.length === 0) throw new Error("no such certificate issued by this node (or already revoked)");
  writeAtomic(pkiPaths(dataDir).issued, `${JSON.stringify(issued, null, 2)}\n`);
  const crlPem = await publishCrl(dataDir, now);
  return { revoked, crlPem };
}

/**
 * Exports this Party's root certificate and a freshly signed CRL as one PEM bundle, for the other
 * Party to pin (`importPeerRoot`). Give the SHA-256 fingerprint through a second channel.
 */
export async function exportRoot(params: { dataDir: string; now?: Date }): Promise<{
  party: Party;
  agreementId: string;
  pem: string;
  fingerprint: string;
}> {
  const config = readConfig(params.dataDir);
  const crlPem = await publishCrl(params.dataDir, params.now ?? new Date());
  const rootPem = readFileSync(pkiPaths(params.dataDir).rootCert, "utf8");
  return {
    party: config.party,
    agreementId: config.agreementId,
    pem: `${rootPem.trim()}\n${crlPem.trim()}\n`,
    fingerprint: fingerprint(parseCertificate(rootPem)),
  };
}

/** The current CRL of this node's root (PEM), for the exchange to send to the other Party. */
export function readOwnCrl(dataDir: string): string {
  return readFileSync(pkiPaths(dataDir).crl, "utf8");
}

/** Signs and stores a fresh CRL of this node's root (valid 90 days from `now`) and returns it (PEM). */
export async function publishOwnCrl(params: { dataDir: string; now?: Date }): Promise<string> {
  return publishCrl(params.dataDir, params.now ?? new Date());
}

/**
 * Pins the other Party's root to this node's agreement. The bundle holds the root certificate and
 * (optionally) its CRL. The root must be a self-signed CA with C=<party>; when `expectedFingerprint`
 * is given (as read out over the second channel) it must match. Replacing a pinned root needs
 * `replace: true`.
 */
export function importPeerRoot(params: {
  dataDir: string;
  party: Party;
  pem: string;
  expectedFingerprint?: string;
  replace?: boolean;
  now?: Date;
}): { party: Party; fingerprint: string } {
  const { dataDir, party } = params;
  assertParty(party);
  const config = readConfig(dataDir);
  if (party === config.party) throw new Error("the peer root must be the other Party's, not this node's own");
  const root = parseCertificate(params.pem);
  checkRoot(root, party);
  const fp = fingerprint(root);
  if (
    params.expectedFingerprint &&
    normaliseFingerprint(params.expectedFingerprint) !== normaliseFingerprint(fp)
  )
    throw new Error(`fingerprint mismatch: the bundle's root is ${fp}`);
  const paths = pkiPaths(dataDir);
  const dir = paths.peer(party);
  if (existsSync(join(dir, "root.crt.pem")) && !params.replace) {
    const current = parseCertificate(readFileSync(join(dir, "root.crt.pem"), "utf8"));
    if (fingerprint(current) !== fp)
      throw new Error(`a different root is already pinned for ${party}; pass replace`);
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeAtomic(join(dir, "root.crt.pem"), toPem(root.der));
  writeAtomic(
    join(dir, "pin.json"),
    `${JSON.stringify({ party, agreementId: config.agreementId, fingerprint: fp, pinnedAt: (params.now ?? new Date()).toISOString() }, null, 2)}\n`,
  );
  if (params.pem.includes("BEGIN X509 CRL")) importPeerCrl({ dataDir, party, pem: params.pem });
  return { party, fingerprint: fp };
}

/** Stores a newer CRL of a pinned peer root (refuses one not signed by it, or older than the current). */
export function importPeerCrl(params: { dataDir: string; party: Party; pem: string }): void {
  const dir = pkiPaths(params.dataDir).peer(params.party);
  const root = parseCertificate(readFileSync(join(dir, "root.crt.pem"), "utf8"));
  const crl = parseCrl(params.pem);
  if (!isCrlIssuedBy(crl, root))
    throw new Error(`the CRL is not signed by the pinned root of ${params.party}`);
  const currentPath = join(dir, "crl.pem");
  if (existsSync(currentPath)) {
    const current = parseCrl(readFileSync(currentPath, "utf8"));
    if (current.thisUpdate > crl.thisUpdate) throw new Error("the CRL is older than the one held");
  }
  writeAtomic(currentPath, toPem(crl.der, "X509 CRL"));
}

/**
 * For a running node: stores the peer's CRL unless the one held is the same or newer (same checks
 * as `importPeerCrl`); returns what it stored, or null.
 */
export function importPeerCrlIfNewer(params: {
  dataDir: string;
  party: Party;
  pem: string;
}): { thisUpdate: Date; revoked: number } | null {
  const crl = parseCrl(params.pem);
  const currentPath = join(pkiPaths(params.dataDir).peer(params.party), "crl.pem");
  if (existsSync(currentPath)) {
    const held = parseCrl(readFileSync(currentPath, "utf8"));
    if (held.thisUpdate > crl.thisUpdate || Buffer.from(held.der).equals(Buffer.from(crl.der))) return null;
  }
  importPeerCrl(params);
  return { thisUpdate: crl.thisUpdate, revoked: crl.revoked.size };
}

/**
 * For a running node: signs a fresh CRL of its root when the one held is older than `maxAgeDays`
 * (a CRL is valid 90 days), so the other Party never holds an expired one. Returns whether it did.
 */
export async function refreshOwnCrl(params: {
  dataDir: string;
  now: Date;
  maxAgeDays: number;
}): Promise<boolean> {
  const held = parseCrl(readOwnCrl(params.dataDir));
  if (params.now.getTime() - held.thisUpdate.getTime() < params.maxAgeDays * DAY) return false;
  await publishCrl(params.dataDir, params.now);
  return true;
}

function normaliseFingerprint(fp: string): string {
  return fp.replace(/[^0-9a-f]/gi, "").toUpperCase();
}

function checkRoot(root: CertificateInfo, party: Party): void {
  if (!root.isCa || !root.keyUsage.has("keyCertSign")) throw new Error("not a CA certificate");
  if (!isIssuedBy(root, root)) throw new Error("the root is not self-signed");
  if (root.subject.C !== party) throw new Error(`the root's country is ${root.subject.C}, not ${party}`);
}
