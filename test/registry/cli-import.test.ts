// D3, A15.3 through the command line: `kelisim import` run as a process on a seeded KZ node, on
// SQLite (--data) and PostgreSQL (DATABASE_URL): a dry run and the import of the good fixture
// (JSON report), and a malformed file refused with exit code 1, its problems named by line and
// field in the language asked for, nothing imported.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { writePeerDirectory } from "./import-fixture.ts";
import { seedRegistry } from "./registry-fixture.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;
const FIXTURES = fileURLToPath(new URL("../fixtures/import-2015", import.meta.url));

type Result = { code: number; stdout: string; stderr: string };

for (const dialect of DIALECTS) {
  describe(`kelisim import [${dialect}]`, () => {
    let node: TestNode;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      node = await createTestNode(dialect);
      await seedRegistry(node.ctx);
      writePeerDirectory(node.location.dataDir);
      env = { ...process.env, KELISIM_LANG: "en" };
      delete env.DATABASE_URL;
      delete env.KELISIM_DATA;
      if (node.databaseUrl) env.DATABASE_URL = node.databaseUrl;
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    async function kelisim(...args: string[]): Promise<Result> {
      try {
        const { stdout, stderr } = await run(
          process.execPath,
          [BIN, ...args, "--data", node.location.dataDir],
          { env },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    }
    const carriers = async () =>
      Number(
        (
          await node.ctx.db
            .selectFrom("carriers")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("D3, A2.1: a malformed file exits 1, naming line and field in the user's language; nothing imported", {
      timeout: 60_000,
    }, async () => {
      const before = await carriers();
      const result = await kelisim(
        "--lang",
        "kk",
        "import",
        "--file",
        join(FIXTURES, "bad-level.csv"),
        "--as",
        "reg",
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("ештеңе импортталмады");
      expect(result.stdout).toContain("3-жол, old_marking: «Для служебного пользования»");
      // A dry run of the same file finds the same problem and fails too (a script checks the code).
      const dry = await kelisim(
        "import",
        "--file",
        join(FIXTURES, "bad-level.csv"),
        "--dry-run",
        "--json",
        "--as",
        "reg",
      );
      expect(dry.code).toBe(1);
      expect((JSON.parse(dry.stdout) as { problems: unknown[] }).problems).toHaveLength(1);
      expect(await carriers()).toBe(before);
    });

    it("D3, A15.3: a dry run writes nothing; the import prints the new numbers", {
      timeout: 60_000,
    }, async () => {
      const before = await carriers();
      const file = join(FIXTURES, "good.csv");
      const dry = await kelisim("import", "--file", file, "--dry-run", "--json", "--as", "reg");
      expect(dry.code).toBe(0);
      expect(JSON.parse(dry.stdout)).toMatchObject({ outcome: "dry-run", rows: 5, problems: [] });
      expect(await carriers()).toBe(before);
      const done = await kelisim("import", "--file", file, "--as", "reg");
      expect(done.code).toBe(0);
      expect(done.stdout).toContain("5 record(s) of kz-am-2015 read, 5 imported");
      expect(done.stdout).toMatch(
        /2: МО-2016\/17\/1 {2}Հույժ գաղտնի \/ Өте құпия {2}\[top-secret\] {2}Ministry of Defence {2}→ KZ-\d{4}-\d{6}\/1/,
      );
      expect(await carriers()).toBe(before + 5);
    });
  });
}
