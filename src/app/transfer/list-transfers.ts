// The transfers (A5) a person takes part in, as lists, the dashboard and the CLI show them, each
// with the steps this person may take now (the step's use case decides again). Who sees what: the
// competent authority's officers every transfer of the node, a body's registry officer the transfers
// of that body; and of those only the ones whose carrier's current level the person is cleared for
// (A4.2, A1.11) — the carrier itself (number, title) only where the visibility rule shows it.
import type { AuditData } from "../../audit/entry.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import type { TransfersTable } from "../../exchange/tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { clearedRank, loadNamedCarriers } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { organisationNames, personNames } from "../directory.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { confirmationOf, incomingDispatchOf, outgoingDispatchOf, receiptOf } from "./transfer-records.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a listing of the transfers a person takes part in. */
    "transfers.listed": AuditData | undefined;
  }
}

/** Transfer states on this node's rows, and who acts next. */
const ACTIONS_BY_STATE: Record<string, { role: string; competentAuthority?: true; actions: string[] }> = {
  "out:requested": {
    role: "competent-authority-officer",
    competentAuthority: true,
    actions: ["consent", "refuse"],
  },
  "out:confirmed": { role: "registry-officer", actions: ["dispatch"] },
  // A physical carrier on its way: the receiving body's registry officer takes it in on arrival.
  "in:dispatched": { role: "registry-officer", actions: ["receive"] },
  "in:clearance-asked": {
    role: "competent-authority-officer",
    competentAuthority: true,
    actions: ["confirm", "refuse-confirmation"],
  },
};

export const OPEN_TRANSFER_STATES = [
  "requested",
  "consented",
  "confirmed",
  "dispatched",
  "clearance-asked",
  "clearance-confirmed",
];

export type TransferView = {
  id: string;
  direction: "in" | "out";
  carrierId: string | null;
  carrierTitle: string;
  registrationNumber: string;
  levelId: string;
  sendingBody: string;
  receivingBody: string;
  contractNumber: string;
  state: string;
  updatedAt: string;
  receiptDueAt: string | null;
  overdue: boolean;
  otherRegistration: string | null;
  electronic: boolean;
  dispatchRecord: { channel: string; sealNumbers: string[]; waybill: string } | null;
  actions: string[];
  steps: { state: string; at: string; by: string }[];
};

/** Whether the actor takes part in transfers at all (the competent authority, a registry officer). */
export function requireTransferRole(actor: Actor): void {
  requireRole(actor, "competent-authority-officer", "registry-officer");
}

function isCompetentAuthority(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/**
 * The transfer views the actor may see (no audit entry: the caller's use case records one). A
 * transfer of another body, or above the actor's clearance, is left out without a trace.
 */
export async function transferViews(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  options: { onlyOpen?: boolean; overdue?: boolean; id?: string } = {},
): Promise<TransferView[]> {
  let q = trx.selectFrom("transfers").selectAll();
  if (!isCompetentAuthority(actor)) {
    q = q.where((eb) =>
      eb.or([eb("sending_org", "=", actor.organisation.id), eb("receiving_org", "=", actor.organisation.id)]),
    );
  }
  if (options.id) q = q.where("id", "=", options.id);
  const now = ctx.now().toISOString();
  if (options.onlyOpen) q = q.where("state", "in", OPEN_TRANSFER_STATES);
  if (options.overdue) q = q.where("state", "=", "dispatched").where("receipt_due_at", "<", now);
  const rows = await q.orderBy("updated_at", "desc").limit(200).execute();
  if (rows.length === 0) return [];
  const carriers = await loadNamedCarriers(
    trx,
    ctx,
    actor,
    rows.map((r) => r.carrier_id),
    now,
  );
  const rank = clearedRank(ctx, actor, now);
  const [names, people] = await Promise.all([
    organisationNames(trx, ctx),
    personNames(
      trx,
      rows.flatMap((r) => [r.requested_by ?? "", r.consented_by ?? ""]),
    ),
  ]);
  const personName = (id: string | null) => (id ? (people.get(id) ?? id) : "");
  const views: TransferView[] = [];
  for (const r of rows) {
    const carrier = r.carrier_id ? carriers.get(r.carrier_id) : undefined;
    // The level that counts is the carrier's as it is now (A6.3, A6.4), else the transfer's record.
    const levelId = carrier?.level ?? r.level;
    if (findLevel(ctx.pack, levelId).rank > rank) continue;
    const shown = carrier?.visible === true;
    const rule = ACTIONS_BY_STATE[`${r.direction}:${r.state}`];
    const mayAct =
      rule !== undefined &&
      actor.roles.has(rule.role as never) &&
      (rule.competentAuthority !== true || isCompetentAuthority(actor)) &&
      (rule.role !== "registry-officer" ||
        (r.direction === "in" ? r.receiving_org : r.sending_org) === actor.organisation.id);
    const record = transferRecordOf(r);
    const confirmed = confirmedAt(r);
    views.push({
      id: r.id,
      direction: r.direction === "in" ? "in" : "out",
      carrierId: shown ? r.carrier_id : null,
      carrierTitle: shown ? carrier.title : (record.title ?? ""),
      registrationNumber: shown ? carrier.registration_number : "",
      levelId,
      sendingBody: names.get(r.sending_org) ?? r.sending_party,
      receivingBody: names.get(r.receiving_org) ?? r.receiving_party,
      contractNumber: r.contract_number,
      state: r.state,
      updatedAt: r.updated_at,
      receiptDueAt: r.receipt_due_at,
      overdue: r.state === "dispatched" && r.receipt_due_at !== null && r.receipt_due_at < now,
      otherRegistration: record.otherRegistration,
      electronic: carrier?.has_content === 1,
      dispatchRecord: record.physical,
      actions: mayAct ? rule.actions : [],
      steps: [
        {
          state: "requested",
          at: r.requested_at,
          // On the receiving node the request is the other Party's message: name its sending body.
          by: r.requested_by?.startsWith("message:")
            ? (names.get(r.sending_org) ?? r.sending_party)
            : personName(r.requested_by),
        },
        ...(r.consented_at
          ? [{ state: "consented", at: r.consented_at, by: personName(r.consented_by) }]
          : []),
        ...(confirmed
          ? [{ state: r.direction === "in" ? "clearance-confirmed" : "confirmed", at: confirmed, by: "" }]
          : []),
        ...(r.dispatched_at ? [{ state: "dispatched", at: r.dispatched_at, by: "" }] : []),
        ...(r.closed_at ? [{ state: r.state, at: r.closed_at, by: "" }] : []),
      ],
    });
  }
  return views;
}

/** A5: the transfers the actor takes part in, newest first; one audit entry. */
export async function listTransfers(
  ctx: AppContext,
  input: { readonly actor: string; readonly onlyOpen?: boolean; readonly overdue?: boolean },
): Promise<TransferView[]> {
  return executeUseCase(ctx, { actor: input.actor, action: "transfers.listed" }, async (trx, actor) => {
    requireTransferRole(actor);
    const views = await transferViews(trx, ctx, actor, {
      ...(input.onlyOpen ? { onlyOpen: true } : {}),
      ...(input.overdue ? { overdue: true } : {}),
    });
    await recordDone(trx, ctx, actor, {
      type: "transfers.listed",
      outcome: "allowed",
      object: null,
      articles: ["A4.2", "A5.6"],
      data: { shown: views.length, overdue: input.overdue === true },
    });
    return views;
  });
}

/**
 * What a transfer's records say beyond its columns. The dispatch record is, on the sending node,
 * the delivery itself and, on the receiving node, the whole carrier-transfer message (carrier
 * description and delivery). The carrier's number in the other Party's registry is, on the
 * receiving node, the originator's (dispatch record) and, on the sending node, the receiver's
 * (receipt notice).
 */
function transferRecordOf(row: TransfersTable): {
  title: string | null;
  physical: { channel: string; sealNumbers: string[]; waybill: string } | null;
  otherRegistration: string | null;
} {
  const incoming = row.direction === "in" ? incomingDispatchOf(row) : null;
  const delivery = incoming ? incoming.delivery : outgoingDispatchOf(row);
  const receipt = receiptOf(row);
  const origin = incoming?.carrier.ref;
  return {
    title: incoming?.carrier.title ?? null,
    physical:
      delivery?.mode === "physical"
        ? {
            channel: delivery.channel ?? "",
            sealNumbers: [...(delivery.sealNumbers ?? [])],
            waybill: delivery.waybill ?? "",
          }
        : null,
    otherRegistration:
      row.direction === "in" && origin
        ? `${origin.originRegistrationNumber}/${origin.originCopyNumber}`
        : row.direction === "out" && receipt?.registrationNumber
          ? `${receipt.registrationNumber}/${receipt.copyNumber ?? 1}`
          : null,
  };
}

/** When the receiving body's facility clearance was confirmed (A5.3), if it was. */
function confirmedAt(row: TransfersTable): string | null {
  if (!row.confirmation || row.refusal) return null;
  const at = confirmationOf(row)?.confirmedAt;
  return typeof at === "string" ? at : null;
}
