import { describe, expect, it } from "vitest";
import type {
  ContractEvent,
  ContractEventType,
  ContractStatus,
} from "../../src/domain/contract/contract-machine.ts";
import {
  CONTRACT_CLAUSES,
  CONTRACT_EVENTS,
  CONTRACT_STATUSES,
  CONTRACT_TRANSITIONS,
  draftContract,
  transitionContract,
} from "../../src/domain/contract/contract-machine.ts";
import { AT, expectTransitionTable, pack, refusalOf, testEveryTransition } from "./support.ts";

const ctx = { at: AT, levelRanks: pack.levels.map((l) => l.rank) };
const complete = draftContract({
  id: "k-1",
  bodies: ["kz-body", "am-body"],
  clauses: CONTRACT_CLAUSES,
  informationList: [{ title: "drawings", level: 2 }],
  participants: ["p-1"],
});

function eventOf(type: ContractEventType): ContractEvent {
  if (type === "amend") return { type, clauses: CONTRACT_CLAUSES };
  if (type === "add-participant" || type === "remove-participant") return { type, personId: "p-1" };
  return { type } as ContractEvent;
}
const run = (status: ContractStatus, type: ContractEventType) =>
  transitionContract({ ...complete, status }, eventOf(type), ctx);

describe("contract machine (A7.1)", () => {
  expectTransitionTable(CONTRACT_TRANSITIONS, [
    "draft amend → draft",
    "draft add-participant → draft",
    "draft remove-participant → draft",
    "draft activate → active",
    "draft cancel → cancelled",
    "active add-participant → active",
    "active remove-participant → active",
    "active close → closed",
    "active amend → active",
    "active suspend → suspended",
    "suspended resume → active",
    "suspended remove-participant → suspended",
    "suspended close → closed",
  ]);

  it("A7.1: an active contract is amended only into one still complete", () => {
    const active = { ...complete, status: "active" as const };
    const amended = transitionContract(
      active,
      { type: "amend", informationList: [{ title: "tests", level: 1 }] },
      ctx,
    );
    expect(amended.state).toMatchObject({
      status: "active",
      informationList: [{ title: "tests", level: 1 }],
    });
    expect(refusalOf(() => transitionContract(active, { type: "amend", clauses: [] }, ctx)).code).toBe(
      "CONTRACT_CLAUSES_MISSING",
    );
    expect(
      refusalOf(() => transitionContract(active, { type: "amend", informationList: [] }, ctx)).code,
    ).toBe("CONTRACT_LEVELS_MISSING");
  });

  testEveryTransition({
    statuses: CONTRACT_STATUSES,
    events: CONTRACT_EVENTS,
    rules: CONTRACT_TRANSITIONS,
    run,
  });

  for (const clause of CONTRACT_CLAUSES) {
    it(`A7.1: refuses to activate a draft without the clause “${clause}”`, () => {
      const draft = { ...complete, clauses: CONTRACT_CLAUSES.filter((c) => c !== clause) };
      const error = refusalOf(() => transitionContract(draft, { type: "activate" }, ctx));
      expect(error.code).toBe("CONTRACT_CLAUSES_MISSING");
      expect(error.details.missing).toEqual([clause]);
    });
  }

  it("A7.1: refuses to activate when the information list is empty, lacks a level or names an unknown one", () => {
    for (const informationList of [[], [{ title: "x", level: null }], [{ title: "x", level: 7 }]]) {
      const error = refusalOf(() =>
        transitionContract({ ...complete, informationList }, { type: "activate" }, ctx),
      );
      expect(error.code).toBe("CONTRACT_LEVELS_MISSING");
    }
  });
});
