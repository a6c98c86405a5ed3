// `npm run bench -- startup`: what a `kelisim` command costs before (and around) its own work, as
// users run it (`node bin/kelisim.mjs …`, or the bin named by KELISIM_BIN, e.g. a production install):
//   - `--help`                         the top-level help: lists the verbs, loads no verb group;
//   - `agreement show kz-am-2025`      a verb that reads the agreement pack, opens no node;
//   - `carrier list --as kz-registry`  a verb that opens a node (SQLite, a demo world made first).
// Beside them, in the same run: `node -e 0` (what any Node process costs) twice, as an A/A pair
// whose difference shows the noise of the machine. Each run is a separate process under
// /usr/bin/time; CPU seconds (user + system) vary less than wall time on a shared machine. The
// commands run KELISIM_BENCH_RUNS times (default 7, at least 5), alternating; the table shows the
// medians of CPU-s, wall time and peak RSS. Targets: `--help` ≤ 0.2 CPU-s and ≤ 60 MB; a verb that
// opens a node ≤ 0.35 CPU-s before its own work.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureDemoNode } from "../src/cli/commands/demo.ts";
import { median, timedProcess } from "./support/measure.ts";

const kelisim = resolve(process.env.KELISIM_BIN ?? join(import.meta.dirname, "..", "bin", "kelisim.mjs"));
const runs = Math.max(5, Number(process.env.KELISIM_BENCH_RUNS ?? 7));

type Measure = { seconds: number; cpuSeconds: number; rssMB: number };

function timed(args: string[]): Measure {
  const m = timedProcess(process.execPath, args);
  if (!m.ok) throw new Error(`${args.join(" ")} failed: ${m.failure ?? ""}`);
  return { seconds: m.seconds, cpuSeconds: m.cpuSeconds, rssMB: (m.rssKiB * 1024) / 1e6 };
}

const dir = mkdtempSync(join(tmpdir(), "kelisim-bench-startup-"));
try {
  const dataDir = join(dir, "kz");
  await ensureDemoNode(dataDir, "KZ", () => {});
  const cases: { name: string; args: string[] }[] = [
    { name: "node -e 0 (A)", args: ["-e", "0"] },
    { name: "node -e 0 (A, again)", args: ["-e", "0"] },
    { name: "kelisim --help", args: [kelisim, "--help"] },
    { name: "kelisim agreement show", args: [kelisim, "agreement", "show", "kz-am-2025"] },
    {
      name: "kelisim carrier list",
      args: [kelisim, "carrier", "list", "--as", "kz-registry", "--data", dataDir],
    },
  ];
  console.log(`${kelisim}, ${runs} alternating runs each`);
  // One unmeasured round: the files are in the page cache for every measured run alike.
  for (const c of cases) timed(c.args);
  const results = new Map<string, Measure[]>(cases.map((c) => [c.name, []]));
  for (let i = 0; i < runs; i++) for (const c of cases) results.get(c.name)!.push(timed(c.args));
  console.log(
    `${"command".padEnd(26)} ${"CPU-s".padStart(7)} ${"wall s".padStart(7)} ${"RSS MB".padStart(7)}`,
  );
  for (const c of cases) {
    const m = results.get(c.name)!;
    console.log(
      `${c.name.padEnd(26)} ${median(m.map((x) => x.cpuSeconds))
        .toFixed(2)
        .padStart(7)} ${median(m.map((x) => x.seconds))
        .toFixed(2)
        .padStart(7)} ${median(m.map((x) => x.rssMB))
        .toFixed(0)
        .padStart(7)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
