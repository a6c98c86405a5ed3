// D3, A15.3: every record of an import of the repealed 2015 agreement's carriers checked before
// anything is written: its fields (docs/import-2015.md), its old marking through the pack's table
// (agreement.json `predecessor.markings`: the code names no level), its custodian among this node's
// organisations, its originator among the bodies whose written consent could be asked (A6.3–A6.7),
// the clearances it needs (A4.2, A4.1.3), and that it is not a carrier already in the registry.
// Every problem names its line and field; the caller commits nothing when there is one.
import type { Level } from "../../domain/agreement/pack-schema.ts";
import {
  levelOfPredecessorMarking,
  predecessorMarkingMap,
} from "../../domain/classification/predecessor-marking.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone, isWithin } from "../../domain/time/instants.ts";
import type { FacilityClearancesTable, OrganisationsTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { clearanceWindow } from "../access/clearance-window.ts";
import { clearedRank } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import { CARRIER_KINDS, type CarrierKind } from "../carriers/carrier-repository.ts";
import type { AppContext } from "../context.ts";
import { readPeerDirectory } from "../directory.ts";
import type { ImportProblem, ParsedImportFile } from "./predecessor-format.ts";

/** A record that passed every check, with what registering it needs. */
export type CheckedRecord = {
  readonly line: number;
  readonly oldNumber: string;
  readonly copy: number;
  readonly kind: CarrierKind;
  readonly title: string;
  readonly oldMarking: string;
  readonly level: Level;
  readonly originatorParty: string;
  /** The originator body as the record names it. */
  readonly originatorBody: string;
  /** This node's organisation id (own information) or the other Party's directory id. */
  readonly originatorId: string;
  /** What the carrier names its originator by: the body's name here, the directory id for the other Party's (as on receipt). */
  readonly originatorName: string;
  readonly custodian: OrganisationsTable;
  readonly sheets: number | null;
  readonly sizeBytes: number | null;
  readonly registeredOn: string;
  readonly direction: "in" | "out" | null;
  readonly otherPartyNumber: string | null;
  readonly transferDate: string | null;
};

export type CheckResult = {
  readonly records: readonly CheckedRecord[];
  readonly problems: readonly ImportProblem[];
};

const TEXT_LIMITS = {
  old_number: 100,
  title: 500,
  old_marking: 100,
  originator_body: 300,
  originator_body_id: 200,
  custodian: 300,
  other_party_number: 100,
} as const;

const MAX_COPY = 999_999;
const MAX_SHEETS = 1_000_000;
const DIRECTIONS = ["in", "out"] as const;
/** How many values one lookup query names (well under both databases' parameter limits). */
const LOOKUP_CHUNK = 500;

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds
const CONTROL_OR_NEWLINE = /[\u0000-\u001f\u007f]/;

/**
 * Checks every record of `file` for `actor` at the context's instant (see the top of this file).
 * `anyBody`: the actor imports for any body of this node (competent authority), else for their own.
 */
export async function checkPredecessorRecords(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  file: ParsedImportFile,
  anyBody: boolean,
): Promise<CheckResult> {
  const problems: ImportProblem[] = [...file.problems];
  const at = ctx.now().toISOString();
  const party = ctx.config.party;
  const zone = ctx.pack.parties.find((p) => p.code === party)!.timeZone;
  const today = dateInZone(at, zone);
  const earliest = [...ctx.pack.predecessor.repealedDecrees].map((d) => d.date).sort()[0]!;
  const markings = predecessorMarkingMap(ctx.pack);
  const markingLevels = new Map<string, Level | null>();
  const goodDates = new Set<string>();
  const parties = ctx.pack.parties.map((p) => p.code);

  const organisations = await trx.selectFrom("organisations").selectAll().execute();
  const own = organisations.filter((o) => o.party === party);
  const ownByName = new Map(own.map((o) => [o.name, o]));
  const ownById = new Map(own.map((o) => [o.id, o]));
  const facility = await trx
    .selectFrom("facility_clearances")
    .selectAll()
    .where("revoked_at", "is", null)
    .execute();
  const facilityRank = facilityRanks(ctx, facility, at);
  const actorRank = clearedRank(ctx, actor, at);
  const peer = readPeerDirectory(ctx.dataDir);
  const peerById = new Map((peer?.organisations ?? []).map((o) => [o.id, o]));
  const peerByName = new Map((peer?.organisations ?? []).map((o) => [o.name, o]));

  const records: CheckedRecord[] = [];
  const byOldNumber = new Map<string, number>();
  const byOriginRef = new Map<string, number>();
  for (const record of file.records) {
    const found: ImportProblem[] = [];
    const lineOf = (field: string) => record.fieldLines?.get(field) ?? record.line;
    const add = (field: string, error: DomainError) => found.push({ line: lineOf(field), field, error });
    const text = (field: keyof typeof TEXT_LIMITS, required: boolean): string | null => {
      const raw = record.values[field];
      const line = lineOf(field);
      if (raw === undefined) {
        if (required) add(field, new DomainError("IMPORT_FIELD_MISSING", { line, field }));
        return null;
      }
      const value = raw.normalize("NFC").trim();
      const max = TEXT_LIMITS[field];
      if (value.length > max || (field === "title" ? CONTROL : CONTROL_OR_NEWLINE).test(value)) {
        add(field, new DomainError("IMPORT_TEXT_INVALID", { line, field, max }));
        return null;
      }
      return value;
    };
    const whole = (field: "copy" | "sheets" | "size_bytes", max: number): number | null => {
      const raw = record.values[field]?.trim();
      if (raw === undefined) return null;
      const n = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < 1 || n > max) {
        add(
          field,
          new DomainError("IMPORT_NUMBER_INVALID", { line: lineOf(field), field, value: raw, min: 1, max }),
        );
        return null;
      }
      return n;
    };
    const date = (field: "registered_on" | "transfer_date"): string | null => {
      const raw = record.values[field]?.trim();
      if (raw === undefined) return null;
      if (goodDates.has(raw)) return raw;
      if (!isCalendarDate(raw) || raw < earliest || raw > today) {
        add(
          field,
          new DomainError("IMPORT_DATE_INVALID", {
            line: lineOf(field),
            field,
            value: raw,
            from: earliest,
            to: today,
          }),
        );
        return null;
      }
      goodDates.add(raw);
      return raw;
    };
    const oneOf = <T extends string>(field: string, allowed: readonly T[], value: string): T | null => {
      if ((allowed as readonly string[]).includes(value)) return value as T;
      add(
        field,
        new DomainError("IMPORT_VALUE_NOT_ALLOWED", {
          line: lineOf(field),
          field,
          value,
          allowed: allowed.join(", "),
        }),
      );
      return null;
    };

    const oldNumber = text("old_number", true);
    const copyRaw = record.values.copy;
    if (copyRaw === undefined)
      add("copy", new DomainError("IMPORT_FIELD_MISSING", { line: lineOf("copy"), field: "copy" }));
    const copy = whole("copy", MAX_COPY);
    const kindRaw = record.values.kind?.trim();
    if (kindRaw === undefined)
      add("kind", new DomainError("IMPORT_FIELD_MISSING", { line: lineOf("kind"), field: "kind" }));
    const kind = kindRaw === undefined ? null : oneOf("kind", CARRIER_KINDS, kindRaw);
    const title = text("title", true);
    const oldMarking = text("old_marking", true);
    let level: Level | null = null;
    if (oldMarking !== null) {
      // Old markings repeat: each distinct text is folded and looked up once.
      level = markingLevels.get(oldMarking) ?? levelOfPredecessorMarking(markings, oldMarking);
      markingLevels.set(oldMarking, level);
      if (level === null)
        add(
          "old_marking",
          new DomainError("IMPORT_MARKING_UNMAPPED", {
            line: lineOf("old_marking"),
            field: "old_marking",
            marking: oldMarking,
          }),
        );
    }
    const partyRaw = record.values.originator_party?.trim().toUpperCase();
    if (partyRaw === undefined)
      add(
        "originator_party",
        new DomainError("IMPORT_FIELD_MISSING", {
          line: lineOf("originator_party"),
          field: "originator_party",
        }),
      );
    const originatorParty = partyRaw === undefined ? null : oneOf("originator_party", parties, partyRaw);
    const originatorBody = text("originator_body", true);
    const originatorBodyId = text("originator_body_id", false);
    const custodianName = text("custodian", true);
    const sheets = whole("sheets", MAX_SHEETS);
    const sizeBytes = whole("size_bytes", Number.MAX_SAFE_INTEGER);
    if (kind === "paper-document" && record.values.sheets === undefined)
      add("sheets", new DomainError("IMPORT_FIELD_MISSING", { line: lineOf("sheets"), field: "sheets" }));
    const registeredOnRaw = record.values.registered_on;
    if (registeredOnRaw === undefined)
      add(
        "registered_on",
        new DomainError("IMPORT_FIELD_MISSING", { line: lineOf("registered_on"), field: "registered_on" }),
      );
    const registeredOn = date("registered_on");
    const directionRaw = record.values.transfer_direction?.trim().toLowerCase();
    const direction =
      directionRaw === undefined ? null : oneOf("transfer_direction", DIRECTIONS, directionRaw);
    const otherPartyNumber = text("other_party_number", false);
    const transferDate = date("transfer_date");

    // The transfer fits the originator: the other Party's information was received (in), with the
    // originator's number (its reference for consents, A6.3–A6.7) and the date; this Party's own
    // was not transferred, or sent (out) with the receiver's number and the date.
    if (originatorParty !== null && (directionRaw === undefined || direction !== null)) {
      const foreign = originatorParty !== party;
      const withTransfer = direction !== null;
      const consistent = foreign ? direction === "in" : direction !== "in";
      const inconsistent = (field: string) =>
        add(field, new DomainError("IMPORT_TRANSFER_INCONSISTENT", { line: lineOf(field), field }));
      if (!consistent) inconsistent("transfer_direction");
      else if (withTransfer) {
        if (record.values.other_party_number === undefined)
          add(
            "other_party_number",
            new DomainError("IMPORT_FIELD_MISSING", {
              line: lineOf("other_party_number"),
              field: "other_party_number",
            }),
          );
        if (record.values.transfer_date === undefined)
          add(
            "transfer_date",
            new DomainError("IMPORT_FIELD_MISSING", {
              line: lineOf("transfer_date"),
              field: "transfer_date",
            }),
          );
      } else if (record.values.other_party_number !== undefined) inconsistent("other_party_number");
      else if (record.values.transfer_date !== undefined) inconsistent("transfer_date");
    }

    // The custodian: a body of this node, the actor's own unless the competent authority imports.
    let custodian: OrganisationsTable | null = null;
    if (custodianName !== null) {
      custodian = ownByName.get(custodianName) ?? null;
      if (custodian === null)
        add(
          "custodian",
          new DomainError("IMPORT_CUSTODIAN_UNKNOWN", {
            line: lineOf("custodian"),
            field: "custodian",
            custodian: custodianName,
          }),
        );
      else if (!anyBody && custodian.id !== actor.organisation.id) {
        add(
          "custodian",
          new DomainError("IMPORT_CUSTODIAN_NOT_OWN", {
            line: lineOf("custodian"),
            field: "custodian",
            custodian: custodianName,
          }),
        );
        custodian = null;
      }
    }
    // A4.2: the importer learns of what they register; A4.1.3: the custodian keeps it as national
    // information of its level, under a facility clearance valid today.
    if (level !== null) {
      if (level.rank > actorRank)
        add(
          "old_marking",
          new DomainError("IMPORT_ABOVE_CLEARANCE", {
            line: lineOf("old_marking"),
            field: "old_marking",
            level: level.id,
          }),
        );
      if (custodian !== null && (facilityRank.get(custodian.id) ?? 0) < level.rank)
        add(
          "custodian",
          new DomainError("IMPORT_CUSTODIAN_NOT_CLEARED", {
            line: lineOf("custodian"),
            field: "custodian",
            custodian: custodian.name,
            level: level.id,
          }),
        );
    }

    // The originator: a body whose written consent could be asked (A6.3–A6.7) — one of this node's
    // organisations, or one in the other Party's directory as imported here (by its id, for a body
    // renamed or merged since, else by name).
    let originatorId: string | null = null;
    let originatorName: string | null = null;
    if (originatorParty !== null && originatorBody !== null) {
      if (originatorParty === party) {
        const body = originatorBodyId ? ownById.get(originatorBodyId) : ownByName.get(originatorBody);
        originatorId = body?.id ?? null;
        originatorName = body?.name ?? null;
      } else if (peer !== null && peer.party === originatorParty) {
        const body = originatorBodyId ? peerById.get(originatorBodyId) : peerByName.get(originatorBody);
        originatorId = body?.id ?? null;
        originatorName = body?.id ?? null;
      }
      if (originatorId === null) {
        const field = originatorBodyId ? "originator_body_id" : "originator_body";
        add(
          field,
          new DomainError("IMPORT_ORIGINATOR_UNKNOWN", {
            line: lineOf(field),
            field,
            body: originatorBodyId ?? originatorBody,
            party: originatorParty,
          }),
        );
      }
    }

    // The same carrier twice in the file: one old register's number and copy, or one originator's reference.
    if (custodian !== null && oldNumber !== null && copy !== null) {
      const key = `${custodian.id}\u0000${oldNumber}\u0000${copy}`;
      const first = byOldNumber.get(key);
      if (first !== undefined)
        add(
          "old_number",
          new DomainError("IMPORT_DUPLICATE_IN_FILE", {
            line: lineOf("old_number"),
            field: "old_number",
            otherLine: first,
          }),
        );
      else byOldNumber.set(key, record.line);
    }
    if (originatorParty !== null && originatorParty !== party && otherPartyNumber !== null && copy !== null) {
      const key = `${originatorParty}\u0000${otherPartyNumber}\u0000${copy}`;
      const first = byOriginRef.get(key);
      if (first !== undefined)
        add(
          "other_party_number",
          new DomainError("IMPORT_DUPLICATE_IN_FILE", {
            line: lineOf("other_party_number"),
            field: "other_party_number",
            otherLine: first,
          }),
        );
      else byOriginRef.set(key, record.line);
    }

    if (found.length > 0) {
      problems.push(...found);
      continue;
    }
    records.push({
      line: record.line,
      oldNumber: oldNumber!,
      copy: copy!,
      kind: kind!,
      title: title!,
      oldMarking: oldMarking!,
      level: level!,
      originatorParty: originatorParty!,
      originatorBody: originatorBody!,
      originatorId: originatorId!,
      originatorName: originatorName!,
      custodian: custodian!,
      sheets,
      sizeBytes,
      registeredOn: registeredOn!,
      direction,
      otherPartyNumber,
      transferDate,
    });
  }
  const held = await alreadyRegistered(trx, ctx, records);
  problems.push(...held);
  problems.sort((a, b) => a.line - b.line);
  const refused = new Set(held.map((p) => p.line));
  return { records: refused.size === 0 ? records : records.filter((r) => !refused.has(r.line)), problems };
}

/** A record already in this registry: imported before (same old register, number and copy) or received with the same reference. */
async function alreadyRegistered(
  trx: Trx,
  ctx: AppContext,
  records: readonly CheckedRecord[],
): Promise<ImportProblem[]> {
  const problems: ImportProblem[] = [];
  const origin = ctx.pack.predecessor.id;
  const oldNumbers = [...new Set(records.map((r) => r.oldNumber))];
  const imported = new Map<string, string>();
  for (let i = 0; i < oldNumbers.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom("predecessor_records")
      .innerJoin("carriers", "carriers.id", "predecessor_records.carrier_id")
      .select([
        "predecessor_records.register_org",
        "predecessor_records.old_number",
        "predecessor_records.old_copy",
        "carriers.registration_number",
        "carriers.copy_number",
      ])
      .where("predecessor_records.origin_agreement", "=", origin)
      .where("predecessor_records.old_number", "in", oldNumbers.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const r of rows)
      imported.set(
        `${r.register_org}\u0000${r.old_number}\u0000${r.old_copy}`,
        `${r.registration_number}/${r.copy_number}`,
      );
  }
  // A bilateral agreement: the other Party's information has one originator Party.
  const otherParty = ctx.pack.parties.find((p) => p.code !== ctx.config.party)!.code;
  const foreign = records.filter((r) => r.otherPartyNumber !== null && r.originatorParty === otherParty);
  const refs = [...new Set(foreign.map((r) => r.otherPartyNumber!))];
  const received = new Map<string, string>();
  for (let i = 0; i < refs.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom("received_carriers")
      .innerJoin("carriers", "carriers.id", "received_carriers.carrier_id")
      .select([
        "received_carriers.origin_party",
        "received_carriers.origin_registration_number",
        "received_carriers.origin_copy_number",
        "carriers.registration_number",
        "carriers.copy_number",
      ])
      .where("received_carriers.origin_party", "=", otherParty)
      .where("received_carriers.origin_registration_number", "in", refs.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const r of rows)
      received.set(
        `${r.origin_party}\u0000${r.origin_registration_number}\u0000${r.origin_copy_number}`,
        `${r.registration_number}/${r.copy_number}`,
      );
  }
  for (const r of records) {
    const before = imported.get(`${r.custodian.id}\u0000${r.oldNumber}\u0000${r.copy}`);
    if (before !== undefined)
      problems.push({
        line: r.line,
        field: "old_number",
        error: new DomainError("IMPORT_ALREADY_REGISTERED", {
          line: r.line,
          field: "old_number",
          registrationNumber: before,
        }),
      });
    if (r.otherPartyNumber === null || r.originatorParty === ctx.config.party) continue;
    const held = received.get(`${r.originatorParty}\u0000${r.otherPartyNumber}\u0000${r.copy}`);
    if (held !== undefined)
      problems.push({
        line: r.line,
        field: "other_party_number",
        error: new DomainError("IMPORT_ALREADY_REGISTERED", {
          line: r.line,
          field: "other_party_number",
          registrationNumber: held,
        }),
      });
  }
  return problems;
}

/** Each organisation's highest facility clearance rank valid at `at` (A1.11), 0 for none. */
function facilityRanks(
  ctx: AppContext,
  clearances: readonly FacilityClearancesTable[],
  at: string,
): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const c of clearances) {
    const window = clearanceWindow(ctx, c);
    if (!isWithin(at, window.validFrom, window.validUntil)) continue;
    const rank = ctx.pack.levels.find((l) => l.id === c.level)?.rank ?? 0;
    ranks.set(c.organisation_id, Math.max(ranks.get(c.organisation_id) ?? 0, rank));
  }
  return ranks;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d\d)-(\d\d)$/.exec(value);
  if (!match) return false;
  const d = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return d.toISOString().slice(0, 10) === value;
}
