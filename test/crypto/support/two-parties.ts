/** Two Parties' PKIs in a temporary directory, as the crypto tests use them. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadAgreementPackSync } from "../../../src/agreements/load-pack.ts";
import { labelTableFromPack } from "../../../src/crypto/agreement-labels.ts";
import { toPem } from "../../../src/crypto/certificate.ts";
import type { AgreementLabelTable } from "../../../src/crypto/label.ts";
import {
  exportRoot,
  importPeerRoot,
  initPartyPki,
  issueOrganisationCertificates,
  type KeyHolder,
  loadOrganisation,
} from "../../../src/crypto/pki.ts";
import { loadTrust, type TrustStore } from "../../../src/crypto/trust.ts";
import type { AgreementPack } from "../../../src/domain/agreement/pack-schema.ts";

export type Org = { orgId: string; signer: KeyHolder; recipient: KeyHolder };

export type TwoParties = {
  dir: string;
  kzDir: string;
  amDir: string;
  pack: AgreementPack;
  table: AgreementLabelTable;
  kzOrg: Org;
  amOrg: Org;
  trustKz: () => TrustStore;
  trustAm: () => TrustStore;
  cleanup: () => void;
};

/** Builds a KZ node and an AM node with one organisation each and each other's roots pinned. */
export async function makeTwoParties(now = new Date()): Promise<TwoParties> {
  process.env.KELISIM_PKI_PASSPHRASE = "test passphrase, not a secret";
  const dir = mkdtempSync(join(tmpdir(), "kelisim-crypto-"));
  const kzDir = join(dir, "kz");
  const amDir = join(dir, "am");
  await initPartyPki({ dataDir: kzDir, party: "KZ", agreementId: "kz-am-2025", now });
  await initPartyPki({ dataDir: amDir, party: "AM", agreementId: "kz-am-2025", now });
  await issueOrganisationCertificates({
    dataDir: kzDir,
    orgId: "kz-mod",
    orgName: "Қорғаныс министрлігі",
    now,
  });
  await issueOrganisationCertificates({
    dataDir: amDir,
    orgId: "am-mod",
    orgName: "Պաշտպանության նախարարություն",
    now,
  });
  importPeerRoot({ dataDir: kzDir, party: "AM", pem: (await exportRoot({ dataDir: amDir, now })).pem });
  importPeerRoot({ dataDir: amDir, party: "KZ", pem: (await exportRoot({ dataDir: kzDir, now })).pem });
  const pack = loadAgreementPackSync("kz-am-2025");
  return {
    dir,
    kzDir,
    amDir,
    pack,
    table: labelTableFromPack(pack),
    kzOrg: loadOrganisation({ dataDir: kzDir, orgId: "kz-mod" }),
    amOrg: loadOrganisation({ dataDir: amDir, orgId: "am-mod" }),
    trustKz: () => loadTrust(kzDir),
    trustAm: () => loadTrust(amDir),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Writes a key holder's certificate and cleartext key as PEM files for `openssl`, returns their paths. */
export function writeForOpenssl(dir: string, name: string, holder: KeyHolder): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt.pem`);
  const key = join(dir, `${name}.key.pem`);
  writeFileSync(cert, toPem(holder.certificate));
  writeFileSync(key, holder.privateKey.export({ type: "pkcs8", format: "pem" }) as string, { mode: 0o600 });
  return { cert, key };
}
