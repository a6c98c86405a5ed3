// Connects every message kind of the catalogue to its handler in the node's inbox.
import { onAgreementNotice, onAgreementNoticeReceipt } from "../agreement/agreement-handlers.ts";
import {
  onAmendmentProtocol,
  onAmendmentProtocolAnswer,
  onAmendmentProtocolNotice,
} from "../agreement/amendment-handlers.ts";
import { refreshPackHistory } from "../agreement/pack-history.ts";
import { onAuthorityLetter, onAuthorityLetterReceipt } from "../authorities/authority-handlers.ts";
import { onBreachClosure, onBreachNotice, onBreachResults } from "../breaches/breach-handlers.ts";
import {
  onConsentAnswer,
  onConsentRequest,
  onDeclassificationNotice,
  onDestructionNotice,
  onLevelChangeNotice,
} from "../consent/consent-handlers.ts";
import { onContractNotice, onContractParticipants } from "../contracts/share-contract.ts";
import { onVisitAnswer, onVisitCancellation, onVisitRequest } from "../visits/visit-handlers.ts";
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
  h["visit-request"] = onVisitRequest(ctx);
  h["visit-answer"] = onVisitAnswer(ctx);
  h["visit-cancellation"] = onVisitCancellation(ctx);
  // A11.1, A11.2: breaches notified, investigated and closed by the other Party.
  h["breach-notice"] = onBreachNotice(ctx);
  h["breach-results"] = onBreachResults(ctx);
  h["breach-closure"] = onBreachClosure(ctx);
  // A15.1, A15.2: the notices about the agreement itself, and their receipts.
  h["agreement-notice"] = onAgreementNotice(ctx);
  h["agreement-notice-receipt"] = onAgreementNoticeReceipt(ctx);
  // A3.2, A3.3, A8.1, A8.2: the competent authorities' letters, and their receipts.
  h["authority-letter"] = onAuthorityLetter(ctx);
  h["authority-letter-receipt"] = onAuthorityLetterReceipt(ctx);
  // A1.13, A7.1: the contracts concluded by the other Party's bodies, held here too.
  h["contract-notice"] = onContractNotice(ctx);
  // A1.13, A7.1: the other side's participants of the contracts concluded here.
  h["contract-participants"] = onContractParticipants(ctx);
  // A14: amendment protocols, their answers and the notices of their entry into force.
  h["amendment-protocol"] = onAmendmentProtocol(ctx);
  h["amendment-protocol-answer"] = onAmendmentProtocolAnswer(ctx);
  h["amendment-protocol-notice"] = onAmendmentProtocolNotice(ctx);
  // A14: every handler applies the version of the pack in force at its instant.
  for (const [kind, handler] of Object.entries(h)) {
    if (!handler) continue;
    h[kind as keyof typeof h] = async (trx, message) => {
      await refreshPackHistory(trx, ctx);
      return handler(trx, message);
    };
  }
}
