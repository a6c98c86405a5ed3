// The holder's registry officer acts on a granted written consent (A6.3–A6.7, A4.1.5): the
// action the consent was asked for, through that action's one use case (src/app/carriers/*),
// which checks the carrier's state, the officer's clearance and the consent again and spends it.
import type { ContentSource } from "../../crypto/at-rest/content-vault.ts";
import type { ConsentAction } from "../../domain/consent/consent-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { withTransaction } from "../../store/transaction.ts";
import { loadActor } from "../actor.ts";
import { changeCarrierLevel, declassifyCarrier } from "../carriers/change-level.ts";
import { copyCarrier, translateCarrier } from "../carriers/copy-carrier.ts";
import { destroyCarrier } from "../carriers/destroy-carrier.ts";
import { consentDetailsOf } from "../carriers/originator-consent.ts";
import { releaseToThirdParty } from "../carriers/release-carrier.ts";
import { returnCarrier } from "../carriers/return-carrier.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { consentNotFound } from "./consent-flow.ts";

export type PerformConsentInput = {
  readonly actor: string;
  /** The consent request (direction `out`) of the actor's body. */
  readonly consent: string;
  /** A return (A6.6): the channel of the agreement pack, its seal numbers and waybill. */
  readonly channel?: string;
  readonly sealNumbers?: string[];
  readonly waybill?: string;
  /** A translation of electronic content: the translated content, and its title. */
  readonly content?: ContentSource;
  readonly title?: string;
};

/**
 * Performs the action of a granted consent the actor's body asked for: a copy, a translation into
 * the consented language, a destruction, a release to the consented third party, a return, a level
 * change to the consented level or a declassification, on the holder's carrier the consent was
 * asked for. A consent of another body and one that does not exist get the same answer
 * (`no consent request <id>`, A4.2). Returns the action and the use case's result.
 */
export async function performConsent(ctx: FlowContext, input: PerformConsentInput) {
  const row = await withTransaction(ctx.db, async (trx) => {
    const actor = await loadActor(trx, input.actor);
    return trx
      .selectFrom("consent_requests")
      .selectAll()
      .where("id", "=", input.consent)
      .where("direction", "=", "out")
      .where("holder_org", "=", actor.organisation.id)
      .executeTakeFirst();
  });
  if (!row?.carrier_id) throw consentNotFound(input.consent);
  const details = consentDetailsOf(row);
  const base = { actor: input.actor, carrier: details.carrier ?? row.carrier_id, consent: row.id };
  const action = row.action as ConsentAction;
  const missing = (field: string, problem: string) => new DomainError("INPUT_INVALID", { field, problem });
  const result = await (async () => {
    switch (action) {
      case "copy":
        return copyCarrier(ctx, base);
      case "translate":
        if (!details.language) throw missing("language", "the consent names no language");
        return translateCarrier(ctx, {
          ...base,
          language: details.language,
          ...(input.title !== undefined ? { title: input.title } : {}),
          ...(input.content !== undefined ? { content: input.content } : {}),
        });
      case "destroy":
        return destroyCarrier(ctx, base);
      case "third-party-release":
        if (!details.thirdParty) throw missing("third-party", "the consent names no third party");
        return releaseToThirdParty(ctx, { ...base, thirdParty: details.thirdParty });
      case "return":
        if (!input.channel) throw missing("channel", "a return goes by a channel of the agreement pack");
        return returnCarrier(ctx, {
          ...base,
          channel: input.channel,
          ...(input.sealNumbers ? { sealNumbers: input.sealNumbers } : {}),
          ...(input.waybill !== undefined ? { waybill: input.waybill } : {}),
        });
      case "reclassify":
        if (!details.newLevel) throw missing("level", "the consent names no level");
        return changeCarrierLevel(ctx, { ...base, level: details.newLevel });
      case "declassify":
        return declassifyCarrier(ctx, base);
      case "transfer":
        throw missing("consent", `consent request ${row.id} is not for an Article 6 action`);
    }
  })();
  return { consentId: row.id, action, result };
}
