// `kelisim backup` and `kelisim restore` (A1.8, A4.1.1, A6.2): an online, consistent, encrypted
// backup of the node, and its restore with every destruction since the backup applied again.
import type { Command } from "commander";
import { backupNode } from "../../app/backup/backup-node.ts";
import { restoreNode } from "../../app/backup/restore-node.ts";
import { resolveNodeLocation } from "../../node/node-location.ts";
import { printResult } from "../output.ts";
import { addNodeOptions, type NodeCommandOptions } from "./node.ts";

type BackupOptions = NodeCommandOptions & { out: string; keyFile?: string };
type RestoreOptions = NodeCommandOptions & { in: string; keyFile?: string };

const KEY_FILE_HELP =
  "a file holding the backup key (32 bytes, base64), kept apart from the node; default: KELISIM_BACKUP_KEY";

export function registerBackupCommands(program: Command): void {
  addNodeOptions(
    program
      .command("backup")
      .description(
        "an online, consistent, encrypted backup of the node (A1.8, A4.1.1): database, blobs, bucket key store, pki, exchange, node.json; never the node wrapping key or the audit signing key",
      )
      .requiredOption("--out <file>", "the backup file to write")
      .option("--key-file <file>", KEY_FILE_HELP),
  ).action(async (options: BackupOptions) => {
    const result = await backupNode({
      location: resolveNodeLocation(options),
      out: options.out,
      keyFile: options.keyFile,
    });
    printResult(
      options,
      () =>
        [
          `backup ${result.manifest.backupId} written to ${result.file} (${result.sizeBytes} bytes, SHA-256 ${result.sha256})`,
          `${result.manifest.parts.length} parts; audit log of ${result.manifest.audit.size} entries`,
          "A1.8: until deleted, this file holds keys that open carriers destroyed after it was taken",
        ].join("\n"),
      {
        file: result.file,
        sha256: result.sha256,
        sizeBytes: result.sizeBytes,
        manifest: result.manifest,
      },
    );
  });

  addNodeOptions(
    program
      .command("restore")
      .description(
        "restore the node (stopped) from a backup: checked whole first; destructions since it are applied again (A1.8); the witness file records the restore (A4.1.1, A6.2)",
      )
      .requiredOption("--in <file>", "the backup file to restore")
      .option("--key-file <file>", KEY_FILE_HELP),
  ).action(async (options: RestoreOptions) => {
    const result = await restoreNode({
      location: resolveNodeLocation(options),
      file: options.in,
      keyFile: options.keyFile,
    });
    printResult(
      options,
      () =>
        [
          `restored node ${result.nodeId} from backup ${result.backup} taken ${result.takenAt}: audit log of ${result.auditSize} entries`,
          result.lostEntries.to > result.lostEntries.from
            ? `entries ${result.lostEntries.from}..${result.lostEntries.to} of the previous audit log are lost`
            : "no entry of the previous audit log is known to be lost",
          `A1.8: ${result.reapplied.length} destruction(s) since the backup applied again (${result.destructionLog})${result.reapplied.map((r) => `\n  ${r.registrationNumber} copy ${r.copyNumber}, destroyed ${r.destroyedAt}`).join("")}`,
          result.witness.recorded
            ? `the restore is recorded in the witness file ${result.witness.path}`
            : `the restore is NOT recorded in the witness file ${result.witness.path} (${result.witness.problem}): \`kelisim audit verify\` will report the log as cut`,
          result.checkpoint.size !== null
            ? `checkpoint of ${result.checkpoint.size} entries signed`
            : `no checkpoint signed: ${result.checkpoint.problem}`,
          ...result.erasure.pending,
        ].join("\n"),
      result,
    );
  });
}
