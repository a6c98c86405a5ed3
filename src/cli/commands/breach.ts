// `kelisim breach …`: the verbs of Article 11 breaches. Recording a breach (A11.1) sends its notice
// to the other Party's competent authority at once when its information is involved (the outbox
// carries it: `kelisim exchange serve` or `kelisim courier export`); the competent authority of the
// Party where it happened investigates, reports the results and records the damage settlement (A11.2).
import type { Command } from "commander";
import {
  reportBreach,
  reportResults,
  settleBreach,
  startInvestigation,
} from "../../app/breaches/breach-flow.ts";
import { type BreachView, listBreaches, showBreach } from "../../app/breaches/list-breaches.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions } from "./node.ts";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const human = (value: unknown) => () =>
  Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join("\n");

function describeBreach(b: BreachView): string {
  const carriers = b.carriers
    .map(
      (c) =>
        `${c.registrationNumber ?? c.originRef ?? "(not shown)"}${c.quarantined ? " [quarantined]" : ""}`,
    )
    .join(", ");
  const steps = b.steps
    .map(
      (s) =>
        `${s.step}: ${s.doneAt ? `done ${s.doneAt}` : `due ${s.dueAt ?? "-"}`}${s.overdue ? " OVERDUE" : ""}`,
    )
    .join("; ");
  return [
    `${b.id}  ${b.direction}  ${b.state}${b.suspected ? " (suspected)" : ""}  party ${b.party}  information of ${b.informationOf.join(",")}`,
    `  what: ${b.what}`,
    `  found: ${b.foundAt} — ${b.howFound}`,
    ...(carriers ? [`  carriers: ${carriers}`] : []),
    `  steps: ${steps}`,
    ...(b.results ? [`  results: ${b.results}`] : []),
    ...(b.closedAt ? [`  closed ${b.closedAt}: ${b.damageAssessment} / ${b.settlement}`] : []),
    ...(b.actions.length ? [`  actions: ${b.actions.join(", ")}`] : []),
  ].join("\n");
}

export function registerBreachCommands(program: Command): void {
  const breach = program.command("breach").description("A11: breaches and their investigation");

  addNodeOptions(
    breach
      .command("report")
      .description(
        "record a breach or suspected breach (A11.1); the other Party's competent authority is notified at once when its information is involved",
      )
      .option("--suspected", "a suspected breach")
      .requiredOption("--what <text>", "what happened")
      .requiredOption("--how-found <text>", "how it was found")
      .option("--occurred-at <iso>", "when it happened, if known")
      .requiredOption("--found-at <iso>", "when it was found")
      .option("--carrier <ref>", "a carrier of this registry (repeatable)", collect)
      .option(
        "--information-of <parties>",
        "whose information is involved besides what the carriers tell (KZ,AM)",
      ),
    true,
  ).action(
    async (
      o: ActingCommandOptions & {
        suspected?: boolean;
        what: string;
        howFound: string;
        occurredAt?: string;
        foundAt: string;
        carrier?: string[];
        informationOf?: string;
      },
    ) => {
      await withFlows(o, async (ctx) => {
        const r = await reportBreach(ctx, {
          actor: actingPerson(o),
          suspected: o.suspected === true,
          what: o.what,
          howFound: o.howFound,
          occurredAt: o.occurredAt ?? null,
          foundAt: o.foundAt,
          carriers: o.carrier ?? [],
          ...(o.informationOf
            ? {
                informationOf: o.informationOf
                  .split(",")
                  .map((p) => p.trim().toUpperCase())
                  .filter(Boolean),
              }
            : {}),
        });
        printResult(o, human(r), r);
      });
    },
  );

  addNodeOptions(
    breach.command("list").description("the breaches you may see, with their step clocks (A11.1)"),
    true,
  ).action(async (o: ActingCommandOptions) => {
    await withFlows(o, async (ctx) => {
      const r = await listBreaches(ctx, { actor: actingPerson(o) });
      printResult(o, () => (r.length ? r.map(describeBreach).join("\n\n") : "no breaches"), r);
    });
  });

  addNodeOptions(
    breach.command("show").description("one breach case (A11.1)").argument("<id>", "the breach"),
    true,
  ).action(async (id: string, o: ActingCommandOptions) => {
    await withFlows(o, async (ctx) => {
      const r = await showBreach(ctx, { actor: actingPerson(o), breach: id });
      printResult(o, () => describeBreach(r), r);
    });
  });

  addNodeOptions(
    breach
      .command("investigate")
      .description("(competent authority) start the investigation of a breach on our side (A11.1)")
      .argument("<id>", "the breach"),
    true,
  ).action(async (id: string, o: ActingCommandOptions) => {
    await withFlows(o, async (ctx) => {
      const r = await startInvestigation(ctx, { actor: actingPerson(o), breach: id });
      printResult(o, human(r), r);
    });
  });

  addNodeOptions(
    breach
      .command("results")
      .description(
        "(competent authority) record the investigation's results; sent to the other Party when its information is involved (A11.1)",
      )
      .argument("<id>", "the breach")
      .requiredOption("--text <text>", "the results"),
    true,
  ).action(async (id: string, o: ActingCommandOptions & { text: string }) => {
    await withFlows(o, async (ctx) => {
      const r = await reportResults(ctx, { actor: actingPerson(o), breach: id, results: o.text });
      printResult(o, human(r), r);
    });
  });

  addNodeOptions(
    breach
      .command("settle")
      .description(
        "(competent authority) record the damage assessment and its settlement, and close the case (A11.2)",
      )
      .argument("<id>", "the breach")
      .requiredOption("--assessment <text>", "the damage assessment")
      .requiredOption("--settlement <text>", "the settlement"),
    true,
  ).action(async (id: string, o: ActingCommandOptions & { assessment: string; settlement: string }) => {
    await withFlows(o, async (ctx) => {
      const r = await settleBreach(ctx, {
        actor: actingPerson(o),
        breach: id,
        damageAssessment: o.assessment,
        settlement: o.settlement,
      });
      printResult(o, human(r), r);
    });
  });
}
