// `kelisim org …`: the node's organisations (the competent authority, authorized bodies) and their
// facility clearances (A1.9–A1.11).

import type { Command } from "commander";
import { grantFacilityClearance } from "../../app/organisations/grant-facility-clearance.ts";
import { listOrganisations } from "../../app/organisations/list-organisations.ts";
import {
  type OrganisationKind,
  registerOrganisation,
} from "../../app/organisations/register-organisation.ts";
import { changeFacilityClearance } from "../../app/people/change-standing.ts";
import { printResult } from "../output.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

const DONE = { withdraw: "withdrawn", suspend: "suspended", reinstate: "reinstated" } as const;

export function registerOrgCommands(program: Command): void {
  const org = program.command("org").description("organisations of the node and their facility clearances");

  addNodeOptions(
    org
      .command("register")
      .description("register an authorized body of this node's Party (administrator)")
      .argument("<name>", "the organisation's name")
      .option("--kind <kind>", "authorized-body or competent-authority", "authorized-body"),
    true,
  ).action(async (name: string, options: ActingCommandOptions & { kind: OrganisationKind }) => {
    const row = await withNodeApp(options, (ctx) =>
      registerOrganisation(ctx, { actor: actingPerson(options), name, kind: options.kind }),
    );
    printResult(options, () => `registered ${row.kind} ${row.name} (${row.id})`, row);
  });

  // A1.11: the competent authority withdraws, suspends or reinstates a body's facility clearance.
  for (const [verb, change, what] of [
    [
      "withdraw-clearance",
      "withdraw",
      "withdraw a body's facility clearance for good (competent-authority officer; A1.11)",
    ],
    [
      "suspend-clearance",
      "suspend",
      "suspend a body's facility clearance until reinstated (competent-authority officer; A1.11)",
    ],
    [
      "reinstate-clearance",
      "reinstate",
      "reinstate a suspended facility clearance (competent-authority officer; A1.11)",
    ],
  ] as const) {
    addNodeOptions(
      org
        .command(verb)
        .description(what)
        .argument("<organisation>", "organisation name or id")
        .option("--reason <text>", "why, for the audit log"),
      true,
    ).action(async (organisation: string, options: ActingCommandOptions & { reason?: string }) => {
      const result = await withNodeApp(options, (ctx) =>
        changeFacilityClearance(ctx, {
          actor: actingPerson(options),
          organisation,
          change,
          ...(options.reason ? { reason: options.reason } : {}),
        }),
      );
      printResult(
        options,
        () =>
          `${result.organisation}: ${result.clearances} facility clearance(s) ${DONE[result.change]} (A1.11)`,
        result,
      );
    });
  }

  addNodeOptions(
    org
      .command("clearance")
      .description("record a facility clearance of an organisation (competent-authority officer; A1.11)")
      .argument("<organisation>", "organisation name or id")
      .requiredOption("--level <level>", "level id or rank: secret, top-secret, special-importance")
      .requiredOption("--from <date>", "valid from, YYYY-MM-DD")
      .requiredOption("--to <date>", "valid to (inclusive), YYYY-MM-DD"),
    true,
  ).action(
    async (
      organisation: string,
      options: ActingCommandOptions & { level: string; from: string; to: string },
    ) => {
      const row = await withNodeApp(options, (ctx) =>
        grantFacilityClearance(ctx, {
          actor: actingPerson(options),
          organisation,
          level: options.level,
          validFrom: options.from,
          validTo: options.to,
        }),
      );
      printResult(
        options,
        () =>
          `facility clearance ${row.level} for ${row.organisation}, ${row.valid_from} – ${row.valid_to} (A1.11)`,
        row,
      );
    },
  );

  addNodeOptions(
    org.command("list").description("the node's organisations with their facility clearances"),
    true,
  ).action(async (options: ActingCommandOptions) => {
    const rows = (
      await withNodeApp(options, (ctx) => listOrganisations(ctx, { actor: actingPerson(options) }))
    ).own;
    printResult(
      options,
      () =>
        rows
          .map((o) => {
            const clearances = o.facilityClearances
              .map((c) => `${c.level} ${c.valid_from}–${c.valid_to}`)
              .join(", ");
            return `${o.id}  ${o.kind.padEnd(19)}  ${o.name}${clearances ? `  [${clearances}]` : ""}`;
          })
          .join("\n") || "(no organisations)",
      rows,
    );
  });
}
