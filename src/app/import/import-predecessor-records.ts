// D3, A15.3: carriers exchanged or created under the repealed 2015 agreement, imported into this
// node's registry and protected from then on like every other carrier. One use case, one
// transaction, one audit entry with the counts: every record is checked first
// (check-predecessor-records.ts) and, with any problem, nothing is written (the refusal is recorded,
// naming the first problem; the report lists them all with their lines and fields). Otherwise each
// record becomes a carrier of the custodian body's registry, numbered as the registry numbers any
// carrier (records of one old number share a new number, each keeping its copy, A6.2), marked with
// its level's marking through the pack's table of old markings (A2.1, A6.1). The other Party's
// information keeps the originator's reference in `received_carriers`, exactly as a carrier received
// under the new agreement does, so that the originator's written consent (A6.3–A6.7) is asked and
// spent for it by the same rules; its origin is flagged in `predecessor_records`.
//
// Written in batches of multi-row INSERTs in the one transaction (10^6 records: see
// bench/import.bench.ts); a dry run checks the same and writes nothing but its audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { markingOf } from "../../domain/classification/levels.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import type { ReceivedCarriersTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { PredecessorRecordsTable } from "../../store/predecessor-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { type Actor, requireRole } from "../actor.ts";
import { reserveRegistrationNumbers, titleWords } from "../carriers/carrier-repository.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { type CheckedRecord, checkPredecessorRecords } from "./check-predecessor-records.ts";
import type { ImportFormat, ImportProblem, ParsedImportFile } from "./predecessor-format.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** D3, A15.3: records of the 2015 agreement imported as carriers (one entry with the counts). */
    "carriers.imported": AuditData | undefined;
    /** D3: a dry run of such an import checked (nothing written). */
    "carriers.import-checked": AuditData | undefined;
  }
}

export type ImportPredecessorInput = {
  readonly actor: string;
  readonly file: ParsedImportFile;
  /** Check only: report what would be imported, write nothing but the audit entry. */
  readonly dryRun?: boolean;
  /** Progress of the writing (records written of the total), for a terminal's progress bar. */
  readonly onProgress?: (done: number, total: number) => void;
};

/** One carrier of the report: imported (with its new number) or, in a dry run, to be imported. */
export type ImportedCarrier = {
  readonly line: number;
  readonly oldNumber: string;
  readonly copy: number;
  readonly levelId: string;
  readonly marking: string;
  readonly nationalMarking: string | null;
  readonly originatorParty: string;
  readonly custodian: string;
  /** `NUMBER/COPY` in this registry; null in a dry run. */
  readonly registrationNumber: string | null;
  readonly id: string | null;
};

export type ImportReport = {
  readonly outcome: "imported" | "dry-run" | "refused";
  readonly importId: string;
  readonly format: ImportFormat;
  readonly origin: string;
  /** Records read from the file. */
  readonly rows: number;
  /** Imported, or (dry run) to be imported; empty when refused. */
  readonly carriers: readonly ImportedCarrier[];
  readonly problems: readonly ImportProblem[];
  /** Counts of `carriers` by level id and by originator Party. */
  readonly byLevel: Readonly<Record<string, number>>;
  readonly byOriginator: Readonly<Record<string, number>>;
};

/** Rows per multi-row INSERT (the carriers table has 23 columns: well under both databases' limits). */
const CARRIER_BATCH = 1000;
const WORD_BATCH = 5000;
/** Problems named in the refusal's audit entry (the report has them all). */
const AUDITED_PROBLEMS = 20;

/**
 * Imports the records of `input.file` (see the top of this file). The actor is a registry officer
 * (into their own body's registry) or a competent authority officer (into any body's). Returns the
 * report; a refused import returns it too (outcome `refused`), after its refusal was recorded.
 */
export async function importPredecessorRecords(
  ctx: AppContext,
  input: ImportPredecessorInput,
): Promise<ImportReport> {
  const dryRun = input.dryRun === true;
  const importId = ctx.newId();
  const object = { type: "import", id: importId };
  let refused: ImportReport | null = null;
  try {
    return await executeUseCase(
      ctx,
      { actor: input.actor, action: dryRun ? "carriers.import-checked" : "carriers.imported", object },
      async (trx, actor) => {
        requireRole(actor, "registry-officer", "competent-authority-officer");
        const anyBody =
          actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
        if (!anyBody && !actor.roles.has("registry-officer"))
          throw new DomainError("ROLE_FORBIDDEN", { needed: ["registry-officer"], actor: actor.handle });
        const checked = await checkPredecessorRecords(trx, ctx, actor, input.file, anyBody);
        const base = {
          importId,
          format: input.file.format,
          origin: ctx.pack.predecessor.id,
          rows: input.file.records.length,
        };
        if (dryRun) {
          const carriers = checked.records.map((r) => toBeImported(ctx, r));
          const report: ImportReport = {
            ...base,
            outcome: "dry-run",
            carriers,
            problems: checked.problems,
            ...countsOf(carriers),
          };
          await recordDone(trx, ctx, actor, {
            type: "carriers.import-checked",
            outcome: "allowed",
            object,
            articles: ["D3", "A15.3"],
            data: auditData(report),
          });
          return report;
        }
        if (checked.problems.length > 0) {
          const first = checked.problems[0]!;
          refused = {
            ...base,
            outcome: "refused",
            carriers: [],
            problems: checked.problems,
            byLevel: {},
            byOriginator: {},
          };
          throw new DomainError("IMPORT_REFUSED", {
            rows: base.rows,
            count: checked.problems.length,
            line: first.line,
            field: first.field ?? "-",
            importId,
            problems: checked.problems
              .slice(0, AUDITED_PROBLEMS)
              .map((p) => `${p.line}:${p.field ?? "-"}:${p.error.code}`),
          });
        }
        const carriers = await writeRecords(trx, ctx, actor, importId, checked.records, input.onProgress);
        const report: ImportReport = {
          ...base,
          outcome: "imported",
          carriers,
          problems: [],
          ...countsOf(carriers),
        };
        await recordDone(trx, ctx, actor, {
          type: "carriers.imported",
          object,
          articles: ["D3", "A15.3", "A6.2", "A6.1", "A2.1"],
          data: auditData(report),
        });
        return report;
      },
    );
  } catch (error) {
    if (refused !== null && isDomainError(error, "IMPORT_REFUSED")) return refused;
    throw error;
  }
}

/** A checked record as a dry run reports it: what it would become, without a number yet. */
function toBeImported(ctx: AppContext, r: CheckedRecord): ImportedCarrier {
  const { marking, nationalMarking } = markingsOf(ctx, r);
  return {
    line: r.line,
    oldNumber: r.oldNumber,
    copy: r.copy,
    levelId: r.level.id,
    marking,
    nationalMarking,
    originatorParty: r.originatorParty,
    custodian: r.custodian.name,
    registrationNumber: null,
    id: null,
  };
}

/**
 * A1.5, A6.1: the marking of the record's level as the originator's Party writes it, and for the
 * other Party's information the equivalent national marking beside it (A2.1), as on receipt.
 */
function markingsOf(ctx: AppContext, r: CheckedRecord): { marking: string; nationalMarking: string | null } {
  const own = ctx.config.party;
  return {
    marking: markingOf(ctx.pack, r.originatorParty, r.level.id),
    nationalMarking: r.originatorParty === own ? null : markingOf(ctx.pack, own, r.level.id),
  };
}

function countsOf(carriers: readonly ImportedCarrier[]) {
  const byLevel: Record<string, number> = {};
  const byOriginator: Record<string, number> = {};
  for (const c of carriers) {
    byLevel[c.levelId] = (byLevel[c.levelId] ?? 0) + 1;
    byOriginator[c.originatorParty] = (byOriginator[c.originatorParty] ?? 0) + 1;
  }
  return { byLevel, byOriginator };
}

function auditData(report: ImportReport): AuditData {
  const numbers = report.carriers.map((c) => c.registrationNumber).filter((n): n is string => n !== null);
  return {
    importId: report.importId,
    origin: report.origin,
    format: report.format,
    rows: report.rows,
    carriers: report.carriers.length,
    problems: report.problems.length,
    byLevel: report.byLevel,
    byOriginator: report.byOriginator,
    first: numbers[0] ?? null,
    last: numbers[numbers.length - 1] ?? null,
  };
}

/** Registers the checked records (see the top of this file); returns them with their new numbers. */
async function writeRecords(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  importId: string,
  records: readonly CheckedRecord[],
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<ImportedCarrier[]> {
  if (records.length === 0) return [];
  // Copies of one document share its number (A6.2): one number per old number of one body's register.
  const groups = new Map<string, number>();
  for (const r of records) {
    const key = `${r.custodian.id}\u0000${r.oldNumber}`;
    if (!groups.has(key)) groups.set(key, groups.size);
  }
  const { numbers, firstSeq } = await reserveRegistrationNumbers(trx, ctx, groups.size);
  const stamp = toTimestamp(ctx.now());
  const own = ctx.config.party;
  const origin = ctx.pack.predecessor.id;
  const report: ImportedCarrier[] = [];
  // The title index is written last, in its key's order: its b-tree is then filled page by page.
  const words: { word: string; carrier_seq: number }[] = [];
  for (let start = 0; start < records.length; start += CARRIER_BATCH) {
    const batch = records.slice(start, start + CARRIER_BATCH);
    const rows: CarriersTable[] = [];
    const received: ReceivedCarriersTable[] = [];
    const flags: PredecessorRecordsTable[] = [];
    for (const [i, r] of batch.entries()) {
      const seq = firstSeq + start + i;
      const number = numbers[groups.get(`${r.custodian.id}\u0000${r.oldNumber}`)!]!;
      const id = ctx.newId();
      const foreign = r.originatorParty !== own;
      const { marking, nationalMarking } = markingsOf(ctx, r);
      rows.push({
        id,
        seq,
        registration_number: number,
        copy_number: r.copy,
        kind: r.kind,
        sheets: r.sheets,
        size_bytes: r.sizeBytes,
        title: r.title,
        level: r.level.id,
        marking,
        national_marking: nationalMarking,
        originator_party: r.originatorParty,
        // A received carrier names its originator by the other Party's directory id (as on receipt).
        originator_name: r.originatorName,
        originator_organisation_id: foreign ? null : r.originatorId,
        custodian_organisation_id: r.custodian.id,
        contract_id: null,
        state: foreign ? "received" : "registered",
        has_content: 0,
        registered_at: stamp,
        registered_by: actor.personId,
        updated_at: stamp,
        destroyed_at: null,
        version: 1,
      });
      for (const word of titleWords(r.title)) words.push({ word, carrier_seq: seq });
      if (foreign)
        received.push({
          carrier_id: id,
          origin_party: r.originatorParty,
          origin_registration_number: r.otherPartyNumber!,
          origin_copy_number: r.copy,
          origin_org: r.originatorId,
          // Received under the old agreement: no transfer of this one; the key stays unique.
          transfer_id: `${origin}:${id}`,
          received_at: `${r.transferDate!}T00:00:00.000Z`,
        });
      flags.push({
        carrier_id: id,
        origin_agreement: origin,
        register_org: r.custodian.id,
        old_number: r.oldNumber,
        old_copy: r.copy,
        old_marking: r.oldMarking,
        originator_body: r.originatorBody,
        registered_on: r.registeredOn,
        transfer_direction: r.direction,
        other_party_number: r.otherPartyNumber,
        transfer_date: r.transferDate,
        import_id: importId,
        imported_at: stamp,
      });
      report.push({
        line: r.line,
        oldNumber: r.oldNumber,
        copy: r.copy,
        levelId: r.level.id,
        marking,
        nationalMarking,
        originatorParty: r.originatorParty,
        custodian: r.custodian.name,
        registrationNumber: `${number}/${r.copy}`,
        id,
      });
    }
    await trx.insertInto("carriers").values(rows).execute();
    if (received.length > 0) await trx.insertInto("received_carriers").values(received).execute();
    await trx.insertInto("predecessor_records").values(flags).execute();
    onProgress?.(start + batch.length, records.length);
  }
  words.sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : a.carrier_seq - b.carrier_seq));
  for (let w = 0; w < words.length; w += WORD_BATCH)
    await trx
      .insertInto("carrier_title_words")
      .values(words.slice(w, w + WORD_BATCH))
      .execute();
  return report;
}
