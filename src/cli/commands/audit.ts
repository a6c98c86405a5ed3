// `kelisim audit verify|checkpoint|search`: check the whole audit log (every entry against its leaf
// hash, the tree against the signed checkpoints), sign a checkpoint of it with the node key, and
// search it as an auditor or the competent authority (A4.2; the search is itself audited).
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import {
  type AuditWitnessReport,
  signNodeAuditCheckpoint,
  verifyNodeAuditLog,
} from "../../app/audit/log-operations.ts";
import { type AuditSearchRow, searchAudit } from "../../app/audit/search-audit.ts";
import { loadAuditVerifiers } from "../../audit/index.ts";
import { DomainError } from "../../domain/errors.ts";
import { openNode, resolveNodeLocation } from "../../node/open-node.ts";
import { printResult } from "../output.ts";
import {
  type ActingCommandOptions,
  actingPerson,
  addNodeOptions,
  type NodeCommandOptions,
  withNodeApp,
} from "./node.ts";

type VerifyOptions = NodeCommandOptions & { key?: string[]; checkpoint?: string[]; batch?: string };
type SearchOptions = ActingCommandOptions & {
  from?: string;
  to?: string;
  person?: string;
  event?: string;
  outcome?: string;
  object?: string;
  number?: string;
  limit?: string;
  cursor?: string;
};

const SEARCH_COLUMNS = ["time", "person", "event", "outcome", "object", "articles"] as const;

/** The rows as an aligned text table (one line per entry). */
function auditTable(rows: readonly AuditSearchRow[]): string {
  const cells = rows.map((r) => [r.at, r.actor, r.event, r.outcome, r.objectName, r.articles.join(" ")]);
  const widths = SEARCH_COLUMNS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) =>
    c
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(SEARCH_COLUMNS), ...cells.map(line)].join("\n");
}

/** What each witness of the log gave, one line each (which were compared, which could not be). */
function witnessLines(witnesses: readonly AuditWitnessReport[]): string[] {
  const lines = witnesses.map((w) => {
    const name = w.kind === "file" ? `witness file ${w.witness}` : `peer cosignatures ${w.witness}`;
    const state =
      w.state === "used"
        ? `${w.checkpoints} ${w.checkpoints === 1 ? "checkpoint" : "checkpoints"} compared, newest size ${w.newestSize}`
        : w.state === "empty"
          ? "holds no checkpoint yet"
          : "not usable";
    return `${name}: ${state}${w.remark ? ` (${w.remark})` : ""}`;
  });
  if (!witnesses.some((w) => w.state === "used"))
    lines.push(
      "no witness outside the database holds a checkpoint yet: a rewrite of the log together with its checkpoint rows would not show",
    );
  return lines;
}

export function registerAuditCommands(program: Command): void {
  const audit = program
    .command("audit")
    .description("the node's tamper-evident audit log (RFC 9162, signed checkpoints)");

  addNodeOptions(
    audit
      .command("verify")
      .description(
        "verify every audit entry and the signed checkpoints; names the first bad entry and exits non-zero unless the whole log holds",
      )
      .option(
        "--key <vkey...>",
        "also trust checkpoints signed by this verifier key (<name>+<id>+<key>), e.g. the peer node's",
      )
      .option(
        "--checkpoint <file...>",
        "also check against signed checkpoint notes kept outside the database (the peer's cosigned copy, a saved note)",
      )
      .option("--batch <n>", "entries read per query", "10000"),
  ).action(async (options: VerifyOptions) => {
    const node = await openNode(resolveNodeLocation(options));
    try {
      const ids = { party: node.config.party, nodeId: node.config.nodeId };
      const verifiers = loadAuditVerifiers(node.location.dataDir, ids, options.key ?? []);
      if (verifiers.length === 0) {
        throw new DomainError("AUDIT_CHECKPOINT_INVALID", {
          problem:
            "no trusted checkpoint key: the node's keys/audit-signing.pub is missing; give one with --key",
        });
      }
      const batchSize = Number(options.batch ?? "10000");
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new DomainError("INPUT_INVALID", { field: "batch", problem: "a positive whole number" });
      }
      const started = performance.now();
      const externalCheckpoints = (options.checkpoint ?? []).map((file) => {
        try {
          return readFileSync(file, "utf8");
        } catch (error) {
          throw new DomainError("INPUT_INVALID", {
            field: "checkpoint",
            problem: `${file}: ${String(error)}`,
          });
        }
      });
      // A log of 10^8 entries takes a while: show progress on an interactive terminal only.
      const showProgress = process.stderr.isTTY && !options.json;
      const result = await verifyNodeAuditLog(node, {
        verifiers,
        batchSize,
        externalCheckpoints,
        onProgress: showProgress
          ? (checked, total) => process.stderr.write(`\rverifying: ${checked} / ${total} entries`)
          : undefined,
      });
      if (showProgress) process.stderr.write("\n");
      const seconds = (performance.now() - started) / 1000;
      if (result.ok) {
        printResult(
          options,
          () =>
            [
              `audit log holds: ${result.size} ${result.size === 1 ? "entry" : "entries"}, root ${result.root.toString("base64")}`,
              result.checkpoint
                ? `newest signed checkpoint: size ${result.checkpoint.size} (${result.checkpointsVerified} ${result.checkpointsVerified === 1 ? "checkpoint" : "checkpoints"} verified)`
                : "no signed checkpoint yet: run `kelisim audit checkpoint`",
              ...witnessLines(result.witnesses),
              `${(result.bytesHashed / 1e6).toFixed(1)} MB of entries hashed in ${seconds.toFixed(2)} s`,
            ].join("\n"),
          {
            ok: true,
            size: result.size,
            root: result.root.toString("base64"),
            checkpoint: result.checkpoint
              ? { size: result.checkpoint.size, root: result.checkpoint.root.toString("base64") }
              : null,
            checkpointsVerified: result.checkpointsVerified,
            witnesses: result.witnesses,
            bytesHashed: result.bytesHashed,
            seconds,
          },
        );
        return;
      }
      if (options.json) {
        printResult(options, () => "", {
          ok: false,
          code: result.error.code,
          firstBadIndex: result.firstBadIndex,
          provenIntactBefore: result.provenIntactBefore,
          firstAltered: result.firstAltered,
          finding: result.finding,
          deletedCheckpoints: result.deletedCheckpoints,
          problem: result.problem,
          checked: result.size,
          witnesses: result.witnesses,
        });
      } else {
        const deleted = result.deletedCheckpoints.map((d) => d.size);
        process.stderr.write(
          [
            ...witnessLines(result.witnesses),
            result.problem,
            ...(deleted.length > 0 && result.finding.kind !== "checkpoints-deleted"
              ? [
                  `also: checkpoints of sizes ${deleted.join(", ")} a witness holds are missing from the database`,
                ]
              : []),
          ]
            .map((l) => `${l}\n`)
            .join(""),
        );
      }
      throw result.error;
    } finally {
      await node.close();
    }
  });

  addNodeOptions(
    audit
      .command("search")
      .description(
        "search the audit log, newest first (auditor or competent-authority officer; A4.2): filters combine; prints the next cursor",
      )
      .option("--from <instant>", "entries at or after this instant (ISO 8601)")
      .option("--to <instant>", "entries before this instant (ISO 8601)")
      .option("--person <person>", "the acting person (handle or id)")
      .option("--event <type>", "an event type, or a prefix ending in a dot (carrier.)")
      .option("--outcome <outcome>", "done, allowed, refused or failed")
      .option("--object <type:id>", "the object as recorded, e.g. carrier:<id>")
      .option("--number <number>", "a carrier's registration number (or NUMBER/COPY)")
      .option("--limit <n>", "entries per page (at most 200)", "50")
      .option("--cursor <index>", "the next cursor of the page before"),
    true,
  ).action(async (options: SearchOptions) => {
    const limit = Number(options.limit ?? "50");
    if (!Number.isSafeInteger(limit))
      throw new DomainError("INPUT_INVALID", { field: "limit", problem: "a whole number 1–200" });
    const filters = Object.fromEntries(
      (["from", "to", "person", "event", "outcome", "object", "number"] as const)
        .filter((k) => options[k] !== undefined)
        .map((k) => [k, options[k] as string]),
    );
    const page = await withNodeApp(options, (ctx) =>
      searchAudit(ctx, {
        actor: actingPerson(options),
        filters,
        limit,
        ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
      }),
    );
    printResult(
      options,
      () =>
        [
          page.items.length === 0 ? "no entries match" : auditTable(page.items),
          page.nextCursor !== null ? `next page: --cursor ${page.nextCursor}` : "no more entries",
        ].join("\n"),
      page,
    );
  });

  addNodeOptions(
    audit
      .command("checkpoint")
      .description(
        "sign a checkpoint (size, root) of the audit log with the node key, in the C2SP signed-note format",
      ),
  ).action(async (options: NodeCommandOptions) => {
    const node = await openNode(resolveNodeLocation(options));
    try {
      const { checkpoint, head, witnessPath } = await signNodeAuditCheckpoint(node, new Date());
      printResult(
        options,
        () =>
          [
            `signed checkpoint of the audit log: ${checkpoint.size} ${checkpoint.size === 1 ? "entry" : "entries"} (C2SP signed note; keep or hand it over as is):`,
            "",
            checkpoint.note.trimEnd(),
            "",
            `witnessed in ${witnessPath}`,
          ].join("\n"),
        {
          origin: checkpoint.origin,
          size: checkpoint.size,
          root: checkpoint.root.toString("base64"),
          note: checkpoint.note,
          logSize: head.size,
          witnessFile: witnessPath,
        },
      );
    } finally {
      await node.close();
    }
  });
}
