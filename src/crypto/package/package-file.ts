/**
 * Sealed packages of any size on disk (A5.7). A package is a folder:
 *
 *   manifest.p7s       CMS SignedData (attached) by the sending organisation. Content: one line per
 *                      piece, `<sha256 of the piece file>  piece-NNNNNN.p7m` (the `sha256sum` format).
 *                      Signed attributes: content type, signing time, message digest,
 *                      signingCertificateV2, ESS security label, equivalentLabels, and the Kelisim
 *                      package-info attribute (package id, piece count, piece size, total size).
 *   piece-000001.p7m … CMS AuthEnvelopedData (AES-256-GCM, fresh key and nonce per piece) to the
 *                      receiving organisation; plaintext = bytes [(i-1)·pieceSize, i·pieceSize).
 *
 * Why this layout: OpenSSL cannot decrypt multi-GiB CMS messages (it holds ~2.7× the input), so each
 * piece is a message it can decrypt alone; the signed manifest binds every piece, its position and
 * the count, and the label, to the sender, and a checkpoint without keys can check origin, label and
 * integrity (`openssl cms -verify` + `sha256sum -c`). One hash pass over the pieces (SHA-256, which
 * has CPU support here) is done per piece, so two cores work on two pieces side by side.
 *
 * Opening writes plaintext only into a temporary file in the target directory (mode 0600), fsynced and
 * linked to the target after every piece's hash and tag and the manifest's signature and label check out
 * (then the directory is fsynced), and deleted on any failure or interruption. Its write-back to disk is
 * started while pieces are still being decrypted (see EarlyWriteBack), so the final fsync is short.
 */
import { randomBytes } from "node:crypto";
import {
  closeSync,
  existsSync,
  fdatasync,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import {
  MAX_ENVELOPE_HEADER,
  MAX_ENVELOPE_TRAILER,
  parseEnvelopeHead,
  parseEnvelopeTrailer,
  prepareEnvelope,
  unwrapContentKey,
} from "../auth-enveloped.ts";
import { type CertificateInfo, parseCertificate } from "../certificate.ts";
import { CMS_LIMITS, DerError, integer, octets, parseDer, seq, TAG } from "../der.ts";
import { type AgreementLabelTable, matchesAgreement, type PackageLabel } from "../label.ts";
import { OID } from "../oids.ts";
import type { KeyHolder } from "../pki-store.ts";
import { refuse } from "../refusal.ts";
import { type OpenedMessage, openBytes } from "../seal-bytes.ts";
import { attribute, signContent, verifySignedContent } from "../signed-data.ts";
import { type TrustStore, validateCertificate } from "../trust.ts";
import { PieceWorkerPool } from "./worker-pool.ts";

/** Default piece size: 64 MiB (OpenSSL then needs ~180 MB to decrypt one piece). */
export const DEFAULT_PIECE_SIZE = 64 * 1024 * 1024;
/** Smallest and largest piece sizes accepted (the small one is for tests). */
export const MIN_PIECE_SIZE = 1024;
export const MAX_PIECE_SIZE = 1024 * 1024 * 1024;
/** Most pieces in one package: the manifest stays under 16 MiB (≈ 9 TiB at the default size). */
export const MAX_PIECES = 150_000;
export const MANIFEST_NAME = "manifest.p7s";

/** Progress of a seal or open: bytes of carrier processed so far. */
export type Progress = { readonly done: number; readonly total: number };

const pieceName = (index: number) => `piece-${String(index).padStart(6, "0")}.p7m`;
const PIECE_PATTERN = /^piece-(\d{6})\.p7m$/;

/** The package-info attribute value. */
function encodePackageInfo(info: PackageInfo): Uint8Array {
  return seq(
    octets(info.packageId),
    integer(info.pieceCount),
    integer(info.pieceSize),
    integer(BigInt(info.totalSize)),
  );
}

type PackageInfo = { packageId: Uint8Array; pieceCount: number; pieceSize: number; totalSize: number };

function decodePackageInfo(bytes: Uint8Array): PackageInfo {
  const node = parseDer(bytes, CMS_LIMITS);
  const packageId = node.next(TAG.OCTET_STRING, "package id").asOctets();
  const pieceCount = node.next(TAG.INTEGER, "piece count").asSmallInt();
  const pieceSize = node.next(TAG.INTEGER, "piece size").asSmallInt();
  const totalSize = node.next(TAG.INTEGER, "total size").asSmallInt();
  node.end("package info");
  if (packageId.length !== 16) throw new DerError("package id must be 16 bytes");
  return { packageId, pieceCount, pieceSize, totalSize };
}

/** What sealing a file gives. */
export type SealedPackage = {
  readonly path: string;
  readonly pieces: number;
  readonly totalSize: number;
  readonly packageId: string;
};

/**
 * Seals the file `input` into the package folder `output` (which must not exist): pieces encrypted
 * to `recipientCert` on all cores, then the signed manifest. The folder appears only when complete.
 * `signer` may be a promise (its key still being decrypted): the pieces, which do not need it, are
 * sealed meanwhile; its certificate is validated as soon as it is there, and a refusal then stops
 * the sealing and removes what was written.
 */
export async function sealFile(params: {
  input: string;
  output: string;
  label: PackageLabel;
  signer: KeyHolder | Promise<KeyHolder>;
  recipientCert: Uint8Array | string;
  trust: TrustStore;
  now?: Date;
  pieceSize?: number;
  onProgress?: (progress: Progress) => void;
  pool?: PieceWorkerPool;
}): Promise<SealedPackage> {
  const now = params.now ?? new Date();
  const pieceSize = params.pieceSize ?? DEFAULT_PIECE_SIZE;
  if (!Number.isInteger(pieceSize) || pieceSize < MIN_PIECE_SIZE || pieceSize > MAX_PIECE_SIZE)
    throw new RangeError(`piece size must be between ${MIN_PIECE_SIZE} and ${MAX_PIECE_SIZE} bytes`);
  const recipient = parseCertificate(params.recipientCert);
  validateCertificate(recipient, params.trust, { purpose: "encryption", now });
  const checkSigner = (signer: KeyHolder) => {
    validateCertificate(signer.certificate, params.trust, {
      purpose: "signing",
      now,
      expectedParty: params.trust.ownParty,
    });
    return signer;
  };
  let signerFailure: { error: unknown } | undefined;
  const signerReady =
    params.signer instanceof Promise
      ? params.signer.then(checkSigner)
      : Promise.resolve(checkSigner(params.signer));
  signerReady.catch((error: unknown) => {
    signerFailure = { error };
  });
  const inputStat = statSync(params.input);
  if (!inputStat.isFile()) throw new Error(`${params.input} is not a file`);
  const totalSize = inputStat.size;
  const pieceCount = Math.max(1, Math.ceil(totalSize / pieceSize));
  if (pieceCount > MAX_PIECES)
    refuse("PACKAGE_LIMIT_EXCEEDED", `more than ${MAX_PIECES} pieces: use larger pieces`);
  const output = resolve(params.output);
  if (existsSync(output)) throw new Error(`${output} already exists`);
  const partial = join(dirname(output), `.${basename(output)}.partial-${randomBytes(6).toString("hex")}`);
  mkdirSync(partial, { mode: 0o700 });
  const pool = params.pool ?? new PieceWorkerPool();
  let done = 0;
  const report = (n: number) => {
    done += n;
    params.onProgress?.({ done, total: totalSize });
  };
  const hashes: Promise<{ sha256: string }>[] = [];
  try {
    for (let i = 0; i < pieceCount; i++) {
      if (signerFailure) throw signerFailure.error;
      const offset = i * pieceSize;
      const length = Math.min(pieceSize, totalSize - offset);
      const env = prepareEnvelope({ recipient, contentLength: length });
      const task = pool.run<{ sha256: string }>(
        {
          kind: "seal",
          inPath: params.input,
          inOffset: offset,
          length,
          outPath: join(partial, pieceName(i + 1)),
          header: env.header,
          key: env.contentKey.key,
          nonce: env.contentKey.nonce,
          trailerPrefix: env.trailer(new Uint8Array(16)).subarray(0, -16),
        },
        report,
      );
      task.catch(() => undefined); // observed below; avoids an unhandled rejection meanwhile
      hashes.push(task);
      // Keep at most two tasks queued per worker, so that memory stays bounded for any count.
      if (hashes.length >= pool.size * 2) await hashes[hashes.length - pool.size * 2];
    }
    const results = await Promise.all(hashes);
    const signer = await signerReady;
    const manifest = results.map((r, i) => `${r.sha256}  ${pieceName(i + 1)}\n`).join("");
    const info: PackageInfo = { packageId: randomBytes(16), pieceCount, pieceSize, totalSize };
    const signed = signContent({
      content: new TextEncoder().encode(manifest),
      signer,
      label: params.label,
      signingTime: now,
      extraAttributes: [attribute(OID.packageInfo, encodePackageInfo(info))],
    });
    const manifestFd = openSync(join(partial, MANIFEST_NAME), "wx", 0o600);
    try {
      let written = 0;
      while (written < signed.length) written += writeSync(manifestFd, signed, written);
      fsyncSync(manifestFd);
    } finally {
      closeSync(manifestFd);
    }
    renameSync(partial, output);
    return {
      path: output,
      pieces: pieceCount,
      totalSize,
      packageId: Buffer.from(info.packageId).toString("hex"),
    };
  } catch (error) {
    // Pieces still being written would otherwise land in a folder being removed.
    await Promise.allSettled(hashes);
    rmSync(partial, { recursive: true, force: true });
    throw error;
  } finally {
    if (!params.pool) await pool.close();
  }
}

/** What opening a package gives (the content is in the output file). */
export type OpenedPackage = Omit<OpenedMessage, "content"> & {
  readonly path: string;
  readonly totalSize: number;
  readonly pieces: number;
  readonly packageId: string | undefined;
};

function readAt(fd: number, length: number, position: number): Uint8Array {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) refuse("PACKAGE_STRUCTURE_INVALID", "truncated piece");
    done += n;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

const liveTemporaries = new Set<string>();
let cleanupInstalled = false;
function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  const removeAll = () => {
    for (const path of liveTemporaries) {
      try {
        unlinkSync(path);
      } catch {
        // already gone
      }
    }
    liveTemporaries.clear();
  };
  process.on("exit", removeAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
    process.once(signal, () => {
      removeAll();
      // Re-raise for the default action, unless the host program handles the signal itself.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
}

/**
 * Opens the package `input` (a folder, or a single-file message) into the file `output`, which
 * must not exist. Refuses with a typed PACKAGE_* error and leaves nothing at `output` unless the
 * manifest's signature, signer, label and every piece's hash and tag check out (A5.7, A2.1, A6.1).
 */
export async function openFile(params: {
  input: string;
  output: string;
  recipient: KeyHolder;
  trust: TrustStore;
  agreement: AgreementLabelTable;
  now?: Date;
  onProgress?: (progress: Progress) => void;
  pool?: PieceWorkerPool;
}): Promise<OpenedPackage> {
  const now = params.now ?? new Date();
  const output = resolve(params.output);
  if (existsSync(output)) throw new Error(`${output} already exists`);
  const inputStat = lstatSync(params.input);
  // Everything that can be checked before any plaintext exists is checked first: the single-file
  // message entirely (in memory), the folder's manifest, signer, label and listing.
  let single: OpenedMessage | undefined;
  let plan: FolderPlan | undefined;
  if (inputStat.isFile()) single = openSingleFile(params.input, params, now);
  else if (inputStat.isDirectory()) plan = checkFolder(params.input, params, now);
  else refuse("PACKAGE_STRUCTURE_INVALID", "a package is a folder or a file");

  const temporary = join(dirname(output), `.${basename(output)}.partial-${randomBytes(6).toString("hex")}`);
  installCleanup();
  liveTemporaries.add(temporary);
  const outFd = openSync(temporary, "wx", 0o600);
  let ok = false;
  try {
    let result: OpenedPackage;
    if (single) {
      let written = 0;
      while (written < single.content.length) written += writeSync(outFd, single.content, written);
      params.onProgress?.({ done: single.content.length, total: single.content.length });
      const { content, ...rest } = single;
      result = { ...rest, path: output, totalSize: content.length, pieces: 1, packageId: undefined };
    } else {
      result = await openPieces(plan!, outFd, temporary, output, params);
    }
    fsyncSync(outFd);
    closeSync(outFd);
    // link + unlink rather than rename: never replaces a file that appeared at `output` meanwhile.
    try {
      linkSync(temporary, output);
    } catch (error) {
      throw new Error(`cannot create ${output}: ${error instanceof Error ? error.message : String(error)}`);
    }
    unlinkSync(temporary);
    // The new name is durable only once its directory is: fsync that too (milliseconds).
    const dirFd = openSync(dirname(output), "r");
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
    ok = true;
    return result;
  } finally {
    if (!ok) {
      try {
        closeSync(outFd);
      } catch {
        // closed already
      }
      rmSync(temporary, { force: true });
    }
    liveTemporaries.delete(temporary);
  }
}

function openSingleFile(input: string, params: Parameters<typeof openFile>[0], now: Date): OpenedMessage {
  const size = statSync(input).size;
  if (size > 64 * 1024 * 1024 + 64 * 1024)
    refuse("PACKAGE_LIMIT_EXCEEDED", "a single-file package is at most 64 MiB");
  const fd = openSync(input, "r");
  let bytes: Uint8Array;
  try {
    bytes = readAt(fd, size, 0);
  } finally {
    closeSync(fd);
  }
  return openBytes({
    bytes,
    recipient: params.recipient,
    trust: params.trust,
    agreement: params.agreement,
    now,
  });
}

type FolderPlan = {
  input: string;
  verified: ReturnType<typeof verifySignedContent>;
  info: PackageInfo;
  hashes: string[];
};

/** Verifies the manifest (signature, signer, label, package info) and the folder's listing. */
function checkFolder(input: string, params: Parameters<typeof openFile>[0], now: Date): FolderPlan {
  const names = readdirSync(input);
  if (!names.includes(MANIFEST_NAME)) refuse("PACKAGE_STRUCTURE_INVALID", "no manifest.p7s in the package");
  const manifestPath = join(input, MANIFEST_NAME);
  const manifestStat = lstatSync(manifestPath);
  if (!manifestStat.isFile()) refuse("PACKAGE_STRUCTURE_INVALID", "manifest.p7s is not a regular file");
  if (manifestStat.size > CMS_LIMITS.maxBytes)
    refuse("PACKAGE_LIMIT_EXCEEDED", `manifest over ${CMS_LIMITS.maxBytes} bytes`);
  const mfd = openSync(manifestPath, "r");
  let manifestBytes: Uint8Array;
  try {
    manifestBytes = readAt(mfd, manifestStat.size, 0);
  } finally {
    closeSync(mfd);
  }
  const verified = verifySignedContent({ bytes: manifestBytes, trust: params.trust, now });
  if (!matchesAgreement(params.agreement, verified.signer.party, verified.label))
    refuse(
      "PACKAGE_LABEL_MISMATCH",
      `the label is not the agreement's label of a level for ${verified.signer.party} (A2.1)`,
    );
  const infoBytes = verified.attributes.get(OID.packageInfo);
  if (!infoBytes) refuse("PACKAGE_STRUCTURE_INVALID", "the manifest has no package-info attribute");
  let info: PackageInfo;
  try {
    info = decodePackageInfo(infoBytes);
  } catch (error) {
    if (error instanceof DerError) refuse("PACKAGE_STRUCTURE_INVALID", error.message);
    throw error;
  }
  if (info.pieceCount < 1 || info.pieceCount > MAX_PIECES)
    refuse("PACKAGE_LIMIT_EXCEEDED", `piece count ${info.pieceCount}`);
  if (info.pieceSize < MIN_PIECE_SIZE || info.pieceSize > MAX_PIECE_SIZE)
    refuse("PACKAGE_LIMIT_EXCEEDED", `piece size ${info.pieceSize}`);
  if (info.pieceCount !== Math.max(1, Math.ceil(info.totalSize / info.pieceSize)))
    refuse("PACKAGE_STRUCTURE_INVALID", "piece count and sizes disagree");

  // The manifest: exactly pieceCount lines, in order, in the sha256sum format.
  const text = new TextDecoder("utf-8", { fatal: false }).decode(verified.content);
  const lines = text.split("\n");
  if (lines.pop() !== "") refuse("PACKAGE_STRUCTURE_INVALID", "the manifest does not end with a newline");
  if (lines.length !== info.pieceCount)
    refuse("PACKAGE_STRUCTURE_INVALID", "the manifest lists another number of pieces");
  const hashes = lines.map((line, i) => {
    const m = /^([0-9a-f]{64}) {2}(piece-\d{6}\.p7m)$/.exec(line);
    if (!m || m[2] !== pieceName(i + 1))
      refuse("PACKAGE_STRUCTURE_INVALID", `manifest line ${i + 1} is malformed`);
    return m[1]!;
  });
  // The folder: the manifest and exactly the listed pieces, nothing else.
  for (const name of names) {
    if (name === MANIFEST_NAME) continue;
    const m = PIECE_PATTERN.exec(name);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > info.pieceCount)
      refuse("PACKAGE_STRUCTURE_INVALID", `unexpected file ${name} in the package`);
  }
  if (names.length !== info.pieceCount + 1) refuse("PACKAGE_STRUCTURE_INVALID", "a piece is missing");
  return { input, verified, info, hashes };
}

/** Decrypts every piece into the temporary output on the worker pool, checking hashes and tags. */
async function openPieces(
  plan: FolderPlan,
  outFd: number,
  temporary: string,
  output: string,
  params: Parameters<typeof openFile>[0],
): Promise<OpenedPackage> {
  const { input, verified, info, hashes } = plan;
  // No ftruncate to the full size first: on this kind of disk, filling a sparse file costs about
  // twice the system time of writing it as it grows (measured at 4 GiB).
  const recipientCert = parseCertificate(params.recipient.certificate);
  const pool = params.pool ?? new PieceWorkerPool();
  let done = 0;
  const report = (n: number) => {
    done += n;
    params.onProgress?.({ done, total: info.totalSize });
  };
  const writeBack = new EarlyWriteBack(outFd);
  try {
    const running: Promise<{ ok?: true; failure?: string; reason?: string }>[] = [];
    for (let i = 0; i < info.pieceCount; i++) {
      const expectedLength = Math.min(info.pieceSize, info.totalSize - i * info.pieceSize);
      const task = preparePieceOpen(
        join(input, pieceName(i + 1)),
        expectedLength,
        recipientCert,
        params.recipient,
      );
      const run = pool.run<{ ok?: true; failure?: string; reason?: string }>(
        { kind: "open", ...task, sha256: hashes[i], outPath: temporary, outOffset: i * info.pieceSize },
        report,
      );
      run.catch(() => undefined); // observed below
      run.then(
        (r) => r.ok && writeBack.start(),
        () => undefined,
      );
      running.push(run);
      if (running.length >= pool.size * 2) checkPieceResult(await running[running.length - pool.size * 2]!);
    }
    for (const r of await Promise.all(running)) checkPieceResult(r);
    if (fstatSync(outFd).size !== info.totalSize)
      refuse("PACKAGE_STRUCTURE_INVALID", "the pieces do not add up to the size signed");
  } finally {
    // The caller closes (or deletes) the output next: no fdatasync of it may still be running then.
    await writeBack.settle();
    if (!params.pool) await pool.close();
  }
  writeBack.throwIfFailed();
  return {
    label: verified.label.label,
    equivalentLabels: verified.label.equivalentLabels,
    signerCertificate: verified.signer.certificate,
    signerParty: verified.signer.party,
    signerOrgId: verified.signer.orgId,
    signerOrgName: verified.signer.orgName,
    signingTime: verified.signingTime,
    path: output,
    totalSize: info.totalSize,
    pieces: info.pieceCount,
    packageId: Buffer.from(info.packageId).toString("hex"),
  };
}

/**
 * Starts the output's write-back to disk while pieces are still being decrypted, so that the fsync
 * before the output is linked into place (which stays, and is what makes the carrier durable) finds
 * little left to write: an fdatasync on a libuv thread whenever a piece is done and none is running.
 * The bytes written back are those of the temporary file (mode 0600, deleted on any refusal or
 * interruption), which the kernel's own write-back would write to disk anyway after 30 s or once
 * dirty pages pass 10 % of memory; nothing is visible at the output's name before every check.
 * Measured at 1 GiB: the final fsync took ≈ 0.5 s of wall time, nearly all of it waiting for the disk.
 */
class EarlyWriteBack {
  private running: Promise<void> | undefined;
  private failure: Error | undefined;
  constructor(private readonly fd: number) {}

  start(): void {
    if (this.running || this.failure) return;
    this.running = new Promise<void>((done) => {
      fdatasync(this.fd, (error) => {
        // Kept and thrown by throwIfFailed: Linux reports a write-back error once per open file, so
        // the final fsync would not report it again.
        if (error) this.failure = error;
        this.running = undefined;
        done();
      });
    });
  }

  async settle(): Promise<void> {
    while (this.running) await this.running;
  }

  throwIfFailed(): void {
    if (this.failure) throw new Error(`cannot write the output to disk: ${this.failure.message}`);
  }
}

function checkPieceResult(r: { ok?: true; failure?: string; reason?: string }): void {
  if (r.ok) return;
  refuse(
    r.failure === "integrity" ? "PACKAGE_INTEGRITY_FAILED" : "PACKAGE_STRUCTURE_INVALID",
    r.reason ?? "bad piece",
  );
}

/** Reads and checks a piece's head and trailer, and recovers its key, on the main thread. */
function preparePieceOpen(
  path: string,
  expectedLength: number,
  recipientCert: CertificateInfo,
  recipient: KeyHolder,
) {
  const stat = lstatSync(path);
  if (!stat.isFile()) refuse("PACKAGE_STRUCTURE_INVALID", `${basename(path)} is not a regular file`);
  const size = stat.size;
  const fd = openSync(path, "r");
  try {
    const head = readAt(fd, Math.min(size, MAX_ENVELOPE_HEADER), 0);
    const parsed = parseEnvelopeHead(head, size);
    if (parsed.contentLength !== expectedLength)
      refuse("PACKAGE_STRUCTURE_INVALID", "a piece has the wrong length");
    if (parsed.trailerLength > MAX_ENVELOPE_TRAILER)
      refuse("PACKAGE_LIMIT_EXCEEDED", "piece trailer too long");
    const trailer = readAt(fd, parsed.trailerLength, parsed.contentOffset + parsed.contentLength);
    const t = parseEnvelopeTrailer(trailer);
    const key = unwrapContentKey(parsed.recipientInfos, recipientCert, recipient.privateKey);
    return {
      pkgPath: path,
      head: head.slice(0, parsed.contentOffset),
      contentLength: parsed.contentLength,
      trailer,
      key,
      nonce: parsed.nonce,
      aad: t.aad,
    };
  } finally {
    closeSync(fd);
  }
}

/**
 * The recipients a package is addressed to (IssuerAndSerialNumber DER of each certificate), read
 * from the single file or the first piece, so that a node can pick which of its organisations opens
 * it. Nothing is decrypted or trusted here.
 */
export function packageRecipients(input: string): Uint8Array[] {
  const stat = lstatSync(input);
  const path = stat.isDirectory() ? join(input, pieceName(1)) : input;
  if (!existsSync(path)) refuse("PACKAGE_STRUCTURE_INVALID", "no first piece in the package");
  const size = statSync(path).size;
  const fd = openSync(path, "r");
  try {
    const head = parseEnvelopeHead(readAt(fd, Math.min(size, MAX_ENVELOPE_HEADER), 0), size);
    const out: Uint8Array[] = [];
    for (const ri of head.recipientInfos) {
      const node = parseDer(ri.bytes, CMS_LIMITS, "any");
      if (node.tag === TAG.SEQUENCE) {
        node.next(TAG.INTEGER);
        out.push(node.next(TAG.SEQUENCE).bytes);
      } else if (node.tag === 0xa1) {
        node.next(TAG.INTEGER);
        node.next(0xa0);
        if (node.peekTag() === 0xa1) node.next(0xa1);
        node.next(TAG.SEQUENCE);
        for (const rek of node.next(TAG.SEQUENCE).children("recipientEncryptedKeys", TAG.SEQUENCE))
          out.push(rek.next(TAG.SEQUENCE).bytes);
      }
    }
    return out;
  } catch (error) {
    if (error instanceof DerError) refuse("PACKAGE_STRUCTURE_INVALID", error.message);
    throw error;
  } finally {
    closeSync(fd);
  }
}
