/**
 * `kelisim restore` (A1.8, A4.1.1, A6.2): puts a node back from a backup of `kelisim backup`, the
 * node stopped. In order, nothing changed until the backup has checked out whole:
 *
 * 1. decrypts the backup into a staging directory of the data directory, every chunk authenticated
 *    and every part checked against the manifest's SHA-256 (BACKUP_INTEGRITY_FAILED otherwise);
 *    checks that it is this data directory's node and that the node wrapping key opens the
 *    backup's key store;
 * 2. reads what lives outside the database and the backup: the destruction log
 *    (destruction-log.ts) and the audit witness file;
 * 3. puts back the database (SQLite file; PostgreSQL: the node's schema dropped and `pg_restore`d),
 *    the blobs, the backup's key store — the current one may have dropped keys that wrap carriers
 *    of the backup, the backup's holds them all — `pki/`, `exchange/` (files of the backup replace
 *    theirs; newer files are kept) and `node.json`;
 * 4. appends to the witness file a restore record (restore-record.ts): a checkpoint of the restored
 *    log signed with the node's audit key, stating the backup and the entries of the previous log
 *    that are lost, and keeps it in `audit_checkpoints` too;
 * 5. destroys again every carrier of the destruction log that the restored database holds as not
 *    destroyed (A1.8): in one transaction per carrier its state becomes destroyed and its key row is
 *    deleted (`eraseContent`, the destruction's own erasure step), with a `carrier.destroyed` entry;
 *    then `purgeErasedContent` shreds the blobs, re-wraps the buckets' survivors under fresh bucket
 *    keys and drops the old keys (and every key of the backup's store no row names any more);
 * 6. records `node.restored` (the backup, the lost entries, the destructions re-applied) and signs a
 *    checkpoint (witnessed), so `kelisim audit verify` holds and reports the restore.
 *
 * Residual limit: the backup file itself, until deleted, holds bucket keys that open carriers
 * destroyed after it was taken (with the node wrapping key). A crash during step 3 leaves a mixed
 * directory: run the same restore again.
 */

import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { signCheckpoint } from "../../audit/checkpoint.ts";
import { auditLogOrigin, readAuditHead } from "../../audit/log.ts";
import { loadAuditSigner } from "../../audit/signing-key.ts";
import { appendAuditWitness, auditWitnessPath, readAuditWitness } from "../../audit/witness-file.ts";
import {
  bucketKeyStorePath,
  readBucketKeys,
  shredFile,
  syncDirectory,
} from "../../crypto/at-rest/bucket-key-store.ts";
import {
  blobDirectory,
  type ErasedContent,
  type ErasureReport,
  openContentVault,
} from "../../crypto/at-rest/content-vault.ts";
import { loadContentWrapKey } from "../../crypto/at-rest/wrap-key.ts";
import { DomainError } from "../../domain/errors.ts";
import { NODE_CONFIG_FILE, readNodeConfig } from "../../node/node-config.ts";
import { type NodeLocation, openNode } from "../../node/open-node.ts";
import { toTimestamp } from "../../store/columns.ts";
import { SQLITE_FILE_NAME } from "../../store/open-database.ts";
import { withTransaction } from "../../store/transaction.ts";
import { signNodeAuditCheckpoint } from "../audit/log-operations.ts";
import { recordAudit } from "../record-audit.ts";
import { type BackupManifest, extractBackup, loadBackupKey } from "./archive.ts";
import { COPIED_DIRECTORIES, PART, postgresProgram, postgresToolConnection } from "./backup-node.ts";
import { DestructionLogError, destructionLogPath, readDestructions } from "./destruction-log.ts";
import { formatRestoreExtension } from "./restore-record.ts";

const run = promisify(execFile);

export type RestoreNodeInput = {
  readonly location: NodeLocation;
  /** The backup file. */
  readonly file: string;
  /** A file holding the backup key; default: KELISIM_BACKUP_KEY of `env`. */
  readonly keyFile?: string | undefined;
  readonly now?: () => Date;
  readonly env?: NodeJS.ProcessEnv;
};

/** A destruction of the destruction log applied again to the restored database (A1.8). */
export type ReappliedDestruction = {
  readonly carrier: string;
  readonly registrationNumber: string;
  readonly copyNumber: number;
  readonly destroyedAt: string;
};

export type RestoreNodeResult = {
  readonly nodeId: string;
  readonly backup: string;
  readonly sha256: string;
  readonly takenAt: string;
  readonly dialect: "sqlite" | "postgres";
  /** The audit log as restored: the backup's size. */
  readonly auditSize: number;
  /** Entries `[from, to)` of the previous log that the restore lost (to = from: none known). */
  readonly lostEntries: { readonly from: number; readonly to: number };
  readonly reapplied: readonly ReappliedDestruction[];
  /** Carriers of the destruction log the backup holds as destroyed already. */
  readonly alreadyDestroyed: number;
  /** Carriers of the destruction log the backup does not hold (registered after it). */
  readonly notInBackup: number;
  readonly destructionLog: string;
  readonly witness: { readonly path: string; readonly recorded: boolean; readonly problem: string | null };
  /** The checkpoint signed after the restore (its size), or null with the reason. */
  readonly checkpoint: { readonly size: number | null; readonly problem: string | null };
  readonly erasure: ErasureReport;
};

function failed(problem: string): DomainError {
  return new DomainError("BACKUP_FAILED", { problem });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Replaces `target` by `source` atomically (rename in the same directory); the old file is shredded. */
async function replaceFile(source: string, target: string, shredOld: boolean): Promise<void> {
  mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
  const tmp = `${target}.restore-tmp`;
  rmSync(tmp, { force: true });
  copyFileSync(source, tmp);
  const prev = `${target}.restore-prev`;
  const hadOld = shredOld && existsSync(target);
  if (hadOld) {
    rmSync(prev, { force: true });
    renameSync(target, prev);
  }
  renameSync(tmp, target);
  await syncDirectory(dirname(target));
  if (hadOld) await shredFile(prev);
}

/** The largest size any checkpoint of the witness file states (0 when none or unreadable). */
function witnessedMaxSize(path: string): number {
  try {
    let max = 0;
    for (const { note } of readAuditWitness(path).notes) {
      const size = Number(note.split("\n")[1]);
      if (Number.isSafeInteger(size) && size > max) max = size;
    }
    return max;
  } catch {
    return 0;
  }
}

async function pgQuery(url: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

async function installPostgres(url: string, manifest: BackupManifest, dump: string, env: NodeJS.ProcessEnv) {
  const pgRestore = postgresProgram("pg_restore", env);
  const schema = manifest.schema ?? "public";
  const current = String((await pgQuery(url, "select current_schema() as s")).rows[0]?.s ?? "");
  if (current !== schema)
    throw new DomainError("INPUT_INVALID", {
      field: "DATABASE_URL",
      problem: `the backup is of schema ${schema}, DATABASE_URL selects ${current || "none"}`,
    });
  const quoted = `"${schema.replaceAll('"', '""')}"`;
  // Only the node's own schema: its tables as the backup has them, nothing newer left over.
  await pgQuery(
    url,
    `drop schema if exists ${quoted} cascade${schema === "public" ? "; create schema public" : ""}`,
  );
  const tool = postgresToolConnection(url, env);
  try {
    await run(
      pgRestore,
      [
        `--dbname=${tool.url}`,
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        dump,
      ],
      { env: tool.env, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    throw failed(`pg_restore failed (run the same restore again): ${stderr.trim()}`);
  }
}

/** Restores a node from a backup (see the top of this file). */
export async function restoreNode(input: RestoreNodeInput): Promise<RestoreNodeResult> {
  const env = input.env ?? process.env;
  const now = input.now ?? (() => new Date());
  const { location } = input;
  const dataDir = location.dataDir;
  const key = loadBackupKey({ keyFile: input.keyFile, dataDir, env });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(join(dataDir, ".restore-"));
  try {
    // 1. Nothing is touched until the whole backup checked out.
    const { manifest, sha256 } = await extractBackup(input.file, key, staging);
    const staged = (part: string) => join(staging, part);
    if (manifest.dialect === "postgres" && !location.databaseUrl)
      throw new DomainError("INPUT_INVALID", {
        field: "DATABASE_URL",
        problem: "the backup is of a PostgreSQL node: set DATABASE_URL to its database",
      });
    if (manifest.dialect === "sqlite" && location.databaseUrl)
      throw new DomainError("INPUT_INVALID", {
        field: "DATABASE_URL",
        problem: "the backup is of a SQLite node: unset DATABASE_URL",
      });
    if (existsSync(join(dataDir, NODE_CONFIG_FILE))) {
      const here = readNodeConfig(dataDir).nodeId;
      if (here !== manifest.nodeId)
        throw new DomainError("INPUT_INVALID", {
          field: "data",
          problem: `the backup is of node ${manifest.nodeId}, the data directory is node ${here}'s`,
        });
    }
    if (existsSync(staged(PART.keyStore)))
      readBucketKeys(staged(PART.keyStore), loadContentWrapKey(dataDir, env));

    // 2. What lives outside the database and the backup.
    const logPath = destructionLogPath(dataDir, env);
    let destructions: ReturnType<typeof readDestructions>;
    try {
      destructions = readDestructions(logPath);
    } catch (error) {
      if (error instanceof DestructionLogError)
        throw failed(
          `the destruction log cannot be read (${error.message}): restoring now could bring destroyed carriers back`,
        );
      throw error;
    }
    const witnessPath = auditWitnessPath(dataDir, env);
    let previousSize = witnessedMaxSize(witnessPath);
    try {
      const current = await openNode(location);
      try {
        previousSize = Math.max(previousSize, (await readAuditHead(current.db)).size);
      } finally {
        await current.close();
      }
    } catch {
      // no current database, or a broken one: the witness file says what is known
    }

    // 3. Put the parts back.
    await replaceFile(staged(PART.nodeConfig), join(dataDir, NODE_CONFIG_FILE), false);
    if (existsSync(staged(PART.auditPub)))
      await replaceFile(staged(PART.auditPub), join(dataDir, PART.auditPub), false);
    if (existsSync(staged(PART.keyStore)))
      await replaceFile(staged(PART.keyStore), bucketKeyStorePath(dataDir), true);
    for (const dir of COPIED_DIRECTORIES) {
      const walk = (rel: string): string[] =>
        readdirSync(join(staging, rel), { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? walk(`${rel}/${e.name}`) : [`${rel}/${e.name}`],
        );
      if (existsSync(staged(dir)))
        for (const rel of walk(dir)) await replaceFile(staged(rel), join(dataDir, rel), false);
    }
    const blobDir = blobDirectory(dataDir);
    mkdirSync(blobDir, { recursive: true, mode: 0o700 });
    if (existsSync(staged("blobs")))
      for (const name of readdirSync(staged("blobs")))
        renameSync(join(staged("blobs"), name), join(blobDir, name));
    await syncDirectory(blobDir);
    if (manifest.dialect === "sqlite") {
      const target = join(dataDir, SQLITE_FILE_NAME);
      for (const side of ["-wal", "-shm", "-journal"]) await shredFile(`${target}${side}`);
      renameSync(staged(PART.sqlite), target);
      await syncDirectory(dataDir);
    } else {
      await installPostgres(location.databaseUrl!, manifest, staged(PART.pgDump), env);
    }

    // 4–6 on the restored node.
    const node = await openNode(location);
    try {
      const ids = { party: node.config.party, nodeId: node.config.nodeId };
      const head = await readAuditHead(node.db);
      if (head.size !== manifest.audit.size || head.root.toString("base64") !== manifest.audit.root)
        throw new DomainError("BACKUP_INTEGRITY_FAILED", {
          file: input.file,
          problem: `the restored audit log (size ${head.size}) is not the manifest's (size ${manifest.audit.size})`,
        });
      const lostEntries = { from: head.size, to: Math.max(head.size, previousSize) };
      const at = toTimestamp(now());
      let witness: RestoreNodeResult["witness"];
      try {
        const signer = loadAuditSigner(dataDir, ids, env);
        const note = signCheckpoint(
          {
            origin: auditLogOrigin(ids),
            size: head.size,
            root: head.root,
            extensions: [formatRestoreExtension({ at, backup: manifest.backupId, lost: lostEntries })],
          },
          [signer],
        );
        const stored = await node.db
          .selectFrom("audit_checkpoints")
          .select("size")
          .where("size", "=", head.size)
          .executeTakeFirst();
        if (!stored)
          await node.db
            .insertInto("audit_checkpoints")
            .values({ size: head.size, root: head.root, note, created_at: at })
            .execute();
        appendAuditWitness(witnessPath, note);
        witness = { path: witnessPath, recorded: true, problem: null };
      } catch (error) {
        witness = { path: witnessPath, recorded: false, problem: messageOf(error) };
      }

      // 5. Destruction survives the restore (A1.8).
      const vault = openContentVault({ dataDir });
      await node.db.updateTable("content_key_store").set({ drop_pending: 1 }).where("id", "=", 1).execute();
      const reapplied: ReappliedDestruction[] = [];
      const erased: ErasedContent[] = [];
      let alreadyDestroyed = 0;
      let notInBackup = 0;
      const seen = new Set<string>();
      for (const record of destructions) {
        if (seen.has(record.carrier)) continue;
        seen.add(record.carrier);
        const row = await node.db
          .selectFrom("carriers")
          .select(["id", "state", "version", "registration_number", "copy_number"])
          .where("id", "=", record.carrier)
          .executeTakeFirst();
        if (!row) {
          notInBackup++;
          continue;
        }
        if (row.state === "destroyed") {
          alreadyDestroyed++;
          continue;
        }
        const done = await withTransaction(node.db, async (trx) => {
          const item = await vault.eraseContent(trx, row.id);
          await trx
            .updateTable("carriers")
            .set({
              state: "destroyed",
              destroyed_at: record.destroyedAt,
              has_content: 0,
              updated_at: at,
              version: row.version + 1,
            })
            .where("id", "=", row.id)
            .execute();
          await recordAudit(
            trx,
            { now },
            {
              type: "carrier.destroyed",
              actor: `node:${ids.nodeId}`,
              organisation: null,
              object: { type: "carrier", id: row.id },
              outcome: "done",
              articles: ["A1.8", "A6.6"],
              data: {
                registrationNumber: row.registration_number,
                copyNumber: row.copy_number,
                contentErased: item !== null,
                reappliedAfterRestore: manifest.backupId,
                destroyedAt: record.destroyedAt,
              },
            },
          );
          return item;
        });
        if (done) erased.push(done);
        reapplied.push({
          carrier: row.id,
          registrationNumber: row.registration_number,
          copyNumber: row.copy_number,
          destroyedAt: record.destroyedAt,
        });
      }
      // Shreds the blobs, re-wraps the survivors of their buckets, drops the old bucket keys and
      // every key of the backup's store no row names.
      const erasure = await vault.purgeErasedContent(node.db, erased);

      // 6. The restore in the audit log, and a checkpoint of it.
      await withTransaction(node.db, async (trx) => {
        await recordAudit(
          trx,
          { now },
          {
            type: "node.restored",
            actor: `node:${ids.nodeId}`,
            organisation: null,
            object: { type: "node", id: ids.nodeId },
            outcome: "done",
            articles: ["A1.8", "A4.1.1", "A6.2"],
            data: {
              backup: manifest.backupId,
              sha256,
              takenAt: manifest.takenAt,
              auditSize: head.size,
              auditRoot: manifest.audit.root,
              lostEntries,
              reapplied: reapplied.map((r) => ({ carrier: r.carrier, destroyedAt: r.destroyedAt })),
              alreadyDestroyed,
              notInBackup,
              witnessRecorded: witness.recorded,
            },
          },
        );
      });
      let checkpoint: RestoreNodeResult["checkpoint"];
      try {
        const signed = await signNodeAuditCheckpoint(node, now(), { env });
        checkpoint = { size: signed.checkpoint.size, problem: null };
      } catch (error) {
        checkpoint = { size: null, problem: messageOf(error) };
      }
      if (node.dialect === "sqlite")
        await sql`pragma wal_checkpoint(TRUNCATE)`.execute(node.db).catch(() => {});
      return {
        nodeId: ids.nodeId,
        backup: manifest.backupId,
        sha256,
        takenAt: manifest.takenAt,
        dialect: manifest.dialect,
        auditSize: head.size,
        lostEntries,
        reapplied,
        alreadyDestroyed,
        notInBackup,
        destructionLog: logPath,
        witness,
        checkpoint,
        erasure,
      };
    } finally {
      await node.close();
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
