#!/usr/bin/env node
// Fails the build when src/domain/ reaches outside itself: the domain is pure (ARCHITECTURE.md).
// Biome's lint covers globals; this check covers imports and the clock, which Biome cannot
// express per folder. Allowed imports: relative ones inside src/domain, and the pure libraries below.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const domain = process.argv[2] ? resolve(process.argv[2]) : join(root, "src", "domain");
const ALLOWED_PACKAGES = new Set(["zod", "temporal-polyfill", "fast-check", "vitest"]);
const TEST_ONLY = new Set(["fast-check", "vitest"]);
const FORBIDDEN_CODE = [
  [/\bDate\.now\s*\(/, "Date.now() reads the clock: pass the time in"],
  [/\bnew\s+Date\s*\(\s*\)/, "new Date() reads the clock: pass the time in"],
  [/\bTemporal\.Now\b/, "Temporal.Now reads the clock: pass the time in"],
  [/\bperformance\.now\s*\(/, "performance.now() reads the clock"],
  [/\bMath\.random\s*\(/, "Math.random() is not deterministic: pass randomness in"],
  [/\bcrypto\.(getRandomValues|randomUUID|subtle)\b/, "crypto is I/O for the domain: pass it in"],
  [/\bprocess\./, "process is I/O"],
  [/\brequire\s*\(/, "require() is not ESM"],
  [/\bimport\s*\(/, "dynamic import is I/O"],
];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx|mts)$/.test(name)) yield p;
  }
}

const problems = [];
for (const file of walk(domain)) {
  const text = readFileSync(file, "utf8");
  const isTest = /\.test\.tsx?$/.test(file);
  const rel = relative(root, file);
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, "");
    for (const m of code.matchAll(/(?:from|import)\s+["']([^"']+)["']/g)) {
      const spec = m[1];
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(domain)) problems.push(`${rel}:${i + 1}: imports ${spec}, outside src/domain`);
      } else if (!ALLOWED_PACKAGES.has(spec) || (TEST_ONLY.has(spec) && !isTest)) {
        problems.push(`${rel}:${i + 1}: imports "${spec}": src/domain may not do I/O or depend on it`);
      }
    }
    if (!isTest) {
      for (const [re, why] of FORBIDDEN_CODE) if (re.test(code)) problems.push(`${rel}:${i + 1}: ${why}`);
    }
  });
}
if (problems.length > 0) {
  console.error(`src/domain is not pure (${problems.length} problem(s)):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("domain purity: ok");
