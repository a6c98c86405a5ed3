// `kelisim demo` (what `npm start` runs) with a port taken: it says which port and how to choose
// others, exits non-zero and creates nothing (no demo world is made that then cannot start).
import { execFile } from "node:child_process";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "./support/cli.ts";
import { makeTempDir } from "./support/databases.ts";

const BIN = KELISIM_BIN;

/** Listens on 127.0.0.1:`port` (0: any free port) and returns the server and its port. */
function listen(port = 0): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen({ host: "127.0.0.1", port, exclusive: true }, () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : port });
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Whether `port` can be listened on now. */
async function isFree(port: number): Promise<boolean> {
  try {
    await close((await listen(port)).server);
    return true;
  } catch {
    return false;
  }
}

async function demo(cwd: string, args: readonly string[]) {
  const { KELISIM_LANG: _lang, KELISIM_DATA: _data, DATABASE_URL: _db, ...env } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, "demo", ...args], {
      cwd,
      env,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

describe("kelisim demo: ports checked before anything is created", () => {
  const held: Server[] = [];
  let cwd = "";
  /** A taken port (held by this test) whose node HTTP port (taken − 10) and another port are free. */
  let taken = 0;
  let kzPort = 0;
  let amPort = 0;
  beforeAll(async () => {
    cwd = makeTempDir("kelisim-demo-ports-");
    for (;;) {
      const blocker = await listen();
      held.push(blocker.server);
      const other = await listen();
      await close(other.server);
      if (blocker.port > 1034 && (await isFree(blocker.port - 10)) && (await isFree(other.port + 10))) {
        taken = blocker.port;
        kzPort = blocker.port - 10;
        amPort = other.port;
        break;
      }
    }
  });
  afterAll(async () => {
    for (const server of held) await close(server);
    rmSync(cwd, { recursive: true, force: true });
  });

  it("a taken exchange port (--kz-port + 10) is named with the options that choose others; exit 2, nothing created", {
    timeout: 60_000,
  }, async () => {
    const dir = join(cwd, "demo");
    const args = ["--dir", dir, "--kz-port", String(kzPort), "--am-port", String(amPort)];
    const [en, ru] = await Promise.all([demo(cwd, args), demo(cwd, [...args, "--lang", "ru", "--reset"])]);
    expect(en).toEqual({
      code: 2,
      stdout: "",
      stderr:
        `kelisim: port 127.0.0.1:${taken} is already in use (--kz-port ${kzPort} + 10); nothing was created. ` +
        `Choose other ports: npm start -- --kz-port ${kzPort + 100} --am-port ${amPort + 100}\n`,
    });
    expect(ru.code).toBe(2);
    expect(ru.stderr).toContain(
      `порт 127.0.0.1:${taken} уже занят (--kz-port ${kzPort} + 10); ничего не создано`,
    );
    expect(existsSync(dir)).toBe(false);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it("a port named twice (the Armenia node on the Kazakhstan node's exchange port) is refused the same way", {
    timeout: 60_000,
  }, async () => {
    const dir = join(cwd, "demo");
    const result = await demo(cwd, [
      "--dir",
      dir,
      "--kz-port",
      String(amPort),
      "--am-port",
      String(amPort + 10),
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `kelisim: invalid input: --kz-port ${amPort} + 10: port ${amPort + 10} is also --am-port ${amPort + 10}; ` +
        `choose other ports: npm start -- --kz-port ${amPort + 100} --am-port ${amPort + 110}\n`,
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});
