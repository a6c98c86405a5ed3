// A7.1, A4.1.4: the concluding body's registry officer suspends a contract (its information is not
// used meanwhile), resumes it, or closes it; each change is sent to the other Party's body in the
// same transaction, so that both nodes apply it (A1.13).
import type { AuditData } from "../../audit/entry.ts";
import { type ContractEvent, transitionContract } from "../../domain/contract/contract-machine.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadContract, requireConcludedHere, requireContractKeeper } from "./contract-repository.ts";
import { shareContract } from "./share-contract.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.1.4, A7.1: a contract was suspended, resumed or closed by its concluding body. */
    "contract.suspended": AuditData | undefined;
    "contract.resumed": AuditData | undefined;
    "contract.closed": AuditData | undefined;
  }
}

type StateChange = "suspend" | "resume" | "close";

const ACTION = {
  suspend: "contract.suspended",
  resume: "contract.resumed",
  close: "contract.closed",
} as const;

async function changeState(
  ctx: AppContext,
  change: StateChange,
  input: { readonly actor: string; readonly contract: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: ACTION[change] }, async (trx, actor) => {
    const { row, state } = await loadContract(trx, ctx.pack, input.contract);
    requireContractKeeper(actor, row.organisation_id);
    requireConcludedHere(row);
    const at = toTimestamp(ctx.now());
    const result = transitionContract(state, { type: change } as ContractEvent, {
      at,
      levelRanks: ctx.pack.levels.map((l) => l.rank),
    });
    await trx
      .updateTable("contracts")
      .set({
        state: result.state.status,
        version: row.version + 1,
        suspended_at: result.state.status === "suspended" ? at : null,
        closed_at: result.state.status === "closed" ? at : null,
      })
      .where("id", "=", row.id)
      .where("version", "=", row.version)
      .execute();
    const message = await shareContract(trx, ctx, row.id);
    await recordDone(trx, ctx, actor, {
      type: ACTION[change],
      object: { type: "contract", id: row.id },
      articles: result.articles,
      data: { number: row.number, message },
    });
    return { number: row.number, state: result.state.status };
  });
}

/** A4.1.4, A7.1: suspends an active contract: no transfer under it, its information not used meanwhile. */
export const suspendContract = (
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string },
) => changeState(ctx, "suspend", input);

/** A4.1.4, A7.1: resumes a suspended contract. */
export const resumeContract = (
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string },
) => changeState(ctx, "resume", input);

/** A7.1, A4.1.4: closes an active or suspended contract. */
export const closeContract = (
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string },
) => changeState(ctx, "close", input);
