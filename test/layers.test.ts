// The layer check (part of `npm run lint`): the doors (src/api, src/cli) never reach the database
// themselves, and no layer imports a higher one. It must catch what it promises to catch.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";

const script = fileURLToPath(new URL("../scripts/check-adapters.mjs", import.meta.url));
const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

async function check(files: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "kelisim-layers-"));
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

describe("layer check", () => {
  it("passes the real source tree", async () => {
    const { stdout } = await promisify(execFile)("node", [script]);
    expect(stdout).toContain("layers: ok");
  });

  it("passes a route that calls a use case", async () => {
    const result = await check({
      "src/api/routes.ts":
        'import { listCarriers } from "../app/carriers/list-carriers.ts";\nexport const r = listCarriers;\n',
      "src/app/carriers/list-carriers.ts":
        'import type { Trx } from "../../store/transaction.ts";\nexport const listCarriers = (t: Trx) => t;\n',
    });
    expect(result.code).toBe(0);
  });

  it.each([
    [
      "a store import in a route",
      "src/api/r.ts",
      'import type { Trx } from "../store/transaction.ts";\n',
      "reach the store",
    ],
    ["kysely in a CLI verb", "src/cli/v.ts", 'import { sql } from "kysely";\n', 'imports "kysely"'],
    [
      "ctx.db in a CLI verb",
      "src/cli/v.ts",
      "export const f = (ctx: { db: unknown }) => ctx.db;\n",
      "database handle",
    ],
    [
      "a query builder in a route",
      "src/api/r.ts",
      'export const f = (q: any) => q.selectFrom("carriers");\n',
      "builds a query",
    ],
    ["raw SQL in a route", "src/api/r.ts", "export const f = (sql: any) => sql`select 1`;\n", "writes SQL"],
    [
      "the store importing the API",
      "src/store/schema.ts",
      'import type { T } from "../api/t.ts";\n',
      "may not depend on src/api",
    ],
    [
      "the store importing src/app",
      "src/store/schema.ts",
      'import type { T } from "../app/t.ts";\n',
      "may not depend on src/app",
    ],
    [
      "src/app importing a door",
      "src/app/x.ts",
      'import { r } from "../api/r.ts";\n',
      "may not depend on src/api",
    ],
  ])("fails on %s", async (_what, file, text, message) => {
    const result = await check({ [file]: text });
    expect(result.code).toBe(1);
    expect(result.output).toContain(message);
  });

  it("leaves tests out", async () => {
    const result = await check({
      "src/cli/v.test.ts": "export const f = (ctx: { db: unknown }) => ctx.db;\n",
    });
    expect(result.code).toBe(0);
  });
});
