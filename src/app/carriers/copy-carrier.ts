import type { ContentSource } from "../../crypto/at-rest/content-vault.ts";
import { type CarrierState, createCopy, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { requireAccess, requireRegistryKeeper } from "./carrier-guards.ts";
import {
  allocateCopyNumber,
  insertCarrierRow,
  loadCarrier,
  PENDING_SEQ,
  reserveRegistrationNumber,
} from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";
import { checkTitle } from "./register-carrier.ts";

/**
 * Makes a copy of a carrier (A6.5, A6.1): same registration number, the next copy number, the
 * original's level and markings; its content re-encrypted under the copy's own key. A copy of the
 * other Party's information needs the providing body's written consent (COPY_NEEDS_CONSENT).
 */
export async function copyCarrier(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.copied" }, async (trx, actor) => {
    const source = await loadCarrier(trx, ctx, input.carrier);
    requireRegistryKeeper(actor, source, input.carrier);
    const accessArticles = await requireAccess(trx, ctx, actor, source, input.carrier);
    const at = ctx.now();
    const id = ctx.newId();
    const result = transitionCarrier(
      source.state,
      { type: "copy", copyId: id },
      { at: at.toISOString(), pack: ctx.pack, consent: null },
    );
    const copy = createCopy(result.state, { id, kind: "copy", at: at.toISOString() });
    const { copyNumber } = await allocateCopyNumber(trx, ctx, source.row.registration_number);
    const row = await insertDerivedRow(ctx, trx, source.row, copy, {
      seq: PENDING_SEQ,
      registration_number: source.row.registration_number,
      copy_number: copyNumber,
      title: source.row.title,
      registered_by: actor.personId,
    });
    await trx
      .insertInto("carrier_sources")
      .values({ carrier_id: id, source_carrier_id: source.row.id, relation: "copy" })
      .execute();
    if (source.row.has_content === 1) {
      const vault = contentVaultOf(ctx);
      const { stream } = await vault.readContent(trx, source.row.id);
      await vault.storeContent(trx, id, stream, at);
      await trx.updateTable("carriers").set({ has_content: 1 }).where("id", "=", id).execute();
      row.has_content = 1;
    }
    await touch(trx, ctx, source.row);
    await recordDone(trx, ctx, actor, {
      type: "carrier.copied",
      object: { type: "carrier", id },
      articles: [...new Set([...result.articles, ...accessArticles])],
      data: { source: source.row.id, registrationNumber: row.registration_number, copyNumber },
    });
    return row;
  });
}

export type TranslateCarrierInput = {
  readonly actor: string;
  readonly carrier: string;
  /** Language of the translation (e.g. `ru`). */
  readonly language: string;
  /** Unclassified title of the translation (default: the original's, with the language). */
  readonly title?: string;
  /** The translated content (required when the original holds electronic content). */
  readonly content?: ContentSource;
};

/**
 * Registers a translation of a carrier (A6.5, A6.1): a new registration number, the original's
 * level and markings. A translation of the other Party's information needs the providing body's
 * written consent (TRANSLATION_NEEDS_CONSENT).
 */
export async function translateCarrier(ctx: AppContext, input: TranslateCarrierInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.translated" }, async (trx, actor) => {
    const source = await loadCarrier(trx, ctx, input.carrier);
    requireRegistryKeeper(actor, source, input.carrier);
    const accessArticles = await requireAccess(trx, ctx, actor, source, input.carrier);
    if (!/^[a-z]{2,3}$/.test(input.language)) {
      throw new DomainError("INPUT_INVALID", {
        field: "language",
        problem: "an ISO 639 code such as ru, kk, hy, en",
      });
    }
    if (source.row.has_content === 1 && input.content === undefined) {
      throw new DomainError("INPUT_INVALID", {
        field: "content",
        problem: "a translation of electronic content needs its translated content",
      });
    }
    const at = ctx.now();
    const id = ctx.newId();
    const result = transitionCarrier(
      source.state,
      { type: "translate", translationId: id },
      { at: at.toISOString(), pack: ctx.pack, consent: null },
    );
    const translation = createCopy(result.state, { id, kind: "translation", at: at.toISOString() });
    const { number } = await reserveRegistrationNumber(trx, ctx);
    const row = await insertDerivedRow(ctx, trx, source.row, translation, {
      seq: PENDING_SEQ,
      registration_number: number,
      copy_number: 1,
      title: checkTitle(input.title ?? `${source.row.title} (${input.language})`),
      registered_by: actor.personId,
    });
    await trx
      .insertInto("carrier_sources")
      .values({ carrier_id: id, source_carrier_id: source.row.id, relation: "translation" })
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
    await touch(trx, ctx, source.row);
    await recordDone(trx, ctx, actor, {
      type: "carrier.translated",
      object: { type: "carrier", id },
      articles: [...new Set([...result.articles, ...accessArticles])],
      data: { source: source.row.id, registrationNumber: number, language: input.language },
    });
    return row;
  });
}

/** Inserts the row of a carrier made from `source` (copy, translation) with the domain's new state. */
export async function insertDerivedRow(
  ctx: AppContext,
  trx: Trx,
  source: CarriersTable,
  state: CarrierState,
  fields: Pick<CarriersTable, "seq" | "registration_number" | "copy_number" | "title" | "registered_by">,
): Promise<CarriersTable> {
  const stamp = toTimestamp(ctx.now());
  const row: CarriersTable = {
    ...source,
    ...fields,
    id: state.id,
    state: state.status,
    custodian_organisation_id: state.custodian ?? source.custodian_organisation_id,
    has_content: 0,
    registered_at: stamp,
    updated_at: stamp,
    destroyed_at: null,
    version: 1,
  };
  await insertCarrierRow(trx, row);
  return row;
}

async function touch(trx: Trx, ctx: AppContext, row: CarriersTable) {
  await trx
    .updateTable("carriers")
    .set({ updated_at: toTimestamp(ctx.now()), version: row.version + 1 })
    .where("id", "=", row.id)
    .execute();
}
