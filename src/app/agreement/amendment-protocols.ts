// A14: amendment protocols between the two competent authorities. One proposes a protocol (a list
// of changes to the agreement pack) as a signed message; the other signs or declines it; each then
// gives its notice of completed internal procedures, acknowledged like the agreement's own (A15.1),
// and the protocol is in force from the date of receipt of the last one, at both nodes alike. From
// that instant every use case applies the pack's new version, and its audit entry records it.
// The sending node tries each step on its own state first, so what the other node would refuse is
// refused here, before anything is sent.

import type { AuditData } from "../../audit/entry.ts";
import {
  applyPackChanges,
  checkProtocolNoticeDate,
  type PackChange,
  type ProtocolState,
  type ProtocolStatus,
  proposeProtocol,
  transitionProtocol,
} from "../../domain/agreement/amendment.ts";
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import { DomainError } from "../../domain/errors.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import { isAuthorityOfficer } from "../authorities/informed.ts";
import type { AppContext } from "../context.ts";
import { answerOf } from "../exchange/outbox-answer.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority, peerCompetentAuthority } from "../transfer/transfer-flow.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { AGREEMENT_READERS, agreementStateOf, todayHere } from "./agreement-life.ts";
import type { ProtocolAction, ProtocolNoticeView, ProtocolsView, ProtocolView } from "./amendment-types.ts";
import { insertSentNotice } from "./notice-rows.ts";
import { refreshPackHistory, storedPackChanges, storedProtocolNotices } from "./pack-history.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A14: the amendment protocols and the pack's versions were shown. */
    "agreement.protocols-viewed": AuditData | undefined;
    /** A14: the competent authority proposed an amendment protocol to the other Party's. */
    "agreement.protocol-proposed": AuditData | undefined;
    /** A14: the other Party's competent authority proposed a protocol; it is held here. */
    "agreement.protocol-received": AuditData | undefined;
    /** A14: the competent authority signed or declined the other Party's protocol. */
    "agreement.protocol-answered": AuditData | undefined;
    /** A14: the other Party signed or declined our protocol. */
    "agreement.protocol-answer-received": AuditData | undefined;
    /** A14, A15.1: the competent authority notified its completed procedures for a protocol. */
    "agreement.protocol-notice-sent": AuditData | undefined;
    /** A14, A15.1: the other Party's notice for a protocol, applied at its receipt. */
    "agreement.protocol-notice-received": AuditData | undefined;
    /** A14, A15.1: the other Party acknowledged our notice for a protocol; applied at its receipt. */
    "agreement.protocol-notice-acknowledged": AuditData | undefined;
  }
}

type ProtocolRow = {
  readonly id: string;
  readonly number: string;
  readonly signed_on: string;
  readonly proposed_by: string;
  readonly status: string;
  readonly notices: string;
  readonly in_force_on: string | null;
  readonly in_force_from: string | null;
};

/** The machine's state of a stored protocol. */
export function protocolStateOf(row: ProtocolRow): ProtocolState {
  return {
    id: row.id,
    number: row.number,
    proposedBy: row.proposed_by,
    signedOn: row.signed_on,
    status: row.status as ProtocolStatus,
    notices: parseJsonColumn(storedProtocolNotices, row.notices, "amendment_protocols.notices"),
    inForceOn: row.in_force_on,
    inForceFrom: row.in_force_from,
  };
}

/** The stored protocol `id`. @throws DomainError PROTOCOL_NOT_FOUND */
export async function loadProtocol(trx: Trx, id: string) {
  const row = await trx.selectFrom("amendment_protocols").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw new DomainError("PROTOCOL_NOT_FOUND", { protocol: id });
  return row;
}

/**
 * Saves the protocol's new state. When it has just entered into force it takes the next version
 * of the pack, and the versions are rebuilt at once: a protocol that no longer fits the pack before
 * it is refused here, and the whole step with it.
 * @throws DomainError PROTOCOL_CHANGE_INVALID
 */
export async function saveProtocolState(trx: Trx, ctx: AppContext, state: ProtocolState): Promise<void> {
  let version: number | null = null;
  if (state.status === "in-force") {
    const top = await trx
      .selectFrom("amendment_protocols")
      .select((eb) => eb.fn.max("version").as("top"))
      .executeTakeFirst();
    version = Number(top?.top ?? 0) + 1;
  }
  await trx
    .updateTable("amendment_protocols")
    .set({
      status: state.status,
      notices: JSON.stringify(state.notices),
      in_force_on: state.inForceOn,
      in_force_from: state.inForceFrom,
      ...(version !== null ? { version } : {}),
    })
    .where("id", "=", state.id)
    .execute();
  if (version !== null) await refreshPackHistory(trx, ctx);
}

/** Today in the own Party's zone: the latest date a protocol or notice sent now may bear. */
const mayAct = isAuthorityOfficer;

function requireActor(actor: Actor): void {
  if (!mayAct(actor))
    throw new DomainError(
      "ROLE_FORBIDDEN",
      { needed: ["competent-authority-officer"], actor: actor.handle },
      { articles: ["A3.1", "A14"] },
    );
}

function requireReader(actor: Actor): void {
  if (!AGREEMENT_READERS.some((r) => actor.roles.has(r)))
    throw new DomainError(
      "ROLE_FORBIDDEN",
      { needed: [...AGREEMENT_READERS], actor: actor.handle },
      { articles: ["A14"] },
    );
}

function cleanText(field: string, value: string | undefined, max: number, required: boolean): string {
  const text = (value ?? "").trim();
  if (required && text === "") throw new DomainError("INPUT_INVALID", { field, problem: "required" });
  if (text.length > max)
    throw new DomainError("INPUT_INVALID", { field, problem: `longer than ${max} characters` });
  return text;
}

async function protocolViews(trx: Trx, ctx: AppContext, actor: Actor): Promise<ProtocolView[]> {
  const rows = await trx
    .selectFrom("amendment_protocols as p")
    .leftJoin("exchange_outbox as o", (j) =>
      j.onRef("o.id", "=", "p.message_id").on("p.direction", "=", "out"),
    )
    .selectAll("p")
    .select(["o.state as outbox_state", "o.ack as outbox_ack"])
    .orderBy("p.proposed_at")
    .orderBy("p.id")
    .execute();
  const notices = await trx
    .selectFrom("agreement_notices as n")
    .leftJoin("exchange_outbox as o", (j) =>
      j.onRef("o.id", "=", "n.message_id").on("n.direction", "=", "out"),
    )
    .select([
      "n.protocol_id",
      "n.from_party",
      "n.dated_on",
      "n.reference",
      "n.received_at",
      "n.sent_at",
      "o.state as outbox_state",
      "o.ack as outbox_ack",
    ])
    .where("n.protocol_id", "is not", null)
    .orderBy("n.sent_at")
    .execute();
  const own = ctx.config.party;
  return rows.map((r) => {
    const mine: ProtocolNoticeView[] = notices
      .filter((n) => n.protocol_id === r.id)
      .map((n) => ({
        fromParty: n.from_party,
        datedOn: n.dated_on,
        reference: n.reference,
        receivedAt: n.received_at,
        ...answerOf(n.received_at, n.outbox_state, n.outbox_ack),
      }));
    // Ours is received once the other node took it in (delivered) or answered it.
    const delivered =
      r.direction === "in" || r.answered_at !== null || r.outbox_state === "delivered" ? r.proposed_at : null;
    const answer = answerOf(delivered, r.outbox_state, r.outbox_ack);
    const actions: ProtocolAction[] = [];
    if (mayAct(actor)) {
      if (r.direction === "in" && r.status === "proposed") actions.push("sign", "decline");
      const given = mine.some((n) => n.fromParty === own && n.state !== "refused");
      if ((r.status === "signed" || r.status === "partly-notified") && !given) actions.push("notify");
    }
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      signedOn: r.signed_on,
      reference: r.reference,
      proposedBy: r.proposed_by,
      direction: r.direction === "in" ? "in" : "out",
      status: r.status as ProtocolStatus,
      proposedAt: r.proposed_at,
      delivery: answer.state,
      refusal: answer.refusal,
      answeredAt: r.answered_at,
      answerReason: r.answer_reason,
      changes: parseJsonColumn(storedPackChanges, r.changes, "amendment_protocols.changes"),
      notices: mine,
      inForceOn: r.in_force_on,
      version: r.version === null ? null : Number(r.version),
      actions,
    };
  });
}

async function viewOf(trx: Trx, ctx: AppContext, actor: Actor): Promise<ProtocolsView> {
  const pack = ctx.pack;
  const versions = ctx.packs?.versions ?? [];
  return {
    version: pack.version ?? 0,
    versions: versions.map((v) => ({ version: v.version, protocol: v.protocol, from: v.from })),
    protocols: await protocolViews(trx, ctx, actor),
    current: {
      levels: pack.levels.map((l) => ({ id: l.id, markings: { ...l.markings } })),
      deadlines: Object.fromEntries(Object.entries(pack.deadlines).map(([k, d]) => [k, d.duration])),
      channels: pack.channels,
    },
    mayPropose: mayAct(actor),
  };
}

/** A14: the protocols `actor` has a step to take on now (to sign or decline, to notify), for the dashboard. */
export async function protocolsToAct(trx: Trx, ctx: AppContext, actor: Actor): Promise<ProtocolView[]> {
  if (!mayAct(actor)) return [];
  return (await protocolViews(trx, ctx, actor)).filter((p) => p.actions.length > 0);
}

const AGREEMENT = (ctx: AppContext) => ({ type: "agreement", id: ctx.config.agreementId });

/** A14: the protocols, the versions of the pack and the one in force now; one audit entry. */
export async function showProtocols(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<ProtocolsView> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "agreement.protocols-viewed", object: AGREEMENT(ctx) },
    async (trx, actor) => {
      requireReader(actor);
      const view = await viewOf(trx, ctx, actor);
      await recordDone(trx, ctx, actor, {
        type: "agreement.protocols-viewed",
        outcome: "allowed",
        object: AGREEMENT(ctx),
        articles: ["A14"],
        data: { protocols: view.protocols.length, version: view.version },
      });
      return view;
    },
  );
}

/**
 * A14: the competent authority proposes a protocol to the other Party's. Refused: a number already
 * used, a date before the agreement's signature or after today, a change that does not fit the pack
 * in force now, an agreement that has ended. Row, audit entry and message together.
 */
export async function proposeAmendment(
  ctx: FlowContext,
  input: {
    readonly actor: string;
    readonly number: string;
    readonly title: string;
    /** YYYY-MM-DD; default today in the node's Party's zone. */
    readonly signedOn?: string;
    readonly reference?: string;
    readonly changes: readonly PackChange[];
  },
): Promise<ProtocolsView> {
  const view = await executeUseCase(
    ctx,
    { actor: input.actor, action: "agreement.protocol-proposed", object: AGREEMENT(ctx) },
    async (trx, actor) => {
      requireActor(actor);
      const number = cleanText("number", input.number, 60, true);
      const title = cleanText("title", input.title, 500, true);
      const reference = cleanText("reference", input.reference, 200, false);
      const taken = await trx
        .selectFrom("amendment_protocols")
        .select("id")
        .where("number", "=", number)
        .executeTakeFirst();
      if (taken) throw new DomainError("PROTOCOL_NUMBER_TAKEN", { number });
      const now = toTimestamp(ctx.now());
      const today = todayHere(ctx);
      const state = proposeProtocol(
        { id: ctx.newId(), number, by: ctx.config.party, signedOn: input.signedOn?.trim() || today },
        { pack: ctx.pack, agreement: await agreementStateOf(trx, ctx), at: now, today },
      );
      // What the other node checks at receipt: the changes fit the pack in force.
      applyPackChanges(ctx.pack, input.changes, (ctx.pack.version ?? 0) + 1);
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "amendment-protocol",
        fromOrg: await ownCompetentAuthority(trx, ctx),
        to: peerCompetentAuthority(ctx),
        level: ctx.pack.levels[0]!.id,
        body: {
          protocolId: state.id,
          number,
          title,
          signedOn: state.signedOn,
          reference,
          changes: input.changes as never,
        },
      });
      await trx
        .insertInto("amendment_protocols")
        .values({
          id: state.id,
          number,
          title,
          signed_on: state.signedOn,
          reference,
          changes: JSON.stringify(input.changes),
          proposed_by: state.proposedBy,
          direction: "out",
          status: state.status,
          proposed_at: now,
          answered_at: null,
          answer_reason: null,
          notices: "[]",
          in_force_on: null,
          in_force_from: null,
          version: null,
          message_id: envelope.id,
          answer_message_id: null,
          recorded_by: actor.personId,
        })
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "agreement.protocol-proposed",
        object: { type: "protocol", id: state.id },
        articles: ["A14", "A3.1"],
        data: { number, changes: input.changes.length, message: envelope.id },
      });
      return viewOf(trx, ctx, actor);
    },
  );
  ctx.onOutbox?.();
  return view;
}

/** A14: the competent authority signs or declines the other Party's proposed protocol. */
export async function answerAmendment(
  ctx: FlowContext,
  input: {
    readonly actor: string;
    readonly protocolId: string;
    readonly answer: "signed" | "declined";
    readonly reason?: string;
  },
): Promise<ProtocolsView> {
  const view = await executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "agreement.protocol-answered",
      object: { type: "protocol", id: input.protocolId },
    },
    async (trx, actor) => {
      requireActor(actor);
      const reason = cleanText("reason", input.reason, 2000, false);
      const row = await loadProtocol(trx, input.protocolId);
      const now = toTimestamp(ctx.now());
      const next = transitionProtocol(
        protocolStateOf(row),
        { type: input.answer === "signed" ? "sign" : "decline", by: ctx.config.party },
        { at: now, pack: ctx.pack },
      );
      if (input.answer === "signed")
        applyPackChanges(
          ctx.pack,
          parseJsonColumn(storedPackChanges, row.changes, "amendment_protocols.changes"),
          1,
        );
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "amendment-protocol-answer",
        fromOrg: await ownCompetentAuthority(trx, ctx),
        to: peerCompetentAuthority(ctx),
        level: ctx.pack.levels[0]!.id,
        inReplyTo: row.message_id,
        body: { protocolId: row.id, answer: input.answer, reason, answeredAt: now },
      });
      await saveProtocolState(trx, ctx, next.state);
      await trx
        .updateTable("amendment_protocols")
        .set({ answered_at: now, answer_reason: reason || null, answer_message_id: envelope.id })
        .where("id", "=", row.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "agreement.protocol-answered",
        object: { type: "protocol", id: row.id },
        articles: next.articles,
        data: { number: row.number, answer: input.answer, message: envelope.id },
      });
      return viewOf(trx, ctx, actor);
    },
  );
  ctx.onOutbox?.();
  return view;
}

/**
 * A14, A15.1: the competent authority notifies the other Party's that its internal procedures for
 * a signed protocol are completed. Refused: a protocol not signed by both, a second notice, a date
 * before the protocol's or after today.
 */
export async function notifyAmendment(
  ctx: FlowContext,
  input: {
    readonly actor: string;
    readonly protocolId: string;
    readonly datedOn?: string;
    readonly reference?: string;
  },
): Promise<ProtocolsView> {
  const view = await executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "agreement.protocol-notice-sent",
      object: { type: "protocol", id: input.protocolId },
    },
    async (trx, actor) => {
      requireActor(actor);
      const reference = cleanText("reference", input.reference, 200, false);
      const row = await loadProtocol(trx, input.protocolId);
      const state = protocolStateOf(row);
      const own = ctx.config.party as PartyCode;
      const today = todayHere(ctx);
      const datedOn = input.datedOn?.trim() || today;
      checkProtocolNoticeDate(state, datedOn, today);
      const now = toTimestamp(ctx.now());
      // What the other node applies at receipt, tried here now.
      transitionProtocol(state, { type: "receive-notice", from: own }, { at: now, pack: ctx.pack });
      const pending = await trx
        .selectFrom("agreement_notices as n")
        .leftJoin("exchange_outbox as o", "o.id", "n.message_id")
        .select(["n.received_at", "o.state as outbox_state", "o.ack as outbox_ack"])
        .where("n.protocol_id", "=", row.id)
        .where("n.direction", "=", "out")
        .execute();
      if (pending.some((n) => answerOf(n.received_at, n.outbox_state, n.outbox_ack).state !== "refused"))
        throw new DomainError("PROTOCOL_NOTICE_ALREADY_GIVEN", { party: own, number: row.number });
      const noticeId = ctx.newId();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "amendment-protocol-notice",
        fromOrg: await ownCompetentAuthority(trx, ctx),
        to: peerCompetentAuthority(ctx),
        level: ctx.pack.levels[0]!.id,
        body: { noticeId, protocolId: row.id, datedOn, reference },
      });
      await insertSentNotice(trx, {
        id: noticeId,
        kind: "procedures-completed",
        fromParty: own,
        datedOn,
        reference,
        sentAt: now,
        messageId: envelope.id,
        recordedBy: actor.personId,
        protocolId: row.id,
      });
      await recordDone(trx, ctx, actor, {
        type: "agreement.protocol-notice-sent",
        object: { type: "protocol", id: row.id },
        articles: ["A14", "A15.1"],
        data: { number: row.number, notice: noticeId, datedOn, message: envelope.id },
      });
      return viewOf(trx, ctx, actor);
    },
  );
  ctx.onOutbox?.();
  return view;
}
