// What the other node answered to one of our messages, as the outbox keeps it: the state of a
// notice or letter we sent (received once its receipt came back; refused by the other node).

import { z } from "zod";
import { parseJsonColumn } from "../../store/columns.ts";

/** exchange_outbox.ack as stored: the other node's answer (a refusal names its code and articles). */
const StoredAck = z.looseObject({ code: z.string().optional(), articles: z.array(z.string()).optional() });

/** `received` once received; `refused` when the other node refused the message; else `sent`. */
export function answerOf(
  receivedAt: string | null,
  outboxState: string | null,
  outboxAck: string | null,
): { state: "sent" | "received" | "refused"; refusal: { code: string; articles: string[] } | null } {
  if (receivedAt !== null) return { state: "received", refusal: null };
  if (outboxState !== "refused") return { state: "sent", refusal: null };
  const ack = outboxAck ? parseJsonColumn(StoredAck, outboxAck, "exchange_outbox.ack") : null;
  return {
    state: "refused",
    refusal: ack ? { code: ack.code ?? "MESSAGE_REFUSED", articles: [...(ack.articles ?? [])] } : null,
  };
}
