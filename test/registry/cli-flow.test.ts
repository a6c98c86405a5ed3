// The command-line flow a new user runs (README): node init → org → person → contract → carrier
// register → carrier show (allowed and refused) → carrier destroy → audit verify, by running the
// real `kelisim` commands, on SQLite (--data) and on PostgreSQL (DATABASE_URL).
import { execFile } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { CONTRACT_CLAUSES } from "../../src/domain/contract/contract-machine.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS, makeTempDir } from "../support/databases.ts";
import { createTestLocation } from "../support/nodes.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;

type Result = { code: number; stdout: string; stderr: string };

for (const dialect of DIALECTS) {
  describe(`kelisim registry flow [${dialect}]`, () => {
    let dataDir: string;
    let env: NodeJS.ProcessEnv;
    let cleanup: () => Promise<void>;

    beforeAll(async () => {
      const created = await createTestLocation(dialect);
      dataDir = created.location.dataDir;
      cleanup = created.cleanup;
      env = { ...process.env, KELISIM_LANG: "en" };
      delete env.DATABASE_URL;
      delete env.KELISIM_DATA;
      if (created.location.databaseUrl) env.DATABASE_URL = created.location.databaseUrl;
    });
    afterAll(async () => {
      await cleanup?.();
    });

    async function kelisim(...args: string[]): Promise<Result> {
      try {
        const { stdout, stderr } = await run(process.execPath, [BIN, ...args, "--data", dataDir], { env });
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as { code?: number; stdout?: string; stderr?: string };
        return { code: e.code ?? -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
      }
    }
    async function ok(...args: string[]): Promise<string> {
      const result = await kelisim(...args);
      expect(result, `kelisim ${args.join(" ")}`).toMatchObject({ code: 0 });
      return result.stdout;
    }

    it("sets up a node, its bodies, people, clearances and an active contract", {
      timeout: 240_000,
    }, async () => {
      const init = JSON.parse(await ok("node", "init", "--party", "KZ", "--json"));
      expect(init.dialect).toBe(dialect);
      await ok("org", "register", "Ministry of Defence", "--as", "admin");
      await ok(
        "person",
        "register",
        "ca",
        "--org",
        "competent-authority",
        "--name",
        "CA Officer",
        "--role",
        "competent-authority-officer",
        "--as",
        "admin",
      );
      await ok(
        "person",
        "register",
        "reg",
        "--org",
        "Ministry of Defence",
        "--name",
        "Registry Officer",
        "--role",
        "registry-officer",
        "--as",
        "admin",
      );
      await ok(
        "person",
        "register",
        "alice",
        "--org",
        "Ministry of Defence",
        "--name",
        "Alice",
        "--role",
        "cleared-user",
        "--as",
        "admin",
      );
      await ok(
        "person",
        "register",
        "bob",
        "--org",
        "Ministry of Defence",
        "--name",
        "Bob",
        "--role",
        "cleared-user",
        "--as",
        "admin",
      );
      await ok(
        "org",
        "clearance",
        "Ministry of Defence",
        "--level",
        "top-secret",
        "--from",
        "2026-01-01",
        "--to",
        "2035-12-31",
        "--as",
        "ca",
      );
      for (const person of ["reg", "alice", "bob"]) {
        await ok(
          "person",
          "clearance",
          person,
          "--level",
          "top-secret",
          "--from",
          "2026-01-01",
          "--to",
          "2035-12-31",
          "--as",
          "ca",
        );
        // A4.4: each reads the obligations and acknowledges the version read before any access.
        const shown = JSON.parse(await ok("person", "show-obligations", "--as", person, "--json"));
        expect(shown).toMatchObject({ party: "KZ", acknowledged: null });
        expect(await ok("person", "show-obligations", "--language", "ru", "--as", person)).toContain(
          "Обязательства лица",
        );
        expect(
          await ok("person", "acknowledge-obligations", "--version", shown.version, "--as", person),
        ).toContain(`${person} acknowledged the obligations ${shown.version} (kk)`);
      }
      await ok(
        "contract",
        "create",
        "C-1",
        "--title",
        "Radar study",
        "--counterpart",
        "Institute of Radiophysics",
        "--as",
        "reg",
      );
      const early = await kelisim("contract", "activate", "C-1", "--as", "reg");
      expect(early.code).not.toBe(0);
      expect(early.stderr).toContain("A7.1");
      for (const clause of CONTRACT_CLAUSES)
        await ok("contract", "clause", "C-1", clause, `text of ${clause}`, "--as", "reg");
      await ok("contract", "info", "C-1", "radar specifications", "--level", "top-secret", "--as", "reg");
      await ok("contract", "participant", "C-1", "alice", "--as", "reg");
      expect(await ok("contract", "activate", "C-1", "--as", "reg")).toContain("active");
    });

    it("registers a carrier, shows it to a participant and answers a non-participant as for a missing carrier", {
      timeout: 120_000,
    }, async () => {
      // A directory of its own: a fixed path in the temp dir would be shared by two runs at once.
      const uploads = makeTempDir("kelisim-upload-");
      onTestFinished(() => rmSync(uploads, { recursive: true, force: true }));
      const file = join(uploads, `${dialect}-content.txt`);
      writeFileSync(file, "MARKER radar content\n");
      const registered = JSON.parse(
        await ok(
          "carrier",
          "register",
          "--kind",
          "electronic-file",
          "--title",
          "Radar specification",
          "--level",
          "top-secret",
          "--file",
          file,
          "--contract",
          "C-1",
          "--as",
          "reg",
          "--json",
        ),
      );
      expect(registered.registration_number).toMatch(/^KZ-\d{4}-000001$/);
      const number = registered.registration_number as string;
      const shown = await ok("carrier", "show", number, "--print", "--as", "alice");
      expect(shown).toContain("access allowed");
      expect(shown).toContain("MARKER radar content");
      const refused = await kelisim("carrier", "show", number, "--as", "bob");
      const missing = await kelisim("carrier", "show", number.replace("000001", "999999"), "--as", "bob");
      expect(refused.code).not.toBe(0);
      expect(refused.stdout).toBe("");
      expect(refused.stderr).toContain("A4.2");
      expect(refused).toEqual({ ...missing, stderr: missing.stderr.replace("999999", "000001") });
      expect(await ok("carrier", "list", "--as", "reg")).toContain(number);
    });

    it("destroys the carrier, after which nobody can read it, and the audit log verifies", {
      timeout: 120_000,
    }, async () => {
      const list = JSON.parse(await ok("carrier", "list", "--as", "reg", "--json"));
      const number = list.carriers[0].registration_number as string;
      expect(await ok("carrier", "destroy", number, "--as", "reg")).toContain("destroyed");
      // alice had need-to-know: the record still tells her where it went (A4.2), never the content.
      const after = await kelisim("carrier", "show", number, "--print", "--as", "alice");
      expect(after.code).not.toBe(0);
      expect(after.stderr).toContain("A1.8");
      const verify = await kelisim("audit", "verify");
      expect(verify.code).toBe(0);
      expect(verify.stdout).toMatch(/holds/);
    });
  });
}
