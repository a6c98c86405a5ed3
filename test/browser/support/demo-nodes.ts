// Two demo nodes (the world `npm start` makes), in a temporary directory, on free loopback ports,
// serving the built web UI and talking to each other over mutual TLS.
import { rmSync } from "node:fs";
import { join } from "node:path";
import { type RunningNode, startNodeServer } from "../../../src/api/run-node.ts";
import { ensureWebBuilt } from "../../../src/api/web-assets.ts";
import { DEMO_PASSWORD } from "../../../src/app/demo/demo-world.ts";
import { connectDemoNodes, ensureDemoNode } from "../../../src/cli/commands/demo.ts";
import { makeTempDir } from "../../support/databases.ts";
import { freePort } from "../../support/ports.ts";

export { DEMO_PASSWORD };

export type DemoNodes = { kz: RunningNode; am: RunningNode; close(): Promise<void> };

export async function startDemoNodes(): Promise<DemoNodes> {
  const root = makeTempDir("kelisim-browser-");
  const quiet = () => {};
  const parties = [];
  for (const party of ["KZ", "AM"] as const) {
    parties.push({
      party,
      dataDir: join(root, party.toLowerCase()),
      port: await freePort(),
      exchangePort: await freePort(),
    });
  }
  for (const p of parties) await ensureDemoNode(p.dataDir, p.party, quiet);
  await connectDemoNodes(parties, quiet);
  const webRoot = await ensureWebBuilt({ quiet: true });
  const running: RunningNode[] = [];
  for (const p of parties) {
    running.push(
      await startNodeServer({
        location: { dataDir: p.dataDir },
        host: "127.0.0.1",
        port: p.port,
        exchangePort: p.exchangePort,
        demo: true,
        webRoot,
      }),
    );
  }
  const [kz, am] = running as [RunningNode, RunningNode];
  return {
    kz,
    am,
    async close() {
      for (const r of running) await r.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
