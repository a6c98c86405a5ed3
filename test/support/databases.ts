// Test support: run the same suite against SQLite and PostgreSQL, on real databases.
//
//   describeEachDatabase("carrier registry", (getDb) => {
//     it("registers a carrier", async () => {
//       const { db, dialect } = getDb();   // a fresh, migrated database for this suite
//       …
//     });
//   });
//
// - SQLite: a fresh data directory (temp dir) per suite; the file is `<dir>/kelisim.sqlite`.
// - PostgreSQL: a fresh schema per suite (unique per run and suite) in the server that
//   test/global-setup.ts found or started; dropped after the suite.
// The suite body runs once per dialect inside `describe("<name> [sqlite|postgres]")`; the database is
// opened in `beforeAll` and closed (and removed) in `afterAll`, so use `getDb()` inside tests/hooks.
//
// Lower level: `openTestDatabase(dialect)` (you close/clean it), `createTestPostgresSchema()` (a fresh
// schema and a DATABASE_URL selecting it — for running the CLI against PostgreSQL), `makeTempDir()`.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, inject } from "vitest";
import type { StoreDialect } from "../../src/store/columns.ts";
import { type OpenedDatabase, openDatabase } from "../../src/store/open-database.ts";

export const DIALECTS: readonly StoreDialect[] = ["sqlite", "postgres"];

/** The PostgreSQL server of this test run (postgres://…/test). */
export function testPostgresUrl(): string {
  const url = inject("kelisimPostgresUrl");
  if (!url) throw new Error("no PostgreSQL for tests: is test/global-setup.ts in vitest.config.ts?");
  return url;
}

/** A new empty directory under the OS temp dir. */
export function makeTempDir(prefix = "kelisim-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let schemaCounter = 0;

function newSchemaName(): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `t_${process.pid}_${Date.now().toString(36)}_${random}_${schemaCounter++}`;
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh schema in the test server; `url` selects it as search_path (usable as DATABASE_URL). */
export async function createTestPostgresSchema(): Promise<{
  schema: string;
  url: string;
  drop: () => Promise<void>;
}> {
  const schema = newSchemaName();
  await adminQuery(`create schema "${schema}"`);
  const url = new URL(testPostgresUrl());
  url.searchParams.set("options", `-c search_path=${schema}`);
  return {
    schema,
    url: url.toString(),
    drop: () => adminQuery(`drop schema if exists "${schema}" cascade`),
  };
}

export type TestDatabase = {
  readonly opened: OpenedDatabase;
  /** The SQLite data directory (sqlite only). */
  readonly dataDir?: string;
  /** The schema (postgres only). */
  readonly schema?: string;
  /** Closes the database and removes its directory or schema. */
  cleanup(): Promise<void>;
};

/** Opens a fresh, migrated database of the dialect. Call `cleanup()` when done. */
export async function openTestDatabase(dialect: StoreDialect): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const dataDir = makeTempDir();
    const opened = await openDatabase({ dataDir });
    return {
      opened,
      dataDir,
      async cleanup() {
        await opened.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const schema = newSchemaName();
  let opened: OpenedDatabase;
  try {
    opened = await openDatabase({ url: testPostgresUrl(), schema, maxConnections: 4 });
  } catch (error) {
    await adminQuery(`drop schema if exists "${schema}" cascade`);
    throw error;
  }
  return {
    opened,
    schema,
    async cleanup() {
      await opened.close();
      await adminQuery(`drop schema if exists "${schema}" cascade`);
    },
  };
}

/** Declares `suite` once per dialect, each with its own fresh database (see the top of this file). */
export function describeEachDatabase(
  name: string,
  suite: (getDb: () => OpenedDatabase, dialect: StoreDialect, getTestDb: () => TestDatabase) => void,
): void {
  for (const dialect of DIALECTS) {
    describe(`${name} [${dialect}]`, () => {
      let testDb: TestDatabase | undefined;
      beforeAll(async () => {
        testDb = await openTestDatabase(dialect);
      });
      afterAll(async () => {
        await testDb?.cleanup();
      });
      const getTestDb = () => {
        if (!testDb) throw new Error("the test database is opened in beforeAll; call getDb() inside tests");
        return testDb;
      };
      suite(() => getTestDb().opened, dialect, getTestDb);
    });
  }
}
