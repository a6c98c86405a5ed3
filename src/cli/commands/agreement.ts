import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import type { AgreementPack } from "../../domain/agreement/pack-schema.ts";
import type { Language } from "../../domain/language.ts";
import type { OutputOptions } from "../output.ts";
import { printResult, resolveLanguage } from "../output.ts";

/** `kelisim agreement …`: what an agreement pack says (A2.1 level table, Parties, deadlines). */
export function registerAgreementCommands(program: Command): void {
  const agreement = program
    .command("agreement")
    .description("agreement packs: levels, markings, Parties, deadlines");
  agreement
    .command("show")
    .description("print an agreement's level table with every marking (A2.1), its Parties and deadlines")
    .argument("<id>", "agreement pack id, e.g. kz-am-2025")
    .option("--json", "print JSON")
    .action(async (id: string, options: OutputOptions, command: Command) => {
      const pack = await loadAgreementPack(id);
      const lang = resolveLanguage(command.optsWithGlobals<{ lang?: string }>().lang);
      printResult(options, () => renderAgreement(pack, lang), describeAgreement(pack));
    });
}

/** The JSON form of `agreement show`. */
export function describeAgreement(pack: AgreementPack) {
  return {
    id: pack.id,
    oid: pack.oid,
    title: pack.title,
    parties: pack.parties.map((p) => ({
      code: p.code,
      name: p.name,
      competentAuthority: p.competentAuthority.name,
      timeZone: p.timeZone,
      markingLanguage: p.markingLanguage,
      securityPolicyOid: p.securityPolicyOid,
    })),
    levels: [...pack.levels]
      .sort((a, b) => b.rank - a.rank)
      .map((l) => ({
        rank: l.rank,
        id: l.id,
        workingName: l.workingName.en,
        essClassification: l.essClassification,
        markings: Object.fromEntries(pack.parties.map((p) => [p.code, l.markings[p.markingLanguage]])),
        equivalent: { [pack.equivalentMarkingLanguage]: l.markings[pack.equivalentMarkingLanguage] },
      })),
    deadlines: pack.deadlines,
    channels: pack.channels.map((c) => ({ id: c.id, kind: c.kind, name: c.name, articles: c.articles })),
    predecessor: pack.predecessor,
  };
}

function renderAgreement(pack: AgreementPack, lang: Language): string {
  const header = ["rank", ...pack.parties.map((p) => `${p.code} (${p.markingLanguage})`)];
  header.push(`equivalent (${pack.equivalentMarkingLanguage})`, "working name (en)");
  const rows = [...pack.levels]
    .sort((a, b) => b.rank - a.rank)
    .map((l) => [
      String(l.rank),
      ...pack.parties.map((p) => l.markings[p.markingLanguage] ?? "—"),
      l.markings[pack.equivalentMarkingLanguage] ?? "—",
      l.workingName.en,
    ]);
  const lines = [
    `${pack.id} — ${pack.title[lang]}`,
    "",
    ...pack.parties.map((p) => `${p.code}: ${p.name[lang]} — ${p.competentAuthority.name[lang]} (A3.1)`),
    "",
    "Classification levels (A2.1), highest first:",
    ...table([header, ...rows]),
    "",
    "Deadlines:",
    ...Object.entries(pack.deadlines).map(
      ([name, d]) => `  ${name}: ${d.duration} (${d.basis}, ${d.articles.join(", ")}) — ${d.note[lang]}`,
    ),
    "",
    `Channels (A5.6, A5.7): ${pack.channels.map((c) => c.name[lang]).join("; ")}`,
    `Replaces (D3): ${pack.predecessor.title[lang]}`,
  ];
  return lines.join("\n");
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...(r[i] ?? "")].length)));
  return rows.map((r) =>
    `  ${r.map((cell, i) => cell + " ".repeat(widths[i]! - [...cell].length)).join("  ")}`.trimEnd(),
  );
}
