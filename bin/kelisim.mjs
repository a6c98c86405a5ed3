#!/usr/bin/env node
// Entry point of the `kelisim` command. The checkout works without a build step (`npx kelisim …`):
//
// - `seal` and `open` run the CLI's sources as JavaScript bundled by esbuild (the TypeScript compiler
//   tsx itself uses), split per verb group, kept in dist/cli/ and rebuilt here whenever one of its
//   source files changed (checked by size and modification time, ≈ 2 ms). Why: under tsx, a start
//   costs ≈ 35 MiB resident (a loader thread and an esbuild child process) and ≈ 0.6 CPU-s, which
//   alone broke the sealing targets (peak ≤ 128 MiB, throughput ≥ age's). The bundle is
//   the same source with the types stripped; `import.meta.url` of each module is kept as the
//   source file's URL, so that files found beside a module (workers, agreements) are found alike.
// - Every other verb, and seal/open when the bundle cannot be built or written (read-only install,
//   a syntax error: tsx then reports it), runs the sources through tsx as before.
//
// Tests run this file, so they exercise the bundle exactly as users do.
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const BUNDLED_VERBS = new Set(["seal", "open"]);
const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const distDir = join(root, "dist", "cli");
const currentFile = join(distDir, "current.json");

/** The verb named on the command line (as src/cli/commands/index.ts finds it). */
function verbOf(argv) {
  const args = argv.slice(2);
  return args.find((arg, i) => !arg.startsWith("-") && args[i - 1] !== "--lang");
}

const stamp = (path) => {
  const s = statSync(path, { bigint: true });
  return `${s.size}:${s.mtimeNs}`;
};

/** The current bundle's entry, if every source it was built from is unchanged. */
function freshBundle() {
  try {
    const current = JSON.parse(readFileSync(currentFile, "utf8"));
    for (const [path, expected] of Object.entries(current.inputs))
      if (stamp(join(root, path)) !== expected) return undefined;
    return join(distDir, current.build, "main.js");
  } catch {
    return undefined;
  }
}

/** Builds a new bundle beside the others and makes it current; returns its entry. */
async function buildBundle() {
  const { build } = await import("esbuild");
  const id = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
  const outdir = join(distDir, id);
  const inputs = {};
  // What else changes the output: this file (the build's options), the configuration, esbuild.
  const esbuildPackage = relative(root, createRequire(import.meta.url).resolve("esbuild/package.json"));
  for (const file of ["bin/kelisim.mjs", "tsconfig.json", "package.json", esbuildPackage])
    inputs[file] = stamp(join(root, file));
  const loaders = { ".ts": "ts", ".tsx": "tsx", ".mts": "ts", ".js": "js", ".mjs": "js", ".json": "json" };
  await build({
    absWorkingDir: root,
    entryPoints: [join(root, "src/cli/main.ts")],
    outdir,
    bundle: true,
    splitting: true, // a verb group and its packages load only when named, as under tsx
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    keepNames: true,
    logLevel: "silent",
    plugins: [
      {
        name: "kelisim-sources",
        setup(b) {
          b.onLoad({ filter: /\.(ts|tsx|mts|js|mjs|json)$/ }, (args) => {
            // Stat before reading: a file changed meanwhile then looks changed at the next start.
            const key = relative(root, args.path);
            inputs[key] = stamp(args.path);
            const ext = args.path.slice(args.path.lastIndexOf("."));
            let contents = readFileSync(args.path, "utf8");
            if (ext !== ".json")
              contents = contents.replaceAll(
                "import.meta.url",
                JSON.stringify(pathToFileURL(args.path).href),
              );
            return { contents, loader: loaders[ext] };
          });
        },
      },
    ],
  });
  // Atomic switch: a concurrent start reads either the old or the new current.json.
  const temporary = `${currentFile}.${id}`;
  writeFileSync(temporary, JSON.stringify({ build: id, inputs }));
  renameSync(temporary, currentFile);
  // Builds older than ten minutes are no longer in use by a starting process.
  for (const name of readdirSync(distDir)) {
    if (name === id || name === "current.json") continue;
    const path = join(distDir, name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 600_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by another start
    }
  }
  return join(outdir, "main.js");
}

let entry;
if (BUNDLED_VERBS.has(verbOf(process.argv))) {
  entry = freshBundle();
  if (!entry) {
    try {
      mkdirSync(distDir, { recursive: true });
      entry = await buildBundle();
    } catch {
      entry = undefined;
    }
  }
}
if (!entry) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = join(root, "src/cli/main.ts");
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv);
