import type { Command } from "commander";
import { loadAgreementPack } from "../../agreements/load-pack.ts";
import {
  agreementOutstanding,
  sendAgreementNotice,
  showAgreement,
} from "../../app/agreement/agreement-life.ts";
import {
  AGREEMENT_NOTICE_KINDS,
  type AgreementNoticeKind,
  type AgreementView,
  type OutstandingReport,
} from "../../app/agreement/agreement-types.ts";
import type { AgreementPack } from "../../domain/agreement/pack-schema.ts";
import { DomainError } from "../../domain/errors.ts";
import type { Language } from "../../domain/language.ts";
import type { OutputOptions } from "../output.ts";
import { printResult, resolveLanguage } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";
import { registerProtocolCommands } from "./protocol.ts";

/**
 * `kelisim agreement …`: what an agreement pack says (A2.1 level table, Parties, deadlines), and the
 * agreement's own life at a node (A15): its status, the written notices between the competent
 * authorities (sent as signed messages: the outbox carries them, `kelisim exchange serve` or
 * `kelisim courier export`), and what is still outstanding under its protection (A15.3).
 */
export function registerAgreementCommands(program: Command): void {
  const agreement = program
    .command("agreement")
    .description(
      "agreement packs (levels, markings, Parties, deadlines) and the agreement's life at a node (A15)",
    );
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

  addNodeOptions(
    agreement
      .command("status")
      .description(
        "the agreement at this node: its status, entry into force (A15.1), a notified termination (A15.2) and the notices between the competent authorities",
      ),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const view = await showAgreement(ctx, { actor: actingPerson(o) });
      printResult(o, () => describeStatus(view), view);
    });
  });

  addNodeOptions(
    agreement
      .command("notify")
      .description(
        "(competent authority) send a written notice to the other Party's competent authority: completed internal procedures (A15.1), termination (A15.2) or its withdrawal (A15.2); it stays on record, and a termination is withdrawn only by a further notice",
      )
      .requiredOption("--kind <kind>", AGREEMENT_NOTICE_KINDS.join(" | "))
      .option("--dated <date>", "the date the notice bears (YYYY-MM-DD; default: today in our Party's zone)")
      .option("--reference <text>", "the note's own reference (number), up to 200 characters"),
    true,
  ).action(async (o: ActingCommandOptions & { kind: string; dated?: string; reference?: string }) => {
    const kind = noticeKind(o.kind);
    await withFlows(o, async (ctx) => {
      const view = await sendAgreementNotice(ctx, {
        actor: actingPerson(o),
        kind,
        ...(o.dated ? { datedOn: o.dated } : {}),
        ...(o.reference ? { reference: o.reference } : {}),
      });
      printResult(o, () => describeStatus(view), view);
    });
  });

  addNodeOptions(
    agreement
      .command("outstanding")
      .description(
        "A15.3: the other Party's carriers held here still under the agreement's protection (not destroyed, declassified or returned)",
      ),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const report = await agreementOutstanding(ctx, { actor: actingPerson(o) });
      printResult(o, () => describeOutstanding(report), report);
    });
  });
  registerProtocolCommands(agreement);
}

/** `--kind` as one of the notice kinds, or INPUT_INVALID naming them (A15.1, A15.2). */
function noticeKind(value: string): AgreementNoticeKind {
  const kind = AGREEMENT_NOTICE_KINDS.find((k) => k === value.trim());
  if (!kind)
    throw new DomainError("INPUT_INVALID", {
      field: "kind",
      problem: `one of ${AGREEMENT_NOTICE_KINDS.join(", ")}`,
    });
  return kind;
}

/** The status's name and the article it comes from (A15.1, A15.2, A15.3). */
const STATUS_TEXT: Record<AgreementView["status"], string> = {
  signed: "signed, not yet in force (A15.1)",
  "partly-notified": "one Party's notice of completed procedures received, not yet in force (A15.1)",
  "in-force": "in force (A15.1)",
  "termination-notified": "termination notified (A15.2)",
  terminated: "terminated; protection continues for what was transferred (A15.2, A15.3)",
};

const KIND_TEXT: Record<AgreementNoticeKind, string> = {
  "procedures-completed": "notice of completed internal procedures (A15.1)",
  termination: "notice of termination (A15.2)",
  "termination-withdrawal": "withdrawal of the termination notice (A15.2)",
};

/** The human form of `agreement status` and `agreement notify`. */
export function describeStatus(view: AgreementView): string {
  const rows: [string, string][] = [
    ["agreement", view.agreementId],
    ["status", STATUS_TEXT[view.status] ?? view.status],
    ["in force on", view.inForceOn ?? "—"],
  ];
  if (view.termination)
    rows.push([
      "termination",
      `notified by ${view.termination.notifiedBy}, received ${view.termination.receivedAt}, terminates on ${view.termination.terminatesOn} (A15.2)`,
    ]);
  rows.push([
    "withdrawal of a termination",
    view.terminationWithdrawal === "before-effect"
      ? "allowed before it takes effect (A15.2, pack policy)"
      : "not allowed (A15.2, pack policy)",
  ]);
  rows.push(["notices dated from", view.signedNotBefore]);
  if (view.actions.length) rows.push(["you may send", view.actions.join(", ")]);
  const notices = view.notices.map((n) => {
    const refusal = n.refusal ? ` ${n.refusal.code} (${n.refusal.articles.join(", ")})` : "";
    return `  ${n.direction === "out" ? "→" : "←"} ${KIND_TEXT[n.kind] ?? n.kind}  from ${n.fromParty}  dated ${n.datedOn}${n.reference ? `  ref ${n.reference}` : ""}  sent ${n.sentAt ?? "—"}  received ${n.receivedAt ?? "—"}  ${n.state}${refusal}`;
  });
  return [
    ...table(rows.map(([k, v]) => [`${k}:`, v])).map((l) => l.trimStart()),
    "",
    notices.length ? "Notices:" : "No notices.",
    ...notices,
  ].join("\n");
}

/** The human form of `agreement outstanding` (A15.3). */
function describeOutstanding(report: OutstandingReport): string {
  const counts = Object.entries(report.byState)
    .map(([state, n]) => `${state} ${n}`)
    .join(", ");
  const rows = report.carriers.map((c) => [
    `${c.registrationNumber}/${c.copyNumber}`,
    c.level,
    c.originatorParty,
    c.state,
    c.custodian,
    c.title,
  ]);
  return [
    `A15.3: at ${report.at}, agreement ${STATUS_TEXT[report.status] ?? report.status}`,
    report.carriers.length
      ? `${report.carriers.length} carrier(s) still under the agreement's protection: ${counts}`
      : "no carrier of the other Party is still under the agreement's protection here",
    ...(rows.length
      ? ["", ...table([["number", "level", "originator", "state", "custodian", "title"], ...rows])]
      : []),
  ].join("\n");
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
