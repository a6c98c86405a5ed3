/**
 * The encrypted backup file of a node (A1.8, A4.1.1), written and read as a stream in bounded memory.
 *
 * ```
 * file      = "KELISIM-BACKUP-1\n" (17) ‖ salt (32, random) ‖ blob
 * blob      = the chunked AES-256-GCM format of chunked-cipher.ts (every chunk authenticated, a
 *             truncated, extended or reordered file fails), under
 *             HKDF-SHA256(backup key, salt, "kelisim backup v1") with context "kelisim-backup:<salt hex>"
 * plaintext = record* ; record = header length, uint32 BE (4) ‖ header (JSON) ‖ body
 * header    = {"t":"file","name":"<relative path>","size":n} (body: n bytes)
 *           | {"t":"manifest","manifest":{…}} (no body, last) | {"t":"end"} (no body, after the manifest)
 * ```
 *
 * The backup key is the operator's (`KELISIM_BACKUP_KEY`, 32 bytes in base64, or a file holding
 * that), never a key of the data directory: a backup is useless to whoever holds only the node.
 */
import { createHash, hkdfSync, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { PassThrough, type Readable, Transform, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  type BlobIntegrityError,
  createDecryptStream,
  createEncryptStream,
  KEY_SIZE,
} from "../../crypto/at-rest/chunked-cipher.ts";
import { DomainError } from "../../domain/errors.ts";

/** The environment variable holding the backup key (32 bytes, base64). */
export const BACKUP_KEY_ENV = "KELISIM_BACKUP_KEY";

const MAGIC = Buffer.from("KELISIM-BACKUP-1\n", "utf8");
const SALT_SIZE = 32;
const MAX_HEADER = 1024 * 1024;
const CHUNK = 256 * 1024;

/** One part of a backup as the manifest lists it. */
export type BackupPart = { readonly name: string; readonly size: number; readonly sha256: string };

/** What a backup states about itself (checked part by part on restore). */
export type BackupManifest = {
  readonly format: 1;
  /** The backup's id: its salt, hex. */
  readonly backupId: string;
  readonly nodeId: string;
  readonly party: string;
  readonly dialect: "sqlite" | "postgres";
  /** PostgreSQL: the schema the node's tables were dumped from. */
  readonly schema?: string;
  readonly takenAt: string;
  /** The audit log in the database copy: its size and root (base64). */
  readonly audit: { readonly size: number; readonly root: string };
  /** Blobs the database copy names that were shredded before they could be copied (destroyed meanwhile). */
  readonly missingBlobs: readonly string[];
  readonly parts: readonly BackupPart[];
};

/**
 * The backup key: `keyFile` (base64 text, or 32 raw bytes), else `KELISIM_BACKUP_KEY`. A key file
 * inside the data directory is refused: the key must live apart from what it protects.
 */
export function loadBackupKey(options: {
  readonly keyFile?: string | undefined;
  readonly dataDir: string;
  readonly env?: NodeJS.ProcessEnv;
}): Buffer {
  const env = options.env ?? process.env;
  let text: string | Buffer;
  let where: string;
  if (options.keyFile !== undefined) {
    const path = resolve(options.keyFile);
    const inside = relative(resolve(options.dataDir), path);
    if (!inside.startsWith("..") && !isAbsolute(inside))
      throw new DomainError("BACKUP_KEY_MISSING", {
        problem: `the key file ${path} is inside the data directory; keep the backup key apart from the node`,
      });
    if (!existsSync(path)) throw new DomainError("BACKUP_KEY_MISSING", { problem: `no key file ${path}` });
    text = readFileSync(path);
    where = path;
  } else {
    const value = env[BACKUP_KEY_ENV];
    if (value === undefined || value.trim() === "")
      throw new DomainError("BACKUP_KEY_MISSING", {
        problem: `set ${BACKUP_KEY_ENV} (32 random bytes in base64, e.g. \`openssl rand -base64 32\`) or give --key-file`,
      });
    text = value;
    where = BACKUP_KEY_ENV;
  }
  if (Buffer.isBuffer(text) && text.length === KEY_SIZE) return Buffer.from(text);
  const b64 = (Buffer.isBuffer(text) ? text.toString("utf8") : text).trim();
  const key = Buffer.from(b64, "base64");
  if (key.length !== KEY_SIZE || key.toString("base64").replace(/=+$/, "") !== b64.replace(/=+$/, ""))
    throw new DomainError("BACKUP_KEY_MISSING", {
      problem: `${where} is not 32 bytes in base64`,
    });
  return key;
}

function fileKey(key: Buffer, salt: Buffer): Buffer {
  return Buffer.from(hkdfSync("sha256", key, salt, "kelisim backup v1", KEY_SIZE));
}

/** Writes a backup file part by part; `finish` adds the manifest and makes the file appear whole. */
export class BackupWriter {
  readonly backupId: string;
  readonly #path: string;
  readonly #tmp: string;
  readonly #encrypt: Transform;
  readonly #done: Promise<void>;
  readonly #parts: BackupPart[] = [];
  readonly #fileHash = createHash("sha256");
  #failed: unknown = null;

  private constructor(path: string, key: Buffer) {
    this.#path = path;
    this.#tmp = `${path}.tmp`;
    const salt = randomBytes(SALT_SIZE);
    this.backupId = salt.toString("hex");
    const derived = fileKey(key, salt);
    this.#encrypt = createEncryptStream(derived, `kelisim-backup:${this.backupId}`, CHUNK);
    derived.fill(0);
    const head = Buffer.concat([MAGIC, salt]);
    this.#fileHash.update(head);
    const out = createWriteStream(this.#tmp, { flags: "wx", mode: 0o600 });
    out.write(head);
    const hash = this.#fileHash;
    const hasher = new Transform({
      transform(chunk: Buffer, _e, callback) {
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    this.#done = pipeline(this.#encrypt, hasher, out);
    this.#done.catch((error: unknown) => {
      this.#failed = error;
    });
  }

  /** Starts a backup file at `path` (written to `<path>.tmp` until finished). */
  static create(path: string, key: Buffer): BackupWriter {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    return new BackupWriter(path, key);
  }

  async #write(bytes: Buffer): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (!this.#encrypt.write(bytes)) {
      await new Promise<void>((done, fail) => {
        const onDrain = () => {
          this.#encrypt.off("error", onError);
          done();
        };
        const onError = (error: Error) => {
          this.#encrypt.off("drain", onDrain);
          fail(error);
        };
        this.#encrypt.once("drain", onDrain);
        this.#encrypt.once("error", onError);
      });
    }
  }

  async #header(header: object): Promise<void> {
    const json = Buffer.from(JSON.stringify(header), "utf8");
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length, 0);
    await this.#write(Buffer.concat([length, json]));
  }

  /** Adds the file at `source` as part `name`, streamed; returns the part. */
  async addFile(name: string, source: string): Promise<BackupPart> {
    const handle = await open(source, "r");
    try {
      const { size } = await handle.stat();
      await this.#header({ t: "file", name, size });
      const hash = createHash("sha256");
      const buffer = Buffer.alloc(CHUNK);
      let offset = 0;
      while (offset < size) {
        const { bytesRead } = await handle.read(buffer, 0, Math.min(CHUNK, size - offset), offset);
        if (bytesRead === 0) throw new Error(`${source} shrank while it was copied`);
        const chunk = Buffer.from(buffer.subarray(0, bytesRead));
        hash.update(chunk);
        await this.#write(chunk);
        offset += bytesRead;
      }
      const part = { name, size, sha256: hash.digest("hex") };
      this.#parts.push(part);
      return part;
    } finally {
      await handle.close();
    }
  }

  /** Adds bytes held in memory (a small file) as part `name`. */
  async addBytes(name: string, bytes: Buffer): Promise<BackupPart> {
    await this.#header({ t: "file", name, size: bytes.length });
    await this.#write(bytes);
    const part = { name, size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") };
    this.#parts.push(part);
    return part;
  }

  /** The parts written so far. */
  get parts(): readonly BackupPart[] {
    return this.#parts;
  }

  /** Adds the manifest, ends the stream, fsyncs and renames the file into place; returns its SHA-256. */
  async finish(manifest: BackupManifest): Promise<{ path: string; sha256: string }> {
    await this.#header({ t: "manifest", manifest });
    await this.#header({ t: "end" });
    this.#encrypt.end();
    await this.#done;
    const handle = await open(this.#tmp, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(this.#tmp, this.#path);
    return { path: this.#path, sha256: this.#fileHash.digest("hex") };
  }

  /** Abandons the file (removes the temporary file). */
  async abort(): Promise<void> {
    this.#encrypt.destroy();
    await this.#done.catch(() => {});
    await unlink(this.#tmp).catch(() => {});
  }
}

/** A part name is a relative path of plain segments (never `..`, never absolute). */
export function isSafePartName(name: string): boolean {
  if (name.length === 0 || name.length > 1000 || name.includes("\\") || name.includes("\0")) return false;
  return name.split("/").every((s) => s !== "" && s !== "." && s !== "..");
}

/** Reads exactly the bytes asked for from an async iterator of chunks. */
class ByteReader {
  #buffer: Buffer = Buffer.alloc(0);
  readonly #source: AsyncIterator<Buffer>;
  constructor(source: AsyncIterable<Buffer>) {
    this.#source = source[Symbol.asyncIterator]();
  }
  async #fill(n: number): Promise<boolean> {
    while (this.#buffer.length < n) {
      const next = await this.#source.next();
      if (next.done) return false;
      this.#buffer = this.#buffer.length === 0 ? next.value : Buffer.concat([this.#buffer, next.value]);
    }
    return true;
  }
  async exact(n: number): Promise<Buffer | null> {
    if (!(await this.#fill(n))) return null;
    const out = this.#buffer.subarray(0, n);
    this.#buffer = this.#buffer.subarray(n);
    return out;
  }
  /** Streams the next `n` bytes to `sink`, chunk by chunk. */
  async stream(n: number, sink: (chunk: Buffer) => Promise<void>): Promise<boolean> {
    let left = n;
    while (left > 0) {
      if (this.#buffer.length === 0 && !(await this.#fill(1))) return false;
      const take = Math.min(left, this.#buffer.length);
      await sink(this.#buffer.subarray(0, take));
      this.#buffer = this.#buffer.subarray(take);
      left -= take;
    }
    return true;
  }
}

function integrity(file: string, problem: string, cause?: unknown): DomainError {
  return new DomainError("BACKUP_INTEGRITY_FAILED", { file, problem }, cause ? { cause } : undefined);
}

async function writeAll(stream: Writable, chunk: Buffer): Promise<void> {
  if (!stream.write(chunk)) await new Promise<void>((done) => stream.once("drain", done));
}

/**
 * Decrypts the backup `file` into `dir` (each part at its name), checking every chunk's tag, then
 * that the parts are exactly the manifest's, byte for byte (SHA-256). Refuses with
 * BACKUP_INTEGRITY_FAILED (a wrong key, a byte altered, a part missing, added or changed); the
 * caller removes `dir` then. Returns the manifest and the SHA-256 of the whole file.
 */
export async function extractBackup(
  file: string,
  key: Buffer,
  dir: string,
): Promise<{ manifest: BackupManifest; sha256: string }> {
  if (!existsSync(file)) throw new DomainError("FILE_NOT_FOUND", { file });
  const handle = await open(file, "r");
  const head = Buffer.alloc(MAGIC.length + SALT_SIZE);
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw integrity(file, "not a Kelisim backup file");
  const salt = head.subarray(MAGIC.length);
  const backupId = salt.toString("hex");
  const derived = fileKey(key, salt);
  const fileHash = createHash("sha256").update(head);
  const raw: Readable = createReadStream(file, { start: head.length, highWaterMark: CHUNK });
  const hasher = new Transform({
    transform(chunk: Buffer, _e, callback) {
      fileHash.update(chunk);
      callback(null, chunk);
    },
  });
  const decrypt = createDecryptStream(derived, `kelisim-backup:${backupId}`, (error: BlobIntegrityError) =>
    integrity(file, `a chunk does not authenticate (${error.message})`, error),
  );
  derived.fill(0);
  const plain = new PassThrough({ highWaterMark: CHUNK });
  const flowing = pipeline(raw, hasher, decrypt, plain);
  let failure: unknown = null;
  flowing.catch((error: unknown) => {
    failure = error;
  });
  const reader = new ByteReader(plain);
  const seen = new Map<string, BackupPart>();
  let manifest: BackupManifest | null = null;
  /** The part being written: closed before the caller removes `dir`. */
  let current: { out: Writable; closed: Promise<void> } | null = null;
  try {
    for (;;) {
      const length = await reader.exact(4);
      if (length === null) throw integrity(file, "it ends before its manifest");
      const size = length.readUInt32BE(0);
      if (size === 0 || size > MAX_HEADER) throw integrity(file, "a record header is malformed");
      const bytes = await reader.exact(size);
      if (bytes === null) throw integrity(file, "it ends inside a record header");
      let header: { t?: unknown; name?: unknown; size?: unknown; manifest?: unknown };
      try {
        header = JSON.parse(bytes.toString("utf8")) as typeof header;
      } catch {
        throw integrity(file, "a record header is not JSON");
      }
      if (header.t === "end") break;
      if (header.t === "manifest") {
        if (manifest !== null) throw integrity(file, "it holds two manifests");
        manifest = header.manifest as BackupManifest;
        continue;
      }
      if (manifest !== null) throw integrity(file, "a part follows the manifest");
      const name = header.name;
      const partSize = header.size;
      if (header.t !== "file" || typeof name !== "string" || !isSafePartName(name))
        throw integrity(file, "a part has no safe name");
      if (typeof partSize !== "number" || !Number.isSafeInteger(partSize) || partSize < 0)
        throw integrity(file, `part ${name} has no size`);
      if (seen.has(name)) throw integrity(file, `part ${name} appears twice`);
      const target = join(dir, name);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      const out = createWriteStream(target, { flags: "wx", mode: 0o600 });
      const closed = new Promise<void>((done, fail) => {
        out.once("close", done);
        out.once("error", fail);
      });
      closed.catch(() => {});
      current = { out, closed };
      const hash = createHash("sha256");
      const whole = await reader.stream(partSize, async (chunk) => {
        hash.update(chunk);
        await writeAll(out, chunk);
      });
      out.end();
      await closed;
      current = null;
      if (!whole) throw integrity(file, `it ends inside part ${name}`);
      seen.set(name, { name, size: partSize, sha256: hash.digest("hex") });
    }
    await flowing;
  } catch (error) {
    plain.destroy();
    await flowing.catch(() => {});
    if (current) {
      current.out.destroy();
      await current.closed.catch(() => {});
    }
    throw failure instanceof DomainError ? failure : error;
  }
  if (failure) throw failure;
  if (manifest === null || manifest.format !== 1 || !Array.isArray(manifest.parts))
    throw integrity(file, "its manifest is missing or of an unknown format");
  if (manifest.backupId !== backupId) throw integrity(file, "its manifest names another backup");
  const listed = new Map(manifest.parts.map((p) => [p.name, p]));
  for (const [name, part] of seen) {
    const stated = listed.get(name);
    if (!stated) throw integrity(file, `part ${name} is not in the manifest`);
    if (stated.size !== part.size || stated.sha256 !== part.sha256)
      throw integrity(file, `part ${name} does not match the manifest's SHA-256`);
  }
  for (const name of listed.keys())
    if (!seen.has(name)) throw integrity(file, `part ${name} of the manifest is missing`);
  return { manifest, sha256: fileHash.digest("hex") };
}
