/**
 * The at-rest blob format: AES-256-GCM in fixed-size chunks (the STREAM construction of Hoang,
 * Reyhanitabar, Rogaway and Vizár), so content of any size is encrypted and decrypted in bounded
 * memory and every chunk is authenticated before it is released.
 *
 * ```
 * header  = "KLSMAR01" (8) ‖ chunk size, uint32 BE (4) ‖ nonce prefix (7, random)     — 19 bytes
 * chunk i = AES-256-GCM(key, nonce = prefix ‖ i as uint32 BE ‖ last?1:0,
 *                       aad = header ‖ UTF-8 carrier id, plaintext_i) ‖ tag (16)
 * ```
 *
 * Every chunk but the last holds exactly `chunk size` plaintext bytes; the last holds 0…chunk size
 * and its nonce's final byte is 1, so a truncated, extended or reordered blob, or a blob moved to
 * another carrier, fails authentication.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";

export const BLOB_MAGIC = Buffer.from("KLSMAR01", "ascii");
export const HEADER_SIZE = 19;
export const TAG_SIZE = 16;
export const KEY_SIZE = 32;
/** Default plaintext bytes per chunk: 64 KiB. */
export const DEFAULT_CHUNK_SIZE = 64 * 1024;
const MAX_CHUNK_SIZE = 16 * 1024 * 1024;
const MAX_CHUNKS = 2 ** 32;

/** Thrown when a blob fails authentication or is malformed. */
export class BlobIntegrityError extends Error {
  override readonly name = "BlobIntegrityError";
}

function chunkNonce(prefix: Buffer, index: number, isLast: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  prefix.copy(nonce, 0, 0, 7);
  nonce.writeUInt32BE(index, 7);
  nonce[11] = isLast ? 1 : 0;
  return nonce;
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_SIZE) throw new RangeError("an at-rest content key is 32 bytes (AES-256)");
}

/** Creates a stream that encrypts plaintext into the blob format, for the given key and carrier. */
export function createEncryptStream(
  key: Uint8Array,
  carrierId: string,
  chunkSize: number = DEFAULT_CHUNK_SIZE,
): Transform {
  checkKey(key);
  // Own copy: the caller may wipe its key as soon as this returns; ours is wiped at the end.
  const ownKey = Buffer.from(key);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
    throw new RangeError(`chunk size must be 1…${MAX_CHUNK_SIZE} bytes`);
  }
  const prefix = randomBytes(7);
  const header = Buffer.alloc(HEADER_SIZE);
  BLOB_MAGIC.copy(header, 0);
  header.writeUInt32BE(chunkSize, 8);
  prefix.copy(header, 12);
  const aad = Buffer.concat([header, Buffer.from(carrierId, "utf8")]);
  let index = 0;
  let pending: Buffer[] = [];
  let pendingLength = 0;

  const sealChunk = (plaintext: Buffer, isLast: boolean): Buffer => {
    if (index >= MAX_CHUNKS) throw new RangeError("content too large for one blob");
    const cipher = createCipheriv("aes-256-gcm", ownKey, chunkNonce(prefix, index, isLast));
    cipher.setAAD(aad);
    const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    index++;
    return sealed;
  };

  return new Transform({
    construct(callback) {
      this.push(header);
      callback();
    },
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        pending.push(chunk);
        pendingLength += chunk.length;
        // Keep at least one byte back: only the end of input says which chunk is the last.
        if (pendingLength > chunkSize) {
          let all = Buffer.concat(pending);
          while (all.length > chunkSize) {
            this.push(sealChunk(all.subarray(0, chunkSize), false));
            all = all.subarray(chunkSize);
          }
          pending = [Buffer.from(all)];
          pendingLength = all.length;
        }
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    flush(callback: TransformCallback) {
      try {
        this.push(sealChunk(Buffer.concat(pending), true));
        pending = [];
        callback();
      } catch (error) {
        callback(error as Error);
      }
    },
    destroy(error, callback) {
      ownKey.fill(0);
      callback(error);
    },
  });
}

/**
 * Creates a stream that decrypts a blob, releasing each chunk only after its tag verified. A
 * damaged, truncated or foreign blob ends the stream with a {@link BlobIntegrityError}.
 */
export function createDecryptStream(
  key: Uint8Array,
  carrierId: string,
  mapError: (error: BlobIntegrityError) => Error = (error) => error,
): Transform {
  checkKey(key);
  // Own copy: the caller may wipe its key as soon as this returns; ours is wiped at the end.
  const ownKey = Buffer.from(key);
  let header: Buffer | null = null;
  let aad: Buffer = Buffer.alloc(0);
  let prefix: Buffer = Buffer.alloc(0);
  let sealedSize = 0;
  let index = 0;
  let buffered: Buffer = Buffer.alloc(0);

  const openChunk = (sealed: Buffer, isLast: boolean): Buffer => {
    if (sealed.length < TAG_SIZE) throw new BlobIntegrityError("the blob is truncated");
    const decipher = createDecipheriv("aes-256-gcm", ownKey, chunkNonce(prefix, index, isLast));
    decipher.setAAD(aad);
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_SIZE));
    try {
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_SIZE)),
        decipher.final(),
      ]);
      index++;
      return plain;
    } catch {
      throw new BlobIntegrityError(`chunk ${index} of the blob fails authentication`);
    }
  };

  const readHeader = (): boolean => {
    if (header !== null) return true;
    if (buffered.length < HEADER_SIZE) return false;
    header = Buffer.from(buffered.subarray(0, HEADER_SIZE));
    if (!header.subarray(0, 8).equals(BLOB_MAGIC)) throw new BlobIntegrityError("not a Kelisim at-rest blob");
    const chunkSize = header.readUInt32BE(8);
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE)
      throw new BlobIntegrityError("the blob's chunk size is invalid");
    sealedSize = chunkSize + TAG_SIZE;
    prefix = Buffer.from(header.subarray(12, 19));
    aad = Buffer.concat([header, Buffer.from(carrierId, "utf8")]);
    buffered = buffered.subarray(HEADER_SIZE);
    return true;
  };

  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      try {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        if (readHeader()) {
          // A full sealed chunk followed by more bytes cannot be the last one.
          while (buffered.length > sealedSize) {
            this.push(openChunk(buffered.subarray(0, sealedSize), false));
            buffered = buffered.subarray(sealedSize);
          }
          buffered = Buffer.from(buffered);
        }
        callback();
      } catch (error) {
        callback(error instanceof BlobIntegrityError ? mapError(error) : (error as Error));
      }
    },
    flush(callback: TransformCallback) {
      try {
        if (!readHeader()) throw new BlobIntegrityError("the blob is truncated (no header)");
        this.push(openChunk(buffered, true));
        callback();
      } catch (error) {
        callback(error instanceof BlobIntegrityError ? mapError(error) : (error as Error));
      }
    },
    destroy(error, callback) {
      ownKey.fill(0);
      callback(error);
    },
  });
}
