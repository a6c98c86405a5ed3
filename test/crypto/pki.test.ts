import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { connect, createServer } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCertificate, toPem } from "../../src/crypto/certificate.ts";
import {
  exportRoot,
  importPeerCrl,
  importPeerRoot,
  initPartyPki,
  issueNodeTlsCertificate,
  loadNodeTls,
  loadOrganisation,
  publishOwnCrl,
} from "../../src/crypto/pki.ts";
import { refusalCode } from "../../src/crypto/refusal.ts";
import { loadTrust, validateCertificate } from "../../src/crypto/trust.ts";
import { makeTwoParties, type TwoParties } from "./support/two-parties.ts";

let t: TwoParties;
beforeAll(async () => {
  t = await makeTwoParties();
});
afterAll(() => t.cleanup());

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return refusalCode(error) ?? String(error);
  }
  return undefined;
}

describe("Party PKI", () => {
  it("A5.7: keeps every private key encrypted at rest, and refuses a wrong passphrase", () => {
    const keyFiles = [
      join(t.kzDir, "pki/root/root.key.pem"),
      ...readdirSync(join(t.kzDir, "pki/orgs/kz-mod"))
        .filter((n) => n.endsWith(".key.pem"))
        .map((n) => join(t.kzDir, "pki/orgs/kz-mod", n)),
    ];
    expect(keyFiles).toHaveLength(3);
    for (const f of keyFiles) {
      const text = readFileSync(f, "utf8");
      expect(text).toContain("BEGIN ENCRYPTED PRIVATE KEY");
      expect(text).not.toContain("BEGIN PRIVATE KEY");
    }
    const saved = process.env.KELISIM_PKI_PASSPHRASE;
    process.env.KELISIM_PKI_PASSPHRASE = "not the passphrase";
    try {
      expect(() => loadOrganisation({ dataDir: t.kzDir, orgId: "kz-mod" })).toThrow(/wrong passphrase/);
    } finally {
      process.env.KELISIM_PKI_PASSPHRASE = saved;
    }
  });

  it("A5.7: issues certificates with the profile OpenSSL expects (S/MIME signing, key agreement, CA root)", () => {
    const root = join(t.kzDir, "pki/root/root.crt.pem");
    const signing = join(t.kzDir, "pki/orgs/kz-mod/signing.crt.pem");
    const encryption = join(t.kzDir, "pki/orgs/kz-mod/encryption.crt.pem");
    execFileSync("openssl", ["verify", "-CAfile", root, "-purpose", "smimesign", signing]);
    execFileSync("openssl", ["verify", "-CAfile", root, "-purpose", "any", encryption]);
    const rootText = execFileSync("openssl", ["x509", "-in", root, "-noout", "-text"]).toString();
    expect(rootText).toMatch(/CA:TRUE, pathlen:0/);
    expect(rootText).toContain("Certificate Sign, CRL Sign");
    expect(rootText).toContain("secp384r1");
    const s = parseCertificate(readFileSync(signing, "utf8"));
    expect([...s.keyUsage].sort()).toEqual(["digitalSignature", "nonRepudiation"]);
    expect(s.subject).toMatchObject({ C: "KZ", OU: "kz-mod" });
    const e = parseCertificate(readFileSync(encryption, "utf8"));
    expect([...e.keyUsage]).toEqual(["keyAgreement"]);
    // another Party's root does not chain them
    expect(
      spawnSync("openssl", ["verify", "-CAfile", join(t.amDir, "pki/root/root.crt.pem"), signing]).status,
    ).not.toBe(0);
  });

  it("A5.7: pins only a self-signed root of the named Party, and the fingerprint given", async () => {
    const am = await exportRoot({ dataDir: t.amDir });
    expect(() => importPeerRoot({ dataDir: t.kzDir, party: "KZ", pem: am.pem })).toThrow(/other Party/);
    const fresh = mkdtempSync(join(t.dir, "fresh-"));
    await initPartyPki({ dataDir: fresh, party: "KZ", agreementId: "kz-am-2025" });
    expect(() =>
      importPeerRoot({ dataDir: fresh, party: "AM", pem: am.pem, expectedFingerprint: "00:11" }),
    ).toThrow(/fingerprint mismatch/);
    const orgCert = readFileSync(join(t.amDir, "pki/orgs/am-mod/signing.crt.pem"), "utf8");
    expect(() => importPeerRoot({ dataDir: fresh, party: "AM", pem: orgCert })).toThrow(/not a CA/);
    const kzRootAsAm = readFileSync(join(t.kzDir, "pki/root/root.crt.pem"), "utf8");
    expect(() => importPeerRoot({ dataDir: fresh, party: "AM", pem: kzRootAsAm })).toThrow(/country is KZ/);
    expect(
      importPeerRoot({ dataDir: fresh, party: "AM", pem: am.pem, expectedFingerprint: am.fingerprint })
        .fingerprint,
    ).toBe(am.fingerprint);
  });

  it("A5.7: refuses the other Party's certificates once its CRL held is out of date, and takes a fresh one", async () => {
    const amSigner = loadOrganisation({ dataDir: t.amDir, orgId: "am-mod" }).signer.certificate;
    const now = new Date();
    expect(validateCertificate(amSigner, loadTrust(t.kzDir), { purpose: "signing", now }).orgId).toBe(
      "am-mod",
    );
    const later = new Date(now.getTime() + 100 * 86_400_000);
    expect(
      code(() => validateCertificate(amSigner, loadTrust(t.kzDir), { purpose: "signing", now: later })),
    ).toBe("PACKAGE_SIGNER_UNTRUSTED");
    importPeerCrl({
      dataDir: t.kzDir,
      party: "AM",
      pem: await publishOwnCrl({ dataDir: t.amDir, now: later }),
    });
    expect(validateCertificate(amSigner, loadTrust(t.kzDir), { purpose: "signing", now: later }).party).toBe(
      "AM",
    );
    // the node's own certificates do not depend on its own CRL's age
    const kzSigner = loadOrganisation({ dataDir: t.kzDir, orgId: "kz-mod" }).signer.certificate;
    expect(validateCertificate(kzSigner, loadTrust(t.kzDir), { purpose: "signing", now: later }).party).toBe(
      "KZ",
    );
    // a CRL not signed by the pinned root is refused
    expect(() =>
      importPeerCrl({
        dataDir: t.kzDir,
        party: "AM",
        pem: readFileSync(join(t.kzDir, "pki/root/crl.pem"), "utf8"),
      }),
    ).toThrow(/not signed/);
  });

  it("A5.7: refuses a certificate for a purpose it was not issued for", () => {
    const kz = loadOrganisation({ dataDir: t.kzDir, orgId: "kz-mod" });
    const trust = loadTrust(t.kzDir);
    const now = new Date();
    expect(
      code(() => validateCertificate(kz.recipient.certificate, trust, { purpose: "signing", now })),
    ).toBe("PACKAGE_SIGNER_UNTRUSTED");
    expect(
      code(() => validateCertificate(kz.signer.certificate, trust, { purpose: "encryption", now })),
    ).toBe("PACKAGE_SIGNER_UNTRUSTED");
    expect(code(() => validateCertificate(kz.signer.certificate, trust, { purpose: "tls", now }))).toBe(
      "PACKAGE_SIGNER_UNTRUSTED",
    );
    expect(
      code(() =>
        validateCertificate(kz.signer.certificate, trust, { purpose: "signing", now, expectedParty: "AM" }),
      ),
    ).toBe("PACKAGE_SIGNER_UNTRUSTED");
  });

  it("A5.7: the nodes' TLS certificates make a mutual TLS connection that trusts only the pinned peer root", async () => {
    await issueNodeTlsCertificate({ dataDir: t.kzDir });
    await issueNodeTlsCertificate({ dataDir: t.amDir });
    const kz = loadNodeTls(t.kzDir);
    const am = loadNodeTls(t.amDir);
    const peerCertificates: string[] = [];
    const server = createServer(
      { cert: kz.cert, key: kz.key, ca: [kz.peerRoots.AM!], requestCert: true, rejectUnauthorized: true },
      (socket) => {
        const peer = socket.getPeerCertificate(true);
        peerCertificates.push(toPem(new Uint8Array(peer.raw)));
        socket.end("hello from KZ");
      },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    const received = await new Promise<string>((resolve, reject) => {
      const socket = connect(
        { host: "127.0.0.1", port, cert: am.cert, key: am.key, ca: [am.peerRoots.KZ!] },
        () => undefined,
      );
      let data = "";
      socket.on("data", (d) => (data += d));
      socket.on("end", () => resolve(data));
      socket.on("error", reject);
    });
    expect(received).toBe("hello from KZ");
    const holder = validateCertificate(parseCertificate(peerCertificates[0]!), loadTrust(t.kzDir), {
      purpose: "tls",
      now: new Date(),
      expectedParty: "AM",
    });
    expect(holder.party).toBe("AM");
    // a client trusting only its own root does not accept the KZ server
    const refused = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: "127.0.0.1", port, cert: am.cert, key: am.key, ca: [am.ownRoot] });
      socket.on("secureConnect", () => resolve(false));
      socket.on("error", () => resolve(true));
    });
    expect(refused).toBe(true);
    await new Promise((resolve) => server.close(resolve));
  });
});
