// A file the CLI cannot open is named in the user's language (FILE_NOT_FOUND / FILE_INACCESSIBLE),
// with exit 2 and no stack, whatever the verb: the error printing of src/cli/output.ts does it, so
// `carrier register --file`, `pki import-peer-root --in` and every other verb answer alike.
import { execFile } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileErrorOf } from "../src/cli/output.ts";
import { describeError } from "../src/domain/errors.ts";
import { seedRegistry } from "./registry/registry-fixture.ts";
import { KELISIM_BIN } from "./support/cli.ts";
import { makeTempDir } from "./support/databases.ts";
import { createTestNode, type TestNode } from "./support/nodes.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;

type Result = { code: number; stdout: string; stderr: string };

describe("CLI: a file that cannot be read", () => {
  let node: TestNode;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    node = await createTestNode("sqlite");
    await seedRegistry(node.ctx);
    env = { ...process.env };
    delete env.DATABASE_URL;
    delete env.KELISIM_DATA;
    delete env.KELISIM_LANG;
  });
  afterAll(async () => {
    await node?.cleanup();
  });

  async function kelisim(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Result> {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        [BIN, ...args, "--data", node.location.dataDir],
        {
          env: { ...env, ...extra },
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  const register = [
    "carrier",
    "register",
    "--kind",
    "electronic-file",
    "--title",
    "Radar report",
    "--level",
    "secret",
    "--file",
    "nope.pdf",
    "--as",
    "reg",
  ];

  it("A6.2: `carrier register --file nope.pdf` names the missing file in the user's language, exits 2, no stack, registers nothing", {
    timeout: 120_000,
  }, async () => {
    const [ru, kk, json] = await Promise.all([
      kelisim(register, { KELISIM_LANG: "ru" }),
      kelisim(["--lang", "kk", ...register]),
      kelisim([...register, "--json"]),
    ]);
    expect(ru).toEqual({ code: 2, stdout: "", stderr: "kelisim: файл или папка «nope.pdf» не существует\n" });
    expect(kk).toEqual({ code: 2, stdout: "", stderr: "kelisim: «nope.pdf» файлы немесе қалтасы жоқ\n" });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toEqual({
      error: {
        code: "FILE_NOT_FOUND",
        articles: [],
        message: "the file or folder “nope.pdf” does not exist",
      },
    });
    for (const result of [ru, kk, json]) {
      expect(result.stderr).not.toMatch(/ENOENT|\n\s+at /);
    }
    const carriers = await node.ctx.db.selectFrom("carriers").select("id").execute();
    expect(carriers).toEqual([]);
  });

  it("A5.7: another verb (`pki import-peer-root --in`) names its missing file the same way", {
    timeout: 60_000,
  }, async () => {
    const result = await kelisim(["pki", "import-peer-root", "--party", "AM", "--in", "missing-root.pem"], {
      KELISIM_LANG: "hy",
    });
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: "kelisim: «missing-root.pem» ֆայլը կամ թղթապանակը գոյություն չունի\n",
    });
  });

  it("A6.2: a file that exists but cannot be read is named with the system's code; other errors are left alone", () => {
    const dir = makeTempDir("kelisim-cli-errors-");
    let thrown: unknown;
    try {
      closeSync(openSync(dir, "r+"));
    } catch (error) {
      thrown = error;
    }
    const coded = fileErrorOf(thrown);
    expect(coded?.code).toBe("FILE_INACCESSIBLE");
    expect(coded && describeError(coded, "en")).toBe(`the file “${dir}” cannot be accessed (EISDIR)`);
    expect(coded && describeError(coded, "ru")).toBe(`нет доступа к файлу «${dir}» (EISDIR)`);
    expect(fileErrorOf(new Error("something else"))).toBeNull();
    expect(fileErrorOf("ENOENT")).toBeNull();
  });
});
