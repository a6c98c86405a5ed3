// Contracts (A1.13, A7) as a person may see them: the competent authority's officers every contract
// of the node, a body's people their body's. An item of the information list is shown only to those
// cleared for its level now (A4.2): a person not cleared for it does not learn it exists. One audit
// entry per listing or view.

import { z } from "zod";
import type { AuditData } from "../../audit/entry.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import {
  CONTRACT_CLAUSES,
  CONTRACT_TRANSITIONS,
  type ContractStatus,
  missingClauses,
} from "../../domain/contract/contract-machine.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import { allowedEvents } from "../../domain/machine.ts";
import { parseJsonColumn } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { clearedRank } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadContract, requireConcludedHere, requireContractKeeper } from "./contract-repository.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "contracts.listed": AuditData | undefined;
    "contract.viewed": AuditData | undefined;
  }
}

function requireContractRole(actor: Actor): void {
  requireRole(actor, "competent-authority-officer", "registry-officer", "cleared-user");
}

function seesAll(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

export type ContractView = {
  id: string;
  number: string;
  title: string;
  status: string;
  parties: string[];
  counterpartName: string;
  counterpartParty: string;
  clauses: { key: string; text: string | null }[];
  information: { description: string; levelId: string }[];
  participants: string[];
  /** A1.13: the Party whose body concluded it, when it is held here as that body sent it; else null. */
  heldFrom: string | null;
  /** The other side's participants, as it notified them (held contracts only). */
  peerParticipants: string[];
  /** The contract's version: one more at each change its concluding body makes (A7.1). */
  version: number;
  /** What the actor may do to it now (A7.1, A4.1.4): the use cases decide again. */
  actions: ContractAction[];
};

/** The changes a contract's page offers, each one use case (amend-contract, change-contract-state). */
const CONTRACT_ACTIONS = ["amend", "suspend", "resume", "close"] as const;
type ContractAction = (typeof CONTRACT_ACTIONS)[number];

/**
 * A7.1, A4.1.4: the concluding body's registry officer amends, suspends, resumes and closes it, in
 * the states the contract machine allows; the checks are the use cases' own.
 */
function contractActions(
  actor: Actor,
  c: { number: string; state: string; origin_party: string | null; organisation_id: string },
): ContractAction[] {
  try {
    requireContractKeeper(actor, c.organisation_id);
    requireConcludedHere(c);
  } catch (error) {
    if (isDomainError(error)) return [];
    throw error;
  }
  const allowed: readonly string[] = allowedEvents(CONTRACT_TRANSITIONS, c.state as ContractStatus);
  return CONTRACT_ACTIONS.filter((a) => allowed.includes(a));
}

async function contractViews(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  only?: string,
): Promise<ContractView[]> {
  let query = trx.selectFrom("contracts").selectAll();
  if (!seesAll(actor)) query = query.where("organisation_id", "=", actor.organisation.id);
  if (only) query = query.where("id", "=", only);
  // The contracts concluded here first (the ones this node's bodies keep), then those held as the
  // other Party's bodies sent them; newest first within each.
  const contracts = (await query.orderBy("created_at", "desc").execute()).sort(
    (a, b) => Number(a.origin_party !== null) - Number(b.origin_party !== null),
  );
  if (contracts.length === 0) return [];
  const ids = contracts.map((c) => c.id);
  const [clauses, information, participants, names] = await Promise.all([
    trx.selectFrom("contract_clauses").selectAll().where("contract_id", "in", ids).execute(),
    trx
      .selectFrom("contract_information")
      .selectAll()
      .where("contract_id", "in", ids)
      .orderBy("position")
      .execute(),
    trx
      .selectFrom("contract_participants")
      .innerJoin("people", "people.id", "contract_participants.person_id")
      .select(["contract_participants.contract_id", "people.name"])
      .where("contract_participants.contract_id", "in", ids)
      .execute(),
    organisationNames(trx, ctx),
  ]);
  const rank = clearedRank(ctx, actor, ctx.now().toISOString());
  return contracts.map((c) => ({
    id: c.id,
    number: c.number,
    title: c.title,
    status: c.state,
    parties: [
      names.get(c.organisation_id) ?? c.organisation_id,
      `${c.counterpart_name} (${c.counterpart_party})`,
    ],
    counterpartName: c.counterpart_name,
    counterpartParty: c.counterpart_party,
    clauses: CONTRACT_CLAUSES.map((key) => ({
      key,
      text: clauses.find((k) => k.contract_id === c.id && k.clause === key)?.text ?? null,
    })),
    information: information
      .filter((i) => i.contract_id === c.id && findLevel(ctx.pack, i.level).rank <= rank)
      .map((i) => ({ description: i.description, levelId: i.level })),
    participants: participants.filter((p) => p.contract_id === c.id).map((p) => p.name),
    heldFrom: c.origin_party,
    peerParticipants: c.peer_participants
      ? parseJsonColumn(
          z.array(z.looseObject({ name: z.string() })),
          c.peer_participants,
          "contracts.peer_participants",
        ).map((p) => p.name)
      : [],
    version: c.version,
    actions: contractActions(actor, c),
  }));
}

/** The contracts the actor may see, newest first. */
export async function listContracts(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<ContractView[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "contracts.listed" }, async (trx, actor) => {
    requireContractRole(actor);
    const views = await contractViews(trx, ctx, actor);
    await recordDone(trx, ctx, actor, {
      type: "contracts.listed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A7.1"],
      data: { shown: views.length },
    });
    return views;
  });
}

/** One contract with what it still lacks (A7.1); another body's contract is answered as a missing one. */
export async function showContract(
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "contract.viewed" }, async (trx, actor) => {
    requireContractRole(actor);
    const missing = () =>
      new DomainError("INPUT_INVALID", { field: "contract", problem: `no contract ${input.contract}` });
    const loaded = await loadContract(trx, ctx.pack, input.contract).catch(() => {
      throw missing();
    });
    const [view] = await contractViews(trx, ctx, actor, loaded.row.id);
    if (!view) throw missing();
    await recordDone(trx, ctx, actor, {
      type: "contract.viewed",
      outcome: "allowed",
      object: { type: "contract", id: loaded.row.id },
      articles: ["A4.2", "A7.1"],
    });
    return { ...view, missingClauses: missingClauses(loaded.state) };
  });
}
