// The purity check of src/domain (part of `npm run lint`) must catch what it promises to catch.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/check-domain-purity.mjs", import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function check(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "kelisim-purity-"));
  temps.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  try {
    const { stdout } = await promisify(execFile)("node", [script, dir]);
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stderr: string };
    return { code: e.code, output: e.stderr };
  }
}

describe("domain purity check", () => {
  it("passes the real src/domain", async () => {
    const { stdout } = await promisify(execFile)("node", [script]);
    expect(stdout).toContain("domain purity: ok");
  });

  it("passes pure code", async () => {
    const result = await check({ "a/ok.ts": 'import { z } from "zod";\nexport const s = z.string();\n' });
    expect(result.code).toBe(0);
  });

  it.each([
    ["node:fs", 'import { readFileSync } from "node:fs";\n', 'imports "node:fs"'],
    ["the clock", "export const now = () => Date.now();\n", "Date.now() reads the clock"],
    [
      "Temporal.Now",
      'import { Temporal } from "temporal-polyfill";\nexport const t = Temporal.Now.instant();\n',
      "Temporal.Now",
    ],
    ["randomness", "export const r = Math.random();\n", "Math.random()"],
    ["a database", 'import Database from "better-sqlite3";\n', 'imports "better-sqlite3"'],
    ["an import outside the domain", 'import { x } from "../../outside.ts";\n', "outside src/domain"],
  ])("fails on %s, naming the file and line", async (_what, text, message) => {
    const result = await check({ "sub/bad.ts": text });
    expect(result.code).toBe(1);
    expect(result.output).toContain(message);
    expect(result.output).toMatch(/bad\.ts:\d+/);
  });
});
