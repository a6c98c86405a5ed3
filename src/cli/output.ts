/** Shared output helpers of the CLI: human text by default, `--json` for scripts. */
import { DomainError, describeError, isRuleRefusal } from "../domain/errors.ts";
import type { Language } from "../domain/language.ts";
import { isLanguage } from "../domain/language.ts";

export type OutputOptions = { json?: boolean };

/** Prints `value` as JSON when `--json` was given, else the human text. */
export function printResult(options: OutputOptions, human: () => string, value: unknown): void {
  if (options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/**
 * The user's language: `--lang`, else `KELISIM_LANG`, else English. An unknown value falls back
 * to English here (an error message must always be printable); commands that take a language
 * argument validate it themselves.
 */
export function resolveLanguage(lang?: string): Language {
  for (const candidate of [lang, process.env.KELISIM_LANG]) {
    if (isLanguage(candidate)) return candidate;
  }
  return "en";
}

/**
 * Prints an error on stderr and returns the exit code: 1 for a refusal by a rule, 2 for anything
 * else (bad input, a broken agreement pack, an unexpected failure). A DomainError is printed as
 * `kelisim: A2.1 — <message in the user's language>`.
 */
export function reportError(error: unknown, lang?: string): number {
  if (error instanceof DomainError) {
    process.stderr.write(`kelisim: ${describeError(error, resolveLanguage(lang))}\n`);
    return isRuleRefusal(error) ? 1 : 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kelisim: ${message}\n`);
  return 2;
}
