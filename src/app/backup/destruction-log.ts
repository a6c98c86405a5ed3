/**
 * The node's destruction log (A1.8): every destroyed carrier, one JSON line each, appended (O_APPEND)
 * and fsynced by the destruction use case after its transaction committed, in a file OUTSIDE the
 * database, so that a database put back from a backup taken earlier does not bring a destroyed
 * carrier back: `kelisim restore` destroys again every carrier of this log that the restored
 * database still holds as not destroyed (restore-node.ts).
 *
 * Path: `KELISIM_DESTRUCTION_LOG`, else `<dataDir>/destructions.log`. Like the audit witness file,
 * put it where a restore does not reach (another disk, beside the witness file): a backup never
 * holds it and a restore never replaces it.
 *
 * Line: `{"v":1,"carrier":"<id>","registrationNumber":"…","copyNumber":n,"destroyedAt":"<ISO>"}`.
 * A torn last line (a crash during an append) is left out; any other unreadable line is an error,
 * since skipping it could bring a destroyed carrier back.
 *
 * Limit: the line is appended after the commit; a crash between the commit and the append leaves
 * that destruction out of the log (the database still holds it until a restore replaces it).
 */
import { closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/** The environment variable naming the destruction log. */
export const DESTRUCTION_LOG_ENV = "KELISIM_DESTRUCTION_LOG";

/** One destroyed carrier, as the log holds it. */
export type DestructionRecord = {
  readonly carrier: string;
  readonly registrationNumber: string;
  readonly copyNumber: number;
  readonly destroyedAt: string;
};

/** Where the destruction log of a node lives: `KELISIM_DESTRUCTION_LOG`, else `<dataDir>/destructions.log`. */
export function destructionLogPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[DESTRUCTION_LOG_ENV];
  return configured !== undefined && configured !== "" ? configured : join(dataDir, "destructions.log");
}

/** Appends one destroyed carrier to the log (created 0600 if absent) and fsyncs it (A1.8). */
export function appendDestruction(path: string, record: DestructionRecord): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
  try {
    // One write of the whole line: appends by two processes do not interleave.
    writeSync(fd, `${JSON.stringify({ v: 1, ...record })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Why the destruction log cannot be read. */
export class DestructionLogError extends Error {}

/** Reads the destruction log, oldest first; an absent file holds none. */
export function readDestructions(path: string): DestructionRecord[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, "utf8").split("\n");
  lines.pop(); // "" after the last newline, or a torn last line
  const records: DestructionRecord[] = [];
  for (const [i, line] of lines.entries()) {
    if (line.trim() === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new DestructionLogError(`line ${i + 1} of ${path} is not JSON`);
    }
    const r = value as Partial<DestructionRecord> & { v?: unknown };
    if (
      r === null ||
      typeof r !== "object" ||
      r.v !== 1 ||
      typeof r.carrier !== "string" ||
      typeof r.destroyedAt !== "string"
    )
      throw new DestructionLogError(`line ${i + 1} of ${path} is not a destruction record`);
    records.push({
      carrier: r.carrier,
      registrationNumber: String(r.registrationNumber ?? ""),
      copyNumber: Number(r.copyNumber ?? 0),
      destroyedAt: r.destroyedAt,
    });
  }
  return records;
}
