/**
 * The local witness of the audit log (A4.1.1, A6.2): every checkpoint the node signs through
 * `signNodeAuditCheckpoint` is also appended to a file outside the database, one signed note per
 * line (JSON-encoded, since a note spans lines), opened O_APPEND and fsynced. An attacker who
 * rewrites the database and deletes its checkpoint rows leaves the witnessed checkpoints behind,
 * and `verifyNodeAuditLog` compares the log with them.
 * Path: `KELISIM_AUDIT_WITNESS`, else `<dataDir>/audit-witness.log`. Put it where the database's
 * writer cannot rewrite it (another disk, an append-only mount, a log shipper's input).
 */
import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  readSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";

/** The environment variable that names the witness file. */
export const AUDIT_WITNESS_ENV = "KELISIM_AUDIT_WITNESS";

/** Where the witness file of a node lives: the operator's `KELISIM_AUDIT_WITNESS`, else beside the database. */
export function auditWitnessPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[AUDIT_WITNESS_ENV];
  return configured !== undefined && configured !== "" ? configured : join(dataDir, "audit-witness.log");
}

/** Appends one signed checkpoint note to the witness file (created 0600 if absent) and fsyncs it. */
export function appendAuditWitness(path: string, note: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  try {
    // One write of the whole line: appends by two processes do not interleave.
    writeSync(fd, `${JSON.stringify(note)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** What the witness file holds: its notes, oldest first, and a last line torn by a crash mid-write. */
export type AuditWitnessContents = {
  readonly notes: readonly { readonly line: number; readonly note: string }[];
  /** A last line without its newline (a crash during an append): left out of `notes`. */
  readonly tornLastLine: boolean;
};

/** Why a witness file cannot be read as one. */
export class AuditWitnessError extends Error {}

/**
 * Reads the witness file; an absent file holds none. A line that is not a JSON string (other than
 * a torn last line) throws {@link AuditWitnessError}: the file was damaged or written by another.
 */
export function readAuditWitness(path: string): AuditWitnessContents {
  if (!existsSync(path)) return { notes: [], tornLastLine: false };
  const text = readFileSync(path, "utf8");
  const lines = text.split("\n");
  const last = lines.pop() ?? "";
  const notes: { line: number; note: string }[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let note: unknown;
    try {
      note = JSON.parse(line);
    } catch {
      throw new AuditWitnessError(`line ${i + 1} is not a JSON-encoded signed note`);
    }
    if (typeof note !== "string") throw new AuditWitnessError(`line ${i + 1} is not a signed note`);
    notes.push({ line: i + 1, note });
  }
  return { notes, tornLastLine: last.trim() !== "" };
}

/** The last complete note of the witness file, reading only its tail; null when it holds none. */
export function readLastAuditWitness(path: string): string | null {
  if (!existsSync(path)) return null;
  const fd = openSync(path, constants.O_RDONLY);
  try {
    const size = fstatSync(fd).size;
    let tail = "";
    for (let chunk = 4096; ; chunk *= 2) {
      const start = Math.max(0, size - chunk);
      const buffer = Buffer.alloc(size - start);
      readSync(fd, buffer, 0, buffer.length, start);
      tail = buffer.toString("utf8");
      const complete = tail.slice(0, tail.lastIndexOf("\n") + 1);
      const lines = complete.split("\n").filter((l) => l.trim() !== "");
      // The last complete line is whole when a newline precedes it, or the chunk starts the file.
      if (lines.length > 1 || (lines.length === 1 && start === 0)) {
        const note: unknown = JSON.parse(lines.at(-1)!);
        return typeof note === "string" ? note : null;
      }
      if (start === 0) return null;
    }
  } finally {
    closeSync(fd);
  }
}
