// What waits for a person: transfers to decide or take in (A5.2, A5.3, A5.6), consent requests to
// answer as the originator (A6.7), receipt notices overdue and due (A5.6). Built from the same views
// as the transfer and consent lists, so it never shows or counts what those would not. One audit
// entry per view.
import type { AuditData } from "../../audit/entry.ts";
import { overdueBreachSteps } from "../breaches/list-breaches.ts";
import { consentViews } from "../consent/list-consents.ts";
import type { AppContext } from "../context.ts";
import { type TransferView, transferViews } from "../transfer/list-transfers.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a person's dashboard (what waits for them) was shown. */
    "dashboard.viewed": AuditData | undefined;
  }
}

type Item = { id: string; label: string; dueAt: string | null; link?: string };

export type Dashboard = {
  consentsToDecide: Item[];
  receiptsOverdue: Item[];
  deadlines: Item[];
  transfers: { id: string; label: string; state: string }[];
  /** A11.1, A11.2: breach steps past their policy targets (competent authority and auditors only). */
  breachesOverdue: { id: string; step: string; dueAt: string }[];
};

/** The dashboard of `actor`: empty for roles that take part in no transfer. */
export async function showDashboard(ctx: AppContext, input: { readonly actor: string }): Promise<Dashboard> {
  return executeUseCase(ctx, { actor: input.actor, action: "dashboard.viewed" }, async (trx, actor) => {
    const takesPart = actor.roles.has("competent-authority-officer") || actor.roles.has("registry-officer");
    const views = takesPart ? await transferViews(trx, ctx, actor, { onlyOpen: true }) : [];
    const consents = takesPart ? await consentViews(trx, ctx, actor) : [];
    const now = ctx.now().toISOString();
    const label = (v: TransferView) =>
      `${v.registrationNumber || v.carrierTitle || v.contractNumber} — ${v.sendingBody} → ${v.receivingBody}`;
    const dashboard: Dashboard = {
      consentsToDecide: [
        ...views
          .filter((v) => v.actions.some((a) => a === "consent" || a === "confirm" || a === "receive"))
          .map((v) => ({ id: v.id, label: label(v), dueAt: null })),
        // A6.7: requests for our written consent as the originator.
        ...consents
          .filter((c) => c.actions.includes("grant"))
          .map((c) => ({
            id: c.id,
            label: `${c.action}: ${c.carrierLabel} — ${c.holder}`,
            dueAt: null,
            link: "#/consents",
          })),
      ],
      receiptsOverdue: views
        .filter((v) => v.state === "dispatched" && (v.receiptDueAt ?? "9") < now)
        .map((v) => ({ id: v.id, label: label(v), dueAt: v.receiptDueAt })),
      deadlines: views
        .filter((v) => v.state === "dispatched" && (v.receiptDueAt ?? "") >= now)
        .map((v) => ({ id: v.id, label: label(v), dueAt: v.receiptDueAt })),
      transfers: views.map((v) => ({ id: v.id, label: label(v), state: v.state })),
      breachesOverdue: await overdueBreachSteps(trx, ctx, actor),
    };
    await recordDone(trx, ctx, actor, {
      type: "dashboard.viewed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2"],
      data: { transfers: views.length, consents: consents.length },
    });
    return dashboard;
  });
}
