// What the inbox does with each Article 6 message, inside the inbox's transaction.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findLevel, levelOfMarking } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { CarrierRef } from "../../exchange/messages/catalogue.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { carrierNotFound, loadCarrier } from "../carriers/carrier-repository.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";
import { remarkTree } from "./consent-flow.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/**
 * Our own carrier named by the reference another node uses (we are its originator), locked for the
 * message's transaction. A4.2: only a carrier we dispatched to the sending body is named to it (its
 * receipt notice may still be on its way: messages are not delivered in order); any other is
 * answered as one that does not exist, so the other Party cannot probe our registry by its numbers.
 */
async function ownCarrierByRef(
  trx: Trx,
  ctx: FlowContext,
  ref: CarrierRef,
  from: { readonly party: string; readonly org: string },
) {
  if (ref.originParty !== ctx.config.party)
    throw new DomainError("MESSAGE_MISADDRESSED", { origin: ref.originParty });
  // Not ours, or not sent to them: the very answer loadCarrier gives for a number we do not hold.
  const key = `${ref.originRegistrationNumber}/${ref.originCopyNumber}`;
  const notFound = carrierNotFound(key);
  const { row } = await loadCarrier(trx, ctx, key);
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
  return row;
}

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

/** A6.7 (originator): a holder asks our written consent; it waits for our registry officer's answer. */
export function onConsentRequest(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"consent-request">;
    const b = env.body;
    const carrier = await ownCarrierByRef(trx, ctx, b.carrier, env.sender);
    await trx
      .insertInto("consent_requests")
      .values({
        id: b.consentId,
        direction: "in",
        action: b.action,
        state: "asked",
        carrier_id: carrier.id,
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
        }),
        requested_by: `message:${env.id}`,
        requested_at: env.createdAt,
        answered_by: null,
        answered_at: null,
        answer_reason: null,
        used_at: null,
      })
      .execute();
    for (const org of [env.recipient.org, await ownCompetentAuthority(trx, ctx)]) {
      await recordAudit(trx, ctx, {
        type: "consent.received",
        actor: nodeActor(ctx),
        organisation: org,
        object: { type: "consent", id: b.consentId },
        outcome: "done",
        articles: ["A6.7"],
        data: {
          action: b.action,
          carrier: carrier.registration_number,
          from: `${env.sender.party}/${env.sender.org}`,
          message: env.id,
        },
      });
    }
    return undefined;
  };
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
    if (!row || row.originator_org !== env.sender.org || row.origin_party !== env.sender.party)
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
    const carrier = await ownCarrierByRef(trx, ctx, b.carrier, env.sender);
    const consent = await trx
      .selectFrom("consent_requests")
      .selectAll()
      .where("id", "=", b.consentId)
      .where("direction", "=", "in")
      .executeTakeFirst();
    if (consent?.action !== "destroy" || consent.state !== "granted" || consent.holder_org !== env.sender.org)
      throw new DomainError("DESTRUCTION_NEEDS_PERMISSION", { carrier: carrier.registration_number });
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
        object: { type: "carrier", id: carrier.id },
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
