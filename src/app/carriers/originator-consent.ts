// The originator's rights over the other Party's information held here (A4.1.2, A4.1.5, A6.3–A6.7):
// where a carrier's information comes from (the received carriers it is, or was copied, translated
// or derived from, along any chain), and the granted, unused written consent each originator gave
// for an action on it (the `consent_requests` rows of direction `out`, state `granted`), spent once
// the action is done (A5.4: case by case).
import { z } from "zod";
import { findLevel } from "../../domain/classification/levels.ts";
import { type ConsentAction, type ConsentState, checkConsent } from "../../domain/consent/consent-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import type { ConsentRequestsTable, ReceivedCarriersTable } from "../../exchange/tables.ts";
import { parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";

/** How far back a lineage is followed (copies of copies of derivations…); deeper is refused. */
const MAX_LINEAGE = 64;

/**
 * Every received carrier whose information `carrierId` holds: itself if received, and the received
 * carriers it was copied, translated or derived from, along any chain (A6.1: derived information
 * keeps its source's originator). Empty for information of this Party alone. Fails closed on a
 * lineage too deep to follow.
 */
export async function receivedRootsOf(trx: Trx, carrierId: string): Promise<ReceivedCarriersTable[]> {
  const roots = new Map<string, ReceivedCarriersTable>();
  const seen = new Set([carrierId]);
  let frontier = [carrierId];
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth > MAX_LINEAGE)
      throw new DomainError("INPUT_INVALID", { field: "carrier", problem: "lineage too deep to follow" });
    const [received, sources] = await Promise.all([
      trx.selectFrom("received_carriers").selectAll().where("carrier_id", "in", frontier).execute(),
      trx
        .selectFrom("carrier_sources")
        .select("source_carrier_id")
        .where("carrier_id", "in", frontier)
        .execute(),
    ]);
    for (const r of received) roots.set(r.carrier_id, r);
    frontier = [];
    for (const s of sources) {
      if (seen.has(s.source_carrier_id)) continue;
      seen.add(s.source_carrier_id);
      frontier.push(s.source_carrier_id);
    }
  }
  return [...roots.values()].sort((a, b) => (a.carrier_id < b.carrier_id ? -1 : 1));
}

/** The first received carrier whose information `carrierId` holds (see {@link receivedRootsOf}), or null. */
export async function receivedRootOf(trx: Trx, carrierId: string): Promise<ReceivedCarriersTable | null> {
  return (await receivedRootsOf(trx, carrierId))[0] ?? null;
}

/** The details a holder's consent request keeps (the message carries the same, but `carrier`). */
export type ConsentDetails = {
  readonly newLevel?: string | null;
  readonly language?: string | null;
  readonly thirdParty?: string | null;
  readonly reason?: string | null;
  /** The holder's own carrier the request was asked for (absent on requests of older versions). */
  readonly carrier?: string | null;
};

const optionalText = z.string().nullable().optional();
/** consent_requests.details as stored (other keys a later version adds are kept). */
const ConsentDetailsSchema = z.looseObject({
  newLevel: optionalText,
  language: optionalText,
  thirdParty: optionalText,
  reason: optionalText,
  carrier: optionalText,
});

export function consentDetailsOf(row: Pick<ConsentRequestsTable, "details">): ConsentDetails {
  return parseJsonColumn(ConsentDetailsSchema, row.details, "consent_requests.details");
}

/** A consent request as the domain's consent machine sees it, about the carrier `subjectId`. */
export function consentStateOf(ctx: AppContext, row: ConsentRequestsTable, subjectId: string): ConsentState {
  const newLevel = consentDetailsOf(row).newLevel;
  return {
    id: row.id,
    status: (row.used_at ? "used" : row.state) as ConsentState["status"],
    action: row.action as ConsentAction,
    subjectId,
    askedBy: row.holder_org,
    askedOf: row.originator_org,
    askedAt: row.requested_at,
    answeredAt: row.answered_at,
    expiresAt: null,
    newLevel: newLevel ? findLevel(ctx.pack, newLevel).rank : null,
    usedAt: row.used_at,
  };
}

/** A written consent presented for an action, with the received carrier it is about. */
export type OriginatorConsent = { readonly root: ReceivedCarriersTable; readonly row: ConsentRequestsTable };

/**
 * The granted, unused written consent for `action` on `carrierId` of the originator of each piece
 * of the other Party's information the carrier holds (none for this Party's own information). A
 * consent asked for another of the holder's carriers does not count; `matches` narrows further
 * (the language of a translation, the third party, the new level); `consent` names the one to use.
 * Throws the action's own refusal (COPY_NEEDS_CONSENT, A6.5; DESTRUCTION_NEEDS_PERMISSION, A6.6;
 * THIRD_PARTY_NEEDS_CONSENT, A4.1.5; …) when one is missing.
 */
export async function requireOriginatorConsents(
  trx: Trx,
  ctx: AppContext,
  input: {
    readonly carrierId: string;
    readonly action: ConsentAction;
    readonly consent?: string | undefined;
    readonly matches?: (details: ConsentDetails) => boolean;
  },
): Promise<OriginatorConsent[]> {
  const roots = await receivedRootsOf(trx, input.carrierId);
  const at = toTimestamp(ctx.now());
  const consents: OriginatorConsent[] = [];
  for (const root of roots) {
    const rows = await trx
      .selectFrom("consent_requests")
      .selectAll()
      .where("direction", "=", "out")
      .where("carrier_id", "=", root.carrier_id)
      .where("action", "=", input.action)
      .where("state", "=", "granted")
      .where("used_at", "is", null)
      .orderBy("answered_at")
      .execute();
    const usable = rows.filter((r) => {
      const details = consentDetailsOf(r);
      const forCarrier = details.carrier == null || details.carrier === input.carrierId;
      return forCarrier && (input.matches?.(details) ?? true);
    });
    const row = usable.find((r) => r.id === input.consent) ?? usable[0];
    checkConsent(row ? consentStateOf(ctx, row, input.carrierId) : null, {
      action: input.action,
      subjectId: input.carrierId,
      at,
    });
    consents.push({ root, row: row! });
  }
  if (input.consent !== undefined && !consents.some((c) => c.row.id === input.consent)) {
    throw new DomainError(
      "CONSENT_INVALID",
      { reason: `consent ${input.consent} does not cover this ${input.action}`, consentId: input.consent },
      { articles: ["A6.7"] },
    );
  }
  return consents;
}

/** Marks the consents used (A5.4: each is used once). */
export async function spendConsents(
  trx: Trx,
  ctx: AppContext,
  consents: readonly OriginatorConsent[],
): Promise<void> {
  if (consents.length === 0) return;
  await trx
    .updateTable("consent_requests")
    .set({ state: "used", used_at: toTimestamp(ctx.now()) })
    .where(
      "id",
      "in",
      consents.map((c) => c.row.id),
    )
    .execute();
}

/** The consent state the domain's carrier machine checks for the action (the first, when several). */
export function presentedConsent(
  ctx: AppContext,
  consents: readonly OriginatorConsent[],
  carrierId: string,
): ConsentState | null {
  const first = consents[0];
  return first ? consentStateOf(ctx, first.row, carrierId) : null;
}
