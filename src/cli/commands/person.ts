// `kelisim person …`: the users of the node's organisations, their roles and clearances (A1.11, A4.2).

import type { Command } from "commander";
import { resetPassword } from "../../app/auth/reset-password.ts";
import { changePersonalClearance, deactivatePerson, removeRole } from "../../app/people/change-standing.ts";
import { grantPersonalClearance } from "../../app/people/grant-personal-clearance.ts";
import { grantRole } from "../../app/people/grant-role.ts";
import { listPeople } from "../../app/people/list-people.ts";
import { registerPerson } from "../../app/people/register-person.ts";
import { printResult } from "../output.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";
import { registerObligationCommands } from "./person-obligations.ts";

const ROLE_HELP =
  "competent-authority-officer, registry-officer, cleared-user, auditor, administrator (repeatable)";

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const DONE = { withdraw: "withdrawn", suspend: "suspended", reinstate: "reinstated" } as const;

export function registerPersonCommands(program: Command): void {
  const person = program.command("person").description("people of the node, their roles and clearances");
  registerObligationCommands(person);

  addNodeOptions(
    person
      .command("register")
      .description("register a person of an organisation (administrator)")
      .argument("<handle>", "short unique name, used with --as")
      .requiredOption("--org <organisation>", "organisation name or id (competent-authority: the node's own)")
      .requiredOption("--name <name>", "full name")
      .option("--role <role>", ROLE_HELP, collect),
    true,
  ).action(
    async (
      handle: string,
      options: ActingCommandOptions & { org: string; name: string; role?: string[] },
    ) => {
      const row = await withNodeApp(options, (ctx) =>
        registerPerson(ctx, {
          actor: actingPerson(options),
          organisation: options.org,
          handle,
          name: options.name,
          roles: options.role ?? [],
        }),
      );
      printResult(
        options,
        () =>
          `registered ${row.handle} (${row.name}) in ${row.organisation}; roles: ${row.roles.join(", ") || "none"}`,
        row,
      );
    },
  );

  addNodeOptions(
    person
      .command("role")
      .description("give a person a role (administrator)")
      .argument("<person>", "handle or id")
      .argument("<role>", ROLE_HELP),
    true,
  ).action(async (who: string, role: string, options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      grantRole(ctx, { actor: actingPerson(options), person: who, role }),
    );
    printResult(
      options,
      () =>
        result.changed
          ? `${result.person} is now ${result.role}`
          : `${result.person} already is ${result.role}`,
      result,
    );
  });

  // A1.11, A4.2: the competent authority withdraws, suspends or reinstates a clearance.
  for (const [verb, change, what] of [
    [
      "withdraw-clearance",
      "withdraw",
      "withdraw a person's clearance for good (competent-authority officer; A1.11, A4.2)",
    ],
    [
      "suspend-clearance",
      "suspend",
      "suspend a person's clearance until reinstated (competent-authority officer; A1.11)",
    ],
    [
      "reinstate-clearance",
      "reinstate",
      "reinstate a suspended clearance (competent-authority officer; A1.11)",
    ],
  ] as const) {
    addNodeOptions(
      person
        .command(verb)
        .description(what)
        .argument("<person>", "handle or id")
        .option("--reason <text>", "why, for the audit log"),
      true,
    ).action(async (who: string, options: ActingCommandOptions & { reason?: string }) => {
      const result = await withNodeApp(options, (ctx) =>
        changePersonalClearance(ctx, {
          actor: actingPerson(options),
          person: who,
          change,
          ...(options.reason ? { reason: options.reason } : {}),
        }),
      );
      printResult(
        options,
        () => `${result.person}: ${result.clearances} clearance(s) ${DONE[result.change]} (A1.11)`,
        result,
      );
    });
  }

  addNodeOptions(
    person
      .command("remove-role")
      .description("take a role from a person (administrator; A4.2)")
      .argument("<person>", "handle or id")
      .argument("<role>", ROLE_HELP),
    true,
  ).action(async (who: string, role: string, options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      removeRole(ctx, { actor: actingPerson(options), person: who, role }),
    );
    printResult(
      options,
      () =>
        result.changed
          ? `${result.person} is no longer ${result.role}`
          : `${result.person} was not ${result.role}`,
      result,
    );
  });

  addNodeOptions(
    person
      .command("deactivate")
      .description("deactivate a person: no more sign-in, sessions ended now (administrator; A4.2)")
      .argument("<person>", "handle or id")
      .option("--reason <text>", "why, for the audit log"),
    true,
  ).action(async (who: string, options: ActingCommandOptions & { reason?: string }) => {
    const result = await withNodeApp(options, (ctx) =>
      deactivatePerson(ctx, {
        actor: actingPerson(options),
        person: who,
        ...(options.reason ? { reason: options.reason } : {}),
      }),
    );
    printResult(
      options,
      () => (result.changed ? `${result.person} deactivated` : `${result.person} already deactivated`),
      result,
    );
  });

  addNodeOptions(
    person
      .command("reset-password")
      .description(
        "reset a person's password (administrator; A4.2): prints a one-time password, ends their sessions; they set a new one at their next sign-in",
      )
      .argument("<person>", "handle or id"),
    true,
  ).action(async (who: string, options: ActingCommandOptions) => {
    const result = await withNodeApp(options, (ctx) =>
      resetPassword(ctx, { actor: actingPerson(options), person: who }),
    );
    printResult(
      options,
      () =>
        [
          `one-time password of ${result.username}: ${result.oneTimePassword}`,
          `(shown this once; ${result.sessionsEnded} session(s) ended; a new password is set at the next sign-in, A4.2)`,
        ].join("\n"),
      result,
    );
  });

  addNodeOptions(
    person
      .command("clearance")
      .description("record a person's clearance (competent-authority officer; A1.11, A4.2)")
      .argument("<person>", "handle or id")
      .requiredOption("--level <level>", "level id or rank: secret, top-secret, special-importance")
      .requiredOption("--from <date>", "valid from, YYYY-MM-DD")
      .requiredOption("--to <date>", "valid to (inclusive), YYYY-MM-DD"),
    true,
  ).action(
    async (who: string, options: ActingCommandOptions & { level: string; from: string; to: string }) => {
      const row = await withNodeApp(options, (ctx) =>
        grantPersonalClearance(ctx, {
          actor: actingPerson(options),
          person: who,
          level: options.level,
          validFrom: options.from,
          validTo: options.to,
        }),
      );
      printResult(
        options,
        () => `clearance ${row.level} for ${row.person}, ${row.valid_from} – ${row.valid_to} (A1.11, A4.2)`,
        row,
      );
    },
  );

  addNodeOptions(
    person
      .command("list")
      .description("the node's people with roles and clearances")
      .option("--org <organisation>", "only this organisation"),
    true,
  ).action(async (options: ActingCommandOptions & { org?: string }) => {
    const rows = await withNodeApp(options, (ctx) =>
      listPeople(ctx, {
        actor: actingPerson(options),
        ...(options.org ? { organisation: options.org } : {}),
      }),
    );
    printResult(
      options,
      () =>
        rows
          .map((p) => {
            const clearances = p.clearances.map((c) => `${c.level} ${c.valid_from}–${c.valid_to}`).join(", ");
            return `${p.handle.padEnd(16)} ${p.name}  (${p.organisation})  roles: ${p.roles.join(", ") || "none"}${clearances ? `  clearance: ${clearances}` : ""}`;
          })
          .join("\n") || "(no people)",
      rows,
    );
  });
}
