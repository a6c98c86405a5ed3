import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import {
  BlobIntegrityError,
  createDecryptStream,
  createEncryptStream,
  HEADER_SIZE,
  TAG_SIZE,
} from "./chunked-cipher.ts";

async function collect(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function encrypt(
  key: Buffer,
  carrierId: string,
  plain: Buffer,
  chunkSize: number,
  pieces = 3,
): Promise<Buffer> {
  // Feed the plaintext in uneven pieces so chunk boundaries never line up with writes.
  const cut = Array.from({ length: pieces }, (_, i) => Math.floor((plain.length * (i + 1)) / (pieces + 1)));
  const parts = [0, ...cut, plain.length]
    .slice(1)
    .map((end, i, ends) => plain.subarray(i === 0 ? 0 : ends[i - 1]!, end));
  return collect(
    Readable.from([plain.subarray(0, 0), ...parts]).pipe(createEncryptStream(key, carrierId, chunkSize)),
  );
}

async function decrypt(key: Buffer, carrierId: string, blob: Buffer, readSize = 1000): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < blob.length; i += readSize) pieces.push(blob.subarray(i, i + readSize));
  return collect(Readable.from(pieces).pipe(createDecryptStream(key, carrierId)));
}

describe("at-rest chunked AES-256-GCM blobs", () => {
  const key = randomBytes(32);
  const carrier = "carrier-1";

  for (const size of [0, 1, 4095, 4096, 4097, 3 * 4096, 3 * 4096 + 17]) {
    it(`round-trips ${size} bytes in 4 KiB chunks, and the blob's length is header + one tag per chunk`, async () => {
      const plain = randomBytes(size);
      const blob = await encrypt(key, carrier, plain, 4096);
      const chunks = Math.max(1, Math.ceil(size / 4096));
      expect(blob.length).toBe(HEADER_SIZE + size + chunks * TAG_SIZE);
      expect(await decrypt(key, carrier, blob)).toEqual(plain);
    });
  }

  it("holds no plaintext: a known marker is not in the blob", async () => {
    const marker = Buffer.from("MARKER-Өте құпия-Հույժ գաղտնի");
    const blob = await encrypt(
      key,
      carrier,
      Buffer.concat([randomBytes(5000), marker, randomBytes(5000)]),
      4096,
    );
    expect(blob.indexOf(marker)).toBe(-1);
  });

  const refusals: Array<[string, (blob: Buffer) => Buffer, { key?: Buffer; carrier?: string }?]> = [
    [
      "a flipped bit in a chunk",
      (b) => {
        const c = Buffer.from(b);
        c[HEADER_SIZE + 100]! ^= 1;
        return c;
      },
    ],
    [
      "a flipped bit in the header's nonce prefix",
      (b) => {
        const c = Buffer.from(b);
        c[14]! ^= 1;
        return c;
      },
    ],
    [
      "the last chunk cut off (truncated at a chunk boundary)",
      (b) => b.subarray(0, HEADER_SIZE + 2 * (4096 + TAG_SIZE)),
    ],
    ["a few bytes cut off the end", (b) => b.subarray(0, b.length - 3)],
    ["bytes appended", (b) => Buffer.concat([b, Buffer.alloc(20)])],
    [
      "two chunks swapped",
      (b) => {
        const s = 4096 + TAG_SIZE;
        const h = b.subarray(0, HEADER_SIZE);
        const c0 = b.subarray(HEADER_SIZE, HEADER_SIZE + s);
        const c1 = b.subarray(HEADER_SIZE + s, HEADER_SIZE + 2 * s);
        return Buffer.concat([h, c1, c0, b.subarray(HEADER_SIZE + 2 * s)]);
      },
    ],
    ["only the header", (b) => b.subarray(0, HEADER_SIZE)],
    ["another carrier's id", (b) => b, { carrier: "carrier-2" }],
    ["another key", (b) => b, { key: randomBytes(32) }],
  ];
  for (const [what, damage, other] of refusals) {
    it(`refuses a blob with ${what}`, async () => {
      const plain = randomBytes(3 * 4096 + 100);
      const blob = damage(await encrypt(key, carrier, plain, 4096));
      await expect(decrypt(other?.key ?? key, other?.carrier ?? carrier, blob)).rejects.toBeInstanceOf(
        BlobIntegrityError,
      );
    });
  }

  it("streams 32 MiB through in small chunks without holding it (round trip by digest)", async () => {
    const { createHash } = await import("node:crypto");
    const piece = randomBytes(1 << 20);
    const source = async function* () {
      for (let i = 0; i < 32; i++) yield piece;
    };
    const inHash = createHash("sha256");
    for (let i = 0; i < 32; i++) inHash.update(piece);
    const outHash = createHash("sha256");
    let total = 0;
    await pipeline(
      Readable.from(source()),
      createEncryptStream(key, carrier, 64 * 1024),
      createDecryptStream(key, carrier),
      async (decrypted: AsyncIterable<Buffer>) => {
        for await (const chunk of decrypted) {
          outHash.update(chunk);
          total += chunk.length;
        }
      },
    );
    expect(total).toBe(32 << 20);
    expect(outHash.digest("hex")).toBe(inHash.digest("hex"));
  });
});
