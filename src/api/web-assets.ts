import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The web UI's folder in the checkout (`web/`). */
export const WEB_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../web");

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when web/dist is missing or older than any source of the UI. */
export function isWebBuildStale(webDir = WEB_DIR, outDir = join(webDir, "dist")): boolean {
  const index = join(outDir, "index.html");
  if (!existsSync(index)) return true;
  if (!existsSync(join(webDir, "src"))) return false;
  const built = statSync(index).mtimeMs;
  const sources = Math.max(
    newestMtime(join(webDir, "src")),
    newestMtime(join(webDir, "index.html")),
    newestMtime(join(webDir, "vite.config.ts")),
  );
  return sources > built;
}

/**
 * The folder of the built UI for `kelisim serve` and `demo`: web/dist as `npm run build` made it
 * (Vite is a development tool: a production install has no Vite, only the build). An error naming
 * the build when it is missing; a warning on stderr when web/src is newer (a checkout edited since).
 */
export function builtWebRoot(webDir = WEB_DIR, outDir = join(webDir, "dist")): string {
  if (!existsSync(join(outDir, "index.html"))) {
    throw new Error(
      `the web interface is not built (${join(outDir, "index.html")} is missing): run \`npm run build\``,
    );
  }
  if (isWebBuildStale(webDir, outDir)) {
    process.stderr.write(
      "kelisim: web/dist is older than web/src: run `npm run build` to serve the changes\n",
    );
  }
  return outDir;
}

/**
 * Builds the UI with Vite when web/dist is missing or stale, and returns its folder: the build step
 * (scripts/build.mjs) and tests call it, never a command (no Vite at run time). `onBuild` is called
 * only when it does build, before it starts.
 */
export async function ensureWebBuilt(
  options: { webDir?: string; outDir?: string; quiet?: boolean; onBuild?: () => void } = {},
): Promise<string> {
  const webDir = options.webDir ?? WEB_DIR;
  const outDir = options.outDir ?? join(webDir, "dist");
  if (!isWebBuildStale(webDir, outDir)) return outDir;
  options.onBuild?.();
  const { build } = await import("vite");
  // Always React's production build, whatever NODE_ENV the caller runs under (vitest sets "test",
  // which made Vite build the development one: its StrictMode runs every effect twice, so each page
  // fetched twice and each carrier view left two access decisions in the audit log).
  const callerNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: join(webDir, "vite.config.ts"),
      root: webDir,
      mode: "production",
      logLevel: options.quiet ? "error" : "warn",
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    if (callerNodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = callerNodeEnv;
  }
  return outDir;
}
