// The audit events of the exchange and of the Article 5/6 flows, added to the log's catalogue.
import type { AuditData } from "../audit/entry.ts";

declare module "../audit/entry.ts" {
  interface AuditEventCatalogue {
    "exchange.message-received": AuditData | undefined;
    "exchange.message-refused": AuditData | undefined;
    "exchange.message-refused-by-peer": AuditData | undefined;
    /** A forged, tampered, replayed-with-other-content or misaddressed message (a security event). */
    "exchange.security-event": AuditData | undefined;
    "exchange.peer-log-inconsistent": AuditData | undefined;
    "exchange.peer-checkpoint-cosigned": AuditData | undefined;
    /** A newer CRL of the other Party's root was fetched and stored (A5.7: revocation honoured). */
    "exchange.peer-crl-updated": AuditData | undefined;
    "exchange.bundle-exported": AuditData | undefined;
    "agreement.notice-recorded": AuditData | undefined;
    "transfer.requested": AuditData | undefined;
    "transfer.consented": AuditData | undefined;
    "transfer.refused": AuditData | undefined;
    "transfer.clearance-confirmation-asked": AuditData | undefined;
    "transfer.clearance-confirmation-answered": AuditData | undefined;
    "transfer.clearance-confirmed": AuditData | undefined;
    "transfer.dispatched": AuditData | undefined;
    /** A physical carrier is on its way: its dispatch record arrived (A5.6). */
    "transfer.dispatch-noted": AuditData | undefined;
    "transfer.received": AuditData | undefined;
    /** A5.5: the receiving body's competent authority is told of a carrier on its way or received. */
    "transfer.authority-informed": AuditData | undefined;
    "transfer.receipt-noted": AuditData | undefined;
    /** The receiving registry officer took a physical carrier in and sent the receipt notice (A5.6). */
    "transfer.receipt-sent": AuditData | undefined;
    "transfer.closed": AuditData | undefined;
    "consent.requested": AuditData | undefined;
    "consent.received": AuditData | undefined;
    "consent.answered": AuditData | undefined;
    "consent.answer-received": AuditData | undefined;
    "carrier.remarked": AuditData | undefined;
    "carrier.declassified": AuditData | undefined;
    "carrier.destruction-noted": AuditData | undefined;
    "carrier.released": AuditData | undefined;
    "carrier.returned": AuditData | undefined;
  }
}
