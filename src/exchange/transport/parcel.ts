/**
 * A parcel is what one transport hop carries: the sealed envelope and, when the message has
 * one, the sealed attachment (carrier content, destruction certificate). The same bytes go
 * over HTTPS and into courier bundles, so either transport delivers the very same message.
 *
 * Layout: `KLSMPCL1` (8 bytes) ‖ u32be envelope length ‖ sealed envelope ‖ u64be attachment
 * length ‖ sealed attachment (length 0: none).
 */
import { exchangeError } from "../errors.ts";

const MAGIC = new TextEncoder().encode("KLSMPCL1");
/** A sealed envelope is small: messages carry metadata, content travels as the attachment. */
export const MAX_SEALED_ENVELOPE = 8 * 1024 * 1024;
/** Upper bound of one attachment (a carrier beyond this goes as a physical carrier or pieces). */
export const MAX_SEALED_ATTACHMENT = 1024 * 1024 * 1024;

export type Parcel = { readonly sealedEnvelope: Uint8Array; readonly sealedAttachment: Uint8Array | null };

/** Encodes a parcel into its wire bytes. */
export function encodeParcel(parcel: Parcel): Buffer {
  const att = parcel.sealedAttachment;
  const head = Buffer.alloc(8 + 4);
  head.set(MAGIC, 0);
  head.writeUInt32BE(parcel.sealedEnvelope.byteLength, 8);
  const mid = Buffer.alloc(8);
  mid.writeBigUInt64BE(BigInt(att ? att.byteLength : 0), 0);
  return Buffer.concat([head, parcel.sealedEnvelope, mid, att ?? new Uint8Array(0)]);
}

/** Decodes wire bytes into a parcel, refusing anything that is not exactly one parcel. */
export function decodeParcel(bytes: Uint8Array): Parcel {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 20 || !buf.subarray(0, 8).equals(MAGIC))
    throw exchangeError("MESSAGE_MALFORMED", { reason: "not a parcel" });
  const envLen = buf.readUInt32BE(8);
  if (envLen === 0 || envLen > MAX_SEALED_ENVELOPE || 12 + envLen + 8 > buf.byteLength)
    throw exchangeError("MESSAGE_MALFORMED", { reason: "bad envelope length" });
  const sealedEnvelope = buf.subarray(12, 12 + envLen);
  const attLen = buf.readBigUInt64BE(12 + envLen);
  if (attLen > BigInt(MAX_SEALED_ATTACHMENT))
    throw exchangeError("MESSAGE_MALFORMED", { reason: "attachment too large" });
  const start = 12 + envLen + 8;
  if (BigInt(buf.byteLength - start) !== attLen)
    throw exchangeError("MESSAGE_MALFORMED", { reason: "parcel length mismatch" });
  return { sealedEnvelope, sealedAttachment: attLen === 0n ? null : buf.subarray(start) };
}
