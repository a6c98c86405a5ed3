// The `agreement` and `marking` verbs, run as a user runs them: the real `kelisim` entry point.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "./support/cli.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const bin = KELISIM_BIN;

async function kelisim(args: readonly string[], env: Record<string, string> = {}) {
  const { KELISIM_LANG: _ignored, ...base } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)("node", [bin, ...args], {
      env: { ...base, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

describe("kelisim agreement / marking", () => {
  it("A2.1: `agreement show kz-am-2025` prints the level table with every marking", async () => {
    const { code, stdout } = await kelisim(["agreement", "show", "kz-am-2025"]);
    expect(code).toBe(0);
    const rows = stdout.split("\n").filter((l) => /^\s+[123]\s/.test(l));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /3\s+Аса маңызды\s+Հատուկ կարևորության\s+Особой важности\s+Of special importance/,
    );
    expect(rows[1]).toMatch(/2\s+Өте құпия\s+Հույժ գաղտնի\s+Совершенно секретно\s+Top secret/);
    expect(rows[2]).toMatch(/1\s+Құпия\s+Գաղտնի\s+Секретно\s+Secret/);
    expect(stdout).toContain("National Security Committee of the Republic of Kazakhstan");
  });

  it("A2.1: `agreement show --json` prints it as JSON", async () => {
    const { code, stdout } = await kelisim(["agreement", "show", "kz-am-2025", "--json"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout) as { levels: { rank: number; markings: Record<string, string> }[] };
    expect(json.levels.map((l) => [l.rank, l.markings.KZ, l.markings.AM])).toEqual([
      [3, "Аса маңызды", "Հատուկ կարևորության"],
      [2, "Өте құпия", "Հույժ գաղտնի"],
      [1, "Құпия", "Գաղտնի"],
    ]);
  });

  it("A2.1: `marking equivalent` maps every level in both directions", async () => {
    const cases: [string, string, string, string][] = [
      ["KZ", "AM", "Өте құпия", "Հույժ գաղտնի"],
      ["KZ", "AM", "Аса маңызды", "Հատուկ կարևորության"],
      ["KZ", "AM", "Құпия", "Գաղտնի"],
      ["AM", "KZ", "Հույժ գաղտնի", "Өте құпия"],
      ["AM", "KZ", "Հատուկ կարևորության", "Аса маңызды"],
      ["AM", "KZ", "Գաղտնի", "Құпия"],
    ];
    const results = await Promise.all(
      cases.map(([from, to, marking]) =>
        kelisim(["marking", "equivalent", "--agreement", "kz-am-2025", "--from", from, "--to", to, marking]),
      ),
    );
    results.forEach((r, i) => {
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${cases[i]![3]}\n`);
    });
  });

  it("A2.1: an unknown marking exits 1 citing A2.1, in the language asked", async () => {
    const args = [
      "marking",
      "equivalent",
      "--agreement",
      "kz-am-2025",
      "--from",
      "KZ",
      "--to",
      "AM",
      "Top secret",
    ];
    const [en, hy, ru] = await Promise.all([
      kelisim(args),
      kelisim(["--lang", "hy", ...args]),
      kelisim(args, { KELISIM_LANG: "ru" }),
    ]);
    expect(en.code).toBe(1);
    expect(en.stdout).toBe("");
    expect(en.stderr).toMatch(/^kelisim: A2\.1 — “Top secret” is not a classification marking of KZ/);
    expect(hy.stderr).toContain("A2.1 — «Top secret»-ը այս համաձայնագրով KZ-ի գաղտնիության նշագիր չէ");
    expect(ru.stderr).toContain("A2.1 — «Top secret» не является грифом секретности KZ");
    // A script asking --json also gets the refusal as data: its code and the rule it enforces.
    const json = await kelisim([...args, "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      error: { code: "MARKING_UNKNOWN", articles: ["A2.1"], message: expect.stringContaining("A2.1 — ") },
    });
  });

  it("refuses a broken pack with exit 2, naming the file and the field", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kelisim-cli-"));
    temps.push(dir);
    cpSync(join(root, "agreements", "kz-am-2025"), join(dir, "kz-am-2025"), { recursive: true });
    writeFileSync(join(dir, "kz-am-2025", "levels.json"), JSON.stringify({ articles: ["A2.1"], levels: [] }));
    const { code, stderr } = await kelisim(["agreement", "show", "kz-am-2025"], {
      KELISIM_AGREEMENTS_DIR: dir,
    });
    expect(code).toBe(2);
    expect(stderr).toContain("levels.json: levels:");
  });
});
