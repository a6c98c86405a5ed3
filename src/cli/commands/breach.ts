// `kelisim breach …`: the verbs of Article 11 breaches.
import type { Command } from "commander";

export function registerBreachCommands(program: Command): void {
  program.command("breach").description("A11: breaches and their investigation");
}
