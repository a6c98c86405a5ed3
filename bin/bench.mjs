#!/usr/bin/env node
// Runs the benchmarks under bench/: `npm run bench` runs all, `npm run bench -- NAME…` the named ones
// (NAME is the file name without `.bench.ts`). Each benchmark prints its figures beside a baseline
// measured in the same run.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const benchDir = join(dirname(fileURLToPath(import.meta.url)), "..", "bench");
const all = readdirSync(benchDir)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${all.join(", ")}`);
  process.exit(64);
}
let failed = 0;
for (const name of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench/${name}.bench.ts`);
  const r = spawnSync(
    process.execPath,
    ["--expose-gc", "--import", "tsx", join(benchDir, `${name}.bench.ts`)],
    {
      stdio: "inherit",
    },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
