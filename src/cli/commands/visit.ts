// `kelisim visit …`: the verbs of Article 9 visits.
import type { Command } from "commander";

export function registerVisitCommands(program: Command): void {
  program.command("visit").description("A9: visits between the Parties");
}
