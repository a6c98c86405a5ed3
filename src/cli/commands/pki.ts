// `kelisim pki …`: the Party's PKI in the node's data directory (`<data>/pki/`): root CA, organisation
// and TLS certificates, revocation, and the other Party's root pinned to the agreement (A5.7).
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import {
  exportRoot,
  importPeerCrl,
  importPeerRoot,
  initPartyPki,
  issueNodeTlsCertificate,
  issueOrganisationCertificates,
  publishOwnCrl,
  revokeCertificate,
} from "../../crypto/index.ts";
import { exportPrivateKey } from "../../crypto/pki.ts";
import { resolveNodeLocation } from "../../node/node-location.ts";
import { printResult } from "../output.ts";

type Common = { data?: string; json?: boolean };

function common(command: Command): Command {
  return command
    .option("--data <dir>", "the node's data directory (default: KELISIM_DATA or ./.kelisim)")
    .option("--json", "print JSON");
}

const dataDirOf = (options: Common) => resolveNodeLocation(options).dataDir;

export function registerPkiCommands(program: Command): void {
  const pki = program
    .command("pki")
    .description(
      "the Party's PKI: root CA, organisation certificates, revocation, the other Party's pinned root (A5.7)",
    );

  common(
    pki
      .command("init")
      .description(
        "create the Party's root CA (ECDSA P-384); keys encrypted under KELISIM_PKI_PASSPHRASE or pki/node.key",
      )
      .requiredOption("--party <code>", "this node's Party: KZ or AM")
      .option("--agreement <id>", "agreement pack", "kz-am-2025"),
  ).action(async (options: Common & { party: string; agreement: string }) => {
    const result = await initPartyPki({
      dataDir: dataDirOf(options),
      party: options.party,
      agreementId: options.agreement,
    });
    printResult(
      options,
      () =>
        `root CA of ${options.party} created\nSHA-256 fingerprint: ${result.fingerprint}\n(read it to the other Party over a second channel)`,
      { party: options.party, agreementId: options.agreement, fingerprint: result.fingerprint },
    );
  });

  common(
    pki
      .command("issue")
      .description(
        "issue an organisation's signing and encryption certificates (--org), or the node's TLS certificate (--tls)",
      )
      .option("--org <id>", "organisation id (lowercase letters, digits, dashes)")
      .option("--name <name>", "organisation name (O= in the certificates)")
      .option("--encryption <kind>", "ecdh-p384 or rsa-oaep", "ecdh-p384")
      .option("--tls", "issue the node's TLS certificate (serverAuth + clientAuth)")
      .option("--host <name...>", "extra DNS names for the TLS certificate")
      .option("--ip <address...>", "extra IP addresses for the TLS certificate")
      .option("--validity-days <n>", "validity in days"),
  ).action(
    async (
      options: Common & {
        org?: string;
        name?: string;
        encryption: string;
        tls?: boolean;
        host?: string[];
        ip?: string[];
        validityDays?: string;
      },
    ) => {
      const dataDir = dataDirOf(options);
      const validityDays = options.validityDays ? Number(options.validityDays) : undefined;
      if (options.tls) {
        const r = await issueNodeTlsCertificate({
          dataDir,
          hostnames: options.host,
          ips: options.ip,
          validityDays,
        });
        printResult(options, () => `TLS certificate issued, serial ${r.serialHex}`, {
          kind: "tls",
          serial: r.serialHex,
        });
        return;
      }
      if (!options.org) throw new Error("name the organisation: --org <id> (or --tls)");
      if (options.encryption !== "ecdh-p384" && options.encryption !== "rsa-oaep")
        throw new Error("--encryption is ecdh-p384 or rsa-oaep");
      const r = await issueOrganisationCertificates({
        dataDir,
        orgId: options.org,
        orgName: options.name ?? options.org,
        validityDays,
        encryption: options.encryption,
      });
      printResult(
        options,
        () =>
          `certificates issued for ${options.org}: signing ${r.signing.serialHex}, encryption ${r.encryption.serialHex}\n` +
          `encryption certificate (give it to senders): ${dataDir}/pki/orgs/${options.org}/encryption.crt.pem`,
        { orgId: options.org, signingSerial: r.signing.serialHex, encryptionSerial: r.encryption.serialHex },
      );
    },
  );

  common(
    pki
      .command("revoke")
      .description("revoke a certificate (by serial) or all of an organisation's, and publish a new CRL")
      .option("--serial <hex>", "serial number (hex)")
      .option("--org <id>", "revoke every current certificate of this organisation")
      .option("--reason <reason>", "reason", "unspecified"),
  ).action(async (options: Common & { serial?: string; org?: string; reason: string }) => {
    if (!options.serial && !options.org) throw new Error("name what to revoke: --serial <hex> or --org <id>");
    const r = await revokeCertificate({
      dataDir: dataDirOf(options),
      serialHex: options.serial,
      orgId: options.org,
      reason: options.reason,
    });
    printResult(options, () => `revoked: ${r.revoked.join(", ")}\nnew CRL written to pki/root/crl.pem`, {
      revoked: r.revoked,
    });
  });

  common(
    pki
      .command("export-root")
      .description("write this Party's root certificate and a fresh CRL (PEM) for the other Party to pin")
      .option("--out <file>", "file to write (default: standard output)"),
  ).action(async (options: Common & { out?: string }) => {
    const r = await exportRoot({ dataDir: dataDirOf(options) });
    if (options.out) writeFileSync(options.out, r.pem);
    else if (!options.json) {
      process.stdout.write(r.pem);
      process.stderr.write(`SHA-256 fingerprint: ${r.fingerprint}\n`);
      return;
    }
    printResult(
      options,
      () => `root of ${r.party} written to ${options.out}\nSHA-256 fingerprint: ${r.fingerprint}`,
      {
        party: r.party,
        agreementId: r.agreementId,
        fingerprint: r.fingerprint,
        pem: options.out ? undefined : r.pem,
      },
    );
  });

  common(
    pki
      .command("import-peer-root")
      .description("pin the other Party's root (and its CRL) to this node's agreement")
      .requiredOption("--party <code>", "the other Party: KZ or AM")
      .requiredOption("--in <file>", "the PEM bundle from `kelisim pki export-root`")
      .option("--fingerprint <sha256>", "the fingerprint read out over a second channel (checked)")
      .option("--replace", "replace a different root pinned before"),
  ).action((options: Common & { party: string; in: string; fingerprint?: string; replace?: boolean }) => {
    const r = importPeerRoot({
      dataDir: dataDirOf(options),
      party: options.party,
      pem: readFileSync(options.in, "utf8"),
      expectedFingerprint: options.fingerprint,
      replace: options.replace,
    });
    printResult(options, () => `root of ${r.party} pinned\nSHA-256 fingerprint: ${r.fingerprint}`, r);
  });

  common(
    pki
      .command("import-crl")
      .description("take in a newer CRL of the other Party's pinned root")
      .requiredOption("--party <code>", "the other Party: KZ or AM")
      .requiredOption("--in <file>", "the CRL (PEM)"),
  ).action((options: Common & { party: string; in: string }) => {
    importPeerCrl({
      dataDir: dataDirOf(options),
      party: options.party,
      pem: readFileSync(options.in, "utf8"),
    });
    printResult(options, () => `CRL of ${options.party} updated`, { party: options.party, updated: true });
  });

  common(
    pki
      .command("export-key")
      .description(
        "write an organisation's private key as PEM, for checking packages with openssl (keep it safe)",
      )
      .requiredOption("--org <id>", "organisation id")
      .requiredOption("--role <role>", "encryption or signing")
      .requiredOption("--out <file>", "file to write (mode 0600; must not exist)")
      .option("--passphrase-env <var>", "encrypt the PEM with the passphrase in this environment variable"),
  ).action((options: Common & { org: string; role: string; out: string; passphraseEnv?: string }) => {
    if (options.role !== "encryption" && options.role !== "signing")
      throw new Error("--role is encryption or signing");
    const passphrase = options.passphraseEnv ? process.env[options.passphraseEnv] : undefined;
    if (options.passphraseEnv && !passphrase) throw new Error(`${options.passphraseEnv} is not set`);
    const pem = exportPrivateKey({
      dataDir: dataDirOf(options),
      orgId: options.org,
      role: options.role,
      passphrase,
    });
    writeFileSync(options.out, pem, { mode: 0o600, flag: "wx" });
    if (!passphrase)
      process.stderr.write(`kelisim: warning: ${options.out} holds the key in clear; delete it after use\n`);
    printResult(options, () => `${options.role} key of ${options.org} written to ${options.out}`, {
      orgId: options.org,
      role: options.role,
      out: options.out,
      encrypted: Boolean(passphrase),
    });
  });

  common(
    pki.command("export-crl").description("sign and print a fresh CRL of this Party's root (PEM)"),
  ).action(async (options: Common) => {
    const pem = await publishOwnCrl({ dataDir: dataDirOf(options) });
    printResult(options, () => pem.trimEnd(), { pem });
  });
}
