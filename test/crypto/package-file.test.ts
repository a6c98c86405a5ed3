import { execFileSync, spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import {
  appendFileSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageLabelFor } from "../../src/crypto/agreement-labels.ts";
import { integer, octets, seq } from "../../src/crypto/der.ts";
import type { PackageLabel } from "../../src/crypto/label.ts";
import { OID } from "../../src/crypto/oids.ts";
import { openFile, sealFile } from "../../src/crypto/package/package-file.ts";
import { PieceWorkerPool } from "../../src/crypto/package/worker-pool.ts";
import { issueOrganisationCertificates, loadOrganisation } from "../../src/crypto/pki.ts";
import { refusalCode } from "../../src/crypto/refusal.ts";
import { sealBytes } from "../../src/crypto/seal-bytes.ts";
import { attribute, signContent } from "../../src/crypto/signed-data.ts";
import { makeTwoParties, type TwoParties, writeForOpenssl } from "./support/two-parties.ts";

let t: TwoParties;
let label: PackageLabel;
let pool: PieceWorkerPool;
let work: string;
let counter = 0;

beforeAll(async () => {
  t = await makeTwoParties();
  label = packageLabelFor(t.pack, "KZ", "top-secret");
  pool = new PieceWorkerPool(2);
  work = join(t.dir, "work");
  mkdirSync(work);
});
afterAll(async () => {
  await pool.close();
  t.cleanup();
});

const fresh = (name: string) => join(work, `${name}-${++counter}`);

function carrier(size: number): string {
  const path = fresh("carrier.bin");
  writeFileSync(path, randomBytes(size));
  return path;
}

async function seal(input: string, pieceSize = 1024, l = label): Promise<string> {
  const output = fresh("pkg");
  await sealFile({
    input,
    output,
    label: l,
    signer: t.kzOrg.signer,
    recipientCert: t.amOrg.recipient.certificate,
    trust: t.trustKz(),
    pieceSize,
    pool,
  });
  return output;
}

async function open(
  input: string,
  trust = t.trustAm(),
  output = fresh("out.bin"),
  recipient = t.amOrg.recipient,
) {
  return { output, opened: await openFile({ input, output, recipient, trust, agreement: t.table, pool }) };
}

/** Opens and returns the refusal code; asserts that nothing was left in the output directory. */
async function refusal(input: string, trust = t.trustAm()): Promise<string | undefined> {
  const before = readdirSync(work).length;
  const output = fresh("refused.bin");
  try {
    await openFile({ input, output, recipient: t.amOrg.recipient, trust, agreement: t.table, pool });
  } catch (error) {
    expect(existsSync(output)).toBe(false);
    expect(readdirSync(work).length).toBe(before);
    return refusalCode(error) ?? `not a refusal: ${String(error)}`;
  }
  return undefined;
}

describe("sealFile / openFile", () => {
  it("A5.7: seals a carrier into many pieces and opens it byte for byte, with the label pair", async () => {
    const input = carrier(10 * 1024 + 77);
    const pkg = await seal(input);
    expect(readdirSync(pkg).sort()).toEqual([
      "manifest.p7s",
      ...Array.from({ length: 11 }, (_, i) => `piece-${String(i + 1).padStart(6, "0")}.p7m`),
    ]);
    const { output, opened } = await open(pkg);
    expect(readFileSync(output).equals(readFileSync(input))).toBe(true);
    expect(opened.pieces).toBe(11);
    expect(opened.signerOrgId).toBe("kz-mod");
    expect(opened.label.privacyMark).toBe("Өте құпия");
    expect(opened.equivalentLabels[0]!.privacyMark).toBe("Հույժ գաղտնի");
  });

  it("A5.7: seals and opens an empty carrier and one of exactly one piece", async () => {
    for (const size of [0, 1024]) {
      const input = carrier(size);
      const { output } = await open(await seal(input));
      expect(readFileSync(output).equals(readFileSync(input))).toBe(true);
    }
  });

  it("A5.7: a signer still being loaded (a promise) seals the same; one refused on arrival leaves nothing", async () => {
    const input = carrier(40 * 1024 + 3);
    const later = <T>(value: () => T) =>
      new Promise<T>((resolve, reject) =>
        setTimeout(() => {
          try {
            resolve(value());
          } catch (error) {
            reject(error);
          }
        }, 20),
      );
    const params = {
      input,
      label,
      recipientCert: t.amOrg.recipient.certificate,
      trust: t.trustKz(),
      pieceSize: 1024,
      pool,
    };
    const output = fresh("pkg");
    await sealFile({ ...params, output, signer: later(() => t.kzOrg.signer) });
    const opened = await open(output);
    expect(readFileSync(opened.output).equals(readFileSync(input))).toBe(true);
    expect(opened.opened.signerOrgId).toBe("kz-mod");

    const before = readdirSync(work).length;
    const refused = fresh("pkg");
    // AM's signing certificate: not of this node's Party, so not a signer here.
    await expect(
      sealFile({ ...params, output: refused, signer: later(() => t.amOrg.signer) }),
    ).rejects.toThrow();
    await expect(
      sealFile({
        ...params,
        output: refused,
        signer: later(() => {
          throw new Error("no such key");
        }),
      }),
    ).rejects.toThrow("no such key");
    expect(existsSync(refused)).toBe(false);
    expect(readdirSync(work).length).toBe(before);
  });

  it("A5.7: OpenSSL verifies the manifest, the piece hashes match it, and openssl cms -decrypt restores the carrier piece by piece", async () => {
    const input = carrier(5000);
    const pkg = await seal(input);
    const manifest = join(work, "manifest.txt");
    execFileSync(
      "openssl",
      [
        "cms",
        "-verify",
        "-inform",
        "DER",
        "-in",
        join(pkg, "manifest.p7s"),
        "-CAfile",
        join(t.kzDir, "pki/root/root.crt.pem"),
        "-out",
        manifest,
      ],
      { stdio: "pipe" },
    );
    execFileSync("sha256sum", ["--check", "--strict", "--quiet", manifest], { cwd: pkg });
    const printed = execFileSync("openssl", [
      "cms",
      "-cmsout",
      "-print",
      "-inform",
      "DER",
      "-in",
      join(pkg, "manifest.p7s"),
    ]).toString();
    expect(printed).toContain("id-smime-aa-securityLabel");
    expect(printed).toContain("id-smime-aa-equivalentLabels");
    expect(printed).toContain("Өте құпия");
    expect(printed).toContain("Հույժ գաղտնի");
    const am = writeForOpenssl(work, "am-enc", t.amOrg.recipient);
    const parts = readdirSync(pkg)
      .filter((n) => n.startsWith("piece-"))
      .sort()
      .map((n) =>
        execFileSync("openssl", [
          "cms",
          "-decrypt",
          "-inform",
          "DER",
          "-in",
          join(pkg, n),
          "-recip",
          am.cert,
          "-inkey",
          am.key,
        ]),
      );
    expect(Buffer.concat(parts).equals(readFileSync(input))).toBe(true);
    rmSync(manifest);
    rmSync(am.cert);
    rmSync(am.key);
  });

  it("A5.7: opens a package whose pieces OpenSSL encrypted (openssl cms -encrypt -aes-256-gcm)", async () => {
    const input = carrier(2500);
    const data = readFileSync(input);
    const pkg = fresh("ossl-pkg");
    mkdirSync(pkg);
    const am = writeForOpenssl(work, "am-enc-2", t.amOrg.recipient);
    const lines: string[] = [];
    for (let i = 0; i < 3; i++) {
      const plain = join(work, `plain-${i}`);
      writeFileSync(plain, data.subarray(i * 1024, (i + 1) * 1024));
      const name = `piece-00000${i + 1}.p7m`;
      execFileSync("openssl", [
        "cms",
        "-encrypt",
        "-binary",
        "-aes-256-gcm",
        "-in",
        plain,
        "-outform",
        "DER",
        "-out",
        join(pkg, name),
        "-recip",
        am.cert,
        "-keyopt",
        "ecdh_kdf_md:sha384",
      ]);
      rmSync(plain);
      lines.push(
        `${createHash("sha256")
          .update(readFileSync(join(pkg, name)))
          .digest("hex")}  ${name}\n`,
      );
    }
    rmSync(am.cert);
    rmSync(am.key);
    const info = seq(octets(randomBytes(16)), integer(3), integer(1024), integer(2500));
    writeFileSync(
      join(pkg, "manifest.p7s"),
      signContent({
        content: new TextEncoder().encode(lines.join("")),
        signer: t.kzOrg.signer,
        label,
        signingTime: new Date(),
        extraAttributes: [attribute(OID.packageInfo, info)],
      }),
    );
    const { output } = await open(pkg);
    expect(readFileSync(output).equals(data)).toBe(true);
  });

  it("A5.7: opens a single-file package (a sealed message) too", async () => {
    const path = fresh("single.p7m");
    writeFileSync(
      path,
      sealBytes({
        content: new TextEncoder().encode("short letter"),
        label,
        signer: t.kzOrg.signer,
        recipientCert: t.amOrg.recipient.certificate,
        trust: t.trustKz(),
      }),
    );
    const { output, opened } = await open(path);
    expect(readFileSync(output, "utf8")).toBe("short letter");
    expect(opened.pieces).toBe(1);
  });

  it("A5.7: refuses a missing, duplicated, swapped, truncated, extended or foreign piece, and an extra file", async () => {
    const input = carrier(4000);
    const pkg = await seal(input);
    const variant = (change: (dir: string) => void) => {
      const dir = fresh("variant");
      cpSync(pkg, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const p = (dir: string, i: number) => join(dir, `piece-00000${i}.p7m`);
    expect(await refusal(variant((d) => rmSync(p(d, 2))))).toBe("PACKAGE_STRUCTURE_INVALID");
    expect(await refusal(variant((d) => rmSync(p(d, 4))))).toBe("PACKAGE_STRUCTURE_INVALID");
    expect(await refusal(variant((d) => copyFileSync(p(d, 1), p(d, 2))))).toBe("PACKAGE_INTEGRITY_FAILED");
    expect(
      await refusal(
        variant((d) => {
          renameSync(p(d, 1), join(d, "x"));
          renameSync(p(d, 2), p(d, 1));
          renameSync(join(d, "x"), p(d, 2));
        }),
      ),
    ).toBe("PACKAGE_INTEGRITY_FAILED");
    expect(await refusal(variant((d) => truncateSync(p(d, 3), 500)))).toMatch(
      /^PACKAGE_(STRUCTURE_INVALID|INTEGRITY_FAILED)$/,
    );
    expect(await refusal(variant((d) => appendFileSync(p(d, 4), Buffer.from([0]))))).toBe(
      "PACKAGE_STRUCTURE_INVALID",
    );
    expect(
      await refusal(variant((d) => writeFileSync(join(d, "piece-000005.p7m"), readFileSync(p(d, 4))))),
    ).toBe("PACKAGE_STRUCTURE_INVALID");
    expect(await refusal(variant((d) => writeFileSync(join(d, "notes.txt"), "hello")))).toBe(
      "PACKAGE_STRUCTURE_INVALID",
    );
    expect(await refusal(variant((d) => truncateSync(join(d, "manifest.p7s"), 100)))).toBe(
      "PACKAGE_STRUCTURE_INVALID",
    );
    const other = await seal(input);
    expect(await refusal(variant((d) => copyFileSync(p(other, 2), p(d, 2))))).toBe(
      "PACKAGE_INTEGRITY_FAILED",
    );
    expect(
      await refusal(variant((d) => copyFileSync(join(other, "manifest.p7s"), join(d, "manifest.p7s")))),
    ).toBe("PACKAGE_INTEGRITY_FAILED");
  });

  it("A5.7: releases nothing when only the last piece's tag fails", async () => {
    const input = carrier(3 * 1024);
    const pkg = await seal(input);
    // Re-seal piece 3 with another key: same length, valid structure, but not the manifest's bytes.
    const alien = await seal(carrier(3 * 1024));
    copyFileSync(join(alien, "piece-000003.p7m"), join(pkg, "piece-000003.p7m"));
    expect(await refusal(pkg)).toBe("PACKAGE_INTEGRITY_FAILED");
  });

  it("A5.7, A2.1: refuses a package to another organisation, from an untrusted signer, expired, or mislabelled", async () => {
    const pkg = await seal(carrier(1500));
    await issueOrganisationCertificates({ dataDir: t.amDir, orgId: "am-other", orgName: "Other" });
    const other = loadOrganisation({ dataDir: t.amDir, orgId: "am-other" });
    const output = fresh("x.bin");
    await expect(
      openFile({
        input: pkg,
        output,
        recipient: other.recipient,
        trust: t.trustAm(),
        agreement: t.table,
        pool,
      }),
    ).rejects.toMatchObject({
      code: "PACKAGE_NOT_FOR_RECIPIENT",
    });
    expect(existsSync(output)).toBe(false);
    const noKzRoot = {
      ...t.trustAm(),
      anchors: new Map([...t.trustAm().anchors].filter(([party]) => party !== "KZ")),
    };
    expect(await refusal(pkg, noKzRoot)).toBe("PACKAGE_SIGNER_UNTRUSTED");
    await expect(
      openFile({
        input: pkg,
        output,
        recipient: t.amOrg.recipient,
        trust: t.trustAm(),
        agreement: t.table,
        pool,
        now: new Date(Date.now() + 800 * 86_400_000),
      }),
    ).rejects.toMatchObject({ code: "PACKAGE_CERTIFICATE_EXPIRED" });
    const wrong: PackageLabel = {
      label: label.label,
      equivalentLabels: packageLabelFor(t.pack, "KZ", "secret").equivalentLabels,
    };
    expect(await refusal(await seal(carrier(1500), 1024, wrong))).toBe("PACKAGE_LABEL_MISMATCH");
  });

  it("A5.7: an interrupted opening leaves neither the carrier nor a temporary file", async () => {
    const input = fresh("large.bin");
    const block = randomBytes(1024 * 1024);
    for (let i = 0; i < 256; i++) appendFileSync(input, block);
    const pkg = await seal(input, 4 * 1024 * 1024);
    rmSync(input);
    const outDir = fresh("interrupted");
    mkdirSync(outDir);
    const output = join(outDir, "carrier.bin");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "support/open-child.ts"), t.amDir, "am-mod", pkg, output],
      {
        env: process.env,
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    let sawTemporary = false;
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on("exit", (code, signal) => resolve({ code, signal })),
    );
    await new Promise<void>((resolve) =>
      child.stdout.on("data", () => {
        if (!sawTemporary) {
          sawTemporary = readdirSync(outDir).some((n) => n.includes(".partial-"));
          child.kill("SIGTERM");
          resolve();
        }
      }),
    );
    const { signal } = await exit;
    expect(sawTemporary).toBe(true);
    expect(signal).toBe("SIGTERM");
    expect(readdirSync(outDir)).toEqual([]);
    rmSync(pkg, { recursive: true });
  });
});
