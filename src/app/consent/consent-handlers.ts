// What the inbox does with each Article 6 message, inside the inbox's transaction.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findLevel, levelOfMarking } from "../../domain/classification/levels.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { CarrierRef } from "../../exchange/messages/catalogue.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { informAuthority } from "../authorities/informed.ts";
import { carrierNotFound, loadCarrier } from "../carriers/carrier-repository.ts";
import { type AuditEvent, recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";
import { remarkTree } from "./consent-flow.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/**
 * Our own carrier named by the reference another node uses (we are its originator), locked for the
 * message's transaction, or — for a carrier of the 2015 agreement this node holds no record of —
 * none (`carrier: null`): the request is then decided by hand (D3).
 *
 * - A number of this registry (the new agreement): A4.2, only a carrier we dispatched to the sending
 *   body is named to it (its receipt notice may still be on its way: messages are not delivered in
 *   order); any other is answered as one that does not exist, so the other Party cannot probe our
 *   registry by its numbers.
 * - D3: a number of an old register: the holder names a carrier exchanged under the 2015 agreement
 *   by the number and copy it bore in our body's register then (its import keeps them as the
 *   originator's reference). We know it if we imported our side of the same record: a carrier of
 *   ours, of the body the request is addressed to, recorded as sent to the other Party. The old
 *   register names the other Party, not its body, so that is what is checked; the officer who
 *   answers sees the record.
 * - D3: any other number that is not of this registry's format: no record here (never imported, or
 *   no copy kept here to import). Not refused: the competent authority decides by hand, from the old
 *   registers. The sender learns nothing of our registry either way: every such request waits for a
 *   person's written answer.
 */
async function ownCarrierByRef(
  trx: Trx,
  ctx: FlowContext,
  ref: CarrierRef,
  from: { readonly party: string; readonly org: string },
  to: { readonly org: string },
): Promise<{ readonly carrier: CarriersTable | null; readonly predecessor: string | null }> {
  if (ref.originParty !== ctx.config.party)
    throw new DomainError("MESSAGE_MISADDRESSED", { origin: ref.originParty });
  // Not ours, or not sent to them: the very answer loadCarrier gives for a number we do not hold.
  const key = `${ref.originRegistrationNumber}/${ref.originCopyNumber}`;
  const notFound = carrierNotFound(key);
  const held = await loadCarrier(trx, ctx, key).catch((error: unknown) => {
    if (isDomainError(error, "CARRIER_NOT_FOUND")) return null;
    throw error;
  });
  if (held) {
    const { row } = held;
    if (row.originator_party !== ctx.config.party) throw notFound;
    const sent = await trx
      .selectFrom("transfers")
      .select("id")
      .where("direction", "=", "out")
      .where("carrier_id", "=", row.id)
      .where("receiving_party", "=", from.party)
      .where("receiving_org", "=", from.org)
      .where("state", "in", ["dispatched", "acknowledged"])
      .executeTakeFirst();
    if (!sent) throw notFound;
    return { carrier: row, predecessor: null };
  }
  const origin = ctx.pack.predecessor.id;
  const old = await trx
    .selectFrom("predecessor_records")
    .innerJoin("carriers", "carriers.id", "predecessor_records.carrier_id")
    .select("carriers.id")
    .where("predecessor_records.origin_agreement", "=", origin)
    .where("predecessor_records.old_number", "=", ref.originRegistrationNumber)
    .where("predecessor_records.old_copy", "=", ref.originCopyNumber)
    .where("predecessor_records.transfer_direction", "=", "out")
    .where("carriers.originator_party", "=", ctx.config.party)
    .where("carriers.originator_organisation_id", "=", to.org)
    .execute();
  if (old.length === 1)
    return { carrier: (await loadCarrier(trx, ctx, old[0]!.id)).row, predecessor: origin };
  if (isOwnRegistrationNumber(ctx, ref.originRegistrationNumber)) throw notFound;
  const body = await trx
    .selectFrom("organisations")
    .select("id")
    .where("id", "=", to.org)
    .where("party", "=", ctx.config.party)
    .where("kind", "!=", "competent-authority")
    .executeTakeFirst();
  if (!body) throw new DomainError("MESSAGE_MISADDRESSED", { recipient: to.org });
  return { carrier: null, predecessor: origin };
}

/** Whether `number` has the form of this node's registration numbers (`{party}-{year}-{seq:6}` …). */
function isOwnRegistrationNumber(ctx: FlowContext, number: string): boolean {
  const pattern = ctx.config.registrationFormat
    .split(/(\{(?:party|year|seq(?::\d{1,2})?)\})/)
    .map((part) => {
      if (part === "{party}") return escapeRegExp(ctx.config.party);
      if (part === "{year}") return "\\d{4}";
      const seq = /^\{seq(?::(\d{1,2}))?\}$/.exec(part);
      if (seq) return seq[1] ? `\\d{${Number(seq[1])},}` : "\\d+";
      return escapeRegExp(part);
    })
    .join("");
  return new RegExp(`^${pattern}$`).test(number);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The carrier we received from the originator under that reference. */
async function receivedByRef(trx: Trx, ref: CarrierRef, from: { party: string; org: string }) {
  const row = await trx
    .selectFrom("received_carriers")
    .selectAll()
    .where("origin_party", "=", ref.originParty)
    .where("origin_registration_number", "=", ref.originRegistrationNumber)
    .where("origin_copy_number", "=", ref.originCopyNumber)
    .executeTakeFirst();
  if (!row || row.origin_party !== from.party)
    throw new DomainError("CARRIER_NOT_FOUND", { carrier: ref.originRegistrationNumber });
  return row;
}

/**
 * A6.7 (originator): a holder asks our written consent; it waits for our registry officer's answer.
 * D3: on a carrier of the 2015 agreement we hold no record of, it is referred to our competent
 * authority, whose officer decides by hand (see `ownCarrierByRef`); the authority is told either way.
 */
export function onConsentRequest(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"consent-request">;
    const b = env.body;
    const { carrier, predecessor } = await ownCarrierByRef(trx, ctx, b.carrier, env.sender, env.recipient);
    const authority = await ownCompetentAuthority(trx, ctx);
    const referred = carrier === null ? authority : null;
    await trx
      .insertInto("consent_requests")
      .values({
        id: b.consentId,
        direction: "in",
        action: b.action,
        state: "asked",
        carrier_id: carrier?.id ?? null,
        origin_party: b.carrier.originParty,
        origin_registration_number: b.carrier.originRegistrationNumber,
        origin_copy_number: b.carrier.originCopyNumber,
        holder_org: env.sender.org,
        originator_org: env.recipient.org,
        details: JSON.stringify({
          newLevel: b.newLevel,
          language: b.language,
          thirdParty: b.thirdParty,
          reason: b.reason,
          holderParty: env.sender.party,
          ...(predecessor ? { predecessor } : {}),
        }),
        requested_by: `message:${env.id}`,
        requested_at: env.createdAt,
        answered_by: null,
        answered_at: null,
        answer_reason: null,
        used_at: null,
        referred_to: referred,
      })
      .execute();
    const received = (organisation: string): AuditEvent => ({
      type: "consent.received",
      actor: nodeActor(ctx),
      organisation,
      object: { type: "consent", id: b.consentId },
      outcome: "done",
      articles: referred ? ["A6.7", "D3"] : ["A6.7"],
      data: {
        action: b.action,
        carrier:
          carrier?.registration_number ??
          `${b.carrier.originRegistrationNumber}/${b.carrier.originCopyNumber}`,
        from: `${env.sender.party}/${env.sender.org}`,
        message: env.id,
        ...(predecessor ? { predecessor } : {}),
        ...(referred ? { referredTo: referred } : {}),
      },
    });
    await recordAudit(trx, ctx, received(env.recipient.org));
    // A referred request is the authority's to decide: a notice it reads, not only an entry (D3, A6.7).
    if (referred) await informAuthority(trx, ctx, received(authority));
    else await recordAudit(trx, ctx, received(authority));
    return undefined;
  };
}

/**
 * Whether `sender` may answer the consent request `row` we asked: the originator body we asked; or,
 * D3, for a carrier of the 2015 agreement, the other Party's competent authority, to which the
 * originator's node refers a request on a carrier it holds no record of.
 */
async function answersFor(
  trx: Trx,
  ctx: FlowContext,
  row: { readonly originator_org: string; readonly origin_party: string; readonly carrier_id: string | null },
  sender: { readonly party: string; readonly org: string },
): Promise<boolean> {
  if (row.origin_party !== sender.party) return false;
  if (row.originator_org === sender.org) return true;
  const authority = ctx.exchange.peer?.organisations.find((o) => o.kind === "competent-authority");
  if (!authority || authority.id !== sender.org || row.carrier_id === null) return false;
  const old = await trx
    .selectFrom("predecessor_records")
    .select("carrier_id")
    .where("carrier_id", "=", row.carrier_id)
    .executeTakeFirst();
  return old !== undefined;
}

/** A6.7 (holder): the originator's written answer. */
export function onConsentAnswer(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"consent-answer">;
    const row = await trx
      .selectFrom("consent_requests")
      .selectAll()
      .where("id", "=", env.body.consentId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!row || !(await answersFor(trx, ctx, row, env.sender)))
      throw new DomainError("MESSAGE_MISADDRESSED", { consentId: env.body.consentId });
    if (row.state !== "asked")
      throw new DomainError("TRANSITION_FORBIDDEN", {
        machine: "consent",
        state: row.state,
        event: env.body.decision,
      });
    const at = toTimestamp(ctx.now());
    await trx
      .updateTable("consent_requests")
      .set({ state: env.body.decision, answered_at: at, answer_reason: env.body.reason })
      .where("id", "=", row.id)
      .execute();
    for (const org of [row.holder_org, await ownCompetentAuthority(trx, ctx)]) {
      await recordAudit(trx, ctx, {
        type: "consent.answer-received",
        actor: nodeActor(ctx),
        organisation: org,
        object: { type: "consent", id: row.id },
        outcome: "done",
        articles: ["A6.7"],
        data: { decision: env.body.decision, action: row.action, message: env.id },
      });
    }
    return undefined;
  };
}

/** A6.4, A6.1 (holder): the originator changed the level: the received carrier and all copies and derivatives are re-marked. */
export function onLevelChangeNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"level-change-notice">;
    const b = env.body;
    const received = await receivedByRef(trx, b.carrier, env.sender);
    const level = findLevel(ctx.pack, b.newLevel);
    if (levelOfMarking(ctx.pack, b.carrier.originParty, b.newOriginMarking).id !== level.id)
      throw new DomainError("MARKING_NOT_EQUIVALENT", {
        expected: level.workingName.en,
        actual: b.newOriginMarking,
      });
    const changed = await remarkTree(trx, ctx, received.carrier_id, level.id, b.newOriginMarking, false);
    await recordAudit(trx, ctx, {
      type: "carrier.remarked",
      actor: nodeActor(ctx),
      organisation: await ownCompetentAuthority(trx, ctx),
      object: { type: "carrier", id: received.carrier_id },
      outcome: "done",
      articles: ["A6.4", "A6.1", "A6.3"],
      data: { from: b.previousLevel, to: b.newLevel, carriers: changed, message: env.id },
    });
    return undefined;
  };
}

/** A6.4 (holder): the originator declassified: the carrier and all copies and derivatives follow. */
export function onDeclassificationNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"declassification-notice">;
    const received = await receivedByRef(trx, env.body.carrier, env.sender);
    const { row } = await loadCarrier(trx, ctx, received.carrier_id);
    const changed = await remarkTree(trx, ctx, received.carrier_id, row.level, row.marking, true);
    await recordAudit(trx, ctx, {
      type: "carrier.declassified",
      actor: nodeActor(ctx),
      organisation: await ownCompetentAuthority(trx, ctx),
      object: { type: "carrier", id: received.carrier_id },
      outcome: "done",
      articles: ["A6.4", "A1.7"],
      data: { carriers: changed, message: env.id },
    });
    return undefined;
  };
}

/** A6.6 (originator): the holder destroyed our carrier with our permission; we keep the certificate. */
export function onDestructionNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope, attachment }) => {
    const env = envelope as Envelope<"destruction-notice">;
    const b = env.body;
    const { carrier } = await ownCarrierByRef(trx, ctx, b.carrier, env.sender, env.recipient);
    const consent = await trx
      .selectFrom("consent_requests")
      .selectAll()
      .where("id", "=", b.consentId)
      .where("direction", "=", "in")
      .executeTakeFirst();
    const named = carrier?.registration_number ?? b.carrier.originRegistrationNumber;
    // The permission for this carrier: one given on our record of it, or (D3) by hand on a carrier
    // of the 2015 agreement we hold no record of, under the same reference.
    if (
      consent?.action !== "destroy" ||
      consent.state !== "granted" ||
      consent.holder_org !== env.sender.org ||
      consent.carrier_id !== (carrier?.id ?? null) ||
      consent.origin_registration_number !== b.carrier.originRegistrationNumber ||
      consent.origin_copy_number !== b.carrier.originCopyNumber
    )
      throw new DomainError("DESTRUCTION_NEEDS_PERMISSION", { carrier: named });
    const at = toTimestamp(ctx.now());
    await trx
      .updateTable("consent_requests")
      .set({ state: "used", used_at: at })
      .where("id", "=", consent.id)
      .execute();
    const dir = join(ctx.dataDir, "exchange", "certificates");
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const path = join(dir, `received-destruction-${env.id}.pdf`);
    if (attachment) writeFileSync(path, attachment, { mode: 0o600 });
    for (const org of [env.recipient.org, await ownCompetentAuthority(trx, ctx)]) {
      await recordAudit(trx, ctx, {
        type: "carrier.destruction-noted",
        actor: nodeActor(ctx),
        organisation: org,
        object: carrier ? { type: "carrier", id: carrier.id } : { type: "consent", id: consent.id },
        outcome: "done",
        articles: ["A6.6", "A6.7"],
        data: {
          holder: `${env.sender.party}/${env.sender.org}`,
          registeredThereAs: b.registrationNumber,
          destroyedAt: b.destroyedAt,
          method: b.method,
          certificateSha256: b.certificateSha256,
          certificate: path,
          message: env.id,
        },
      });
    }
    return undefined;
  };
}
