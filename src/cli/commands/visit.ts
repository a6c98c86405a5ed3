// `kelisim visit …`: the verbs of Article 9 visits. The visitors' personal data (A9.2 (1)) are read
// from a JSON file (`--visitors FILE`), so that passports never land in the shell's history; nothing
// of them is printed by any verb but `visit show` to those who may see them.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import {
  cancelVisit,
  decideVisit,
  eraseDueVisitorData,
  linkTopicCarrier,
  recordAcquaintance,
  requestVisit,
  type VisitorInput,
} from "../../app/visits/visit-flow.ts";
import { listHostBodies, listVisits, showVisit } from "../../app/visits/visit-views.ts";
import { DomainError } from "../../domain/errors.ts";
import { fileErrorOf, printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `A=B` → [A, B] (split at the first `=`); `what` names the option in the refusal. */
function pair(value: string, what: string): [string, string] {
  const at = value.indexOf("=");
  if (at <= 0) throw new DomainError("INPUT_INVALID", { field: what, problem: `write it as A=B: ${value}` });
  return [value.slice(0, at).trim(), value.slice(at + 1).trim()];
}

/** The visitors file: a JSON array; a parse error never echoes the file's text (personal data). */
function readVisitors(path: string): VisitorInput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw fileErrorOf(error) ?? error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DomainError("INPUT_INVALID", { field: "visitors", problem: "the file is not valid JSON" });
  }
  if (!Array.isArray(parsed) || parsed.some((v) => typeof v !== "object" || v === null))
    throw new DomainError("INPUT_INVALID", {
      field: "visitors",
      problem: "a JSON array of {person, position, birthDate, birthPlace, citizenship, passport}",
    });
  const field = (v: Record<string, unknown>, k: string) =>
    typeof v[k] === "string" ? (v[k] as string) : undefined;
  return (parsed as Record<string, unknown>[]).map((v) => {
    const out: Record<string, string> = {};
    for (const k of ["person", "position", "birthDate", "birthPlace", "citizenship", "passport"]) {
      const value = field(v, k);
      if (value !== undefined) out[k] = value;
    }
    return out as VisitorInput;
  });
}

const lines = (rows: readonly (readonly [string, unknown])[]) =>
  rows
    .map(([k, v]) => `${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`)
    .join("\n");

export function registerVisitCommands(program: Command): void {
  const visit = program.command("visit").description("A9: visits between the Parties");

  addNodeOptions(
    visit
      .command("request")
      .description(
        "(the visiting side's competent authority) request a visit, at least one calendar month ahead on the host's calendar (A9.2)",
      )
      .requiredOption("--kind <kind>", "one-time | recurring | amendment")
      .option("--amends <visit>", "an amendment: the approved request it replaces")
      .requiredOption("--from <date>", "first day of the visit (YYYY-MM-DD, host's calendar)")
      .requiredOption("--to <date>", "last day of the visit")
      .option("--recurrence <text>", "a recurring request: how often")
      .requiredOption("--purpose <text>", "the purpose of the visit")
      .option("--topic <title=level>", "a classified topic and its level (repeat)", collect, [])
      .option("--body <org>", "a body of the other Party to visit, id or name (repeat)", collect, [])
      .option("--meet <position=name>", "a person to meet (repeat)", collect, [])
      .requiredOption(
        "--visitors <file>",
        "JSON file: [{person, position, birthDate, birthPlace, citizenship, passport}]",
      ),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        kind: string;
        amends?: string;
        from: string;
        to: string;
        recurrence?: string;
        purpose: string;
        topic: string[];
        body: string[];
        meet: string[];
        visitors: string;
      },
    ) => {
      await withFlows(o, async (ctx) => {
        const r = await requestVisit(ctx, {
          actor: actingPerson(o),
          kind: o.kind,
          ...(o.amends ? { amends: o.amends } : {}),
          startDate: o.from,
          endDate: o.to,
          ...(o.recurrence ? { recurrence: o.recurrence } : {}),
          purpose: o.purpose,
          topics: o.topic.map((t) => {
            const [title, level] = pair(t, "topic");
            return { title, level };
          }),
          bodiesToVisit: o.body,
          peopleToMeet: o.meet.map((m) => {
            const [position, name] = pair(m, "meet");
            return { position, name };
          }),
          visitors: readVisitors(o.visitors),
        });
        printResult(
          o,
          () =>
            lines([
              ["visit", r.id],
              ["state", r.state],
            ]),
          r,
        );
      });
    },
  );

  addNodeOptions(
    visit
      .command("bodies")
      .description(
        "(the visiting side's competent authority) the other Party's bodies a request may name (A9.2)",
      ),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withFlows(o, async (ctx) => {
      const bodies = await listHostBodies(ctx, { actor: actingPerson(o) });
      printResult(o, () => bodies.map((b) => `${b.id}  ${b.name}`).join("\n") || "no bodies", bodies);
    });
  });

  addNodeOptions(
    visit.command("list").description("the visits you may see (A9); never personal data"),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const rows = await listVisits(ctx, { actor: actingPerson(o) });
      printResult(
        o,
        () =>
          rows.length === 0
            ? "no visits"
            : rows
                .map(
                  (r) =>
                    `${r.id}  ${r.direction}  ${r.kind}  ${r.state}  ${r.startDate}–${r.endDate}  ${r.visitingParty}→${r.hostParty}  ${r.visitors.map((v) => `${v.surname} ${v.name}`).join(", ")}${r.actions.length ? `  [${r.actions.join(" ")}]` : ""}`,
                )
                .join("\n"),
        rows,
      );
    });
  });

  addNodeOptions(
    visit
      .command("show")
      .description(
        "one visit; personal data only to the competent authority and the visited body's security officer",
      )
      .argument("<visit>", "the visit's id"),
    true,
  ).action(async (id: string, o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const v = await showVisit(ctx, { actor: actingPerson(o), visit: id });
      printResult(
        o,
        () =>
          lines([
            ["visit", v.id],
            ["direction", v.direction],
            ["kind", v.kind],
            ["state", v.state],
            ["dates", `${v.startDate}–${v.endDate}`],
            ["purpose", v.purpose],
            ["topics", v.topics.map((t, i) => `${i + 1}. ${t.title} (${t.level})`).join("; ")],
            ["bodies", v.bodiesToVisit.map((b) => b.name).join("; ")],
            ["actions", v.actions.join(" ")],
          ]) +
          "\n" +
          visitorLines(v) +
          (v.topicCarriers.length === 0
            ? ""
            : `\ntopic carriers:\n${v.topicCarriers
                .map((c) => `  topic ${c.topic}: ${c.registrationNumber}  ${c.title}`)
                .join("\n")}`),
        v,
      );
    });
  });

  for (const step of ["approve", "refuse", "cancel"] as const) {
    addNodeOptions(
      visit
        .command(step)
        .description(
          step === "cancel"
            ? "(the visiting side's competent authority) withdraw a request (A9.2)"
            : `(the host's competent authority) ${step} a received request in writing (A9.1)`,
        )
        .argument("<visit>", "the visit's id")
        .option("--reason <text>", "why (required to refuse or cancel)"),
      true,
    ).action(async (id: string, o: ActingCommandOptions & { reason?: string }) => {
      await withFlows(o, async (ctx) => {
        const base = { actor: actingPerson(o), visit: id };
        const r =
          step === "cancel"
            ? await cancelVisit(ctx, { ...base, reason: o.reason ?? "" })
            : await decideVisit(ctx, { ...base, decision: step, ...(o.reason ? { reason: o.reason } : {}) });
        printResult(
          o,
          () =>
            lines([
              ["visit", r.id],
              ["state", r.state],
            ]),
          r,
        );
      });
    });
  }

  addNodeOptions(
    visit
      .command("acquaint")
      .description(
        "(the visited body's security officer) record a visitor's acquaintance with the host's rules (A9.3)",
      )
      .argument("<visit>", "the visit's id")
      .requiredOption("--visitor <seq>", "the visitor's number in the request"),
    true,
  ).action(async (id: string, o: ActingCommandOptions & { visitor: string }) => {
    await withNodeApp(o, async (ctx) => {
      const r = await recordAcquaintance(ctx, { actor: actingPerson(o), visit: id, seq: Number(o.visitor) });
      printResult(
        o,
        () =>
          lines([
            ["visit", r.id],
            ["visitor", r.seq],
            ["acquainted", r.acquaintedAt],
          ]),
        r,
      );
    });
  });

  addNodeOptions(
    visit
      .command("link")
      .description(
        "(the visited body's security officer) link a carrier of its registry to a topic of the visit (A9.1)",
      )
      .argument("<visit>", "the visit's id")
      .requiredOption("--topic <n>", "the topic's number (from 1)")
      .requiredOption("--carrier <ref>", "registration number or id"),
    true,
  ).action(async (id: string, o: ActingCommandOptions & { topic: string; carrier: string }) => {
    await withNodeApp(o, async (ctx) => {
      const r = await linkTopicCarrier(ctx, {
        actor: actingPerson(o),
        visit: id,
        topic: Number(o.topic),
        carrier: o.carrier,
      });
      printResult(
        o,
        () =>
          lines([
            ["visit", r.id],
            ["topic", r.topic],
            ["carrier", r.carrierId],
          ]),
        r,
      );
    });
  });

  addNodeOptions(
    visit
      .command("erase-due")
      .description(
        "(operator) erase the visitors' personal data whose retention after the visit has passed (pack policy); the running node does this itself",
      ),
  ).action(async (o: ActingCommandOptions) => {
    await withNodeApp(o, async (ctx) => {
      const r = await eraseDueVisitorData(ctx);
      printResult(o, () => (r.erased.length === 0 ? "nothing due" : `erased: ${r.erased.join(", ")}`), r);
    });
  });
}

/** One line per visitor; their personal data beside them only when the view gives them (A9.2). */
function visitorLines(v: Awaited<ReturnType<typeof showVisit>>): string {
  const handles = new Map(v.visitorHandles.map((h) => [h.seq, h.handle]));
  const personal = new Map((v.personal ?? []).map((p) => [p.seq, p]));
  const rows = v.visitors.map((x) => {
    const p = personal.get(x.seq);
    const handle = handles.get(x.seq);
    return [
      `  ${x.seq}. ${x.surname} ${x.name}, ${x.position}, ${x.body}; clearance ${x.clearanceLevel}`,
      handle ? `; here as ${handle}` : "",
      `; acquainted (A9.3): ${x.acquaintedAt ?? "not yet"}`,
      p ? `\n     born ${p.birthDate} in ${p.birthPlace}; ${p.citizenship}; passport ${p.passport}` : "",
    ].join("");
  });
  const note = v.personalErasedAt
    ? `  personal data erased ${v.personalErasedAt}`
    : v.personal === null
      ? "  personal data: not shown to you"
      : `  personal data kept until ${v.personalEraseDueAt}`;
  return `visitors:\n${rows.join("\n")}\n${note}`;
}
