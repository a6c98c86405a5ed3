import { findLevel } from "../../domain/classification/levels.ts";
import { type ContractClause, transitionContract } from "../../domain/contract/contract-machine.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import {
  clauseOrder,
  isContractClause,
  loadContract,
  requireConcludedHere,
  requireContractKeeper,
} from "./contract-repository.ts";
import { shareContract } from "./share-contract.ts";

export type AmendContractInput = {
  readonly actor: string;
  readonly contract: string;
  /** Clause texts to set (A7.1 (1)–(6)), by clause id. */
  readonly clauses?: Readonly<Partial<Record<ContractClause, string>>>;
  /** Items to add to the list of classified information, each with its level (A7.1 (1)). */
  readonly information?: readonly { readonly description: string; readonly level: string }[];
};

/** Each item carries a level of the A2.1 table (A7.1 (1)); an unknown one is refused naming the item. */
function levelOfItem(ctx: AppContext, level: string, field: string) {
  try {
    return findLevel(ctx.pack, level);
  } catch (error) {
    if (!isDomainError(error, "LEVEL_UNKNOWN")) throw error;
    throw new DomainError("CONTRACT_ITEM_LEVEL_UNKNOWN", { field, level }, { cause: error });
  }
}

/**
 * Sets clauses and adds information items to a contract (A7.1): a draft, or an active one which
 * stays complete and is sent again to the other Party's body (A1.13).
 */
export async function amendContract(ctx: AppContext, input: AmendContractInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "contract.amended" }, async (trx, actor) => {
    const { row, state, information } = await loadContract(trx, ctx.pack, input.contract);
    requireContractKeeper(actor, row.organisation_id);
    requireConcludedHere(row);
    const clauseTexts = Object.entries(input.clauses ?? {});
    for (const [clause, text] of clauseTexts) {
      if (!isContractClause(clause)) {
        throw new DomainError("INPUT_INVALID", { field: "clause", problem: `unknown clause ${clause}` });
      }
      if (!text || text.trim().length === 0) {
        throw new DomainError("INPUT_INVALID", { field: clause, problem: "a clause needs its text" });
      }
    }
    const added = (input.information ?? []).map((item, i) => {
      const field = `information[${i}]`;
      if (item.description.trim().length === 0) {
        throw new DomainError("INPUT_INVALID", {
          field: `${field}.description`,
          problem: "empty description",
        });
      }
      const level = levelOfItem(ctx, item.level, `${field}.level`);
      return { position: information.length + i + 1, description: item.description.trim(), level };
    });
    const result = transitionContract(
      state,
      {
        type: "amend",
        clauses: [...state.clauses, ...clauseTexts.map(([c]) => c as ContractClause)],
        informationList: [
          ...state.informationList,
          ...added.map((a) => ({ title: a.description, level: a.level.rank })),
        ],
      },
      { at: toTimestamp(ctx.now()), levelRanks: ctx.pack.levels.map((l) => l.rank) },
    );
    for (const [clause, text] of clauseTexts) {
      await trx
        .deleteFrom("contract_clauses")
        .where("contract_id", "=", row.id)
        .where("clause", "=", clause)
        .execute();
      await trx
        .insertInto("contract_clauses")
        .values({ contract_id: row.id, clause, text: String(text).trim() })
        .execute();
    }
    if (added.length > 0) {
      await trx
        .insertInto("contract_information")
        .values(
          added.map((a) => ({
            contract_id: row.id,
            position: a.position,
            description: a.description,
            level: a.level.id,
          })),
        )
        .execute();
    }
    await trx
      .updateTable("contracts")
      .set({ version: row.version + 1 })
      .where("id", "=", row.id)
      .execute();
    // An active contract's amendment goes to the other Party's body as well (A7.1, A1.13).
    const message = await shareContract(trx, ctx, row.id);
    await recordDone(trx, ctx, actor, {
      type: "contract.amended",
      object: { type: "contract", id: row.id },
      articles: result.articles,
      data: {
        message,
        clauses: clauseTexts.map(([c]) => c),
        information: added.map((a) => ({ description: a.description, level: a.level.id })),
      },
    });
    return {
      number: row.number,
      version: row.version + 1,
      clauses: [...result.state.clauses].sort((a, b) => clauseOrder(a) - clauseOrder(b)),
      information: result.state.informationList.length,
    };
  });
}
