// A4.1.1, A6.2, A1.8: a production `kelisim serve` reads the audit signing key and the content
// wrapping key from outside its data directory. With the keys in the data directory (what a plain
// `node init` makes), or a *_FILE naming a symlink into it, it refuses to start (NODE_KEY_IN_DATA_DIR,
// exit non-zero, nothing listening); with the key files moved out and named by the environment it
// serves.
import { type ChildProcess, execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, symlinkSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "../support/cli.ts";
import { makeTempDir } from "../support/databases.ts";
import { freePort } from "../support/ports.ts";

const baseEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: "" };
  for (const name of [
    "KELISIM_AUDIT_SIGNING_KEY",
    "KELISIM_AUDIT_SIGNING_KEY_FILE",
    "KELISIM_CONTENT_WRAP_KEY",
    "KELISIM_CONTENT_WRAP_KEY_FILE",
  ])
    delete env[name];
  return env;
};

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

describe("kelisim serve keeps its keys outside the data directory (A4.1.1, A6.2, A1.8)", () => {
  let dir: string;
  let data: string;
  let keys: string;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    dir = makeTempDir("kelisim-serve-keys-");
    data = join(dir, "node");
    keys = join(dir, "keys");
    const out = execFileSync(
      process.execPath,
      [KELISIM_BIN, "node", "init", "--party", "KZ", "--data", data],
      {
        encoding: "utf8",
        env: baseEnv(),
      },
    );
    expect(out).toMatch(/kelisim serve` refuses them/);
  }, 60_000);

  afterAll(() => {
    server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  const serveOnce = async (env: NodeJS.ProcessEnv) => {
    const port = await freePort();
    const run = spawnSync(
      process.execPath,
      [KELISIM_BIN, "serve", "--data", data, "--port", String(port), "--json"],
      { encoding: "utf8", env, timeout: 60_000 },
    );
    return { ...run, port };
  };

  it("A4.1.1, A1.8: with the keys in the data directory, or a *_FILE symlinked into it, serve refuses with NODE_KEY_IN_DATA_DIR and nothing listens", async () => {
    const inside = await serveOnce(baseEnv());
    expect(inside.status).not.toBe(0);
    expect(inside.stdout).toContain('"code":"NODE_KEY_IN_DATA_DIR"');
    expect(inside.stderr).toMatch(/audit signing key.*content wrapping key/);
    expect(inside.stderr).toContain("KELISIM_AUDIT_SIGNING_KEY_FILE");
    expect(await listening(inside.port)).toBe(false);

    mkdirSync(keys, { mode: 0o700 });
    symlinkSync(join(data, "keys", "node-wrap.key"), join(keys, "link.key"));
    const viaLink = await serveOnce({
      ...baseEnv(),
      KELISIM_AUDIT_SIGNING_KEY_FILE: join(data, "keys", "audit-signing.key"),
      KELISIM_CONTENT_WRAP_KEY_FILE: join(keys, "link.key"),
    });
    expect(viaLink.status).not.toBe(0);
    expect(viaLink.stdout).toContain('"code":"NODE_KEY_IN_DATA_DIR"');
    expect(await listening(viaLink.port)).toBe(false);
  }, 120_000);

  it("A4.1.1, A1.8: with the key files moved out and named by KELISIM_*_FILE, serve starts", async () => {
    renameSync(join(data, "keys", "audit-signing.key"), join(keys, "audit-signing.key"));
    renameSync(join(data, "keys", "node-wrap.key"), join(keys, "node-wrap.key"));
    const port = await freePort();
    server = spawn(
      process.execPath,
      [KELISIM_BIN, "serve", "--data", data, "--port", String(port), "--json"],
      {
        env: {
          ...baseEnv(),
          KELISIM_AUDIT_SIGNING_KEY_FILE: join(keys, "audit-signing.key"),
          KELISIM_CONTENT_WRAP_KEY_FILE: join(keys, "node-wrap.key"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      server?.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url": "([^"]+)"/.exec(out);
        if (match?.[1]) resolveUrl(match[1]);
      });
      server?.on("exit", (code) => reject(new Error(`serve exited ${code}: ${out}`)));
    });
    expect((await fetch(`${url}/api/node`)).status).toBe(200);
  }, 120_000);
});
