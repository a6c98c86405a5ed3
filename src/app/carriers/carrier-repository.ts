// The registry of carriers in the database, as the domain's carrier machine sees it (CarrierState):
// reading a carrier with what decisions need, numbering new ones in the node's format, and the
// title-word index of the registry search.
import { sql } from "kysely";
import type { CarrierOrigin, CarrierState, CarrierStatus } from "../../domain/carrier/carrier-machine.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import type { CarrierMarking } from "../../domain/classification/marking.ts";
import { DomainError } from "../../domain/errors.ts";
import { formatRegistrationNumber, isYearlySequence } from "../../node/node-config.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import { lockForUpdate, type Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";

export const CARRIER_KINDS = [
  "paper-document",
  "electronic-file",
  "removable-media",
  "other-object",
] as const;
export type CarrierKind = (typeof CARRIER_KINDS)[number];

/** Statuses after which the carrier has left its body's custody (the record stays). */
const LEFT_CUSTODY: readonly CarrierStatus[] = [
  "dispatched",
  "destroyed",
  "returned",
  "released",
  "declassified",
];

export type LoadedCarrier = {
  readonly row: CarriersTable;
  readonly state: CarrierState;
  readonly sources: readonly { readonly id: string; readonly relation: string }[];
};

/** The answer to a carrier that does not exist — and to one the asker may not learn of (A4.2). */
export function carrierNotFound(ref: string): DomainError {
  return new DomainError("CARRIER_NOT_FOUND", { carrier: ref });
}

/**
 * A carrier by id, or by registration number (`KZ-2026-000007`, copy 1) or `number/copy`
 * (`KZ-2026-000007/2`); locked for the transaction on PostgreSQL. CARRIER_NOT_FOUND if none.
 */
export async function loadCarrier(
  trx: Trx,
  ctx: AppContext,
  ref: string,
  options: { readonly lock?: boolean } = {},
): Promise<LoadedCarrier> {
  const slash = /^(.+)\/(\d{1,6})$/.exec(ref);
  const number = slash ? slash[1]! : ref;
  const copy = slash ? Number(slash[2]) : 1;
  const query = trx
    .selectFrom("carriers")
    .selectAll()
    .where((eb) =>
      eb.or([
        eb("id", "=", ref),
        eb.and([eb("registration_number", "=", number), eb("copy_number", "=", copy)]),
      ]),
    );
  const row = await (options.lock === false ? query : lockForUpdate(trx, query)).executeTakeFirst();
  if (!row) throw carrierNotFound(ref);
  return withState(trx, ctx, row);
}

async function withState(trx: Trx, ctx: AppContext, row: CarriersTable): Promise<LoadedCarrier> {
  const [sources, granted, copies] = await Promise.all([
    trx
      .selectFrom("carrier_sources")
      .select(["source_carrier_id as id", "relation"])
      .where("carrier_id", "=", row.id)
      .execute(),
    trx.selectFrom("carrier_need_to_know").select("person_id").where("carrier_id", "=", row.id).execute(),
    trx
      .selectFrom("carrier_sources")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("source_carrier_id", "=", row.id)
      .where("relation", "in", ["copy", "translation"])
      .executeTakeFirstOrThrow(),
  ]);
  const status = row.state as CarrierStatus;
  const relation = sources[0]?.relation;
  const origin: CarrierOrigin =
    relation === "copy"
      ? "copy"
      : relation === "translation"
        ? "translation"
        : relation === "derivation"
          ? "derived"
          : row.originator_party !== ctx.config.party
            ? "received"
            : "original";
  const state: CarrierState = {
    id: row.id,
    status,
    level: findLevel(ctx.pack, row.level).rank,
    origin,
    originatorParty: row.originator_party,
    providingBody: row.originator_organisation_id ?? row.originator_name,
    holderParty: ctx.config.party,
    custodian: LEFT_CUSTODY.includes(status) ? null : row.custodian_organisation_id,
    jointlyCreated: false,
    markings: markingsOf(row, ctx.config.party),
    sourceIds: sources.map((s) => s.id),
    contractId: row.contract_id,
    grantedPersons: granted.map((g) => g.person_id),
    copies: Number(copies.n),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
  return { row, state, sources };
}

/** The markings on a carrier: the originator's, and the equivalent national one if added (A2.2, A6.1). */
export function markingsOf(
  row: Pick<CarriersTable, "originator_party" | "marking" | "national_marking">,
  holderParty: string,
): readonly CarrierMarking[] {
  const own: CarrierMarking = { party: row.originator_party, text: row.marking };
  return row.national_marking && row.originator_party !== holderParty
    ? [own, { party: holderParty, text: row.national_marking }]
    : [own];
}

/**
 * A new registration number in the node's format (without its registry sequence: insert the row
 * with `insertCarrierRow`, which assigns it in the same statement). The counter row is updated
 * first: on PostgreSQL that row lock serializes registrations until the transaction ends.
 */
export async function reserveRegistrationNumber(trx: Trx, ctx: AppContext): Promise<{ number: string }> {
  const year = ctx.now().getUTCFullYear();
  const value = await bumpCounter(trx, registrationCounter(ctx, year), 1);
  return { number: formatRegistrationNumber(ctx.config.registrationFormat, ctx.config.party, year, value) };
}

/**
 * A new registration number and the next registry sequence, for callers that insert the row
 * themselves (the sequence is read after the counter's lock, so it is free).
 */
export async function allocateRegistrationNumber(
  trx: Trx,
  ctx: AppContext,
): Promise<{ number: string; seq: number }> {
  const { number } = await reserveRegistrationNumber(trx, ctx);
  return { number, seq: await nextSeq(trx) };
}

/**
 * `count` new registration numbers at once, in order, and the registry sequence the first takes (the
 * others follow it): an import of many records (D3) takes the registry's lock once, as one
 * registration does, and numbers them as the registry numbers any carrier.
 */
export async function reserveRegistrationNumbers(
  trx: Trx,
  ctx: AppContext,
  count: number,
): Promise<{ numbers: string[]; firstSeq: number }> {
  const year = ctx.now().getUTCFullYear();
  const last = await bumpCounter(trx, registrationCounter(ctx, year), count);
  const { registrationFormat, party } = ctx.config;
  const numbers = Array.from({ length: count }, (_, i) =>
    formatRegistrationNumber(registrationFormat, party, year, last - count + 1 + i),
  );
  return { numbers, firstSeq: await nextSeq(trx) };
}

/** The next copy number of a registration number (copies share the number, A6.2), and the next sequence. */
export async function allocateCopyNumber(
  trx: Trx,
  ctx: AppContext,
  registrationNumber: string,
): Promise<{ copyNumber: number; seq: number }> {
  // Take the same lock as a new registration before reading.
  await bumpCounter(trx, registrationCounter(ctx, ctx.now().getUTCFullYear()), 0);
  const row = await trx
    .selectNoFrom((eb) => [
      eb
        .selectFrom("carriers")
        .select((e) => e.fn.max("copy_number").as("m"))
        .where("registration_number", "=", registrationNumber)
        .as("copy"),
      eb
        .selectFrom("carriers")
        .select((e) => e.fn.max("seq").as("m"))
        .as("max_seq"),
    ])
    .executeTakeFirstOrThrow();
  return { copyNumber: Number(row.copy ?? 0) + 1, seq: Number(row.max_seq ?? 0) + 1 };
}

async function nextSeq(trx: Trx): Promise<number> {
  const row = await trx
    .selectFrom("carriers")
    .select((eb) => eb.fn.max("seq").as("m"))
    .executeTakeFirst();
  return Number(row?.m ?? 0) + 1;
}

function registrationCounter(ctx: AppContext, year: number): string {
  return isYearlySequence(ctx.config.registrationFormat) ? `registration:${year}` : "registration";
}

/** The `seq` of a row not yet inserted: `insertCarrierRow` assigns the real one. */
export const PENDING_SEQ = 0;

/**
 * Inserts a carrier row (after `allocateRegistrationNumber`/`allocateCopyNumber` took the lock)
 * with the next registry sequence, computed in the same statement, and indexes its title.
 * Sets and returns `row.seq`.
 */
export async function insertCarrierRow(trx: Trx, row: CarriersTable): Promise<number> {
  const inserted = await trx
    .insertInto("carriers")
    .values({ ...row, seq: sql<number>`(select coalesce(max(seq), 0) + 1 from carriers)` })
    .returning("seq")
    .executeTakeFirstOrThrow();
  row.seq = Number(inserted.seq);
  await indexCarrierTitle(trx, row.seq, row.title);
  return row.seq;
}

async function bumpCounter(trx: Trx, name: string, by: number): Promise<number> {
  const row = await trx
    .insertInto("counters")
    .values({ name, value: by })
    .onConflict((oc) => oc.column("name").doUpdateSet((eb) => ({ value: eb("counters.value", "+", by) })))
    .returning("value")
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** The case-folded words of a title, as the registry search indexes them. */
export function titleWords(title: string): string[] {
  const words = title
    .normalize("NFC")
    .toLocaleLowerCase("und")
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 && w.length <= 64);
  return [...new Set(words)].slice(0, 32);
}

/** Indexes a carrier's title for `carrier list --word` (every use case that creates a carrier calls it). */
export async function indexCarrierTitle(trx: Trx, seq: number, title: string): Promise<void> {
  const words = titleWords(title);
  if (words.length === 0) return;
  await trx
    .insertInto("carrier_title_words")
    .values(words.map((word) => ({ word, carrier_seq: seq })))
    .execute();
}

export { clearanceWindow } from "../access/clearance-window.ts";
