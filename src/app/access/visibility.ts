// The node's one visibility rule (src/domain/access/visibility.ts) with its facts loaded from the
// registry: the actor's best clearances at the instant (validity counted in the node's Party's time
// zone, A1.11), the need-to-know grants and active-contract participation of the actor on each
// carrier, and whether the actor acknowledged their obligations (A4.4). Every read and every change
// that names a carrier asks here, and nowhere else.
import type { AccessDecision, Clearance } from "../../domain/access/access-decision.ts";
import { currentAcknowledgement } from "../../domain/access/obligations.ts";
import { decideVisibility, type Viewer, type Visibility } from "../../domain/access/visibility.ts";
import type { CarrierStatus } from "../../domain/carrier/carrier-machine.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import { DomainError, type ErrorCode } from "../../domain/errors.ts";
import { isWithin } from "../../domain/time/instants.ts";
import type {
  CarriersTable,
  FacilityClearancesTable,
  PersonalClearancesTable,
} from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { clearanceWindow } from "./clearance-window.ts";
import { quarantinedAmong } from "./quarantine.ts";
import { visitAccessOf } from "./visit-access.ts";

export { clearanceWindow } from "./clearance-window.ts";

/** The carrier columns the rule looks at. */
export type VisibleCarrierRow = Pick<
  CarriersTable,
  "id" | "level" | "state" | "custodian_organisation_id" | "contract_id" | "originator_party"
>;

/** What the actor is for the record rule: a registry keeper, an overseer of the Party's registry. */
export function viewerOf(actor: Actor): Viewer {
  return {
    keepsRegistry: actor.roles.has("registry-officer"),
    overseesRegistry:
      (actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority") ||
      actor.roles.has("auditor"),
  };
}

/**
 * A4.4: the actor acknowledged the current version of the obligations of their state (their
 * organisation's Party). A visitor of the other Party took on theirs at home; at the host they are
 * held to the host's handling rules they were acquainted with instead (A9.3).
 */
export function hasAcknowledgedObligations(ctx: AppContext, actor: Actor, isVisitor = false): boolean {
  return isVisitor || currentAcknowledgement(ctx.pack, actor.organisation.party, actor.obligations) !== null;
}

/**
 * The clearance a decision looks at: the highest-level one valid at `at`, else (so that a refusal
 * says "expired" rather than "missing") the most recent one; null when none is held.
 */
export function bestClearance(
  ctx: AppContext,
  clearances: readonly (PersonalClearancesTable | FacilityClearancesTable)[],
  at: string,
): Clearance | null {
  const windows = clearances.map((c) => ({
    level: findLevel(ctx.pack, c.level).rank,
    ...clearanceWindow(ctx, c),
  }));
  const valid = windows
    .filter((w) => isWithin(at, w.validFrom, w.validUntil))
    .sort((a, b) => b.level - a.level)[0];
  if (valid) return valid;
  return [...windows].sort((a, b) => (a.validUntil < b.validUntil ? 1 : -1))[0] ?? null;
}

/** The rank up to which the actor may learn of carriers at `at`: min(personal, facility), 0 for none. */
export function clearedRank(ctx: AppContext, actor: Actor, at: string): number {
  const rank = (c: Clearance | null) => (c !== null && isWithin(at, c.validFrom, c.validUntil) ? c.level : 0);
  return Math.min(
    rank(bestClearance(ctx, actor.clearances, at)),
    rank(bestClearance(ctx, actor.facilityClearances, at)),
  );
}

/** The level ids the actor may learn of at `at` (an index pre-filter; the rule decides each row). */
export function clearedLevels(ctx: AppContext, actor: Actor, at: string): string[] {
  const rank = clearedRank(ctx, actor, at);
  return ctx.pack.levels.filter((l) => l.rank <= rank).map((l) => l.id);
}

/**
 * The visibility of each carrier in `rows` to `actor` at `at` (one query each for grants and
 * contract participation, however many rows).
 */
export async function decideVisibilities(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  rows: readonly VisibleCarrierRow[],
  at: string = ctx.now().toISOString(),
): Promise<Map<string, Visibility>> {
  const result = new Map<string, Visibility>();
  if (rows.length === 0) return result;
  const ids = [...new Set(rows.map((r) => r.id))];
  const contractIds = [...new Set(rows.map((r) => r.contract_id).filter((c): c is string => c !== null))];
  const [granted, participating, visit, quarantined, halted] = await Promise.all([
    trx
      .selectFrom("carrier_need_to_know")
      .select("carrier_id")
      .where("person_id", "=", actor.personId)
      .where("carrier_id", "in", ids)
      .execute(),
    contractIds.length === 0
      ? Promise.resolve([] as { contract_id: string }[])
      : trx
          .selectFrom("contract_participants")
          .innerJoin("contracts", "contracts.id", "contract_participants.contract_id")
          .select("contract_participants.contract_id")
          .where("contract_participants.person_id", "=", actor.personId)
          .where("contracts.state", "=", "active")
          .where("contract_participants.contract_id", "in", contractIds)
          .execute(),
    visitAccessOf(trx, ctx, actor),
    quarantinedAmong(trx, ids),
    // A4.1.4: the contracts among these that are suspended or closed.
    contractIds.length === 0
      ? Promise.resolve([] as { id: string }[])
      : trx
          .selectFrom("contracts")
          .select("id")
          .where("id", "in", contractIds)
          .where("state", "in", ["suspended", "closed"])
          .execute(),
  ]);
  const haltedContracts = new Set(halted.map((c) => c.id));
  const grantedIds = new Set(granted.map((g) => g.carrier_id));
  const activeContracts = new Set(participating.map((p) => p.contract_id));
  const personal = bestClearance(ctx, actor.clearances, at);
  const facility = bestClearance(ctx, actor.facilityClearances, at);
  const viewer = viewerOf(actor);
  const obligationsAcknowledged = hasAcknowledgedObligations(ctx, actor, visit !== null);
  for (const row of rows) {
    result.set(
      row.id,
      decideVisibility({
        at,
        person: {
          id: actor.personId,
          bodyId: actor.organisation.id,
          clearance: personal,
          obligationsAcknowledged,
        },
        body: { id: actor.organisation.id, facilityClearance: facility },
        carrier: {
          id: row.id,
          level: findLevel(ctx.pack, row.level).rank,
          status: row.state as CarrierStatus,
          custodian: custodianOf(row),
          grantedPersons: grantedIds.has(row.id) ? [actor.personId] : [],
          quarantined: quarantined.has(row.id),
          contractNotInForce:
            row.originator_party !== ctx.config.party &&
            row.contract_id !== null &&
            haltedContracts.has(row.contract_id),
        },
        contractParticipants:
          row.contract_id !== null && activeContracts.has(row.contract_id) ? [actor.personId] : [],
        visit,
        viewer,
        registryOf: row.custodian_organisation_id,
      }),
    );
  }
  return result;
}

/** The visibility of one carrier. */
export async function decideVisibility1(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  row: VisibleCarrierRow,
  at?: string,
): Promise<Visibility> {
  return (await decideVisibilities(trx, ctx, actor, [row], at)).get(row.id)!;
}

/** The access decision on a carrier's content (A4.2): the `content` half of the one rule. */
export async function decideContentAccess(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  row: VisibleCarrierRow,
  at?: string,
): Promise<AccessDecision> {
  return (await decideVisibility1(trx, ctx, actor, row, at)).content;
}

/** A carrier another record names (a transfer, a consent request), with whether its record is visible. */
export type NamedCarrier = Pick<
  CarriersTable,
  | "id"
  | "registration_number"
  | "copy_number"
  | "title"
  | "level"
  | "state"
  | "custodian_organisation_id"
  | "contract_id"
  | "has_content"
  | "originator_party"
  | "marking"
  | "national_marking"
> & { readonly visible: boolean };

/** The carriers `ids` names, each decided by the visibility rule at `at` (two queries in all). */
export async function loadNamedCarriers(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  ids: readonly (string | null)[],
  at: string,
): Promise<Map<string, NamedCarrier>> {
  const wanted = [...new Set(ids.filter((c): c is string => c !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await trx
    .selectFrom("carriers")
    .select([
      "id",
      "registration_number",
      "copy_number",
      "title",
      "level",
      "state",
      "custodian_organisation_id",
      "contract_id",
      "has_content",
      "originator_party",
      "marking",
      "national_marking",
    ])
    .where("id", "in", wanted)
    .execute();
  const decided = await decideVisibilities(trx, ctx, actor, rows, at);
  return new Map(rows.map((r) => [r.id, { ...r, visible: decided.get(r.id)?.record === true }]));
}

/** Statuses after which a carrier is no longer in any body's custody (its record stays). */
const OUT_OF_CUSTODY = new Set(["dispatched", "transferred", "destroyed", "returned", "released"]);

function custodianOf(row: VisibleCarrierRow): string | null {
  return OUT_OF_CUSTODY.has(row.state) ? null : row.custodian_organisation_id;
}

/**
 * A4.2, A1.11, A4.4: the actor acknowledged their obligations, holds a personal clearance of at
 * least `levelId` valid now, and their body a facility clearance likewise (validity counted in the
 * Party's zone). Refuses with the failed condition's code.
 */
export function requireClearances(ctx: AppContext, actor: Actor, levelId: string): void {
  if (!hasAcknowledgedObligations(ctx, actor)) throw new DomainError("OBLIGATIONS_NOT_ACKNOWLEDGED", {});
  const rank = findLevel(ctx.pack, levelId).rank;
  const at = ctx.now().toISOString();
  check(ctx, actor.clearances, rank, at, [
    "ACCESS_CLEARANCE_MISSING",
    "ACCESS_CLEARANCE_TOO_LOW",
    "ACCESS_CLEARANCE_EXPIRED",
  ]);
  check(ctx, actor.facilityClearances, rank, at, [
    "ACCESS_FACILITY_CLEARANCE_MISSING",
    "ACCESS_FACILITY_CLEARANCE_TOO_LOW",
    "ACCESS_FACILITY_CLEARANCE_EXPIRED",
  ]);
}

function check(
  ctx: AppContext,
  clearances: readonly (PersonalClearancesTable | FacilityClearancesTable)[],
  rank: number,
  at: string,
  codes: readonly [ErrorCode, ErrorCode, ErrorCode],
): void {
  if (clearances.length === 0) throw new DomainError(codes[0], {});
  const high = clearances.filter((c) => findLevel(ctx.pack, c.level).rank >= rank);
  // The details fill the messages' {held} {required} and {at}, as the access decision gives them.
  if (high.length === 0) {
    const held = Math.max(...clearances.map((c) => findLevel(ctx.pack, c.level).rank));
    throw new DomainError(codes[1], { held: String(held), required: String(rank) });
  }
  if (!high.some((c) => isWithin(at, ...windowOf(ctx, c)))) throw new DomainError(codes[2], { at });
}

function windowOf(ctx: AppContext, c: { valid_from: string; valid_to: string }): [string, string] {
  const w = clearanceWindow(ctx, c);
  return [w.validFrom, w.validUntil];
}
