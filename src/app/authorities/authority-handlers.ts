// What the inbox does with the competent authorities' letters (A3.2, A3.3, A8.1, A8.2), inside the
// inbox's transaction: the receiver records the letter (and its document) and acknowledges it; an
// authority change (A3.3) is applied at the receiver on receipt and at the sender once the receipt
// comes back, so that both nodes then name the authority alike.

import { createHash } from "node:crypto";
import { DomainError } from "../../domain/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toBinary, toTimestamp } from "../../store/columns.ts";
import { fromPeerAuthority } from "../exchange/peer-authority.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { LETTER_ARTICLES, type LetterSubject } from "./authority-letters.ts";
import { informAuthority } from "./informed.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/** A3.2, A3.3, A8.1, A8.2 (receiver): a letter from the other Party's competent authority. */
export function onAuthorityLetter(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope, attachment }) => {
    const env = envelope as Envelope<"authority-letter">;
    const b = env.body;
    const own = await fromPeerAuthority(trx, ctx, env);
    const known = await trx
      .selectFrom("authority_letters")
      .select("id")
      .where("id", "=", b.letterId)
      .executeTakeFirst();
    if (known) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const subject = b.subject as LetterSubject;
    if (subject === "authority-change" && !b.authority)
      throw new DomainError(
        "INPUT_INVALID",
        { field: "authority", problem: "an authority change names the new name" },
        { articles: ["A3.3"] },
      );
    const receivedAt = toTimestamp(ctx.now());
    const bytes = attachment && b.attachmentName !== null ? attachment : null;
    const receipt = await enqueueMessage(trx, ctx.exchange.outbox, {
      kind: "authority-letter-receipt",
      fromOrg: own,
      to: { party: env.sender.party, org: env.sender.org },
      level: ctx.pack.levels[0]!.id,
      inReplyTo: env.id,
      body: { letterId: b.letterId, receivedAt },
    });
    await trx
      .insertInto("authority_letters")
      .values({
        id: b.letterId,
        direction: "in",
        subject,
        from_party: env.sender.party,
        title: b.title,
        body: b.body,
        authority_name: b.authority?.name ?? null,
        authority_functions: b.authority?.functions ?? null,
        attachment_name: bytes ? b.attachmentName : null,
        attachment: bytes ? toBinary(bytes) : null,
        attachment_sha256: bytes ? createHash("sha256").update(bytes).digest("hex") : null,
        sent_at: env.createdAt,
        received_at: receivedAt,
        message_id: env.id,
        receipt_message_id: receipt.id,
        recorded_by: nodeActor(ctx),
      })
      .execute();
    // A3.3: from now on this node names the other Party's authority as notified.
    if (subject === "authority-change" && b.authority)
      await trx
        .insertInto("authority_changes")
        .values({
          letter_id: b.letterId,
          party: env.sender.party,
          org_id: env.sender.org,
          name: b.authority.name,
          functions: b.authority.functions,
          changed_at: receivedAt,
        })
        .execute();
    // A3.2, A3.3, A8: a letter waits for the authority among what it was informed of, until read.
    await informAuthority(trx, ctx, {
      type: "authority.letter-received",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "letter", id: b.letterId },
      outcome: "done",
      articles: LETTER_ARTICLES[subject],
      data: { subject, from: env.sender.party, message: env.id, attachment: bytes ? b.attachmentName : null },
    });
    ctx.onOutbox?.();
    return { replyId: receipt.id };
  };
}

/** A3.3, A8 (sender): the other Party received our letter; an authority change now applies here too. */
export function onAuthorityLetterReceipt(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"authority-letter-receipt">;
    const own = await fromPeerAuthority(trx, ctx, env);
    const letter = await trx
      .selectFrom("authority_letters")
      .selectAll()
      .where("id", "=", env.body.letterId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!letter || letter.message_id !== env.inReplyTo)
      throw new DomainError("MESSAGE_MISADDRESSED", { letterId: env.body.letterId });
    if (letter.received_at !== null) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const receivedAt = toTimestamp(new Date(env.body.receivedAt));
    await trx
      .updateTable("authority_letters")
      .set({ received_at: receivedAt, receipt_message_id: env.id })
      .where("id", "=", letter.id)
      .execute();
    if (letter.subject === "authority-change" && letter.authority_name !== null) {
      await trx
        .updateTable("organisations")
        .set({ name: letter.authority_name })
        .where("id", "=", own)
        .execute();
      await trx
        .insertInto("authority_changes")
        .values({
          letter_id: letter.id,
          party: ctx.config.party,
          org_id: own,
          name: letter.authority_name,
          functions: letter.authority_functions ?? "",
          changed_at: receivedAt,
        })
        .execute();
    }
    await recordAudit(trx, ctx, {
      type: "authority.letter-acknowledged",
      actor: nodeActor(ctx),
      organisation: own,
      object: { type: "letter", id: letter.id },
      outcome: "done",
      articles: LETTER_ARTICLES[letter.subject as LetterSubject],
      data: { subject: letter.subject, receivedAt, message: env.id },
    });
  };
}
