// The registry list and search (API, UI and CLI alike): newest first, keyset pages (`after` = the
// last `seq` seen), filters that each walk one index in order (see migration 0001-core), so a page
// costs the same at 10^6 carriers as at 10^3. What a person may list is what the node's one
// visibility rule lets them learn of (A4.2: users without access do not learn a carrier exists):
// every row of a page is decided by it, after an index pre-filter by custody and by the levels the
// actor is cleared for now. One audit entry per listing.
import type { AuditData } from "../../audit/entry.ts";
import { parseLevelInput } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { clearedLevels, decideVisibilities, viewerOf } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import { breachFlagsOf, NO_BREACH } from "../breaches/carrier-flags.ts";
import type { AppContext } from "../context.ts";
import { findContract, findOrganisation } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { CARRIER_KINDS, titleWords } from "./carrier-repository.ts";
import { type CarrierSummary, summariseCarriers } from "./carrier-summary.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a listing or search of the registry (the decision on each row is the visibility rule). */
    "registry.listed": AuditData | undefined;
  }
}

/** Longest list of a word's carriers read for an intersection; a longer one is searched by joins. */
const POSTINGS_CAP = 50_000;

export type CarrierFilter = {
  /** Custodian organisation (name or id); registry officers and cleared users are held to their own. */
  readonly custodian?: string;
  readonly level?: string;
  readonly status?: string;
  readonly kind?: string;
  readonly contract?: string;
  /** Title words (all must occur), case-insensitive whole words. */
  readonly words?: string;
  /** Exact registration number (every copy). */
  readonly number?: string;
  /** What a person types in the search box: a registration number, else title words. */
  readonly query?: string;
};

export type ListCarriersInput = CarrierFilter & {
  readonly actor: string;
  /** Keyset cursor: list carriers registered before this `seq`. */
  readonly after?: number;
  /** Page size, 1–500 (default 50). */
  readonly limit?: number;
};

export const CARRIER_LIST_COLUMNS = [
  "carriers.id",
  "carriers.seq",
  "carriers.registration_number",
  "carriers.copy_number",
  "carriers.kind",
  "carriers.title",
  "carriers.level",
  "carriers.marking",
  "carriers.national_marking",
  "carriers.state",
  "carriers.custodian_organisation_id",
  "carriers.contract_id",
  "carriers.sheets",
  "carriers.size_bytes",
  "carriers.has_content",
  "carriers.registered_at",
  "carriers.originator_party",
  "carriers.originator_name",
] as const;

/** One page of the registry as the actor may see it, and the cursor of the next page (or null). */
export async function listCarriers(ctx: AppContext, input: ListCarriersInput) {
  const limit = input.limit ?? 50;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > 500) {
    throw new DomainError("INPUT_INVALID", { field: "limit", problem: "1–500" });
  }
  return executeUseCase(ctx, { actor: input.actor, action: "registry.listed" }, async (trx, actor) => {
    const scope = listingScope(actor);
    if (scope === "none") throw new DomainError("ROLE_FORBIDDEN", { actor: actor.handle });
    const done = async (carriers: Row[], next: number | null) => {
      await recordDone(trx, ctx, actor, {
        type: "registry.listed",
        outcome: "allowed",
        object: null,
        articles: ["A4.2", "A6.2"],
        data: { filters: filtersOf(input), shown: carriers.length },
      });
      const summaries = await summariseCarriers(trx, ctx, carriers);
      // A11.1: a carrier named by an open breach is flagged in the registry.
      const flags = await breachFlagsOf(
        trx,
        carriers.map((c) => c.id),
      );
      return {
        carriers: carriers.map((c, i) => ({
          ...c,
          summary: { ...summaries[i]!, breach: flags.get(c.id) ?? NO_BREACH },
        })),
        next,
      };
    };
    let custodian: string | undefined;
    if (scope === "registry") {
      custodian = input.custodian ? (await findOrganisation(trx, input.custodian)).id : undefined;
    } else custodian = actor.organisation.id;
    if (scope !== "registry" && input.custodian) {
      const asked = await findOrganisation(trx, input.custodian);
      if (asked.id !== actor.organisation.id) return done([], null);
    }
    const at = ctx.now().toISOString();
    const cleared = clearedLevels(ctx, actor, at);
    if (cleared.length === 0) return done([], null);
    const level = input.level ? parseLevelInput(ctx.pack, ctx.config.party, input.level).id : undefined;
    if (level !== undefined && !cleared.includes(level)) return done([], null);
    const levels = level !== undefined ? [level] : cleared;
    const typed = input.query?.trim() ?? "";
    const number =
      input.number ??
      (typed &&
      (await trx
        .selectFrom("carriers")
        .select("id")
        .where("registration_number", "=", typed)
        .executeTakeFirst())
        ? typed
        : undefined);
    const wordsText = input.words ?? (typed && number === undefined ? typed : undefined);
    if (input.kind && !(CARRIER_KINDS as readonly string[]).includes(input.kind)) {
      throw new DomainError("INPUT_INVALID", { field: "kind", problem: `use ${CARRIER_KINDS.join(", ")}` });
    }
    const contractId = input.contract ? (await findContract(trx, input.contract)).id : undefined;
    const words = wordsText ? titleWords(wordsText) : [];
    if (wordsText && words.length === 0) {
      throw new DomainError("INPUT_INVALID", { field: "words", problem: "no word of 2 letters or more" });
    }

    type Row = Awaited<ReturnType<typeof filtered>>[number];
    // The carriers matching the filters, newest first (title words joined in the word index).
    const filtered = (after: number | undefined, size: number) => {
      let query =
        words.length > 0
          ? trx
              .selectFrom("carrier_title_words as w")
              .innerJoin("carriers", "carriers.seq", "w.carrier_seq")
              .where("w.word", "=", words[0]!)
              .orderBy("w.carrier_seq", "desc")
          : trx.selectFrom("carriers").orderBy("carriers.seq", "desc");
      if (after !== undefined) {
        query =
          words.length > 0
            ? query.where("w.carrier_seq", "<", after)
            : query.where("carriers.seq", "<", after);
      }
      // Further words (when their lists are too long to intersect): probed in the word index by
      // (word, seq) before the carrier row is read.
      for (const [i, word] of words.slice(1).entries()) {
        const alias = `w${i + 2}` as "w";
        query = query.innerJoin(`carrier_title_words as ${alias}`, (join) =>
          join.onRef(`${alias}.carrier_seq`, "=", "w.carrier_seq").on(`${alias}.word`, "=", word),
        ) as typeof query;
      }
      if (custodian) query = query.where("carriers.custodian_organisation_id", "=", custodian);
      query =
        levels.length === 1
          ? query.where("carriers.level", "=", levels[0]!)
          : query.where("carriers.level", "in", levels);
      if (input.status) query = query.where("carriers.state", "=", input.status);
      if (input.kind) query = query.where("carriers.kind", "=", input.kind);
      if (contractId) query = query.where("carriers.contract_id", "=", contractId);
      if (number) query = query.where("carriers.registration_number", "=", number);
      return query.select(CARRIER_LIST_COLUMNS).limit(size).execute();
    };

    // Several title words: when every word's list of carriers is of modest length, the lists are
    // intersected by the database (index-only reads, cost bounded by the lists' lengths however
    // rarely the words occur together), then only the matches' rows are read, newest first.
    const page = async (after: number | undefined, size: number): Promise<Row[]> => {
      if (words.length < 2) return filtered(after, size);
      const counts = await trx
        .selectFrom("carrier_title_words")
        .select(["word", (eb) => eb.fn.countAll<number>().as("n")])
        .where("word", "in", words)
        .groupBy("word")
        .execute();
      if (counts.length < words.length) return [];
      if (counts.some((c) => Number(c.n) >= POSTINGS_CAP)) return filtered(after, size);
      const postings = (word: string) => {
        const query = trx.selectFrom("carrier_title_words").select("carrier_seq").where("word", "=", word);
        return after === undefined ? query : query.where("carrier_seq", "<", after);
      };
      let matches = postings(words[0]!);
      for (const word of words.slice(1)) matches = matches.intersect(postings(word));
      // The matches are read first, then their rows a slice at a time: joining them in one query
      // lets a planner walk the whole registry in order to meet a few old matches.
      const seqs = (await matches.execute()).map((r) => Number(r.carrier_seq)).sort((x, y) => y - x);
      const rows: Row[] = [];
      for (let from = 0; from < seqs.length && rows.length < size; from += 500) {
        let query = trx
          .selectFrom("carriers")
          .where("carriers.seq", "in", seqs.slice(from, from + 500))
          .orderBy("carriers.seq", "desc");
        if (custodian) query = query.where("carriers.custodian_organisation_id", "=", custodian);
        query = query.where("carriers.level", "in", levels);
        if (input.status) query = query.where("carriers.state", "=", input.status);
        if (input.kind) query = query.where("carriers.kind", "=", input.kind);
        if (contractId) query = query.where("carriers.contract_id", "=", contractId);
        if (number) query = query.where("carriers.registration_number", "=", number);
        rows.push(
          ...(await query
            .select(CARRIER_LIST_COLUMNS)
            .limit(size - rows.length)
            .execute()),
        );
      }
      return rows;
    };

    // Every row of a page is decided by the visibility rule; pages are read until one is full.
    const visible: Row[] = [];
    let after = input.after;
    const batch = scope === "readable" ? 200 : limit + 1;
    for (let rounds = 0; rounds < 20 && visible.length <= limit; rounds++) {
      const rows = await page(after, batch);
      const decided = await decideVisibilities(trx, ctx, actor, rows, at);
      for (const row of rows) {
        if (decided.get(row.id)?.record) visible.push(row);
        if (visible.length > limit) break;
      }
      if (rows.length < batch) break;
      after = rows[rows.length - 1]!.seq;
    }
    const carriers = visible.slice(0, limit);
    return done(carriers, visible.length > limit ? carriers[carriers.length - 1]!.seq : null);
  });
}

function filtersOf(input: ListCarriersInput): AuditData {
  const entries = Object.entries({
    custodian: input.custodian,
    level: input.level,
    status: input.status,
    kind: input.kind,
    contract: input.contract,
    words: input.words,
    number: input.number,
    query: input.query,
    after: input.after,
  }).filter(([, v]) => v !== undefined);
  return Object.fromEntries(
    entries.map(([k, v]) => [k, typeof v === "number" ? v : String(v).slice(0, 200)]),
  );
}

/** Who lists what: the Party's registry (overseers), the body's registry (keepers), what one may read. */
function listingScope(actor: Actor): "registry" | "own-registry" | "readable" | "none" {
  const viewer = viewerOf(actor);
  if (viewer.overseesRegistry) return "registry";
  if (viewer.keepsRegistry) return "own-registry";
  if (actor.roles.has("cleared-user")) return "readable";
  return "none";
}

export type { CarrierSummary };
