// The written notices of completed procedures, termination and withdrawal (A15.1, A15.2), about the
// agreement or one of its protocols (A14), as both sides keep them: the sender's row with its
// message, the receiver's row with the receipt it sends back (the instant both apply it at).
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { Trx } from "../../store/transaction.ts";
import type { FlowContext } from "../transfer/flow-context.ts";

type NoticeFields = {
  readonly id: string;
  readonly kind: string;
  readonly fromParty: string;
  readonly datedOn: string;
  readonly reference: string;
  /** A14: the protocol it is about; absent: the agreement itself. */
  readonly protocolId?: string;
};

/** The sender's row of a notice just put in the outbox as `messageId`. */
export async function insertSentNotice(
  trx: Trx,
  notice: NoticeFields & { readonly sentAt: string; readonly messageId: string; readonly recordedBy: string },
): Promise<void> {
  await trx
    .insertInto("agreement_notices")
    .values({
      id: notice.id,
      direction: "out",
      kind: notice.kind,
      from_party: notice.fromParty,
      dated_on: notice.datedOn,
      reference: notice.reference,
      sent_at: notice.sentAt,
      received_at: null,
      message_id: notice.messageId,
      receipt_message_id: null,
      recorded_by: notice.recordedBy,
      protocol_id: notice.protocolId ?? null,
    })
    .execute();
}

/**
 * The receiver's row of the notice `env` carried, received at `receivedAt`, and the receipt sent
 * back with that instant (`agreement-notice-receipt`). Returns the receipt's message id.
 */
export async function acknowledgeNotice(
  trx: Trx,
  ctx: FlowContext,
  env: Envelope,
  input: NoticeFields & { readonly own: string; readonly receivedAt: string },
): Promise<string> {
  const receipt = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "agreement-notice-receipt",
    fromOrg: input.own,
    to: { party: env.sender.party, org: env.sender.org },
    // The notice holds nothing classified: the lowest level labels its package.
    level: ctx.pack.levels[0]!.id,
    inReplyTo: env.id,
    body: { noticeId: input.id, receivedAt: input.receivedAt },
  });
  await trx
    .insertInto("agreement_notices")
    .values({
      id: input.id,
      direction: "in",
      kind: input.kind,
      from_party: input.fromParty,
      dated_on: input.datedOn,
      reference: input.reference,
      sent_at: env.createdAt,
      received_at: input.receivedAt,
      message_id: env.id,
      receipt_message_id: receipt.id,
      recorded_by: `node:${ctx.config.nodeId}`,
      protocol_id: input.protocolId ?? null,
    })
    .execute();
  return receipt.id;
}
