// The API's transfer steps (A5) through the node's transfer use cases: each re-checks roles,
// clearances, the contract and the transfer's state, audits, and puts its message in the outbox.
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

    async actOnTransfer(actor, id, action, input) {
      const base = { actor: actor.personId, transfer: id };
      const reason = input.reason;
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
          // The registry officer names the channel; a physical carrier's seal numbers and waybill are
          // the ones on the parcel (the use case refuses a physical dispatch without them).
          const channel = input.channel ?? ctx.pack.channels.find((c) => c.kind === "electronic")?.id ?? "";
          const result = await dispatchTransfer(ctx, {
            ...base,
            channel,
            ...(input.sealNumbers ? { sealNumbers: input.sealNumbers } : {}),
            ...(input.waybill ? { waybill: input.waybill } : {}),
          });
          return { id: result.transferId };
        }
        case "receive":
          return {
            id: (await receivePhysicalCarrier(ctx, { ...base, sealsIntact: input.sealsIntact === true }))
              .transferId,
          };
        default:
          throw new DomainError("INPUT_INVALID", { field: "action", problem: `no step ${action}` });
      }
    },
  };
}
