import { transitionContract } from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import { findPerson } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadContract, requireContractKeeper } from "./contract-repository.ts";
import { shareContract, shareParticipants } from "./share-contract.ts";

/** Names a person of the contract's authorized body as a participant: need-to-know (A4.2). */
export async function addContractParticipant(
  ctx: AppContext,
  input: { readonly actor: string; readonly contract: string; readonly person: string },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "contract.participant-added" },
    async (trx, actor) => {
      const { row, state } = await loadContract(trx, ctx.pack, input.contract);
      requireContractKeeper(actor, row.organisation_id);
      const person = await findPerson(trx, input.person);
      if (person.organisation_id !== row.organisation_id) {
        throw new DomainError("INPUT_INVALID", {
          field: "person",
          problem: `${person.handle} is not a member of the contract's authorized body`,
        });
      }
      const result = transitionContract(
        state,
        { type: "add-participant", personId: person.id },
        { at: toTimestamp(ctx.now()), levelRanks: ctx.pack.levels.map((l) => l.rank) },
      );
      const already = state.participants.includes(person.id);
      if (!already) {
        await trx
          .insertInto("contract_participants")
          .values({ contract_id: row.id, person_id: person.id })
          .execute();
        // Concluded here: a new version, sent to the other Party's body (A7.1); held here as the
        // other Party sent it: the contract stays as sent, and this side's participants go back to
        // the concluding body, so that both nodes know both sides' participants (A1.13, A7.1).
        if (row.origin_party === null)
          await trx
            .updateTable("contracts")
            .set({ version: row.version + 1 })
            .where("id", "=", row.id)
            .execute();
        const message =
          row.origin_party === null
            ? await shareContract(trx, ctx, row.id)
            : await shareParticipants(trx, ctx, row.id);
        await recordDone(trx, ctx, actor, {
          type: "contract.participant-added",
          object: { type: "contract", id: row.id },
          articles: result.articles,
          data: { person: person.id, message },
        });
      }
      return { number: row.number, person: person.handle, changed: !already };
    },
  );
}
