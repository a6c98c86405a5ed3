// A level change (A6.3, A4.1.2) or declassification (A6.4, A1.7) of the information a carrier
// holds, applied to every carrier of it in the registry (A6.1), and notified in writing to every
// body of the other Party that received this Party's own information (A6.4).
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { findLevel, markingOf, parseLevelInput } from "../../domain/classification/levels.ts";
import { levelForDerived } from "../../domain/classification/marking.ts";
import { DomainError } from "../../domain/errors.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { requireClearances } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import type { LoadedCarrier } from "./carrier-repository.ts";
import {
  type OriginatorConsent,
  presentedConsent,
  requireOriginatorConsents,
  spendConsents,
} from "./originator-consent.ts";
import { type Remarked, remarkTreeDetailed } from "./remark-tree.ts";

export type ChangeLevelInput = {
  readonly actor: string;
  readonly carrier: string;
  /** The new level: an id, a rank or a marking of this Party (required unless `declassify`). */
  readonly level?: string;
  /** Declassify instead (A6.4, A1.7): see {@link declassifyCarrier}. */
  readonly declassify?: boolean;
  /** The originator's consent to use (the other Party's information). */
  readonly consent?: string;
};

/** The outcome of a level change or declassification. */
export type LevelChanged = {
  readonly carrierId: string;
  readonly level: string;
  readonly state: string;
  /** Every carrier re-marked (the carrier, its original, copies, translations, derivatives). */
  readonly carriers: readonly Remarked[];
  readonly consents: readonly string[];
  /** The notices sent to the other Party's bodies that hold this Party's information (A6.4). */
  readonly notified: readonly string[];
};

/**
 * Changes the level of the information a carrier held in the actor's registry holds (A6.3): the
 * carrier it comes from (the original of a copy or translation) and every copy, translation and
 * derivative of it are re-marked (A6.1). The officer and the custodian body must be cleared for the
 * new level (A4.2, A1.11); a derived carrier stays no lower than its sources (A6.1). The other
 * Party's information (received, or copied, translated or derived from it) changes level only with
 * each originator's written consent for that level, which is spent (A4.1.2, A6.3); this Party's own
 * only by its originating body, which notifies in writing every body of the other Party that
 * received it (A6.4). Every state is checked by the carrier machine (a destroyed, returned or
 * released carrier is refused).
 */
export async function changeCarrierLevel(ctx: FlowContext, input: ChangeLevelInput): Promise<LevelChanged> {
  if (input.declassify) {
    return declassifyCarrier(ctx, {
      actor: input.actor,
      carrier: input.carrier,
      ...(input.consent !== undefined ? { consent: input.consent } : {}),
    });
  }
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.remarked", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(carrier.state.status, "reclassify");
      if (input.level === undefined)
        throw new DomainError("INPUT_INVALID", { field: "level", problem: "name the new level" });
      const level = parseLevelInput(ctx.pack, ctx.config.party, input.level);
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: carrier.row.id,
        action: "reclassify",
        consent: input.consent,
        matches: (d) => d.newLevel === level.id,
      });
      const moved = transitionCarrier(
        carrier.state,
        { type: "reclassify", level: level.rank },
        {
          at: ctx.now().toISOString(),
          pack: ctx.pack,
          consent: presentedConsent(ctx, consents, carrier.row.id),
        },
      );
      // A4.2, A1.11: the officer, and the body that holds it, cleared for the new level.
      requireClearances(ctx, actor, level.id);
      const base = await informationBaseOf(trx, carrier);
      if (consents.length === 0) requireOriginatingBody(actor, base);
      const sources = await sourceLevelsOf(trx, base.id);
      // A6.1: a derived carrier is marked no lower than the highest of its sources.
      if (sources.length > 0)
        levelForDerived(
          sources.map((s) => findLevel(ctx.pack, s).rank),
          level.rank,
        );
      const changed = await remarkTreeDetailed(
        trx,
        ctx,
        base.id,
        level.id,
        markingOf(ctx.pack, base.originator_party, level.id),
        false,
      );
      await spendConsents(trx, ctx, consents);
      const notified = consents.length === 0 ? await notifyHolders(trx, ctx, actor, changed, "level") : [];
      await recordDone(trx, ctx, actor, {
        type: "carrier.remarked",
        object: { type: "carrier", id: carrier.row.id },
        articles: [...new Set([...moved.articles, "A6.1" as const])],
        data: {
          from: carrier.row.level,
          to: level.id,
          carriers: changed.map((c) => c.id),
          consents: consents.map((c) => c.row.id),
          notices: notified,
        },
      });
      return outcome(carrier, level.id, "same", changed, consents, notified);
    },
  );
  ctx.onOutbox?.();
  return result;
}

/**
 * Declassifies the information a carrier held in the actor's registry holds (A6.4, A1.7): its
 * restrictions on access are lifted (the people of the body that holds it may read it; the record
 * and its history remain), for the carrier it comes from and every copy, translation and
 * derivative of it still held. The other Party's information only by agreement: each originator's
 * written consent, spent (DECLASSIFICATION_NEEDS_AGREEMENT otherwise); this Party's own only by its
 * originating body, which notifies every body of the other Party that received it (A6.4).
 */
export async function declassifyCarrier(
  ctx: FlowContext,
  input: { readonly actor: string; readonly carrier: string; readonly consent?: string },
): Promise<LevelChanged> {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.declassified", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      assertCarrierEvent(carrier.state.status, "declassify");
      const consents = await requireOriginatorConsents(trx, ctx, {
        carrierId: carrier.row.id,
        action: "declassify",
        consent: input.consent,
      });
      const moved = transitionCarrier(
        carrier.state,
        { type: "declassify" },
        {
          at: ctx.now().toISOString(),
          pack: ctx.pack,
          consent: presentedConsent(ctx, consents, carrier.row.id),
        },
      );
      const base = await informationBaseOf(trx, carrier);
      if (consents.length === 0) requireOriginatingBody(actor, base);
      const changed = await remarkTreeDetailed(trx, ctx, base.id, base.level, base.marking, true);
      await spendConsents(trx, ctx, consents);
      const notified =
        consents.length === 0 ? await notifyHolders(trx, ctx, actor, changed, "declassify") : [];
      await recordDone(trx, ctx, actor, {
        type: "carrier.declassified",
        object: { type: "carrier", id: carrier.row.id },
        articles: moved.articles,
        data: {
          carriers: changed.map((c) => c.id),
          consents: consents.map((c) => c.row.id),
          notices: notified,
        },
      });
      return outcome(carrier, carrier.row.level, moved.state.status, changed, consents, notified);
    },
  );
  ctx.onOutbox?.();
  return result;
}

function outcome(
  carrier: LoadedCarrier,
  level: string,
  state: string,
  changed: readonly Remarked[],
  consents: readonly OriginatorConsent[],
  notified: readonly string[],
): LevelChanged {
  return {
    carrierId: carrier.row.id,
    level,
    state: state === "same" ? carrier.row.state : state,
    carriers: changed,
    consents: consents.map((c) => c.row.id),
    notified,
  };
}

/**
 * The carrier whose information `carrier` holds: the original it was copied or translated from,
 * along any chain (A6.1: a copy and a translation carry their original's marking), or itself (an
 * original, a received carrier, a derived one).
 */
async function informationBaseOf(trx: Trx, carrier: LoadedCarrier): Promise<CarriersTable> {
  let row = carrier.row;
  for (let depth = 0; depth < 64; depth++) {
    const source = await trx
      .selectFrom("carrier_sources")
      .innerJoin("carriers", "carriers.id", "carrier_sources.source_carrier_id")
      .selectAll("carriers")
      .where("carrier_sources.carrier_id", "=", row.id)
      .where("carrier_sources.relation", "in", ["copy", "translation"])
      .executeTakeFirst();
    if (!source) return row;
    row = source;
  }
  throw new DomainError("INPUT_INVALID", { field: "carrier", problem: "lineage too deep to follow" });
}

/** The levels of the sources a derived carrier was derived from (none for any other). */
async function sourceLevelsOf(trx: Trx, carrierId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom("carrier_sources")
    .innerJoin("carriers", "carriers.id", "carrier_sources.source_carrier_id")
    .select("carriers.level")
    .where("carrier_sources.carrier_id", "=", carrierId)
    .where("carrier_sources.relation", "=", "derivation")
    .execute();
  return rows.map((r) => r.level);
}

/** A6.3: this Party's own information changes level only by the body that originated it. */
function requireOriginatingBody(actor: Actor, base: CarriersTable): void {
  if (base.originator_organisation_id !== actor.organisation.id)
    throw new DomainError("MARKING_CHANGE_NEEDS_CONSENT", { carrier: base.registration_number });
}

/**
 * A6.4: every body of the other Party that received one of the `changed` carriers (this Party's
 * own information) is told in writing, as soon as possible. Returns the messages' ids.
 */
async function notifyHolders(
  trx: Trx,
  ctx: FlowContext,
  actor: Actor,
  changed: readonly Remarked[],
  what: "level" | "declassify",
): Promise<string[]> {
  // A level notice for each carrier whose level did change; a declassification for each.
  const ids = changed.filter((c) => what === "declassify" || c.previousLevel !== c.level).map((c) => c.id);
  if (ids.length === 0) return [];
  const transfers = await trx
    .selectFrom("transfers")
    .innerJoin("carriers", "carriers.id", "transfers.carrier_id")
    .select([
      "transfers.receiving_party",
      "transfers.receiving_org",
      "carriers.id as carrier_id",
      "carriers.originator_party",
      "carriers.registration_number",
      "carriers.copy_number",
      "carriers.level",
    ])
    .where("transfers.direction", "=", "out")
    .where("transfers.carrier_id", "in", ids)
    .where("transfers.state", "in", ["dispatched", "received", "acknowledged"])
    .execute();
  const at = ctx.now().toISOString();
  const notified: string[] = [];
  for (const t of transfers) {
    const previous = changed.find((c) => c.id === t.carrier_id)!.previousLevel;
    const ref = {
      originParty: t.originator_party,
      originRegistrationNumber: t.registration_number,
      originCopyNumber: t.copy_number,
    };
    const to = { party: t.receiving_party, org: t.receiving_org };
    const envelope =
      what === "declassify"
        ? await enqueueMessage(trx, ctx.exchange.outbox, {
            kind: "declassification-notice",
            fromOrg: actor.organisation.id,
            to,
            level: previous,
            body: { carrier: ref, consentId: null, effectiveAt: at },
          })
        : await enqueueMessage(trx, ctx.exchange.outbox, {
            kind: "level-change-notice",
            fromOrg: actor.organisation.id,
            to,
            level: previous,
            body: {
              carrier: ref,
              previousLevel: previous,
              newLevel: t.level,
              newOriginMarking: markingOf(ctx.pack, ctx.config.party, t.level),
              consentId: null,
              effectiveAt: at,
            },
          });
    notified.push(envelope.id);
  }
  return notified;
}
