// Contracts as the domain's contract machine sees them (ContractState), read from and written to
// the contract tables.
import type { AgreementPack } from "../../domain/agreement/pack-schema.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import {
  CONTRACT_CLAUSES,
  type ContractClause,
  type ContractState,
  type ContractStatus,
} from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import { findContract } from "../refs.ts";

/** A clause's place in the order A7.1 lists the six (unknown ones last). */
export const clauseOrder = (clause: string) => {
  const i = (CONTRACT_CLAUSES as readonly string[]).indexOf(clause);
  return i < 0 ? CONTRACT_CLAUSES.length : i;
};

export async function loadContract(trx: Trx, pack: AgreementPack, ref: string) {
  const row = await findContract(trx, ref);
  const [clauses, information, participants] = await Promise.all([
    trx.selectFrom("contract_clauses").select(["clause", "text"]).where("contract_id", "=", row.id).execute(),
    trx
      .selectFrom("contract_information")
      .select(["position", "description", "level"])
      .where("contract_id", "=", row.id)
      .orderBy("position")
      .execute(),
    trx
      .selectFrom("contract_participants")
      .innerJoin("people", "people.id", "contract_participants.person_id")
      .select(["people.id", "people.handle"])
      .where("contract_participants.contract_id", "=", row.id)
      .orderBy("people.handle")
      .execute(),
  ]);
  // The six clauses in the order A7.1 lists them, whatever order they were written in.
  clauses.sort((a, b) => clauseOrder(a.clause) - clauseOrder(b.clause));
  const state: ContractState = {
    id: row.id,
    status: row.state as ContractStatus,
    bodies: [row.organisation_id, `${row.counterpart_party}:${row.counterpart_name}`],
    clauses: clauses.map((c) => c.clause).filter(isContractClause),
    informationList: information.map((i) => ({ title: i.description, level: findLevel(pack, i.level).rank })),
    participants: participants.map((p) => p.id),
    activatedAt: row.activated_at,
    closedAt: null,
  };
  return { row, state, clauses, information, participants };
}

export function isContractClause(value: unknown): value is ContractClause {
  return typeof value === "string" && (CONTRACT_CLAUSES as readonly string[]).includes(value);
}

/** A7.1: only the node where the contract was concluded changes it (the other holds it as sent). */
export function requireConcludedHere(row: { number: string; origin_party: string | null }): void {
  if (row.origin_party !== null)
    throw new DomainError("CONTRACT_CONCLUDED_ELSEWHERE", { number: row.number });
}

/** Contracts are kept by the registry officers of the authorized body that concluded them. */
export function requireContractKeeper(actor: Actor, organisationId: string): void {
  if (!actor.roles.has("registry-officer") || actor.organisation.id !== organisationId) {
    throw new DomainError("ROLE_FORBIDDEN", { needed: ["registry-officer"], actor: actor.handle });
  }
}
