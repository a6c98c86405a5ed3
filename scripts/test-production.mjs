#!/usr/bin/env node
// `npm run test:production` (the last step of `npm test`): runs the test files that spawn `kelisim`
// against a production install, so that a package the CLI or `kelisim serve` loads at run time but
// package.json lists only in devDependencies fails the build.
//
// The production tree is made in a temp directory as a release is: package.json, package-lock.json,
// bin/, dist/, agreements/, web/dist and scripts/build.mjs (npm's `prepare`); its node_modules is a
// hard-linked copy of the checkout's, pruned with `npm prune --omit=dev --offline` (what
// `npm ci --omit=dev` installs, without rebuilding better-sqlite3 from source). Then `prepare` runs
// there as `npm ci --omit=dev` runs it, and vitest runs, from the checkout, the test files that
// import test/support/cli.ts (but one, below), with KELISIM_BIN naming the production tree's bin.
// KELISIM_KEEP_PRODUCTION_TREE=1 keeps the tree (its path is printed).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const say = (line) => process.stdout.write(`test:production: ${line}\n`);
const npm = (args, cwd) => execFileSync("npm", args, { cwd, stdio: ["ignore", "inherit", "inherit"] });

// Mostly in-process tests (≈ 15 s): its four `kelisim` runs (carrier, visit) load no package that
// the other files do not load.
const CHECKOUT_ONLY = new Set(["test/registry/visits.test.ts"]);

/** The test files that run the CLI (they find it through test/support/cli.ts). */
function cliTestFiles() {
  const found = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && entry.name !== "fixtures") walk(path);
      } else if (entry.name.endsWith(".test.ts") && /\/support\/cli\.ts"/.test(readFileSync(path, "utf8"))) {
        found.push(relative(root, path));
      }
    }
  };
  for (const dir of ["src", "test"]) walk(join(root, dir));
  return found.filter((file) => !CHECKOUT_ONLY.has(file)).sort();
}

execFileSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
const tree = mkdtempSync(join(tmpdir(), "kelisim-production-"));
let status = 1;
try {
  for (const path of ["package.json", "package-lock.json", "bin", "dist", "agreements", "scripts/build.mjs"])
    cpSync(join(root, path), join(tree, path), { recursive: true });
  mkdirSync(join(tree, "web"));
  cpSync(join(root, "web", "dist"), join(tree, "web", "dist"), { recursive: true });
  execFileSync("cp", ["-al", join(root, "node_modules"), join(tree, "node_modules")]);
  // npm rewrites this file in place: a copy of its own, not a link to the checkout's.
  const hidden = join(tree, "node_modules", ".package-lock.json");
  if (existsSync(hidden)) {
    rmSync(hidden);
    cpSync(join(root, "node_modules", ".package-lock.json"), hidden);
  }
  npm(
    ["prune", "--omit=dev", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
    tree,
  );
  for (const dev of ["typescript", "vite", "tsx", "vitest", "react"])
    if (existsSync(join(tree, "node_modules", dev))) throw new Error(`the production tree still has ${dev}`);
  // `npm ci --omit=dev` runs `prepare`: without the development tools it must pass on a built tree.
  npm(["run", "prepare", "--silent"], tree);
  const files = cliTestFiles();
  say(`${files.length} CLI test files against ${tree}: ${files.join(" ")}`);
  const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
  const r = spawnSync(process.execPath, [vitest, "run", ...files], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, KELISIM_BIN: join(tree, "bin", "kelisim.mjs") },
  });
  status = r.status ?? 1;
} finally {
  if (process.env.KELISIM_KEEP_PRODUCTION_TREE) say(`kept ${tree}`);
  else rmSync(tree, { recursive: true, force: true });
}
process.exit(status);
