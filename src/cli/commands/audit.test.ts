import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { KELISIM_BIN } from "../../../test/support/cli.ts";
import { createTestPostgresSchema, DIALECTS, makeTempDir } from "../../../test/support/databases.ts";
import { appendAuditEntry } from "../../audit/log.ts";
import { openDatabase } from "../../store/open-database.ts";
import { withTransaction } from "../../store/transaction.ts";

const run = promisify(execFile);
const BIN = KELISIM_BIN;

type CliResult = { code: number; stdout: string; stderr: string };

async function kelisim(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

for (const dialect of DIALECTS) {
  describe(`kelisim audit [${dialect}]`, () => {
    it("verify exits 0 on an intact log, and names the first edited entry (exit non-zero) after a row is changed", async () => {
      const dataDir = join(makeTempDir(), "node");
      cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const env: NodeJS.ProcessEnv = { DATABASE_URL: "", KELISIM_DATA: "" };
      if (dialect === "postgres") {
        const schema = await createTestPostgresSchema();
        cleanups.push(schema.drop);
        env.DATABASE_URL = schema.url;
      }
      const init = await kelisim(["node", "init", "--party", "AM", "--data", dataDir], env);
      expect(init.stderr).toBe("");
      expect(init.code).toBe(0);

      const opened = env.DATABASE_URL
        ? await openDatabase({ url: env.DATABASE_URL })
        : await openDatabase({ dataDir });
      try {
        await withTransaction(opened.db, async (trx) => {
          for (let i = 0; i < 40; i++) {
            await appendAuditEntry(trx, {
              at: new Date(),
              actor: "person:registry-officer",
              organisation: "org:1",
              event: "carrier.access-decided",
              object: `carrier:${i}`,
              outcome: i % 4 === 0 ? "refused" : "allowed",
              articles: ["A4.2"],
            });
          }
        });
      } finally {
        await opened.close();
      }

      const checkpoint = await kelisim(["audit", "checkpoint", "--data", dataDir, "--json"], env);
      expect(checkpoint.code).toBe(0);
      const note = JSON.parse(checkpoint.stdout) as { size: number; note: string };
      expect(note.size).toBeGreaterThanOrEqual(41);
      expect(note.note).toMatch(
        /^kelisim\/AM\/[0-9a-f-]+\/audit\n\d+\n[A-Za-z0-9+/]{43}=\n\n— kelisim\/AM\//,
      );

      const intact = await kelisim(["audit", "verify", "--data", dataDir], env);
      expect(intact.code).toBe(0);
      expect(intact.stdout).toMatch(new RegExp(`audit log holds: ${note.size} entries`));
      expect(intact.stdout).toMatch(new RegExp(`newest signed checkpoint: size ${note.size}`));

      const tamper = env.DATABASE_URL
        ? await openDatabase({ url: env.DATABASE_URL })
        : await openDatabase({ dataDir });
      try {
        // The index columns follow the bytes (the database derives them): edit the bytes.
        const row = await tamper.db
          .selectFrom("audit_entries")
          .select(["idx", "entry"])
          .where("object", "=", "carrier:20")
          .executeTakeFirstOrThrow();
        const text = Buffer.from(row.entry).toString("utf8");
        await tamper.db
          .updateTable("audit_entries")
          .set({ entry: Buffer.from(text.replace(/"outcome":"[a-z]+"/, '"outcome":"allowed"')) })
          .where("idx", "=", row.idx)
          .execute();
      } finally {
        await tamper.close();
      }
      const bad = await kelisim(["audit", "verify", "--data", dataDir, "--json"], env);
      expect(bad.code).not.toBe(0);
      const verdict = JSON.parse(bad.stdout) as { ok: boolean; firstBadIndex: number };
      expect(verdict.ok).toBe(false);
      // node init wrote the first entries; carrier:20 is the 21st of ours.
      expect(verdict.firstBadIndex).toBe(note.size - 40 + 20);
      expect(bad.stderr).toMatch(
        new RegExp(`A4\\.1\\.1, A6\\.2 — the audit log does not hold from entry ${verdict.firstBadIndex}`),
      );
    });
  });
}
