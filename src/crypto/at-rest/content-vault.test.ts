import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import {
  DIALECTS,
  makeTempDir,
  openTestDatabase,
  type TestDatabase,
} from "../../../test/support/databases.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import { withTransaction } from "../../store/transaction.ts";
import { openContentVault, openWrappedKeyWithStore } from "./content-vault.ts";
import { contentWrapKeyPath, ensureContentWrapKey, loadContentWrapKey } from "./wrap-key.ts";

const open: TestDatabase[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.cleanup();
});

/** Every file under `dir`, recursively. */
function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Which of the needles occur in any file under `dir` (byte search over whole files). */
function scanForNeedles(dir: string, needles: Record<string, Buffer>): string[] {
  const files = listFiles(dir).map((path) => readFileSync(path));
  return Object.entries(needles)
    .filter(([, needle]) => files.some((bytes) => bytes.indexOf(needle) >= 0))
    .map(([name]) => name);
}

async function setUp(dialect: (typeof DIALECTS)[number]) {
  const testDb = await openTestDatabase(dialect);
  open.push(testDb);
  // SQLite keeps its database in the data directory; with PostgreSQL the node's data directory
  // holds keys and blobs only.
  const dataDir = testDb.dataDir ?? makeTempDir();
  ensureContentWrapKey(dataDir, {});
  const vault = openContentVault({ dataDir, wrapKey: loadContentWrapKey(dataDir, {}), chunkSize: 4096 });
  return { db: testDb.opened.db, dataDir, vault };
}

async function expectCode(promise: Promise<unknown>, code: string) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isDomainError(error) ? error.code : error).toBe(code);
}

for (const dialect of DIALECTS) {
  describe(`carrier content encrypted at rest [${dialect}]`, () => {
    it("stores content under a per-carrier key and reads it back, streaming", async () => {
      const { db, vault } = await setUp(dialect);
      const plain = randomBytes(50_000);
      const stored = await withTransaction(db, (trx) =>
        vault.storeContent(trx, "carrier-a", Readable.from([plain.subarray(0, 7), plain.subarray(7)])),
      );
      expect(stored.sizeBytes).toBe(50_000);
      const { sizeBytes, stream } = await vault.readContent(db, "carrier-a");
      expect(sizeBytes).toBe(50_000);
      const parts: Buffer[] = [];
      for await (const chunk of stream) parts.push(chunk as Buffer);
      expect(Buffer.concat(parts)).toEqual(plain);
      await withTransaction(db, (trx) => vault.storeContent(trx, "carrier-b", plain));
      const keys = await db.selectFrom("content_keys").select("wrapped_key").execute();
      expect(Buffer.from(keys[0]!.wrapped_key).equals(Buffer.from(keys[1]!.wrapped_key))).toBe(false);
      await expectCode(
        withTransaction(db, (trx) => vault.storeContent(trx, "carrier-a", Buffer.from("again"))),
        "INPUT_INVALID",
      );
    });

    it("keeps no key when the storing transaction rolls back, and sweeps its orphan blob", async () => {
      const { db, vault } = await setUp(dialect);
      await expect(
        withTransaction(db, async (trx) => {
          await vault.storeContent(trx, "carrier-r", Buffer.from("rolled back"));
          throw new Error("registration refused later in the use case");
        }),
      ).rejects.toThrow("registration refused");
      await expectCode(vault.readContent(db, "carrier-r"), "CONTENT_NOT_FOUND");
      const [orphan] = readdirSync(vault.blobDir);
      expect(orphan).toBeDefined();
      expect(await vault.sweepOrphanBlobs(db, 60_000)).toEqual([]); // too young: may belong to a running transaction
      const old = new Date(Date.now() - 3_600_000);
      utimesSync(join(vault.blobDir, orphan!), old, old);
      expect(await vault.sweepOrphanBlobs(db, 60_000)).toEqual([orphan]);
      expect(readdirSync(vault.blobDir)).toEqual([]);
    });

    it("refuses a damaged blob (CONTENT_INTEGRITY_FAILED) and another node's wrapping key (CONTENT_KEY_UNAVAILABLE)", async () => {
      const { db, vault, dataDir } = await setUp(dialect);
      await withTransaction(db, (trx) => vault.storeContent(trx, "carrier-d", randomBytes(10_000)));
      const [blob] = readdirSync(vault.blobDir);
      const path = join(vault.blobDir, blob!);
      const bytes = readFileSync(path);
      bytes[bytes.length - 30]! ^= 0x40;
      writeFileSync(path, bytes);
      await expectCode(vault.readContentBytes(db, "carrier-d"), "CONTENT_INTEGRITY_FAILED");
      const otherDir = makeTempDir();
      ensureContentWrapKey(otherDir, {});
      const stranger = openContentVault({ dataDir: dataDir, wrapKey: loadContentWrapKey(otherDir, {}) });
      await expectCode(stranger.readContentBytes(db, "carrier-d"), "CONTENT_KEY_UNAVAILABLE");
      expect(statSync(contentWrapKeyPath(dataDir)).mode & 0o777).toBe(0o600);
    });

    it("A1.8: an erasure rolled back loses nothing, and purging then is refused", async () => {
      const { db, vault } = await setUp(dialect);
      await withTransaction(db, (trx) => vault.storeContent(trx, "carrier-k", Buffer.from("keep me")));
      let erased = null as Awaited<ReturnType<typeof vault.eraseContent>>;
      await expect(
        withTransaction(db, async (trx) => {
          erased = await vault.eraseContent(trx, "carrier-k");
          throw new DomainError("DESTRUCTION_NEEDS_PERMISSION", {});
        }),
      ).rejects.toThrow(DomainError);
      await expect(vault.purgeErasedContent(db, [erased!])).rejects.toThrow(/did not commit/);
      expect((await vault.readContentBytes(db, "carrier-k")).toString()).toBe("keep me");
    });

    it("A1.8: after destruction neither the key nor a known plaintext marker is anywhere under the data directory", async () => {
      const { db, vault, dataDir } = await setUp(dialect);
      const marker = Buffer.from(`KELISIM-MARKER-${randomBytes(8).toString("hex")}-Өте құпия`);
      const plain = Buffer.concat([randomBytes(20_000), marker, randomBytes(20_000)]);
      await withTransaction(db, (trx) => vault.storeContent(trx, "carrier-x", plain));
      // Other carriers' content stays, and churn makes SQLite move pages around.
      for (let i = 0; i < 5; i++)
        await withTransaction(db, (trx) => vault.storeContent(trx, `carrier-o${i}`, randomBytes(3000)));

      const row = await db
        .selectFrom("content_keys")
        .selectAll()
        .where("carrier_id", "=", "carrier-x")
        .executeTakeFirstOrThrow();
      const wrappedKey = Buffer.from(row.wrapped_key);
      const contentKey = openWrappedKeyWithStore(
        { dataDir, wrapKey: loadContentWrapKey(dataDir, {}) },
        "carrier-x",
        wrappedKey,
      )!;
      expect(contentKey).not.toBeNull();
      const blob = readFileSync(join(vault.blobDir, row.blob_name));
      const needles = {
        marker,
        wrappedKey,
        contentKey,
        contentKeyHex: Buffer.from(contentKey.toString("hex")),
        ciphertext: blob.subarray(20_000, 20_064),
      };

      // Before: the scan does find what is there (so it can fail): the wrapped key in the database
      // files (SQLite) and the ciphertext in the blob; never the plaintext marker or the bare key.
      const before = scanForNeedles(dataDir, needles);
      expect(before).toContain("ciphertext");
      if (dialect === "sqlite") expect(before).toContain("wrappedKey");
      expect(before).not.toContain("marker");
      expect(before).not.toContain("contentKey");
      expect((await vault.readContentBytes(db, "carrier-x")).indexOf(marker)).toBeGreaterThan(0);

      const erased = await withTransaction(db, (trx) => vault.eraseContent(trx, "carrier-x"));
      expect(erased).not.toBeNull();
      await vault.purgeErasedContent(db, [erased!]);

      expect(scanForNeedles(dataDir, needles)).toEqual([]);
      await expectCode(vault.readContent(db, "carrier-x"), "CONTENT_NOT_FOUND");
      expect(
        await db
          .selectFrom("content_keys")
          .select("carrier_id")
          .where("carrier_id", "=", "carrier-x")
          .execute(),
      ).toEqual([]);
      // The other carriers' content is untouched.
      expect((await vault.readContentBytes(db, "carrier-o3")).length).toBe(3000);
    });
  });
}
