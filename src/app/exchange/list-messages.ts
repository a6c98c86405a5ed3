// Messages between the Parties (signed, encrypted parcels) as a person may see them: kinds, bodies,
// state — never content. The competent authority's officers see every message of the node, a body's
// registry officer that body's. One audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "messages.listed": AuditData | undefined;
  }
}

export type MessageView = {
  id: string;
  direction: "in" | "out";
  kind: string;
  from: string;
  to: string;
  at: string;
  state: string;
  channel: string | null;
};

export async function listMessages(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<MessageView[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "messages.listed" }, async (trx, actor) => {
    requireRole(actor, "competent-authority-officer", "registry-officer");
    const authority = actor.organisation.kind === "competent-authority";
    let outQ = trx
      .selectFrom("exchange_outbox")
      .select(["id", "kind", "sender_org", "recipient_org", "state", "created_at", "delivered_via"]);
    let inQ = trx
      .selectFrom("exchange_inbox")
      .select(["id", "kind", "sender_org", "recipient_org", "outcome", "received_at", "received_via"]);
    if (!authority) {
      outQ = outQ.where("sender_org", "=", actor.organisation.id);
      inQ = inQ.where("recipient_org", "=", actor.organisation.id);
    }
    const [outgoing, incoming, names] = await Promise.all([
      outQ.orderBy("created_at", "desc").limit(200).execute(),
      inQ.orderBy("received_at", "desc").limit(200).execute(),
      organisationNames(trx, ctx),
    ]);
    const views: MessageView[] = [
      ...outgoing.map((m) => ({
        id: m.id,
        direction: "out" as const,
        kind: m.kind,
        from: names.get(m.sender_org) ?? m.sender_org,
        to: names.get(m.recipient_org) ?? m.recipient_org,
        at: m.created_at,
        state: m.state,
        channel: m.delivered_via,
      })),
      ...incoming.map((m) => ({
        id: m.id,
        direction: "in" as const,
        kind: m.kind,
        from: names.get(m.sender_org) ?? m.sender_org,
        to: names.get(m.recipient_org) ?? m.recipient_org,
        at: m.received_at,
        state: m.outcome,
        channel: m.received_via,
      })),
    ].sort((a, b) => b.at.localeCompare(a.at));
    await recordDone(trx, ctx, actor, {
      type: "messages.listed",
      outcome: "allowed",
      object: null,
      data: { shown: views.length },
    });
    return views;
  });
}
