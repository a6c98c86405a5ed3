/** Shared output helpers of the CLI: human text by default, `--json` for scripts. */
import { DomainError, describeError, isRuleRefusal } from "../domain/errors.ts";
import type { Language } from "../domain/language.ts";
import { isLanguage } from "../domain/language.ts";

export type OutputOptions = { json?: boolean };

/** Whether a result went to stdout as JSON (a later error then adds no second document). */
let printedJson = false;

/** Whether the reader of stdout went away (`kelisim … | head`): later output is dropped. */
let stdoutClosed = false;
let stdoutGuarded = false;

/**
 * Makes a closed stdout (the reader of a pipe exited: EPIPE) end the output quietly instead of
 * crashing the process with an unhandled `error` event: what is still written is dropped, the
 * command runs to its end and its own exit code stands. Any other stdout error is rethrown as
 * before. Installed once, by `main`, before any verb writes.
 */
export function guardClosedStdout(stream: NodeJS.WriteStream = process.stdout): void {
  if (stdoutGuarded) return;
  stdoutGuarded = true;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    stdoutClosed = true;
  });
}

/** Prints `value` as JSON when `--json` was given, else the human text. */
export function printResult(options: OutputOptions, human: () => string, value: unknown): void {
  if (stdoutClosed) return;
  if (options.json) {
    process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    printedJson = true;
  } else process.stdout.write(`${human()}\n`);
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
 * `kelisim: A2.1 — <message in the user's language>`; with `--json`, stdout also gets
 * `{"error":{"code","articles","message"}}`.
 */
export function reportError(error: unknown, lang?: string, json = false): number {
  // A verb that streamed to the closed stdout and failed on it: the reader had what it wanted.
  if (stdoutClosed && (error as NodeJS.ErrnoException | undefined)?.code === "EPIPE") return 0;
  const language = resolveLanguage(lang);
  const coded = error instanceof DomainError ? error : fileErrorOf(error);
  const message = coded
    ? describeError(coded, language)
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`kelisim: ${message}\n`);
  // With --json a script also gets the refusal as data on stdout (its code and the rule it
  // enforces), unless the command already printed its result there (e.g. a failed `audit verify`).
  if (json && !printedJson && !stdoutClosed)
    process.stdout.write(
      `${JSON.stringify({ error: { code: coded?.code ?? "UNEXPECTED", articles: coded ? [...coded.articles] : [], message } })}\n`,
    );
  if (coded) return isRuleRefusal(coded) ? 1 : 2;
  return 2;
}

/**
 * A file the command was given (`--file`, `--in`, `--out`, a bundle…) or one the node uses, that the
 * system could not open, read or write, as the catalogue's FILE_NOT_FOUND / FILE_INACCESSIBLE: the
 * user reads which file in their language, not a raw `ENOENT: no such file or directory, open …`.
 * Any other error: null.
 */
export function fileErrorOf(error: unknown): DomainError | null {
  if (!(error instanceof Error)) return null;
  const { code, path } = error as NodeJS.ErrnoException;
  if (typeof code !== "string" || !/^E[A-Z]+$/.test(code) || typeof path !== "string") return null;
  return code === "ENOENT" || code === "ENOTDIR"
    ? new DomainError("FILE_NOT_FOUND", { file: path }, { cause: error })
    : new DomainError("FILE_INACCESSIBLE", { file: path, reason: code }, { cause: error });
}
