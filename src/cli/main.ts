import { Command, CommanderError } from "commander";
import { registerCommands } from "./commands/index.ts";
import { guardClosedStdout, reportError } from "./output.ts";

/** Builds the `kelisim` program for `argv`. Each verb group lives in `commands/<group>.ts`. */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command("kelisim")
    .description("Kelisim: the Kazakhstan–Armenia agreement on classified information, as software")
    .option("--lang <lang>", "language of messages: kk, hy, ru, en (default: KELISIM_LANG or en)")
    .showHelpAfterError()
    .exitOverride();
  await registerCommands(program, argv);
  return program;
}

/** Runs the CLI on `argv` and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  guardClosedStdout();
  const program = await buildProgram(argv);
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 64;
    }
    return reportError(error, program.opts<{ lang?: string }>().lang, argv.includes("--json"));
  }
}
