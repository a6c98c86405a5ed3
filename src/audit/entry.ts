/**
 * Audit entries and their canonical bytes.
 *
 * Every entry records: when (UTC), who (actor, organisation), what (event type, object), how it
 * ended (outcome), under which rules (articles) and optional event data. Its **canonical bytes**
 * are the UTF-8 of a JSON object with exactly these keys in this (sorted) order and no whitespace:
 *
 * ```
 * {"actor":…,"articles":[…],"data":{…}|null,"event":…,"index":N,"object":…|null,
 *  "organisation":…|null,"outcome":…,"time":"YYYY-MM-DDTHH:mm:ss.sssZ","v":1}
 * ```
 *
 * Strings are escaped as `JSON.stringify` does; `data` is canonical JSON too (object keys sorted by
 * UTF-16 code units, no whitespace, integers or finite numbers only). `index` (the leaf index)
 * is inside the bytes so an entry moved to another position no longer matches its leaf hash.
 * The leaf hash is `SHA-256(0x00 ‖ bytes)` (RFC 9162).
 */

import { z } from "zod";
import { type ArticleId, isArticleId } from "../domain/articles.ts";
import { DomainError, type JsonValue } from "../domain/errors.ts";

/** How an audited action ended: a state change `done`, an access decision `allowed` or `refused`, a `failed` attempt. */
export type AuditOutcome = "done" | "allowed" | "refused" | "failed";

const OUTCOMES = ["done", "allowed", "refused", "failed"] as const satisfies readonly AuditOutcome[];

/** JSON object of event data. */
export type AuditData = { readonly [key: string]: JsonValue };

const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);
const AuditDataSchema = z.record(z.string(), JsonValueSchema);
const OutcomeSchema = z.enum(OUTCOMES);

/** An entry's canonical bytes as JSON, checked on the way back in (a stored entry is not trusted). */
const StoredEntrySchema = z.object({
  index: z.number().int().nonnegative(),
  time: z.string(),
  actor: z.string(),
  organisation: z.string().nullable(),
  event: z.string(),
  object: z.string().nullable(),
  outcome: OutcomeSchema,
  articles: z.array(z.string()),
  data: AuditDataSchema.nullable(),
});

/** Parses stored JSON text with `schema`; the error names `what`, never the stored text. */
function parseStored<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`stored ${what} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `stored ${what} is malformed: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(value)"}: ${i.message}`).join("; ")}`,
    );
  return parsed.data;
}

/**
 * The event types the log knows, each with the shape of its `data`. Other layers add theirs by
 * augmenting this interface:
 *
 * ```ts
 * declare module "../audit/entry.ts" {
 *   interface AuditEventCatalogue { "transfer.requested": { transferId: string } }
 * }
 * ```
 *
 * Event types are lower-case dotted words (`carrier.registered`); the log checks the form at run
 * time, the compiler checks the name and the data shape.
 */
export interface AuditEventCatalogue {
  "node.initialised": AuditData | undefined;
  "organisation.created": AuditData | undefined;
  "facility-clearance.granted": AuditData | undefined;
  "facility-clearance.revoked": AuditData | undefined;
  "person.created": AuditData | undefined;
  "person.clearance-granted": AuditData | undefined;
  "person.role-granted": AuditData | undefined;
  "person.disabled": AuditData | undefined;
  "contract.created": AuditData | undefined;
  "contract.activated": AuditData | undefined;
  "carrier.registered": AuditData | undefined;
  "carrier.copied": AuditData | undefined;
  "carrier.translated": AuditData | undefined;
  "carrier.derived": AuditData | undefined;
  "carrier.custody-changed": AuditData | undefined;
  /** An access decision on a carrier (outcome `allowed` or `refused`), A4.2. */
  "carrier.access-decided": AuditData | undefined;
  "carrier.content-stored": AuditData | undefined;
  /** Destruction (A1.8): the content key and blob were erased. */
  "carrier.destroyed": AuditData | undefined;
  /** A11.1: a breach or suspected breach recorded (its notice sent in the same step when owed). */
  "breach.reported": AuditData | undefined;
  /** A11.1: the competent authority of the Party where it happened started the investigation. */
  "breach.investigation-started": AuditData | undefined;
  /** A11.1: the investigation's results recorded (and sent to the other Party when owed). */
  "breach.results-reported": AuditData | undefined;
  /** A11.2: the damage assessed and its settlement recorded; the case closed, its flags lifted. */
  "breach.settled": AuditData | undefined;
  /** A11.1, A4.2: the breaches the person may see were listed. */
  "breach.listed": AuditData | undefined;
  /** A11.1, A4.2: one breach case was shown. */
  "breach.viewed": AuditData | undefined;
  /** A11.1: the other Party's notice of a breach arrived; the carriers it names are flagged. */
  "breach.notice-received": AuditData | undefined;
  /** A11.1: the other Party's results of its investigation arrived. */
  "breach.results-received": AuditData | undefined;
  /** A11.2: the other Party closed the case (damage, settlement); the flags are lifted. */
  "breach.closure-received": AuditData | undefined;
  /** A9.2: the visiting side's competent authority sent a visit request (never personal data here). */
  "visit.requested": AuditData | undefined;
  /** A9.2: the host received a visit request in time. */
  "visit.received": AuditData | undefined;
  /** A9.1, A9.2: the host approved a visit request (visitors' person records created). */
  "visit.approved": AuditData | undefined;
  /** A9.1, A9.2: the host refused a visit request (by its officer, or at receipt when late). */
  "visit.refused": AuditData | undefined;
  /** A9.1: the visiting side received the host's answer. */
  "visit.answer-received": AuditData | undefined;
  /** A9.2: the visiting side withdrew its request. */
  "visit.cancelled": AuditData | undefined;
  /** A9.2: the host received the visiting side's cancellation. */
  "visit.cancellation-received": AuditData | undefined;
  /** A9.3: the host's security officer recorded a visitor's acquaintance with its handling rules. */
  "visit.visitor-acquainted": AuditData | undefined;
  /** A9.1: the host's security officer linked a carrier to a visit's topic. */
  "visit.carrier-linked": AuditData | undefined;
  /** A4.2: a listing of the visits a person may see. */
  "visits.listed": AuditData | undefined;
  /** A4.2, A9.2: one visit's view (with personal data only for those who may see them). */
  "visit.shown": AuditData | undefined;
  /** A9.2: the other Party's bodies listed for the request form. */
  "visit.host-bodies-listed": AuditData | undefined;
  /** A9.2 (policy): visitors' personal data erased after the retention period. */
  "visit.personal-data-erased": AuditData | undefined;
}

/** An event type of the log. */
export type AuditEventType = keyof AuditEventCatalogue & string;

/** What a caller gives to append an entry (the log adds the index). */
export type AuditEntryInput = {
  [E in AuditEventType]: {
    /** When it happened (UTC, millisecond precision). */
    readonly at: Date;
    /** Who did it: a person id, or `node:<id>` for the node itself. */
    readonly actor: string;
    /** The actor's organisation, if any. */
    readonly organisation: string | null;
    readonly event: E;
    /** What it was done to, e.g. `carrier:<id>`; null when nothing in particular. */
    readonly object: string | null;
    readonly outcome: AuditOutcome;
    /** The rule IDs applied (A6.5…), in the order the decision lists them. */
    readonly articles: readonly ArticleId[];
    readonly data?: AuditEventCatalogue[E];
  };
}[AuditEventType];

/** An entry as stored and read back: the input's facts in their stored form, and its index. */
export type AuditEntry = {
  readonly index: number;
  /** ISO 8601 UTC with milliseconds. */
  readonly time: string;
  readonly actor: string;
  readonly organisation: string | null;
  readonly event: string;
  readonly object: string | null;
  readonly outcome: AuditOutcome;
  readonly articles: readonly string[];
  readonly data: AuditData | null;
};

/** The columns an entry is stored in; the canonical bytes are rebuilt from exactly these. */
export type AuditEntryColumns = {
  readonly idx: number;
  readonly recorded_at: string;
  readonly actor: string;
  readonly organisation: string | null;
  readonly event_type: string;
  readonly object: string | null;
  readonly outcome: string;
  /** Canonical JSON text of the articles array. */
  readonly articles: string;
  /** Canonical JSON text of the data object, or null. */
  readonly data: string | null;
};

/** With the `u` flag, a surrogate range matches only unpaired surrogates (not well-formed UTF-16). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const EVENT_TYPE = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;
const MAX_TEXT = 512;
const MAX_DATA_BYTES = 64 * 1024;

function invalid(field: string, problem: string): never {
  throw new DomainError("INPUT_INVALID", { field: `audit.${field}`, problem });
}

function checkText(field: string, value: unknown, nullable: boolean): string | null {
  if (value === null && nullable) return null;
  if (typeof value !== "string" || value.length === 0 || value.length > MAX_TEXT) {
    invalid(field, `must be a non-empty string of at most ${MAX_TEXT} characters`);
  }
  // PostgreSQL text cannot hold NUL; refuse it everywhere so both databases store the same.
  if (value.includes("\u0000")) invalid(field, "must not contain NUL");
  if (LONE_SURROGATE.test(value)) invalid(field, "must be well-formed Unicode");
  return value;
}

/**
 * Writes a JSON value canonically: object keys sorted by UTF-16 code units, no whitespace, numbers
 * finite. Refuses anything that is not plain JSON (undefined, functions, NaN, cycles…).
 */
export function canonicalJson(value: unknown): string {
  const seen = new Set<object>();
  const write = (v: unknown, path: string): string => {
    if (v === null) return "null";
    switch (typeof v) {
      case "string":
        if (LONE_SURROGATE.test(v)) invalid(path, "must be well-formed Unicode");
        return JSON.stringify(v);
      case "boolean":
        return v ? "true" : "false";
      case "number":
        if (!Number.isFinite(v)) invalid(path, "numbers must be finite");
        return JSON.stringify(v);
      case "object": {
        if (seen.has(v)) invalid(path, "must not be cyclic");
        seen.add(v);
        let out: string;
        if (Array.isArray(v)) {
          out = `[${v.map((item, i) => write(item, `${path}[${i}]`)).join(",")}]`;
        } else {
          const proto = Object.getPrototypeOf(v);
          if (proto !== Object.prototype && proto !== null) invalid(path, "must be a plain JSON object");
          const keys = Object.keys(v).sort();
          out = `{${keys
            .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
            .map((k) => `${JSON.stringify(k)}:${write((v as Record<string, unknown>)[k], `${path}.${k}`)}`)
            .join(",")}}`;
        }
        seen.delete(v);
        return out;
      }
      default:
        return invalid(path, `${typeof v} is not JSON`);
    }
  };
  return write(value, "data");
}

/**
 * Checks an entry and turns it into its stored columns (without the index, which the log assigns).
 * Refuses malformed input with INPUT_INVALID; nothing is written then.
 */
export function toEntryColumns(entry: AuditEntryInput): Omit<AuditEntryColumns, "idx"> {
  if (!(entry.at instanceof Date) || Number.isNaN(entry.at.getTime()))
    invalid("at", "must be a valid instant");
  const time = entry.at.toISOString();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(time))
    invalid("at", `outside the storable range: ${time}`);
  if (typeof entry.event !== "string" || !EVENT_TYPE.test(entry.event) || entry.event.length > 100) {
    invalid("event", "must be lower-case dotted words, e.g. carrier.registered");
  }
  if (!OUTCOMES.includes(entry.outcome)) invalid("outcome", `must be one of ${OUTCOMES.join(", ")}`);
  if (!Array.isArray(entry.articles) || !entry.articles.every(isArticleId)) {
    invalid("articles", "must list rule IDs of the agreement (A6.5…)");
  }
  let data: string | null = null;
  if (entry.data !== undefined && entry.data !== null) {
    if (typeof entry.data !== "object" || Array.isArray(entry.data)) invalid("data", "must be a JSON object");
    data = canonicalJson(entry.data);
    if (Buffer.byteLength(data) > MAX_DATA_BYTES) invalid("data", `must be at most ${MAX_DATA_BYTES} bytes`);
  }
  return {
    recorded_at: time,
    actor: checkText("actor", entry.actor, false)!,
    organisation: checkText("organisation", entry.organisation, true),
    event_type: entry.event,
    object: checkText("object", entry.object, true),
    outcome: entry.outcome,
    articles: canonicalJson([...entry.articles]),
    data,
  };
}

const q = JSON.stringify;

/** The canonical bytes of an entry, rebuilt from its stored columns (see the top of this file). */
export function encodeEntry(row: AuditEntryColumns): Buffer {
  return Buffer.from(encodeEntryText(row), "utf8");
}

/** The canonical text of an entry (its bytes are this string's UTF-8). */
export function encodeEntryText(row: AuditEntryColumns): string {
  return (
    `{"actor":${q(row.actor)},"articles":${row.articles},"data":${row.data ?? "null"},` +
    `"event":${q(row.event_type)},"index":${row.idx},` +
    `"object":${row.object === null ? "null" : q(row.object)},` +
    `"organisation":${row.organisation === null ? "null" : q(row.organisation)},` +
    `"outcome":${q(row.outcome)},"time":${q(row.recorded_at)},"v":1}`
  );
}

/**
 * Reads an entry back from its stored canonical bytes (the source of truth; the columns beside them
 * are an index for queries). Throws if the bytes are not an entry's JSON.
 */
export function decodeEntry(bytes: Uint8Array): AuditEntry {
  const j = parseStored(
    StoredEntrySchema,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8"),
    "audit entry",
  );
  return {
    index: j.index,
    time: j.time,
    actor: j.actor,
    organisation: j.organisation,
    event: j.event,
    object: j.object,
    outcome: j.outcome,
    articles: j.articles,
    data: j.data,
  };
}

/** Reads stored columns back as an entry (parsing articles and data). */
export function fromEntryColumns(row: AuditEntryColumns): AuditEntry {
  return {
    index: row.idx,
    time: row.recorded_at,
    actor: row.actor,
    organisation: row.organisation,
    event: row.event_type,
    object: row.object,
    outcome: OutcomeSchema.parse(row.outcome),
    articles: parseStored(z.array(z.string()), row.articles, "audit_entries.articles"),
    data: row.data === null ? null : parseStored(AuditDataSchema, row.data, "audit_entries.data"),
  };
}
