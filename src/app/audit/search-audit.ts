// The audit log as people search it (A4.2: every access decision is recorded, and the auditors and
// the competent authority must be able to find them; A4.1.1, A6.2): filters by time, person, event,
// outcome, object and registration number, newest first in keyset pages (the cursor is an entry's
// index, so a page never shifts while entries are appended), each object named as people name it.
// A registration number finds only the carriers the reader may learn of (the one visibility rule);
// for any other it finds nothing, exactly as for a number that does not exist. Each search and each
// export is itself one audit entry, with its filters in its data.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError, type JsonValue } from "../../domain/errors.ts";
import { jsonStringList, parseJsonColumn } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { decideVisibilities } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { resolveObjectNames } from "./object-names.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "audit.searched": AuditData | undefined;
    "audit.exported": AuditData | undefined;
  }
}

export const AUDIT_OUTCOMES = ["done", "allowed", "refused", "failed"] as const;
export type AuditOutcomeFilter = (typeof AUDIT_OUTCOMES)[number];

/** What a search asks; every field is optional and they combine (all must hold). */
export type AuditFilters = {
  /** Entries recorded at or after this instant (ISO 8601). */
  readonly from?: string;
  /** Entries recorded before this instant (ISO 8601). */
  readonly to?: string;
  /** The acting person: their id or handle (or a raw actor such as `node:…`). */
  readonly person?: string;
  /** An event type (`carrier.registered`), or a prefix ending in a dot (`carrier.`). */
  readonly event?: string;
  readonly outcome?: string;
  /** An object as recorded: `type:id`. */
  readonly object?: string;
  /** A carrier's registration number (every copy) or `NUMBER/COPY`. */
  readonly number?: string;
};

export const AUDIT_PAGE_MAX = 200;
export const AUDIT_EXPORT_MAX = 5000;

export type AuditSearchRow = {
  index: number;
  at: string;
  actorId: string;
  actor: string;
  organisation: string;
  event: string;
  outcome: string;
  /** As recorded (`carrier:<id>`), "" for none. */
  object: string;
  /** The object's type (`carrier`, `transfer`, …), "" for none. */
  objectType: string;
  /** As people name it; the raw object when the reader may not learn its name. */
  objectName: string;
  /** The carrier whose page the object links to, when the reader may see it. */
  carrierId: string | null;
  articles: string[];
};

export type AuditSearchPage = { items: AuditSearchRow[]; nextCursor: string | null };

type ParsedFilters = {
  from?: string;
  to?: string;
  person?: string;
  event?: string;
  outcome?: AuditOutcomeFilter;
  object?: string;
  number?: string;
};

function invalid(field: string, problem: string): never {
  throw new DomainError("INPUT_INVALID", { field, problem });
}

function instant(field: string, value: string | undefined): string | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}/.test(value)) invalid(field, "an ISO 8601 instant");
  return new Date(ms).toISOString();
}

function text(field: string, value: string | undefined, max = 200): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (v === "") return undefined;
  if (v.length > max) invalid(field, `at most ${max} characters`);
  return v;
}

/** Checks and normalises the filters (bad input refused before anything is read). */
export function parseAuditFilters(filters: AuditFilters): ParsedFilters {
  const parsed: ParsedFilters = {};
  const from = instant("from", filters.from);
  const to = instant("to", filters.to);
  if (from !== undefined) parsed.from = from;
  if (to !== undefined) parsed.to = to;
  const person = text("person", filters.person);
  if (person !== undefined) parsed.person = person;
  const event = text("event", filters.event, 100);
  if (event !== undefined) {
    if (!/^[a-z0-9.-]+$/.test(event)) invalid("event", "an event type or a prefix ending in a dot");
    parsed.event = event;
  }
  const outcome = text("outcome", filters.outcome, 20);
  if (outcome !== undefined) {
    if (!(AUDIT_OUTCOMES as readonly string[]).includes(outcome))
      invalid("outcome", `one of ${AUDIT_OUTCOMES.join(", ")}`);
    parsed.outcome = outcome as AuditOutcomeFilter;
  }
  const object = text("object", filters.object, 300);
  if (object !== undefined) {
    if (!/^[a-z-]+:.+$/.test(object)) invalid("object", "type:id");
    parsed.object = object;
  }
  const number = text("number", filters.number, 100);
  if (number !== undefined) parsed.number = number;
  return parsed;
}

function cursorOf(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) invalid("cursor", "not a cursor");
  return n;
}

function limitOf(value: number | undefined, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) invalid("limit", `a whole number 1–${max}`);
  return value;
}

/** The recorded objects a registration number stands for, as far as `actor` may learn of them. */
async function objectsOfNumber(trx: Trx, ctx: AppContext, actor: Actor, ref: string, at: string) {
  const slash = /^(.+)\/(\d{1,6})$/.exec(ref);
  let q = trx
    .selectFrom("carriers")
    .select(["id", "level", "state", "custodian_organisation_id", "contract_id", "originator_party"])
    .where("registration_number", "=", slash ? slash[1]! : ref);
  if (slash) q = q.where("copy_number", "=", Number(slash[2]));
  const rows = await q.execute();
  const decided = await decideVisibilities(trx, ctx, actor, rows, at);
  const visible = rows.filter((r) => decided.get(r.id)?.record === true).map((r) => r.id);
  if (visible.length === 0) return [];
  const transfers = await trx
    .selectFrom("transfers")
    .select("id")
    .where("carrier_id", "in", visible)
    .execute();
  return [...visible.map((id) => `carrier:${id}`), ...transfers.map((t) => `transfer:${t.id}`)];
}

/** The log's entries newest first from before `before` (all when undefined), with the actor's and organisation's names. */
export function auditEntryRows(trx: Trx, before?: number) {
  const q = trx
    .selectFrom("audit_entries")
    .leftJoin("people", "people.id", "audit_entries.actor")
    .leftJoin("organisations", "organisations.id", "audit_entries.organisation")
    .select([
      "audit_entries.idx",
      "audit_entries.recorded_at",
      "audit_entries.actor",
      "people.name as actor_name",
      "organisations.name as organisation_name",
      "audit_entries.organisation",
      "audit_entries.event_type",
      "audit_entries.object",
      "audit_entries.outcome",
      "audit_entries.articles",
    ]);
  return before === undefined ? q : q.where("audit_entries.idx", "<", before);
}
async function searchRows(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  filters: ParsedFilters,
  before: number | undefined,
  limit: number,
): Promise<AuditSearchPage> {
  const at = ctx.now().toISOString();
  let objects: string[] | undefined;
  if (filters.number !== undefined) {
    objects = await objectsOfNumber(trx, ctx, actor, filters.number, at);
    if (filters.object !== undefined) objects = objects.filter((o) => o === filters.object);
    if (objects.length === 0) return { items: [], nextCursor: null };
  } else if (filters.object !== undefined) {
    objects = [filters.object];
  }
  let actorIds: string[] | undefined;
  if (filters.person !== undefined) {
    const person = filters.person;
    const found = await trx
      .selectFrom("people")
      .select("id")
      .where((eb) => eb.or([eb("handle", "=", person), eb("id", "=", person)]))
      .execute();
    actorIds = [person, ...found.map((p) => p.id)];
  }
  let q = auditEntryRows(trx, before);
  if (filters.from !== undefined) q = q.where("audit_entries.recorded_at", ">=", filters.from);
  if (filters.to !== undefined) q = q.where("audit_entries.recorded_at", "<", filters.to);
  if (actorIds !== undefined) q = q.where("audit_entries.actor", "in", actorIds);
  if (filters.event !== undefined) {
    // The pattern holds only [a-z0-9.-] (checked), so it needs no escaping.
    q = filters.event.endsWith(".")
      ? q.where("audit_entries.event_type", "like", `${filters.event}%`)
      : q.where("audit_entries.event_type", "=", filters.event);
  }
  if (filters.outcome !== undefined) q = q.where("audit_entries.outcome", "=", filters.outcome);
  if (objects !== undefined) q = q.where("audit_entries.object", "in", objects);
  const rows = await q
    .orderBy("audit_entries.idx", "desc")
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const names = await resolveObjectNames(
    trx,
    ctx,
    actor,
    page.map((r) => r.object).filter((o): o is string => o !== null),
    at,
  );
  return {
    items: page.map((r) => {
      const object = r.object ?? "";
      const named = names.get(object);
      return {
        index: Number(r.idx),
        at: r.recorded_at,
        actorId: r.actor,
        actor: r.actor_name ?? r.actor,
        organisation: r.organisation_name ?? r.organisation ?? "",
        event: r.event_type,
        outcome: r.outcome,
        object,
        objectType: object.includes(":") ? object.slice(0, object.indexOf(":")) : "",
        objectName: named?.name ?? object,
        carrierId: named?.carrierId ?? null,
        articles: parseJsonColumn(jsonStringList, r.articles, "audit_entries.articles"),
      };
    }),
    nextCursor: rows.length > limit ? String(page.at(-1)?.idx) : null,
  };
}

function filtersData(filters: ParsedFilters): { [key: string]: JsonValue } {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as {
    [key: string]: string;
  };
}

/** One page of the entries matching `filters`, before `cursor` (an index), newest first. */
export async function searchAudit(
  ctx: AppContext,
  input: {
    readonly actor: string;
    readonly filters?: AuditFilters;
    readonly cursor?: string;
    readonly limit?: number;
  },
): Promise<AuditSearchPage> {
  const filters = parseAuditFilters(input.filters ?? {});
  const before = cursorOf(input.cursor);
  const limit = limitOf(input.limit, AUDIT_PAGE_MAX, 100);
  return executeUseCase(ctx, { actor: input.actor, action: "audit.searched" }, async (trx, actor) => {
    // A4.1.1, A5.5: the auditors, and the competent authority that oversees the Party's protection.
    requireRole(actor, "auditor", "competent-authority-officer");
    const page = await searchRows(trx, ctx, actor, filters, before, limit);
    await recordDone(trx, ctx, actor, {
      type: "audit.searched",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A4.1.1", "A6.2"],
      data: {
        filters: filtersData(filters),
        shown: page.items.length,
        ...(before !== undefined ? { before } : {}),
      },
    });
    return page;
  });
}

export type AuditExportFormat = "csv" | "json";

/** The entries matching `filters` (newest first, up to `limit`), for a file; recorded as an export. */
export async function exportAudit(
  ctx: AppContext,
  input: {
    readonly actor: string;
    readonly format: AuditExportFormat;
    readonly filters?: AuditFilters;
    readonly cursor?: string;
    readonly limit?: number;
  },
): Promise<AuditSearchPage & { format: AuditExportFormat }> {
  const filters = parseAuditFilters(input.filters ?? {});
  const before = cursorOf(input.cursor);
  const limit = limitOf(input.limit, AUDIT_EXPORT_MAX, AUDIT_EXPORT_MAX);
  return executeUseCase(ctx, { actor: input.actor, action: "audit.exported" }, async (trx, actor) => {
    // A4.1.1, A5.5: whoever may search the log may take its entries away as a file.
    requireRole(actor, "auditor", "competent-authority-officer");
    const page = await searchRows(trx, ctx, actor, filters, before, limit);
    await recordDone(trx, ctx, actor, {
      type: "audit.exported",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A4.1.1", "A6.2"],
      data: {
        filters: filtersData(filters),
        format: input.format,
        shown: page.items.length,
        ...(before !== undefined ? { before } : {}),
      },
    });
    return { ...page, format: input.format };
  });
}

const CSV_COLUMNS = [
  "index",
  "at",
  "actorId",
  "actor",
  "organisation",
  "event",
  "outcome",
  "object",
  "objectName",
  "articles",
] as const;

function csvCell(value: string): string {
  // A cell that a spreadsheet would run as a formula is quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) || safe !== value ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rows as CSV (RFC 4180: a header line, CRLF line ends). */
export function auditRowsToCsv(rows: readonly AuditSearchRow[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const row of rows) {
    lines.push(
      CSV_COLUMNS.map((c) => csvCell(c === "articles" ? row.articles.join(" ") : String(row[c]))).join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}
