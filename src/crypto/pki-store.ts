/**
 * Reading the Party PKI's files (`<dataDir>/pki/`, layout in pki.ts): configuration, organisations'
 * certificates and keys, the node's TLS material. Kept apart from issuance so that sealing and
 * opening do not load the certificate-generation library.
 */
import type { KeyObject } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { toDer } from "./certificate.ts";
import { readPrivateKey } from "./key-storage.ts";

/** A Party code as used in certificate subjects (C=). */
export type Party = string;

/** pki.json */
const PkiConfigSchema = z.object({
  party: z.string(),
  agreementId: z.string(),
  salt: z.string(),
  createdAt: z.string(),
});
export type PkiConfig = z.infer<typeof PkiConfigSchema>;

/** A certificate the Party's root issued, as `root/issued.json` lists it (revocations too). */
const IssuedEntrySchema = z.object({
  serialHex: z.string(),
  kind: z.enum(["signing", "encryption", "tls"]),
  orgId: z.string().optional(),
  notAfter: z.string(),
  revokedAt: z.string().optional(),
  reason: z.string().optional(),
});
export type IssuedEntry = z.infer<typeof IssuedEntrySchema>;

const OrgMetaSchema = z.object({ orgName: z.string() });

/** A JSON file of the PKI read and checked by `schema`; an error names the file and what does not fit. */
function readJsonFile<S extends z.ZodType>(schema: S, path: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `${path} is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(value)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/** The certificates the Party's root issued (none before the first). */
export function readIssuedEntries(dataDir: string): IssuedEntry[] {
  const path = pkiPaths(dataDir).issued;
  return existsSync(path) ? readJsonFile(z.array(IssuedEntrySchema), path) : [];
}
/** Where everything lives. */
export function pkiPaths(dataDir: string) {
  const pki = join(dataDir, "pki");
  return {
    pki,
    config: join(pki, "pki.json"),
    root: join(pki, "root"),
    rootCert: join(pki, "root", "root.crt.pem"),
    rootKey: join(pki, "root", "root.key.pem"),
    crl: join(pki, "root", "crl.pem"),
    issued: join(pki, "root", "issued.json"),
    orgs: join(pki, "orgs"),
    org: (orgId: string) => join(pki, "orgs", orgId),
    node: join(pki, "node"),
    peers: join(pki, "peers"),
    peer: (party: Party) => join(pki, "peers", party),
  };
}

export function assertOrgId(orgId: string): void {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(orgId))
    throw new RangeError(`an organisation id is lowercase letters, digits and dashes, not "${orgId}"`);
}

export function readConfig(dataDir: string): PkiConfig {
  const path = pkiPaths(dataDir).config;
  if (!existsSync(path)) throw new Error(`no PKI in ${dataDir}: run \`kelisim pki init\` first`);
  return readJsonFile(PkiConfigSchema, path);
}

/**
 * The node's TLS material for `tls.createServer` / `https.request`: certificate and key (PEM, the
 * key decrypted in memory only), and the roots to trust for the peer (the pinned peer roots).
 */
export function loadNodeTls(dataDir: string): {
  cert: string;
  key: string;
  ownRoot: string;
  peerRoots: Record<Party, string>;
} {
  const config = readConfig(dataDir);
  const paths = pkiPaths(dataDir);
  const key = readPrivateKey(dataDir, config.salt, join(paths.node, "tls.key.pem"));
  const peerRoots: Record<Party, string> = {};
  if (existsSync(paths.peers))
    for (const party of readdirSync(paths.peers)) {
      const p = join(paths.peer(party), "root.crt.pem");
      if (existsSync(p)) peerRoots[party] = readFileSync(p, "utf8");
    }
  return {
    cert: readFileSync(join(paths.node, "tls.crt.pem"), "utf8"),
    key: key.export({ type: "pkcs8", format: "pem" }) as string,
    ownRoot: readFileSync(paths.rootCert, "utf8"),
    peerRoots,
  };
}

/** Reads this node's Party and agreement. */
export function readPkiConfig(dataDir: string): { party: Party; agreementId: string } {
  const { party, agreementId } = readConfig(dataDir);
  return { party, agreementId };
}

/** A certificate with its private key, as used for signing or decrypting. */
export type KeyHolder = { readonly certificate: Uint8Array; readonly privateKey: KeyObject };

/** Loads an organisation's signing and encryption certificates and keys from this node. */
export function loadOrganisation(params: { dataDir: string; orgId: string }): {
  orgId: string;
  party: Party;
  signer: KeyHolder;
  recipient: KeyHolder;
} {
  assertOrgId(params.orgId);
  const config = readConfig(params.dataDir);
  const dir = pkiPaths(params.dataDir).org(params.orgId);
  if (!existsSync(join(dir, "signing.crt.pem")))
    throw new Error(`no certificates for organisation ${params.orgId}`);
  const load = (role: string): KeyHolder => ({
    certificate: toDer(readFileSync(join(dir, `${role}.crt.pem`), "utf8")),
    privateKey: readPrivateKey(params.dataDir, config.salt, join(dir, `${role}.key.pem`)),
  });
  return { orgId: params.orgId, party: config.party, signer: load("signing"), recipient: load("encryption") };
}

/** The organisations holding certificates on this node (id, name, encryption certificate). */
export function listOrganisations(
  dataDir: string,
): { orgId: string; orgName: string; encryptionCertificate: Uint8Array }[] {
  const dir = pkiPaths(dataDir).orgs;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((orgId) => existsSync(join(dir, orgId, "encryption.crt.pem")))
    .map((orgId) => {
      const meta = readJsonFile(OrgMetaSchema, join(dir, orgId, "org.json"));
      return {
        orgId,
        orgName: meta.orgName,
        encryptionCertificate: toDer(readFileSync(join(dir, orgId, "encryption.crt.pem"), "utf8")),
      };
    });
}

/**
 * An organisation's private key as PEM for checking packages with OpenSSL: PKCS#8 encrypted with
 * `passphrase` (AES-256-CBC, `openssl … -passin`) or, without one, in clear (the caller warns).
 */
export function exportPrivateKey(params: {
  dataDir: string;
  orgId: string;
  role: "signing" | "encryption";
  passphrase?: string;
}): string {
  const org = loadOrganisation({ dataDir: params.dataDir, orgId: params.orgId });
  const key = params.role === "signing" ? org.signer.privateKey : org.recipient.privateKey;
  return params.passphrase
    ? (key.export({
        type: "pkcs8",
        format: "pem",
        cipher: "aes-256-cbc",
        passphrase: params.passphrase,
      }) as string)
    : (key.export({ type: "pkcs8", format: "pem" }) as string);
}
