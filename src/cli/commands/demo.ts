// `kelisim demo` (what `npm start` runs): the Kazakhstan node and the Armenia node on loopback, each
// with its own SQLite file under ./.kelisim/, a demo world made on first run, both URLs and the demo
// logins printed. Demo logins exist only here: `kelisim serve` without --demo refuses them.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../api/auth/auth-service.ts";
import { createPasswordHasher } from "../../api/auth/password.ts";
import { createDemoWorld, DEMO_PASSWORD, type DemoLogin } from "../../api/demo/demo-world.ts";
import { type RunningNode, startNodeServer } from "../../api/run-node.ts";
import { ensureWebBuilt } from "../../api/web-assets.ts";
import { createAppContext } from "../../app/context.ts";
import { initNode } from "../../app/node/init-node.ts";
import { nodeConfigPath } from "../../node/node-config.ts";
import { openNode } from "../../node/open-node.ts";
import { untilSignal } from "./serve.ts";

const DEMO_FILE = "demo-world.json";

type DemoRecord = { party: string; logins: DemoLogin[]; createdAt: string };

/** Makes (once) the demo node of a Party in `dataDir` and returns its demo logins. */
export async function ensureDemoNode(
  dataDir: string,
  party: string,
  log: (line: string) => void,
): Promise<DemoRecord> {
  const recordPath = join(dataDir, DEMO_FILE);
  if (existsSync(recordPath)) return JSON.parse(readFileSync(recordPath, "utf8")) as DemoRecord;
  if (existsSync(nodeConfigPath(dataDir))) {
    log(`${party}: the demo world in ${dataDir} is incomplete (an earlier run stopped); making it again`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`${party}: creating the node and its demo world in ${dataDir} …`);
  const location = { dataDir };
  const init = await initNode({ location, party });
  const node = await openNode(location);
  try {
    const pack = await loadAgreementPack(node.config.agreementId);
    const ctx = createAppContext(node, pack);
    const auth = new AuthService(node.db, await createPasswordHasher(), DEFAULT_AUTH_POLICY);
    const world = await createDemoWorld(
      ctx,
      auth,
      { id: init.administrator.id, handle: init.administrator.handle },
      { id: init.competentAuthority.id, name: init.competentAuthority.name },
    );
    const record: DemoRecord = { party, logins: world.logins, createdAt: new Date().toISOString() };
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    return record;
  } finally {
    await node.close();
  }
}

export function registerDemoCommands(program: Command): void {
  program
    .command("demo")
    .description(
      "start the Kazakhstan and Armenia nodes on loopback with a demo world (SQLite under ./.kelisim/); prints URLs and demo logins",
    )
    .option("--dir <dir>", "where the two demo nodes live", ".kelisim")
    .option("--kz-port <port>", "port of the Kazakhstan node", "7101")
    .option("--am-port <port>", "port of the Armenia node", "7102")
    .option("--reset", "delete the demo nodes first and make a new demo world")
    .action(async (options: { dir: string; kzPort: string; amPort: string; reset?: boolean }) => {
      const log = (line: string) => process.stdout.write(`${line}\n`);
      const root = resolve(options.dir);
      const parties = [
        { party: "KZ", dataDir: join(root, "kz"), port: Number(options.kzPort) },
        { party: "AM", dataDir: join(root, "am"), port: Number(options.amPort) },
      ];
      if (options.reset) for (const p of parties) rmSync(p.dataDir, { recursive: true, force: true });
      const records: DemoRecord[] = [];
      for (const p of parties) records.push(await ensureDemoNode(p.dataDir, p.party, log));
      log("building the web interface (first run only) …");
      const webRoot = await ensureWebBuilt({ quiet: true });
      const running: RunningNode[] = [];
      try {
        for (const p of parties) {
          running.push(
            await startNodeServer({
              location: { dataDir: p.dataDir },
              host: "127.0.0.1",
              port: p.port,
              demo: true,
              webRoot,
            }),
          );
        }
      } catch (error) {
        for (const r of running) await r.close();
        throw error;
      }
      const lines = [
        "",
        "Kelisim demo — two nodes on this machine (demo mode: never use these logins for real data)",
        "",
      ];
      for (const [i, p] of parties.entries()) {
        const record = records[i];
        lines.push(
          `${p.party === "KZ" ? "Kazakhstan" : "Armenia"} node: ${running[i]?.url}   (API: ${running[i]?.url}/docs)`,
        );
        for (const login of record?.logins ?? []) {
          lines.push(
            `  ${login.username.padEnd(15)} ${login.role.padEnd(28)} ${(login.level ?? "—").padEnd(19)} ${login.name}`,
          );
        }
        lines.push("");
      }
      lines.push(`Password of every demo login: ${DEMO_PASSWORD}`);
      lines.push(
        "One-time code (TOTP): not asked in demo mode; a production node (`kelisim serve`) requires it.",
      );
      lines.push(
        "Stop with Ctrl+C. The nodes' data stays in ./.kelisim/ (delete it, or use --reset, for a fresh world).",
      );
      log(lines.join("\n"));
      await untilSignal();
      for (const r of running) await r.close();
    });
}
