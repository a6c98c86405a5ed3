// Breaches of Article 11, as use cases on both nodes. Any authorized body's registry officer or a
// competent authority officer records a breach or a suspected breach (A11.1); when the other Party's
// information is involved, the notice goes to its competent authority in the same transaction
// (A11.1 "at once"); otherwise no notice is sent and the case goes straight to investigation. The
// competent authority of the Party where it happened investigates: it starts, reports the results
// (sent to the other Party when its information is involved, A11.1), records the damage assessment
// and its settlement and closes (A11.2). Carriers named by an open breach are flagged in both
// registries; a carrier whose seals were broken at take-in is held in quarantine (A11.1).
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import type { ArticleId } from "../../domain/articles.ts";
import {
  type BreachEvent,
  type BreachState,
  type BreachStatus,
  reportBreach as openBreach,
  transitionBreach,
} from "../../domain/breach/breach-machine.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { normalizeInstant } from "../../domain/time/instants.ts";
import type { CarrierRef } from "../../exchange/messages/catalogue.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { jsonStringList, parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import { lockForUpdate, type Trx } from "../../store/transaction.ts";
import type { BreachesTable } from "../../store/visit-breach-tables.ts";
import { decideVisibility1 } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import { carrierNotFound, loadCarrier } from "../carriers/carrier-repository.ts";
import { receivedRootsOf } from "../carriers/originator-consent.ts";
import type { AppContext } from "../context.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority, peerCompetentAuthority } from "../transfer/transfer-flow.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";

/** Stored form of an instant (millisecond precision, UTC). */
export const stamp = (instant: string) => toTimestamp(new Date(normalizeInstant(instant)));

/** An officer of the Party's competent authority (it investigates, A11.1). */
export function isAuthorityOfficer(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/** Who may learn of a breach: the competent authority's officers, auditors, the reporting body's registry officer. */
export function maySeeBreach(actor: Actor, row: Pick<BreachesTable, "reporting_org">): boolean {
  return (
    isAuthorityOfficer(actor) ||
    actor.roles.has("auditor") ||
    (actor.roles.has("registry-officer") && row.reporting_org === actor.organisation.id)
  );
}

export const breachNotFound = (ref: string) => new DomainError("BREACH_NOT_FOUND", { breach: ref });

/** The machine's state of a stored case; `deliveredAt`: when its notice reached the other Party. */
export function breachStateOf(
  row: BreachesTable,
  carrierIds: readonly string[],
  deliveredAt: string | null,
): BreachState {
  return {
    id: row.id,
    status: row.state as BreachStatus,
    party: row.party as PartyCode,
    carrierIds,
    description: row.what,
    reportedAt: row.reported_at,
    // On the side that was notified (`in`), the notice is the other Party's step, done on arrival.
    needsNotice: row.direction === "own" && row.notice_due_at !== null,
    noticeDueAt: row.notice_due_at,
    notifiedAt: row.notified_at,
    noticeDeliveredAt: row.direction === "own" ? deliveredAt : row.notified_at,
    notifiedLate: false,
    investigationDueAt: row.investigation_due_at ?? row.reported_at,
    investigationStartedAt: row.investigation_started_at,
    resultsDueAt: row.results_due_at,
    results: row.results,
    resultsReportedAt: row.results_reported_at,
    damageDueAt: row.damage_due_at,
    damageAssessment: row.damage_assessment,
    settlement: row.settlement,
    closedAt: row.closed_at,
  };
}

/** The level of the sealed package: the highest of the carriers named, else the highest of the pack. */
function messageLevel(ctx: AppContext, carriers: readonly Pick<CarriersTable, "level">[]): string {
  const ranks = carriers.map((c) => findLevel(ctx.pack, c.level));
  const top = ranks.sort((a, b) => b.rank - a.rank)[0];
  return top?.id ?? [...ctx.pack.levels].sort((a, b) => b.rank - a.rank)[0]!.id;
}

// ------------------------------------------------------------------ record (also at take-in)

export type RecordBreachInput = {
  readonly suspected: boolean;
  readonly what: string;
  readonly howFound: string;
  readonly occurredAt: string | null;
  readonly foundAt: string;
  /** This node's carriers (loaded rows). */
  readonly carriers: readonly CarriersTable[];
  /** Whose information is involved beyond what the carriers tell. */
  readonly informationOf: readonly string[];
  /** Where it was found, e.g. `transfer:<id>`. */
  readonly source: string | null;
  /** Hold the carriers in quarantine until the breach is closed (a broken seal at take-in). */
  readonly quarantine: boolean;
};

/**
 * Records a breach on this node in the caller's transaction (A11.1) and, when the other Party's
 * information is involved, sends its notice to the other Party's competent authority at once, in
 * the same transaction. Writes the `breach.reported` entry by `actor`.
 */
export async function recordBreach(
  trx: Trx,
  ctx: FlowContext,
  actor: Actor,
  input: RecordBreachInput,
): Promise<{ id: string; state: BreachStatus; notice: string | null }> {
  const own = ctx.config.party;
  if (!input.what.trim())
    throw new DomainError("INPUT_INVALID", { field: "what", problem: "say what happened" });
  if (!input.howFound.trim())
    throw new DomainError("INPUT_INVALID", { field: "howFound", problem: "say how it was found" });
  const foundAt = stamp(input.foundAt);
  const occurredAt = input.occurredAt ? stamp(input.occurredAt) : null;
  const at = toTimestamp(ctx.now());
  if (foundAt > at) throw new DomainError("INPUT_INVALID", { field: "foundAt", problem: "in the future" });
  if (occurredAt && occurredAt > foundAt)
    throw new DomainError("INPUT_INVALID", { field: "occurredAt", problem: "after it was found" });
  // Each carrier as its originator knows it (a received one, or a copy of one: the other Party's
  // information, A6.1), else as this registry numbers it.
  const refs: { carrierId: string; ref: CarrierRef }[] = [];
  const parties = new Set<string>();
  for (const carrier of input.carriers) {
    const roots = await receivedRootsOf(trx, carrier.id);
    for (const root of roots) parties.add(root.origin_party);
    if (carrier.originator_party !== own) parties.add(carrier.originator_party);
    const root = roots[0];
    refs.push({
      carrierId: carrier.id,
      ref: root
        ? {
            originParty: root.origin_party,
            originRegistrationNumber: root.origin_registration_number,
            originCopyNumber: root.origin_copy_number,
          }
        : {
            originParty: own,
            originRegistrationNumber: carrier.registration_number,
            originCopyNumber: carrier.copy_number,
          },
    });
  }
  for (const p of input.informationOf) {
    if (!ctx.pack.parties.some((x) => x.code === p))
      throw new DomainError("INPUT_INVALID", { field: "informationOf", problem: `no Party ${p}` });
    parties.add(p);
  }
  if (parties.size === 0) parties.add(own);
  const informationOf = [...parties].sort();
  const needsNotice = informationOf.some((p) => p !== own);
  const id = ctx.newId();
  const opened = openBreach({
    id,
    party: own as PartyCode,
    carrierIds: refs.map((r) => r.carrierId),
    description: input.what,
    at,
    pack: ctx.pack,
    needsNotice,
  });
  const ownCa = await ownCompetentAuthority(trx, ctx);
  const notified = needsNotice ? transitionBreach(opened, { type: "notify" }, { at, pack: ctx.pack }) : null;
  const state = notified?.state ?? opened;
  let notice: string | null = null;
  if (needsNotice) {
    const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
      kind: "breach-notice",
      fromOrg: ownCa,
      to: peerCompetentAuthority(ctx),
      level: messageLevel(ctx, input.carriers),
      body: {
        breachId: id,
        suspected: input.suspected,
        what: input.what,
        howFound: input.howFound,
        occurredAt,
        foundAt,
        reportedAt: at,
        carriers: refs.map((r) => r.ref),
        informationOf,
      },
    });
    notice = envelope.id;
  }
  await trx
    .insertInto("breaches")
    .values({
      id,
      direction: "own",
      party: own,
      suspected: input.suspected ? 1 : 0,
      state: state.status,
      what: input.what,
      how_found: input.howFound,
      occurred_at: occurredAt,
      found_at: foundAt,
      information_of: JSON.stringify(informationOf),
      reporting_org: actor.organisation.id,
      reported_by: actor.personId,
      reported_at: at,
      source: input.source,
      notice_message: notice,
      notice_due_at: state.noticeDueAt ? stamp(state.noticeDueAt) : null,
      notified_at: state.notifiedAt ? stamp(state.notifiedAt) : null,
      investigation_due_at: stamp(state.investigationDueAt),
      investigation_started_at: null,
      results_due_at: null,
      results: null,
      results_reported_at: null,
      damage_due_at: null,
      damage_assessment: null,
      settlement: null,
      closed_at: null,
      closed_by: null,
      updated_at: at,
    })
    .execute();
  for (const [seq, r] of refs.entries()) {
    await trx
      .insertInto("breach_carriers")
      .values({
        breach_id: id,
        seq: seq + 1,
        carrier_id: r.carrierId,
        origin_party: r.ref.originParty,
        origin_registration_number: r.ref.originRegistrationNumber,
        origin_copy_number: r.ref.originCopyNumber,
        quarantined: input.quarantine ? 1 : 0,
      })
      .execute();
  }
  await recordDone(trx, ctx, actor, {
    type: "breach.reported",
    object: { type: "breach", id },
    articles: ["A11.1"],
    data: {
      suspected: input.suspected,
      carriers: input.carriers.map((c) => c.registration_number),
      informationOf,
      quarantined: input.quarantine,
      source: input.source,
      message: notice,
      noticeDueAt: state.noticeDueAt,
    },
  });
  return { id, state: state.status, notice };
}

export type ReportBreachInput = {
  readonly actor: string;
  readonly suspected: boolean;
  readonly what: string;
  readonly howFound: string;
  readonly occurredAt?: string | null;
  readonly foundAt: string;
  /** This node's carriers (id, registration number or `NUMBER/COPY`). */
  readonly carriers: readonly string[];
  readonly informationOf?: readonly string[];
};

/** A11.1: a registry officer of an authorized body or a competent authority officer records a breach. */
export async function reportBreach(ctx: FlowContext, input: ReportBreachInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "breach.reported" },
    async (trx, actor) => {
      if (!actor.roles.has("registry-officer") && !isAuthorityOfficer(actor))
        throw new DomainError(
          "ROLE_FORBIDDEN",
          { needed: ["registry-officer", "competent-authority-officer"], actor: actor.handle },
          { articles: ["A11.1"] },
        );
      const carriers: CarriersTable[] = [];
      for (const ref of new Set(input.carriers)) {
        const { row } = await loadCarrier(trx, ctx, ref);
        // A4.2: a carrier the officer may not learn of is answered as one that does not exist.
        const visibility = await decideVisibility1(trx, ctx, actor, row);
        if (!visibility.record)
          throw new ConcealedRefusal(
            carrierNotFound(ref),
            new DomainError(
              "ROLE_FORBIDDEN",
              { carrier: row.id, needed: ["visibility"] },
              { articles: ["A4.2"] },
            ),
          );
        carriers.push(row);
      }
      return recordBreach(trx, ctx, actor, {
        suspected: input.suspected,
        what: input.what,
        howFound: input.howFound,
        occurredAt: input.occurredAt ?? null,
        foundAt: input.foundAt,
        carriers,
        informationOf: input.informationOf ?? [],
        source: null,
        quarantine: false,
      });
    },
  );
  ctx.onOutbox?.();
  return { id: result.id, state: result.state, notice: result.notice };
}

// ------------------------------------------------------------------ the investigation

/** A breach of this node the actor may learn of, locked for the transaction; else BREACH_NOT_FOUND. */
export async function loadBreach(trx: Trx, actor: Actor, ref: string): Promise<BreachesTable> {
  const row = await lockForUpdate(
    trx,
    trx.selectFrom("breaches").selectAll().where("id", "=", ref),
  ).executeTakeFirst();
  const missing = breachNotFound(ref);
  if (!row) throw missing;
  if (!maySeeBreach(actor, row))
    throw new ConcealedRefusal(
      missing,
      new DomainError(
        "ROLE_FORBIDDEN",
        { breach: row.id, needed: ["competent-authority", "auditor", "reporting body"] },
        { articles: ["A11.1", "A4.2"] },
      ),
      { type: "breach", id: row.id },
    );
  return row;
}

async function stateOfRow(trx: Trx, row: BreachesTable): Promise<BreachState> {
  const [carriers, outbox] = await Promise.all([
    trx.selectFrom("breach_carriers").select("carrier_id").where("breach_id", "=", row.id).execute(),
    row.notice_message
      ? trx
          .selectFrom("exchange_outbox")
          .select("delivered_at")
          .where("id", "=", row.notice_message)
          .executeTakeFirst()
      : Promise.resolve(undefined),
  ]);
  return breachStateOf(
    row,
    carriers.map((c) => c.carrier_id).filter((c): c is string => c !== null),
    outbox?.delivered_at ?? null,
  );
}

type Step = {
  readonly action: "breach.investigation-started" | "breach.results-reported" | "breach.settled";
  readonly event: BreachEvent;
  readonly articles: readonly ArticleId[];
};

/** One step of the investigation by the competent authority of the Party where it happened. */
async function investigationStep(ctx: FlowContext, actorRef: string, breachRef: string, step: Step) {
  const result = await executeUseCase(
    ctx,
    { actor: actorRef, action: step.action, object: { type: "breach", id: breachRef } },
    async (trx, actor) => {
      const row = await loadBreach(trx, actor, breachRef);
      if (!isAuthorityOfficer(actor))
        throw new DomainError(
          "ROLE_FORBIDDEN",
          { needed: ["competent-authority-officer"], actor: actor.handle },
          { articles: step.articles },
        );
      if (row.direction !== "own")
        throw new DomainError("BREACH_INVESTIGATED_ELSEWHERE", { party: row.party });
      const at = toTimestamp(ctx.now());
      const next = transitionBreach(await stateOfRow(trx, row), step.event, { at, pack: ctx.pack });
      const s = next.state;
      const informationOf = parseJsonColumn(jsonStringList, row.information_of, "breaches.information_of");
      const toOther = informationOf.some((p) => p !== ctx.config.party);
      let message: string | null = null;
      if (toOther && step.event.type !== "start-investigation") {
        const carriers = await trx
          .selectFrom("breach_carriers")
          .innerJoin("carriers", "carriers.id", "breach_carriers.carrier_id")
          .select("carriers.level")
          .where("breach_carriers.breach_id", "=", row.id)
          .execute();
        const address = {
          fromOrg: await ownCompetentAuthority(trx, ctx),
          to: peerCompetentAuthority(ctx),
          level: messageLevel(ctx, carriers),
        };
        const envelope =
          step.event.type === "report-results"
            ? await enqueueMessage(trx, ctx.exchange.outbox, {
                ...address,
                kind: "breach-results",
                body: {
                  breachId: row.id,
                  investigationStartedAt: stamp(s.investigationStartedAt ?? at),
                  results: step.event.results,
                  reportedAt: at,
                },
              })
            : await enqueueMessage(trx, ctx.exchange.outbox, {
                ...address,
                kind: "breach-closure",
                body: {
                  breachId: row.id,
                  damageAssessment: s.damageAssessment ?? "",
                  settlement: s.settlement ?? "",
                  closedAt: at,
                },
              });
        message = envelope.id;
      }
      await trx
        .updateTable("breaches")
        .set({
          state: s.status,
          investigation_started_at: s.investigationStartedAt ? stamp(s.investigationStartedAt) : null,
          results_due_at: s.resultsDueAt ? stamp(s.resultsDueAt) : null,
          results: s.results,
          results_reported_at: s.resultsReportedAt ? stamp(s.resultsReportedAt) : null,
          damage_due_at: s.damageDueAt ? stamp(s.damageDueAt) : null,
          damage_assessment: s.damageAssessment,
          settlement: s.settlement,
          closed_at: s.closedAt ? stamp(s.closedAt) : null,
          closed_by: s.closedAt ? actor.personId : null,
          updated_at: at,
        })
        .where("id", "=", row.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: step.action,
        object: { type: "breach", id: row.id },
        articles: next.articles,
        data: {
          state: s.status,
          message,
          ...(s.resultsDueAt && step.event.type === "start-investigation"
            ? { resultsDueAt: s.resultsDueAt }
            : {}),
          ...(s.damageDueAt && step.event.type === "report-results" ? { damageDueAt: s.damageDueAt } : {}),
        },
      });
      return { id: row.id, state: s.status, message };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** A11.1: the competent authority starts the investigation of a breach on its Party's side. */
export function startInvestigation(
  ctx: FlowContext,
  input: { readonly actor: string; readonly breach: string },
) {
  return investigationStep(ctx, input.actor, input.breach, {
    action: "breach.investigation-started",
    event: { type: "start-investigation" },
    articles: ["A11.1"],
  });
}

/** A11.1: the results of the investigation; sent to the other Party's competent authority when its information is involved. */
export function reportResults(
  ctx: FlowContext,
  input: { readonly actor: string; readonly breach: string; readonly results: string },
) {
  return investigationStep(ctx, input.actor, input.breach, {
    action: "breach.results-reported",
    event: { type: "report-results", results: input.results },
    articles: ["A11.1"],
  });
}

/** A11.2: the damage assessment and its settlement recorded; the case is closed and its flags lifted. */
export function settleBreach(
  ctx: FlowContext,
  input: {
    readonly actor: string;
    readonly breach: string;
    readonly damageAssessment: string;
    readonly settlement: string;
  },
) {
  return investigationStep(ctx, input.actor, input.breach, {
    action: "breach.settled",
    event: { type: "settle", damageAssessment: input.damageAssessment, settlement: input.settlement },
    articles: ["A11.2"],
  });
}
