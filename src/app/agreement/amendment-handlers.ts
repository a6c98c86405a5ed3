// What the inbox does with the amendment protocols (A14), inside the inbox's transaction: a
// proposal held here after its date and changes are checked against the pack in force; the other
// Party's answer to ours; a notice of completed procedures for a protocol, applied at its receipt and
// acknowledged with that instant (the sending node applies its own when the receipt comes back, in
// `applyProtocolNoticeReceipt`). Only the competent authorities speak for their Parties here (A3.1).

import {
  applyPackChanges,
  checkProtocolNoticeDate,
  proposeProtocol,
  transitionProtocol,
} from "../../domain/agreement/amendment.ts";
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import { findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone } from "../../domain/time/instants.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { informAuthority } from "../authorities/informed.ts";
import { fromPeerAuthority } from "../exchange/peer-authority.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { agreementStateOf } from "./agreement-life.ts";
import { loadProtocol, protocolStateOf, saveProtocolState } from "./amendment-protocols.ts";
import { acknowledgeNotice } from "./notice-rows.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/** A14 (receiver): the other Party's proposed protocol, held here for its competent authority to answer. */
export function onAmendmentProtocol(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"amendment-protocol">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const from = env.sender.party as PartyCode;
    const known = await trx
      .selectFrom("amendment_protocols")
      .select(["id", "number"])
      .where((eb) => eb.or([eb("id", "=", b.protocolId), eb("number", "=", b.number)]))
      .executeTakeFirst();
    if (known?.id === b.protocolId) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    if (known) throw new DomainError("PROTOCOL_NUMBER_TAKEN", { number: b.number });
    const receivedAt = toTimestamp(ctx.now());
    // The date is the sender's: checked against today on the sender's calendar at receipt.
    const state = proposeProtocol(
      { id: b.protocolId, number: b.number, by: from, signedOn: b.signedOn },
      {
        pack: ctx.pack,
        agreement: await agreementStateOf(trx, ctx),
        at: receivedAt,
        today: dateInZone(receivedAt, findParty(ctx.pack, from).timeZone),
      },
    );
    applyPackChanges(ctx.pack, b.changes as never, (ctx.pack.version ?? 0) + 1);
    await trx
      .insertInto("amendment_protocols")
      .values({
        id: state.id,
        number: b.number,
        title: b.title,
        signed_on: state.signedOn,
        reference: b.reference,
        changes: JSON.stringify(b.changes),
        proposed_by: from,
        direction: "in",
        status: state.status,
        proposed_at: receivedAt,
        answered_at: null,
        answer_reason: null,
        notices: "[]",
        in_force_on: null,
        in_force_from: null,
        version: null,
        message_id: env.id,
        answer_message_id: null,
        recorded_by: nodeActor(ctx),
      })
      .execute();
    await informAuthority(trx, ctx, {
      type: "agreement.protocol-received",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "protocol", id: state.id },
      outcome: "done",
      articles: ["A14"],
      data: { number: b.number, title: b.title, from, changes: b.changes.length, message: env.id },
    });
  };
}

/** A14 (proposer): the other Party signed or declined our protocol. */
export function onAmendmentProtocolAnswer(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"amendment-protocol-answer">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const row = await loadProtocol(trx, b.protocolId);
    if (row.direction !== "out" || row.message_id !== env.inReplyTo)
      throw new DomainError("MESSAGE_MISADDRESSED", { protocol: b.protocolId });
    const receivedAt = toTimestamp(ctx.now());
    const next = transitionProtocol(
      protocolStateOf(row),
      { type: b.answer === "signed" ? "sign" : "decline", by: env.sender.party as PartyCode },
      { at: receivedAt, pack: ctx.pack },
    );
    await saveProtocolState(trx, ctx, next.state);
    await trx
      .updateTable("amendment_protocols")
      .set({
        answered_at: toTimestamp(new Date(b.answeredAt)),
        answer_reason: b.reason || null,
        answer_message_id: env.id,
      })
      .where("id", "=", row.id)
      .execute();
    await informAuthority(trx, ctx, {
      type: "agreement.protocol-answer-received",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "protocol", id: row.id },
      outcome: "done",
      articles: next.articles,
      data: { number: row.number, answer: b.answer, message: env.id },
    });
  };
}

/** A14, A15.1 (receiver): the other Party's notice for a protocol, applied at its receipt and acknowledged. */
export function onAmendmentProtocolNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"amendment-protocol-notice">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const from = env.sender.party as PartyCode;
    const known = await trx
      .selectFrom("agreement_notices")
      .select("id")
      .where("id", "=", b.noticeId)
      .executeTakeFirst();
    if (known) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const row = await loadProtocol(trx, b.protocolId);
    const state = protocolStateOf(row);
    const receivedAt = toTimestamp(ctx.now());
    checkProtocolNoticeDate(state, b.datedOn, dateInZone(receivedAt, findParty(ctx.pack, from).timeZone));
    const next = transitionProtocol(
      state,
      { type: "receive-notice", from },
      { at: receivedAt, pack: ctx.pack },
    );
    await saveProtocolState(trx, ctx, next.state);
    const receiptId = await acknowledgeNotice(trx, ctx, env, {
      own,
      id: b.noticeId,
      kind: "procedures-completed",
      fromParty: from,
      datedOn: b.datedOn,
      reference: b.reference,
      receivedAt,
      protocolId: row.id,
    });
    await informAuthority(trx, ctx, {
      type: "agreement.protocol-notice-received",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "protocol", id: row.id },
      outcome: "done",
      articles: next.articles,
      data: {
        number: row.number,
        notice: b.noticeId,
        from,
        datedOn: b.datedOn,
        receivedAt,
        status: next.state.status,
        inForceOn: next.state.inForceOn,
        message: env.id,
      },
    });
    ctx.onOutbox?.();
    return { replyId: receiptId };
  };
}

/**
 * A14, A15.1 (sender): the other Party's receipt of our notice for a protocol; applied at the
 * receipt's instant, as the other node applied it. Called by the agreement's receipt handler.
 */
export async function applyProtocolNoticeReceipt(
  trx: Trx,
  ctx: FlowContext,
  input: {
    readonly own: string;
    readonly notice: { readonly id: string; readonly protocol_id: string; readonly from_party: string };
    readonly receivedAt: string;
    readonly messageId: string;
  },
): Promise<void> {
  const row = await loadProtocol(trx, input.notice.protocol_id);
  const next = transitionProtocol(
    protocolStateOf(row),
    { type: "receive-notice", from: input.notice.from_party as PartyCode },
    { at: input.receivedAt, pack: ctx.pack },
  );
  await saveProtocolState(trx, ctx, next.state);
  await trx
    .updateTable("agreement_notices")
    .set({ received_at: input.receivedAt, receipt_message_id: input.messageId })
    .where("id", "=", input.notice.id)
    .execute();
  await recordAudit(trx, ctx, {
    type: "agreement.protocol-notice-acknowledged",
    actor: nodeActor(ctx),
    organisation: input.own,
    object: { type: "protocol", id: row.id },
    outcome: "done",
    articles: next.articles,
    data: {
      number: row.number,
      notice: input.notice.id,
      receivedAt: input.receivedAt,
      status: next.state.status,
      inForceOn: next.state.inForceOn,
      message: input.messageId,
    },
  });
}
