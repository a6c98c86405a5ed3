import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import { equivalentMarking, findParty, levelOfMarking } from "../../domain/classification/levels.ts";
import type { OutputOptions } from "../output.ts";
import { printResult } from "../output.ts";

type EquivalentOptions = OutputOptions & { agreement: string; from: string; to: string };

/** `kelisim marking …`: classification markings and their equivalents (A2.1, A2.2). */
export function registerMarkingCommands(program: Command): void {
  const marking = program
    .command("marking")
    .description("classification markings and their equivalents (A2.1)");
  marking
    .command("equivalent")
    .description(
      "print the other Party's marking equivalent to a marking (A2.1); unknown markings are refused",
    )
    .argument("<marking>", 'the marking, e.g. "Өте құпия"')
    .requiredOption("--agreement <id>", "agreement pack id, e.g. kz-am-2025")
    .requiredOption("--from <party>", "Party whose marking is given, e.g. KZ")
    .requiredOption("--to <party>", "Party whose equivalent marking is wanted, e.g. AM")
    .option("--json", "print JSON")
    .action(async (text: string, options: EquivalentOptions) => {
      const pack = await loadAgreementPack(options.agreement);
      const from = options.from.toUpperCase();
      const to = options.to.toUpperCase();
      findParty(pack, to);
      const level = levelOfMarking(pack, from, text);
      const equivalent = equivalentMarking(pack, from, to, text);
      printResult(options, () => equivalent, {
        agreement: pack.id,
        from,
        to,
        marking: text,
        level: { rank: level.rank, id: level.id, workingName: level.workingName.en },
        equivalent,
        articles: ["A2.1", "A2.2"],
      });
    });
}
