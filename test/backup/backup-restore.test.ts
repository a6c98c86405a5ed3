// A1.8, A4.1.1, A6.2: `kelisim backup` / `kelisim restore` on SQLite and PostgreSQL. A backup is taken
// while another connection reads the database; a carrier is destroyed after it; the restore puts the
// backup back and destroys that carrier again (its content opens with no key anywhere), the others
// open with their original bytes, and `audit verify` accepts the restored node, reporting the restore
// and the entries it lost. A backup with one byte flipped, or opened with another key, is refused
// with a catalogue error and changes nothing.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signNodeAuditCheckpoint, verifyNodeAuditLog } from "../../src/app/audit/log-operations.ts";
import { extractBackup } from "../../src/app/backup/archive.ts";
import { backupNode } from "../../src/app/backup/backup-node.ts";
import { destructionLogPath, readDestructions } from "../../src/app/backup/destruction-log.ts";
import { restoreNode } from "../../src/app/backup/restore-node.ts";
import { formatRestoreExtension } from "../../src/app/backup/restore-record.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { signCheckpoint } from "../../src/audit/checkpoint.ts";
import { auditLogOrigin, readAuditHead } from "../../src/audit/log.ts";
import { generateNoteSigner } from "../../src/audit/signed-note.ts";
import { auditKeyName } from "../../src/audit/signing-key.ts";
import { appendAuditWitness } from "../../src/audit/witness-file.ts";
import { openContentVault, openWrappedKeyWithStore } from "../../src/crypto/at-rest/content-vault.ts";
import { loadContentWrapKey } from "../../src/crypto/at-rest/wrap-key.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { type OpenNode, openNode } from "../../src/node/open-node.ts";
import { SQLITE_FILE_NAME } from "../../src/store/open-database.ts";
import { seedRegistry } from "../registry/registry-fixture.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS, makeTempDir } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";

const run = promisify(execFile);
const KEY = randomBytes(32).toString("base64");
/** The witness file and destruction log are the default ones, in the data directory. */
const ENV: NodeJS.ProcessEnv = { KELISIM_BACKUP_KEY: KEY };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
  return "no error";
}

for (const dialect of DIALECTS) {
  describe(`backup and restore [${dialect}]`, () => {
    let test: TestNode;
    let node: OpenNode;
    const outDir = makeTempDir("kelisim-backups-");
    const backupFile = join(outDir, "node.kbk");
    const ids: Record<string, string> = {};
    const bytes: Record<string, Buffer> = {};
    let destroyedWrapped: Buffer;
    let backupAuditSize = 0;
    let sizeBeforeRestore = 0;

    beforeAll(async () => {
      test = await createTestNode(dialect);
      node = test.node;
      await seedRegistry(test.ctx);
    });
    afterAll(async () => {
      await test?.cleanup();
      rmSync(outDir, { recursive: true, force: true });
    });

    const register = async (title: string) => {
      const content = Buffer.concat([Buffer.from(`MARKER ${title} `), randomBytes(150_000)]);
      const carrier = await registerCarrier(test.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title,
        level: "secret",
        contract: "C-1",
        content,
      });
      ids[title] = carrier.id;
      bytes[title] = content;
    };
    const wrappedOf = async (db: OpenNode["db"], id: string) =>
      Buffer.from(
        (
          await db
            .selectFrom("content_keys")
            .select("wrapped_key")
            .where("carrier_id", "=", id)
            .executeTakeFirstOrThrow()
        ).wrapped_key,
      );

    it("A1.8, A4.1.1: takes an online encrypted backup while another connection reads the database; it holds neither the node wrapping key nor the audit signing key", async () => {
      for (const title of ["kept one", "destroyed later", "kept two"]) await register(title);
      await signNodeAuditCheckpoint(node, new Date(), { env: ENV });
      let reader: BetterSqlite3.Database | null = null;
      if (dialect === "sqlite") {
        reader = new BetterSqlite3(join(test.location.dataDir, SQLITE_FILE_NAME), { readonly: true });
        reader.exec("begin");
        reader.prepare("select count(*) from content_keys").get();
      }
      let result: Awaited<ReturnType<typeof backupNode>>;
      try {
        result = await backupNode({ location: test.location, out: backupFile, env: ENV });
      } finally {
        reader?.exec("commit");
        reader?.close();
      }
      backupAuditSize = result.manifest.audit.size;
      expect(result.manifest).toMatchObject({
        format: 1,
        nodeId: node.config.nodeId,
        dialect,
        missingBlobs: [],
      });
      const names = result.manifest.parts.map((p) => p.name);
      expect(names).toContain("keys/content-buckets.keys");
      expect(names).toContain("node.json");
      expect(names.filter((n) => n.startsWith("blobs/"))).toHaveLength(3);
      expect(names.some((n) => n.includes("node-wrap") || n.includes("audit-signing.key"))).toBe(false);
      // The backup is encrypted: none of the content's plaintext markers is in the file.
      expect(readFileSync(backupFile).includes(Buffer.from("MARKER"))).toBe(false);
      // The audit log records the backup (after the copy: the copy's log is one entry shorter).
      const last = await node.db
        .selectFrom("audit_entries")
        .select("event_type")
        .orderBy("idx", "desc")
        .limit(1)
        .executeTakeFirstOrThrow();
      expect(last.event_type).toBe("node.backed-up");
      expect((await readAuditHead(node.db)).size).toBe(backupAuditSize + 1);
    });

    it("A1.8: a destruction after the backup is appended to the destruction log outside the database", async () => {
      destroyedWrapped = await wrappedOf(node.db, ids["destroyed later"]!);
      const flows = createFlowContext(test.ctx);
      try {
        const done = await destroyCarrier(flows, { actor: "reg", carrier: ids["destroyed later"]! });
        expect(done.erasure.complete).toBe(true);
      } finally {
        flows.exchange.close();
      }
      await register("after the backup");
      await signNodeAuditCheckpoint(node, new Date(), { env: ENV });
      sizeBeforeRestore = (await readAuditHead(node.db)).size;
      const logged = readDestructions(destructionLogPath(test.location.dataDir, ENV));
      expect(logged.map((d) => d.carrier)).toEqual([ids["destroyed later"]]);
    });

    it("A1.8, A4.1.1: a backup with one byte flipped, or opened with another key, or without a key, is refused with a catalogue error and nothing changes", async () => {
      await node.close();
      const tampered = join(outDir, "tampered.kbk");
      const file = readFileSync(backupFile);
      file[Math.floor(file.length / 2)]! ^= 0x01;
      writeFileSync(tampered, file);
      expect(await codeOf(restoreNode({ location: test.location, file: tampered, env: ENV }))).toBe(
        "BACKUP_INTEGRITY_FAILED",
      );
      const otherKey = { KELISIM_BACKUP_KEY: randomBytes(32).toString("base64") };
      expect(await codeOf(restoreNode({ location: test.location, file: backupFile, env: otherKey }))).toBe(
        "BACKUP_INTEGRITY_FAILED",
      );
      expect(await codeOf(restoreNode({ location: test.location, file: backupFile, env: {} }))).toBe(
        "BACKUP_KEY_MISSING",
      );
      const keyInside = join(test.location.dataDir, "backup.key");
      writeFileSync(keyInside, KEY);
      expect(
        await codeOf(backupNode({ location: test.location, out: tampered, keyFile: keyInside, env: {} })),
      ).toBe("BACKUP_KEY_MISSING");
      rmSync(keyInside);
      // Nothing changed: the node still holds the carrier registered after the backup, no staging left.
      node = await openNode(test.location);
      expect((await readAuditHead(node.db)).size).toBe(sizeBeforeRestore);
      expect(readdirSync(test.location.dataDir).filter((n) => n.startsWith(".restore-"))).toEqual([]);
    });

    it("A1.8: the restore puts the backup back and destroys again the carrier destroyed after it: its content opens with no key; the others open with their original bytes", async () => {
      await node.close();
      const result = await restoreNode({ location: test.location, file: backupFile, env: ENV });
      expect(result.reapplied.map((r) => r.carrier)).toEqual([ids["destroyed later"]]);
      expect(result.auditSize).toBe(backupAuditSize);
      expect(result.lostEntries).toEqual({ from: backupAuditSize, to: sizeBeforeRestore });
      expect(result.witness).toMatchObject({ recorded: true, problem: null });
      expect(result.checkpoint.problem).toBeNull();
      expect(result.erasure).toMatchObject({ complete: true, pending: [] });

      node = await openNode(test.location);
      const destroyed = await node.db
        .selectFrom("carriers")
        .select(["state", "has_content"])
        .where("id", "=", ids["destroyed later"]!)
        .executeTakeFirstOrThrow();
      expect(destroyed).toMatchObject({ state: "destroyed", has_content: 0 });
      const vault = openContentVault({ dataDir: test.location.dataDir });
      expect(await codeOf(vault.readContentBytes(node.db, ids["destroyed later"]!))).toBe(
        "CONTENT_NOT_FOUND",
      );
      // The wrapped key the backup's database holds for it opens with no key of the restored key store.
      const wrapKey = loadContentWrapKey(test.location.dataDir);
      expect(
        openWrappedKeyWithStore(
          { dataDir: test.location.dataDir, wrapKey },
          ids["destroyed later"]!,
          destroyedWrapped,
        ),
      ).toBeNull();
      for (const title of ["kept one", "kept two"]) {
        expect((await vault.readContentBytes(node.db, ids[title]!)).equals(bytes[title]!)).toBe(true);
      }
      // The carrier registered after the backup is not in the restored registry.
      const later = await node.db
        .selectFrom("carriers")
        .select("id")
        .where("id", "=", ids["after the backup"]!)
        .executeTakeFirst();
      expect(later).toBeUndefined();
      const restored = await node.db
        .selectFrom("audit_entries")
        .select("event_type")
        .where("event_type", "in", ["node.restored", "carrier.destroyed"])
        .orderBy("idx")
        .execute();
      expect(restored.map((e) => e.event_type).slice(-2)).toEqual(["carrier.destroyed", "node.restored"]);
    });

    it("A4.1.1, A6.2: audit verify accepts the restored node and reports the restore and the lost entries, through the use case and the CLI", async () => {
      const verified = await verifyNodeAuditLog(node, { env: ENV });
      expect(verified.ok).toBe(true);
      const file = verified.witnesses.find((w) => w.kind === "file")!;
      expect(file.restores).toHaveLength(1);
      expect(file.restores![0]).toMatchObject({
        size: backupAuditSize,
        lost: { from: backupAuditSize, to: sizeBeforeRestore },
      });
      expect(file.restores![0]!.lostCheckpoints).toContain(sizeBeforeRestore);
      await node.close();
      const env = {
        ...process.env,
        DATABASE_URL: test.databaseUrl ?? "",
        KELISIM_DATA: "",
        KELISIM_AUDIT_WITNESS: "",
      };
      const { stdout, stderr } = await run(
        process.execPath,
        [KELISIM_BIN, "audit", "verify", "--data", test.location.dataDir],
        { env },
      );
      expect(`${stdout}${stderr}`).toMatch(
        new RegExp(
          `restored from backup [0-9a-f]+ .*entries ${backupAuditSize}\\.\\.${sizeBeforeRestore} of the previous log are lost`,
        ),
      );
      node = await openNode(test.location);
      // A signed checkpoint extends the restored log again.
      await signNodeAuditCheckpoint(node, new Date(), { env: ENV });
      expect((await verifyNodeAuditLog(node, { env: ENV })).ok).toBe(true);
      expect(existsSync(join(test.location.dataDir, "destructions.log"))).toBe(true);
    });

    it("A4.1.1, A6.2: a restore record not signed by the node's audit key does not excuse a cut: the witness file is refused", async () => {
      const witnessPath = join(test.location.dataDir, "audit-witness.log");
      const before = readFileSync(witnessPath);
      const ids = { party: node.config.party, nodeId: node.config.nodeId };
      const head = await readAuditHead(node.db);
      const forged = signCheckpoint(
        {
          origin: auditLogOrigin(ids),
          size: head.size,
          root: head.root,
          extensions: [
            formatRestoreExtension({
              at: new Date().toISOString(),
              backup: "forged",
              lost: { from: 0, to: 1 },
            }),
          ],
        },
        [generateNoteSigner(auditKeyName(ids))],
      );
      appendAuditWitness(witnessPath, forged);
      try {
        const verified = await verifyNodeAuditLog(node, { env: ENV });
        expect(verified.ok).toBe(false);
        if (!verified.ok) expect(verified.error.code).toBe("AUDIT_WITNESS_INVALID");
      } finally {
        writeFileSync(witnessPath, before);
      }
    });

    it("A1.8, A4.1.1: the backup file opens with its key only, part by part as the manifest states", async () => {
      const dir = makeTempDir();
      try {
        const { manifest } = await extractBackup(backupFile, Buffer.from(KEY, "base64"), dir);
        expect(manifest.parts.length).toBeGreaterThan(3);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
