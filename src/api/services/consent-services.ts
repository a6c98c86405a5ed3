// The API's Article 6 steps through the node's consent use cases: the holder asks the originator's
// written consent (A6.7), the originator answers (A6.3–A6.6, A4.1.5), the holder acts with it.
import {
  answerConsent,
  changeCarrierLevel,
  copyReceivedCarrier,
  destroyReceivedCarrier,
  releaseToThirdParty,
  requestConsent,
} from "../../app/consent/consent-flow.ts";
import type { FlowContext } from "../../app/transfer/flow-context.ts";
import { DomainError } from "../../domain/errors.ts";
import type { NodeServices } from "../services.ts";

export function createConsentServices(ctx: FlowContext, base: NodeServices): Partial<NodeServices> {
  return {
    async requestConsent(actor, carrierId, input) {
      // Only a carrier the user may see can be named (else: the not-found answer, A4.2).
      await base.getCarrier(actor, carrierId);
      const result = await requestConsent(ctx, {
        actor: actor.personId,
        carrier: carrierId,
        action: input.action,
        reason: input.reason,
        ...(input.language ? { language: input.language } : {}),
        ...(input.thirdParty ? { thirdParty: input.thirdParty } : {}),
      });
      return { id: result.consentId };
    },

    async changeCarrierLevel(actor, carrierId, input) {
      await base.getCarrier(actor, carrierId);
      await changeCarrierLevel(ctx, {
        actor: actor.personId,
        carrier: carrierId,
        level: input.level,
        ...(input.declassify ? { declassify: true } : {}),
      });
      return { id: carrierId };
    },

    async actOnConsent(actor, id, action, reason) {
      if (action === "grant" || action === "refuse") {
        const result = await answerConsent(ctx, {
          actor: actor.personId,
          consent: id,
          decision: action,
          ...(reason ? { reason } : {}),
        });
        return { id: result.consentId };
      }
      if (action !== "perform")
        throw new DomainError("INPUT_INVALID", { field: "action", problem: `no step ${action}` });
      const row = await ctx.db
        .selectFrom("consent_requests")
        .selectAll()
        .where("id", "=", id)
        .where("direction", "=", "out")
        .where("holder_org", "=", actor.organisationId)
        .executeTakeFirst();
      if (!row?.carrier_id)
        throw new DomainError("INPUT_INVALID", { field: "consent", problem: `no consent request ${id}` });
      const details = JSON.parse(row.details) as { language?: string | null; thirdParty?: string | null };
      const carrier = row.carrier_id;
      switch (row.action) {
        case "copy":
          await copyReceivedCarrier(ctx, { actor: actor.personId, carrier });
          break;
        case "translate":
          await copyReceivedCarrier(ctx, {
            actor: actor.personId,
            carrier,
            translation: { language: details.language ?? "ru" },
          });
          break;
        case "destroy":
          await destroyReceivedCarrier(ctx, { actor: actor.personId, carrier });
          break;
        case "third-party-release":
          await releaseToThirdParty(ctx, {
            actor: actor.personId,
            carrier,
            thirdParty: details.thirdParty ?? "",
          });
          break;
        default:
          throw new DomainError("INPUT_INVALID", { field: "action", problem: `no step for ${row.action}` });
      }
      return { id };
    },
  };
}
