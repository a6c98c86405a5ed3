import type { ContentSource } from "../../crypto/at-rest/content-vault.ts";
import {
  assertCarrierEvent,
  type CarrierState,
  createCopy,
  transitionCarrier,
} from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import {
  allocateCopyNumber,
  insertCarrierRow,
  PENDING_SEQ,
  reserveRegistrationNumber,
} from "./carrier-repository.ts";
import { contentVaultOf } from "./content.ts";
import { presentedConsent, requireOriginatorConsents, spendConsents } from "./originator-consent.ts";
import { checkTitle } from "./register-carrier.ts";

export type CopyCarrierInput = {
  readonly actor: string;
  /** Id, registration number (copy 1) or `number/copy`. */
  readonly carrier: string;
  /** The originator's consent to use (default: the one granted for this carrier). */
  readonly consent?: string;
};

/** A copy or translation made: the new carrier's row and the written consents it used. */
export type MadeCarrier = CarriersTable & { readonly consents: readonly string[] };

/**
 * Makes a copy of a carrier held in the actor's registry (A6.5, A6.1): same registration number,
 * the next copy number, the original's level and markings; its content re-encrypted under the
 * copy's own key. For the other Party's information (received, or copied, translated or derived
 * from it along any chain) it needs each originator's granted, unused written consent, and spends
 * it (COPY_NEEDS_CONSENT otherwise).
 */
export async function copyCarrier(ctx: AppContext, input: CopyCarrierInput): Promise<MadeCarrier> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.copied", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const source = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(source.state.status, "copy");
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: source.row.id,
        action: "copy",
        consent: input.consent,
      });
      const at = ctx.now();
      const id = ctx.newId();
      const result = transitionCarrier(
        source.state,
        { type: "copy", copyId: id },
        { at: at.toISOString(), pack: ctx.pack, consent: presentedConsent(ctx, consents, source.row.id) },
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
      await spendConsents(trx, ctx, consents);
      await recordDone(trx, ctx, actor, {
        type: "carrier.copied",
        object: { type: "carrier", id },
        articles: result.articles,
        data: {
          source: source.row.id,
          registrationNumber: row.registration_number,
          copyNumber,
          marking: row.marking,
          nationalMarking: row.national_marking,
          consents: consents.map((c) => c.row.id),
        },
      });
      return { ...row, consents: consents.map((c) => c.row.id) };
    },
  );
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
  /** The originator's consent to use (default: the one granted for this carrier and language). */
  readonly consent?: string;
};

/**
 * Registers a translation of a carrier held in the actor's registry (A6.5, A6.1): a new
 * registration number, the original's level and markings. For the other Party's information it
 * needs each originator's granted, unused written consent for a translation into that language,
 * and spends it (TRANSLATION_NEEDS_CONSENT otherwise).
 */
export async function translateCarrier(ctx: AppContext, input: TranslateCarrierInput): Promise<MadeCarrier> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.translated", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const source = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(source.state.status, "translate");
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
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: source.row.id,
        action: "translate",
        consent: input.consent,
        // A consent names the language it allows (when the request named one).
        matches: (d) => d.language == null || d.language === input.language,
      });
      const at = ctx.now();
      const id = ctx.newId();
      const result = transitionCarrier(
        source.state,
        { type: "translate", translationId: id },
        { at: at.toISOString(), pack: ctx.pack, consent: presentedConsent(ctx, consents, source.row.id) },
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
      await spendConsents(trx, ctx, consents);
      await recordDone(trx, ctx, actor, {
        type: "carrier.translated",
        object: { type: "carrier", id },
        articles: result.articles,
        data: {
          source: source.row.id,
          registrationNumber: number,
          language: input.language,
          marking: row.marking,
          nationalMarking: row.national_marking,
          consents: consents.map((c) => c.row.id),
        },
      });
      return { ...row, consents: consents.map((c) => c.row.id) };
    },
  );
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
