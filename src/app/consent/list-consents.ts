// The Article 6 consent requests (copy, translation, level change, destruction, return,
// third-party release…) a person takes part in, asked and answered, each with the steps this
// person may take now (the step's use case decides again). The competent authority's officers see
// every request of the node (A6.7), a body's registry officer the requests of that body as holder or
// originator; and of those only the ones whose carrier's current level the person is cleared for
// (A4.2) — the carrier itself only where the visibility rule shows it.
import type { AuditData } from "../../audit/entry.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import type { Trx } from "../../store/transaction.ts";
import { clearedRank, loadNamedCarriers } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import { consentDetailsOf } from "../carriers/originator-consent.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2, A6.7: a listing of the consent requests a person takes part in. */
    "consents.listed": AuditData | undefined;
  }
}

/** Actions a holder performs with a granted consent (the others take effect at the originator). */
const PERFORMED_BY_HOLDER = ["copy", "translate", "destroy", "third-party-release", "return"];

export type ConsentView = {
  id: string;
  direction: "in" | "out";
  action: string;
  state: string;
  carrierId: string | null;
  carrierLabel: string;
  holder: string;
  originator: string;
  reason: string;
  requestedAt: string;
  answeredAt: string | null;
  actions: string[];
};

/** The consent views the actor may see (no audit entry: the caller's use case records one). */
export async function consentViews(trx: Trx, ctx: AppContext, actor: Actor): Promise<ConsentView[]> {
  let q = trx.selectFrom("consent_requests").selectAll();
  const authority =
    actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
  if (!authority) {
    q = q.where((eb) =>
      eb.or([eb("holder_org", "=", actor.organisation.id), eb("originator_org", "=", actor.organisation.id)]),
    );
  }
  const rows = await q.orderBy("requested_at", "desc").limit(200).execute();
  if (rows.length === 0) return [];
  const at = ctx.now().toISOString();
  const carriers = await loadNamedCarriers(
    trx,
    ctx,
    actor,
    rows.map((r) => r.carrier_id),
    at,
  );
  const rank = clearedRank(ctx, actor, at);
  const names = await organisationNames(trx, ctx);
  const isOfficer = actor.roles.has("registry-officer");
  const views: ConsentView[] = [];
  for (const r of rows) {
    const carrier = r.carrier_id ? carriers.get(r.carrier_id) : undefined;
    if (carrier && findLevel(ctx.pack, carrier.level).rank > rank) continue;
    if (!carrier && rank === 0) continue;
    const shown = carrier?.visible === true;
    const details = consentDetailsOf(r);
    const actions: string[] = [];
    // The originator body's registry officer answers; a request referred to the competent authority
    // (D3: a carrier of the 2015 agreement with no record here) is its officer's to decide by hand.
    const decides = r.referred_to !== null ? authority : isOfficer;
    if (
      decides &&
      r.direction === "in" &&
      r.state === "asked" &&
      (r.referred_to ?? r.originator_org) === actor.organisation.id
    )
      actions.push("grant", "refuse");
    if (
      isOfficer &&
      r.direction === "out" &&
      r.state === "granted" &&
      r.holder_org === actor.organisation.id &&
      PERFORMED_BY_HOLDER.includes(r.action)
    )
      actions.push("perform");
    views.push({
      id: r.id,
      direction: r.direction === "in" ? "in" : "out",
      action: r.action,
      state: r.state,
      carrierId: shown ? carrier.id : null,
      carrierLabel: shown
        ? `${carrier.registration_number}/${carrier.copy_number} — ${carrier.title}`
        : `${r.origin_party} ${r.origin_registration_number}/${r.origin_copy_number}`,
      holder: names.get(r.holder_org) ?? r.holder_org,
      originator: names.get(r.originator_org) ?? r.originator_org,
      reason: details.reason ?? "",
      requestedAt: r.requested_at,
      answeredAt: r.answered_at,
      actions,
    });
  }
  return views;
}

/** A6.7: the consent requests the actor takes part in, newest first; one audit entry. */
export async function listConsents(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<ConsentView[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "consents.listed" }, async (trx, actor) => {
    requireRole(actor, "competent-authority-officer", "registry-officer");
    const views = await consentViews(trx, ctx, actor);
    await recordDone(trx, ctx, actor, {
      type: "consents.listed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A6.7"],
      data: { shown: views.length },
    });
    return views;
  });
}
