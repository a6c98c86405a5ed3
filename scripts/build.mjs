#!/usr/bin/env node
// `npm run build`: compiles src/ to JavaScript under dist/ (tsconfig.build.json: types stripped, not
// checked — `npm run typecheck` checks them —, `./x.ts` imports rewritten to `./x.js`, source maps),
// copies the other runtime files of src/ (workers, .json, .sql …) to the same place under dist/,
// removes from dist/ what no longer has a source, and builds the web interface (web/dist) with Vite.
// Each step runs only when one of its inputs is newer than its output, so a build with nothing to
// do costs a few milliseconds: the test setup runs it before every vitest run (test/global-setup.ts).
// Concurrent builds (two test runs) wait for each other on a lock directory.
//
// `--prepare` (npm's `prepare`, run by `npm install`/`npm ci`): the same, unless the development
// tools are not installed (`npm ci --omit=dev`): then it only checks that dist/ and web/dist are
// there, and says plainly when they are not.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(root, "src");
const DIST = join(root, "dist");
const BUILD_INFO = join(DIST, ".tsbuildinfo");
const LOCK = join(root, ".build-lock");
const require = createRequire(import.meta.url);

const say = (line) => process.stdout.write(`build: ${line}\n`);

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir, prefix = "") {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}

const isTypeScript = (rel) => /\.[cm]?tsx?$/.test(rel);
const isTest = (rel) => /\.test\.[cm]?[jt]sx?$/.test(rel);
const compiledName = (rel) => rel.replace(/\.(c|m)?tsx?$/, (_, kind) => `.${kind ?? ""}js`);

/** What dist/ must hold: for each source its output(s), and what it is made from. */
function plan() {
  const compiled = [];
  const copied = [];
  for (const rel of filesUnder(SRC)) {
    if (isTest(rel) || /\.d\.[cm]?ts$/.test(rel)) continue;
    if (isTypeScript(rel)) compiled.push(rel);
    else copied.push(rel);
  }
  return { compiled, copied };
}

const mtime = (path) => statSync(path).mtimeMs;

function compile(compiled) {
  const outputs = compiled.flatMap((rel) => [compiledName(rel), `${compiledName(rel)}.map`]);
  const missing = outputs.some((rel) => !existsSync(join(DIST, rel)));
  // tsc's incremental state does not notice an output deleted by hand: start afresh then.
  if (missing) rmSync(BUILD_INFO, { force: true });
  const inputs = [
    ...compiled.map((rel) => join(SRC, rel)),
    join(root, "tsconfig.json"),
    join(root, "tsconfig.build.json"),
  ];
  if (!missing && existsSync(BUILD_INFO)) {
    const built = mtime(BUILD_INFO);
    if (inputs.every((path) => mtime(path) <= built)) return false;
  }
  const started = Date.now();
  const tsc = require.resolve("typescript/bin/tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
  if (r.status !== 0) throw new Error(`tsc -p tsconfig.build.json failed (exit ${r.status ?? r.signal})`);
  // tsc leaves its state file untouched when nothing changed: its time is when we last compiled
  // (when tsc started: a source saved meanwhile is newer, so the next build compiles it).
  utimesSync(BUILD_INFO, new Date(started), new Date(started));
  say(`compiled src/ to dist/ (${compiled.length} files, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return true;
}

function copyRuntimeFiles(copied) {
  let count = 0;
  for (const rel of copied) {
    const from = join(SRC, rel);
    const to = join(DIST, rel);
    if (existsSync(to) && statSync(to).size === statSync(from).size && mtime(to) >= mtime(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    count++;
  }
  if (count > 0) say(`copied ${count} runtime file(s) of src/ to dist/`);
}

/** Removes what dist/ holds without a source any more (a renamed module must not linger). */
function prune({ compiled, copied }) {
  const expected = new Set([
    relative(DIST, BUILD_INFO),
    ...copied,
    ...compiled.flatMap((rel) => [compiledName(rel), `${compiledName(rel)}.map`]),
  ]);
  const stale = filesUnder(DIST).filter((rel) => !expected.has(rel));
  for (const rel of stale) rmSync(join(DIST, rel), { force: true });
  // Folders left empty.
  const removeEmpty = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) removeEmpty(join(dir, entry.name));
    if (dir !== DIST && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  };
  if (existsSync(DIST)) removeEmpty(DIST);
  if (stale.length > 0) say(`removed ${stale.length} file(s) of dist/ that no longer have a source`);
}

async function buildWeb() {
  // The one implementation of the web build, compiled above; it builds only when web/ changed.
  const { ensureWebBuilt } = await import(pathToFileURL(join(DIST, "api", "web-assets.js")).href);
  await ensureWebBuilt({
    quiet: true,
    onBuild: () => say("building the web interface (web/dist) with Vite"),
  });
}

/** Runs `task` holding the build lock: a second build waits for the first, then finds little to do. */
async function withLock(task) {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A build killed midway leaves its lock: older than any build takes, it is abandoned.
      if (Date.now() - mtime(LOCK) > 300_000) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build holds ${LOCK}`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await task();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function hasDevTools() {
  try {
    require.resolve("typescript/package.json");
    require.resolve("vite/package.json");
    return true;
  } catch {
    return false;
  }
}

if (process.argv.includes("--prepare") && !hasDevTools()) {
  // A production install (`npm ci --omit=dev`): nothing to build with, so dist/ must come with the tree.
  const missing = [join(DIST, "cli", "main.js"), join(root, "web", "dist", "index.html")].filter(
    (path) => !existsSync(path),
  );
  if (missing.length === 0) say("production install: using the dist/ and web/dist that are here");
  else
    console.error(
      `build: WARNING: production install without ${missing.map((p) => relative(root, p)).join(" and ")}: ` +
        "kelisim will not run. Build on a machine with the development dependencies (`npm ci && npm run build`) " +
        "and copy dist/ and web/dist here.",
    );
} else {
  await withLock(async () => {
    const files = plan();
    compile(files.compiled);
    copyRuntimeFiles(files.copied);
    prune(files);
    await buildWeb();
  });
}
