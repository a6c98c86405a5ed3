import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every verb group of the CLI: its top-level verbs, what each does (`summary`, as the group
 * describes it), and how to load it. Only the group named on the command line is imported (a group
 * pulls in its layers: crypto, store, web…), so that `kelisim seal` does not pay for the web server
 * in start-up time and memory. Top-level help and an unknown verb import no group: they list the
 * verbs from `summary` (a group without one is loaded for them). Add a group by adding a line here;
 * `index.test.ts` checks that each group registers exactly the verbs listed, as summarised.
 */
export const COMMAND_GROUPS: readonly {
  verbs: readonly string[];
  load: () => Promise<Register>;
  summary?: Readonly<Record<string, string>>;
}[] = [
  {
    verbs: ["agreement"],
    load: async () => (await import("./agreement.ts")).registerAgreementCommands,
    summary: {
      agreement:
        "agreement packs (levels, markings, Parties, deadlines) and the agreement's life at a node (A15)",
    },
  },
  {
    verbs: ["marking"],
    load: async () => (await import("./marking.ts")).registerMarkingCommands,
    summary: { marking: "classification markings and their equivalents (A2.1)" },
  },
  {
    verbs: ["node"],
    load: async () => (await import("./node.ts")).registerNodeCommands,
    summary: { node: "a Party's node: data directory, database, keys" },
  },
  {
    verbs: ["org"],
    load: async () => (await import("./org.ts")).registerOrgCommands,
    summary: { org: "organisations of the node and their facility clearances" },
  },
  {
    verbs: ["person"],
    load: async () => (await import("./person.ts")).registerPersonCommands,
    summary: { person: "people of the node, their roles and clearances" },
  },
  {
    verbs: ["pki"],
    load: async () => (await import("./pki.ts")).registerPkiCommands,
    summary: {
      pki: "the Party's PKI: root CA, organisation certificates, revocation, the other Party's pinned root (A5.7)",
    },
  },
  {
    verbs: ["seal", "open"],
    load: async () => (await import("./seal.ts")).registerSealCommands,
    summary: {
      seal: "seal a carrier for electronic transfer (A5.7): signed by --from, encrypted to --to, labelled with --level",
      open: "open a sealed package addressed to an organisation of this node: nothing is written unless it all checks out",
    },
  },
  {
    verbs: ["contract"],
    load: async () => (await import("./contract.ts")).registerContractCommands,
    summary: { contract: "contracts between authorized bodies (A1.13, A7)" },
  },
  {
    verbs: ["carrier"],
    load: async () => (await import("./carrier.ts")).registerCarrierCommands,
    summary: { carrier: "the registry of carriers (A6.2)" },
  },
  {
    verbs: ["serve", "account"],
    load: async () => (await import("./serve.ts")).registerServeCommands,
    summary: {
      serve: "serve the node's HTTP API (OpenAPI at /docs) and web UI",
      account: "logins of the node's people (argon2id + TOTP)",
    },
  },
  {
    verbs: ["demo"],
    load: async () => (await import("./demo.ts")).registerDemoCommands,
    summary: {
      demo: "start the Kazakhstan and Armenia nodes on loopback with a demo world (SQLite under ./.kelisim/); prints URLs and demo logins",
    },
  },
  {
    verbs: ["audit"],
    load: async () => (await import("./audit.ts")).registerAuditCommands,
    summary: { audit: "the node's tamper-evident audit log (RFC 9162, signed checkpoints)" },
  },
  {
    verbs: ["backup", "restore"],
    load: async () => (await import("./backup.ts")).registerBackupCommands,
    summary: {
      backup:
        "an online, consistent, encrypted backup of the node (A1.8, A4.1.1): database, blobs, bucket key store, pki, exchange, node.json; never the node wrapping key or the audit signing key",
      restore:
        "restore the node (stopped) from a backup: checked whole first; destructions since it are applied again (A1.8); the witness file records the restore (A4.1.1, A6.2)",
    },
  },
  {
    verbs: ["exchange", "courier"],
    load: async () => (await import("./courier.ts")).registerCourierCommands,
    summary: {
      exchange: "the signed, encrypted link between the two Parties' nodes (A5.6, A5.7)",
      courier: "carry the messages for the peer as a file (state courier, diplomatic pouch: A5.6)",
    },
  },
  {
    verbs: ["visit"],
    load: async () => (await import("./visit.ts")).registerVisitCommands,
    summary: { visit: "A9: visits between the Parties" },
  },
  {
    verbs: ["breach"],
    load: async () => (await import("./breach.ts")).registerBreachCommands,
    summary: { breach: "A11: breaches and their investigation" },
  },
  {
    verbs: ["import"],
    load: async () => (await import("./import.ts")).registerImportCommands,
    summary: {
      import:
        "import carriers of the repealed 2015 agreement into the registry (D3, A15.3); format: docs/import-2015.md",
    },
  },
  {
    verbs: ["authority"],
    load: async () => (await import("./authority.ts")).registerAuthorityCommands,
    summary: {
      authority:
        "the competent authority: letters to the other Party's (A3, A8) and what it is informed of (A5.5, A6.7)",
    },
  },
  {
    verbs: ["transfer", "consent"],
    load: async () => (await import("./transfer.ts")).registerTransferCommands,
    summary: {
      transfer: "transfer of carriers to the other Party (A5)",
      consent: "the originator's written consent for Article 6 actions",
    },
  },
];

/**
 * Registers the verb groups that `argv` needs: the one it names (`kelisim help <verb>` names it
 * too), or, for top-level help and an unknown verb, each verb by its summary (commander lists them,
 * or names the unknown one and suggests the nearest).
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  // The words that are neither options nor the value of the global `--lang` option.
  const words = args.filter((arg, i) => !arg.startsWith("-") && args[i - 1] !== "--lang");
  const verb = words[0] === "help" ? words[1] : words[0];
  const named = COMMAND_GROUPS.find((group) => verb !== undefined && group.verbs.includes(verb));
  if (named) {
    (await named.load())(program);
    return;
  }
  for (const group of COMMAND_GROUPS) {
    const summary = group.summary;
    if (summary && group.verbs.every((v) => summary[v] !== undefined)) {
      for (const v of group.verbs) program.command(v).description(summary[v] ?? "");
    } else (await group.load())(program);
  }
}
