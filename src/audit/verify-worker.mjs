// The hashing half of `verifyAuditLog` (src/audit/log.ts), in a worker thread so that it runs while
// the main thread reads the next rows and builds the tree. Plain JavaScript (no loader needed).
//
// In:  { from, entries, lengths, leaves } — entries `from, from + 1, …`: their canonical bytes back
//      to back (entry i is lengths[i] bytes long) and their stored leaf hashes, 32 bytes each.
// Out: { from, okCount, leaves, pairs, failure } — the RFC 9162 leaf hashes SHA-256(0x00 ‖ bytes)
//      of the first `okCount` entries, each equal to its stored one and each entry naming its own
//      index; `pairs`, the level-1 hashes of the pairs (2k, 2k + 1) among those entries, in order;
//      `failure` is the first entry that does not ({ kind: "index" | "leaf", index }) or null.
import { hash } from "node:crypto";
import { parentPort } from "node:worker_threads";

const HASH_SIZE = 32;
const INDEX_KEY = Buffer.from(',"index":');

/** Whether `bytes` hold the decimal `index` at `from`, followed by a comma. */
function hasIndex(bytes, from, index) {
  const digits = String(index);
  for (let i = 0; i < digits.length; i++) if (bytes[from + i] !== digits.charCodeAt(i)) return false;
  return bytes[from + digits.length] === 0x2c;
}

let scratch = Buffer.alloc(64 * 1024);

parentPort.on("message", ({ from, entries, lengths, leaves }) => {
  const data = Buffer.from(entries.buffer, entries.byteOffset, entries.byteLength);
  const stored = Buffer.from(leaves.buffer, leaves.byteOffset, leaves.byteLength);
  const out = Buffer.alloc(lengths.length * HASH_SIZE);
  let failure = null;
  let okCount = 0;
  let start = 0;
  for (; okCount < lengths.length; okCount++) {
    const length = lengths[okCount];
    const index = from + okCount;
    // RFC 9162 leaf input: 0x00 ‖ entry bytes.
    if (scratch.length < length + 1) scratch = Buffer.alloc(2 * (length + 1));
    scratch[0] = 0x00;
    data.copy(scratch, 1, start, start + length);
    start += length;
    const input = scratch.subarray(0, length + 1);
    // The bytes name their own index (an entry moved to another row no longer fits it). The
    // top-level key is the last `,"index":` of the bytes: after it come only strings (where a bare
    // quote cannot occur) and null.
    const at = input.lastIndexOf(INDEX_KEY);
    if (at < 0 || !hasIndex(input, at + INDEX_KEY.length, index)) {
      failure = { kind: "index", index };
      break;
    }
    const leaf = hash("sha256", input, "buffer");
    if (leaf.compare(stored, okCount * HASH_SIZE, (okCount + 1) * HASH_SIZE) !== 0) {
      failure = { kind: "leaf", index };
      break;
    }
    leaf.copy(out, okCount * HASH_SIZE);
  }
  // The tree's lowest interior level too, which halves the hashing left to the main thread: the
  // hash SHA-256(0x01 ‖ left ‖ right) of each pair of checked leaves (2k, 2k + 1) in this batch.
  const firstPair = from % 2;
  const pairCount = Math.max(0, Math.floor((okCount - firstPair) / 2));
  const pairs = Buffer.alloc(pairCount * HASH_SIZE);
  const node = Buffer.alloc(1 + 2 * HASH_SIZE);
  node[0] = 0x01;
  for (let p = 0; p < pairCount; p++) {
    const left = (firstPair + 2 * p) * HASH_SIZE;
    out.copy(node, 1, left, left + 2 * HASH_SIZE);
    hash("sha256", node, "buffer").copy(pairs, p * HASH_SIZE);
  }
  parentPort.postMessage({ from, okCount, leaves: out, pairs, failure }, [out.buffer, pairs.buffer]);
});
