// `npm start` says it builds the web interface only when it does: ensureWebBuilt calls onBuild
// when web/dist is missing or older than the UI's sources, and never when the build is current.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureWebBuilt } from "../../src/api/web-assets.ts";
import { makeTempDir } from "../support/databases.ts";

describe("ensureWebBuilt", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A web folder with sources and a build, the build `builtAgeMs` newer (negative: older). */
  function webDir(builtAgeMs: number): string {
    const dir = makeTempDir("kelisim-web-");
    dirs.push(dir);
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "dist"));
    const sources = new Date(Date.now() - 60_000);
    for (const file of ["src/main.tsx", "index.html", "vite.config.ts"]) {
      writeFileSync(join(dir, file), "");
      utimesSync(join(dir, file), sources, sources);
    }
    utimesSync(join(dir, "src"), sources, sources);
    writeFileSync(join(dir, "dist", "index.html"), "<!doctype html>");
    const built = new Date(sources.getTime() + builtAgeMs);
    utimesSync(join(dir, "dist", "index.html"), built, built);
    return dir;
  }

  it("does not announce a build when web/dist is current", async () => {
    const dir = webDir(1_000);
    const announced: string[] = [];
    const out = await ensureWebBuilt({ webDir: dir, quiet: true, onBuild: () => announced.push(dir) });
    expect(out).toBe(join(dir, "dist"));
    expect(announced).toEqual([]);
  });

  it("announces the build once, before building, when a source is newer than web/dist", async () => {
    const dir = webDir(-1_000);
    const announced: string[] = [];
    // The empty vite.config.ts builds nothing useful: whether the build succeeds is not the point.
    await ensureWebBuilt({ webDir: dir, quiet: true, onBuild: () => announced.push(dir) }).catch(
      () => undefined,
    );
    expect(announced).toEqual([dir]);
  }, 60_000);
});
