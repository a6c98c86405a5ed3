// `kelisim demo` (what `npm start` runs): the Kazakhstan node and the Armenia node on loopback, each
// with its own SQLite file under ./.kelisim/, a demo world made on first run, both URLs and the demo
// logins printed. Demo logins exist only here: `kelisim serve` without --demo refuses them.

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import type { Command } from "commander";
import { z } from "zod";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { type RunningNode, startNodeServer } from "../../api/run-node.ts";
import { builtWebRoot } from "../../api/web-assets.ts";
import { recordAgreementNotice } from "../../app/agreement/record-notice.ts";
import { createAppContext } from "../../app/context.ts";
import { createDemoWorld, DEMO_PASSWORD } from "../../app/demo/demo-world.ts";
import { initNode } from "../../app/node/init-node.ts";
import { createAuthService, exportNodeDirectory } from "../../app/node/runtime.ts";
import { ensureContentWrapKey } from "../../crypto/at-rest/wrap-key.ts";
import { initPartyPki, issueNodeTlsCertificate, issueOrganisationCertificates } from "../../crypto/pki.ts";
import { DomainError } from "../../domain/errors.ts";
import { addPeer } from "../../exchange/node-exchange.ts";
import { nodeConfigPath } from "../../node/node-config.ts";
import { openNode } from "../../node/open-node.ts";
import { untilSignal } from "./serve.ts";

const DEMO_FILE = "demo-world.json";

const DemoRecordSchema = z.object({
  party: z.string(),
  logins: z.array(
    z.object({
      username: z.string(),
      name: z.string(),
      role: z.string(),
      organisation: z.string(),
      level: z.string().nullable(),
    }),
  ),
  createdAt: z.string(),
});
type DemoRecord = z.infer<typeof DemoRecordSchema>;

/** The demo record kept in a demo node's directory, or null when it is missing, damaged or of an older shape. */
function readDemoRecord(path: string): DemoRecord | null {
  if (!existsSync(path)) return null;
  try {
    const kept = DemoRecordSchema.safeParse(JSON.parse(readFileSync(path, "utf8")));
    return kept.success ? kept.data : null;
  } catch {
    return null;
  }
}

/** Makes (once) the demo node of a Party in `dataDir` and returns its demo logins. */
export async function ensureDemoNode(
  dataDir: string,
  party: string,
  log: (line: string) => void,
): Promise<DemoRecord> {
  const recordPath = join(dataDir, DEMO_FILE);
  // A record that does not read (an earlier run stopped, a damaged file) makes the demo world again.
  const kept = readDemoRecord(recordPath);
  if (kept) return kept;
  if (existsSync(nodeConfigPath(dataDir))) {
    log(`${party}: the demo world in ${dataDir} is incomplete (an earlier run stopped); making it again`);
    rmSync(dataDir, { recursive: true, force: true });
  }
  log(`${party}: creating the node and its demo world in ${dataDir} …`);
  const location = { dataDir };
  const init = await initNode({ location, party });
  // Carrier content is encrypted at rest under the node key (kept idempotent in case init makes it).
  ensureContentWrapKey(dataDir);
  const node = await openNode(location);
  try {
    const pack = await loadAgreementPack(node.config.agreementId);
    const ctx = createAppContext(node, pack);
    const auth = await createAuthService(node);
    const world = await createDemoWorld(
      ctx,
      auth,
      { id: init.administrator.id, handle: init.administrator.handle },
      { id: init.competentAuthority.id, name: init.competentAuthority.name },
    );
    // The agreement in force on this node (A15.1: both notices of completed procedures received).
    const authority = party === "KZ" ? "kz-authority" : "am-authority";
    const year = new Date().getUTCFullYear();
    const other = party === "KZ" ? "AM" : "KZ";
    await recordAgreementNotice(ctx, {
      actor: authority,
      event: "receive-notice",
      from: party,
      at: `${year - 1}-12-01T00:00:00Z`,
    });
    await recordAgreementNotice(ctx, {
      actor: authority,
      event: "receive-notice",
      from: other,
      at: `${year - 1}-12-15T00:00:00Z`,
    });
    // The Party PKI: root, certificates of the competent authority and both bodies, the node's TLS certificate.
    await initPartyPki({ dataDir, party, agreementId: node.config.agreementId });
    for (const org of Object.values(world.organisations)) {
      await issueOrganisationCertificates({ dataDir, orgId: org.id, orgName: org.name });
    }
    await issueNodeTlsCertificate({ dataDir });
    const record: DemoRecord = { party, logins: world.logins, createdAt: new Date().toISOString() };
    writeFileSync(recordPath, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
    return record;
  } finally {
    await node.close();
  }
}

/** Connects the two demo nodes: each pins the other's root and records its directory and address. */
export async function connectDemoNodes(
  nodes: readonly { party: string; dataDir: string; exchangePort: number }[],
  log: (line: string) => void,
): Promise<void> {
  if (nodes.every((n) => existsSync(join(n.dataDir, "exchange", "peer.json")))) return;
  log("connecting the two nodes (exchanging their PKI roots and directories) …");
  const directories = [];
  for (const n of nodes) {
    const node = await openNode({ dataDir: n.dataDir });
    try {
      directories.push(await exportNodeDirectory(node));
    } finally {
      await node.close();
    }
  }
  for (const [i, n] of nodes.entries()) {
    const peerIndex = i === 0 ? 1 : 0;
    const peer = nodes[peerIndex];
    const directory = directories[peerIndex];
    if (!peer || !directory) continue;
    addPeer(n.dataDir, directory, {
      url: `https://127.0.0.1:${peer.exchangePort}`,
      expectedFingerprint: directory.rootFingerprint,
      self: { party: n.party, agreementId: directory.agreementId },
    });
  }
}

/** The address both demo nodes listen on (their HTTP and exchange ports). */
const DEMO_HOST = "127.0.0.1";

/** A port the demo will listen on and the option it comes from (`--kz-port 7101 + 10`). */
type DemoPort = { readonly port: number; readonly use: string };

/** `--kz-port` / `--am-port` as a port number whose exchange port (+10) is a port too, or INPUT_INVALID. */
function portOption(field: string, value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port + 10 > 65_535)
    throw new DomainError("INPUT_INVALID", { field, problem: `not a port number (1–65525): ${value}` });
  return port;
}

/** Whether nothing listens on `host:port` (tried by listening on it for a moment). */
function isPortFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") resolvePort(false);
      else reject(error);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolvePort(true)));
  });
}

/**
 * Refuses, before anything is created, ports the demo cannot listen on: one named twice (a node's
 * HTTP port that is the other's exchange port), or one another program holds (PORT_IN_USE, with the
 * options that choose other ports). Otherwise the demo world would be made and then fail to start.
 */
export async function ensureDemoPortsFree(ports: readonly DemoPort[], hint: string): Promise<void> {
  for (const [i, p] of ports.entries()) {
    const earlier = ports.slice(0, i).find((q) => q.port === p.port);
    if (earlier)
      throw new DomainError("INPUT_INVALID", {
        field: p.use,
        problem: `port ${p.port} is also ${earlier.use}; choose other ports: ${hint}`,
      });
  }
  for (const p of ports) {
    if (!(await isPortFree(DEMO_HOST, p.port)))
      throw new DomainError("PORT_IN_USE", { host: DEMO_HOST, port: String(p.port), use: p.use, hint });
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
      // Before anything is made: without the built web interface there is nothing to serve.
      const webRoot = builtWebRoot();
      const root = resolve(options.dir);
      const kzPort = portOption("kz-port", options.kzPort);
      const amPort = portOption("am-port", options.amPort);
      const parties = [
        { party: "KZ", dataDir: join(root, "kz"), port: kzPort, exchangePort: kzPort + 10 },
        { party: "AM", dataDir: join(root, "am"), port: amPort, exchangePort: amPort + 10 },
      ];
      await ensureDemoPortsFree(
        [
          { port: kzPort, use: `--kz-port ${kzPort}` },
          { port: amPort, use: `--am-port ${amPort}` },
          { port: kzPort + 10, use: `--kz-port ${kzPort} + 10` },
          { port: amPort + 10, use: `--am-port ${amPort} + 10` },
        ],
        `npm start -- --kz-port ${kzPort + 100} --am-port ${amPort + 100}`,
      );
      if (options.reset) for (const p of parties) rmSync(p.dataDir, { recursive: true, force: true });
      const records: DemoRecord[] = [];
      for (const p of parties) records.push(await ensureDemoNode(p.dataDir, p.party, log));
      await connectDemoNodes(parties, log);
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
              exchangePort: p.exchangePort,
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
          `${p.party === "KZ" ? "Kazakhstan" : "Armenia"} node: ${running[i]?.url}   (API: ${running[i]?.url}/docs; to the other node: mutual TLS on port ${p.exchangePort})`,
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
        "Try: at the KZ node sign in as kz-registry, open a carrier and request its transfer; kz-authority consents;\n" +
          "am-authority confirms at the AM node; kz-registry dispatches (a paper carrier with its seals and waybill);\n" +
          "am-registry takes it in on arrival and it is registered with both markings; KZ sees the receipt.",
      );
      lines.push(
        "Stop with Ctrl+C. The nodes' data stays in ./.kelisim/ (delete it, or use --reset, for a fresh world).",
      );
      log(lines.join("\n"));
      await untilSignal();
      for (const r of running) await r.close();
    });
}
