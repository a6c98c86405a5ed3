// `kelisim node …`: initialise and show a Party's node. Also the helpers every node-bound verb uses:
// `--data DIR` (else KELISIM_DATA, else ./.kelisim), DATABASE_URL for PostgreSQL, `--json`, and
// `--as <person>` naming the acting person. The CLI is an operator's tool on the node's own machine:
// whoever can run it can read the data directory, so `--as` says on whose behalf (and with whose
// roles, clearances and need-to-know) an action is decided and audited; it is not an authentication.
import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { type AppContext, createAppContext } from "../../app/context.ts";
import { nodeCounts } from "../../app/exchange/operations.ts";
import { initNode } from "../../app/node/init-node.ts";
import { DomainError } from "../../domain/errors.ts";
import { type OpenNode, openNode, resolveNodeLocation } from "../../node/open-node.ts";
import { printResult } from "../output.ts";

export type NodeCommandOptions = { data?: string; json?: boolean };
export type ActingCommandOptions = NodeCommandOptions & { as?: string };

/** Adds `--data` and `--json` (and `--as` when the verb acts on someone's behalf). */
export function addNodeOptions(command: Command, acting = false): Command {
  command
    .option(
      "--data <dir>",
      "the node's data directory (default: KELISIM_DATA or ./.kelisim); DATABASE_URL selects PostgreSQL",
    )
    .option("--json", "print JSON");
  if (acting)
    command.option("--as <person>", "the acting person (handle), whose rights decide and who is audited");
  return command;
}

/** The acting person of `--as`, required. */
export function actingPerson(options: ActingCommandOptions): string {
  if (!options.as)
    throw new DomainError("INPUT_INVALID", { field: "as", problem: "name the acting person: --as <handle>" });
  return options.as;
}

/** Opens the node of the options, runs `work` with its use-case context, and closes it. */
export async function withNodeApp<T>(
  options: NodeCommandOptions,
  work: (ctx: AppContext, node: OpenNode) => Promise<T>,
): Promise<T> {
  const node = await openNode(resolveNodeLocation(options));
  try {
    const pack = await loadAgreementPack(node.config.agreementId);
    return await work(createAppContext(node, pack), node);
  } finally {
    await node.close();
  }
}

export function registerNodeCommands(program: Command): void {
  const node = program.command("node").description("a Party's node: data directory, database, keys");

  addNodeOptions(
    node
      .command("init")
      .description(
        "make the data directory (or DATABASE_URL) a new node of a Party, with its competent authority and a first administrator",
      )
      .requiredOption("--party <code>", "the node's Party: KZ or AM")
      .option("--agreement <id>", "agreement pack", "kz-am-2025")
      .option(
        "--registration-format <format>",
        "registration numbers: {party} {year} {seq:N}",
        "{party}-{year}-{seq:6}",
      )
      .option("--admin <handle>", "handle of the first administrator", "admin")
      .option("--admin-name <name>", "name of the first administrator", "Administrator"),
  ).action(
    async (
      options: NodeCommandOptions & {
        party: string;
        agreement: string;
        registrationFormat: string;
        admin: string;
        adminName: string;
      },
    ) => {
      const location = resolveNodeLocation(options);
      const result = await initNode({
        location,
        party: options.party,
        agreementId: options.agreement,
        registrationFormat: options.registrationFormat,
        admin: { handle: options.admin, name: options.adminName },
      });
      printResult(
        options,
        () =>
          [
            `node ${result.config.nodeId} of ${result.config.party} initialised in ${location.dataDir}`,
            `database: ${result.dialect === "sqlite" ? "SQLite (WAL, synchronous=FULL)" : "PostgreSQL (DATABASE_URL)"}`,
            `competent authority: ${result.competentAuthority.name} (${result.competentAuthority.id})`,
            `administrator: ${result.administrator.handle}`,
            `registration numbers: ${result.config.registrationFormat}`,
            `audit checkpoint key: ${result.auditVerifierKey}`,
          ].join("\n"),
        {
          node: result.config,
          dataDir: location.dataDir,
          dialect: result.dialect,
          competentAuthority: result.competentAuthority,
          administrator: result.administrator,
          auditVerifierKey: result.auditVerifierKey,
        },
      );
    },
  );

  addNodeOptions(node.command("show").description("the node's configuration and database")).action(
    async (options: NodeCommandOptions) => {
      await withNodeApp(options, async (ctx, opened) => {
        const counts = await nodeCounts(ctx);
        printResult(
          options,
          () =>
            [
              `node ${ctx.config.nodeId} of ${ctx.config.party} (agreement ${ctx.config.agreementId})`,
              `data directory: ${opened.location.dataDir}`,
              `database: ${ctx.dialect}`,
              `registration numbers: ${ctx.config.registrationFormat}`,
              ...Object.entries(counts).map(([k, v]) => `${k}: ${v}`),
            ].join("\n"),
          { node: ctx.config, dataDir: opened.location.dataDir, dialect: ctx.dialect, counts },
        );
      });
    },
  );
}
