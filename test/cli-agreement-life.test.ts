// The verbs of the agreement's life (A15.1, A15.2, A15.3), run as a user runs them: the real
// `kelisim` entry point on a node just initialised (signed, not yet in force).
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "./support/cli.ts";

const bin = KELISIM_BIN;

async function kelisim(args: readonly string[]) {
  const { KELISIM_LANG: _ignored, DATABASE_URL: _sqlite, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)("node", [bin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("kelisim agreement status | notify | outstanding", () => {
  let dir = "";
  let data: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "kelisim-cli-agreement-"));
    data = ["--data", join(dir, "kz")];
    expect((await kelisim(["node", "init", ...data, "--party", "KZ"])).code).toBe(0);
    const registered = await kelisim([
      "person",
      "register",
      "kzca",
      "--org",
      "competent-authority",
      "--name",
      "KZ CA officer",
      "--role",
      "competent-authority-officer",
      ...data,
      "--as",
      "admin",
    ]);
    expect(registered.code, registered.stderr).toBe(0);
  }, 120_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("A15.1: `agreement status` shows a new node signed, not in force; its authority may notify completed procedures", async () => {
    const text = await kelisim(["agreement", "status", ...data, "--as", "kzca"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/status:\s+signed, not yet in force \(A15\.1\)/);
    expect(text.stdout).toContain("No notices.");
    const json = await kelisim(["agreement", "status", ...data, "--as", "kzca", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      agreementId: "kz-am-2025",
      status: "signed",
      inForceOn: null,
      termination: null,
      signedNotBefore: "2025-11-19",
      notices: [],
      actions: ["procedures-completed"],
    });
  });

  it("A15.1, A15.2: `agreement notify` refuses an unknown kind and a notice dated before the signature, naming the article", async () => {
    const kind = await kelisim(["agreement", "notify", "--kind", "armistice", ...data, "--as", "kzca"]);
    expect(kind.code).toBe(2);
    expect(kind.stderr).toContain("procedures-completed, termination, termination-withdrawal");
    const backdated = await kelisim([
      "agreement",
      "notify",
      "--kind",
      "procedures-completed",
      "--dated",
      "2020-01-01",
      ...data,
      "--as",
      "kzca",
      "--json",
    ]);
    expect(backdated.code).toBe(1);
    expect(JSON.parse(backdated.stdout)).toMatchObject({
      error: { code: "AGREEMENT_NOTICE_BACKDATED", articles: ["A15.1"] },
    });
    // Nothing was sent: still no notice.
    const after = await kelisim(["agreement", "status", ...data, "--as", "kzca", "--json"]);
    expect(JSON.parse(after.stdout).notices).toEqual([]);
  });

  it("A15.3: `agreement outstanding` reports no carrier of the other Party on a new node", async () => {
    const report = await kelisim(["agreement", "outstanding", ...data, "--as", "kzca", "--json"]);
    expect(report.code, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ status: "signed", carriers: [], byState: {} });
    const text = await kelisim(["agreement", "outstanding", ...data, "--as", "kzca"]);
    expect(text.stdout).toContain("no carrier of the other Party is still under the agreement's protection");
  });
  it("A14: `agreement protocol list` shows the signed pack; `propose` refuses a change that does not fit it, naming the change", async () => {
    const list = await kelisim(["agreement", "protocol", "list", ...data, "--as", "kzca"]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain("pack version in force now: 0 (A14)");
    expect(list.stdout).toContain("0  the agreement as signed");
    expect(list.stdout).toContain("No protocols.");
    const bad = await kelisim([
      "agreement",
      "protocol",
      "propose",
      ...data,
      "--as",
      "kzca",
      "--number",
      "1",
      "--title",
      "Protocol 1",
      "--deadline",
      "visitRequestLead=P2M",
      "--marking",
      "confidential:ru=ДСП",
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain("A14");
    // The markings are listed before the deadlines: the unknown level is the protocol's first change.
    expect(bad.stderr).toMatch(/change 1 of the protocol cannot be applied: no level "confidential"/);
    const json = await kelisim(["agreement", "protocol", "list", ...data, "--as", "kzca", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ version: 0, protocols: [], mayPropose: true });
  });
});
