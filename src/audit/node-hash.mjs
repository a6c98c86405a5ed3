// The RFC 9162 interior node hash SHA-256(0x01 ‖ left ‖ right) of two 32-byte hashes lying side by
// side in a buffer, written into another buffer: for the audit verifier's workers, which hash a
// million of them per million entries (verify-worker.mjs).
//
// Written here (FIPS 180-4, section 6.2) rather than called through node:crypto because the input
// always has the same 65 bytes: two compression rounds and nothing else, with no allocation and no
// call into C++. Node's `crypto.hash` costs ≈ 1.3 µs per node hash here (almost all of it per-call
// overhead, plus copying the pair in and the result out); this costs ≈ 0.8 µs. JavaScript libraries
// (@noble/hashes, hash-wasm) go through a general streaming interface and measured 2.4 µs and
// 0.9 µs. Checked against node:crypto by a property test (node-hash.test.ts), and by every audit
// test, whose roots are computed at append time through node:crypto. Plain JavaScript, as the
// worker loads it without a TypeScript loader.

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const IV = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
/** The message schedule and the running state, reused by every call (one thread per module). */
const W = new Int32Array(64);
const H = new Int32Array(8);

/** One SHA-256 compression of the 16 words in W[0..16) into H. */
function compress() {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15];
    const w2 = W[t - 2];
    const s0 = ((w15 >>> 7) | (w15 << 25)) ^ ((w15 >>> 18) | (w15 << 14)) ^ (w15 >>> 3);
    const s1 = ((w2 >>> 17) | (w2 << 15)) ^ ((w2 >>> 19) | (w2 << 13)) ^ (w2 >>> 10);
    W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
  }
  let a = H[0];
  let b = H[1];
  let c = H[2];
  let d = H[3];
  let e = H[4];
  let f = H[5];
  let g = H[6];
  let h = H[7];
  for (let t = 0; t < 64; t++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0] + a) | 0;
  H[1] = (H[1] + b) | 0;
  H[2] = (H[2] + c) | 0;
  H[3] = (H[3] + d) | 0;
  H[4] = (H[4] + e) | 0;
  H[5] = (H[5] + f) | 0;
  H[6] = (H[6] + g) | 0;
  H[7] = (H[7] + h) | 0;
}

/** The big-endian word of `bytes` at `p`. */
function word(bytes, p) {
  return (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
}

/**
 * Writes SHA-256(0x01 ‖ pair) into `out` at `at`, where `pair` is the 64 bytes of `bytes` from
 * `from` (the left child's hash, then the right's).
 */
export function hashNodeInto(bytes, from, out, at) {
  H.set(IV);
  // Block 1: 0x01, then the first 63 bytes of the pair (each word shifted by the leading byte).
  W[0] = 0x01000000 | (bytes[from] << 16) | (bytes[from + 1] << 8) | bytes[from + 2];
  for (let i = 1; i < 16; i++) W[i] = word(bytes, from + 4 * i - 1);
  compress();
  // Block 2: the pair's last byte, the 0x80 that ends the message, zeros, and its length in bits.
  W[0] = (bytes[from + 63] << 24) | 0x800000;
  W.fill(0, 1, 15);
  W[15] = 65 * 8;
  compress();
  for (let i = 0; i < 8; i++) {
    const v = H[i];
    out[at] = v >>> 24;
    out[at + 1] = (v >>> 16) & 0xff;
    out[at + 2] = (v >>> 8) & 0xff;
    out[at + 3] = v & 0xff;
    at += 4;
  }
}
