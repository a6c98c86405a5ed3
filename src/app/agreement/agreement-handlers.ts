// What the inbox does with the notices about the agreement (A15.1, A15.2), inside the inbox's
// transaction. The receiving node checks the notice's date against the sender's calendar, applies it
// at its receipt and sends the receipt back with that instant; the sending node applies its own
// notice at the same instant when the receipt arrives. Only the competent authorities speak for
// their Parties here (A3.1).

import {
  agreementStatusAt,
  checkNoticeDate,
  transitionAgreement,
} from "../../domain/agreement/agreement-machine.ts";
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import { findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone } from "../../domain/time/instants.ts";
import { exchangeError } from "../../exchange/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { toTimestamp } from "../../store/columns.ts";
import { informAuthority } from "../authorities/informed.ts";
import { fromPeerAuthority } from "../exchange/peer-authority.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { agreementStateOf, noticeArticles, noticeEvent, saveAgreementState } from "./agreement-life.ts";
import type { AgreementNoticeKind } from "./agreement-types.ts";
import { applyProtocolNoticeReceipt } from "./amendment-handlers.ts";
import { acknowledgeNotice } from "./notice-rows.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/** How far the receipt's instant may run ahead of this node's clock (the two clocks differ a little). */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

/** A15.1, A15.2 (receiver): the other Party's notice, applied at its receipt and acknowledged. */
export function onAgreementNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"agreement-notice">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const from = env.sender.party as PartyCode;
    const known = await trx
      .selectFrom("agreement_notices")
      .select("id")
      .where("id", "=", b.noticeId)
      .executeTakeFirst();
    if (known) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const kind = b.kind as AgreementNoticeKind;
    const receivedAt = toTimestamp(ctx.now());
    const state = await agreementStateOf(trx, ctx);
    // The date is the sender's: checked against today on the sender's calendar at receipt.
    checkNoticeDate(state, kind, b.datedOn, {
      pack: ctx.pack,
      today: dateInZone(receivedAt, findParty(ctx.pack, from).timeZone),
    });
    const next = transitionAgreement(state, noticeEvent(kind, from), { at: receivedAt, pack: ctx.pack });
    await saveAgreementState(trx, ctx, next.state);
    const receiptId = await acknowledgeNotice(trx, ctx, env, {
      own,
      id: b.noticeId,
      kind,
      fromParty: from,
      datedOn: b.datedOn,
      reference: b.reference,
      receivedAt,
    });
    // The competent authority reads it among what it was informed of (A15.1, A15.2), not only in the log.
    await informAuthority(trx, ctx, {
      type: "agreement.notice-received",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "agreement", id: ctx.config.agreementId },
      outcome: "done",
      articles: next.articles.length > 0 ? next.articles : noticeArticles(kind),
      data: {
        notice: b.noticeId,
        kind,
        from,
        datedOn: b.datedOn,
        receivedAt,
        status: agreementStatusAt(next.state, receivedAt),
        message: env.id,
      },
    });
    ctx.onOutbox?.();
    return { replyId: receiptId };
  };
}

/** A15.1, A15.2 (sender): the other Party's receipt of our notice; the notice is applied at that instant. */
export function onAgreementNoticeReceipt(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"agreement-notice-receipt">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const notice = await trx
      .selectFrom("agreement_notices")
      .selectAll()
      .where("id", "=", b.noticeId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!notice || notice.message_id !== env.inReplyTo)
      throw new DomainError("MESSAGE_MISADDRESSED", { noticeId: b.noticeId });
    if (notice.received_at !== null) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const receivedAt = toTimestamp(new Date(b.receivedAt));
    const late = Date.parse(receivedAt) - ctx.now().getTime() > CLOCK_SKEW_MS;
    const early = Date.parse(notice.sent_at) - Date.parse(receivedAt) > CLOCK_SKEW_MS;
    if (late || early)
      throw exchangeError("MESSAGE_MALFORMED", { messageId: env.id, reason: "receipt time" });
    if (notice.protocol_id !== null) {
      // A14: a notice about an amendment protocol, not the agreement itself.
      await applyProtocolNoticeReceipt(trx, ctx, {
        own,
        notice: { id: notice.id, protocol_id: notice.protocol_id, from_party: notice.from_party },
        receivedAt,
        messageId: env.id,
      });
      return;
    }
    const kind = notice.kind as AgreementNoticeKind;
    const state = await agreementStateOf(trx, ctx);
    const next = transitionAgreement(state, noticeEvent(kind, notice.from_party as PartyCode), {
      at: receivedAt,
      pack: ctx.pack,
    });
    await saveAgreementState(trx, ctx, next.state);
    await trx
      .updateTable("agreement_notices")
      .set({ received_at: receivedAt, receipt_message_id: env.id })
      .where("id", "=", notice.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "agreement.notice-acknowledged",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "agreement", id: ctx.config.agreementId },
      outcome: "done",
      articles: next.articles.length > 0 ? next.articles : noticeArticles(kind),
      data: {
        notice: notice.id,
        kind,
        receivedAt,
        status: agreementStatusAt(next.state, ctx.now().toISOString()),
        message: env.id,
      },
    });
  };
}
