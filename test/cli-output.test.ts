// What the CLI writes to stdout, as a user meets it: a reader that goes away (`kelisim … | head`)
// ends the output quietly, and `carrier show --print` gives a terminal text only (A4.2: the content
// is still read through the access decision; binary content goes to a file with --out).
import { execFile, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedRegistry } from "./registry/registry-fixture.ts";
import { KELISIM_BIN } from "./support/cli.ts";
import { makeTempDir } from "./support/databases.ts";
import { createTestNode, type TestNode } from "./support/nodes.ts";

const BIN = KELISIM_BIN;

type Result = { code: number | null; stdout: string; stderr: string };

function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, KELISIM_DATA: _data, KELISIM_LANG: _lang, ...env } = process.env;
  return { ...env, ...extra };
}

/** Runs `kelisim args` with the read end of its stdout closed before it writes: every write is EPIPE. */
function kelisimIntoClosedPipe(args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: cleanEnv(),
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: "", stderr }));
  });
}

describe("CLI: a closed stdout (`kelisim … | head`)", () => {
  it("`agreement show kz-am-2025` into a closed pipe exits 0 with nothing on stderr", {
    timeout: 60_000,
  }, async () => {
    const [text, json] = await Promise.all([
      kelisimIntoClosedPipe(["agreement", "show", "kz-am-2025"]),
      kelisimIntoClosedPipe(["agreement", "show", "kz-am-2025", "--json"]),
    ]);
    expect(text).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(json).toEqual({ code: 0, stdout: "", stderr: "" });
  });

  it("a command that fails keeps its exit code and its message, without an EPIPE stack", {
    timeout: 60_000,
  }, async () => {
    const failed = await kelisimIntoClosedPipe(["agreement", "show", "no-such-agreement", "--json"]);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^kelisim: agreement pack no-such-agreement not found/);
    expect(failed.stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it("`| head -1` through a shell: the first line arrives, kelisim exits 0, stderr is empty", {
    timeout: 60_000,
  }, async () => {
    // The pipeline's status is head's: kelisim's own is echoed to stderr after it ends.
    const script = `{ "${process.execPath}" "${BIN}" agreement show kz-am-2025; echo "kelisim=$?" >&2; } | head -1`;
    const { stdout, stderr } = await promisify(execFile)("sh", ["-c", script], { env: cleanEnv() });
    expect(stdout).toMatch(/^kz-am-2025 — Agreement between/);
    expect(stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(stderr).toBe("kelisim=0\n");
  });
});

describe("CLI: `carrier show --print` prints text only", () => {
  let node: TestNode;
  let dir = "";
  beforeAll(async () => {
    node = await createTestNode("sqlite");
    await seedRegistry(node.ctx);
    dir = makeTempDir("kelisim-cli-output-");
  }, 120_000);
  afterAll(async () => {
    await node?.cleanup();
  });

  async function kelisim(args: readonly string[], extra: NodeJS.ProcessEnv = {}): Promise<Result> {
    try {
      const { stdout, stderr } = await promisify(execFile)(
        process.execPath,
        [BIN, ...args, "--data", node.location.dataDir],
        { env: cleanEnv(extra), encoding: "utf8" },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  async function registerWith(title: string, content: Buffer): Promise<string> {
    const file = join(dir, `${title}.bin`);
    writeFileSync(file, content);
    const registered = await kelisim([
      ...["carrier", "register", "--kind", "electronic-file", "--title", title, "--level", "secret"],
      ...["--file", file, "--contract", "C-1", "--as", "reg", "--json"],
    ]);
    expect(registered.code, registered.stderr).toBe(0);
    const row = JSON.parse(registered.stdout) as { registration_number: string; copy_number: number };
    return `${row.registration_number}/${row.copy_number}`;
  }

  it("A4.2: text content (UTF-8, tabs and CRLF) prints as it is stored", { timeout: 120_000 }, async () => {
    const text = "Радар: отчёт\tՀաշվետվություն\r\nсекция 2\n";
    const ref = await registerWith("Text report", Buffer.from(text, "utf8"));
    const shown = await kelisim(["carrier", "show", ref, "--print", "--as", "reg", "--json"]);
    expect(shown.code, shown.stderr).toBe(0);
    expect((JSON.parse(shown.stdout) as { content: string }).content).toBe(text);
    const human = await kelisim(["carrier", "show", ref, "--print", "--as", "reg"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain(`--- content ---\n${text}`);
  });

  it("A4.2: binary content is refused with a pointer to --out, in the user's language; --out still writes it", {
    timeout: 120_000,
  }, async () => {
    const png = Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe,
    ]);
    const ref = await registerWith("Radar image", png);
    // Valid UTF-8 with a terminal escape is not text for a terminal either.
    const escapes = await registerWith("Escapes", Buffer.from("ok\u001b[2Jgone\n", "utf8"));
    const [en, ru, json, esc] = await Promise.all([
      kelisim(["carrier", "show", ref, "--print", "--as", "reg"]),
      kelisim(["carrier", "show", ref, "--print", "--as", "reg"], { KELISIM_LANG: "ru" }),
      kelisim(["carrier", "show", ref, "--print", "--as", "reg", "--json"]),
      kelisim(["carrier", "show", escapes, "--print", "--as", "reg"]),
    ]);
    expect(en).toEqual({
      code: 2,
      stdout: "",
      stderr: `kelisim: the content of carrier ${ref} is not text and cannot be printed: write it to a file with --out FILE\n`,
    });
    expect(ru.code).toBe(2);
    expect(ru.stderr).toBe(
      `kelisim: содержимое носителя ${ref} не является текстом: его нельзя вывести в терминал, запишите его в файл: --out ФАЙЛ\n`,
    );
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: "CONTENT_NOT_TEXT", articles: [] } });
    expect(esc).toMatchObject({ code: 2, stdout: "" });
    expect(esc.stderr).toContain(`carrier ${escapes} is not text`);

    const out = join(dir, "radar.png");
    const written = await kelisim(["carrier", "show", ref, "--out", out, "--as", "reg"]);
    expect(written.code, written.stderr).toBe(0);
    expect(readFileSync(out)).toEqual(png);
  });
});
