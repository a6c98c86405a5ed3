import type { ContentSource } from "../../crypto/at-rest/content-vault.ts";
import type { ArticleId } from "../../domain/articles.ts";
import {
  assertCarrierEvent,
  createDerived,
  transitionCarrier,
} from "../../domain/carrier/carrier-machine.ts";
import { findLevel, parseLevelInput } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import { requireClearances } from "../access/visibility.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import {
  insertCarrierRow,
  type LoadedCarrier,
  PENDING_SEQ,
  reserveRegistrationNumber,
} from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";
import { checkKind, checkTitle } from "./register-carrier.ts";

export type DeriveCarrierInput = {
  readonly actor: string;
  /** The carriers whose information the new one is derived from. */
  readonly sources: readonly string[];
  readonly kind: string;
  readonly title: string;
  /** Level asked for; never lower than the highest source (A6.1). Default: the highest source's. */
  readonly level?: string;
  readonly sheets?: number;
  readonly content?: ContentSource;
};

/**
 * Registers a carrier of information derived from carriers held in the actor's registry (A6.1):
 * marked no lower than its highest source (MARKING_BELOW_SOURCE otherwise); the officer and the
 * body must be cleared for its level (A4.2, A1.11). Derived from the other Party's information it
 * keeps that Party as originator and gains the national marking beside it, and that originator's
 * rights go with it along any chain: copying, translating, a level change, destruction, return and
 * release of the derived carrier need the originator's written consent (A6.5, A6.6, A4.1.5, A6.3).
 * Deriving itself needs none (A6.1 sets only the marking).
 */
export async function deriveCarrier(ctx: AppContext, input: DeriveCarrierInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.derived" }, async (trx, actor) => {
    requireRole(actor, "registry-officer");
    if (input.sources.length === 0) {
      throw new DomainError("INPUT_INVALID", { field: "from", problem: "name at least one source carrier" });
    }
    const kind = checkKind(input.kind);
    const title = checkTitle(input.title);
    if (kind === "paper-document" && input.sheets === undefined) {
      throw new DomainError("INPUT_INVALID", {
        field: "sheets",
        problem: "a paper document is registered with its number of sheets",
      });
    }
    const at = ctx.now();
    const id = ctx.newId();
    const sources: LoadedCarrier[] = [];
    const articles = new Set<ArticleId>();
    for (const ref of new Set(input.sources)) {
      const source = await loadKeptCarrier(trx, ctx, actor, ref);
      assertCarrierEvent(source.state.status, "derive");
      const moved = transitionCarrier(
        source.state,
        { type: "derive", derivedId: id },
        { at: at.toISOString(), pack: ctx.pack },
      );
      for (const a of moved.articles) articles.add(a);
      sources.push(source);
    }
    const derived = createDerived({
      id,
      sources: sources.map((s) => s.state),
      ...(input.level !== undefined
        ? { level: parseLevelInput(ctx.pack, ctx.config.party, input.level).rank }
        : {}),
      party: ctx.config.party,
      body: actor.organisation.id,
      at: at.toISOString(),
      pack: ctx.pack,
    });
    const level = findLevel(ctx.pack, derived.level);
    requireClearances(ctx, actor, level.id);
    const foreignSource = sources.find(
      (s) =>
        s.row.originator_party === derived.originatorParty && derived.originatorParty !== ctx.config.party,
    );
    const { number } = await reserveRegistrationNumber(trx, ctx);
    const stamp = toTimestamp(at);
    const row: CarriersTable = {
      id,
      seq: PENDING_SEQ,
      registration_number: number,
      copy_number: 1,
      kind,
      sheets: input.sheets ?? null,
      size_bytes: null,
      title,
      level: level.id,
      marking: derived.markings[0]!.text,
      national_marking: derived.markings[1]?.text ?? null,
      originator_party: derived.originatorParty,
      originator_name: foreignSource?.row.originator_name ?? actor.organisation.name,
      originator_organisation_id: foreignSource
        ? foreignSource.row.originator_organisation_id
        : actor.organisation.id,
      custodian_organisation_id: actor.organisation.id,
      contract_id: derived.contractId,
      state: derived.status,
      has_content: 0,
      registered_at: stamp,
      registered_by: actor.personId,
      updated_at: stamp,
      destroyed_at: null,
      version: 1,
    };
    await insertCarrierRow(trx, row);
    await trx
      .insertInto("carrier_sources")
      .values(sources.map((s) => ({ carrier_id: id, source_carrier_id: s.row.id, relation: "derivation" })))
      .execute();
    if (input.content !== undefined) {
      const stored = await contentVaultOf(ctx).storeContent(trx, id, input.content, at);
      await trx
        .updateTable("carriers")
        .set({ has_content: 1, size_bytes: stored.sizeBytes })
        .where("id", "=", id)
        .execute();
      row.has_content = 1;
      row.size_bytes = stored.sizeBytes;
    }
    await recordDone(trx, ctx, actor, {
      type: "carrier.derived",
      object: { type: "carrier", id },
      articles: [...articles, "A6.1"],
      data: {
        sources: sources.map((s) => s.row.id),
        registrationNumber: number,
        level: level.id,
        markings: derived.markings.map((m) => ({ party: m.party, text: m.text })),
      },
    });
    return row;
  });
}
