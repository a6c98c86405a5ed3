// `kelisim import --file F [--format csv|json] [--dry-run]`: records of the repealed 2015 agreement
// (D3) imported into the registry, protected from then on as every carrier is (A15.3). The format is
// docs/import-2015.md. The verb reads and parses the file, calls the one use case and prints its
// report: the carriers with their new numbers (or, in a dry run, what would be imported) and every
// problem with its line and field, in the user's language. A refused import exits 1.
import { readFileSync } from "node:fs";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { type ImportReport, importPredecessorRecords } from "../../app/import/import-predecessor-records.ts";
import {
  formatOfFileName,
  IMPORT_FORMATS,
  type ImportFormat,
  parseImportFile,
} from "../../app/import/predecessor-format.ts";
import { DomainError, describeError } from "../../domain/errors.ts";
import type { Language } from "../../domain/language.ts";
import { printResult, resolveLanguage } from "../output.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

type ImportOptions = ActingCommandOptions & { file: string; format?: string; dryRun?: boolean };

const HEADINGS: Record<
  Language,
  { done: string; dry: string; refused: string; problems: string; more: string }
> = {
  en: {
    done: "{rows} record(s) of {origin} read, {n} imported",
    dry: "dry run: {rows} record(s) of {origin} read, {n} would be imported, {p} problem(s)",
    refused: "{rows} record(s) of {origin} read, nothing imported: {p} problem(s)",
    problems: "problems:",
    more: "… and {n} more",
  },
  kk: {
    done: "{origin} бойынша {rows} жазба оқылды, {n} импортталды",
    dry: "тексеру: {origin} бойынша {rows} жазба оқылды, {n} импортталар еді, {p} қате",
    refused: "{origin} бойынша {rows} жазба оқылды, ештеңе импортталмады: {p} қате",
    problems: "қателер:",
    more: "… тағы {n}",
  },
  hy: {
    done: "{origin}-ի {rows} գրառում կարդացվեց, {n}-ը ներմուծվեց",
    dry: "ստուգում. {origin}-ի {rows} գրառում կարդացվեց, {n}-ը կներմուծվեր, {p} խնդիր",
    refused: "{origin}-ի {rows} գրառում կարդացվեց, ոչինչ չներմուծվեց. {p} խնդիր",
    problems: "խնդիրներ.",
    more: "… և ևս {n}",
  },
  ru: {
    done: "прочитано записей {origin}: {rows}, импортировано: {n}",
    dry: "проверка: прочитано записей {origin}: {rows}, будет импортировано: {n}, проблем: {p}",
    refused: "прочитано записей {origin}: {rows}, ничего не импортировано, проблем: {p}",
    problems: "проблемы:",
    more: "… и ещё {n}",
  },
};

/** Carriers listed one per line before the rest are counted (all of them with --json). */
const SHOWN = 50;

function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole));
}

function checkFormat(value: string | undefined, file: string): ImportFormat {
  if (value === undefined) return formatOfFileName(file);
  if (!(IMPORT_FORMATS as readonly string[]).includes(value))
    throw new DomainError("INPUT_INVALID", {
      field: "format",
      problem: `use ${IMPORT_FORMATS.join(" or ")}`,
    });
  return value as ImportFormat;
}

/** The report as JSON: each problem with its code, articles and message in `lang`. */
export function reportJson(report: ImportReport, lang: Language) {
  return {
    ...report,
    problems: report.problems.map((p) => ({
      line: p.line,
      field: p.field,
      code: p.error.code,
      articles: [...p.error.articles],
      message: describeError(p.error, lang),
    })),
  };
}

function human(report: ImportReport, lang: Language): string {
  const t = HEADINGS[lang];
  const values = {
    rows: report.rows,
    origin: report.origin,
    n: report.carriers.length,
    p: report.problems.length,
  };
  const lines = [
    fill(report.outcome === "imported" ? t.done : report.outcome === "dry-run" ? t.dry : t.refused, values),
  ];
  for (const c of report.carriers.slice(0, SHOWN)) {
    const markings = c.nationalMarking ? `${c.marking} / ${c.nationalMarking}` : c.marking;
    const number = c.registrationNumber ? `  → ${c.registrationNumber}` : "";
    lines.push(`  ${c.line}: ${c.oldNumber}/${c.copy}  ${markings}  [${c.levelId}]  ${c.custodian}${number}`);
  }
  if (report.carriers.length > SHOWN) lines.push(`  ${fill(t.more, { n: report.carriers.length - SHOWN })}`);
  if (report.problems.length > 0) {
    lines.push(t.problems);
    for (const p of report.problems.slice(0, SHOWN)) lines.push(`  ${describeError(p.error, lang)}`);
    if (report.problems.length > SHOWN)
      lines.push(`  ${fill(t.more, { n: report.problems.length - SHOWN })}`);
  }
  return lines.join("\n");
}

/** A progress bar on a terminal (stderr) while the records are written; nothing for scripts. */
function progressBar(options: ImportOptions): {
  update: (done: number, total: number) => void;
  stop: () => void;
} {
  if (options.json || !process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    format: "import [{bar}] {percentage}% | {value}/{total} records",
    stream: process.stderr,
    hideCursor: true,
  });
  let started = false;
  return {
    update: (done, total) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export function registerImportCommands(program: Command): void {
  addNodeOptions(
    program
      .command("import")
      .description(
        "import carriers of the repealed 2015 agreement into the registry (D3, A15.3); format: docs/import-2015.md",
      )
      .requiredOption("--file <path>", "the records: CSV with a header row, or a JSON array")
      .option("--format <format>", "csv or json (default: from the file name, else csv)")
      .option("--dry-run", "check every record and report what would be imported; write nothing"),
    true,
  ).action(async (options: ImportOptions) => {
    const lang = resolveLanguage(program.opts<{ lang?: string }>().lang);
    const format = checkFormat(options.format, options.file);
    const text = readFileSync(options.file, "utf8");
    const actor = actingPerson(options);
    await withNodeApp(options, async (ctx) => {
      const bar = progressBar(options);
      let report: ImportReport;
      try {
        report = await importPredecessorRecords(ctx, {
          actor,
          file: parseImportFile(text, format),
          ...(options.dryRun ? { dryRun: true } : {}),
          onProgress: bar.update,
        });
      } finally {
        bar.stop();
      }
      printResult(options, () => human(report, lang), reportJson(report, lang));
      // A dry run that found problems fails too: a script checking a file before the import must see it.
      if (report.outcome === "refused" || report.problems.length > 0) process.exitCode = 1;
    });
  });
}
