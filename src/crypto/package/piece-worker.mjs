// Worker thread of the sealed-package pipeline: encrypts or decrypts one piece at a time with
// AES-256-GCM while hashing the piece file with SHA-256, so that two pieces are processed on two
// cores at once. Plain JavaScript on purpose: a worker thread does not inherit the TypeScript
// loader of its parent (tsx), and this file needs nothing but node:crypto and node:fs.
// The main thread (package-file.ts) parses and checks every structure; this file only streams.
import { createCipheriv, createDecipheriv, createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, readSync, writeSync } from "node:fs";
import { parentPort } from "node:worker_threads";

/** Bytes read per step: ≥ 1 MiB reads keep the disk and the cipher fast (64 KiB halves it); 1 MiB keeps memory low. */
const CHUNK = 1024 * 1024;
const buffer = Buffer.allocUnsafe(CHUNK);

// Each cipher step returns a new 1 MiB buffer. V8 collects them only once tens of MiB of such
// external memory have piled up; a minor collection after every chunk keeps the resident size flat
// (measured at 1 GiB: peak 116 MiB when collecting every 8 chunks, 101 MiB every chunk, same CPU
// time: a minor collection of a 4 MiB young generation costs far less than ciphering 1 MiB).
// The pool exposes `gc` to this worker; without it, memory is still bounded, only higher.
const collect =
  typeof globalThis.gc === "function" ? () => globalThis.gc({ type: "minor" }) : () => undefined;

// Progress goes to the main thread every 8 MiB rather than every chunk: fewer messages, less
// garbage on the main thread's heap (whose young generation is large) for a long carrier.
const PROGRESS_EVERY = 8 * CHUNK;
let unreported = 0;
function reportProgress(id, n, last) {
  unreported += n;
  if (last || unreported >= PROGRESS_EVERY) {
    parentPort.postMessage({ id, progress: unreported });
    unreported = 0;
  }
}

function readFully(fd, target, length, position) {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, target, done, length - done, position + done);
    if (n === 0) throw new Error("unexpected end of file");
    done += n;
  }
}

function writeFully(fd, data, position) {
  let done = 0;
  while (done < data.length) {
    done += writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
  }
}

/** Seal: header, then the encrypted input range, then trailer prefix + tag; returns the file's SHA-256. */
function sealPiece(task) {
  const input = openSync(task.inPath, "r");
  const output = openSync(task.outPath, "wx", 0o600);
  try {
    const hash = createHash("sha256");
    const cipher = createCipheriv("aes-256-gcm", task.key, task.nonce, { authTagLength: 16 });
    const header = Buffer.from(task.header);
    hash.update(header);
    writeFully(output, header, null);
    let done = 0;
    while (done < task.length) {
      const n = Math.min(CHUNK, task.length - done);
      readFully(input, buffer, n, task.inOffset + done);
      const out = cipher.update(buffer.subarray(0, n));
      hash.update(out);
      writeFully(output, out, null);
      done += n;
      collect();
      reportProgress(task.id, n, done === task.length);
    }
    const last = cipher.final();
    if (last.length > 0) throw new Error("GCM produced trailing bytes");
    const trailer = Buffer.concat([Buffer.from(task.trailerPrefix), cipher.getAuthTag()]);
    hash.update(trailer);
    writeFully(output, trailer, null);
    return { sha256: hash.digest("hex"), size: header.length + task.length + trailer.length };
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

/**
 * Open: re-reads the piece file, checks that its head and trailer are the bytes the main thread
 * parsed, hashes the whole file, decrypts the content into the output at `outOffset`, and checks
 * the tag and the hash. Failures are reported by kind; the main thread turns them into refusals
 * and deletes the output.
 */
function openPiece(task) {
  const input = openSync(task.pkgPath, "r");
  const output = openSync(task.outPath, "r+");
  try {
    const size = fstatSync(input).size;
    const expectedSize = task.head.length + task.contentLength + task.trailer.length;
    if (size !== expectedSize)
      return { failure: "structure", reason: "the piece changed size while being read" };
    const hash = createHash("sha256");
    const head = Buffer.allocUnsafe(task.head.length);
    readFully(input, head, head.length, 0);
    if (!head.equals(Buffer.from(task.head)))
      return { failure: "structure", reason: "the piece changed while being read" };
    hash.update(head);
    const decipher = createDecipheriv("aes-256-gcm", task.key, task.nonce, { authTagLength: 16 });
    if (task.aad.length > 0) decipher.setAAD(task.aad);
    const trailer = Buffer.from(task.trailer);
    decipher.setAuthTag(trailer.subarray(trailer.length - 16));
    let done = 0;
    while (done < task.contentLength) {
      const n = Math.min(CHUNK, task.contentLength - done);
      readFully(input, buffer, n, head.length + done);
      const chunk = buffer.subarray(0, n);
      hash.update(chunk);
      writeFully(output, decipher.update(chunk), task.outOffset + done);
      done += n;
      collect();
      reportProgress(task.id, n, done === task.contentLength);
    }
    const readTrailer = Buffer.allocUnsafe(trailer.length);
    readFully(input, readTrailer, trailer.length, head.length + task.contentLength);
    if (!readTrailer.equals(trailer))
      return { failure: "structure", reason: "the piece changed while being read" };
    hash.update(readTrailer);
    if (hash.digest("hex") !== task.sha256)
      return { failure: "integrity", reason: "the piece does not match the signed manifest" };
    try {
      decipher.final();
    } catch {
      return { failure: "integrity", reason: "the piece's authentication tag does not check out" };
    }
    return { ok: true };
  } finally {
    closeSync(input);
    closeSync(output);
  }
}

parentPort.on("message", (task) => {
  unreported = 0; // bytes of a task that failed midway are not another task's progress
  try {
    const result = task.kind === "seal" ? sealPiece(task) : openPiece(task);
    parentPort.postMessage({ id: task.id, result });
  } catch (error) {
    parentPort.postMessage({ id: task.id, error: error instanceof Error ? error.message : String(error) });
  }
});
