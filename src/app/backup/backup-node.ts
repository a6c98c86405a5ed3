/**
 * `kelisim backup` (A1.8, A4.1.1, A6.2): an online, consistent, encrypted backup of a node that may
 * be running. What it holds (archive.ts): the database (SQLite: a copy by the online backup API;
 * PostgreSQL: `pg_dump --format=custom` of the node's schema, from one exported snapshot), the
 * blobs that copy names, the key store of bucket keys (`keys/content-buckets.keys`, encrypted under
 * the node wrapping key), `keys/audit-signing.pub`, `pki/`, `exchange/` and `node.json`, and a
 * manifest (node, time, audit log size and root in the copy, SHA-256 of every part). Never the
 * node wrapping key nor the audit signing key (they live outside the data directory in production).
 *
 * Consistency: the database copy names bucket keys and blobs. A bucket key is in the key store
 * before any committed row names it, and leaves it only once no committed row does; so a key store
 * that stayed the same file from before the copy started to after it ended holds every key the copy
 * names. The key store is read before and after the copy, and the copy taken again (at most 5
 * times) when a destruction or a new bucket changed it meanwhile. Blobs are copied after the
 * database copy: a blob it names that is gone by then was shredded by a destruction since (listed as
 * `missingBlobs`; the destruction log makes a restore destroy that carrier again).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { join, posix } from "node:path";
import { promisify } from "node:util";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import type { AuditData } from "../../audit/entry.ts";
import { readAuditHead } from "../../audit/log.ts";
import { auditVerifierKeyPath } from "../../audit/signing-key.ts";
import { bucketKeyStorePath } from "../../crypto/at-rest/bucket-key-store.ts";
import { blobDirectory } from "../../crypto/at-rest/content-vault.ts";
import { DomainError } from "../../domain/errors.ts";
import { NODE_CONFIG_FILE } from "../../node/node-config.ts";
import { type NodeLocation, type OpenNode, openNode } from "../../node/open-node.ts";
import { openDatabase, SQLITE_FILE_NAME } from "../../store/open-database.ts";
import { withTransaction } from "../../store/transaction.ts";
import { recordAudit } from "../record-audit.ts";
import { type BackupManifest, BackupWriter, loadBackupKey } from "./archive.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "node.backed-up": AuditData | undefined;
    "node.restored": AuditData | undefined;
  }
}

const run = promisify(execFile);

/** The part names of a backup. */
export const PART = {
  sqlite: `db/${SQLITE_FILE_NAME}`,
  pgDump: "db/postgres.dump",
  keyStore: "keys/content-buckets.keys",
  auditPub: "keys/audit-signing.pub",
  nodeConfig: NODE_CONFIG_FILE,
} as const;

/** Directories of the data directory copied whole (regular files only). */
export const COPIED_DIRECTORIES = ["pki", "exchange"] as const;

export type BackupNodeInput = {
  readonly location: NodeLocation;
  readonly out: string;
  /** A file holding the backup key; default: KELISIM_BACKUP_KEY of `env`. */
  readonly keyFile?: string | undefined;
  readonly now?: () => Date;
  readonly env?: NodeJS.ProcessEnv;
};

export type BackupNodeResult = {
  readonly file: string;
  readonly sha256: string;
  readonly sizeBytes: number;
  readonly manifest: BackupManifest;
};

/** The PostgreSQL client programs: `KELISIM_PG_BIN` (a directory), else PATH, else the newest /usr/lib/postgresql/<v>/bin. */
export function postgresProgram(
  name: "pg_dump" | "pg_restore",
  env: NodeJS.ProcessEnv = process.env,
): string {
  const dir = env.KELISIM_PG_BIN;
  if (dir) return join(dir, name);
  for (const p of (env.PATH ?? "").split(":")) if (p && existsSync(join(p, name))) return join(p, name);
  const root = "/usr/lib/postgresql";
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => existsSync(join(root, v, "bin", name)))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(root, versions[0], "bin", name);
  }
  throw new DomainError("BACKUP_FAILED", {
    problem: `${name} not found: install the PostgreSQL client programs or set KELISIM_PG_BIN`,
  });
}

/**
 * The connection of the PostgreSQL programs: the URL without its `options` parameter (libpq does not
 * read a `+` of a form-encoded URL as a space), which goes to PGOPTIONS instead.
 */
export function postgresToolConnection(
  url: string,
  env: NodeJS.ProcessEnv,
): { url: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const options = parsed.searchParams.get("options");
  parsed.searchParams.delete("options");
  return {
    url: parsed.toString(),
    env: { ...process.env, ...env, ...(options ? { PGOPTIONS: options } : {}) },
  };
}

/** The regular files under `dir`, as paths relative to it (posix separators). */
function filesUnder(dir: string, prefix = ""): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? posix.join(prefix, entry.name) : entry.name;
    if (entry.isDirectory()) out.push(...filesUnder(join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

function readKeyStore(dataDir: string): Buffer | null {
  const path = bucketKeyStorePath(dataDir);
  return existsSync(path) ? readFileSync(path) : null;
}

type DatabaseCopy = {
  /** The copy's file (SQLite) or dump (PostgreSQL). */
  readonly file: string;
  readonly part: string;
  readonly audit: { size: number; root: string };
  readonly blobs: readonly string[];
  readonly schema?: string;
};

async function copySqlite(node: OpenNode, workDir: string): Promise<DatabaseCopy> {
  const source = join(node.location.dataDir, SQLITE_FILE_NAME);
  const copyDir = join(workDir, "sqlite");
  const file = join(copyDir, SQLITE_FILE_NAME);
  rmSync(copyDir, { recursive: true, force: true });
  mkdirSync(copyDir, { mode: 0o700 });
  const raw = new BetterSqlite3(source, { readonly: true, fileMustExist: true, timeout: 10_000 });
  try {
    // SQLite's online backup API: a consistent copy while other connections read and write.
    await raw.backup(file);
  } finally {
    raw.close();
  }
  const copy = await openDatabase({ dataDir: copyDir, migrate: false });
  try {
    const head = await readAuditHead(copy.db);
    const blobs = (await copy.db.selectFrom("content_keys").select("blob_name").execute()).map(
      (r) => r.blob_name,
    );
    // Back to one file: the copy was opened in WAL mode.
    await sql`pragma wal_checkpoint(TRUNCATE)`.execute(copy.db);
    await sql`pragma journal_mode = DELETE`.execute(copy.db);
    return {
      file,
      part: PART.sqlite,
      audit: { size: head.size, root: head.root.toString("base64") },
      blobs,
    };
  } finally {
    await copy.close();
  }
}

async function copyPostgres(node: OpenNode, workDir: string, env: NodeJS.ProcessEnv): Promise<DatabaseCopy> {
  const url = node.location.databaseUrl;
  if (!url) throw new Error("copyPostgres needs a PostgreSQL node");
  const pgDump = postgresProgram("pg_dump", env);
  const file = join(workDir, "postgres.dump");
  rmSync(file, { force: true });
  // One snapshot for the manifest, the blob list and pg_dump (--snapshot): they agree exactly.
  return node.db
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const { rows } = await sql<{
        snapshot: string;
        schema: string;
      }>`select pg_export_snapshot() as snapshot, current_schema() as schema`.execute(trx);
      const { snapshot, schema } = rows[0]!;
      const head = await readAuditHead(trx);
      const blobs = (await trx.selectFrom("content_keys").select("blob_name").execute()).map(
        (r) => r.blob_name,
      );
      const tool = postgresToolConnection(url, env);
      try {
        await run(
          pgDump,
          [
            `--dbname=${tool.url}`,
            "--format=custom",
            `--schema=${schema}`,
            `--snapshot=${snapshot}`,
            "--no-owner",
            "--no-privileges",
            `--file=${file}`,
          ],
          { env: tool.env, maxBuffer: 16 * 1024 * 1024 },
        );
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? String(error);
        throw new DomainError("BACKUP_FAILED", { problem: `pg_dump failed: ${stderr.trim()}` });
      }
      return {
        file,
        part: PART.pgDump,
        audit: { size: head.size, root: head.root.toString("base64") },
        blobs,
        schema,
      };
    });
}

/**
 * Takes a backup of the node into `out` (see the top of this file); records `node.backed-up` in the
 * audit log once the file is whole. Refuses (BACKUP_FAILED) when no consistent copy could be taken;
 * nothing is left behind then.
 */
export async function backupNode(input: BackupNodeInput): Promise<BackupNodeResult> {
  const env = input.env ?? process.env;
  const key = loadBackupKey({ keyFile: input.keyFile, dataDir: input.location.dataDir, env });
  const node = await openNode(input.location);
  try {
    return await backupOpenNode(node, input, key, env);
  } finally {
    await node.close();
  }
}

async function backupOpenNode(
  node: OpenNode,
  input: BackupNodeInput,
  key: Buffer,
  env: NodeJS.ProcessEnv,
): Promise<BackupNodeResult> {
  const now = input.now ?? (() => new Date());
  const dataDir = node.location.dataDir;
  const workDir = mkdtempSync(join(dataDir, ".backup-"));
  try {
    let copy: DatabaseCopy | null = null;
    let keyStore: Buffer | null = null;
    for (let attempt = 0; attempt < 5 && copy === null; attempt++) {
      const before = readKeyStore(dataDir);
      const taken =
        node.dialect === "postgres"
          ? await copyPostgres(node, workDir, env)
          : await copySqlite(node, workDir);
      const after = readKeyStore(dataDir);
      if ((before === null && after === null) || (before && after && before.equals(after))) {
        copy = taken;
        keyStore = after;
      }
    }
    if (copy === null)
      throw new DomainError("BACKUP_FAILED", {
        problem:
          "the key store changed during each of 5 copies of the database (destructions under way); try again",
      });
    const takenAt = now().toISOString();
    const writer = BackupWriter.create(input.out, key);
    let finished: { path: string; sha256: string };
    const missingBlobs: string[] = [];
    try {
      await writer.addFile(copy.part, copy.file);
      if (keyStore) await writer.addBytes(PART.keyStore, keyStore);
      const pub = auditVerifierKeyPath(dataDir);
      if (existsSync(pub)) await writer.addFile(PART.auditPub, pub);
      await writer.addFile(PART.nodeConfig, join(dataDir, NODE_CONFIG_FILE));
      for (const dir of COPIED_DIRECTORIES)
        for (const rel of filesUnder(join(dataDir, dir)))
          await writer.addFile(`${dir}/${rel}`, join(dataDir, dir, rel));
      const blobDir = blobDirectory(dataDir);
      for (const blob of [...copy.blobs].sort()) {
        const path = join(blobDir, blob);
        try {
          await writer.addFile(`blobs/${blob}`, path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
          missingBlobs.push(blob); // shredded by a destruction after the copy
        }
      }
      const manifest: BackupManifest = {
        format: 1,
        backupId: writer.backupId,
        nodeId: node.config.nodeId,
        party: node.config.party,
        dialect: node.dialect,
        ...(copy.schema ? { schema: copy.schema } : {}),
        takenAt,
        audit: copy.audit,
        missingBlobs,
        parts: writer.parts,
      };
      finished = await writer.finish(manifest);
      const sizeBytes = statSync(finished.path).size;
      await withTransaction(node.db, async (trx) => {
        await recordAudit(
          trx,
          { now },
          {
            type: "node.backed-up",
            actor: `node:${node.config.nodeId}`,
            organisation: null,
            object: { type: "node", id: node.config.nodeId },
            outcome: "done",
            articles: ["A1.8", "A4.1.1", "A6.2"],
            data: {
              backup: writer.backupId,
              sha256: finished.sha256,
              takenAt,
              auditSize: copy.audit.size,
              auditRoot: copy.audit.root,
              parts: writer.parts.length,
              sizeBytes,
            },
          },
        );
      });
      return { file: finished.path, sha256: finished.sha256, sizeBytes, manifest };
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
