#!/usr/bin/env node
// `npm run build`: bundles src/ into dist/cli/ with esbuild (types stripped, not checked — `npm run
// typecheck` checks them —, source maps naming the .ts lines), copies the workers' .mjs files
// beside the bundle, removes from dist/ what the bundle no longer holds, and builds the web
// interface (web/dist) with Vite. Why a bundle: a verb that opens a node loaded about 530 files
// (kysely alone 263, zod 95), and resolving and compiling them one by one was half its start-up.
// Each dynamic import (a verb group, pdf-lib …) stays a chunk of its own, loaded when used.
// Each step runs only when one of its inputs is newer than its output, so a build with nothing to
// do costs a few milliseconds: the test setup runs it before every vitest run (test/global-setup.ts).
// Concurrent builds (two test runs) wait for each other on a lock directory.
//
// `--prepare` (npm's `prepare`, run by `npm install`/`npm ci`): the same, unless the development
// tools are not installed (`npm ci --omit=dev`): then it only checks that dist/ and web/dist are
// there, and says plainly when they are not.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(root, "src");
const DIST = join(root, "dist");
/**
 * The bundle's folder. Two levels below the package root, as every module of src/ that finds a
 * path from `import.meta.url` is (`../../agreements`, `../../web`): from a chunk here they point to
 * the same places. The workers (`./verify-worker.mjs`, `./piece-worker.mjs`) are copied here.
 */
const OUT = join(DIST, "cli");
/** What the last bundle wrote (esbuild's metafile): its outputs, and when it was made. */
const META = join(DIST, ".bundle-meta.json");
/** The bundle's entry files (named by `entryPoints` below). */
const isEntry = (path) => ["main.js", "web-assets.js"].includes(path.split("/").pop());
/** How long a file of an earlier build stays for a command that started before (then pruned). */
const KEEP_STALE_MS = 60 * 60 * 1000;
/** Bundled into dist/ rather than loaded from node_modules: the packages of most files. */
const INLINE = new Set(["kysely", "zod", "commander", "temporal-polyfill", "fastify-type-provider-zod"]);
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

/** What dist/ is made from: the TypeScript sources (bundled) and the other runtime files (copied). */
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

function readMeta() {
  try {
    return JSON.parse(readFileSync(META, "utf8"));
  } catch {
    return null;
  }
}

async function compile(compiled) {
  const meta = readMeta();
  const inputs = [
    ...compiled.map((rel) => join(SRC, rel)),
    join(root, "package.json"),
    join(root, "scripts", "build.mjs"),
  ];
  const outputsThere = meta?.outputs?.every((rel) => existsSync(join(DIST, rel))) === true;
  if (outputsThere && inputs.every((path) => mtime(path) <= meta.builtAt)) return false;
  const started = Date.now();
  const { build } = await import("esbuild");
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]
    .filter((name) => !INLINE.has(name))
    .flatMap((name) => [name, `${name}/*`]);
  const result = await build({
    // The command, and the web build this script runs below (the one implementation of it).
    entryPoints: { main: join(SRC, "cli", "main.ts"), "web-assets": join(SRC, "api", "web-assets.ts") },
    outdir: OUT,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.19",
    external,
    sourcemap: true,
    sourcesContent: false,
    // A package bundled here that uses require() (commander) gets the real one.
    banner: {
      js: 'import { createRequire as __kelisimCreateRequire } from "node:module"; const require = __kelisimCreateRequire(import.meta.url);',
    },
    metafile: true,
    write: false,
    absWorkingDir: root,
    logLevel: "warning",
  });
  // A command running meanwhile (another test run, a node serving) may still import chunks of the
  // previous build: each file is replaced whole (temp file, rename), chunks before the entries that
  // import them, and files of earlier builds are left for a while (prune).
  const files = [...result.outputFiles].sort((a, b) => Number(isEntry(a.path)) - Number(isEntry(b.path)));
  mkdirSync(OUT, { recursive: true });
  for (const file of files) {
    if (existsSync(file.path) && readFileSync(file.path).equals(file.contents)) continue;
    const tmp = `${file.path}.${process.pid}.tmp`;
    writeFileSync(tmp, file.contents);
    renameSync(tmp, file.path);
  }
  const outputs = files.map((file) => relative(DIST, file.path));
  writeFileSync(META, JSON.stringify({ builtAt: started, outputs }));
  utimesSync(META, new Date(started), new Date(started));
  say(
    `bundled src/ into dist/cli/ (${compiled.length} sources, ${outputs.filter((o) => o.endsWith(".js")).length} chunks, ${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
  return true;
}

/** The workers and what they import (`.mjs` beside them), copied beside the bundle's chunks. */
function copyRuntimeFiles(copied) {
  let count = 0;
  for (const rel of copied.filter((r) => r.endsWith(".mjs"))) {
    const from = join(SRC, rel);
    const to = join(OUT, rel.split("/").pop());
    if (existsSync(to) && statSync(to).size === statSync(from).size && mtime(to) >= mtime(from)) continue;
    mkdirSync(dirname(to), { recursive: true });
    copyFileSync(from, to);
    count++;
  }
  if (count > 0) say(`copied ${count} worker file(s) of src/ to dist/cli/`);
}

/**
 * Removes what dist/ holds besides the bundle and the workers: at once outside dist/cli/ (an older
 * layout), after KEEP_STALE_MS inside it (a chunk a running command may still import).
 */
function prune({ copied }) {
  const meta = readMeta();
  const expected = new Set([
    relative(DIST, META),
    ...(meta?.outputs ?? []),
    ...copied.filter((r) => r.endsWith(".mjs")).map((r) => `cli/${r.split("/").pop()}`),
  ]);
  const now = Date.now();
  const stale = filesUnder(DIST).filter(
    (rel) =>
      !expected.has(rel) &&
      (rel.endsWith(".tmp") || now - mtime(join(DIST, rel)) > KEEP_STALE_MS || !rel.startsWith("cli/")),
  );
  for (const rel of stale) rmSync(join(DIST, rel), { force: true });
  // Folders left empty.
  const removeEmpty = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }))
      if (entry.isDirectory()) removeEmpty(join(dir, entry.name));
    if (dir !== DIST && readdirSync(dir).length === 0) rmSync(dir, { recursive: true });
  };
  if (existsSync(DIST)) removeEmpty(DIST);
  if (stale.length > 0) say(`removed ${stale.length} file(s) of dist/ that the bundle does not hold`);
}

async function buildWeb() {
  // The one implementation of the web build, compiled above; it builds only when web/ changed.
  const { ensureWebBuilt } = await import(pathToFileURL(join(OUT, "web-assets.js")).href);
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
    require.resolve("esbuild/package.json");
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
    await compile(files.compiled);
    copyRuntimeFiles(files.copied);
    prune(files);
    await buildWeb();
  });
}
