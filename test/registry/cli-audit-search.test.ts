// `kelisim audit search` run as the real bin (A4.2): the table with object names and the next
// cursor, JSON paging, and the refusal for a person who may not read the audit.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { MOD, seedRegistry } from "./registry-fixture.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;

type Result = { code: number; stdout: string; stderr: string };

for (const dialect of DIALECTS) {
  describe(`kelisim audit search [${dialect}]`, () => {
    let node: TestNode;
    let env: NodeJS.ProcessEnv;
    const numbers: string[] = [];

    beforeAll(async () => {
      node = await createTestNode(dialect);
      const { ctx } = node;
      await seedRegistry(ctx);
      await registerAcknowledgedPerson(ctx, {
        actor: "admin",
        organisation: MOD,
        handle: "aud",
        name: "Auditor Aud",
        roles: ["auditor"],
      });
      await grantPersonalClearance(ctx, {
        actor: "ca",
        person: "aud",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      for (const title of ["First", "Second", "Third"]) {
        const row = await registerCarrier(ctx, {
          actor: "reg",
          kind: "other-object",
          title,
          level: "secret",
        });
        numbers.push(row.registration_number);
      }
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

    it("prints a table with object names and the next cursor, and pages by it in JSON", {
      timeout: 60_000,
    }, async () => {
      const table = await kelisim(
        "audit",
        "search",
        "--event",
        "carrier.registered",
        "--limit",
        "2",
        "--as",
        "aud",
      );
      expect(table, table.stderr).toMatchObject({ code: 0 });
      const lines = table.stdout.trimEnd().split("\n");
      expect(lines[0]).toMatch(/^time\s+person\s+event\s+outcome\s+object\s+articles$/);
      expect(lines[1]).toContain(numbers[2]);
      expect(lines[2]).toContain(numbers[1]);
      expect(lines[1]).toContain("reg");
      const cursor = /next page: --cursor (\d+)/.exec(lines.at(-1)!)?.[1];
      expect(cursor).toBeDefined();

      const next = await kelisim(
        "audit",
        "search",
        "--event",
        "carrier.registered",
        "--limit",
        "2",
        "--cursor",
        cursor!,
        "--json",
        "--as",
        "aud",
      );
      expect(next, next.stderr).toMatchObject({ code: 0 });
      const page = JSON.parse(next.stdout) as { items: { objectName: string }[]; nextCursor: string | null };
      expect(page.items.map((r) => r.objectName)).toEqual([numbers[0]]);
      expect(page.nextCursor).toBeNull();
    });

    it("refuses a person who may not read the audit, citing the rule", { timeout: 60_000 }, async () => {
      const refused = await kelisim("audit", "search", "--as", "bob");
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/ROLE_FORBIDDEN|role/i);
    });
  });
}
