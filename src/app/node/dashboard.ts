// What waits for a person: transfers to decide or take in (A5.2, A5.3, A5.6), consent requests to
// answer as the originator (A6.7), visit requests to decide (A9.1) and breach cases to take further
// (A11.1, A11.2), receipt notices overdue and due (A5.6), the visitors expected (A9.3). Built from the same views
// as the transfer, consent, visit and breach lists, so it never shows or counts what those would not. One audit
// entry per view.
import type { AuditData } from "../../audit/entry.ts";
import { protocolsToAct } from "../agreement/amendment-protocols.ts";
import { breachesToAct, overdueBreachSteps } from "../breaches/list-breaches.ts";
import { consentViews } from "../consent/list-consents.ts";
import type { AppContext } from "../context.ts";
import { type TransferView, transferViews } from "../transfer/list-transfers.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { type VisitRow, visitsAwaiting } from "../visits/visit-views.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a person's dashboard (what waits for them) was shown. */
    "dashboard.viewed": AuditData | undefined;
  }
}

/** `kind` names what the item is when it is not a transfer, for the page to say in its language. */
type Item = {
  id: string;
  label: string;
  dueAt: string | null;
  link?: string;
  kind?: "consent" | "visit" | "breach" | "protocol";
  action?: string;
};

export type Dashboard = {
  consentsToDecide: Item[];
  receiptsOverdue: Item[];
  deadlines: Item[];
  transfers: { id: string; label: string; state: string }[];
  /** A11.1, A11.2: breach steps past their policy targets (competent authority and auditors only). */
  breachesOverdue: { id: string; step: string; dueAt: string }[];
  /** A9.1, A9.3: approved visits to this node not yet over (the authority, the host bodies' officers). */
  visitsExpected: { id: string; label: string; startDate: string; endDate: string; acquainted: string }[];
};

/** "KZ → Institute of Physics: 2027-01-10 – 2027-01-12, 2 visitors": no personal data (A9.2). */
function visitLabel(v: VisitRow): string {
  return `${v.visitingParty} → ${v.bodiesToVisit.map((b) => b.name).join(", ")}: ${v.startDate} – ${v.endDate}`;
}

/** The dashboard of `actor`: empty for roles that take part in no transfer. */
export async function showDashboard(ctx: AppContext, input: { readonly actor: string }): Promise<Dashboard> {
  return executeUseCase(ctx, { actor: input.actor, action: "dashboard.viewed" }, async (trx, actor) => {
    const takesPart = actor.roles.has("competent-authority-officer") || actor.roles.has("registry-officer");
    const views = takesPart ? await transferViews(trx, ctx, actor, { onlyOpen: true }) : [];
    const consents = takesPart ? await consentViews(trx, ctx, actor) : [];
    const visits = await visitsAwaiting(trx, ctx, actor);
    const breaches = await breachesToAct(trx, ctx, actor);
    const protocols = await protocolsToAct(trx, ctx, actor);
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
            label: `${c.carrierLabel} — ${c.holder}`,
            dueAt: null,
            link: "#/consents",
            kind: "consent" as const,
            action: c.action,
          })),
        // A9.1: visit requests to this node, for its competent authority to approve or refuse.
        ...visits.toDecide.map((v) => ({
          id: v.id,
          label: visitLabel(v),
          dueAt: null,
          link: `#/visits/${encodeURIComponent(v.id)}`,
          kind: "visit" as const,
          action: "decide",
        })),
        // A11.1, A11.2: breach cases whose next step is ours.
        ...breaches.map((b) => ({
          id: b.id,
          label: b.what,
          dueAt: null,
          link: `#/breaches/${encodeURIComponent(b.id)}`,
          kind: "breach" as const,
          action: b.action,
        })),
        // A14: amendment protocols to sign or decline, or to notify our completed procedures for.
        ...protocols.map((p) => ({
          id: p.id,
          label: `№ ${p.number} — ${p.title}`,
          dueAt: null,
          link: "#/agreement",
          kind: "protocol" as const,
          action: p.actions.includes("sign") ? "sign" : "notify",
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
      visitsExpected: visits.expected.map((v) => ({
        id: v.id,
        label: visitLabel(v),
        startDate: v.startDate,
        endDate: v.endDate,
        acquainted: `${v.visitors.filter((x) => x.acquaintedAt !== null).length}/${v.visitors.length}`,
      })),
    };
    await recordDone(trx, ctx, actor, {
      type: "dashboard.viewed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2"],
      data: {
        transfers: views.length,
        consents: consents.length,
        visits: visits.toDecide.length + visits.expected.length,
        breaches: breaches.length,
        protocols: protocols.length,
      },
    });
    return dashboard;
  });
}
