import { otherParty } from "../../domain/classification/levels.ts";
import { draftContract } from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

export type CreateContractInput = {
  readonly actor: string;
  /** The contract's number, unique in the node. */
  readonly number: string;
  readonly title: string;
  /** The other Party's authorized body that is the other side of the contract (A1.13). */
  readonly counterpartName: string;
};

/** Drafts a contract (A1.13, A7.1) of the actor's authorized body with a body of the other Party. */
export async function createContract(ctx: AppContext, input: CreateContractInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "contract.created" }, async (trx, actor) => {
    requireRole(actor, "registry-officer");
    for (const [field, value] of Object.entries({
      number: input.number,
      title: input.title,
      counterpart: input.counterpartName,
    })) {
      if (value.trim().length === 0) throw new DomainError("INPUT_INVALID", { field, problem: "empty" });
    }
    const taken = await trx
      .selectFrom("contracts")
      .select("id")
      .where("number", "=", input.number)
      .executeTakeFirst();
    if (taken)
      throw new DomainError("INPUT_INVALID", { field: "number", problem: `${input.number} is taken` });
    const counterpart = otherParty(ctx.pack, ctx.config.party);
    const draft = draftContract({
      id: ctx.newId(),
      bodies: [actor.organisation.id, `${counterpart.code}:${input.counterpartName}`],
    });
    const row = {
      id: draft.id,
      number: input.number,
      title: input.title.trim(),
      state: draft.status,
      organisation_id: actor.organisation.id,
      counterpart_party: counterpart.code,
      counterpart_name: input.counterpartName.trim(),
      created_at: toTimestamp(ctx.now()),
      activated_at: null,
      version: 1,
    };
    await trx.insertInto("contracts").values(row).execute();
    await recordDone(trx, ctx, actor, {
      type: "contract.created",
      object: { type: "contract", id: row.id },
      articles: ["A1.13", "A7.1"],
      data: {
        number: row.number,
        counterpart: row.counterpart_name,
        counterpartParty: row.counterpart_party,
      },
    });
    return row;
  });
}
