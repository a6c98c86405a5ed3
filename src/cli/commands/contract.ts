// `kelisim contract …`: contracts between authorized bodies of the two Parties (A1.13, A7): the six
// mandatory clauses, the list of classified information with levels, the participants. Once active
// a contract is held at both nodes: each change here is sent to the other Party's body.
import type { Command } from "commander";
import { activateContract } from "../../app/contracts/activate-contract.ts";
import { addContractParticipant } from "../../app/contracts/add-contract-participant.ts";
import { amendContract } from "../../app/contracts/amend-contract.ts";
import { closeContract, resumeContract, suspendContract } from "../../app/contracts/change-contract-state.ts";
import { createContract } from "../../app/contracts/create-contract.ts";
import { listContracts, showContract } from "../../app/contracts/list-contracts.ts";
import { CONTRACT_CLAUSES, type ContractClause } from "../../domain/contract/contract-machine.ts";
import { printResult } from "../output.ts";
import { withFlows } from "./courier.ts";
import { type ActingCommandOptions, actingPerson, addNodeOptions, withNodeApp } from "./node.ts";

export function registerContractCommands(program: Command): void {
  const contract = program.command("contract").description("contracts between authorized bodies (A1.13, A7)");

  addNodeOptions(
    contract
      .command("create")
      .description(
        "draft a contract of your authorized body with a body of the other Party (registry officer)",
      )
      .argument("<number>", "the contract's number")
      .requiredOption("--title <title>", "title")
      .requiredOption("--counterpart <name>", "the other Party's authorized body"),
    true,
  ).action(async (number: string, options: ActingCommandOptions & { title: string; counterpart: string }) => {
    const row = await withNodeApp(options, (ctx) =>
      createContract(ctx, {
        actor: actingPerson(options),
        number,
        title: options.title,
        counterpartName: options.counterpart,
      }),
    );
    printResult(
      options,
      () =>
        `contract ${row.number} drafted with ${row.counterpart_party}: ${row.counterpart_name} (${row.state})`,
      row,
    );
  });

  addNodeOptions(
    contract
      .command("clause")
      .description(`set one of the six mandatory clauses (A7.1): ${CONTRACT_CLAUSES.join(", ")}`)
      .argument("<number>", "contract number")
      .argument("<clause>", "clause id")
      .argument("<text>", "the clause's text"),
    true,
  ).action(async (number: string, clause: string, text: string, options: ActingCommandOptions) => {
    const result = await withFlows(options, (ctx) =>
      amendContract(ctx, {
        actor: actingPerson(options),
        contract: number,
        clauses: { [clause as ContractClause]: text },
      }),
    );
    printResult(options, () => `contract ${result.number}: clauses ${result.clauses.join(", ")}`, result);
  });

  addNodeOptions(
    contract
      .command("info")
      .description("add an item to the list of classified information, with its level (A7.1 (1))")
      .argument("<number>", "contract number")
      .argument("<description>", "what the information is")
      .requiredOption("--level <level>", "level id or rank"),
    true,
  ).action(async (number: string, description: string, options: ActingCommandOptions & { level: string }) => {
    const result = await withFlows(options, (ctx) =>
      amendContract(ctx, {
        actor: actingPerson(options),
        contract: number,
        information: [{ description, level: options.level }],
      }),
    );
    printResult(
      options,
      () => `contract ${result.number}: ${result.information} item(s) of information`,
      result,
    );
  });

  addNodeOptions(
    contract
      .command("participant")
      .description("name a person of your body as a participant: need-to-know (A4.2)")
      .argument("<number>", "contract number")
      .argument("<person>", "handle or id"),
    true,
  ).action(async (number: string, person: string, options: ActingCommandOptions) => {
    const result = await withFlows(options, (ctx) =>
      addContractParticipant(ctx, { actor: actingPerson(options), contract: number, person }),
    );
    printResult(
      options,
      () => `${result.person} ${result.changed ? "is now" : "already is"} a participant of ${result.number}`,
      result,
    );
  });

  addNodeOptions(
    contract
      .command("activate")
      .description("activate a draft: refused while a mandatory clause or a level is missing (A7.1)")
      .argument("<number>", "contract number"),
    true,
  ).action(async (number: string, options: ActingCommandOptions) => {
    const result = await withFlows(options, (ctx) =>
      activateContract(ctx, { actor: actingPerson(options), contract: number }),
    );
    printResult(options, () => `contract ${result.number} is ${result.state} (A7.1)`, result);
  });

  // A7.1, A4.1.4: the concluding body suspends, resumes or closes; the other node follows.
  for (const [verb, run, what] of [
    [
      "suspend",
      suspendContract,
      "suspend an active contract: no transfer under it, the other Party's information under it not used (A4.1.4)",
    ],
    ["resume", resumeContract, "resume a suspended contract (A4.1.4, A7.1)"],
    ["close", closeContract, "close an active or suspended contract (A7.1)"],
  ] as const) {
    addNodeOptions(
      contract.command(verb).description(what).argument("<number>", "contract number"),
      true,
    ).action(async (number: string, options: ActingCommandOptions) => {
      const result = await withFlows(options, (ctx) =>
        run(ctx, { actor: actingPerson(options), contract: number }),
      );
      printResult(options, () => `contract ${result.number} is ${result.state} (A7.1)`, result);
    });
  }

  addNodeOptions(
    contract
      .command("show")
      .description("a contract, its clauses, the information items you are cleared for, participants")
      .argument("<number>"),
    true,
  ).action(async (number: string, options: ActingCommandOptions) => {
    const c = await withNodeApp(options, (ctx) =>
      showContract(ctx, { actor: actingPerson(options), contract: number }),
    );
    printResult(
      options,
      () =>
        [
          `contract ${c.number} — ${c.title} (${c.status})`,
          `with ${c.counterpartParty}: ${c.counterpartName}`,
          ...c.clauses.filter((cl) => cl.text !== null).map((cl) => `  clause ${cl.key}: ${cl.text}`),
          c.missingClauses.length > 0
            ? `  missing clauses (A7.1): ${c.missingClauses.join(", ")}`
            : "  all six clauses present (A7.1)",
          ...c.information.map((i, n) => `  information ${n + 1}: ${i.description} [${i.levelId}]`),
          `  participants: ${c.participants.join(", ") || "none"}`,
        ].join("\n"),
      c,
    );
  });

  addNodeOptions(contract.command("list").description("the contracts you may see"), true).action(
    async (options: ActingCommandOptions) => {
      const rows = await withNodeApp(options, (ctx) => listContracts(ctx, { actor: actingPerson(options) }));
      printResult(
        options,
        () =>
          rows
            .map(
              (c) =>
                `${c.number.padEnd(16)} ${c.status.padEnd(9)} ${c.title} (with ${c.counterpartParty}: ${c.counterpartName})`,
            )
            .join("\n") || "(no contracts)",
        rows,
      );
    },
  );
}
