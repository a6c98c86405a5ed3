/**
 * A parcel is what one transport hop carries: the sealed envelope and, when the message has
 * one, its attachment (carrier content, destruction certificate) sealed in chunks of at most
 * ATTACHMENT_CHUNK bytes each. The same bytes go over HTTPS and into courier bundles, so either
 * transport delivers the very same message.
 *
 * Layout: `KLSMPCL2` ‖ u16be recipient-org hint length ‖ hint (UTF-8) ‖ u32be envelope length ‖
 * sealed envelope ‖ u32be chunk count ‖ (u64be chunk length ‖ sealed chunk)*.
 *
 * The hint only says which organisation's key to try; the opened envelope must name the same
 * organisation, so a false hint can do nothing but fail.
 */
import { exchangeError } from "../errors.ts";

const MAGIC = Buffer.from("KLSMPCL2", "latin1");
/** A sealed envelope is small: messages carry metadata, content travels as the attachment. */
export const MAX_SEALED_ENVELOPE = 8 * 1024 * 1024;
/** Plaintext bytes per attachment chunk (each chunk is one sealed package). */
export const ATTACHMENT_CHUNK = 8 * 1024 * 1024;
/** Upper bound of one attachment (beyond it, a carrier goes physically or as a file package). */
export const MAX_ATTACHMENT_CHUNKS = 128;
const MAX_SEALED_CHUNK = ATTACHMENT_CHUNK + 256 * 1024;
export const MAX_PARCEL_BYTES = 64 + MAX_SEALED_ENVELOPE + MAX_ATTACHMENT_CHUNKS * (8 + MAX_SEALED_CHUNK);

export type Parcel = {
  /** The organisation of the receiving node the envelope is encrypted to (a hint, checked after opening). */
  readonly recipientOrg: string;
  readonly sealedEnvelope: Uint8Array;
  readonly attachmentChunks: readonly Uint8Array[];
};

/** Encodes a parcel into its wire bytes. */
export function encodeParcel(parcel: Parcel): Buffer {
  const hint = Buffer.from(parcel.recipientOrg, "utf8");
  if (hint.byteLength === 0 || hint.byteLength > 200) throw new RangeError("bad recipient hint");
  const head = Buffer.alloc(8 + 2 + hint.byteLength + 4);
  MAGIC.copy(head, 0);
  head.writeUInt16BE(hint.byteLength, 8);
  hint.copy(head, 10);
  head.writeUInt32BE(parcel.sealedEnvelope.byteLength, 10 + hint.byteLength);
  const parts: Uint8Array[] = [head, parcel.sealedEnvelope];
  const count = Buffer.alloc(4);
  count.writeUInt32BE(parcel.attachmentChunks.length);
  parts.push(count);
  for (const chunk of parcel.attachmentChunks) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(chunk.byteLength));
    parts.push(len, chunk);
  }
  return Buffer.concat(parts);
}

/** Decodes wire bytes into a parcel, refusing anything that is not exactly one parcel. */
export function decodeParcel(bytes: Uint8Array): Parcel {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const bad = (reason: string) => exchangeError("MESSAGE_MALFORMED", { reason });
  if (buf.byteLength < 8 + 2 + 1 + 4 + 1 + 4 || !buf.subarray(0, 8).equals(MAGIC)) throw bad("not a parcel");
  let pos = 8;
  const hintLen = buf.readUInt16BE(pos);
  pos += 2;
  if (hintLen === 0 || hintLen > 200 || pos + hintLen + 4 > buf.byteLength) throw bad("bad recipient hint");
  const recipientOrg = buf.subarray(pos, pos + hintLen).toString("utf8");
  pos += hintLen;
  const envLen = buf.readUInt32BE(pos);
  pos += 4;
  if (envLen === 0 || envLen > MAX_SEALED_ENVELOPE || pos + envLen + 4 > buf.byteLength)
    throw bad("bad envelope length");
  const sealedEnvelope = buf.subarray(pos, pos + envLen);
  pos += envLen;
  const count = buf.readUInt32BE(pos);
  pos += 4;
  if (count > MAX_ATTACHMENT_CHUNKS) throw bad("too many attachment chunks");
  const attachmentChunks: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (pos + 8 > buf.byteLength) throw bad("parcel truncated");
    const len = buf.readBigUInt64BE(pos);
    pos += 8;
    if (len === 0n || len > BigInt(MAX_SEALED_CHUNK) || pos + Number(len) > buf.byteLength)
      throw bad("bad chunk length");
    attachmentChunks.push(buf.subarray(pos, pos + Number(len)));
    pos += Number(len);
  }
  if (pos !== buf.byteLength) throw bad("trailing bytes after the parcel");
  return { recipientOrg, sealedEnvelope, attachmentChunks };
}
