// `kelisim seal` and `kelisim open`: sealed packages for electronic transfer (A5.7), signed by the
// sending organisation, encrypted to the receiving one, labelled with the level of both Parties
// (A2.1, A6.1). Layout and the OpenSSL commands that check a package: docs/packages.md.
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { labelTableFromPack, packageLabelFor } from "../../crypto/agreement-labels.ts";
import { bytesEqual, parseCertificate } from "../../crypto/certificate.ts";
import { openFile, type Progress, packageRecipients, sealFile } from "../../crypto/package/package-file.ts";
import { defaultPieceWorkers, PieceWorkerPool } from "../../crypto/package/worker-pool.ts";
// pki-store.ts, not pki.ts or crypto/index.ts: those load @peculiar/x509 and reflect-metadata
// (≈ 20 MiB resident) that sealing and opening do not need.
import {
  type KeyHolder,
  listOrganisations,
  loadOrganisation,
  readPkiConfig,
} from "../../crypto/pki-store.ts";
import { refuse } from "../../crypto/refusal.ts";
import { sealBytes } from "../../crypto/seal-bytes.ts";
import { loadTrust } from "../../crypto/trust.ts";
import { resolveNodeLocation } from "../../node/node-location.ts";
import { printResult } from "../output.ts";

type Common = { data?: string; json?: boolean };

/** Carriers up to this size become a single-file package unless --folder is given. */
const SINGLE_FILE_MAX = 1024 * 1024;

/** A progress bar on a terminal for large carriers; nothing for scripts or small files. */
function progressBar(
  options: Common,
  total: number,
  verb: string,
): { update: (p: Progress) => void; stop: () => void } {
  if (options.json || !process.stderr.isTTY || total < 64 * 1024 * 1024)
    return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: `${verb} [{bar}] {percentage}% | {mib}/{totalMib} MiB | {speed} MiB/s`,
    stream: process.stderr,
    hideCursor: true,
  });
  const started = Date.now();
  const mib = (n: number) => (n / 1048576).toFixed(0);
  bar.start(total, 0, { mib: "0", totalMib: mib(total), speed: "0" });
  return {
    update: (p) =>
      bar.update(p.done, {
        mib: mib(p.done),
        speed: (p.done / 1048576 / Math.max(0.001, (Date.now() - started) / 1000)).toFixed(0),
      }),
    stop: () => bar.stop(),
  };
}

export function registerSealCommands(program: Command): void {
  program
    .command("seal")
    .description(
      "seal a carrier for electronic transfer (A5.7): signed by --from, encrypted to --to, labelled with --level",
    )
    .requiredOption("--in <file>", "the carrier's content")
    .requiredOption("--level <level>", "level id (secret, top-secret, special-importance) or rank (1-3)")
    .option("--agreement <id>", "agreement pack", "kz-am-2025")
    .requiredOption("--from <org>", "the sending organisation on this node")
    .requiredOption("--to <cert>", "the receiving organisation's encryption certificate (PEM or DER)")
    .requiredOption("--out <pkg>", "the package to write (a folder; a single file for carriers up to 1 MiB)")
    .option("--folder", "always write a folder, even for a small carrier")
    .option("--piece-size <mib>", "piece size in MiB (default 64)")
    .option("--data <dir>", "the node's data directory (default: KELISIM_DATA or ./.kelisim)")
    .option("--json", "print JSON")
    .action(
      async (
        options: Common & {
          in: string;
          level: string;
          agreement: string;
          from: string;
          to: string;
          out: string;
          folder?: boolean;
          pieceSize?: string;
        },
      ) => {
        const dataDir = resolveNodeLocation(options).dataDir;
        const { party, agreementId } = readPkiConfig(dataDir);
        if (agreementId !== options.agreement)
          throw new Error(`this node's PKI is pinned to ${agreementId}, not ${options.agreement}`);
        const pack = await loadAgreementPack(options.agreement);
        const level = /^\d+$/.test(options.level) ? Number(options.level) : options.level;
        const label = packageLabelFor(pack, party, level);
        const recipientCert = new Uint8Array(readFileSync(options.to));
        const trust = loadTrust(dataDir);
        const size = statSync(options.in).size;
        if (existsSync(options.out)) throw new Error(`${options.out} already exists`);
        let pieces = 1;
        if (size <= SINGLE_FILE_MAX && !options.folder) {
          const bytes = sealBytes({
            content: new Uint8Array(readFileSync(options.in)),
            label,
            signer: loadOrganisation({ dataDir, orgId: options.from }).signer,
            recipientCert,
            trust,
          });
          writeFileSync(options.out, bytes, { flag: "wx", mode: 0o600 });
        } else {
          const bar = progressBar(options, size, "sealing");
          // The signing key is needed only for the manifest, at the end. So one worker starts sealing
          // pieces at once while this thread decrypts the key (scrypt, ≈ 0.1 s of one core), and the
          // other workers join then: on two cores, 0.1–0.15 s sooner done at 1 GiB (measured). One
          // worker only meanwhile, because scrypt's 32 MiB and the workers' memory add up: the peak
          // RSS at 1 GiB went from 104 to 117–122 MiB with one; it would pass 128 with more.
          const workers = defaultPieceWorkers();
          const pool = new PieceWorkerPool(1);
          const signer = new Promise<KeyHolder>((resolve, reject) =>
            setImmediate(() => {
              try {
                resolve(loadOrganisation({ dataDir, orgId: options.from }).signer);
              } catch (error) {
                reject(error);
              } finally {
                for (let i = pool.size; i < workers; i++) pool.grow();
              }
            }),
          );
          signer.catch(() => undefined); // sealFile reports it (or the refusal that came first)
          try {
            const r = await sealFile({
              input: options.in,
              output: options.out,
              label,
              signer,
              recipientCert,
              trust,
              pieceSize: options.pieceSize ? Math.round(Number(options.pieceSize) * 1048576) : undefined,
              onProgress: bar.update,
              pool,
            });
            pieces = r.pieces;
          } finally {
            bar.stop();
            await pool.close();
          }
        }
        const to = parseCertificate(recipientCert).subject;
        printResult(
          options,
          () =>
            `sealed ${options.in} (${size} bytes) into ${options.out}: ${pieces} piece(s), ` +
            `label «${label.label.privacyMark}» (${party}) = ${label.equivalentLabels.map((l) => `«${l.privacyMark}»`).join(", ")}, ` +
            `from ${options.from} to ${to.OU ?? "?"} (${to.C ?? "?"})`,
          {
            package: options.out,
            bytes: size,
            pieces,
            from: { party, orgId: options.from },
            to: { party: to.C, orgId: to.OU },
            label: label.label,
            equivalentLabels: label.equivalentLabels,
          },
        );
      },
    );

  program
    .command("open")
    .description(
      "open a sealed package addressed to an organisation of this node: nothing is written unless it all checks out",
    )
    .requiredOption("--in <pkg>", "the package (folder or single file)")
    .requiredOption("--out <file>", "where to write the carrier's content (must not exist)")
    .option("--org <id>", "the receiving organisation (default: the one the package is addressed to)")
    .option("--data <dir>", "the node's data directory (default: KELISIM_DATA or ./.kelisim)")
    .option("--json", "print JSON")
    .action(async (options: Common & { in: string; out: string; org?: string }) => {
      const dataDir = resolveNodeLocation(options).dataDir;
      const { agreementId } = readPkiConfig(dataDir);
      const pack = await loadAgreementPack(agreementId);
      let orgId = options.org;
      if (!orgId) {
        const rids = packageRecipients(options.in);
        const match = listOrganisations(dataDir).find((o) => {
          const ias = parseCertificate(o.encryptionCertificate).issuerAndSerial;
          return rids.some((rid) => bytesEqual(rid, ias));
        });
        if (!match)
          refuse("PACKAGE_NOT_FOR_RECIPIENT", "no organisation of this node holds the recipient certificate");
        orgId = match.orgId;
      }
      const org = loadOrganisation({ dataDir, orgId });
      const isFolder = statSync(options.in).isDirectory();
      let bar: { update: (p: Progress) => void; stop: () => void } = {
        update: () => undefined,
        stop: () => undefined,
      };
      let started = false;
      const opened = await openFile({
        input: options.in,
        output: options.out,
        recipient: org.recipient,
        trust: loadTrust(dataDir),
        agreement: labelTableFromPack(pack),
        onProgress: (p) => {
          if (!started && isFolder) {
            bar = progressBar(options, p.total, "opening");
            started = true;
          }
          bar.update(p);
        },
      }).finally(() => bar.stop());
      printResult(
        options,
        () =>
          `opened ${options.in} into ${options.out} (${opened.totalSize} bytes, ${opened.pieces} piece(s))\n` +
          `from ${opened.signerOrgName} [${opened.signerOrgId}] (${opened.signerParty}), signed ${opened.signingTime?.toISOString() ?? "?"}\n` +
          `label «${opened.label.privacyMark}» (${opened.signerParty}); equivalent ${opened.equivalentLabels.map((l) => `«${l.privacyMark}»`).join(", ")} (A2.2, A6.1)`,
        {
          out: options.out,
          bytes: opened.totalSize,
          pieces: opened.pieces,
          packageId: opened.packageId,
          to: orgId,
          from: { party: opened.signerParty, orgId: opened.signerOrgId, orgName: opened.signerOrgName },
          signingTime: opened.signingTime?.toISOString(),
          label: opened.label,
          equivalentLabels: opened.equivalentLabels,
        },
      );
    });
}
