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
import type { NodeKeyCustody } from "../../app/node/key-custody.ts";
import { AUDIT_SIGNING_KEY_FILE_ENV, rotateAuditSigningKey } from "../../app/node/rotate-audit-key.ts";
import {
  CONTENT_WRAP_KEY_ENV,
  CONTENT_WRAP_KEY_FILE_ENV,
  rotateContentWrapKey,
} from "../../app/node/rotate-wrap-key.ts";
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
      .option("--admin-name <name>", "name of the first administrator", "Administrator")
      .option(
        "--keys-dir <dir>",
        "make the audit signing key and the content wrapping key in this directory, outside the data directory (as `kelisim serve` needs, A4.1.1, A1.8)",
      ),
  ).action(
    async (
      options: NodeCommandOptions & {
        party: string;
        agreement: string;
        registrationFormat: string;
        admin: string;
        adminName: string;
        keysDir?: string;
      },
    ) => {
      const location = resolveNodeLocation(options);
      const result = await initNode({
        location,
        party: options.party,
        agreementId: options.agreement,
        registrationFormat: options.registrationFormat,
        admin: { handle: options.admin, name: options.adminName },
        ...(options.keysDir ? { keysDir: options.keysDir } : {}),
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
            ...keyAdvice(result.keys, location.dataDir),
          ].join("\n"),
        {
          node: result.config,
          dataDir: location.dataDir,
          dialect: result.dialect,
          competentAuthority: result.competentAuthority,
          administrator: result.administrator,
          auditVerifierKey: result.auditVerifierKey,
          keys: result.keys,
        },
      );
    },
  );

  addNodeOptions(
    node
      .command("rotate-wrap-key")
      .description(
        "replace the content wrapping key (A4.1.1, A6.2, A1.8): re-encrypts the bucket key store, TOTP secrets and visitors' sealed data; blobs untouched; audited",
      )
      .option(
        "--out <file>",
        "file outside the data directory for the new key (made if absent); default: replace the current key file in place",
      ),
  ).action(async (options: NodeCommandOptions & { out?: string }) => {
    await withNodeApp(options, async (_ctx, opened) => {
      const r = await rotateContentWrapKey(opened, options.out ? { out: options.out } : {});
      printResult(
        options,
        () =>
          [
            `content wrapping key ${r.oldKeyId} replaced by ${r.newKeyId} (A4.1.1, A6.2, A1.8)`,
            `re-encrypted: key store of ${r.bucketKeys} bucket key(s), ${r.totpSecrets} TOTP secret(s), ${r.personalData} visitor personal data; ${r.legacyRebucketed} pre-bucket content key(s) re-wrapped into buckets`,
            r.inPlace
              ? `the new key replaced ${r.keyFile}`
              : `the new key is in ${r.keyFile}: set ${CONTENT_WRAP_KEY_FILE_ENV}=${r.keyFile} (and unset ${CONTENT_WRAP_KEY_ENV}), or ${CONTENT_WRAP_KEY_ENV} to (shown once): ${r.newKeyBase64}`,
            "restart `kelisim serve` so that sign-in and visit data use the new key",
          ].join("\n"),
        r,
      );
    });
  });

  addNodeOptions(
    node
      .command("rotate-audit-key")
      .description(
        "replace the audit checkpoint signing key (A4.1.1, A6.2): the old key signs a checkpoint naming the new one and stays trusted for what it signed; audited",
      )
      .option(
        "--out <file>",
        "file outside the data directory for the new key (made if absent); default: replace the current key file in place",
      ),
  ).action(async (options: NodeCommandOptions & { out?: string }) => {
    await withNodeApp(options, async (_ctx, opened) => {
      const r = await rotateAuditSigningKey(opened, options.out ? { out: options.out } : {});
      printResult(
        options,
        () =>
          [
            `audit signing key replaced (A4.1.1, A6.2): ${r.oldVerifierKey} -> ${r.newVerifierKey}`,
            `handover checkpoint (size ${r.handoverSize}) signed by the old key, first checkpoint of the new key at size ${r.firstNewSize}; witness ${r.witnessPath}`,
            r.inPlace
              ? `the new key replaced ${r.keyFile}`
              : `the new key is in ${r.keyFile}: set ${AUDIT_SIGNING_KEY_FILE_ENV}=${r.keyFile} (and unset KELISIM_AUDIT_SIGNING_KEY)`,
            "give the new verifier key to the peer node and the auditors; restart `kelisim serve`",
          ].join("\n"),
        r,
      );
    });
  });

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

/** What `node init` says about where the keys are, and how a production node moves them out (A4.1.1, A1.8). */
function keyAdvice(keys: NodeKeyCustody, dataDir: string): string[] {
  const where = (k: NodeKeyCustody["auditSigningKey"]) => (k.kind === "env" ? k.variable : k.path);
  const lines = [
    `audit signing key: ${where(keys.auditSigningKey)}`,
    `content wrapping key: ${where(keys.contentWrapKey)}`,
  ];
  const inside = [
    keys.auditSigningKey.inDataDir ? `${AUDIT_SIGNING_KEY_FILE_ENV}=<dir>/audit-signing.key` : null,
    keys.contentWrapKey.inDataDir ? `${CONTENT_WRAP_KEY_FILE_ENV}=<dir>/node-wrap.key` : null,
  ].filter((l): l is string => l !== null);
  if (inside.length > 0)
    lines.push(
      `these keys lie in the data directory ${dataDir}: fine for local use, but \`kelisim serve\` refuses them (A4.1.1, A1.8).`,
      `before serving, move them to a directory <dir> outside it (or run init with --keys-dir) and set ${inside.join(" and ")}`,
    );
  return lines;
}
