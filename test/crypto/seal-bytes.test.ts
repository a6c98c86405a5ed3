import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageLabelFor } from "../../src/crypto/agreement-labels.ts";
import { decryptEnvelope } from "../../src/crypto/auth-enveloped.ts";
import { parseCertificate } from "../../src/crypto/certificate.ts";
import type { PackageLabel } from "../../src/crypto/label.ts";
import {
  exportRoot,
  importPeerCrl,
  initPartyPki,
  issueOrganisationCertificates,
  loadOrganisation,
  readOwnCrl,
  revokeCertificate,
} from "../../src/crypto/pki.ts";
import { refusalCode } from "../../src/crypto/refusal.ts";
import { openBytes, sealBytes } from "../../src/crypto/seal-bytes.ts";
import { verifySignedContent } from "../../src/crypto/signed-data.ts";
import { followTrust, loadTrust } from "../../src/crypto/trust.ts";
import { makeTwoParties, type TwoParties, writeForOpenssl } from "./support/two-parties.ts";

let t: TwoParties;
let label: PackageLabel;
const text = new TextEncoder().encode("A5.7: the contract annex, secret");

beforeAll(async () => {
  t = await makeTwoParties();
  label = packageLabelFor(t.pack, "KZ", "secret");
});
afterAll(() => t.cleanup());

function seal(content = text, l = label): Uint8Array {
  return sealBytes({
    content,
    label: l,
    signer: t.kzOrg.signer,
    recipientCert: t.amOrg.recipient.certificate,
    trust: t.trustKz(),
  });
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return refusalCode(error) ?? `not a refusal: ${String(error)}`;
  }
  return undefined;
}

function openAsAm(bytes: Uint8Array, now?: Date, trust = t.trustAm()) {
  return openBytes({ bytes, recipient: t.amOrg.recipient, trust, agreement: t.table, now });
}

describe("sealBytes / openBytes", () => {
  it("A5.7, A6.1: opens a KZ package at AM with the sender, the label and the equivalent AM label", () => {
    const opened = openAsAm(seal());
    expect(new TextDecoder().decode(opened.content)).toBe("A5.7: the contract annex, secret");
    expect(opened.signerParty).toBe("KZ");
    expect(opened.signerOrgId).toBe("kz-mod");
    expect(opened.label).toEqual({
      policyOid: "2.25.305972782821316735534473032514240479386",
      classification: 1,
      privacyMark: "Құпия",
    });
    expect(opened.equivalentLabels).toEqual([
      { policyOid: "2.25.225137033717207393904239274951495159775", classification: 1, privacyMark: "Գաղտնի" },
    ]);
  });

  it("A5.7: openssl cms -decrypt and -verify accept a Kelisim package, and -cmsout -print shows both labels", () => {
    const dir = t.dir;
    writeFileSync(join(dir, "msg.p7m"), seal());
    const am = writeForOpenssl(dir, "am-enc", t.amOrg.recipient);
    execFileSync("openssl", [
      "cms",
      "-decrypt",
      "-inform",
      "DER",
      "-in",
      join(dir, "msg.p7m"),
      "-recip",
      am.cert,
      "-inkey",
      am.key,
      "-out",
      join(dir, "signed.p7s"),
    ]);
    const kzRoot = join(t.kzDir, "pki/root/root.crt.pem");
    execFileSync(
      "openssl",
      [
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        join(dir, "signed.p7s"),
        "-CAfile",
        kzRoot,
        "-out",
        join(dir, "out.txt"),
      ],
      { stdio: "pipe" },
    );
    expect(readFileSync(join(dir, "out.txt"), "utf8")).toBe("A5.7: the contract annex, secret");
    const printed = execFileSync("openssl", [
      "cms",
      "-cmsout",
      "-print",
      "-inform",
      "DER",
      "-in",
      join(dir, "signed.p7s"),
    ]).toString();
    expect(printed).toContain("id-smime-aa-securityLabel");
    expect(printed).toContain("id-smime-aa-equivalentLabels");
    expect(printed).toContain("2.25.305972782821316735534473032514240479386");
    expect(printed).toContain("2.25.225137033717207393904239274951495159775");
    expect(printed).toContain("Құпия");
    expect(printed).toContain("Գաղտնի");
    expect(printed).toContain("id-smime-aa-signingCertificateV2");
    expect(printed).toContain("signingTime");
  });

  it("A5.7: opens what OpenSSL encrypted (AES-256-GCM, ECDH P-384 with the SHA-384 KDF) around a Kelisim signature", () => {
    const dir = t.dir;
    const am = writeForOpenssl(dir, "am-enc2", t.amOrg.recipient);
    // The signed message Kelisim made, re-encrypted by OpenSSL alone.
    const { plaintext } = decryptEnvelope({
      bytes: seal(),
      recipientCert: parseCertificate(t.amOrg.recipient.certificate),
      privateKey: t.amOrg.recipient.privateKey,
    });
    writeFileSync(join(dir, "signed2.p7s"), plaintext);
    execFileSync("openssl", [
      "cms",
      "-encrypt",
      "-binary",
      "-aes-256-gcm",
      "-in",
      join(dir, "signed2.p7s"),
      "-outform",
      "DER",
      "-out",
      join(dir, "ossl.p7m"),
      "-recip",
      am.cert,
      "-keyopt",
      "ecdh_kdf_md:sha384",
    ]);
    const opened = openAsAm(new Uint8Array(readFileSync(join(dir, "ossl.p7m"))));
    expect(new TextDecoder().decode(opened.content)).toBe("A5.7: the contract annex, secret");
    expect(opened.label.privacyMark).toBe("Құпия");
  });

  it("A2.2: an OpenSSL-signed and -encrypted message decrypts and verifies but is refused for its missing label", () => {
    const dir = t.dir;
    const am = writeForOpenssl(dir, "am-enc3", t.amOrg.recipient);
    const kz = writeForOpenssl(dir, "kz-sig3", t.kzOrg.signer);
    writeFileSync(join(dir, "plain3.txt"), "from OpenSSL");
    execFileSync("openssl", [
      "cms",
      "-sign",
      "-binary",
      "-nodetach",
      "-md",
      "sha384",
      "-in",
      join(dir, "plain3.txt"),
      "-signer",
      kz.cert,
      "-inkey",
      kz.key,
      "-outform",
      "DER",
      "-out",
      join(dir, "ossl-signed.p7s"),
    ]);
    execFileSync("openssl", [
      "cms",
      "-encrypt",
      "-binary",
      "-aes-256-gcm",
      "-in",
      join(dir, "ossl-signed.p7s"),
      "-outform",
      "DER",
      "-out",
      join(dir, "ossl3.p7m"),
      "-recip",
      am.cert,
      "-keyopt",
      "ecdh_kdf_md:sha384",
    ]);
    const bytes = new Uint8Array(readFileSync(join(dir, "ossl3.p7m")));
    expect(codeOf(() => openAsAm(bytes))).toBe("PACKAGE_LABEL_MISSING");
    // The same OpenSSL signature with its content changed fails on integrity, before the label.
    const signed = new Uint8Array(readFileSync(join(dir, "ossl-signed.p7s")));
    const at = Buffer.from(signed).indexOf("from OpenSSL");
    signed[at]! ^= 1;
    expect(codeOf(() => verifySignedContent({ bytes: signed, trust: t.trustAm(), now: new Date() }))).toBe(
      "PACKAGE_INTEGRITY_FAILED",
    );
  });

  it("A5.7: refuses a package sealed to another organisation", async () => {
    await issueOrganisationCertificates({ dataDir: t.amDir, orgId: "am-other", orgName: "Other" });
    const other = loadOrganisation({ dataDir: t.amDir, orgId: "am-other" });
    const bytes = seal();
    expect(
      codeOf(() => openBytes({ bytes, recipient: other.recipient, trust: t.trustAm(), agreement: t.table })),
    ).toBe("PACKAGE_NOT_FOR_RECIPIENT");
  });

  it("A5.7: refuses a signer whose root is not the pinned root of its Party", async () => {
    const rogueDir = join(t.dir, "rogue-kz");
    await initPartyPki({ dataDir: rogueDir, party: "KZ", agreementId: "kz-am-2025" });
    await issueOrganisationCertificates({
      dataDir: rogueDir,
      orgId: "kz-mod",
      orgName: "Қорғаныс министрлігі",
    });
    const rogue = loadOrganisation({ dataDir: rogueDir, orgId: "kz-mod" });
    const bytes = sealBytes({
      content: text,
      label,
      signer: rogue.signer,
      recipientCert: t.amOrg.recipient.certificate,
      trust: {
        ...loadTrust(rogueDir),
        anchors: new Map([...loadTrust(rogueDir).anchors, ["AM", t.trustAm().anchors.get("AM")!]]),
      },
    });
    expect(codeOf(() => openAsAm(bytes))).toBe("PACKAGE_SIGNER_UNTRUSTED");
  });

  it("A5.7: refuses to seal to a certificate that chains to no pinned root", async () => {
    const rogueDir = join(t.dir, "rogue-am");
    await initPartyPki({ dataDir: rogueDir, party: "AM", agreementId: "kz-am-2025" });
    await issueOrganisationCertificates({ dataDir: rogueDir, orgId: "am-mod", orgName: "x" });
    const rogue = loadOrganisation({ dataDir: rogueDir, orgId: "am-mod" });
    expect(
      codeOf(() =>
        sealBytes({
          content: text,
          label,
          signer: t.kzOrg.signer,
          recipientCert: rogue.recipient.certificate,
          trust: t.trustKz(),
        }),
      ),
    ).toBe("PACKAGE_SIGNER_UNTRUSTED");
  });

  it("A5.7: refuses a package whose signer certificate has expired at opening", () => {
    const bytes = seal();
    const later = new Date(Date.now() + 800 * 86_400_000);
    expect(codeOf(() => openAsAm(bytes, later))).toBe("PACKAGE_CERTIFICATE_EXPIRED");
  });

  it("A5.7: refuses a label that is not the agreement's label for the signer's Party and level", () => {
    const wrongMark: PackageLabel = { ...label, label: { ...label.label, privacyMark: "Секретно" } };
    expect(codeOf(() => openAsAm(seal(text, wrongMark)))).toBe("PACKAGE_LABEL_MISMATCH");
    const amLabelFromKz = packageLabelFor(t.pack, "AM", "secret");
    expect(codeOf(() => openAsAm(seal(text, amLabelFromKz)))).toBe("PACKAGE_LABEL_MISMATCH");
    const mixed: PackageLabel = {
      label: label.label,
      equivalentLabels: packageLabelFor(t.pack, "KZ", "top-secret").equivalentLabels,
    };
    expect(codeOf(() => openAsAm(seal(text, mixed)))).toBe("PACKAGE_LABEL_MISMATCH");
  });

  it("A5.7: refuses every truncation and appended bytes", () => {
    const bytes = seal();
    const trust = t.trustAm();
    for (let n = 0; n < bytes.length; n++)
      expect(codeOf(() => openAsAm(bytes.subarray(0, n), undefined, trust))).toMatch(/^PACKAGE_/);
    for (const extra of [Uint8Array.of(0), Uint8Array.of(0, 0), new Uint8Array(100)]) {
      const longer = new Uint8Array(bytes.length + extra.length);
      longer.set(bytes);
      longer.set(extra, bytes.length);
      expect(codeOf(() => openAsAm(longer))).toMatch(/^PACKAGE_/);
    }
  });

  it("A5.7: refuses every single-bit flip of a sealed message", () => {
    const bytes = seal(new TextEncoder().encode("x"));
    const trust = t.trustAm();
    const accepted: number[] = [];
    const notRefusals: string[] = [];
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = bytes.slice();
      copy[bit >> 3]! ^= 0x80 >> (bit & 7);
      const code = codeOf(() => openAsAm(copy, undefined, trust));
      if (code === undefined) accepted.push(bit);
      else if (!code.startsWith("PACKAGE_")) notRefusals.push(`${bit}: ${code}`);
    }
    expect(accepted).toEqual([]);
    expect(notRefusals).toEqual([]);
  }, 300_000);

  /** A new KZ organisation, the seal of `text` to AM by it, and a way to seal again as it. */
  async function newKzSigner(orgId: string) {
    await issueOrganisationCertificates({ dataDir: t.kzDir, orgId, orgName: `Body ${orgId}` });
    const org = loadOrganisation({ dataDir: t.kzDir, orgId });
    const sealAgain = () =>
      sealBytes({
        content: text,
        label,
        signer: org.signer,
        recipientCert: t.amOrg.recipient.certificate,
        trust: t.trustKz(),
      });
    return { bytes: sealAgain(), sealAgain };
  }

  it("A5.7: refuses a package signed with a certificate revoked since, once the CRL reaches the receiver", async () => {
    const { bytes, sealAgain } = await newKzSigner("kz-revoked");
    expect(openAsAm(bytes).signerOrgId).toBe("kz-revoked");
    await revokeCertificate({
      dataDir: t.kzDir,
      orgId: "kz-revoked",
      reason: "keyCompromise",
      now: new Date(Date.now() + 1000),
    });
    importPeerCrl({ dataDir: t.amDir, party: "KZ", pem: readOwnCrl(t.kzDir) });
    expect(codeOf(() => openAsAm(bytes))).toBe("PACKAGE_CERTIFICATE_REVOKED");
    // and the sender's own node no longer signs with it
    expect(codeOf(sealAgain)).toBe("PACKAGE_CERTIFICATE_REVOKED");
    void exportRoot;
  });

  it("A5.7: a running node's trust store follows its files: a CRL imported while it runs holds from the next package", async () => {
    const { bytes } = await newKzSigner("kz-later");
    const trustOfAm = followTrust(t.amDir);
    const before = trustOfAm();
    expect(trustOfAm()).toBe(before); // unchanged files: the store held is used again
    expect(openAsAm(bytes, undefined, before).signerOrgId).toBe("kz-later");
    await revokeCertificate({
      dataDir: t.kzDir,
      orgId: "kz-later",
      reason: "keyCompromise",
      now: new Date(Date.now() + 1000),
    });
    importPeerCrl({ dataDir: t.amDir, party: "KZ", pem: readOwnCrl(t.kzDir) });
    expect(codeOf(() => openAsAm(bytes, undefined, trustOfAm()))).toBe("PACKAGE_CERTIFICATE_REVOKED");
  });

  it("A5.7: an RSA-OAEP recipient works both ways with OpenSSL", async () => {
    await issueOrganisationCertificates({
      dataDir: t.amDir,
      orgId: "am-rsa",
      orgName: "RSA body",
      encryption: "rsa-oaep",
    });
    const rsa = loadOrganisation({ dataDir: t.amDir, orgId: "am-rsa" });
    const bytes = sealBytes({
      content: text,
      label,
      signer: t.kzOrg.signer,
      recipientCert: rsa.recipient.certificate,
      trust: t.trustKz(),
    });
    const dir = t.dir;
    writeFileSync(join(dir, "rsa.p7m"), bytes);
    const pem = writeForOpenssl(dir, "am-rsa", rsa.recipient);
    const r = spawnSync("openssl", [
      "cms",
      "-decrypt",
      "-inform",
      "DER",
      "-in",
      join(dir, "rsa.p7m"),
      "-recip",
      pem.cert,
      "-inkey",
      pem.key,
      "-out",
      join(dir, "rsa-signed.p7s"),
    ]);
    expect(r.status).toBe(0);
    execFileSync("openssl", [
      "cms",
      "-encrypt",
      "-binary",
      "-aes-256-gcm",
      "-in",
      join(dir, "rsa-signed.p7s"),
      "-outform",
      "DER",
      "-out",
      join(dir, "rsa-ossl.p7m"),
      "-recip",
      pem.cert,
      "-keyopt",
      "rsa_padding_mode:oaep",
      "-keyopt",
      "rsa_oaep_md:sha256",
      "-keyopt",
      "rsa_mgf1_md:sha256",
    ]);
    const opened = openBytes({
      bytes: new Uint8Array(readFileSync(join(dir, "rsa-ossl.p7m"))),
      recipient: rsa.recipient,
      trust: t.trustAm(),
      agreement: t.table,
    });
    expect(new TextDecoder().decode(opened.content)).toBe("A5.7: the contract annex, secret");
  });
});
