/**
 * Checkpoints of the audit log in the C2SP tlog-checkpoint format (https://c2sp.org/tlog-checkpoint):
 * a signed note whose text is
 *
 * ```
 * <origin>
 * <tree size, decimal>
 * <root hash, base64>
 * [extension lines]
 * ```
 *
 * signed with the node's Ed25519 key (type 0x01). The other Party's node cosigns by adding its own
 * signature line to the same note ({@link cosignCheckpoint}); {@link verifyConsistency} checks
 * that a newer checkpoint extends an older one.
 */
import { checkConsistencyProof, EMPTY_ROOT, HASH_SIZE, type ProofFailure } from "./merkle.ts";
import {
  addNoteSignature,
  type NoteSigner,
  type NoteVerifier,
  openSignedNote,
  SignedNoteError,
  signNote,
} from "./signed-note.ts";

/** What a checkpoint states: the log `origin`, its `size` and the `root` of its first `size` entries. */
export type Checkpoint = {
  readonly origin: string;
  readonly size: number;
  readonly root: Buffer;
  readonly extensions?: readonly string[];
};

/** A checkpoint opened from a signed note: its statement, the note itself and who signed it. */
export type SignedCheckpoint = Checkpoint & { readonly note: string; readonly signedBy: readonly string[] };

/** Writes the note text of a checkpoint (origin, size, base64 root, extension lines). */
export function formatCheckpointText(checkpoint: Checkpoint): string {
  const { origin, size, root } = checkpoint;
  if (origin.length === 0 || origin.includes("\n"))
    throw new SignedNoteError("checkpoint origin must be one non-empty line");
  if (!Number.isSafeInteger(size) || size < 0)
    throw new SignedNoteError("checkpoint size must be a non-negative integer");
  if (root.length !== HASH_SIZE) throw new SignedNoteError("checkpoint root must be a 32-byte hash");
  const extensions = checkpoint.extensions ?? [];
  for (const line of extensions) {
    if (line.length === 0 || line.includes("\n"))
      throw new SignedNoteError("checkpoint extension lines are non-empty single lines");
  }
  return [origin, String(size), root.toString("base64"), ...extensions].map((l) => `${l}\n`).join("");
}

/** Parses the note text of a checkpoint strictly: decimal size without leading zeros, 32-byte base64 root. */
export function parseCheckpointText(text: string): Checkpoint {
  if (!text.endsWith("\n")) throw new SignedNoteError("checkpoint text must end with a newline");
  const lines = text.slice(0, -1).split("\n");
  if (lines.length < 3) throw new SignedNoteError("checkpoint needs origin, size and root lines");
  const [origin, sizeLine, rootLine, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw new SignedNoteError("checkpoint origin is empty");
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine))
    throw new SignedNoteError("checkpoint size is not a decimal number");
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) throw new SignedNoteError("checkpoint size is too large");
  const root = Buffer.from(rootLine, "base64");
  if (root.length !== HASH_SIZE || root.toString("base64") !== rootLine) {
    throw new SignedNoteError("checkpoint root is not a base64 32-byte hash");
  }
  if (extensions.some((l) => l.length === 0))
    throw new SignedNoteError("checkpoint has an empty extension line");
  if (size === 0 && !root.equals(EMPTY_ROOT))
    throw new SignedNoteError("an empty log's root must be SHA-256 of nothing");
  return { origin, size, root, extensions };
}

/** Signs a checkpoint with the node key (and any other signers) and returns the signed note. */
export function signCheckpoint(checkpoint: Checkpoint, signers: readonly NoteSigner[]): string {
  return signNote(formatCheckpointText(checkpoint), signers);
}

/**
 * Opens a signed checkpoint: verifies its signatures against the trusted keys and, when given,
 * checks its origin. Throws {@link SignedNoteError} when it does not hold.
 */
export function openCheckpoint(
  note: string,
  verifiers: readonly NoteVerifier[],
  expectedOrigin?: string,
): SignedCheckpoint {
  const { text, verifiedBy } = openSignedNote(note, verifiers);
  const checkpoint = parseCheckpointText(text);
  if (expectedOrigin !== undefined && checkpoint.origin !== expectedOrigin) {
    throw new SignedNoteError(
      `checkpoint is for log ${JSON.stringify(checkpoint.origin)}, not ${JSON.stringify(expectedOrigin)}`,
    );
  }
  return { ...checkpoint, note, signedBy: verifiedBy.map((v) => v.name) };
}

/** Adds the signer's cosignature to a checkpoint another node signed (after checking consistency). */
export function cosignCheckpoint(note: string, signer: NoteSigner): string {
  return addNoteSignature(note, signer);
}

/**
 * Checks that `newer` extends `older` (same origin, not smaller, and the RFC 9162 consistency
 * proof holds). An older checkpoint of the empty log is consistent with any newer one of the same
 * origin, with an empty proof. Returns `null` when it holds, else why not.
 */
export function checkConsistency(
  older: Checkpoint,
  newer: Checkpoint,
  proof: readonly Uint8Array[],
): ProofFailure | "origin-mismatch" | null {
  if (older.origin !== newer.origin) return "origin-mismatch";
  if (older.size === 0) {
    if (!older.root.equals(EMPTY_ROOT)) return "root-mismatch";
    return proof.length === 0 ? null : "proof-not-empty";
  }
  return checkConsistencyProof(older.size, newer.size, older.root, newer.root, proof);
}

/** True when `newer` extends `older` per {@link checkConsistency}. Used when nodes cosign each other's checkpoints. */
export function verifyConsistency(
  older: Checkpoint,
  newer: Checkpoint,
  proof: readonly Uint8Array[],
): boolean {
  return checkConsistency(older, newer, proof) === null;
}
