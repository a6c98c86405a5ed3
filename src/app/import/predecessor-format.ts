// D3: the file format of records of the repealed 2015 agreement (docs/import-2015.md), read into
// records that keep the line they came from. CSV (RFC 4180, a header row, UTF-8, optional BOM) is
// read by csv-parse; JSON (an array of objects with the same fields) by jsonc-parser's scanner for
// the lines and by JSON.parse for the values. A file that cannot be read becomes problems of the
// report (line and what is wrong), not an exception: the import use case refuses it and records
// that refusal, as for any other problem.
import { parse as parseCsv } from "csv-parse/sync";
import { type ParseErrorCode, printParseErrorCode, visit } from "jsonc-parser";
import { DomainError } from "../../domain/errors.ts";

export const IMPORT_FORMATS = ["csv", "json"] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** The columns every record has (a CSV header lacking one is refused at line 1). */
export const REQUIRED_COLUMNS = [
  "old_number",
  "copy",
  "kind",
  "title",
  "old_marking",
  "originator_party",
  "originator_body",
  "custodian",
  "registered_on",
] as const;

/** The columns a record may leave empty (or a CSV header leave out). */
export const OPTIONAL_COLUMNS = [
  "originator_body_id",
  "sheets",
  "size_bytes",
  "transfer_direction",
  "other_party_number",
  "transfer_date",
] as const;

export const IMPORT_COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** One import takes at most this many records (the benchmark's 10^6). */
export const MAX_IMPORT_RECORDS = 1_000_000;

/** A record as read: its values as text (absent or empty: undefined) and where it stands in the file. */
export type SourceRecord = {
  /** The line the record begins on (CSV: 1 is the header; JSON: the line of its `{`). */
  readonly line: number;
  readonly values: Readonly<Partial<Record<ImportColumn, string>>>;
  /** JSON: the line of each field's key, when it differs from `line`. */
  readonly fieldLines?: ReadonlyMap<string, number>;
};

/** A problem of an import: where (line, field) and what (a catalogue error, in the user's language at the door). */
export type ImportProblem = {
  readonly line: number;
  readonly field: string | null;
  readonly error: DomainError;
};

/** A file read into records, with the problems found while reading it. */
export type ParsedImportFile = {
  readonly format: ImportFormat;
  readonly records: readonly SourceRecord[];
  readonly problems: readonly ImportProblem[];
};

const KNOWN = new Set<string>(IMPORT_COLUMNS);

/** The format a file name suggests (`.json` → json, else csv). */
export function formatOfFileName(name: string): ImportFormat {
  return name.toLowerCase().endsWith(".json") ? "json" : "csv";
}

/** Reads an import file's text in `format` (see the top of this file). */
export function parseImportFile(text: string, format: ImportFormat): ParsedImportFile {
  return format === "csv" ? parseCsvFile(text) : parseJsonFile(text);
}

function malformed(line: number, format: ImportFormat, problem: string): ImportProblem {
  return {
    line,
    field: null,
    error: new DomainError("IMPORT_FILE_MALFORMED", { line, format: format.toUpperCase(), problem }),
  };
}

function tooMany(line: number): ImportProblem {
  return {
    line,
    field: null,
    error: new DomainError("IMPORT_TOO_MANY_RECORDS", { line, max: MAX_IMPORT_RECORDS }),
  };
}

function unknownColumn(line: number, field: string): ImportProblem {
  return { line, field, error: new DomainError("IMPORT_COLUMN_UNKNOWN", { line, field }) };
}

function parseCsvFile(text: string): ParsedImportFile {
  const problems: ImportProblem[] = [];
  let header: string[] = [];
  const rows = parseCsv(text, {
    bom: true,
    columns: (names: string[]) => {
      header = names.map((n) => n.trim());
      return header;
    },
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error) => {
      if (error) problems.push(malformed(Number(error.lines ?? 0), "csv", error.message));
      return undefined;
    },
  }) as { record: Record<string, string>; info: { lines: number } }[];
  if (header.length === 0 && rows.length === 0) {
    return { format: "csv", records: [], problems: [malformed(1, "csv", "no header row"), ...problems] };
  }
  const seen = new Set<string>();
  for (const name of header) {
    if (!KNOWN.has(name)) problems.push(unknownColumn(1, name));
    else if (seen.has(name)) problems.push(malformed(1, "csv", `the column "${name}" is given twice`));
    seen.add(name);
  }
  for (const name of REQUIRED_COLUMNS) {
    if (!seen.has(name))
      problems.push({
        line: 1,
        field: name,
        error: new DomainError("IMPORT_COLUMN_MISSING", { line: 1, field: name }),
      });
  }
  if (rows.length > MAX_IMPORT_RECORDS) problems.push(tooMany(rows[MAX_IMPORT_RECORDS]!.info.lines));
  const records: SourceRecord[] = [];
  for (const { record, info } of rows.slice(0, MAX_IMPORT_RECORDS)) {
    const values: Partial<Record<ImportColumn, string>> = {};
    // csv-parse counts the line a record ends on; a quoted value may span lines.
    let spanned = 0;
    for (const name of IMPORT_COLUMNS) {
      const value = record[name];
      if (value === undefined) continue;
      for (let i = value.indexOf("\n"); i !== -1; i = value.indexOf("\n", i + 1)) spanned++;
      if (value.trim() !== "") values[name] = value;
    }
    records.push({ line: info.lines - spanned, values });
  }
  problems.sort((a, b) => a.line - b.line);
  return { format: "csv", records, problems };
}

function parseJsonFile(text: string): ParsedImportFile {
  const problems: ImportProblem[] = [];
  // The scanner gives the lines (0-based) of each top-level object and of its keys, and the first
  // syntax error; the values are then JSON.parse's (strict JSON: no comments, no trailing commas).
  const elementLines: number[] = [];
  const keyLines: Map<string, number>[] = [];
  let depth = 0;
  let topLevelArray = false;
  let syntax: { code: ParseErrorCode | null; line: number } | null = null;
  const element = (startLine: number) => {
    if (depth === 1 && topLevelArray) {
      elementLines.push(startLine + 1);
      keyLines.push(new Map());
    }
  };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  visit(
    body,
    {
      onArrayBegin: (_offset, _length, startLine) => {
        if (depth === 0) topLevelArray = true;
        else element(startLine);
        depth++;
      },
      onArrayEnd: () => {
        depth--;
      },
      onObjectBegin: (_offset, _length, startLine) => {
        element(startLine);
        depth++;
      },
      onObjectEnd: () => {
        depth--;
      },
      onLiteralValue: (_value, _offset, _length, startLine) => element(startLine),
      onObjectProperty: (property, _offset, _length, startLine) => {
        if (depth === 2 && topLevelArray) keyLines[keyLines.length - 1]?.set(property, startLine + 1);
      },
      onComment: (_offset, _length, startLine) => {
        syntax ??= { code: null, line: startLine + 1 };
      },
      onError: (code, _offset, _length, startLine) => {
        syntax ??= { code, line: startLine + 1 };
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  if (syntax !== null) {
    const found = syntax as { code: ParseErrorCode | null; line: number };
    const problem = found.code === null ? "comments are not JSON" : printParseErrorCode(found.code);
    return { format: "json", records: [], problems: [malformed(found.line, "json", problem)] };
  }
  const parsed = JSON.parse(body) as unknown;
  if (!Array.isArray(parsed))
    return { format: "json", records: [], problems: [malformed(1, "json", "not an array of records")] };
  if (parsed.length > MAX_IMPORT_RECORDS) problems.push(tooMany(elementLines[MAX_IMPORT_RECORDS] ?? 1));
  const records: SourceRecord[] = [];
  for (const [i, item] of parsed.slice(0, MAX_IMPORT_RECORDS).entries()) {
    const line = elementLines[i] ?? 1;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      problems.push(malformed(line, "json", `element ${i + 1} is not an object`));
      continue;
    }
    const keys = keyLines[i] ?? new Map<string, number>();
    const values: Partial<Record<ImportColumn, string>> = {};
    const fieldLines = new Map<string, number>();
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const at = keys.get(key) ?? line;
      if (at !== line) fieldLines.set(key, at);
      if (!KNOWN.has(key)) {
        problems.push(unknownColumn(at, key));
        continue;
      }
      if (value === null || value === undefined) continue;
      if (typeof value !== "string" && typeof value !== "number") {
        problems.push({
          line: at,
          field: key,
          error: new DomainError("IMPORT_FILE_MALFORMED", {
            line: at,
            format: "JSON",
            problem: `"${key}" must be a string or a number`,
          }),
        });
        continue;
      }
      const textValue = String(value);
      if (textValue.trim() !== "") values[key as ImportColumn] = textValue;
    }
    records.push(fieldLines.size > 0 ? { line, values, fieldLines } : { line, values });
  }
  return { format: "json", records, problems };
}
