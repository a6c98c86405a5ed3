import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "../../../test/support/cli.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;
const dir = mkdtempSync(join(tmpdir(), "kelisim-seal-cli-"));
const env = {
  ...process.env,
  KELISIM_PKI_PASSPHRASE: "cli test passphrase",
  KELISIM_DATA: "",
  DATABASE_URL: "",
};
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type CliResult = { code: number; stdout: string; stderr: string };
async function kelisim(...args: string[]): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
async function ok(...args: string[]): Promise<string> {
  const r = await kelisim(...args);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return r.stdout;
}

describe("kelisim pki / seal / open", () => {
  it("A5.7: two nodes pin each other's roots, seal a letter and a folder package, and open them; another node is refused", async () => {
    for (const [party, org] of [
      ["KZ", "kz-mod"],
      ["AM", "am-mod"],
    ] as const) {
      const init = JSON.parse(await ok("pki", "init", "--party", party, "--data", party, "--json"));
      expect(init.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
      await ok("pki", "issue", "--org", org, "--name", `${party} ministry`, "--data", party);
      await ok("pki", "export-root", "--data", party, "--out", `${party}-root.pem`);
    }
    const amFingerprint = JSON.parse(await ok("pki", "export-root", "--data", "AM", "--json")).fingerprint;
    await ok(
      "pki",
      "import-peer-root",
      "--party",
      "AM",
      "--in",
      "AM-root.pem",
      "--fingerprint",
      amFingerprint,
      "--data",
      "KZ",
    );
    const wrongPin = await kelisim(
      "pki",
      "import-peer-root",
      "--party",
      "KZ",
      "--in",
      "KZ-root.pem",
      "--fingerprint",
      amFingerprint,
      "--data",
      "AM",
    );
    expect(wrongPin.code).not.toBe(0);
    expect(wrongPin.stderr).toContain("fingerprint mismatch");
    await ok("pki", "import-peer-root", "--party", "KZ", "--in", "KZ-root.pem", "--data", "AM");

    writeFileSync(join(dir, "letter.txt"), "A5.6: receipt notice");
    const to = "AM/pki/orgs/am-mod/encryption.crt.pem";
    const sealed = JSON.parse(
      await ok(
        "seal",
        "--in",
        "letter.txt",
        "--level",
        "secret",
        "--agreement",
        "kz-am-2025",
        "--from",
        "kz-mod",
        "--to",
        to,
        "--out",
        "letter.p7m",
        "--data",
        "KZ",
        "--json",
      ),
    );
    expect(sealed.label.privacyMark).toBe("Құпия");
    const opened = await ok("open", "--in", "letter.p7m", "--out", "letter.out", "--data", "AM");
    expect(opened).toContain("«Құпия» (KZ)");
    expect(opened).toContain("«Գաղտնի»");
    expect(readFileSync(join(dir, "letter.out"), "utf8")).toBe("A5.6: receipt notice");

    writeFileSync(join(dir, "annex.bin"), randomBytes(2_500_000));
    await ok(
      "seal",
      "--in",
      "annex.bin",
      "--level",
      "special-importance",
      "--from",
      "kz-mod",
      "--to",
      to,
      "--out",
      "annex.pkg",
      "--piece-size",
      "1",
      "--data",
      "KZ",
    );
    expect(readdirSync(join(dir, "annex.pkg")).sort()).toEqual([
      "manifest.p7s",
      "piece-000001.p7m",
      "piece-000002.p7m",
      "piece-000003.p7m",
    ]);
    const openedPkg = JSON.parse(
      await ok("open", "--in", "annex.pkg", "--out", "annex.out", "--data", "AM", "--json"),
    );
    expect(openedPkg).toMatchObject({
      bytes: 2_500_000,
      pieces: 3,
      to: "am-mod",
      from: { party: "KZ", orgId: "kz-mod" },
    });
    expect(openedPkg.equivalentLabels[0].privacyMark).toBe("Հատուկ կարևորության");
    expect(readFileSync(join(dir, "annex.out")).equals(readFileSync(join(dir, "annex.bin")))).toBe(true);

    // The sender's own node holds no organisation the package is addressed to.
    const refused = await kelisim("open", "--in", "annex.pkg", "--out", "nope.bin", "--data", "KZ");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("A5.7");
    expect(readdirSync(dir)).not.toContain("nope.bin");
  }, 300_000);
});
