/**
 * Where a node's secret keys come from (A4.1.1, A6.2, A1.8): the audit checkpoint signing key and
 * the content wrapping key are each read from, in this order,
 *
 * 1. an environment variable holding the key itself (`KELISIM_AUDIT_SIGNING_KEY`,
 *    `KELISIM_CONTENT_WRAP_KEY`: e.g. injected by a secrets manager),
 * 2. a file the operator names (`KELISIM_AUDIT_SIGNING_KEY_FILE`, `KELISIM_CONTENT_WRAP_KEY_FILE`),
 *    which must lie outside the data directory (symlinks resolved): one inside is refused,
 * 3. the default file in `<dataDir>/keys/` (demo nodes and the CLI's local use; `kelisim serve`
 *    refuses it, see src/app/node/key-custody.ts).
 *
 * A copy of the data directory then holds neither key: whoever has it cannot re-sign a forged audit
 * log nor open the key store of content keys. No PKCS#11 token is supported (none exists here).
 */
import { randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  writeSync,
} from "node:fs";
import { rename, unlink } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { DomainError } from "../domain/errors.ts";

/** Where one key is read from. */
export type KeySource =
  | { readonly kind: "env"; readonly variable: string }
  | {
      readonly kind: "file";
      readonly path: string;
      /** The variable that named the file; null for the default file in the data directory. */
      readonly variable: string | null;
    };

/** How a key is read: its two variables and its default file. */
export type KeySpec = {
  /** Human name used in messages, e.g. `audit signing key`. */
  readonly name: string;
  readonly valueVariable: string;
  readonly fileVariable: string;
  readonly defaultPath: (dataDir: string) => string;
};

/** The real path of `path`, symlinks resolved; for a path not yet made, its nearest existing ancestor's. */
export function realPathOf(path: string): string {
  const absolute = resolve(path);
  const rest: string[] = [];
  let at = absolute;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const parent = dirname(at);
      if (parent === at) return absolute;
      rest.push(basename(at));
      at = parent;
    }
  }
}

/** True when `path` (symlinks resolved) is `dir` or lies under it. */
export function isInsideDirectory(path: string, dir: string): boolean {
  const rel = relative(realPathOf(dir), realPathOf(path));
  return rel === "" || (!rel.startsWith("..") && !isAbsolute(rel));
}

/** The error refusing keys read from inside the data directory (A4.1.1, A6.2, A1.8). */
export function keysInDataDirError(
  dataDir: string,
  keys: readonly { spec: KeySpec; path: string }[],
): DomainError {
  return new DomainError("NODE_KEY_IN_DATA_DIR", {
    dataDir,
    keys: keys.map((k) => `${k.spec.name} (${k.path})`),
    set: keys.map((k) => `${k.spec.valueVariable} or ${k.spec.fileVariable}`),
  });
}

/**
 * Where the key of `spec` is read from. A `*_FILE` naming a path inside the data directory is
 * refused (NODE_KEY_IN_DATA_DIR): a file the operator names is meant to be kept elsewhere.
 */
export function keySource(spec: KeySpec, dataDir: string, env: NodeJS.ProcessEnv): KeySource {
  const value = env[spec.valueVariable];
  if (value !== undefined && value !== "") return { kind: "env", variable: spec.valueVariable };
  const file = env[spec.fileVariable];
  if (file !== undefined && file !== "") {
    const path = resolve(file);
    if (isInsideDirectory(path, dataDir)) throw keysInDataDirError(dataDir, [{ spec, path }]);
    return { kind: "file", path, variable: spec.fileVariable };
  }
  return { kind: "file", path: spec.defaultPath(dataDir), variable: null };
}

/** True when the key of `source` would be read from inside the data directory (symlinks resolved). */
export function sourceInDataDir(source: KeySource, dataDir: string): boolean {
  return source.kind === "file" && isInsideDirectory(source.path, dataDir);
}

/**
 * Writes a key file (mode 0600 unless given, its directory 0700 if made): to `<path>.tmp`, fsync, rename,
 * directory fsync. `exclusive`: refuse (EEXIST) when the file exists.
 */
export async function writeKeyFile(
  path: string,
  text: string,
  exclusive: boolean,
  mode = 0o600,
): Promise<void> {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (exclusive && existsSync(path)) throw Object.assign(new Error(`${path} exists`), { code: "EEXIST" });
  const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  chmodSync(tmp, mode);
  try {
    await rename(tmp, path);
  } catch (error) {
    await unlink(tmp).catch(() => {});
    throw error;
  }
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
