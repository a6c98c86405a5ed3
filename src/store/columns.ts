/**
 * Portable column types for the migrations: one set of migrations runs on SQLite and PostgreSQL.
 *
 * Conventions every table follows (read before writing a migration):
 * - **Timestamps** are ISO 8601 UTC text with milliseconds and `Z`, e.g. `2026-11-26T01:56:10.123Z`
 *   (`toTimestamp(date)`); calendar dates are `YYYY-MM-DD` text. Both sort correctly as text, compare
 *   the same on both databases and need no time-zone handling in SQL. Column type: `TIMESTAMP` ("text").
 * - **Binary** is `blob` on SQLite, `bytea` on PostgreSQL: `binary(db)`. Both drivers return a Node
 *   `Buffer` (a `Uint8Array`); write with `toBinary(bytes)`.
 * - **Integers** that may exceed 2^31 (sequence numbers, sizes, log indexes) use `bigint(db)`
 *   (`integer` on SQLite, `bigint` on PostgreSQL). `openDatabase` makes the pg driver return them as
 *   JS numbers (refusing values above 2^53) so the row types are `number` on both.
 * - **Booleans** are `integer` 0/1 on both (`BOOLEAN`), so a row reads the same on both dialects.
 * - **JSON** is `text` holding JSON (`JSON_TEXT`); parse it in the repository, validate with zod.
 * - Identifiers are `text` (UUIDs made by the app layer), never database-generated, so that rows can
 *   be created in the same transaction as the audit entry that names them.
 */
import type { Kysely } from "kysely";
import { PostgresAdapter } from "kysely";
import { z } from "zod";

export type StoreDialect = "sqlite" | "postgres";

/** Which database a Kysely instance (or a transaction of it) talks to. */
// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export function dialectOf(db: Kysely<any>): StoreDialect {
  return db.getExecutor().adapter instanceof PostgresAdapter ? "postgres" : "sqlite";
}

/** `blob` on SQLite, `bytea` on PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export function binary(db: Kysely<any>): "blob" | "bytea" {
  return dialectOf(db) === "postgres" ? "bytea" : "blob";
}

/** `integer` on SQLite (64-bit there), `bigint` on PostgreSQL. */
// biome-ignore lint/suspicious/noExplicitAny: migrations receive an untyped Kysely
export function bigint(db: Kysely<any>): "integer" | "bigint" {
  return dialectOf(db) === "postgres" ? "bigint" : "integer";
}

/** Column type of a timestamp (ISO 8601 UTC text) or a calendar date (`YYYY-MM-DD` text). */
export const TIMESTAMP = "text";
/** Column type of a boolean: 0 or 1. */
export const BOOLEAN = "integer";
/** Column type of a JSON document kept as text. */
export const JSON_TEXT = "text";

/** The stored form of an instant: ISO 8601 UTC with milliseconds, e.g. `2026-11-26T01:56:10.123Z`. */
export function toTimestamp(instant: Date): string {
  const text = instant.toISOString();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(text)) {
    throw new RangeError(`instant outside the storable range: ${text}`);
  }
  return text;
}

/** Bytes as the drivers want them for a binary column (a Buffer view, no copy). */
export function toBinary(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A boolean as stored (0/1). */
export function toFlag(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/**
 * A JSON column whose stored text is not JSON or does not fit the shape its readers expect: the row
 * was written by something else or damaged. Never a user's mistake; the message names the column and
 * the paths that do not fit, never the stored value (it may be classified).
 */
export class StoredJsonInvalid extends Error {
  constructor(
    readonly column: string,
    readonly problem: string,
  ) {
    super(`stored JSON in ${column} is malformed: ${problem}`);
    this.name = "StoredJsonInvalid";
  }
}

/** The stored JSON text of `column` (`table.column`) parsed and checked by `schema`. @throws StoredJsonInvalid */
export function parseJsonColumn<S extends z.ZodType>(schema: S, text: string, column: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text: left out.
    throw new StoredJsonInvalid(column, "not JSON");
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new StoredJsonInvalid(
      column,
      parsed.error.issues.map((i) => `${i.path.join(".") || "(value)"}: ${i.message}`).join("; "),
    );
  return parsed.data;
}

/** A JSON column holding a list of strings (articles, Parties, ids). */
export const jsonStringList = z.array(z.string());
