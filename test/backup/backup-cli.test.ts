// A1.8, A4.1.1, A6.2 through the command: `kelisim backup --out` and `kelisim restore --in` on a
// SQLite node, a tampered backup refused with its catalogue code (--json), a missing key refused.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { seedRegistry } from "../registry/registry-fixture.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { makeTempDir } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";

const run = promisify(execFile);
const KEY = randomBytes(32).toString("base64");

type Ran = { code: number; stdout: string; stderr: string };

async function kelisim(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return run(process.execPath, [KELISIM_BIN, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  );
}

describe("kelisim backup / restore [sqlite]", () => {
  let test: TestNode | null = null;
  const outDir = makeTempDir("kelisim-backups-");
  afterAll(async () => {
    await test?.cleanup();
    rmSync(outDir, { recursive: true, force: true });
  });

  it("A1.8, A4.1.1, A6.2: backs up, refuses a tampered backup (BACKUP_INTEGRITY_FAILED) and a missing key (BACKUP_KEY_MISSING), restores with the destruction applied again, and audit verify holds", async () => {
    test = await createTestNode("sqlite");
    await seedRegistry(test.ctx);
    const carrier = await registerCarrier(test.ctx, {
      actor: "reg",
      kind: "electronic-file",
      title: "cli backup",
      level: "secret",
      contract: "C-1",
      content: Buffer.from("MARKER cli backup"),
    });
    const dataDir = test.location.dataDir;
    const env = {
      ...process.env,
      DATABASE_URL: "",
      KELISIM_DATA: "",
      KELISIM_AUDIT_WITNESS: "",
      KELISIM_DESTRUCTION_LOG: "",
      KELISIM_BACKUP_KEY: KEY,
    };
    const file = join(outDir, "node.kbk");
    const backedUp = await kelisim(["backup", "--data", dataDir, "--out", file, "--json"], env);
    expect(backedUp.code).toBe(0);
    expect(JSON.parse(backedUp.stdout)).toMatchObject({ manifest: { nodeId: test.node.config.nodeId } });

    const flows = createFlowContext(test.ctx);
    try {
      await destroyCarrier(flows, { actor: "reg", carrier: carrier.id });
    } finally {
      flows.exchange.close();
    }
    await test.node.close();

    const tampered = join(outDir, "tampered.kbk");
    const bytes = readFileSync(file);
    bytes[bytes.length - 100]! ^= 0x80;
    writeFileSync(tampered, bytes);
    const refused = await kelisim(["restore", "--data", dataDir, "--in", tampered, "--json"], env);
    expect(refused.code).not.toBe(0);
    expect(JSON.parse(refused.stdout).error).toMatchObject({ code: "BACKUP_INTEGRITY_FAILED" });

    const noKey = await kelisim(["restore", "--data", dataDir, "--in", file, "--json"], {
      ...env,
      KELISIM_BACKUP_KEY: "",
    });
    expect(JSON.parse(noKey.stdout).error).toMatchObject({ code: "BACKUP_KEY_MISSING" });

    const restored = await kelisim(["restore", "--data", dataDir, "--in", file], env);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain("A1.8: 1 destruction(s) since the backup applied again");

    const verified = await kelisim(["audit", "verify", "--data", dataDir], env);
    expect(verified.code).toBe(0);
    expect(`${verified.stdout}${verified.stderr}`).toMatch(/restored from backup [0-9a-f]+ at /);
  });
});
