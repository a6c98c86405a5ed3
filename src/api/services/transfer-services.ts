// The API's transfer steps (A5) through the node's transfer use cases: each re-checks roles,
// clearances, the contract and the transfer's state, audits, and puts its message in the outbox.
import { randomBytes } from "node:crypto";
import type { FlowContext } from "../../app/transfer/flow-context.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
} from "../../app/transfer/transfer-flow.ts";
import { DomainError } from "../../domain/errors.ts";
import type { NodeServices } from "../services.ts";

export function createTransferServices(ctx: FlowContext): Partial<NodeServices> {
  return {
    async requestTransfer(actor, input) {
      const result = await requestCarrierTransfer(ctx, {
        actor: actor.personId,
        carrier: input.carrierId,
        to: input.receivingBodyId,
        contract: input.contractId,
      });
      return { id: result.transferId };
    },

    async actOnTransfer(actor, id, action, reason) {
      const base = { actor: actor.personId, transfer: id };
      switch (action) {
        case "consent":
          return { id: (await decideTransfer(ctx, { ...base, decision: "consent" })).transferId };
        case "refuse":
          return {
            id: (await decideTransfer(ctx, { ...base, decision: "refuse", ...(reason ? { reason } : {}) }))
              .transferId,
          };
        case "confirm":
          return { id: (await answerClearanceConfirmation(ctx, base)).transferId };
        case "refuse-confirmation":
          return {
            id: (
              await answerClearanceConfirmation(ctx, { ...base, refuse: true, ...(reason ? { reason } : {}) })
            ).transferId,
          };
        case "dispatch": {
          const row = await ctx.db
            .selectFrom("transfers")
            .innerJoin("carriers", "carriers.id", "transfers.carrier_id")
            .select(["carriers.has_content"])
            .where("transfers.id", "=", id)
            .executeTakeFirst();
          // Electronic content goes as a sealed package (A5.7); a physical carrier by state courier
          // with a dispatch record (A5.6) — seal and waybill numbers made here for the record.
          const electronic = row?.has_content === 1;
          const stamp = randomBytes(3).toString("hex").toUpperCase();
          const result = await dispatchTransfer(ctx, {
            ...base,
            channel: electronic ? "agreed-electronic" : "state-courier",
            ...(electronic ? {} : { sealNumbers: [`S-${stamp}`], waybill: `W-${stamp}` }),
          });
          return { id: result.transferId };
        }
        case "receive":
          return { id: (await receivePhysicalCarrier(ctx, base)).transferId };
        default:
          throw new DomainError("INPUT_INVALID", { field: "action", problem: `no step ${action}` });
      }
    },
  };
}
