/**
 * RFC 9162 (Certificate Transparency 2.0) Merkle tree hashing, proofs and their verification.
 *
 * - leaf hash `SHA-256(0x00 ‖ entry)`, node hash `SHA-256(0x01 ‖ left ‖ right)`, empty tree `SHA-256()`;
 * - a *frontier* (the roots of the perfect subtrees of a tree, largest first, one per set bit of
 *   its size) lets a log append in O(log n) without reading old leaves and give its root at once;
 * - inclusion and consistency proofs are built from any {@link SubtreeHashSource} (memory for
 *   tests, the store for a live log) and verified with the algorithms of RFC 9162 §2.1.3.2 and §2.1.4.2.
 *
 * Sizes and indices are JavaScript numbers (safe integers, so up to 2^53 − 1 entries): the
 * arithmetic below uses division, never 32-bit shifts.
 */
import { hash as oneShotHash } from "node:crypto";

/** Length in bytes of every hash of the log (SHA-256). */
export const HASH_SIZE = 32;

/** Root of the empty tree: `SHA-256()` (RFC 9162 §2.1.1). */
export const EMPTY_ROOT: Buffer = oneShotHash("sha256", Buffer.alloc(0), "buffer");

const LEAF_PREFIX = Buffer.from([0x00]);

/** Computes an RFC 9162 leaf hash: `SHA-256(0x00 ‖ data)`. */
export function hashLeaf(data: Uint8Array): Buffer {
  return oneShotHash("sha256", Buffer.concat([LEAF_PREFIX, data]), "buffer");
}

/**
 * Leaf hash of an entry given as text: `SHA-256(0x00 ‖ UTF-8(text))`, encoding the prefix with the
 * text so the bytes are made once. Returns the hash and the entry's byte length (without prefix).
 */
export function hashLeafText(text: string): { hash: Buffer; length: number } {
  const input = Buffer.from(`\u0000${text}`, "utf8");
  return { hash: oneShotHash("sha256", input, "buffer"), length: input.length - 1 };
}

const nodeInput = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeInput[0] = 0x01;

/** Computes an RFC 9162 interior node hash: `SHA-256(0x01 ‖ left ‖ right)`. */
export function hashChildren(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length === HASH_SIZE && right.length === HASH_SIZE) {
    // Fast path (the verifier computes n − 1 of these): reuse one input buffer. Safe because
    // `hash` is synchronous and copies nothing out of it.
    nodeInput.set(left, 1);
    nodeInput.set(right, 1 + HASH_SIZE);
    return oneShotHash("sha256", nodeInput, "buffer");
  }
  return oneShotHash("sha256", Buffer.concat([Buffer.from([0x01]), left, right]), "buffer");
}

function assertSize(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative safe integer, got ${value}`);
  }
}

/** Number of set bits of a safe integer. */
function popCount(value: number): number {
  let count = 0;
  let rest = value;
  while (rest > 0) {
    count += rest % 2;
    rest = Math.floor(rest / 2);
  }
  return count;
}

/** Largest power of two strictly smaller than `n` (n ≥ 2), the split point `k` of RFC 9162 §2.1.1. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * A perfect subtree completed by an append: the hash of leaves
 * `[index·2^level, (index+1)·2^level)`. Stores keep some of them to build proofs quickly.
 */
export type CompletedSubtree = { readonly level: number; readonly index: number; readonly hash: Buffer };

/**
 * Appends one leaf hash to the frontier of a tree of `size` leaves, in O(log size).
 * Returns the frontier of the tree of `size + 1` leaves and the perfect subtrees (level ≥ 1)
 * that this append completed, lowest first.
 */
export function appendToFrontier(
  frontier: readonly Buffer[],
  size: number,
  leafHash: Buffer,
): { frontier: Buffer[]; completed: CompletedSubtree[] } {
  assertSize("size", size);
  if (frontier.length !== popCount(size)) {
    throw new RangeError(`frontier has ${frontier.length} hashes, a tree of ${size} needs ${popCount(size)}`);
  }
  const next = frontier.slice();
  const completed: CompletedSubtree[] = [];
  let carry = leafHash;
  let level = 0;
  let rest = size;
  // Each trailing 1 bit of `size` is a perfect subtree of that level that merges with the carry.
  while (rest % 2 === 1) {
    const left = next.pop()!;
    carry = hashChildren(left, carry);
    level++;
    completed.push({ level, index: Math.floor(size / 2 ** level), hash: carry });
    rest = Math.floor(rest / 2);
  }
  next.push(carry);
  return { frontier: next, completed };
}

/**
 * A frontier grown in place, one leaf at a time (what the verifier uses for a whole log: no
 * copies, no checks per leaf beyond the hashing itself).
 */
export class FrontierBuilder {
  #stack: Buffer[] = [];
  #size = 0;
  readonly #onCompleted: ((level: number, index: number, hash: Buffer) => void) | undefined;

  /** `onCompleted` is told of every perfect subtree (level ≥ 1) an append completes. */
  constructor(onCompleted?: (level: number, index: number, hash: Buffer) => void) {
    this.#onCompleted = onCompleted;
  }

  /** Number of leaves appended. */
  get size(): number {
    return this.#size;
  }

  /** Appends a leaf hash. */
  push(leafHash: Buffer): void {
    this.pushSubtree(0, leafHash);
  }

  /**
   * Appends the hash of a perfect subtree of `2^level` leaves (level 0: one leaf), computed
   * elsewhere; the tree's size must be a multiple of `2^level`, so the subtree sits where RFC 9162's
   * tree has it. Subtrees of level ≥ 1 are not reported to `onCompleted` themselves, only what
   * appending them completes above them.
   */
  pushSubtree(level: number, hash: Buffer): void {
    const width = 2 ** level;
    if (this.#size % width !== 0) {
      throw new RangeError(`a subtree of ${width} leaves cannot follow ${this.#size} leaves`);
    }
    let carry = hash;
    let rest = this.#size / width;
    let at = level;
    while (rest % 2 === 1) {
      carry = hashChildren(this.#stack.pop()!, carry);
      rest = (rest - 1) / 2;
      at++;
      this.#onCompleted?.(at, rest, carry);
    }
    this.#stack.push(carry);
    this.#size += width;
  }

  /** The current frontier (largest subtree first). */
  frontier(): Buffer[] {
    return this.#stack.slice();
  }

  /** The root of the leaves appended so far. */
  root(): Buffer {
    return rootFromFrontier(this.#stack);
  }
}

/** Root of the tree whose frontier is `frontier` (RFC 9162 MTH); the empty tree's root if empty. */
export function rootFromFrontier(frontier: readonly Buffer[]): Buffer {
  if (frontier.length === 0) return EMPTY_ROOT;
  let root = frontier[frontier.length - 1]!;
  for (let i = frontier.length - 2; i >= 0; i--) root = hashChildren(frontier[i]!, root);
  return root;
}

/** Frontier of the tree of the given leaf hashes (for tests and small trees). */
export function frontierOfLeaves(leafHashes: readonly Buffer[]): Buffer[] {
  let frontier: Buffer[] = [];
  leafHashes.forEach((leaf, i) => {
    frontier = appendToFrontier(frontier, i, leaf).frontier;
  });
  return frontier;
}

/** Encodes a frontier as the concatenation of its hashes (largest subtree first). */
export function encodeFrontier(frontier: readonly Buffer[]): Buffer {
  return Buffer.concat(frontier);
}

/** Decodes a frontier stored by {@link encodeFrontier} for a tree of `size` leaves; refuses a wrong length. */
export function decodeFrontier(bytes: Uint8Array, size: number): Buffer[] {
  assertSize("size", size);
  const count = popCount(size);
  if (bytes.length !== count * HASH_SIZE) {
    throw new RangeError(
      `stored frontier has ${bytes.length} bytes, a tree of ${size} needs ${count * HASH_SIZE}`,
    );
  }
  const frontier: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    frontier.push(Buffer.from(bytes.subarray(i * HASH_SIZE, (i + 1) * HASH_SIZE)));
  }
  return frontier;
}

/**
 * Where proofs get their hashes: `perfectSubtreeHash(level, index)` is the hash of leaves
 * `[index·2^level, (index+1)·2^level)`, all of which exist.
 */
export interface SubtreeHashSource {
  perfectSubtreeHash(level: number, index: number): Promise<Buffer>;
}

/** A {@link SubtreeHashSource} over leaf hashes in memory. */
export function memorySubtreeSource(leafHashes: readonly Buffer[]): SubtreeHashSource {
  const compute = (level: number, index: number): Buffer => {
    if (level === 0) {
      const leaf = leafHashes[index];
      if (leaf === undefined) throw new RangeError(`no leaf ${index}`);
      return leaf;
    }
    return hashChildren(compute(level - 1, 2 * index), compute(level - 1, 2 * index + 1));
  };
  return { perfectSubtreeHash: async (level, index) => compute(level, index) };
}

/** MTH(D[lo:hi]) for a range whose `lo` is a multiple of the largest power of two ≤ hi − lo. */
async function rangeHash(source: SubtreeHashSource, lo: number, hi: number): Promise<Buffer> {
  const n = hi - lo;
  if (n === 1) return source.perfectSubtreeHash(0, lo);
  if (Number.isInteger(Math.log2(n)) && lo % n === 0) return source.perfectSubtreeHash(Math.log2(n), lo / n);
  const k = splitPoint(n);
  return hashChildren(await rangeHash(source, lo, lo + k), await rangeHash(source, lo + k, hi));
}

/** Root of the tree made of the first `size` leaves of `source` (RFC 9162 MTH). */
export async function rootOfSize(source: SubtreeHashSource, size: number): Promise<Buffer> {
  assertSize("size", size);
  return size === 0 ? EMPTY_ROOT : rangeHash(source, 0, size);
}

/**
 * Builds the inclusion proof (RFC 9162 §2.1.3.1, PATH) of leaf `index` in the tree of `size` leaves.
 * Hashes are ordered from the leaf upwards.
 */
export async function buildInclusionProof(
  source: SubtreeHashSource,
  index: number,
  size: number,
): Promise<Buffer[]> {
  assertSize("index", index);
  assertSize("size", size);
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  const path = async (m: number, lo: number, hi: number): Promise<Buffer[]> => {
    const n = hi - lo;
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...(await path(m, lo, lo + k)), await rangeHash(source, lo + k, hi)];
    return [...(await path(m - k, lo + k, hi)), await rangeHash(source, lo, lo + k)];
  };
  return path(index, 0, size);
}

/**
 * Builds the consistency proof (RFC 9162 §2.1.4.1, PROOF) between the trees of `size1` and
 * `size2` leaves (0 < size1 ≤ size2; empty when the sizes are equal).
 */
export async function buildConsistencyProof(
  source: SubtreeHashSource,
  size1: number,
  size2: number,
): Promise<Buffer[]> {
  assertSize("size1", size1);
  assertSize("size2", size2);
  if (size1 === 0 || size1 > size2) {
    throw new RangeError(`no consistency proof from ${size1} to ${size2} (needs 0 < size1 ≤ size2)`);
  }
  const subproof = async (m: number, lo: number, hi: number, isComplete: boolean): Promise<Buffer[]> => {
    const n = hi - lo;
    if (m === n) return isComplete ? [] : [await rangeHash(source, lo, hi)];
    const k = splitPoint(n);
    if (m <= k) return [...(await subproof(m, lo, lo + k, isComplete)), await rangeHash(source, lo + k, hi)];
    return [...(await subproof(m - k, lo + k, hi, false)), await rangeHash(source, lo, lo + k)];
  };
  return subproof(size1, 0, size2, true);
}

function isHash(value: Uint8Array): boolean {
  return value.length === HASH_SIZE;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** Why a proof was refused; `null` when it holds. */
export type ProofFailure =
  | "index-out-of-range"
  | "bad-hash-length"
  | "wrong-proof-length"
  | "root-mismatch"
  | "size-order"
  | "empty-tree"
  | "proof-not-empty"
  | "empty-proof";

/**
 * Checks an inclusion proof (RFC 9162 §2.1.3.2): that the leaf with hash `leafHash` is at `index`
 * in the tree of `size` leaves whose root is `root`. Returns `null` when it holds, else why not.
 */
export function checkInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofFailure | null {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    return "index-out-of-range";
  }
  if (!isHash(leafHash) || !isHash(root) || !proof.every(isHash)) return "bad-hash-length";
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leafHash);
  for (const p of proof) {
    if (sn === 0) return "wrong-proof-length";
    if (fn % 2 === 1 || fn === sn) {
      r = hashChildren(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = hashChildren(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return "wrong-proof-length";
  return equalBytes(r, root) ? null : "root-mismatch";
}

/** True when {@link checkInclusionProof} finds nothing wrong. */
export function verifyInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return checkInclusionProof(index, size, leafHash, proof, root) === null;
}

/**
 * Checks a consistency proof (RFC 9162 §2.1.4.2): that the tree of `size2` leaves with root
 * `root2` extends the tree of `size1` leaves with root `root1`. Returns `null` when it holds.
 *
 * Fail-closed choices, as the project's vectors demand: a proof from the empty tree (size1 = 0)
 * proves nothing and is refused, even between two empty trees; equal sizes need an empty proof
 * and equal roots.
 */
export function checkConsistencyProof(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): ProofFailure | null {
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < 0) {
    return "index-out-of-range";
  }
  if (size1 > size2) return "size-order";
  if (size1 === 0) return "empty-tree";
  if (size1 === size2) {
    if (proof.length > 0) return "proof-not-empty";
    return equalBytes(root1, root2) ? null : "root-mismatch";
  }
  if (proof.length === 0) return "empty-proof";
  if (!isHash(root1) || !isHash(root2) || !proof.every(isHash)) return "bad-hash-length";

  const path: Uint8Array[] = proof.slice();
  // A first tree that is a perfect subtree is its own first hash (RFC 9162 §2.1.4.2 step 2).
  if (Number.isInteger(Math.log2(size1))) path.unshift(root1);
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (const c of path.slice(1)) {
    if (sn === 0) return "wrong-proof-length";
    if (fn % 2 === 1 || fn === sn) {
      fr = hashChildren(c, fr);
      sr = hashChildren(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = hashChildren(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) return "wrong-proof-length";
  if (!equalBytes(fr, root1) || !equalBytes(sr, root2)) return "root-mismatch";
  return null;
}

/** True when {@link checkConsistencyProof} finds nothing wrong. */
export function verifyConsistencyProof(
  size1: number,
  size2: number,
  root1: Uint8Array,
  root2: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  return checkConsistencyProof(size1, size2, root1, root2, proof) === null;
}
