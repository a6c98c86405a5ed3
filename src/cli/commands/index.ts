import type { Command } from "commander";
import { registerNodeCommands } from "./node.ts";

/** Every verb group of the CLI. Add a group by importing its `register…` function here. */
export function registerCommands(program: Command): void {
  void program;
  registerNodeCommands(program);
}
