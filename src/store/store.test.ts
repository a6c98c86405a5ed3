import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { promisify } from "node:util";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import {
  createTestPostgresSchema,
  describeEachDatabase,
  makeTempDir,
  testPostgresUrl,
} from "../../test/support/databases.ts";
import { toBinary, toTimestamp } from "./columns.ts";
import { migrateToLatest, openDatabase } from "./open-database.ts";
import { withTransaction } from "./transaction.ts";

const run = promisify(execFile);

describeEachDatabase("store", (getDb, dialect) => {
  it("applies the migrations once and again without change", async () => {
    const { db } = getDb();
    await migrateToLatest(db);
    const tables = (await db.introspection.getTables()).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(["organisations", "people", "contracts", "carriers"]));
  });

  it("keeps bytes, large integers and timestamps exactly as written", async () => {
    const { db } = getDb();
    const bytes = new Uint8Array([0, 1, 2, 254, 255, 0]);
    await sql`create table probe_columns (b ${sql.raw(dialect === "postgres" ? "bytea" : "blob")}, n ${sql.raw(dialect === "postgres" ? "bigint" : "integer")}, t text)`.execute(
      db,
    );
    await sql`insert into probe_columns values (${toBinary(bytes)}, ${2 ** 40 + 3}, ${toTimestamp(new Date(Date.UTC(2026, 10, 26, 1, 2, 3, 4)))})`.execute(
      db,
    );
    const { rows } = await sql<{
      b: Uint8Array;
      n: number;
      t: string;
    }>`select b, n, t from probe_columns`.execute(db);
    expect(new Uint8Array(rows[0]!.b)).toEqual(bytes);
    expect(rows[0]!.n).toBe(2 ** 40 + 3);
    expect(rows[0]!.t).toBe("2026-11-26T01:02:03.004Z");
  });

  it("commits everything a transaction wrote, or nothing when it throws", async () => {
    const { db } = getDb();
    await withTransaction(db, async (trx) => {
      await trx.insertInto("counters").values({ name: "committed", value: 1 }).execute();
      await trx.insertInto("node_settings").values({ name: "committed", value: "yes" }).execute();
    });
    await expect(
      withTransaction(db, async (trx) => {
        await trx.insertInto("counters").values({ name: "rolled-back", value: 1 }).execute();
        await trx.insertInto("node_settings").values({ name: "rolled-back", value: "no" }).execute();
        throw new Error("refused half-way");
      }),
    ).rejects.toThrow("refused half-way");
    const counters = await db.selectFrom("counters").select("name").execute();
    const settings = await db.selectFrom("node_settings").select("name").execute();
    expect(counters.map((r) => r.name)).toEqual(["committed"]);
    expect(settings.map((r) => r.name)).toEqual(["committed"]);
  });

  it("joins an open transaction instead of nesting a second one", async () => {
    const { db } = getDb();
    await expect(
      withTransaction(db, async (trx) => {
        await withTransaction(trx, async (inner) => {
          await inner.insertInto("counters").values({ name: "inner", value: 1 }).execute();
        });
        throw new Error("outer fails");
      }),
    ).rejects.toThrow("outer fails");
    expect(await db.selectFrom("counters").selectAll().where("name", "=", "inner").execute()).toEqual([]);
  });
});

describe("store durability [sqlite]", () => {
  it("runs in WAL with synchronous=FULL and foreign keys on", async () => {
    const dataDir = makeTempDir();
    const { db, close } = await openDatabase({ dataDir });
    try {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(db);
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(db);
      expect(mode.rows[0]?.journal_mode).toBe("wal");
      expect(sync.rows[0]?.synchronous).toBe(2);
      expect(fk.rows[0]?.foreign_keys).toBe(1);
    } finally {
      await close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.each([
    [{ synchronous: "NORMAL" }, /synchronous is “NORMAL”/],
    [{ synchronous: "OFF" }, /synchronous is “OFF”/],
    [{ journalMode: "DELETE" }, /journal_mode is “delete”/],
    [{ journalMode: "MEMORY" }, /journal_mode is “memory”/],
  ])("refuses to start with %o, naming the setting", async (sqlite, message) => {
    const dataDir = makeTempDir();
    try {
      await expect(openDatabase({ dataDir, sqlite })).rejects.toThrow(message);
      await expect(openDatabase({ dataDir, sqlite })).rejects.toMatchObject({ code: "STORE_SETTING_UNSAFE" });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("lets concurrent writer processes queue instead of failing (BEGIN IMMEDIATE)", async () => {
    const dataDir = makeTempDir();
    const { db, close } = await openDatabase({ dataDir });
    await db.insertInto("counters").values({ name: "shared", value: 0 }).execute();
    await close();
    try {
      const worker = new URL("../../test/support/sqlite-counter-worker.ts", import.meta.url).pathname;
      const args = ["--import", "tsx", worker, dataDir, "shared", "40"];
      await Promise.all([run(process.execPath, args), run(process.execPath, args)]);
      const reopened = await openDatabase({ dataDir });
      const row = await reopened.db
        .selectFrom("counters")
        .select("value")
        .where("name", "=", "shared")
        .executeTakeFirst();
      await reopened.close();
      expect(row?.value).toBe(80);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe("store durability [postgres]", () => {
  it("refuses a session with synchronous_commit=off, naming the setting", async () => {
    const url = new URL(testPostgresUrl());
    url.searchParams.set("options", "-c synchronous_commit=off");
    await expect(openDatabase({ url: url.toString(), migrate: false })).rejects.toThrow(
      /synchronous_commit is “off”/,
    );
  });

  it("serializes concurrent read-then-write transactions that lock the row", async () => {
    const { url, drop } = await createTestPostgresSchema();
    const { db, close } = await openDatabase({ url, maxConnections: 6 });
    try {
      await db.insertInto("counters").values({ name: "shared", value: 0 }).execute();
      await Promise.all(
        Array.from({ length: 30 }, () =>
          withTransaction(db, async (trx) => {
            const row = await trx
              .selectFrom("counters")
              .select("value")
              .where("name", "=", "shared")
              .forUpdate()
              .executeTakeFirstOrThrow();
            await trx
              .updateTable("counters")
              .set({ value: row.value + 1 })
              .where("name", "=", "shared")
              .execute();
          }),
        ),
      );
      const row = await db
        .selectFrom("counters")
        .select("value")
        .where("name", "=", "shared")
        .executeTakeFirst();
      expect(row?.value).toBe(30);
    } finally {
      await close();
      await drop();
    }
  });
});
