import { transitionContract } from "../../domain/contract/contract-machine.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadContract, requireConcludedHere, requireContractKeeper } from "./contract-repository.ts";
import { shareContract } from "./share-contract.ts";

/**
 * Activates a draft contract; refused while a mandatory clause or a level is missing (A7.1). Once
 * active it is sent to the other Party's body, in the same transaction (A1.13).
 */
export async function activateContract(
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "contract.activated" }, async (trx, actor) => {
    const { row, state } = await loadContract(trx, ctx.pack, input.contract);
    requireContractKeeper(actor, row.organisation_id);
    requireConcludedHere(row);
    const at = toTimestamp(ctx.now());
    const result = transitionContract(
      state,
      { type: "activate" },
      { at, levelRanks: ctx.pack.levels.map((l) => l.rank) },
    );
    await trx
      .updateTable("contracts")
      .set({ state: result.state.status, activated_at: result.state.activatedAt, version: row.version + 1 })
      .where("id", "=", row.id)
      .where("version", "=", row.version)
      .execute();
    // A7.1, A1.13: the other Party's body holds it too from now on.
    const message = await shareContract(trx, ctx, row.id);
    await recordDone(trx, ctx, actor, {
      type: "contract.activated",
      object: { type: "contract", id: row.id },
      articles: result.articles,
      data: { number: row.number, message },
    });
    return { number: row.number, state: result.state.status, activatedAt: result.state.activatedAt };
  });
}
