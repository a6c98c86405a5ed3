// The hashing half of `verifyAuditLog` (src/audit/log.ts), in a worker thread so that it runs while
// the main thread reads the next rows and builds the tree. Plain JavaScript (no loader needed).
//
// In:  { from, data, inputStarts, inputLengths, leafStarts } — entries `from, from + 1, …`: where
//      each one's RFC 9162 leaf input (0x00 ‖ its canonical bytes) and its stored leaf hash (32
//      bytes) lie in `data`.
// Out: { from, okCount, leaves, levels, failure, spent } — the RFC 9162 leaf hashes SHA-256(0x00 ‖ bytes)
//      of the first `okCount` entries, each equal to its stored one and each entry naming its own
//      index; `levels[l - 1]`, the level-l hashes of the perfect subtrees among those entries
//      (l = 1 … 3), in order; `failure` is the first entry that does not
//      ({ kind: "index" | "leaf", index }) or null.
import { hash } from "node:crypto";
import { parentPort } from "node:worker_threads";
import { hashNodeInto } from "./node-hash.mjs";

const HASH_SIZE = 32;
/** Interior levels hashed here (see the end of the handler); the main thread uses what comes back. */
const LEVELS = 3;
const INDEX_KEY = Buffer.from(',"index":');

/** Whether `bytes` hold the decimal `index` at `from`, followed by a comma. */
function hasIndex(bytes, from, index) {
  const digits = String(index);
  for (let i = 0; i < digits.length; i++) if (bytes[from + i] !== digits.charCodeAt(i)) return false;
  return bytes[from + digits.length] === 0x2c;
}

parentPort.on("message", ({ from, data: bytes, inputStarts, inputLengths, leafStarts }) => {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = inputStarts.length;
  const out = Buffer.alloc(count * HASH_SIZE);
  let failure = null;
  let okCount = 0;
  for (; okCount < count; okCount++) {
    const index = from + okCount;
    const start = inputStarts[okCount];
    const input = data.subarray(start, start + inputLengths[okCount]);
    if (input[0] !== 0x00) throw new Error("audit verification: a leaf input does not start with 0x00");
    // The bytes name their own index (an entry moved to another row no longer fits it). The
    // top-level key is the last `,"index":` of the bytes: after it come only strings (where a bare
    // quote cannot occur) and null.
    const at = input.lastIndexOf(INDEX_KEY);
    if (at < 0 || !hasIndex(input, at + INDEX_KEY.length, index)) {
      failure = { kind: "index", index };
      break;
    }
    const leaf = hash("sha256", input, "buffer");
    const stored = leafStarts[okCount];
    if (leaf.compare(data, stored, stored + HASH_SIZE) !== 0) {
      failure = { kind: "leaf", index };
      break;
    }
    leaf.copy(out, okCount * HASH_SIZE);
  }
  // The tree's lowest interior levels too (1 … LEVELS), which leaves the main thread a fraction of
  // the hashing: for each level, the hashes SHA-256(0x01 ‖ left ‖ right) (node-hash.mjs) of the perfect subtrees
  // that lie wholly among this batch's checked leaves, in order; the first is subtree
  // ceil(from / 2^level) of its level.
  const levels = [];
  let below = out;
  let belowFirst = from;
  for (let level = 1; level <= LEVELS; level++) {
    const first = Math.ceil(from / 2 ** level);
    const count = Math.max(0, Math.floor((from + okCount) / 2 ** level) - first);
    const hashes = Buffer.alloc(count * HASH_SIZE);
    for (let k = 0; k < count; k++) {
      hashNodeInto(below, (2 * (first + k) - belowFirst) * HASH_SIZE, hashes, k * HASH_SIZE);
    }
    levels.push(hashes);
    below = hashes;
    belowFirst = first;
  }
  // The batch's buffer goes back too, for the reader to fill again.
  parentPort.postMessage({ from, okCount, leaves: out, levels, failure, spent: bytes.buffer }, [
    out.buffer,
    ...levels.map((l) => l.buffer),
    bytes.buffer,
  ]);
});
