/**
 * The restore record of the audit witness file (A4.1.1, A6.2): after `kelisim restore` the log is the
 * backup's, shorter than checkpoints the witness file holds. The restore appends a checkpoint of the
 * restored log (size N, root R), signed with the node's audit signing key, that carries one
 * extension line saying so:
 *
 * ```
 * kelisim-restore at=<ISO time> backup=<backup id> lost=<N>..<M>
 * ```
 *
 * (entries N…M−1 of the previous log are lost: M is the largest size the previous log was known to
 * reach). `verifyNodeAuditLog` reads it as what it is: the witnessed checkpoints before it that are
 * larger than N are not compared any more and are reported as lost to a restore — never silently —
 * while every other checkpoint, the record itself included, must still match the log.
 */

const PREFIX = "kelisim-restore ";

/** What a restore record states besides its checkpoint's size and root. */
export type RestoreStatement = {
  readonly at: string;
  readonly backup: string;
  /** The lost range of the previous log: entries `[from, to)`. */
  readonly lost: { readonly from: number; readonly to: number };
};

/** The extension line of a restore record. */
export function formatRestoreExtension(s: RestoreStatement): string {
  return `${PREFIX}at=${s.at} backup=${s.backup} lost=${s.lost.from}..${s.lost.to}`;
}

/** The restore statement among a checkpoint's extension lines, or null if it is an ordinary checkpoint. */
export function restoreStatementOf(extensions: readonly string[] | undefined): RestoreStatement | null {
  for (const line of extensions ?? []) {
    if (!line.startsWith(PREFIX)) continue;
    const m = /^kelisim-restore at=(\S+) backup=(\S+) lost=(\d+)\.\.(\d+)$/.exec(line);
    if (!m) continue;
    return { at: m[1]!, backup: m[2]!, lost: { from: Number(m[3]), to: Number(m[4]) } };
  }
  return null;
}
