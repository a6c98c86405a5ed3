/**
 * The transactional outbox: a message to the peer is sealed and written in the same
 * transaction as the state change that caused it, so either both happen or neither. The relay
 * (`relay.ts`) and courier bundles (`courier.ts`) then carry the stored parcel, byte for byte.
 */
import { createHash, randomUUID } from "node:crypto";
import { sql } from "kysely";
import { DomainError } from "../domain/errors.ts";
import { toBinary, toTimestamp } from "../store/columns.ts";
import type { Trx } from "../store/transaction.ts";
import type { MessageBody, MessageKind } from "./messages/catalogue.ts";
import { createEnvelope, type Envelope, envelopeBytes, type OrgAddress } from "./messages/envelope.ts";
import type { CheckpointPort, MessageSealer } from "./ports.ts";
import { ATTACHMENT_CHUNK, encodeParcel, MAX_ATTACHMENT_CHUNKS } from "./transport/parcel.ts";

export type OutboxContext = {
  readonly party: string;
  readonly agreementId: string;
  readonly sealer: MessageSealer;
  readonly checkpoints?: CheckpointPort;
  readonly now: () => Date;
};

export type OutgoingMessage<K extends MessageKind> = {
  readonly kind: K;
  /** The organisation of this node that signs the message. */
  readonly fromOrg: string;
  readonly to: OrgAddress;
  /** The level whose label the sealed package carries (the carrier's, for carrier matters). */
  readonly level: string;
  readonly body: MessageBody<K>;
  readonly inReplyTo?: string | null;
  readonly attachment?: Uint8Array | null;
};

/** Seals `message` and writes it to the outbox inside `trx`; returns the envelope. */
export async function enqueueMessage<K extends MessageKind>(
  trx: Trx,
  ctx: OutboxContext,
  message: OutgoingMessage<K>,
): Promise<Envelope<K>> {
  const now = ctx.now();
  const from: OrgAddress = { party: ctx.party, org: message.fromOrg };
  const attachment = message.attachment ?? null;
  const envelope = createEnvelope({
    id: randomUUID(),
    kind: message.kind,
    agreementId: ctx.agreementId,
    sender: from,
    recipient: message.to,
    inReplyTo: message.inReplyTo ?? null,
    senderCheckpoint: ctx.checkpoints ? await ctx.checkpoints.latest(trx) : null,
    checkpointCosignature: await latestCosignature(trx, message.to.party),
    createdAt: now.toISOString(),
    attachmentSha256: attachment ? createHash("sha256").update(attachment).digest("hex") : null,
    body: message.body,
  });
  const sealedEnvelope = await ctx.sealer.seal({
    bytes: envelopeBytes(envelope),
    from,
    to: message.to,
    level: message.level,
  });
  const attachmentChunks: Uint8Array[] = [];
  if (attachment) {
    if (attachment.byteLength > ATTACHMENT_CHUNK * MAX_ATTACHMENT_CHUNKS)
      throw new DomainError("PACKAGE_LIMIT_EXCEEDED", { size: attachment.byteLength });
    for (let off = 0; off < attachment.byteLength || off === 0; off += ATTACHMENT_CHUNK) {
      const bytes = attachment.subarray(off, off + ATTACHMENT_CHUNK);
      attachmentChunks.push(await ctx.sealer.seal({ bytes, from, to: message.to, level: message.level }));
      if (attachment.byteLength === 0) break;
    }
  }
  const parcel = encodeParcel({ recipientOrg: message.to.org, sealedEnvelope, attachmentChunks });
  const seq = await nextOutboxSeq(trx);
  await trx
    .insertInto("exchange_outbox")
    .values({
      id: envelope.id,
      seq,
      peer_party: message.to.party,
      kind: message.kind,
      sender_org: message.fromOrg,
      recipient_org: message.to.org,
      in_reply_to: envelope.inReplyTo,
      parcel: toBinary(parcel),
      parcel_sha256: createHash("sha256").update(parcel).digest("hex"),
      state: "pending",
      attempts: 0,
      next_attempt_at: toTimestamp(now),
      last_error: null,
      created_at: toTimestamp(now),
      delivered_at: null,
      delivered_via: null,
      exported_at: null,
      ack: null,
    })
    .execute();
  return envelope;
}

/** Puts a message already sent back in the queue (its answer came again: re-send it). */
export async function requeueMessage(trx: Trx, id: string, now: Date): Promise<void> {
  await trx
    .updateTable("exchange_outbox")
    .set({ state: "pending", next_attempt_at: toTimestamp(now), attempts: 0 })
    .where("id", "=", id)
    .where("state", "=", "delivered")
    .execute();
}

async function nextOutboxSeq(trx: Trx): Promise<number> {
  const updated = await trx
    .updateTable("counters")
    .set({ value: sql`value + 1` })
    .where("name", "=", "exchange_outbox")
    .returning("value")
    .executeTakeFirst();
  if (updated) return Number(updated.value);
  await trx.insertInto("counters").values({ name: "exchange_outbox", value: 1 }).execute();
  return 1;
}

/** Our latest checkpoint of the peer's log that we verified and cosigned, to send back. */
async function latestCosignature(trx: Trx, party: string): Promise<string | null> {
  const row = await trx
    .selectFrom("exchange_peer_checkpoints")
    .select("cosignature")
    .where("party", "=", party)
    .orderBy("size", "desc")
    .limit(1)
    .executeTakeFirst();
  return row?.cosignature ?? null;
}
