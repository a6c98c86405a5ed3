// The JSON columns of `transfers` as the transfer use cases and handlers write them, parsed back
// through these schemas (parseJsonColumn): a stored value of another shape fails loudly, naming the
// column, instead of becoming a wrong object.
import { z } from "zod";
import type { FacilityConfirmation } from "../../domain/transfer/transfer-machine.ts";
import { carrierTransferBodySchema, receiptNoticeBodySchema } from "../../exchange/messages/catalogue.ts";
import type { TransfersTable } from "../../exchange/tables.ts";
import { parseJsonColumn } from "../../store/columns.ts";

/** A5.3, sending node: the facility clearance the machine confirmed (`confirm-facility`). */
const FacilityConfirmationSchema = z.object({
  level: z.number().int(),
  validFrom: z.string(),
  validUntil: z.string(),
  confirmedAt: z.string(),
}) satisfies z.ZodType<FacilityConfirmation>;

/**
 * A5.3: the written answer as kept: on the receiving node (with `confirmedAt`), and on the sending
 * node when it refused the transfer (the answer itself).
 */
const ClearanceAnswerRecord = z.looseObject({
  transferId: z.string(),
  receivingOrg: z.string(),
  confirmed: z.boolean(),
  level: z.string().nullable(),
  validUntil: z.string().nullable(),
  reason: z.string().nullable(),
  confirmedAt: z.string().optional(),
});

const StoredConfirmation = z.union([FacilityConfirmationSchema, ClearanceAnswerRecord]);

/** A5.6, receiving node: the whole `carrier-transfer` message body, its id and the sending body. */
export const IncomingDispatchSchema = carrierTransferBodySchema.extend({
  message: z.string(),
  sender: z.string(),
});

/** A5.6, A5.7, sending node: the delivery sent (`carrier-transfer`'s `delivery`) and the message's id. */
const OutgoingDispatchSchema = z.looseObject({
  mode: z.enum(["electronic", "physical"]),
  channel: z.string().optional(),
  sealNumbers: z.array(z.string()).optional(),
  waybill: z.string().optional(),
  message: z.string(),
});

/** A5.6, sending node: the receipt notice's body and the message's id. */
const StoredReceipt = receiptNoticeBodySchema.extend({ message: z.string() });

/** A5.2, A5.3: why the transfer was refused (by the competent authority here, or by the answer). */
const StoredTransferRefusal = z.looseObject({
  by: z.string().optional(),
  code: z.string().optional(),
  articles: z.array(z.string()),
  reason: z.string().nullable().optional(),
});

/** The confirmation column: the machine's facility confirmation, or the written answer kept. */
export function confirmationOf(row: Pick<TransfersTable, "confirmation">) {
  return row.confirmation === null
    ? null
    : parseJsonColumn(StoredConfirmation, row.confirmation, "transfers.confirmation");
}

/** The machine's facility confirmation (A5.3), null when none (or only the written answer) is kept. */
export function facilityOf(row: Pick<TransfersTable, "confirmation">): FacilityConfirmation | null {
  const facility = FacilityConfirmationSchema.safeParse(confirmationOf(row));
  return facility.success ? facility.data : null;
}

/** The dispatch record of a transfer `in` (receiving node). */
export function incomingDispatchOf(row: Pick<TransfersTable, "dispatch">) {
  return row.dispatch === null
    ? null
    : parseJsonColumn(IncomingDispatchSchema, row.dispatch, "transfers.dispatch (in)");
}

/** The dispatch record of a transfer `out` (sending node). */
export function outgoingDispatchOf(row: Pick<TransfersTable, "dispatch">) {
  return row.dispatch === null
    ? null
    : parseJsonColumn(OutgoingDispatchSchema, row.dispatch, "transfers.dispatch (out)");
}

/** The receipt notice kept on the sending node. */
export function receiptOf(row: Pick<TransfersTable, "receipt">) {
  return row.receipt === null ? null : parseJsonColumn(StoredReceipt, row.receipt, "transfers.receipt");
}

/** Why the transfer was refused, as kept. */
export function refusalOf(row: Pick<TransfersTable, "refusal">) {
  return row.refusal === null
    ? null
    : parseJsonColumn(StoredTransferRefusal, row.refusal, "transfers.refusal");
}
