// What the inbox does with each Article 9 message, inside the inbox's transaction. The host records a
// request (its personal data, which travel only as the sealed attachment, are sealed again at rest
// here and never reach the inbox table); a request that arrives later than one calendar month before
// the visit on the host's calendar is refused at once and the refusal goes back (A9.2). The visiting
// side records the host's answer; the host records a cancellation.
import { DomainError } from "../../domain/errors.ts";
import { receiveVisitRequest, transitionVisit, type VisitState } from "../../domain/visit/visit-machine.ts";
import { exchangeError } from "../../exchange/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import { visitPersonalDataSchema } from "../../exchange/messages/catalogue.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toTimestamp } from "../../store/columns.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { sealPersonalData } from "./personal-data.ts";
import { nodeActor, personalEraseDueAt, visitStateOf } from "./visit-records.ts";

const misaddressed = (visitId: string) => new DomainError("MESSAGE_MISADDRESSED", { visitId });

/** A9.2 (host): a visit request from the other Party's competent authority. */
export function onVisitRequest(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope, attachment }) => {
    const env = envelope as Envelope<"visit-request">;
    const b = env.body;
    if (env.sender.party === ctx.config.party) throw misaddressed(b.visitId);
    const ca = await trx
      .selectFrom("organisations")
      .select("id")
      .where("id", "=", env.recipient.org)
      .where("kind", "=", "competent-authority")
      .executeTakeFirst();
    if (!ca) throw misaddressed(b.visitId);
    // A9.2 (1): the personal data, one entry per visitor. The refusal names no value.
    let personal: ReturnType<typeof visitPersonalDataSchema.parse> | null = null;
    try {
      personal = visitPersonalDataSchema.parse(JSON.parse(Buffer.from(attachment ?? []).toString("utf8")));
    } catch {
      personal = null;
    }
    const bySeq = new Map((personal?.visitors ?? []).map((p) => [p.seq, p]));
    if (personal === null || personal.visitId !== b.visitId || b.visitors.some((v) => !bySeq.has(v.seq)))
      throw exchangeError("MESSAGE_MALFORMED", { messageId: env.id, reason: "visitors' personal data" });
    const known = await trx.selectFrom("visits").select("id").where("id", "=", b.visitId).executeTakeFirst();
    if (known) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    const now = toTimestamp(ctx.now());
    const state: VisitState = {
      id: b.visitId,
      status: "sent",
      kind: b.kind,
      amends: b.amends,
      recurrence: b.recurrence,
      visitingParty: env.sender.party,
      hostParty: ctx.config.party,
      visitors: [],
      startDate: b.startDate,
      endDate: b.endDate,
      purpose: b.purpose,
      topics: b.topics.map((t) => t.title),
      level: 0,
      bodiesToVisit: b.bodiesToVisit,
      peopleToMeet: b.peopleToMeet.map((p) => `${p.position} ${p.name}`),
      sentAt: env.createdAt,
      receivedAt: null,
      decidedAt: null,
    };
    // A9.2: the lead time, counted at receipt on this (the host's) calendar.
    const received = receiveVisitRequest(state, { at: now, pack: ctx.pack });
    const refusal = received.refusal;
    const levels = b.topics.map((t) => ctx.pack.levels.find((l) => l.id === t.level));
    if (levels.some((l) => l === undefined))
      throw exchangeError("MESSAGE_MALFORMED", { messageId: env.id, reason: "topic level" });
    const level = [...levels].sort((x, y) => y!.rank - x!.rank)[0]!;
    await trx
      .insertInto("visits")
      .values({
        id: b.visitId,
        direction: "in",
        kind: b.kind,
        amends: b.amends,
        state: received.state.status,
        visiting_party: env.sender.party,
        host_party: ctx.config.party,
        requesting_org: env.sender.org,
        host_authority_org: env.recipient.org,
        start_date: b.startDate,
        end_date: b.endDate,
        recurrence: b.recurrence,
        purpose: b.purpose,
        topics: JSON.stringify(b.topics),
        level: level.id,
        bodies_to_visit: JSON.stringify(b.bodiesToVisit),
        people_to_meet: JSON.stringify(b.peopleToMeet),
        requested_by: `message:${env.id}`,
        requested_at: env.createdAt,
        request_message: env.id,
        received_at: now,
        decided_by: refusal ? nodeActor(ctx) : null,
        decided_at: refusal ? now : null,
        decision_reason: refusal ? refusal.message : null,
        cancelled_at: null,
        cancel_reason: null,
        personal_erase_due_at: personalEraseDueAt(ctx, b.endDate),
        personal_erased_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    for (const v of b.visitors) {
      const p = bySeq.get(v.seq)!;
      await trx
        .insertInto("visit_visitors")
        .values({
          visit_id: b.visitId,
          seq: v.seq,
          person_id: null,
          surname: v.surname,
          name: v.name,
          position: v.position,
          body: v.body,
          clearance_level: v.clearance.level,
          clearance_valid_until: v.clearance.validUntil,
          personal: sealPersonalData(ctx.dataDir, b.visitId, v.seq, p),
          acquainted_at: null,
          acquainted_by: null,
        })
        .execute();
    }
    const data = {
      kind: b.kind,
      from: `${env.sender.party}/${env.sender.org}`,
      startDate: b.startDate,
      endDate: b.endDate,
      visitors: b.visitors.length,
      message: env.id,
    };
    if (!refusal) {
      await recordAudit(trx, ctx, {
        type: "visit.received",
        actor: nodeActor(ctx),
        organisation: ca.id,
        object: { type: "visit", id: b.visitId },
        outcome: "done",
        articles: ["A9.2"],
        data,
      });
      return undefined;
    }
    // Late: refused at once, in writing, naming A9.2.
    const answer = await enqueueMessage(trx, ctx.exchange.outbox, {
      kind: "visit-answer",
      fromOrg: ca.id,
      to: env.sender,
      level: level.id,
      inReplyTo: env.id,
      body: { visitId: b.visitId, decision: "refused", reason: refusal.message, articles: ["A9.2"] },
    });
    await recordAudit(trx, ctx, {
      type: "visit.refused",
      actor: nodeActor(ctx),
      organisation: ca.id,
      object: { type: "visit", id: b.visitId },
      outcome: "done",
      articles: ["A9.2"],
      data: { ...data, code: refusal.code, details: refusal.details, answer: answer.id },
    });
    return { replyId: answer.id };
  };
}

/** A9.1 (visiting side): the host's written answer. */
export function onVisitAnswer(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"visit-answer">;
    const b = env.body;
    const row = await trx
      .selectFrom("visits")
      .selectAll()
      .where("id", "=", b.visitId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!row || row.host_authority_org !== env.sender.org || row.host_party !== env.sender.party)
      throw misaddressed(b.visitId);
    const at = toTimestamp(ctx.now());
    const approved = b.decision === "approved";
    transitionVisit(
      visitStateOf(ctx, row),
      approved ? { type: "approve" } : { type: "refuse", reason: b.reason ?? "" },
      { at, pack: ctx.pack },
    );
    let superseded: string | null = null;
    if (approved && row.kind === "amendment" && row.amends) {
      const amended = await trx
        .selectFrom("visits")
        .selectAll()
        .where("id", "=", row.amends)
        .where("direction", "=", "out")
        .executeTakeFirst();
      if (amended?.state === "approved") {
        await trx
          .updateTable("visits")
          .set({ state: "superseded", updated_at: at })
          .where("id", "=", amended.id)
          .execute();
        superseded = amended.id;
      }
    }
    await trx
      .updateTable("visits")
      .set({
        state: b.decision,
        decided_by: `message:${env.id}`,
        decided_at: at,
        decision_reason: b.reason,
        updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "visit.answer-received",
      actor: nodeActor(ctx),
      organisation: row.requesting_org,
      object: { type: "visit", id: row.id },
      outcome: "done",
      articles: ["A9.1", ...b.articles.filter((a) => a === "A9.2")],
      data: { decision: b.decision, superseded, message: env.id },
    });
    return undefined;
  };
}

/** A9.2 (host): the visiting side withdrew its request. */
export function onVisitCancellation(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"visit-cancellation">;
    const b = env.body;
    const row = await trx
      .selectFrom("visits")
      .selectAll()
      .where("id", "=", b.visitId)
      .where("direction", "=", "in")
      .executeTakeFirst();
    if (!row || row.requesting_org !== env.sender.org || row.visiting_party !== env.sender.party)
      throw misaddressed(b.visitId);
    const at = toTimestamp(ctx.now());
    transitionVisit(visitStateOf(ctx, row), { type: "cancel" }, { at, pack: ctx.pack });
    await trx
      .updateTable("visits")
      .set({ state: "cancelled", cancelled_at: at, cancel_reason: b.reason, updated_at: at })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "visit.cancellation-received",
      actor: nodeActor(ctx),
      organisation: row.host_authority_org,
      object: { type: "visit", id: row.id },
      outcome: "done",
      articles: ["A9.2"],
      data: { from: row.state, message: env.id },
    });
    return undefined;
  };
}
