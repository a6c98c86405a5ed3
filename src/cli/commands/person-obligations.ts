// `kelisim person show-obligations | acknowledge-obligations`: the acting person (`--as`) reads the
// current text of the obligations they take on under their state's law, and acknowledges the version
// they read (A4.4). Until they do, no carrier's record or content is shown to them.

import type { Command } from "commander";
import { acknowledgeObligations, showObligations } from "../../app/people/acknowledge-obligations.ts";
import { DomainError } from "../../domain/errors.ts";
import { isLanguage, LANGUAGES, type Language } from "../../domain/language.ts";
import { printResult } from "../output.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

function languageOption(value: string | undefined): Language | undefined {
  if (value === undefined) return undefined;
  if (!isLanguage(value))
    throw new DomainError("INPUT_INVALID", { field: "language", problem: `use ${LANGUAGES.join(", ")}` });
  return value;
}

export function registerObligationCommands(person: Command): void {
  addNodeOptions(
    person
      .command("show-obligations")
      .description("the obligations under your state's law that you acknowledge before any access (A4.4)")
      .option("--language <lang>", "kk, hy, ru or en (default: the Party's language)"),
    true,
  ).action(async (options: ActingCommandOptions & { language?: string }) => {
    const asked = languageOption(options.language);
    const view = await withNodeApp(options, (ctx) => showObligations(ctx, { actor: actingPerson(options) }));
    const lang = asked ?? view.defaultLanguage;
    printResult(
      options,
      () =>
        [
          `${view.title[lang]} (${view.party}, ${view.version}; ${view.articles.join(", ")})`,
          "",
          ...view.paragraphs.map((p, i) => `${i + 1}. ${p[lang]}`),
          "",
          view.note[lang],
          "",
          view.acknowledged
            ? `acknowledged ${view.acknowledged.at} (${view.acknowledged.language})`
            : `not acknowledged: kelisim person acknowledge-obligations --version ${view.version} --language ${lang} --as ${options.as}`,
        ].join("\n"),
      view,
    );
  });

  addNodeOptions(
    person
      .command("acknowledge-obligations")
      .description("acknowledge the obligations text you read (A4.4): needed before your first access")
      .requiredOption("--version <version>", "the version you read (as show-obligations prints it)")
      .option("--language <lang>", "the language you read it in: kk, hy, ru or en (default: the Party's)"),
    true,
  ).action(async (options: ActingCommandOptions & { version: string; language?: string }) => {
    const language = languageOption(options.language);
    const result = await withNodeApp(options, (ctx) =>
      acknowledgeObligations(ctx, {
        actor: actingPerson(options),
        version: options.version,
        ...(language ? { language } : {}),
      }),
    );
    printResult(
      options,
      () =>
        result.changed
          ? `${result.person} acknowledged the obligations ${result.version} (${result.language}) at ${result.acknowledgedAt} (A4.4)`
          : `${result.person} had acknowledged the obligations ${result.version} at ${result.acknowledgedAt}`,
      result,
    );
  });
}
