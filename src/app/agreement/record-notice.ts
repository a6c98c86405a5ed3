// A15.1, A15.2: a notice about the agreement that reached this Party before its node was connected
// to the other's (on paper, through diplomatic channels), recorded at set-up so that the node starts
// from the agreement's actual state. Once the nodes are connected, notices are sent as messages
// (sendAgreementNotice); this is the set-up the demo and the test nodes use, with the same checks:
// the machine's, and a date neither before the signature nor after today.
import {
  type AgreementState,
  checkNoticeDate,
  signAgreement,
  transitionAgreement,
} from "../../domain/agreement/agreement-machine.ts";
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import { findParty, otherParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone, normalizeInstant } from "../../domain/time/instants.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { readAgreementState, saveAgreementState } from "../transfer/flow-context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

/** Records a notice received before the nodes were connected; `at` is when the other Party received it. */
export async function recordAgreementNotice(
  ctx: AppContext,
  input: {
    actor: string;
    event: "receive-notice" | "receive-termination-notice" | "terminate";
    from?: string;
    at?: string;
  },
): Promise<AgreementState> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "agreement.notice-recorded" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer", "administrator");
      const now = ctx.now().toISOString();
      const at = normalizeInstant(input.at ?? now);
      if (at > now)
        throw new DomainError(
          "AGREEMENT_NOTICE_FUTURE",
          { datedOn: at.slice(0, 10), today: now.slice(0, 10) },
          { articles: ["A15.1", "A15.2"] },
        );
      const state = (await readAgreementState(trx, ctx)) ?? signAgreement(ctx.config.agreementId);
      const event =
        input.event === "terminate"
          ? { type: "terminate" as const }
          : { type: input.event, from: (input.from ?? "") as PartyCode };
      if (event.type !== "terminate") {
        // The date it bears, on the receiver's calendar: not before the signature (or, for a
        // termination, the entry into force).
        const zone = otherParty(ctx.pack, findParty(ctx.pack, event.from).code).timeZone;
        checkNoticeDate(
          state,
          event.type === "receive-notice" ? "procedures-completed" : "termination",
          dateInZone(at, zone),
          { pack: ctx.pack, today: dateInZone(now, zone) },
        );
      }
      const next = transitionAgreement(state, event, { at, pack: ctx.pack });
      await saveAgreementState(trx, ctx, next.state);
      await recordDone(trx, ctx, actor, {
        type: "agreement.notice-recorded",
        object: { type: "agreement", id: ctx.config.agreementId },
        articles: next.articles,
        data: { event: input.event, from: input.from ?? null, at, status: next.state.status },
      });
      return next.state;
    },
  );
}
