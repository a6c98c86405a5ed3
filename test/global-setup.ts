// Vitest global setup: builds (scripts/build.mjs), then makes sure a PostgreSQL answers for the store tests, which run against both
// SQLite and PostgreSQL (never skipped). Order of preference:
//   1. KELISIM_TEST_DATABASE_URL, if set;
//   2. (unless KELISIM_TEST_POSTGRES=throwaway) the server at 127.0.0.1:5432, database `test`, trust auth (user `postgres`);
//   3. a throwaway server started here from the machine's /usr/lib/postgresql/*/bin (initdb + pg_ctl,
//      as the `postgres` user via runuser when we are root), on a free port, stopped in teardown.
// If none works the whole run fails with the reason. Tests read the URL with
// `inject("kelisimPostgresUrl")` (see test/support/databases.ts).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    kelisimPostgresUrl: string;
  }
}

const DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/test";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  // The tests that run `kelisim` run dist/ and serve web/dist: bring them up to date with src/ and
  // web/ first (`npm run build`; a few milliseconds when nothing changed).
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "scripts", "build.mjs")], {
    stdio: "inherit",
  });
  const configured = process.env.KELISIM_TEST_DATABASE_URL;
  if (configured) {
    const failure = await probe(configured);
    if (failure) throw new Error(`KELISIM_TEST_DATABASE_URL does not answer: ${failure}`);
    project.provide("kelisimPostgresUrl", configured);
    return undefined;
  }
  // KELISIM_TEST_POSTGRES=throwaway skips the shared server (to test this path, or to isolate a run).
  const defaultFailure =
    process.env.KELISIM_TEST_POSTGRES === "throwaway" ? "throwaway requested" : await probe(DEFAULT_URL);
  if (!defaultFailure) {
    await dropStaleTestSchemas(DEFAULT_URL);
    project.provide("kelisimPostgresUrl", DEFAULT_URL);
    return undefined;
  }
  const throwaway = await startThrowawayPostgres(defaultFailure);
  project.provide("kelisimPostgresUrl", throwaway.url);
  return throwaway.stop;
}

/**
 * Runs that crashed leave their schemas (`t_<pid>_<time base36>_…`, see test/support/databases.ts)
 * behind in the shared server; those older than a day are dropped.
 */
async function dropStaleTestSchemas(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ nspname: string }>(
      "select nspname from pg_namespace where nspname ~ '^t_[0-9]+_[0-9a-z]+_'",
    );
    for (const { nspname } of rows) {
      const created = Number.parseInt(nspname.split("_")[2] ?? "", 36);
      if (Number.isFinite(created) && Date.now() - created > 24 * 3600_000) {
        await client.query(`drop schema if exists "${nspname}" cascade`);
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function findPostgresBin(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function startThrowawayPostgres(why: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = findPostgresBin();
  if (!bin) {
    throw new Error(
      `PostgreSQL is needed by the store tests: 127.0.0.1:5432/test does not answer (${why}) and no ` +
        "/usr/lib/postgresql/*/bin/initdb is installed to start a throwaway one (apt-get install postgresql).",
    );
  }
  const isRoot = process.getuid?.() === 0;
  const asPostgres = (command: string, args: string[]) =>
    isRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", command, ...args], { stdio: "pipe" })
      : execFileSync(command, args, { stdio: "pipe" });
  const dir = mkdtempSync(join(tmpdir(), "kelisim-pg-"));
  if (isRoot) execFileSync("chown", ["postgres:postgres", dir]);
  const dataDir = join(dir, "data");
  const port = await freePort();
  asPostgres(join(bin, "initdb"), [
    "-D",
    dataDir,
    "-U",
    "postgres",
    "-A",
    "trust",
    "-E",
    "UTF8",
    "--no-sync",
  ]);
  asPostgres(join(bin, "pg_ctl"), [
    "-D",
    dataDir,
    "-l",
    join(dir, "server.log"),
    "-o",
    `-p ${port} -c listen_addresses=127.0.0.1 -k ${dir}`,
    "-w",
    "start",
  ]);
  const stop = async () => {
    try {
      asPostgres(join(bin, "pg_ctl"), ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query("create database test");
    await admin.end();
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `postgres://postgres@127.0.0.1:${port}/test`, stop };
}
