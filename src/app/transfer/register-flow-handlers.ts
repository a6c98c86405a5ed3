// Connects every Article 5 and 6 message kind to its handler in the node's inbox.
import {
  onConsentAnswer,
  onConsentRequest,
  onDeclassificationNotice,
  onDestructionNotice,
  onLevelChangeNotice,
} from "../consent/consent-handlers.ts";
import type { FlowContext } from "./flow-context.ts";
import {
  onCarrierTransfer,
  onFacilityClearanceAnswer,
  onFacilityClearanceRequest,
  onReceiptNotice,
} from "./transfer-handlers.ts";

export function registerFlowHandlers(ctx: FlowContext): void {
  const h = ctx.exchange.handlers;
  h["facility-clearance-request"] = onFacilityClearanceRequest(ctx);
  h["facility-clearance-answer"] = onFacilityClearanceAnswer(ctx);
  h["carrier-transfer"] = onCarrierTransfer(ctx);
  h["receipt-notice"] = onReceiptNotice(ctx);
  h["consent-request"] = onConsentRequest(ctx);
  h["consent-answer"] = onConsentAnswer(ctx);
  h["level-change-notice"] = onLevelChangeNotice(ctx);
  h["declassification-notice"] = onDeclassificationNotice(ctx);
  h["destruction-notice"] = onDestructionNotice(ctx);
}
