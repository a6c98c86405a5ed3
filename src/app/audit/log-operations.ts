// The node's audit log as its operator checks it (A4.1.1, A6.2): verification of the whole log
// against its signed checkpoints and every witness outside the database it can reach, and a new
// signed checkpoint, kept in the database and appended to the witness file. The node acts, no person.
//
// Witnesses: the witness file (`KELISIM_AUDIT_WITNESS`, else `<dataDir>/audit-witness.log`, every
// checkpoint signed here), and the peer's cosignatures over our checkpoints
// (`exchange_cosigned_checkpoints`, each checked against the peer's key in exchange/peer.json: an
// attacker who writes the database cannot forge them).
import { checkConsistency, openCheckpoint, type SignedCheckpoint } from "../../audit/checkpoint.ts";
import {
  type AuditVerification,
  auditLogOrigin,
  proveAuditConsistency,
  readAuditHead,
  readLatestCheckpointNote,
  signAuditCheckpoint,
  verifyAuditLog,
  type WitnessedCheckpoint,
} from "../../audit/log.ts";
import { type NoteSigner, parseVerifierKey, SignedNoteError, verifierOf } from "../../audit/signed-note.ts";
import { loadAuditSigner, loadAuditVerifiers } from "../../audit/signing-key.ts";
import {
  AuditWitnessError,
  appendAuditWitness,
  auditWitnessPath,
  readAuditWitness,
  readLastAuditWitness,
} from "../../audit/witness-file.ts";
import { DomainError } from "../../domain/errors.ts";
import { readPeerConfig } from "../../exchange/node-exchange.ts";
import type { OpenNode } from "../../node/open-node.ts";
import { restoreStatementOf } from "../backup/restore-record.ts";

type VerifyOptions = Omit<Parameters<typeof verifyAuditLog>[1], "verifiers" | "origin" | "witnessed"> & {
  /** The checkpoint keys to trust (default: the node's own). */
  verifiers?: Parameters<typeof verifyAuditLog>[1]["verifiers"];
  /** The environment naming the witness file (default: the process's). */
  env?: NodeJS.ProcessEnv;
};

/** One witness verification asked, and what it gave. */
export type AuditWitnessReport = {
  /** `file` (the witness file) or `peer` (the peer's cosignatures). */
  readonly kind: "file" | "peer";
  /** How findings name it: the file's path, or `exchange_cosigned_checkpoints (<party>)`. */
  readonly witness: string;
  /** `used`: its checkpoints were compared; `empty`: it holds none yet; `unavailable`: it could not be used. */
  readonly state: "used" | "empty" | "unavailable";
  readonly checkpoints: number;
  readonly newestSize: number | null;
  /** Why unavailable, or what was left out (a torn last line, checkpoints lost to a restore). */
  readonly remark: string | null;
  /**
   * Restores of the node from a backup that the witness file records (restore-record.ts): the
   * checkpoints witnessed before one that the restored log no longer reaches are listed, not compared.
   */
  readonly restores?: readonly AuditRestoreReport[];
};

/** A restore recorded in the witness file (A4.1.1, A6.2): the entries of the previous log it lost. */
export type AuditRestoreReport = {
  readonly line: number;
  readonly at: string;
  readonly backup: string;
  /** The restored log's size at the restore. */
  readonly size: number;
  /** Entries `[from, to)` of the previous log that are lost. */
  readonly lost: { readonly from: number; readonly to: number };
  /** The sizes of the witnessed checkpoints of the previous log beyond the restored one. */
  readonly lostCheckpoints: readonly number[];
};

/** What {@link verifyNodeAuditLog} gives: the verification, the witnesses used, and the error to raise. */
export type NodeAuditVerification =
  | (Extract<AuditVerification, { ok: true }> & { readonly witnesses: readonly AuditWitnessReport[] })
  | (Extract<AuditVerification, { ok: false }> & {
      readonly witnesses: readonly AuditWitnessReport[];
      /** The failure as a catalogue error naming what was found (A4.1.1, A6.2). */
      readonly error: DomainError;
    });

type NodeIds = { party: string; nodeId: string };

/** What the log's operations need of a node: its database, its ids and its data directory. */
export type AuditedNode = {
  readonly db: OpenNode["db"];
  readonly config: Pick<OpenNode["config"], "party" | "nodeId">;
  readonly location: Pick<OpenNode["location"], "dataDir">;
};

const idsOf = (node: AuditedNode): NodeIds => ({ party: node.config.party, nodeId: node.config.nodeId });

/** A witness that could not be trusted: which, and why. */
type WitnessProblem = { readonly witness: string; readonly problem: string };

type WitnessReading = {
  report: AuditWitnessReport;
  witnessed: WitnessedCheckpoint[];
  problem: WitnessProblem | null;
};

/**
 * A witness that could not be used: its report says why (`remark`); `alarm` when that is itself a
 * finding (a file or rows that no longer read as what the node wrote), not a witness merely absent.
 */
function unavailableWitness(
  kind: AuditWitnessReport["kind"],
  witness: string,
  checkpoints: number,
  remark: string,
  alarm: boolean,
): WitnessReading {
  return {
    report: { kind, witness, state: "unavailable", checkpoints, newestSize: null, remark },
    witnessed: [],
    problem: alarm ? { witness, problem: remark } : null,
  };
}

/** The witness file's checkpoints, each opened with the node's trusted keys. */
function readWitnessFile(
  path: string,
  verifiers: VerifyOptions["verifiers"] & {},
  origin: string,
): { report: AuditWitnessReport; witnessed: WitnessedCheckpoint[]; problem: WitnessProblem | null } {
  const base = { kind: "file" as const, witness: path };
  let contents: ReturnType<typeof readAuditWitness>;
  try {
    contents = readAuditWitness(path);
  } catch (error) {
    const problem = error instanceof AuditWitnessError ? error.message : String(error);
    return unavailableWitness("file", path, 0, problem, true);
  }
  let witnessed: WitnessedCheckpoint[] = [];
  const restores: AuditRestoreReport[] = [];
  for (const { line, note } of contents.notes) {
    let checkpoint: SignedCheckpoint;
    try {
      checkpoint = openCheckpoint(note, verifiers, origin);
    } catch (error) {
      const why = error instanceof SignedNoteError ? error.message : String(error);
      const problem = `line ${line} is not a checkpoint of this log signed by a trusted key: ${why}`;
      return unavailableWitness("file", path, witnessed.length, problem, true);
    }
    // A restore record (signed like any checkpoint): the previous log's checkpoints beyond the
    // restored size are lost to the restore, reported, no longer compared; all others still are.
    const restore = restoreStatementOf(checkpoint.extensions);
    if (restore !== null) {
      const lost = witnessed.filter((w) => w.size > checkpoint.size);
      witnessed = witnessed.filter((w) => w.size <= checkpoint.size);
      restores.push({
        line,
        at: restore.at,
        backup: restore.backup,
        size: checkpoint.size,
        lost: restore.lost,
        lostCheckpoints: [...new Set(lost.map((w) => w.size))].sort((a, b) => a - b),
      });
    }
    witnessed.push({ witness: path, size: checkpoint.size, root: checkpoint.root });
  }
  const remarks = [
    ...(contents.tornLastLine ? ["its last line was torn by a crash during an append and is left out"] : []),
    ...restores.map(
      (r) =>
        `line ${r.line}: restored from backup ${r.backup} at ${r.at} with a log of ${r.size} entries; entries ${r.lost.from}..${r.lost.to} of the previous log are lost` +
        (r.lostCheckpoints.length > 0
          ? ` (its checkpoints of sizes ${r.lostCheckpoints.join(", ")} are no longer compared)`
          : ""),
    ),
  ];
  const remark = remarks.length > 0 ? remarks.join("; ") : null;
  return {
    report: {
      ...base,
      state: witnessed.length > 0 ? "used" : "empty",
      checkpoints: witnessed.length,
      newestSize: witnessed.length > 0 ? Math.max(...witnessed.map((w) => w.size)) : null,
      remark,
      ...(restores.length > 0 ? { restores } : {}),
    },
    witnessed,
    problem: null,
  };
}

/** The peer's cosignatures over our checkpoints, each checked against the peer's audit key. */
async function readPeerCosignatures(
  node: AuditedNode,
  origin: string,
): Promise<{
  report: AuditWitnessReport | null;
  witnessed: WitnessedCheckpoint[];
  problem: WitnessProblem | null;
}> {
  let peer: ReturnType<typeof readPeerConfig>;
  try {
    peer = readPeerConfig(node.location.dataDir);
  } catch (error) {
    const remark = `exchange/peer.json is unreadable: ${String(error)}`;
    return unavailableWitness("peer", "exchange_cosigned_checkpoints", 0, remark, false);
  }
  const rows = await node.db
    .selectFrom("exchange_cosigned_checkpoints")
    .select(["party", "size", "note"])
    .orderBy("size")
    .execute();
  if (peer === null) {
    if (rows.length === 0) return { report: null, witnessed: [], problem: null };
    const remark = "no peer key (exchange/peer.json) to check the cosignatures with";
    return unavailableWitness("peer", "exchange_cosigned_checkpoints", rows.length, remark, false);
  }
  const witness = `exchange_cosigned_checkpoints (${peer.party})`;
  const base = { kind: "peer" as const, witness };
  let peerKey: ReturnType<typeof parseVerifierKey>;
  try {
    peerKey = parseVerifierKey(peer.auditVerifierKey);
  } catch (error) {
    const remark = `the peer's audit key in exchange/peer.json is unusable: ${String(error)}`;
    return unavailableWitness("peer", witness, 0, remark, false);
  }
  const witnessed: WitnessedCheckpoint[] = [];
  for (const row of rows.filter((r) => r.party === peer.party)) {
    let checkpoint: SignedCheckpoint;
    try {
      // The peer's signature is what makes it a witness: only its key is trusted here.
      checkpoint = openCheckpoint(row.note, [peerKey], origin);
    } catch (error) {
      const why = error instanceof SignedNoteError ? error.message : String(error);
      const problem = `the row of size ${row.size} is not a checkpoint of this log cosigned by ${peer.party}'s key (${why}): the table was written outside the exchange`;
      return unavailableWitness("peer", witness, witnessed.length, problem, true);
    }
    if (checkpoint.size !== Number(row.size)) {
      const problem = `the row of size ${row.size} holds a checkpoint of size ${checkpoint.size}`;
      return unavailableWitness("peer", witness, witnessed.length, problem, true);
    }
    witnessed.push({ witness, size: checkpoint.size, root: checkpoint.root });
  }
  return {
    report: {
      ...base,
      state: witnessed.length > 0 ? "used" : "empty",
      checkpoints: witnessed.length,
      newestSize: witnessed.length > 0 ? Math.max(...witnessed.map((w) => w.size)) : null,
      remark: null,
    },
    witnessed,
    problem: null,
  };
}

/** The catalogue error of a failed verification: what was found, by which witness, at which size. */
export function auditFailureError(failure: Extract<AuditVerification, { ok: false }>): DomainError {
  const { finding, firstAltered } = failure;
  const range = firstAltered ?? { from: failure.provenIntactBefore, to: failure.size + 1 };
  switch (finding.kind) {
    case "rewritten": {
      const witness = finding.witnesses.join(", ");
      if (finding.resigned)
        return new DomainError("AUDIT_CHECKPOINT_RESIGNED", {
          witness,
          size: finding.size,
          from: range.from,
          to: range.to,
        });
      if (range.to - range.from === 1)
        return new DomainError("AUDIT_ENTRY_REWRITTEN", { witness, size: finding.size, index: range.from });
      return new DomainError("AUDIT_LOG_REWRITTEN", {
        witness,
        size: finding.size,
        from: range.from,
        to: range.to,
      });
    }
    case "truncated":
      return new DomainError("AUDIT_LOG_TRUNCATED", {
        witness: finding.witnesses.join(", "),
        size: finding.size,
        witnessedSize: finding.witnessedSize,
        from: range.from,
        to: range.to,
      });
    case "checkpoints-deleted": {
      const witnesses = [...new Set(failure.deletedCheckpoints.flatMap((d) => d.witnesses))];
      return new DomainError("AUDIT_CHECKPOINTS_DELETED", {
        witness: witnesses.join(", "),
        count: failure.deletedCheckpoints.length,
        sizes: failure.deletedCheckpoints.map((d) => d.size),
      });
    }
    default:
      return new DomainError("AUDIT_LOG_ALTERED", { index: failure.firstBadIndex, problem: failure.problem });
  }
}

/**
 * Verifies the node's whole log as it stands when verification starts (one snapshot), against its
 * stored checkpoints and every witness it can reach (read before the snapshot is taken, so each
 * witnessed checkpoint is at most as large as the log it is compared with). Fails when a checkpoint
 * a witness holds is missing from `audit_checkpoints`, when the log is shorter than one (cut), or
 * when its root at that size differs (rewritten); a log grown past a witnessed checkpoint holds
 * only if its first entries still hash to that checkpoint's root.
 */
export async function verifyNodeAuditLog(
  node: AuditedNode,
  options: VerifyOptions = {},
): Promise<NodeAuditVerification> {
  const ids = idsOf(node);
  const origin = auditLogOrigin(ids);
  const { env, ...verifyOptions } = options;
  const verifiers = options.verifiers ?? loadAuditVerifiers(node.location.dataDir, ids);
  const file = readWitnessFile(auditWitnessPath(node.location.dataDir, env), verifiers, origin);
  const peer = await readPeerCosignatures(node, origin);
  const witnesses = [file.report, ...(peer.report ? [peer.report] : [])];
  const result = await verifyAuditLog(node.db, {
    ...verifyOptions,
    verifiers,
    origin,
    witnessed: [...file.witnessed, ...peer.witnessed],
  });
  if (!result.ok) return { ...result, witnesses, error: auditFailureError(result) };
  const problem = file.problem ?? peer.problem;
  if (problem !== null) {
    // The log matches the witnesses that could be used; one that could not is an alarm of its own.
    return {
      ok: false,
      firstBadIndex: 0,
      provenIntactBefore: 0,
      firstAltered: null,
      finding: { kind: "other" },
      deletedCheckpoints: [],
      problem: `the witness ${problem.witness} cannot be trusted: ${problem.problem}`,
      size: result.size,
      checkpointsVerified: result.checkpointsVerified,
      bytesHashed: result.bytesHashed,
      witnesses,
      error: new DomainError("AUDIT_WITNESS_INVALID", { witness: problem.witness, problem: problem.problem }),
    };
  }
  return { ...result, witnesses };
}

/**
 * Signs a checkpoint of the node's log now, keeps it in `audit_checkpoints` and appends it to the
 * witness file (unless the file's last note is that very checkpoint); returns it with the log's
 * head and where it was witnessed. Refuses (AUDIT_CHECKPOINT_REFUSED, nothing signed) when the log
 * no longer extends the newest checkpoint the witness file holds: the node never signs a
 * rewritten log. A stored checkpoint the file could not take is AUDIT_WITNESS_WRITE_FAILED.
 */
export async function signNodeAuditCheckpoint(
  node: OpenNode,
  at: Date,
  options: {
    env?: NodeJS.ProcessEnv;
    /** The key to sign with (default: the node's, from where it is read); a rotation names the old or the new one. */
    signer?: NoteSigner;
  } = {},
) {
  const ids = idsOf(node);
  const origin = auditLogOrigin(ids);
  const signer = options.signer ?? loadAuditSigner(node.location.dataDir, ids);
  const witnessPath = auditWitnessPath(node.location.dataDir, options.env);
  let last: string | null;
  try {
    last = readLastAuditWitness(witnessPath);
  } catch (error) {
    throw new DomainError("AUDIT_WITNESS_INVALID", {
      witness: witnessPath,
      problem: `its last line is unreadable: ${String(error)}`,
    });
  }
  if (last !== null) {
    let witnessed: SignedCheckpoint;
    try {
      witnessed = openCheckpoint(last, loadAuditVerifiers(node.location.dataDir, ids), origin);
    } catch (error) {
      const why = error instanceof SignedNoteError ? error.message : String(error);
      throw new DomainError("AUDIT_WITNESS_INVALID", {
        witness: witnessPath,
        problem: `its last line is not a checkpoint of this log signed by the node: ${why}`,
      });
    }
    await refuseUnlessExtends(node, witnessed, witnessPath);
  }
  // A checkpoint of this very size may be signed already, by a key a rotation has replaced since
  // (A4.1.1): it stands as it is (it verifies with the retired key), nothing is signed again.
  const latest = await readLatestCheckpointNote(node.db);
  const sizeNow = (await readAuditHead(node.db)).size;
  const checkpoint =
    latest !== null && latest.size === sizeNow
      ? openCheckpoint(
          latest.note,
          [verifierOf(signer), ...loadAuditVerifiers(node.location.dataDir, ids)],
          origin,
        )
      : await signAuditCheckpoint(node.db, signer, origin, at);
  const head = await readAuditHead(node.db);
  if (last !== checkpoint.note) {
    try {
      appendAuditWitness(witnessPath, checkpoint.note);
    } catch (error) {
      throw new DomainError("AUDIT_WITNESS_WRITE_FAILED", { witness: witnessPath, problem: String(error) });
    }
  }
  return { checkpoint, head, witnessPath };
}

/** Throws AUDIT_CHECKPOINT_REFUSED unless the stored log (its head) extends `witnessed` (RFC 9162 consistency). */
async function refuseUnlessExtends(
  node: OpenNode,
  witnessed: SignedCheckpoint,
  witnessPath: string,
): Promise<void> {
  const head = await readAuditHead(node.db);
  const refuse = () =>
    new DomainError("AUDIT_CHECKPOINT_REFUSED", {
      witness: witnessPath,
      size: head.size,
      witnessedSize: witnessed.size,
    });
  if (head.size < witnessed.size) throw refuse();
  let proof: Buffer[];
  try {
    proof = await proveAuditConsistency(node.db, witnessed.size, head.size);
  } catch {
    // The stored hashes a proof needs are missing: the log was cut or rewritten.
    throw refuse();
  }
  const current = { origin: witnessed.origin, size: head.size, root: head.root };
  if (checkConsistency(witnessed, current, proof) !== null) throw refuse();
}
