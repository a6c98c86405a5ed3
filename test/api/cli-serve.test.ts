import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { currentTotp } from "../../src/app/auth/totp.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { makeTempDir } from "../support/databases.ts";

const KELISIM = KELISIM_BIN;

let keyEnv: NodeJS.ProcessEnv = {};

function kelisim(args: string[], input?: string): string {
  return execFileSync(process.execPath, [KELISIM, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", ...keyEnv },
  });
}

/** The production path from the command line: a node, a person, a login with TOTP, `kelisim serve`. */
describe("kelisim serve and account add (production mode, SQLite)", () => {
  let dir: string;
  let server: ChildProcess | undefined;
  let url = "";
  let secret = "";
  const password = "correct horse battery staple 2025";

  beforeAll(async () => {
    dir = makeTempDir("kelisim-serve-");
    const data = join(dir, "node");
    // A4.1.1, A1.8: a production node's keys live outside its data directory.
    const keys = join(dir, "keys");
    keyEnv = {
      KELISIM_AUDIT_SIGNING_KEY_FILE: join(keys, "audit-signing.key"),
      KELISIM_CONTENT_WRAP_KEY_FILE: join(keys, "node-wrap.key"),
    };
    kelisim(["node", "init", "--party", "AM", "--data", data, "--keys-dir", keys]);
    kelisim([
      "person",
      "register",
      "officer",
      "--org",
      "competent-authority",
      "--name",
      "Officer",
      "--role",
      "auditor",
      "--data",
      data,
      "--as",
      "admin",
    ]);
    const added = JSON.parse(
      kelisim(["account", "add", "--person", "officer", "--data", data, "--json"], `${password}\n`),
    );
    secret = added.totpSecret;
    expect(added.totpUri).toMatch(/^otpauth:\/\/totp\//);
    server = spawn(process.execPath, [KELISIM, "serve", "--data", data, "--port", "0", "--json"], {
      env: { ...process.env, DATABASE_URL: "", ...keyEnv },
      stdio: ["ignore", "pipe", "pipe"],
    });
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      server?.stdout?.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        const match = /"url": "([^"]+)"/.exec(out);
        if (match?.[1]) resolveUrl(match[1]);
      });
      server?.stderr?.on("data", (chunk: Buffer) => reject(new Error(chunk.toString())));
      server?.on("exit", (code) => reject(new Error(`serve exited ${code}`)));
    });
  }, 120_000);

  afterAll(() => {
    server?.kill("SIGTERM");
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the published demo password for a new login", () => {
    let stderr = "";
    try {
      kelisim(["account", "add", "--person", "admin", "--data", join(dir, "node")], "kelisim-demo-2025\n");
    } catch (error) {
      stderr = String((error as { stderr?: string }).stderr);
    }
    expect(stderr).toContain("demo password");
  });

  it("serves the API in the Party's language and signs in only with password and one-time code", async () => {
    const node = await (await fetch(`${url}/api/node`)).json();
    expect(node).toMatchObject({ party: "AM", defaultLanguage: "hy", demo: false });
    const login = (body: object) =>
      fetch(`${url}/api/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const without = await login({ username: "officer", password });
    expect(without.status).toBe(401);
    const withCode = await login({ username: "officer", password, totp: currentTotp(secret) });
    expect(withCode.status).toBe(200);
    expect(withCode.headers.get("set-cookie")).toMatch(/HttpOnly; Secure; SameSite=Strict/);
  });
});
