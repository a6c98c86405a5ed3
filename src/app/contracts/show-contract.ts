import { CONTRACT_CLAUSES, missingClauses } from "../../domain/contract/contract-machine.ts";
import { withTransaction } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { loadContract } from "./contract-repository.ts";

/** A contract with its clauses, information list, participants and what it still lacks (A7.1). */
export async function showContract(ctx: AppContext, ref: string) {
  return withTransaction(ctx.db, async (trx) => {
    const { row, state, clauses, information, participants } = await loadContract(trx, ctx.pack, ref);
    return {
      ...row,
      clauses: [...clauses].sort(
        (a, b) => CONTRACT_CLAUSES.indexOf(a.clause as never) - CONTRACT_CLAUSES.indexOf(b.clause as never),
      ),
      information,
      participants: participants.map((p) => p.handle),
      missingClauses: missingClauses(state),
    };
  });
}

/** Every contract of the node, newest first. */
export async function listContracts(ctx: AppContext) {
  return ctx.db.selectFrom("contracts").selectAll().orderBy("created_at", "desc").execute();
}
