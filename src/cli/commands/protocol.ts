import { readFileSync } from "node:fs";
import type { Command } from "commander";
import {
  answerAmendment,
  notifyAmendment,
  proposeAmendment,
  showProtocols,
} from "../../app/agreement/amendment-protocols.ts";
import type { ProtocolsView } from "../../app/agreement/amendment-types.ts";
import type { PackChange } from "../../domain/agreement/amendment.ts";
import { DomainError } from "../../domain/errors.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `kelisim agreement protocol …` (A14): amendment protocols between the competent authorities. One
 * proposes the changes to the pack, the other signs or declines; each notifies its completed
 * procedures, and the protocol is in force from the receipt of the last notice (A15.1).
 */
export function registerProtocolCommands(agreement: Command): void {
  const protocol = agreement
    .command("protocol")
    .description("amendment protocols (A14): propose, sign or decline, notify completed procedures, list");

  addNodeOptions(
    protocol
      .command("list")
      .description("the protocols, the versions of the pack (which applied when) and the one in force now"),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const view = await showProtocols(ctx, { actor: actingPerson(o) });
      printResult(o, () => describeProtocols(view), view);
    });
  });

  addNodeOptions(
    protocol
      .command("propose")
      .description("(competent authority) propose a protocol to the other Party's competent authority (A14)")
      .requiredOption("--number <number>", "the protocol's number, e.g. 1")
      .requiredOption("--title <text>", "its title")
      .option("--signed-on <date>", "the date it bears (YYYY-MM-DD; default: today in our Party's zone)")
      .option("--reference <text>", "its reference, up to 200 characters")
      .option("--marking <level:lang=text>", "a level's marking in a language (A2.1); repeatable", collect)
      .option(
        "--deadline <name=duration>",
        "a deadline of the pack, ISO 8601 (e.g. visitRequestLead=P2M); repeatable",
        collect,
      )
      .option("--remove-channel <id>", "a channel no new transfer may use (A5.6); repeatable", collect)
      .option("--changes <file.json>", "a JSON array of changes (also for adding a channel with its names)"),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        number: string;
        title: string;
        signedOn?: string;
        reference?: string;
        marking?: string[];
        deadline?: string[];
        removeChannel?: string[];
        changes?: string;
      },
    ) => {
      const changes = parseChanges(o);
      await withFlows(o, async (ctx) => {
        const view = await proposeAmendment(ctx, {
          actor: actingPerson(o),
          number: o.number,
          title: o.title,
          ...(o.signedOn ? { signedOn: o.signedOn } : {}),
          ...(o.reference ? { reference: o.reference } : {}),
          changes,
        });
        printResult(o, () => describeProtocols(view), view);
      });
    },
  );

  for (const answer of ["sign", "decline"] as const) {
    addNodeOptions(
      protocol
        .command(answer)
        .description(`(competent authority) ${answer} the other Party's proposed protocol (A14)`)
        .argument("<id>", "the protocol's id (see `agreement protocol list --json`)")
        .option("--reason <text>", "why (up to 2000 characters)"),
      true,
    ).action(async (id: string, o: ActingCommandOptions & { reason?: string }) => {
      await withFlows(o, async (ctx) => {
        const view = await answerAmendment(ctx, {
          actor: actingPerson(o),
          protocolId: id,
          answer: answer === "sign" ? "signed" : "declined",
          ...(o.reason ? { reason: o.reason } : {}),
        });
        printResult(o, () => describeProtocols(view), view);
      });
    });
  }

  addNodeOptions(
    protocol
      .command("notify")
      .description(
        "(competent authority) notify the other Party that our internal procedures for a signed protocol are completed (A14, A15.1)",
      )
      .argument("<id>", "the protocol's id")
      .option("--dated <date>", "the date the notice bears (YYYY-MM-DD; default: today in our Party's zone)")
      .option("--reference <text>", "the note's reference"),
    true,
  ).action(async (id: string, o: ActingCommandOptions & { dated?: string; reference?: string }) => {
    await withFlows(o, async (ctx) => {
      const view = await notifyAmendment(ctx, {
        actor: actingPerson(o),
        protocolId: id,
        ...(o.dated ? { datedOn: o.dated } : {}),
        ...(o.reference ? { reference: o.reference } : {}),
      });
      printResult(o, () => describeProtocols(view), view);
    });
  });
}

function bad(field: string, problem: string): DomainError {
  return new DomainError("INPUT_INVALID", { field, problem });
}

/** The changes given by the options, in the order: file, markings, deadlines, channels removed. */
function parseChanges(o: {
  marking?: string[];
  deadline?: string[];
  removeChannel?: string[];
  changes?: string;
}): PackChange[] {
  const changes: PackChange[] = [];
  if (o.changes) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(o.changes, "utf8"));
    } catch (error) {
      throw bad("changes", error instanceof Error ? error.message : String(error));
    }
    if (!Array.isArray(parsed)) throw bad("changes", "a JSON array of changes");
    changes.push(...(parsed as PackChange[]));
  }
  for (const m of o.marking ?? []) {
    const match = /^([a-z0-9-]+):([a-z]{2})=(.+)$/su.exec(m);
    if (!match) throw bad("marking", "level:lang=text, e.g. secret:ru=Секретно");
    changes.push({
      kind: "level-marking",
      level: match[1]!,
      language: match[2] as "ru",
      marking: match[3]!.trim(),
    });
  }
  for (const d of o.deadline ?? []) {
    const [name, duration] = d.split("=");
    if (!name || !duration) throw bad("deadline", "name=duration, e.g. visitRequestLead=P2M");
    changes.push({ kind: "deadline", deadline: name.trim() as "termination", duration: duration.trim() });
  }
  for (const c of o.removeChannel ?? []) changes.push({ kind: "channel-remove", channel: c.trim() });
  return changes;
}

/** One change in words. */
export function describeChange(c: PackChange): string {
  switch (c.kind) {
    case "level-marking":
      return `marking of ${c.level} in ${c.language}: "${c.marking}" (A2.1)`;
    case "deadline":
      return `deadline ${c.deadline}: ${c.duration}`;
    case "channel-add":
      return `new channel ${c.channel.id} (${c.channel.kind}): ${c.channel.name.en} (A5.6)`;
    case "channel-remove":
      return `channel ${c.channel} withdrawn (A5.6)`;
  }
}

/** The human form of every `agreement protocol` verb. */
function describeProtocols(view: ProtocolsView): string {
  const lines = [`pack version in force now: ${view.version} (A14)`, "", "Versions:"];
  for (const v of view.versions)
    lines.push(
      v.protocol
        ? `  ${v.version}  protocol No. ${v.protocol.number}, in force on ${v.protocol.inForceOn}; applied here from ${v.from} (the last notice's receipt)`
        : `  ${v.version}  the agreement as signed`,
    );
  lines.push("", view.protocols.length ? "Protocols:" : "No protocols.");
  for (const p of view.protocols) {
    lines.push(
      `  No. ${p.number} — ${p.title}  [${p.status}]  ${p.direction === "out" ? "proposed by us" : `proposed by ${p.proposedBy}`}, dated ${p.signedOn}${p.inForceOn ? `, in force on ${p.inForceOn} (version ${p.version})` : ""}`,
      `    id ${p.id}${p.refusal ? `  refused by the other node: ${p.refusal.code} (${p.refusal.articles.join(", ")})` : ""}`,
      ...p.changes.map((c) => `    · ${describeChange(c)}`),
      ...p.notices.map(
        (n) =>
          `    notice of ${n.fromParty} dated ${n.datedOn}: ${n.state}${n.receivedAt ? ` ${n.receivedAt}` : ""}`,
      ),
      ...(p.actions.length ? [`    you may: ${p.actions.join(", ")}`] : []),
    );
  }
  return lines.join("\n");
}
