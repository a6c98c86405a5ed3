import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Every verb group of the CLI: its top-level verbs and how to load it. Only the group named on the
 * command line is imported (a group pulls in its layers: crypto, store, web…), so that
 * `kelisim seal` does not pay for the web server in start-up time and memory. Help, or a verb that
 * is not listed, loads every group. Add a group by adding a line here; `index.test.ts` checks that
 * each group registers exactly the verbs listed.
 */
export const COMMAND_GROUPS: readonly { verbs: readonly string[]; load: () => Promise<Register> }[] = [
  { verbs: ["agreement"], load: async () => (await import("./agreement.ts")).registerAgreementCommands },
  { verbs: ["marking"], load: async () => (await import("./marking.ts")).registerMarkingCommands },
  { verbs: ["node"], load: async () => (await import("./node.ts")).registerNodeCommands },
  { verbs: ["org"], load: async () => (await import("./org.ts")).registerOrgCommands },
  { verbs: ["person"], load: async () => (await import("./person.ts")).registerPersonCommands },
  { verbs: ["pki"], load: async () => (await import("./pki.ts")).registerPkiCommands },
  { verbs: ["seal", "open"], load: async () => (await import("./seal.ts")).registerSealCommands },
  { verbs: ["contract"], load: async () => (await import("./contract.ts")).registerContractCommands },
  { verbs: ["carrier"], load: async () => (await import("./carrier.ts")).registerCarrierCommands },
  { verbs: ["serve", "account"], load: async () => (await import("./serve.ts")).registerServeCommands },
  { verbs: ["demo"], load: async () => (await import("./demo.ts")).registerDemoCommands },
  { verbs: ["audit"], load: async () => (await import("./audit.ts")).registerAuditCommands },
  {
    verbs: ["exchange", "courier"],
    load: async () => (await import("./courier.ts")).registerCourierCommands,
  },
  { verbs: ["visit"], load: async () => (await import("./visit.ts")).registerVisitCommands },
  { verbs: ["breach"], load: async () => (await import("./breach.ts")).registerBreachCommands },
  { verbs: ["import"], load: async () => (await import("./import.ts")).registerImportCommands },
  { verbs: ["authority"], load: async () => (await import("./authority.ts")).registerAuthorityCommands },
  {
    verbs: ["transfer", "consent"],
    load: async () => (await import("./transfer.ts")).registerTransferCommands,
  },
];

/** Registers the verb groups that `argv` needs: the one it names, or all of them. */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  // The first word that is neither an option nor the value of the global `--lang` option.
  const verb = args.find((arg, i) => !arg.startsWith("-") && args[i - 1] !== "--lang");
  const named = COMMAND_GROUPS.find((group) => verb !== undefined && group.verbs.includes(verb));
  for (const group of named ? [named] : COMMAND_GROUPS) (await group.load())(program);
}
