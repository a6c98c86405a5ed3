// The originator's control of Article 6, on both nodes. The holder of a received carrier asks the
// originator's written consent (copy, translation, level change, declassification, destruction,
// return, third-party release); the originator answers; only then does the holder act. The
// originator's own level changes and declassifications reach the holder by notice (A6.4) and
// re-mark the received carrier and every copy and derivative of it (A6.1).
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import type { ErasedContent } from "../../crypto/at-rest/content-vault.ts";
import type { ArticleId } from "../../domain/articles.ts";
import {
  assertCarrierEvent,
  type CarrierEventType,
  type CarrierStatus,
} from "../../domain/carrier/carrier-machine.ts";
import { findLevel, markingOf } from "../../domain/classification/levels.ts";
import { type ConsentAction, type ConsentState, checkConsent } from "../../domain/consent/consent-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import type { ConsentAction as MessageConsentAction } from "../../exchange/messages/catalogue.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { ConsentRequestsTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { type Actor, requireRole } from "../actor.ts";
import { allocateCopyNumber, indexCarrierTitle } from "../carriers/carrier-repository.ts";
import { recordAudit } from "../record-audit.ts";
import {
  allocateRegistration,
  type FlowContext,
  findCarrier,
  requireClearances,
} from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

const iso = (d: Date) => toTimestamp(d);

/** The received carrier a carrier's information comes from (itself, or the source of a copy/translation). */
/**
 * The carrier a registry officer acts on: in the officer's organisation's custody (otherwise
 * answered as a carrier that does not exist), and in a state where the carrier machine allows
 * `event` (its rule table, citing its articles).
 */
async function heldCarrier(trx: Trx, actor: Actor, carrierId: string, event: CarrierEventType) {
  requireRole(actor, "registry-officer");
  const carrier = await findCarrier(trx, carrierId);
  if (carrier.custodian_organisation_id !== actor.organisation.id)
    throw new DomainError("CARRIER_NOT_FOUND", { carrier: carrierId });
  assertCarrierEvent(carrier.state as CarrierStatus, event);
  return carrier;
}

/** `heldCarrier`, for an action only on information received from the other Party (A6.6). */
async function heldReceivedCarrier(trx: Trx, actor: Actor, carrierId: string, event: CarrierEventType) {
  const carrier = await heldCarrier(trx, actor, carrierId, event);
  const root = await receivedRootOf(trx, carrier.id);
  if (!root)
    throw new DomainError("INPUT_INVALID", {
      field: "carrier",
      problem: "not received from the other Party",
    });
  return { carrier, root };
}

export async function receivedRootOf(trx: Trx, carrierId: string) {
  let id = carrierId;
  for (let depth = 0; depth < 32; depth++) {
    const received = await trx
      .selectFrom("received_carriers")
      .selectAll()
      .where("carrier_id", "=", id)
      .executeTakeFirst();
    if (received) return received;
    const source = await trx
      .selectFrom("carrier_sources")
      .select("source_carrier_id")
      .where("carrier_id", "=", id)
      .where("relation", "in", ["copy", "translation"])
      .executeTakeFirst();
    if (!source) return null;
    id = source.source_carrier_id;
  }
  return null;
}

function consentStateOf(row: ConsentRequestsTable, subjectId: string): ConsentState {
  return {
    id: row.id,
    status: (row.used_at ? "used" : row.state) as ConsentState["status"],
    action: row.action as ConsentAction,
    subjectId,
    askedBy: row.holder_org,
    askedOf: row.originator_org,
    askedAt: row.requested_at,
    answeredAt: row.answered_at,
    expiresAt: null,
    newLevel: null,
    usedAt: row.used_at,
  };
}

/**
 * The granted, unused consent of the originator for `action` on the received carrier `rootId`;
 * throws the action's own refusal (A6.5, A6.6, A4.1.5, A6.3…) when there is none.
 */
async function requireGrantedConsent(
  trx: Trx,
  ctx: FlowContext,
  rootId: string,
  action: ConsentAction,
  matches: (details: Record<string, unknown>) => boolean = () => true,
): Promise<ConsentRequestsTable> {
  const rows = await trx
    .selectFrom("consent_requests")
    .selectAll()
    .where("direction", "=", "out")
    .where("carrier_id", "=", rootId)
    .where("action", "=", action)
    .where("state", "=", "granted")
    .where("used_at", "is", null)
    .execute();
  const row = rows.find((r) => matches(JSON.parse(r.details) as Record<string, unknown>));
  checkConsent(row ? consentStateOf(row, rootId) : null, { action, subjectId: rootId, at: iso(ctx.now()) });
  return row!;
}

async function spendConsent(trx: Trx, ctx: FlowContext, row: ConsentRequestsTable): Promise<void> {
  await trx
    .updateTable("consent_requests")
    .set({ state: "used", used_at: iso(ctx.now()) })
    .where("id", "=", row.id)
    .execute();
}

const ARTICLES_OF: Record<MessageConsentAction, ArticleId[]> = {
  copy: ["A6.5", "A6.7"],
  translate: ["A6.5", "A6.7"],
  reclassify: ["A4.1.2", "A6.3", "A6.7"],
  declassify: ["A6.4", "A6.7"],
  destroy: ["A6.6", "A6.7"],
  return: ["A6.6", "A6.7"],
  "third-party-release": ["A4.1.5", "A6.7"],
};

// ------------------------------------------------------------------ holder: ask

export type RequestConsentInput = {
  readonly actor: string;
  readonly carrier: string;
  readonly action: MessageConsentAction;
  readonly reason: string;
  readonly newLevel?: string;
  readonly language?: string;
  readonly thirdParty?: string;
};

/** A6.7: the holder's registry officer asks the originator's written consent for an Article 6 action. */
export async function requestConsent(ctx: FlowContext, input: RequestConsentInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "consent.requested", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const carrier = await findCarrier(trx, input.carrier);
      if (carrier.custodian_organisation_id !== actor.organisation.id)
        throw new DomainError("CARRIER_NOT_FOUND", { carrier: input.carrier });
      const root = await receivedRootOf(trx, carrier.id);
      if (!root)
        throw new DomainError("INPUT_INVALID", {
          field: "carrier",
          problem: "not received from the other Party: this node is its originator",
        });
      if (input.newLevel) findLevel(ctx.pack, input.newLevel);
      const id = ctx.newId();
      const at = iso(ctx.now());
      const details = {
        newLevel: input.newLevel ?? null,
        language: input.language ?? null,
        thirdParty: input.thirdParty ?? null,
        reason: input.reason,
      };
      await trx
        .insertInto("consent_requests")
        .values({
          id,
          direction: "out",
          action: input.action,
          state: "asked",
          carrier_id: root.carrier_id,
          origin_party: root.origin_party,
          origin_registration_number: root.origin_registration_number,
          origin_copy_number: root.origin_copy_number,
          holder_org: actor.organisation.id,
          originator_org: root.origin_org,
          details: JSON.stringify(details),
          requested_by: actor.personId,
          requested_at: at,
          answered_by: null,
          answered_at: null,
          answer_reason: null,
          used_at: null,
        })
        .execute();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "consent-request",
        fromOrg: actor.organisation.id,
        to: { party: root.origin_party, org: root.origin_org },
        level: carrier.level,
        body: {
          consentId: id,
          action: input.action,
          carrier: {
            originParty: root.origin_party,
            originRegistrationNumber: root.origin_registration_number,
            originCopyNumber: root.origin_copy_number,
          },
          reason: input.reason,
          newLevel: input.newLevel ?? null,
          language: input.language ?? null,
          thirdParty: input.thirdParty ?? null,
        },
      });
      await recordDone(trx, ctx, actor, {
        type: "consent.requested",
        object: { type: "consent", id },
        articles: ARTICLES_OF[input.action],
        data: { action: input.action, carrier: carrier.registration_number, message: envelope.id },
      });
      // A6.7: the competent authority is informed.
      await recordAudit(trx, ctx, {
        type: "consent.requested",
        actor: actor.personId,
        organisation: await ownCompetentAuthority(trx, ctx),
        object: { type: "consent", id },
        outcome: "done",
        articles: ["A6.7"],
        data: { action: input.action, carrier: carrier.registration_number },
      });
      return { consentId: id, state: "asked" };
    },
  );
  ctx.onOutbox?.();
  return result;
}

// ------------------------------------------------------------------ originator: answer

export type AnswerConsentInput = {
  readonly actor: string;
  readonly consent: string;
  readonly decision: "grant" | "refuse";
  readonly reason?: string;
};

/** A6.3–A6.7, A4.1.5: the originator's registry officer answers a consent request in writing. */
export async function answerConsent(ctx: FlowContext, input: AnswerConsentInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "consent.answered", object: { type: "consent", id: input.consent } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await trx
        .selectFrom("consent_requests")
        .selectAll()
        .where("id", "=", input.consent)
        .where("direction", "=", "in")
        .executeTakeFirst();
      if (!row)
        throw new DomainError("INPUT_INVALID", {
          field: "consent",
          problem: `no consent request ${input.consent}`,
        });
      if (row.originator_org !== actor.organisation.id)
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["originator"] });
      if (row.state !== "asked")
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "consent",
          state: row.state,
          event: input.decision,
        });
      const at = iso(ctx.now());
      const state = input.decision === "grant" ? "granted" : "refused";
      await trx
        .updateTable("consent_requests")
        .set({ state, answered_by: actor.personId, answered_at: at, answer_reason: input.reason ?? null })
        .where("id", "=", row.id)
        .execute();
      const inbox = row.requested_by?.startsWith("message:") ? { id: row.requested_by.slice(8) } : null;
      const level = row.carrier_id
        ? (await findCarrier(trx, row.carrier_id)).level
        : ctx.pack.levels[ctx.pack.levels.length - 1]!.id;
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "consent-answer",
        fromOrg: actor.organisation.id,
        to: {
          party: row.origin_party === ctx.config.party ? ctx.exchange.peer!.party : row.origin_party,
          org: row.holder_org,
        },
        level,
        inReplyTo: inbox?.id ?? null,
        body: { consentId: row.id, decision: state, reason: input.reason ?? null },
      });
      const articles = ARTICLES_OF[row.action as MessageConsentAction];
      await recordDone(trx, ctx, actor, {
        type: "consent.answered",
        object: { type: "consent", id: row.id },
        articles,
        data: { decision: state, message: envelope.id },
      });
      await recordAudit(trx, ctx, {
        type: "consent.answered",
        actor: actor.personId,
        organisation: await ownCompetentAuthority(trx, ctx),
        object: { type: "consent", id: row.id },
        outcome: "done",
        articles: ["A6.7"],
        data: { decision: state },
      });
      return { consentId: row.id, state };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** The consent requests of this node (both directions). */
export async function listConsents(ctx: FlowContext) {
  const rows = await ctx.db.selectFrom("consent_requests").selectAll().orderBy("requested_at").execute();
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    action: r.action,
    state: r.state,
    carrier: `${r.origin_party}/${r.origin_registration_number}#${r.origin_copy_number}`,
    holder: r.holder_org,
    originator: r.originator_org,
    details: JSON.parse(r.details),
    answeredAt: r.answered_at,
    usedAt: r.used_at,
  }));
}

// ------------------------------------------------------------------ holder: act with consent

async function insertCarrierLike(
  trx: Trx,
  ctx: FlowContext,
  source: CarriersTable,
  overrides: Partial<CarriersTable>,
  shareNumber = false,
): Promise<CarriersTable> {
  // A copy shares the original's registration number with the next copy number (A6.2).
  const { number, seq, copyNumber } = shareNumber
    ? await allocateCopyNumber(trx, ctx, source.registration_number).then((r) => ({
        ...r,
        number: source.registration_number,
      }))
    : await allocateRegistration(trx, ctx).then((r) => ({ ...r, copyNumber: 1 }));
  const at = iso(ctx.now());
  const row: CarriersTable = {
    ...source,
    id: ctx.newId(),
    seq,
    registration_number: number,
    copy_number: copyNumber,
    registered_at: at,
    updated_at: at,
    destroyed_at: null,
    version: 1,
    has_content: 0,
    ...overrides,
  };
  await trx.insertInto("carriers").values(row).execute();
  await indexCarrierTitle(trx, seq, row.title);
  return row;
}

/** A6.5, A6.1: a copy (or translation) of a received carrier, only with the originator's written consent; it carries the original's marking. */
export async function copyReceivedCarrier(
  ctx: FlowContext,
  input: { actor: string; carrier: string; translation?: { language: string; title?: string } },
) {
  const action: ConsentAction = input.translation ? "translate" : "copy";
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: input.translation ? "carrier.translated" : "carrier.copied",
      object: { type: "carrier", id: input.carrier },
    },
    async (trx, actor) => {
      const source = await heldCarrier(trx, actor, input.carrier, action);
      requireClearances(ctx, actor, source.level);
      const root = await receivedRootOf(trx, source.id);
      const consent = root ? await requireGrantedConsent(trx, ctx, root.carrier_id, action) : null;
      // A copy shares the original's registration number (A6.2); a translation is registered anew.
      const copy = await insertCarrierLike(
        trx,
        ctx,
        source,
        { title: input.translation?.title ?? source.title, registered_by: actor.personId },
        !input.translation,
      );
      await trx
        .insertInto("carrier_sources")
        .values({
          carrier_id: copy.id,
          source_carrier_id: source.id,
          relation: input.translation ? "translation" : "copy",
        })
        .execute();
      if (!input.translation && (await ctx.vault.hasContent(trx, source.id))) {
        await ctx.vault.storeContent(
          trx,
          copy.id,
          await ctx.vault.readContentBytes(trx, source.id),
          ctx.now(),
        );
        await trx.updateTable("carriers").set({ has_content: 1 }).where("id", "=", copy.id).execute();
      }
      if (consent) await spendConsent(trx, ctx, consent);
      await recordDone(trx, ctx, actor, {
        type: input.translation ? "carrier.translated" : "carrier.copied",
        object: { type: "carrier", id: copy.id },
        articles: ["A6.5", "A6.1"],
        data: {
          source: source.registration_number,
          copy: copy.registration_number,
          consent: consent?.id ?? null,
          marking: copy.marking,
          nationalMarking: copy.national_marking,
        },
      });
      return {
        carrierId: copy.id,
        registrationNumber: copy.registration_number,
        copyNumber: copy.copy_number,
        marking: copy.marking,
        nationalMarking: copy.national_marking,
      };
    },
  );
}

/** A6.1: a carrier derived from held carriers, marked no lower than the highest of them (no consent needed). */
export async function deriveCarrier(
  ctx: FlowContext,
  input: { actor: string; sources: readonly string[]; title: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.derived" }, async (trx, actor) => {
    requireRole(actor, "registry-officer");
    const sources = await Promise.all(input.sources.map((s) => findCarrier(trx, s)));
    if (sources.length === 0) throw new DomainError("INPUT_INVALID", { field: "sources", problem: "none" });
    for (const s of sources)
      if (s.custodian_organisation_id !== actor.organisation.id)
        throw new DomainError("CARRIER_NOT_FOUND", { carrier: s.id });
    const top = sources.reduce((a, b) =>
      findLevel(ctx.pack, b.level).rank > findLevel(ctx.pack, a.level).rank ? b : a,
    );
    requireClearances(ctx, actor, top.level);
    const derived = await insertCarrierLike(trx, ctx, top, {
      title: input.title,
      registered_by: actor.personId,
      state: top.state === "received" ? "received" : "registered",
    });
    for (const s of sources)
      await trx
        .insertInto("carrier_sources")
        .values({ carrier_id: derived.id, source_carrier_id: s.id, relation: "derivation" })
        .execute();
    await recordDone(trx, ctx, actor, {
      type: "carrier.derived",
      object: { type: "carrier", id: derived.id },
      articles: ["A6.1"],
      data: { sources: sources.map((s) => s.registration_number), level: derived.level },
    });
    return {
      carrierId: derived.id,
      registrationNumber: derived.registration_number,
      level: derived.level,
      marking: derived.marking,
      nationalMarking: derived.national_marking,
    };
  });
}

/** A4.1.5: release of a received carrier to a third party, only with the originator's prior written consent. */
export async function releaseToThirdParty(
  ctx: FlowContext,
  input: { actor: string; carrier: string; thirdParty: string },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.released", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const carrier = await findCarrier(trx, input.carrier);
      if (carrier.custodian_organisation_id !== actor.organisation.id)
        throw new DomainError("CARRIER_NOT_FOUND", { carrier: input.carrier });
      const root = await receivedRootOf(trx, carrier.id);
      const consent = root
        ? await requireGrantedConsent(
            trx,
            ctx,
            root.carrier_id,
            "third-party-release",
            (d) => d.thirdParty === input.thirdParty,
          )
        : null;
      const at = iso(ctx.now());
      await trx
        .updateTable("carriers")
        .set({
          state: "released",
          custodian_organisation_id: carrier.custodian_organisation_id,
          updated_at: at,
          version: carrier.version + 1,
        })
        .where("id", "=", carrier.id)
        .execute();
      if (consent) await spendConsent(trx, ctx, consent);
      await recordDone(trx, ctx, actor, {
        type: "carrier.released",
        object: { type: "carrier", id: carrier.id },
        articles: ["A4.1.5"],
        data: { thirdParty: input.thirdParty, consent: consent?.id ?? null },
      });
      return { carrierId: carrier.id, state: "released", thirdParty: input.thirdParty };
    },
  );
}

/**
 * A6.6: return of a received carrier to the originator, only with its written permission. The
 * carrier leaves this registry (state `returned`, electronic content erased here); the physical
 * return goes by the agreed channel with its dispatch record (seal numbers, waybill).
 */
export async function returnReceivedCarrier(
  ctx: FlowContext,
  input: {
    actor: string;
    carrier: string;
    channel: string;
    sealNumbers?: readonly string[];
    waybill?: string;
  },
) {
  const erased: ErasedContent[] = [];
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.returned", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const { carrier, root } = await heldReceivedCarrier(trx, actor, input.carrier, "return");
      const consent = await requireGrantedConsent(trx, ctx, root.carrier_id, "return");
      if (!ctx.pack.channels.some((c) => c.id === input.channel))
        throw new DomainError("TRANSFER_CHANNEL_UNKNOWN", { channel: input.channel });
      const at = iso(ctx.now());
      const gone = await ctx.vault.eraseContent(trx, carrier.id);
      if (gone) erased.push(gone);
      await trx
        .updateTable("carriers")
        .set({ state: "returned", has_content: 0, updated_at: at, version: carrier.version + 1 })
        .where("id", "=", carrier.id)
        .execute();
      await spendConsent(trx, ctx, consent);
      const dispatch = {
        channel: input.channel,
        sealNumbers: [...(input.sealNumbers ?? [])],
        waybill: input.waybill ?? null,
      };
      await recordDone(trx, ctx, actor, {
        type: "carrier.returned",
        object: { type: "carrier", id: carrier.id },
        articles: ["A6.6"],
        data: { consent: consent.id, to: `${root.origin_party}/${root.origin_org}`, ...dispatch },
      });
      return { carrierId: carrier.id, state: "returned", ...dispatch };
    },
  );
  if (erased.length > 0) await ctx.vault.purgeErasedContent(ctx.db, erased);
  return result;
}

/**
 * A6.6, A1.8: destruction of a received carrier with the originator's written permission: the
 * content key is erased (key erasure), a destruction certificate is made, and the originator gets
 * the destruction notice with the certificate.
 */
export async function destroyReceivedCarrier(ctx: FlowContext, input: { actor: string; carrier: string }) {
  const erased: ErasedContent[] = [];
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.destroyed", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const { carrier, root } = await heldReceivedCarrier(trx, actor, input.carrier, "destroy");
      const consent = await requireGrantedConsent(trx, ctx, root.carrier_id, "destroy");
      const at = iso(ctx.now());
      const gone = await ctx.vault.eraseContent(trx, carrier.id);
      if (gone) erased.push(gone);
      await trx
        .updateTable("carriers")
        .set({
          state: "destroyed",
          destroyed_at: at,
          has_content: 0,
          updated_at: at,
          version: carrier.version + 1,
        })
        .where("id", "=", carrier.id)
        .execute();
      await spendConsent(trx, ctx, consent);
      const certificate = await makeDestructionCertificate({
        carrier,
        origin: root,
        by: actor.name,
        org: actor.organisation.name,
        at,
        consentId: consent.id,
        method: carrier.has_content ? "key-erasure" : "physical",
        party: ctx.config.party,
      });
      const certificateSha256 = createHash("sha256").update(certificate).digest("hex");
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "destruction-notice",
        fromOrg: actor.organisation.id,
        to: { party: root.origin_party, org: root.origin_org },
        level: carrier.level,
        attachment: certificate,
        body: {
          carrier: {
            originParty: root.origin_party,
            originRegistrationNumber: root.origin_registration_number,
            originCopyNumber: root.origin_copy_number,
          },
          consentId: consent.id,
          registrationNumber: carrier.registration_number,
          destroyedAt: at,
          method: carrier.has_content ? "key-erasure" : "physical",
          certificateSha256,
        },
      });
      const dir = join(ctx.dataDir, "exchange", "certificates");
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const path = join(dir, `destruction-${carrier.registration_number}.pdf`);
      writeFileSync(path, certificate, { mode: 0o600 });
      await recordDone(trx, ctx, actor, {
        type: "carrier.destroyed",
        object: { type: "carrier", id: carrier.id },
        articles: ["A6.6", "A1.8"],
        data: { consent: consent.id, certificateSha256, message: envelope.id },
      });
      return {
        carrierId: carrier.id,
        state: "destroyed",
        certificate: path,
        certificateSha256,
        message: envelope.id,
      };
    },
  );
  if (erased.length > 0) await ctx.vault.purgeErasedContent(ctx.db, erased);
  ctx.onOutbox?.();
  return result;
}

async function makeDestructionCertificate(d: {
  carrier: CarriersTable;
  origin: { origin_party: string; origin_registration_number: string; origin_copy_number: number };
  by: string;
  org: string;
  at: string;
  consentId: string;
  method: string;
  party: string;
}): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Destruction certificate ${d.carrier.registration_number}`);
  pdf.setCreator("Kelisim");
  pdf.setCreationDate(new Date(d.at));
  pdf.setModificationDate(new Date(d.at));
  const page = pdf.addPage([595, 842]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const ascii = (s: string) => s.replace(/[^\x20-\x7e]/g, "?");
  const lines = [
    "DESTRUCTION CERTIFICATE (Agreement KZ-AM 2025, A6.6, A1.8)",
    "",
    `Holder registry: ${d.party}, registration number ${d.carrier.registration_number}, copy ${d.carrier.copy_number}`,
    `Originator's reference: ${d.origin.origin_party} ${d.origin.origin_registration_number}, copy ${d.origin.origin_copy_number}`,
    `Level: ${d.carrier.level}`,
    `Destroyed at (UTC): ${d.at}`,
    `Method: ${d.method === "key-erasure" ? "erasure of the content key and the encrypted content (no recovery possible)" : "physical destruction"}`,
    `Originator's written permission: ${d.consentId}`,
    `Destroyed by: ${ascii(d.by)}, ${ascii(d.org)}`,
  ];
  for (const [i, line] of lines.entries())
    page.drawText(line, { x: 50, y: 780 - i * 22, size: i === 0 ? 13 : 10, font });
  return pdf.save({ useObjectStreams: false });
}

// ------------------------------------------------------------------ originator: change level, declassify

/**
 * A6.3, A6.4: the originator changes the level of its own carrier and notifies, as soon as possible,
 * every receiving body that holds it. A received carrier's level changes only with consent (A4.1.2).
 */
export async function changeCarrierLevel(
  ctx: FlowContext,
  input: { actor: string; carrier: string; level: string; declassify?: boolean },
) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.remarked", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const carrier = await findCarrier(trx, input.carrier);
      const newLevel = findLevel(ctx.pack, input.level);
      const at = iso(ctx.now());
      const root = await receivedRootOf(trx, carrier.id);
      if (root) {
        // Not ours: A4.1.2, A6.3 — never without the providing body's written consent.
        const consent = await requireGrantedConsent(
          trx,
          ctx,
          root.carrier_id,
          input.declassify ? "declassify" : "reclassify",
          (d) => input.declassify || d.newLevel === newLevel.id,
        );
        await remarkTree(
          trx,
          ctx,
          root.carrier_id,
          newLevel.id,
          markingOf(ctx.pack, root.origin_party, newLevel.id),
          input.declassify ?? false,
        );
        await spendConsent(trx, ctx, consent);
        await recordDone(trx, ctx, actor, {
          type: "carrier.remarked",
          object: { type: "carrier", id: carrier.id },
          articles: ["A4.1.2", "A6.3", "A6.1"],
          data: { level: newLevel.id, consent: consent.id },
        });
        return { carrierId: carrier.id, level: newLevel.id, notified: [] as string[] };
      }
      if (
        carrier.originator_party !== ctx.config.party ||
        carrier.originator_organisation_id !== actor.organisation.id
      )
        throw new DomainError("MARKING_CHANGE_NEEDS_CONSENT", { carrier: carrier.registration_number });
      const previous = carrier.level;
      await trx
        .updateTable("carriers")
        .set({
          level: newLevel.id,
          marking: markingOf(ctx.pack, ctx.config.party, newLevel.id),
          state: input.declassify ? "declassified" : carrier.state,
          updated_at: at,
          version: carrier.version + 1,
        })
        .where("id", "=", carrier.id)
        .execute();
      // A6.4: every body of the other Party that received it is told in writing.
      const transfers = await trx
        .selectFrom("transfers")
        .selectAll()
        .where("direction", "=", "out")
        .where("carrier_id", "=", carrier.id)
        .where("state", "in", ["dispatched", "received", "acknowledged"])
        .execute();
      const notified: string[] = [];
      for (const t of transfers) {
        const ref = {
          originParty: carrier.originator_party,
          originRegistrationNumber: carrier.registration_number,
          originCopyNumber: carrier.copy_number,
        };
        const envelope = input.declassify
          ? await enqueueMessage(trx, ctx.exchange.outbox, {
              kind: "declassification-notice",
              fromOrg: actor.organisation.id,
              to: { party: t.receiving_party, org: t.receiving_org },
              level: previous,
              body: { carrier: ref, consentId: null, effectiveAt: at },
            })
          : await enqueueMessage(trx, ctx.exchange.outbox, {
              kind: "level-change-notice",
              fromOrg: actor.organisation.id,
              to: { party: t.receiving_party, org: t.receiving_org },
              level: previous,
              body: {
                carrier: ref,
                previousLevel: previous,
                newLevel: newLevel.id,
                newOriginMarking: markingOf(ctx.pack, ctx.config.party, newLevel.id),
                consentId: null,
                effectiveAt: at,
              },
            });
        notified.push(envelope.id);
      }
      await recordDone(trx, ctx, actor, {
        type: input.declassify ? "carrier.declassified" : "carrier.remarked",
        object: { type: "carrier", id: carrier.id },
        articles: ["A6.3", "A6.4"],
        data: { from: previous, to: newLevel.id, notices: notified },
      });
      return { carrierId: carrier.id, level: newLevel.id, notified };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/**
 * A6.1, A6.4: re-marks a received carrier and every copy, translation and derivative of it held
 * here. Copies and translations carry the original's marking; a derivative is marked at the
 * highest level of its sources after the change (never lower than any of them).
 */
export async function remarkTree(
  trx: Trx,
  ctx: FlowContext,
  rootId: string,
  levelId: string,
  originMarking: string,
  declassify: boolean,
): Promise<string[]> {
  const at = iso(ctx.now());
  const changed: string[] = [];
  const setLevel = async (id: string, level: string, marking: string) => {
    const row = await trx.selectFrom("carriers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    if (row.state === "destroyed") return;
    await trx
      .updateTable("carriers")
      .set({
        level,
        marking,
        national_marking: markingOf(ctx.pack, ctx.config.party, level),
        state: declassify && row.state !== "released" ? "declassified" : row.state,
        updated_at: at,
        version: row.version + 1,
      })
      .where("id", "=", id)
      .execute();
    changed.push(id);
  };
  await setLevel(rootId, levelId, originMarking);
  const queue = [rootId];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const current = queue.shift()!;
    const children = await trx
      .selectFrom("carrier_sources")
      .selectAll()
      .where("source_carrier_id", "=", current)
      .execute();
    for (const child of children) {
      if (seen.has(child.carrier_id)) continue;
      seen.add(child.carrier_id);
      const parent = await trx
        .selectFrom("carriers")
        .selectAll()
        .where("id", "=", current)
        .executeTakeFirstOrThrow();
      if (child.relation === "derivation") {
        const sources = await trx
          .selectFrom("carrier_sources")
          .innerJoin("carriers", "carriers.id", "carrier_sources.source_carrier_id")
          .select(["carriers.level", "carriers.originator_party"])
          .where("carrier_sources.carrier_id", "=", child.carrier_id)
          .execute();
        const top = sources.reduce((a, b) =>
          findLevel(ctx.pack, b.level).rank > findLevel(ctx.pack, a.level).rank ? b : a,
        );
        await setLevel(child.carrier_id, top.level, markingOf(ctx.pack, top.originator_party, top.level));
      } else {
        await setLevel(child.carrier_id, parent.level, parent.marking);
      }
      queue.push(child.carrier_id);
    }
  }
  return changed;
}
