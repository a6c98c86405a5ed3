/**
 * The idempotent inbox. A parcel from the peer is opened (decrypted, signature checked against
 * the pinned root of the signer's Party), its envelope checked (sender = signer = TLS peer,
 * addressed to this node, known kind), and then, in one transaction, recorded by id and handed
 * to the handler of its kind. The same id again has no second effect (its answer is re-sent);
 * the same id with other content is refused and audited as a security event.
 */
import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import { z } from "zod";
import { DomainError, isDomainError } from "../domain/errors.ts";
import { parseJsonColumn, toTimestamp } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";
import { type Trx, withTransaction } from "../store/transaction.ts";
import { exchangeError } from "./errors.ts";
import { canonicalJson } from "./messages/canonical.ts";
import type { MessageKind } from "./messages/catalogue.ts";
import { type Envelope, parseEnvelopeBytes } from "./messages/envelope.ts";
import { requeueMessage } from "./outbox.ts";
import type { ExchangeAudit, MessageSealer } from "./ports.ts";
import type { ParcelAck } from "./server.ts";
import type { Parcel } from "./transport/parcel.ts";

export type InboundMessage = {
  readonly envelope: Envelope;
  readonly attachment: Uint8Array | null;
  readonly via: "https" | "courier";
};

/** What a handler did: the id of the message it sent in answer, if any (re-sent on a replay). */
export type HandlerResult = { readonly replyId?: string | null } | undefined;

/** Applies one message's effect inside the inbox transaction; throws a DomainError to refuse it. */
export type InboundHandler = (trx: Trx, message: InboundMessage) => Promise<HandlerResult | undefined>;

export type InboxContext = {
  readonly db: Kysely<Database>;
  readonly party: string;
  readonly agreementId: string;
  readonly sealer: MessageSealer;
  readonly audit: ExchangeAudit;
  readonly now: () => Date;
  readonly handlers: Partial<Record<MessageKind, InboundHandler>>;
  /** Called after a message was recorded (accepted or refused), outside the transaction. */
  readonly onRecorded?: (envelope: Envelope) => void;
  /** Checks and cosigns the sender's checkpoint; returns the cosignature to send back, if any. */
  readonly checkPeerCheckpoint?: (envelope: Envelope) => Promise<string | null>;
};

/**
 * Takes in one parcel. `tlsPeerParty` is the Party authenticated by mutual TLS (null for a
 * courier bundle, where the signature alone names the sender). Refusals before the message could
 * be attributed are audited as security events and thrown; refusals of the message's effect are
 * recorded, audited and answered with status "refused".
 */
export async function receiveParcel(
  ctx: InboxContext,
  parcel: Parcel,
  via: "https" | "courier",
  tlsPeerParty: string | null,
): Promise<ParcelAck> {
  let envelope: Envelope;
  let envelopeText: string;
  let attachment: Uint8Array | null = null;
  try {
    const opened = await ctx.sealer.open(parcel.sealedEnvelope, parcel.recipientOrg);
    // The TLS peer must be the Party whose organisation signed the message.
    if (tlsPeerParty !== null && opened.signer.party !== tlsPeerParty)
      throw exchangeError("MESSAGE_PEER_MISMATCH", { signer: opened.signer.party, peer: tlsPeerParty });
    envelope = parseEnvelopeBytes(opened.bytes);
    envelopeText = new TextDecoder().decode(opened.bytes);
    if (envelope.sender.party !== opened.signer.party || envelope.sender.org !== opened.signer.org)
      throw exchangeError("MESSAGE_PEER_MISMATCH", { signer: opened.signer, sender: envelope.sender });
    if (
      envelope.recipient.party !== ctx.party ||
      envelope.agreementId !== ctx.agreementId ||
      envelope.recipient.org !== opened.recipient.org ||
      envelope.sender.party === ctx.party
    )
      throw exchangeError("MESSAGE_MISADDRESSED", { messageId: envelope.id, recipient: envelope.recipient });
    const recipientOrg = await ctx.db
      .selectFrom("organisations")
      .select("id")
      .where("id", "=", envelope.recipient.org)
      .where("party", "=", ctx.party)
      .executeTakeFirst();
    if (!recipientOrg)
      throw exchangeError("MESSAGE_MISADDRESSED", { messageId: envelope.id, recipient: envelope.recipient });
    if (envelope.attachmentSha256 !== null) {
      if (parcel.attachmentChunks.length === 0)
        throw exchangeError("MESSAGE_MALFORMED", { messageId: envelope.id, reason: "attachment missing" });
      const hash = createHash("sha256");
      const pieces: Uint8Array[] = [];
      for (const chunk of parcel.attachmentChunks) {
        const att = await ctx.sealer.open(chunk, parcel.recipientOrg);
        if (att.signer.party !== opened.signer.party || att.signer.org !== opened.signer.org)
          throw exchangeError("MESSAGE_PEER_MISMATCH", {
            messageId: envelope.id,
            reason: "attachment signer",
          });
        hash.update(att.bytes);
        pieces.push(att.bytes);
      }
      // The digest in the signed envelope binds every chunk, their order and their number.
      if (hash.digest("hex") !== envelope.attachmentSha256)
        throw new DomainError("PACKAGE_INTEGRITY_FAILED", { messageId: envelope.id, part: "attachment" });
      attachment = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces);
    } else if (parcel.attachmentChunks.length > 0) {
      throw exchangeError("MESSAGE_MALFORMED", { messageId: envelope.id, reason: "unexpected attachment" });
    }
  } catch (error) {
    await auditSecurityEvent(ctx, "message-refused", "parcel", error, { via, tlsPeerParty });
    throw error;
  }

  const sha = createHash("sha256").update(envelopeText).digest("hex");
  const message: InboundMessage = { envelope, attachment, via };
  const handler = ctx.handlers[envelope.kind];

  const replay = await withTransaction(ctx.db, async (trx) => {
    const seen = await trx
      .selectFrom("exchange_inbox")
      .select(["envelope_sha256", "outcome", "refusal", "reply_id"])
      .where("id", "=", envelope.id)
      .executeTakeFirst();
    if (!seen) return null;
    if (seen.envelope_sha256 !== sha) return { conflict: true as const };
    // The same message again: no second effect; its answer (e.g. the receipt notice) goes again.
    if (seen.reply_id) await requeueMessage(trx, seen.reply_id, ctx.now());
    return { conflict: false as const, outcome: seen.outcome, refusal: seen.refusal };
  });
  if (replay?.conflict) {
    const error = exchangeError("MESSAGE_CONFLICT", { messageId: envelope.id });
    await auditSecurityEvent(ctx, "message-conflict", `message:${envelope.id}`, error, {
      via,
      sender: envelope.sender,
    });
    throw error;
  }
  const cosignature = ctx.checkPeerCheckpoint ? await safeCheckpoint(ctx, envelope) : null;
  if (replay) {
    const refusal = replay.refusal
      ? parseJsonColumn(StoredRefusal, replay.refusal, "exchange_inbox.refusal")
      : null;
    return refusal
      ? {
          status: "refused",
          messageId: envelope.id,
          code: refusal.code,
          articles: refusal.articles,
          cosignature,
        }
      : { status: "duplicate", messageId: envelope.id, cosignature };
  }

  try {
    const outcome = await withTransaction(ctx.db, async (trx) => {
      // Another delivery of the same message may have committed meanwhile (two transports).
      const raced = await trx
        .selectFrom("exchange_inbox")
        .select("envelope_sha256")
        .where("id", "=", envelope.id)
        .executeTakeFirst();
      if (raced) return raced.envelope_sha256 === sha ? ("duplicate" as const) : ("conflict" as const);
      if (!handler) throw exchangeError("MESSAGE_UNKNOWN_KIND", { kind: envelope.kind });
      const result = await handler(trx, message);
      await insertInboxRow(
        trx,
        ctx,
        envelope,
        envelopeText,
        sha,
        via,
        "accepted",
        null,
        result?.replyId ?? null,
      );
      // An answer proves the message it answers arrived (e.g. by courier, with no online ack).
      if (envelope.inReplyTo) await markAnswered(trx, envelope.inReplyTo, ctx.now());
      await ctx.audit.append(trx, {
        actor: `node:${envelope.sender.party}`,
        organisationId: envelope.recipient.org,
        event: "message-received",
        object: `message:${envelope.id}`,
        outcome: "ok",
        articles: [],
        details: { kind: envelope.kind, sender: envelope.sender, via },
      });
      return "accepted" as const;
    });
    if (outcome === "conflict") throw exchangeError("MESSAGE_CONFLICT", { messageId: envelope.id });
    ctx.onRecorded?.(envelope);
    return { status: outcome, messageId: envelope.id, cosignature };
  } catch (error) {
    if (!isDomainError(error) || error.code === "MESSAGE_CONFLICT") throw error;
    // A rule refused the message's effect: nothing of it was applied; record the refusal once.
    const refusal = { code: error.code, articles: [...error.articles], details: error.details };
    await withTransaction(ctx.db, async (trx) => {
      const raced = await trx
        .selectFrom("exchange_inbox")
        .select("id")
        .where("id", "=", envelope.id)
        .executeTakeFirst();
      if (raced) return;
      await insertInboxRow(
        trx,
        ctx,
        envelope,
        envelopeText,
        sha,
        via,
        "refused",
        canonicalJson(refusal),
        null,
      );
      await ctx.audit.append(trx, {
        actor: `node:${envelope.sender.party}`,
        organisationId: envelope.recipient.org,
        event: "message-refused",
        object: `message:${envelope.id}`,
        outcome: "refused",
        articles: error.articles,
        details: { kind: envelope.kind, code: error.code, via },
      });
    });
    ctx.onRecorded?.(envelope);
    return {
      status: "refused",
      messageId: envelope.id,
      code: error.code,
      articles: error.articles,
      cosignature,
    };
  }
}

async function insertInboxRow(
  trx: Trx,
  ctx: InboxContext,
  envelope: Envelope,
  envelopeText: string,
  sha: string,
  via: string,
  outcome: "accepted" | "refused",
  refusal: string | null,
  replyId: string | null,
): Promise<void> {
  await trx
    .insertInto("exchange_inbox")
    .values({
      id: envelope.id,
      sender_party: envelope.sender.party,
      sender_org: envelope.sender.org,
      recipient_org: envelope.recipient.org,
      kind: envelope.kind,
      envelope_sha256: sha,
      envelope: envelopeText,
      received_via: via,
      received_at: toTimestamp(ctx.now()),
      outcome,
      refusal,
      reply_id: replyId,
    })
    .execute();
}

async function markAnswered(trx: Trx, id: string, now: Date): Promise<void> {
  await trx
    .updateTable("exchange_outbox")
    .set({ state: "delivered", delivered_at: toTimestamp(now), delivered_via: "answered" })
    .where("id", "=", id)
    .where("state", "=", "pending")
    .execute();
}

async function safeCheckpoint(ctx: InboxContext, envelope: Envelope): Promise<string | null> {
  try {
    return (await ctx.checkPeerCheckpoint?.(envelope)) ?? null;
  } catch {
    return null;
  }
}

/** exchange_inbox.refusal as stored: the refusal recorded once (`details` are kept as they are). */
const StoredRefusal = z.looseObject({ code: z.string(), articles: z.array(z.string()) });

/** Audits a refusal that is a security matter (forged, replayed with other content, misrouted). */
export async function auditSecurityEvent(
  ctx: Pick<InboxContext, "db" | "audit">,
  event: string,
  object: string,
  error: unknown,
  details: Record<string, unknown>,
): Promise<void> {
  const coded = isDomainError(error) ? error : null;
  await withTransaction(ctx.db, async (trx) => {
    await ctx.audit.append(trx, {
      actor: "exchange",
      organisationId: null,
      event,
      object,
      outcome: "security",
      articles: coded ? coded.articles : [],
      details: {
        ...details,
        code: coded ? coded.code : "UNEXPECTED",
        message: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
      },
    });
  });
}
