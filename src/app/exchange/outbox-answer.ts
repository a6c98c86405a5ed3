// What the other node answered to one of our messages, as the outbox keeps it: the state of a
// notice or letter we sent (received once its receipt came back; refused by the other node).

/** `received` once received; `refused` when the other node refused the message; else `sent`. */
export function answerOf(
  receivedAt: string | null,
  outboxState: string | null,
  outboxAck: string | null,
): { state: "sent" | "received" | "refused"; refusal: { code: string; articles: string[] } | null } {
  if (receivedAt !== null) return { state: "received", refusal: null };
  if (outboxState !== "refused") return { state: "sent", refusal: null };
  const ack = outboxAck ? (JSON.parse(outboxAck) as { code?: string; articles?: string[] }) : null;
  return {
    state: "refused",
    refusal: ack ? { code: ack.code ?? "MESSAGE_REFUSED", articles: [...(ack.articles ?? [])] } : null,
  };
}
