// What the inbox does with each Article 11 message, inside the inbox's transaction: the other
// Party's notice opens a case here (direction `in`) and flags the carriers this node holds under
// the references it names (A11.1); its results and its closure update the case; the closure lifts
// the flags (A11.2). Only the other Party's competent authority speaks for it on breaches.

import { DomainError } from "../../domain/errors.ts";
import { breachNoticeDueAt } from "../../domain/time/deadlines.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { CarrierRef } from "../../exchange/messages/catalogue.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { fromPeerAuthority } from "../exchange/peer-authority.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { stamp } from "./breach-flow.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

/**
 * This node's carrier under a reference the other Party named, or null. Our own carrier only when we
 * dispatched it to that Party (A4.2: a notice does not probe our registry — nothing is answered
 * either way); a carrier we received under that reference.
 */
async function heldCarrier(
  trx: Trx,
  ctx: FlowContext,
  ref: CarrierRef,
  peer: string,
): Promise<string | null> {
  if (ref.originParty === ctx.config.party) {
    const row = await trx
      .selectFrom("carriers")
      .select("id")
      .where("registration_number", "=", ref.originRegistrationNumber)
      .where("copy_number", "=", ref.originCopyNumber)
      .where("originator_party", "=", ctx.config.party)
      .executeTakeFirst();
    if (!row) return null;
    const sent = await trx
      .selectFrom("transfers")
      .select("id")
      .where("direction", "=", "out")
      .where("carrier_id", "=", row.id)
      .where("receiving_party", "=", peer)
      .executeTakeFirst();
    return sent ? row.id : null;
  }
  const received = await trx
    .selectFrom("received_carriers")
    .select("carrier_id")
    .where("origin_party", "=", ref.originParty)
    .where("origin_registration_number", "=", ref.originRegistrationNumber)
    .where("origin_copy_number", "=", ref.originCopyNumber)
    .executeTakeFirst();
  return received?.carrier_id ?? null;
}

/** A11.1: the other Party notified a breach on its side: a case here, the carriers we hold flagged. */
export function onBreachNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"breach-notice">;
    const b = env.body;
    const ownCa = await fromPeerAuthority(trx, ctx, env);
    const exists = await trx
      .selectFrom("breaches")
      .select("id")
      .where("id", "=", b.breachId)
      .executeTakeFirst();
    if (exists) throw new DomainError("INPUT_INVALID", { field: "breachId", problem: "already known" });
    const at = toTimestamp(ctx.now());
    const reportedAt = stamp(b.reportedAt);
    await trx
      .insertInto("breaches")
      .values({
        id: b.breachId,
        direction: "in",
        party: env.sender.party,
        suspected: b.suspected ? 1 : 0,
        state: "notified",
        what: b.what,
        how_found: b.howFound,
        occurred_at: b.occurredAt ? stamp(b.occurredAt) : null,
        found_at: stamp(b.foundAt),
        information_of: JSON.stringify(b.informationOf),
        reporting_org: ownCa,
        reported_by: `message:${env.id}`,
        reported_at: reportedAt,
        source: null,
        notice_message: env.id,
        notice_due_at: null,
        notified_at: at,
        // The other Party's clocks, as this node's policy counts them (shown, not enforced).
        investigation_due_at: stamp(
          breachNoticeDueAt(reportedAt, ctx.pack.deadlines.breachInvestigationStart.duration),
        ),
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
    let flagged = 0;
    for (const [seq, ref] of b.carriers.entries()) {
      const carrierId = await heldCarrier(trx, ctx, ref, env.sender.party);
      if (carrierId) flagged++;
      await trx
        .insertInto("breach_carriers")
        .values({
          breach_id: b.breachId,
          seq: seq + 1,
          carrier_id: carrierId,
          origin_party: ref.originParty,
          origin_registration_number: ref.originRegistrationNumber,
          origin_copy_number: ref.originCopyNumber,
          // Flagged, not quarantined: the carrier is not the one whose seals were broken here.
          quarantined: 0,
        })
        .execute();
    }
    await recordAudit(trx, ctx, {
      type: "breach.notice-received",
      actor: nodeActor(ctx),
      organisation: ownCa,
      object: { type: "breach", id: b.breachId },
      outcome: "done",
      articles: ["A11.1"],
      data: {
        from: `${env.sender.party}/${env.sender.org}`,
        suspected: b.suspected,
        carriers: b.carriers.length,
        flagged,
        message: env.id,
      },
    });
    return undefined;
  };
}

/** The `in` case a message of the other Party's competent authority is about. */
async function inCase(
  trx: Trx,
  ctx: FlowContext,
  env: Envelope,
  breachId: string,
  states: readonly string[],
) {
  const ownCa = await fromPeerAuthority(trx, ctx, env);
  const row = await trx
    .selectFrom("breaches")
    .selectAll()
    .where("id", "=", breachId)
    .where("direction", "=", "in")
    .executeTakeFirst();
  if (!row || row.party !== env.sender.party) throw new DomainError("MESSAGE_MISADDRESSED", { breachId });
  if (!states.includes(row.state))
    throw new DomainError(
      "TRANSITION_FORBIDDEN",
      { machine: "breach", state: row.state, event: env.kind },
      { articles: ["A11.1"] },
    );
  return { row, ownCa };
}

/** A11.1: the other Party reports the results of its investigation. */
export function onBreachResults(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"breach-results">;
    const b = env.body;
    const { row, ownCa } = await inCase(trx, ctx, env, b.breachId, ["notified", "investigating"]);
    const at = toTimestamp(ctx.now());
    const reportedAt = stamp(b.reportedAt);
    await trx
      .updateTable("breaches")
      .set({
        state: "results-reported",
        investigation_started_at: stamp(b.investigationStartedAt),
        results_due_at: stamp(
          breachNoticeDueAt(stamp(b.investigationStartedAt), ctx.pack.deadlines.breachResults.duration),
        ),
        results: b.results,
        results_reported_at: reportedAt,
        damage_due_at: stamp(
          breachNoticeDueAt(reportedAt, ctx.pack.deadlines.breachDamageSettlement.duration),
        ),
        updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "breach.results-received",
      actor: nodeActor(ctx),
      organisation: ownCa,
      object: { type: "breach", id: row.id },
      outcome: "done",
      articles: ["A11.1"],
      data: { from: `${env.sender.party}/${env.sender.org}`, message: env.id },
    });
    return undefined;
  };
}

/** A11.2: the other Party closed the case (damage assessed, settlement recorded): the flags are lifted. */
export function onBreachClosure(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"breach-closure">;
    const b = env.body;
    const { row, ownCa } = await inCase(trx, ctx, env, b.breachId, [
      "notified",
      "investigating",
      "results-reported",
    ]);
    const at = toTimestamp(ctx.now());
    await trx
      .updateTable("breaches")
      .set({
        state: "closed",
        damage_assessment: b.damageAssessment,
        settlement: b.settlement,
        closed_at: stamp(b.closedAt),
        closed_by: `message:${env.id}`,
        updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "breach.closure-received",
      actor: nodeActor(ctx),
      organisation: ownCa,
      object: { type: "breach", id: row.id },
      outcome: "done",
      articles: ["A11.2", "A11.1"],
      data: { from: `${env.sender.party}/${env.sender.org}`, message: env.id },
    });
    return undefined;
  };
}
