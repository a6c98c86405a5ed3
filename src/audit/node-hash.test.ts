import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashChildren } from "./merkle.ts";
import { hashNodeInto } from "./node-hash.mjs";

describe("the verifier's interior node hash (RFC 9162: SHA-256(0x01 ‖ left ‖ right))", () => {
  it("equals node:crypto's for any pair of hashes, wherever they lie in a buffer (property)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 64, maxLength: 64 }),
        fc.nat(100),
        fc.nat(100),
        (pair, from, at) => {
          const bytes = Buffer.alloc(from + 64 + 7, 0xa5);
          bytes.set(pair, from);
          const out = Buffer.alloc(at + 32 + 7, 0x5a);
          hashNodeInto(bytes, from, out, at);
          const expected = hashChildren(Buffer.from(pair.subarray(0, 32)), Buffer.from(pair.subarray(32)));
          expect(out.subarray(at, at + 32).equals(expected)).toBe(true);
          // Nothing around the result is touched.
          expect(out.subarray(0, at).every((b) => b === 0x5a)).toBe(true);
          expect(out.subarray(at + 32).every((b) => b === 0x5a)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("equals node:crypto's for pairs of all-zero and all-one bytes (the words' sign bits)", () => {
    for (const fill of [0x00, 0xff, 0x80, 0x7f]) {
      const pair = Buffer.alloc(64, fill);
      const out = Buffer.alloc(32);
      hashNodeInto(pair, 0, out, 0);
      expect(out.equals(hashChildren(pair.subarray(0, 32), pair.subarray(32)))).toBe(true);
    }
  });
});
