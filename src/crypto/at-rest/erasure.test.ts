// A1.8, A6.6 (NIST SP 800-88r2 cryptographic erase): destruction does not depend on the database
// forgetting bytes. Stale copies of a destroyed carrier's wrapped key may stay in the SQLite WAL
// (a reader holds it), in PostgreSQL's heap and pg_wal; the tests grep for them and show that no key
// left anywhere (the key store opened with the node wrapping key) unwraps them, that the plaintext
// marker, the content key and the old bucket key are in no file, and that surviving carriers open.
// Then crash ordering: a failure at each step after the commit, a reopened node finishes by itself.
import { randomBytes } from "node:crypto";
import { accessSync, constants, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import {
  DIALECTS,
  makeTempDir,
  openTestDatabase,
  type TestDatabase,
  testPostgresUrl,
} from "../../../test/support/databases.ts";
import type { StoreDialect } from "../../store/columns.ts";
import { type OpenedDatabase, openDatabase, SQLITE_FILE_NAME } from "../../store/open-database.ts";
import { withTransaction } from "../../store/transaction.ts";
import { bucketKeyStorePath, readBucketKeys } from "./bucket-key-store.ts";
import {
  type ContentVault,
  type ContentVaultOptions,
  openContentVault,
  openWrappedKeyWithStore,
} from "./content-vault.ts";
import { ensureContentWrapKey, loadContentWrapKey, unwrapContentKey, wrapContentKey } from "./wrap-key.ts";

const open: TestDatabase[] = [];
const extra: OpenedDatabase[] = [];
afterEach(async () => {
  while (extra.length > 0) await extra.pop()!.close();
  while (open.length > 0) await open.pop()!.cleanup();
});

/** Every file under `dir`, recursively (unreadable entries skipped). */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const s = statSync(path);
    return s.isDirectory() ? listFiles(path) : s.isFile() ? [path] : [];
  });
}

/** For each needle, the files among `files` that contain it. */
function grep(files: readonly string[], needles: Record<string, Buffer>): Record<string, string[]> {
  const contents = files.filter(existsSync).map((path) => ({ path, bytes: readFileSync(path) }));
  const found: Record<string, string[]> = {};
  for (const [name, needle] of Object.entries(needles)) {
    const where = contents.filter((c) => c.bytes.indexOf(needle) >= 0).map((c) => c.path);
    if (where.length > 0) found[name] = where;
  }
  return found;
}

/** The PostgreSQL cluster's data directory, if this user may read it (root or the server's user). */
const pgDataDir: string | null = await (async () => {
  const client = new pg.Client({ connectionString: testPostgresUrl() });
  try {
    await client.connect();
    const { rows } = await client.query<{ d: string }>("select current_setting('data_directory') as d");
    const dir = rows[0]?.d ?? null;
    if (!dir) return null;
    accessSync(join(dir, "pg_wal"), constants.R_OK);
    readdirSync(join(dir, "pg_wal"));
    return dir;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
})();

type Setup = {
  testDb: TestDatabase;
  db: OpenedDatabase["db"];
  dataDir: string;
  vault: ContentVault;
  options: ContentVaultOptions;
};

async function setUp(dialect: StoreDialect, more: Partial<ContentVaultOptions> = {}): Promise<Setup> {
  const testDb = await openTestDatabase(dialect);
  open.push(testDb);
  const dataDir = testDb.dataDir ?? makeTempDir();
  ensureContentWrapKey(dataDir, {});
  const options = { dataDir, wrapKey: loadContentWrapKey(dataDir, {}), chunkSize: 4096, ...more };
  return { testDb, db: testDb.opened.db, dataDir, vault: openContentVault(options), options };
}

/** The same database opened again, as a restarted node would. */
async function reopen(dialect: StoreDialect, s: Setup): Promise<OpenedDatabase["db"]> {
  const opened =
    dialect === "sqlite"
      ? await openDatabase({ dataDir: s.dataDir })
      : await openDatabase({ url: testPostgresUrl(), schema: s.testDb.schema!, maxConnections: 2 });
  extra.push(opened);
  return opened.db;
}

async function storeMarked(s: Setup, ids: readonly string[]) {
  const markers = new Map<string, Buffer>();
  for (const id of ids) {
    const marker = Buffer.from(`KELISIM-MARKER-${id}-${randomBytes(8).toString("hex")}-Өте құпия`);
    markers.set(id, marker);
    const plain = Buffer.concat([randomBytes(9000), marker, randomBytes(9000)]);
    await withTransaction(s.db, (trx) => s.vault.storeContent(trx, id, plain));
  }
  return markers;
}

async function rowOf(db: Setup["db"], id: string) {
  return db.selectFrom("content_keys").selectAll().where("carrier_id", "=", id).executeTakeFirstOrThrow();
}

/** Who holds the node wrapping key and the key store now: what it unwraps of `wrapped`. */
function opensNow(s: Setup, id: string, wrapped: Uint8Array): Buffer | null {
  return openWrappedKeyWithStore({ dataDir: s.dataDir, wrapKey: s.options.wrapKey! }, id, wrapped);
}

function storeKeyIds(s: Setup): string[] {
  return [...readBucketKeys(bucketKeyStorePath(s.dataDir), s.options.wrapKey!).keys.keys()].sort();
}

async function liveKeyIds(db: Setup["db"]): Promise<string[]> {
  const ids = new Set<string>();
  for (const b of await db.selectFrom("content_key_buckets").select("key_id").execute()) ids.add(b.key_id);
  for (const r of await db.selectFrom("content_keys").select("wrap_key_id").execute()) ids.add(r.wrap_key_id);
  return [...ids].sort();
}

/** The PostgreSQL files that hold content_keys (heap, TOAST) and the cluster's WAL. */
async function serverFiles(db: Setup["db"]): Promise<string[]> {
  if (!pgDataDir) return [];
  await sql`checkpoint`.execute(db);
  const { rows } = await sql<{ heap: string; toast: string | null }>`
    select pg_relation_filepath('content_keys') as heap,
           (select pg_relation_filepath(reltoastrelid) from pg_class
             where oid = 'content_keys'::regclass and reltoastrelid <> 0) as toast`.execute(db);
  const rel = [rows[0]!.heap, rows[0]!.toast].filter((p): p is string => p !== null);
  const heapFiles = rel.flatMap((p) => {
    const base = join(pgDataDir, p);
    const dir = join(base, "..");
    const name = p.split("/").pop()!;
    return readdirSync(dir)
      .filter((f) => f === name || f.startsWith(`${name}.`) || f.startsWith(`${name}_`))
      .map((f) => join(dir, f));
  });
  return [...heapFiles, ...listFiles(join(pgDataDir, "pg_wal"))];
}

for (const dialect of DIALECTS) {
  const serverTitle =
    dialect === "sqlite"
      ? "the whole data directory (database, -wal, key store) while another connection reads the database"
      : pgDataDir
        ? "the data directory and the server's heap file of content_keys and pg_wal"
        : "the data directory (the server's files are not readable by this user: the old bucket key's absence from the key store is what is shown)";

  describe(`cryptographic erasure of carrier content [${dialect}]`, () => {
    it(`A1.8, A6.6: a destroyed carrier's marker, content key and old bucket key are in no file of ${serverTitle}; every stale wrapped copy opens nothing; the others still open`, async () => {
      const s = await setUp(dialect);
      const ids = ["carrier-x", "carrier-s1", "carrier-s2", "carrier-s3", "carrier-s4"];
      const markers = await storeMarked(s, ids);
      const victim = await rowOf(s.db, "carrier-x");
      const wrappedBefore = Buffer.from(victim.wrapped_key);
      const contentKey = opensNow(s, "carrier-x", wrappedBefore);
      expect(contentKey).not.toBeNull(); // the check below can fail: today it opens
      const store = readBucketKeys(bucketKeyStorePath(s.dataDir), s.options.wrapKey!);
      const oldBucketKey = store.keys.get(victim.wrap_key_id)!.key;
      const storeFileBefore = readFileSync(bucketKeyStorePath(s.dataDir));
      const survivorsBefore = new Map<string, Buffer>();
      for (const id of ids.slice(1))
        survivorsBefore.set(id, Buffer.from((await rowOf(s.db, id)).wrapped_key));
      // All five share one bucket (32 per bucket): the destruction re-wraps the four others.
      expect(
        new Set((await s.db.selectFrom("content_keys").select("bucket_id").execute()).map((r) => r.bucket_id))
          .size,
      ).toBe(1);

      const needles: Record<string, Buffer> = {
        marker: markers.get("carrier-x")!,
        contentKey: contentKey!,
        contentKeyHex: Buffer.from(contentKey!.toString("hex")),
        contentKeyBase64: Buffer.from(contentKey!.toString("base64")),
        oldBucketKey,
        oldBucketKeyBase64: Buffer.from(oldBucketKey.toString("base64")),
        oldKeyStoreVersion: storeFileBefore.subarray(40, 104),
        ciphertext: readFileSync(join(s.vault.blobDir, victim.blob_name)).subarray(9000, 9064),
        wrappedKey: wrappedBefore,
      };
      const scanned = async () => [
        ...listFiles(s.dataDir),
        ...(dialect === "postgres" ? await serverFiles(s.db) : []),
      ];
      const before = grep(await scanned(), needles);
      // The scan sees what is there: the blob's ciphertext, the key store, and the wrapped key in
      // the database files (SQLite file or WAL; PostgreSQL heap or WAL when readable).
      expect(Object.keys(before).sort()).toEqual(
        dialect === "sqlite" || pgDataDir
          ? ["ciphertext", "oldKeyStoreVersion", "wrappedKey"]
          : ["ciphertext", "oldKeyStoreVersion"],
      );

      // SQLite: another connection reads during the destruction, so the WAL cannot be truncated.
      let reader: BetterSqlite3.Database | null = null;
      if (dialect === "sqlite") {
        reader = new BetterSqlite3(join(s.dataDir, SQLITE_FILE_NAME), { readonly: true });
        reader.exec("begin");
        expect(reader.prepare("select count(*) as n from content_keys").get()).toEqual({ n: 5 });
      }
      try {
        const erased = await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, "carrier-x"));
        const report = await s.vault.purgeErasedContent(s.db, [erased!]);
        expect(report.committed).toBe(true);
        expect(report.pending).toEqual([]);
        expect(report.complete).toBe(true);
        if (dialect === "sqlite") {
          expect(report.residue.join("\n")).toMatch(
            /A1\.8: old database pages not purged \(the SQLite WAL could not be truncated: another connection reads it\): they hold only keys wrapped under bucket keys that are dropped, so they open nothing/,
          );
          // The reader's snapshot still has the destroyed row: its wrapped key opens nothing.
          const stale = reader!
            .prepare("select wrapped_key from content_keys where carrier_id = 'carrier-x'")
            .get() as {
            wrapped_key: Buffer;
          };
          expect(Buffer.from(stale.wrapped_key).equals(wrappedBefore)).toBe(true);
          expect(opensNow(s, "carrier-x", stale.wrapped_key)).toBeNull();
        } else expect(report.residue.join("\n")).toMatch(/dead row versions and pg_wal .* open nothing/);

        const after = grep(await scanned(), needles);
        // What may stay is the wrapped key alone (the WAL the reader holds; PostgreSQL's heap/pg_wal):
        expect(Object.keys(after).filter((k) => k !== "wrappedKey")).toEqual([]);
        if (dialect === "sqlite") expect(after.wrappedKey?.some((p) => p.endsWith("-wal"))).toBe(true);
        console.info(
          `[${dialect}] after destruction the stale wrapped key is in: ${JSON.stringify(after.wrappedKey ?? [])}`,
        );
        // …and no key the node holds opens it, nor the survivors' old wrapped forms.
        expect(opensNow(s, "carrier-x", wrappedBefore)).toBeNull();
        expect(storeKeyIds(s)).not.toContain(victim.wrap_key_id);
        for (const [id, old] of survivorsBefore) {
          expect(opensNow(s, id, old)).toBeNull();
          const now = await rowOf(s.db, id);
          expect(Buffer.from(now.wrapped_key).equals(old)).toBe(false);
          expect(now.wrap_key_id).not.toBe(victim.wrap_key_id);
        }
        // The key store holds exactly the keys the database names.
        expect(storeKeyIds(s)).toEqual(await liveKeyIds(s.db));
        // Survivors open, through this vault and a fresh one (another process).
        const fresh = openContentVault(s.options);
        for (const id of ids.slice(1)) {
          expect((await s.vault.readContentBytes(s.db, id)).indexOf(markers.get(id)!)).toBe(9000);
          expect((await fresh.readContentBytes(s.db, id)).indexOf(markers.get(id)!)).toBe(9000);
        }
        await expect(s.vault.readContent(s.db, "carrier-x")).rejects.toMatchObject({
          code: "CONTENT_NOT_FOUND",
        });
      } finally {
        reader?.exec("commit");
        reader?.close();
      }
      if (dialect === "sqlite") {
        // The reader gone, the next destruction's purge truncates the WAL: the wrapped key is gone too.
        const again = await s.vault.purgeErasedContent(s.db, []);
        expect(again.residue).toEqual([]);
        expect(grep(listFiles(s.dataDir), needles)).toEqual({});
      }
    });

    it("A1.8: a failure between the re-wrap's commit and the key-store replacement is reported (the old key still opens the stale copy), and a reopened node finishes the erasure by itself", async () => {
      const s = await setUp(dialect, {
        onErasureStep: (step) => {
          if (step === "rewrap-committed") throw new Error("simulated crash");
        },
      });
      const markers = await storeMarked(s, ["carrier-x", "carrier-s1", "carrier-s2"]);
      const victim = await rowOf(s.db, "carrier-x");
      const wrapped = Buffer.from(victim.wrapped_key);
      const erased = await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, "carrier-x"));
      const report = await s.vault.purgeErasedContent(s.db, [erased!]);
      expect(report.committed).toBe(true);
      expect(report.complete).toBe(false);
      expect(report.pending).toEqual([
        'A1.8: the erasure was interrupted after step "rewrap-committed"; it is finished later by itself',
      ]);
      // Honest state: the re-wrap committed, the old bucket key is still in the key store.
      expect(storeKeyIds(s)).toContain(victim.wrap_key_id);
      expect(opensNow(s, "carrier-x", wrapped)).not.toBeNull();
      expect((await s.vault.readContentBytes(s.db, "carrier-s1")).indexOf(markers.get("carrier-s1")!)).toBe(
        9000,
      );

      const db2 = await reopen(dialect, s);
      const restarted = openContentVault({ ...s.options, onErasureStep: undefined });
      expect(await restarted.finishPendingErasures(db2)).toEqual([]);
      expect(storeKeyIds(s)).not.toContain(victim.wrap_key_id);
      expect(opensNow(s, "carrier-x", wrapped)).toBeNull();
      expect(storeKeyIds(s)).toEqual(await liveKeyIds(db2));
      for (const id of ["carrier-s1", "carrier-s2"]) {
        expect((await restarted.readContentBytes(db2, id)).indexOf(markers.get(id)!)).toBe(9000);
        expect((await s.vault.readContentBytes(s.db, id)).indexOf(markers.get(id)!)).toBe(9000);
      }
      const flags = await db2
        .selectFrom("content_key_store")
        .select("drop_pending")
        .executeTakeFirstOrThrow();
      expect(flags.drop_pending).toBe(0);
    });

    it("A1.8: a crash inside the re-wrap transaction loses nothing (the key store keeps the old key), and a reopened node finishes the erasure", async () => {
      const s = await setUp(dialect, {
        onErasureStep: (step) => {
          if (step === "rewrapped") throw new Error("simulated crash");
        },
      });
      const markers = await storeMarked(s, ["carrier-x", "carrier-s1", "carrier-s2"]);
      const victim = await rowOf(s.db, "carrier-x");
      const wrapped = Buffer.from(victim.wrapped_key);
      const erased = await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, "carrier-x"));
      const report = await s.vault.purgeErasedContent(s.db, [erased!]);
      expect(report.complete).toBe(false);
      expect(report.pending).toEqual([
        'A1.8: the erasure was interrupted after step "rewrapped"; it is finished later by itself',
      ]);
      // Rolled back: the survivors are still under the old key, which is still there.
      expect((await rowOf(s.db, "carrier-s1")).wrap_key_id).toBe(victim.wrap_key_id);
      expect((await s.vault.readContentBytes(s.db, "carrier-s2")).indexOf(markers.get("carrier-s2")!)).toBe(
        9000,
      );
      expect(opensNow(s, "carrier-x", wrapped)).not.toBeNull();

      const db2 = await reopen(dialect, s);
      const restarted = openContentVault({ ...s.options, onErasureStep: undefined });
      expect(await restarted.finishPendingErasures(db2)).toEqual([]);
      expect(opensNow(s, "carrier-x", wrapped)).toBeNull();
      // The key the interrupted transaction had added is dropped too: only the live ones remain.
      expect(storeKeyIds(s)).toEqual(await liveKeyIds(db2));
      for (const id of ["carrier-s1", "carrier-s2"])
        expect((await restarted.readContentBytes(db2, id)).indexOf(markers.get(id)!)).toBe(9000);
    });

    it("A1.8: a crash right after the destroying transaction committed (nothing purged): a reopened node replaces the bucket key and shreds the orphan blob", async () => {
      const s = await setUp(dialect);
      const markers = await storeMarked(s, ["carrier-x", "carrier-s1"]);
      const victim = await rowOf(s.db, "carrier-x");
      const wrapped = Buffer.from(victim.wrapped_key);
      await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, "carrier-x"));
      expect(opensNow(s, "carrier-x", wrapped)).not.toBeNull(); // pending, not yet erased

      const db2 = await reopen(dialect, s);
      const restarted = openContentVault(s.options);
      expect(await restarted.finishPendingErasures(db2)).toEqual([]);
      expect(opensNow(s, "carrier-x", wrapped)).toBeNull();
      expect(await restarted.sweepOrphanBlobs(db2, 0, new Date(Date.now() + 1000))).toEqual([
        victim.blob_name,
      ]);
      expect(grep(listFiles(s.dataDir), { marker: markers.get("carrier-x")! })).toEqual({});
      expect((await restarted.readContentBytes(db2, "carrier-s1")).indexOf(markers.get("carrier-s1")!)).toBe(
        9000,
      );
    });

    it("A1.8: keys stored before content-key buckets (wrapped by the node key, migration 0013) still open and are re-wrapped into a bucket by the next erasure step", async () => {
      const s = await setUp(dialect);
      const markers = await storeMarked(s, ["carrier-old1", "carrier-old2", "carrier-new"]);
      // Turn two rows into the pre-0013 form: wrapped by the node key, no bucket.
      for (const id of ["carrier-old1", "carrier-old2"]) {
        const row = await rowOf(s.db, id);
        const key = opensNow(s, id, row.wrapped_key)!;
        await s.db
          .updateTable("content_keys")
          .set({
            wrapped_key: wrapContentKey(s.options.wrapKey!, id, key),
            wrap_key_id: s.options.wrapKey!.id,
            bucket_id: null,
          })
          .where("carrier_id", "=", id)
          .execute();
      }
      expect(
        (await s.vault.readContentBytes(s.db, "carrier-old1")).indexOf(markers.get("carrier-old1")!),
      ).toBe(9000);
      expect(await s.vault.finishPendingErasures(s.db)).toEqual([]);
      for (const id of ["carrier-old1", "carrier-old2"]) {
        const row = await rowOf(s.db, id);
        expect(row.bucket_id).not.toBeNull();
        expect(() => unwrapContentKey(s.options.wrapKey!, id, row.wrapped_key)).toThrow();
        expect((await s.vault.readContentBytes(s.db, id)).indexOf(markers.get(id)!)).toBe(9000);
      }
      expect((await s.vault.readContentBytes(s.db, "carrier-new")).indexOf(markers.get("carrier-new")!)).toBe(
        9000,
      );
    });

    it("A1.8: stores, reads and destructions running at once through two vaults (two processes) lose no surviving key and leave only live keys in the key store", async () => {
      const s = await setUp(dialect, { bucketSize: 4 });
      const other = openContentVault(s.options);
      const first = await storeMarked(s, ["d0", "d1", "d2", "d3", "d4", "d5"]);
      const stored = new Map(first);
      const work: Promise<unknown>[] = [];
      for (let i = 0; i < 12; i++) {
        const id = `n${i}`;
        const vault = i % 2 === 0 ? s.vault : other;
        const marker = Buffer.from(`KELISIM-MARKER-${id}-${randomBytes(6).toString("hex")}`);
        stored.set(id, marker);
        work.push(
          withTransaction(s.db, (trx) =>
            vault.storeContent(trx, id, Buffer.concat([randomBytes(9000), marker])),
          ),
        );
      }
      for (const id of ["d0", "d2", "d4"]) {
        const vault = id === "d2" ? other : s.vault;
        work.push(
          withTransaction(s.db, (trx) => vault.eraseContent(trx, id)).then((erased) =>
            vault.purgeErasedContent(s.db, [erased!]),
          ),
        );
        stored.delete(id);
      }
      for (const id of ["d1", "d3"]) work.push(other.readContentBytes(s.db, id));
      const results = await Promise.all(work);
      for (const r of results)
        if (r && typeof r === "object" && "complete" in r)
          expect(r).toMatchObject({ complete: true, pending: [] });
      expect(await s.vault.finishPendingErasures(s.db)).toEqual([]);
      for (const [id, marker] of stored) {
        expect((await s.vault.readContentBytes(s.db, id)).indexOf(marker)).toBe(9000);
        expect((await other.readContentBytes(s.db, id)).indexOf(marker)).toBe(9000);
      }
      expect(storeKeyIds(s)).toEqual(await liveKeyIds(s.db));
      expect(
        await s.db.selectFrom("content_key_buckets").select("id").where("erasure_pending", "=", 1).execute(),
      ).toEqual([]);
    });

    it("A1.8: a bucket holds at most bucketSize carriers, and a destruction re-wraps only its own bucket", async () => {
      const s = await setUp(dialect, { bucketSize: 2 });
      await storeMarked(s, ["c1", "c2", "c3", "c4", "c5"]);
      const rows = await s.db
        .selectFrom("content_keys")
        .select(["carrier_id", "bucket_id", "wrap_key_id"])
        .orderBy("stored_at")
        .execute();
      const buckets = new Map<string, number>();
      for (const r of rows) buckets.set(r.bucket_id!, (buckets.get(r.bucket_id!) ?? 0) + 1);
      expect([...buckets.values()].sort()).toEqual([1, 2, 2]);
      const c1 = rows.find((r) => r.carrier_id === "c1")!;
      const before = new Map(rows.map((r) => [r.carrier_id, r.wrap_key_id]));
      const erased = await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, "c1"));
      expect((await s.vault.purgeErasedContent(s.db, [erased!])).complete).toBe(true);
      const afterRows = await s.db
        .selectFrom("content_keys")
        .select(["carrier_id", "bucket_id", "wrap_key_id"])
        .execute();
      for (const r of afterRows) {
        if (r.bucket_id === c1.bucket_id) expect(r.wrap_key_id).not.toBe(before.get(r.carrier_id));
        else expect(r.wrap_key_id).toBe(before.get(r.carrier_id));
      }
      // Emptying a full bucket ends it: no bucket row, no key left for it.
      const mate = afterRows.find((r) => r.bucket_id === c1.bucket_id)!;
      const erased2 = await withTransaction(s.db, (trx) => s.vault.eraseContent(trx, mate.carrier_id));
      expect((await s.vault.purgeErasedContent(s.db, [erased2!])).complete).toBe(true);
      expect(
        await s.db.selectFrom("content_key_buckets").select("id").where("id", "=", c1.bucket_id!).execute(),
      ).toEqual([]);
      expect(storeKeyIds(s)).toEqual(await liveKeyIds(s.db));
      expect(storeKeyIds(s)).toHaveLength(2);
    });
  });
}
