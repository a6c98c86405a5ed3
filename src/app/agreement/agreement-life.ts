// The agreement's life between the two competent authorities (A15.1, A15.2, A15.3): written notices
// sent as signed messages and acknowledged by the receiver with the instant it received them, so that
// both nodes apply each notice at the same instant and record the same dates of entry into force and
// of termination. The sending node tries the notice on its own state first (the same machine the
// receiver applies), so what the receiver would refuse is refused here, before anything is sent.

import type { AuditData } from "../../audit/entry.ts";
import {
  type AgreementEvent,
  type AgreementState,
  agreementStatusAt,
  checkNoticeDate,
  signAgreement,
  transitionAgreement,
} from "../../domain/agreement/agreement-machine.ts";
import type { PartyCode } from "../../domain/agreement/pack-schema.ts";
import { findParty, otherParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone } from "../../domain/time/instants.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { Trx } from "../../store/transaction.ts";
import { decideVisibilities } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import { isAuthorityOfficer } from "../authorities/informed.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";
import { answerOf } from "../exchange/outbox-answer.ts";
import { type FlowContext, readAgreementState, saveAgreementState } from "../transfer/flow-context.ts";
import { ownCompetentAuthority, peerCompetentAuthority } from "../transfer/transfer-flow.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import type {
  AgreementNoticeKind,
  AgreementNoticeView,
  AgreementView,
  OutstandingCarrier,
  OutstandingReport,
} from "./agreement-types.ts";
import { insertSentNotice } from "./notice-rows.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A15: the agreement's state and notices were shown. */
    "agreement.viewed": AuditData | undefined;
    /** A15.1, A15.2: the competent authority sent a written notice about the agreement. */
    "agreement.notice-sent": AuditData | undefined;
    /** A15.1, A15.2: a notice from the other Party's competent authority was received and applied. */
    "agreement.notice-received": AuditData | undefined;
    /** A15.1, A15.2: the other Party acknowledged our notice; it is applied at its receipt. */
    "agreement.notice-acknowledged": AuditData | undefined;
    /** A15.3: the report of what is still outstanding under the agreement was made. */
    "agreement.outstanding-reported": AuditData | undefined;
  }
}

/** The articles a notice of `kind` serves. */
export function noticeArticles(kind: AgreementNoticeKind): ("A15.1" | "A15.2")[] {
  return kind === "procedures-completed" ? ["A15.1"] : ["A15.2"];
}

/** The machine's event for a notice of `kind` given by `from`. */
export function noticeEvent(kind: AgreementNoticeKind, from: PartyCode): AgreementEvent {
  if (kind === "procedures-completed") return { type: "receive-notice", from };
  if (kind === "termination") return { type: "receive-termination-notice", from };
  return { type: "withdraw-termination", from };
}

/** The node's agreement state, a freshly signed one when none is recorded yet. */
export async function agreementStateOf(trx: Trx, ctx: AppContext): Promise<AgreementState> {
  return (await readAgreementState(trx, ctx)) ?? signAgreement(ctx.config.agreementId);
}

/** Today in the own Party's zone: the date a notice sent now may bear at most. */
export function todayHere(ctx: AppContext): string {
  return dateInZone(ctx.now().toISOString(), findParty(ctx.pack, ctx.config.party).timeZone);
}

/** Only the competent authority speaks for its Party about the agreement and its protocols (A3.1). */
const mayNotify = isAuthorityOfficer;

/** Who reads the agreement's life and its protocols (A15, A14). */
export const AGREEMENT_READERS = [
  "competent-authority-officer",
  "registry-officer",
  "auditor",
  "administrator",
] as const;

function requireReader(actor: Actor): void {
  requireRole(actor, ...AGREEMENT_READERS);
}

/** The notices this node holds, oldest first, with the other node's answer to ours. */
async function noticeViews(trx: Trx): Promise<AgreementNoticeView[]> {
  const rows = await trx
    .selectFrom("agreement_notices as n")
    .leftJoin("exchange_outbox as o", (j) =>
      j.onRef("o.id", "=", "n.message_id").on("n.direction", "=", "out"),
    )
    .select([
      "n.id",
      "n.kind",
      "n.direction",
      "n.from_party",
      "n.dated_on",
      "n.reference",
      "n.sent_at",
      "n.received_at",
      "o.state as outbox_state",
      "o.ack as outbox_ack",
    ])
    // A14: the notices about amendment protocols are shown with their protocols.
    .where("n.protocol_id", "is", null)
    .orderBy("n.sent_at")
    .orderBy("n.id")
    .execute();
  const views: Omit<AgreementNoticeView, "withdrawn">[] = rows.map((r) => {
    const answer = answerOf(r.received_at, r.outbox_state, r.outbox_ack);
    return {
      id: r.id,
      kind: r.kind as AgreementNoticeKind,
      direction: r.direction === "in" ? "in" : "out",
      fromParty: r.from_party,
      datedOn: r.dated_on,
      reference: r.reference,
      sentAt: r.sent_at,
      receivedAt: r.received_at,
      ...answer,
    };
  });
  // A termination followed by its Party's received withdrawal no longer stands (A15.2).
  return views.map((n, i) => ({
    ...n,
    withdrawn:
      n.kind === "termination" &&
      views
        .slice(i + 1)
        .some(
          (w) => w.kind === "termination-withdrawal" && w.fromParty === n.fromParty && w.state === "received",
        ),
  }));
}

/** The kinds of notice the own Party could give now (the use case decides again). */
function possibleNotices(
  ctx: AppContext,
  state: AgreementState,
  notices: readonly AgreementNoticeView[],
): AgreementNoticeKind[] {
  const own = ctx.config.party as PartyCode;
  const at = ctx.now().toISOString();
  const pending = (kind: AgreementNoticeKind) =>
    notices.some((n) => n.direction === "out" && n.kind === kind && n.state === "sent");
  const kinds: AgreementNoticeKind[] = [];
  for (const kind of ["procedures-completed", "termination", "termination-withdrawal"] as const) {
    if (pending(kind)) continue;
    try {
      transitionAgreement(state, noticeEvent(kind, own), { at, pack: ctx.pack });
      kinds.push(kind);
    } catch {
      // Not possible now: the machine's refusal says why when it is tried.
    }
  }
  // A withdrawal is pending until acknowledged: no second termination meanwhile.
  return pending("termination-withdrawal") ? kinds.filter((k) => k !== "termination") : kinds;
}

/**
 * The earliest date the next notice can bear, as checkNoticeDate counts it: the signature before
 * entry into force, the entry into force for a termination, the termination's receipt (on the
 * receiver's calendar) for its withdrawal.
 */
function earliestNextDate(ctx: AppContext, state: AgreementState): string {
  if (state.termination)
    return dateInZone(
      state.termination.receivedAt,
      otherParty(ctx.pack, state.termination.notifiedBy).timeZone,
    );
  return state.inForceOn ?? ctx.pack.signature.notBefore;
}

async function viewOf(trx: Trx, ctx: AppContext, actor: Actor): Promise<AgreementView> {
  const state = await agreementStateOf(trx, ctx);
  const notices = await noticeViews(trx);
  return {
    agreementId: state.agreementId,
    status: agreementStatusAt(state, ctx.now().toISOString()),
    signedNotBefore: earliestNextDate(ctx, state),
    inForceOn: state.inForceOn,
    termination: state.termination
      ? {
          notifiedBy: state.termination.notifiedBy,
          receivedAt: state.termination.receivedAt,
          terminatesOn: state.termination.terminatesOn,
        }
      : null,
    terminationWithdrawal: ctx.pack.terminationWithdrawal.allowed,
    notices,
    actions: mayNotify(actor) ? possibleNotices(ctx, state, notices) : [],
  };
}

/** The agreement as `actor` may see it now (every officer, auditors, administrators); one audit entry. */
export async function showAgreement(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<AgreementView> {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "agreement.viewed",
      object: { type: "agreement", id: ctx.config.agreementId },
    },
    async (trx, actor) => {
      requireReader(actor);
      const view = await viewOf(trx, ctx, actor);
      await recordDone(trx, ctx, actor, {
        type: "agreement.viewed",
        outcome: "allowed",
        object: { type: "agreement", id: ctx.config.agreementId },
        articles: ["A15.1", "A15.2"],
        data: { status: view.status },
      });
      return view;
    },
  );
}

/**
 * The competent authority sends a written notice about the agreement to the other Party's (A15.1,
 * A15.2). Refused: a date before signature or after today (AGREEMENT_NOTICE_BACKDATED,
 * AGREEMENT_NOTICE_FUTURE), a second notice of the same kind, a termination before entry into force
 * or a second one, a withdrawal the pack does not allow. State, audit entry and message together.
 */
export async function sendAgreementNotice(
  ctx: FlowContext,
  input: {
    readonly actor: string;
    readonly kind: AgreementNoticeKind;
    /** YYYY-MM-DD; default today in the node's Party's zone. */
    readonly datedOn?: string;
    readonly reference?: string;
  },
): Promise<AgreementView> {
  const articles = noticeArticles(input.kind);
  const view = await executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "agreement.notice-sent",
      object: { type: "agreement", id: ctx.config.agreementId },
    },
    async (trx, actor) => {
      if (!mayNotify(actor))
        throw new DomainError(
          "ROLE_FORBIDDEN",
          { needed: ["competent-authority-officer"], actor: actor.handle },
          {
            articles: ["A3.1", ...articles],
          },
        );
      const own = ctx.config.party as PartyCode;
      const now = ctx.now().toISOString();
      const today = todayHere(ctx);
      const datedOn = input.datedOn?.trim() || today;
      const reference = (input.reference ?? "").trim();
      if (reference.length > 200)
        throw new DomainError("INPUT_INVALID", { field: "reference", problem: "longer than 200 characters" });
      const state = await agreementStateOf(trx, ctx);
      checkNoticeDate(state, input.kind, datedOn, { pack: ctx.pack, today });
      // What the other node will apply at its receipt, tried here now: its refusal, before sending.
      transitionAgreement(state, noticeEvent(input.kind, own), { at: now, pack: ctx.pack });
      const pending = (await noticeViews(trx)).find(
        (n) =>
          n.direction === "out" &&
          n.state === "sent" &&
          (n.kind === input.kind || (input.kind === "termination" && n.kind === "termination-withdrawal")),
      );
      if (pending) {
        if (input.kind === "procedures-completed")
          throw new DomainError("AGREEMENT_NOTICE_ALREADY_GIVEN", { party: own });
        if (input.kind === "termination")
          throw new DomainError("AGREEMENT_TERMINATION_ALREADY_NOTIFIED", { terminatesOn: "—" });
        throw new DomainError("AGREEMENT_WITHDRAWAL_NOT_ALLOWED", {
          terminatesOn: state.termination?.terminatesOn ?? "—",
        });
      }
      const noticeId = ctx.newId();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "agreement-notice",
        fromOrg: await ownCompetentAuthority(trx, ctx),
        to: peerCompetentAuthority(ctx),
        // The notice holds nothing classified: the lowest level labels its package.
        level: ctx.pack.levels[0]!.id,
        body: { noticeId, kind: input.kind, datedOn, reference },
      });
      await insertSentNotice(trx, {
        id: noticeId,
        kind: input.kind,
        fromParty: own,
        datedOn,
        reference,
        sentAt: now,
        messageId: envelope.id,
        recordedBy: actor.personId,
      });
      await recordDone(trx, ctx, actor, {
        type: "agreement.notice-sent",
        object: { type: "agreement", id: ctx.config.agreementId },
        articles,
        data: { notice: noticeId, kind: input.kind, datedOn, message: envelope.id },
      });
      return viewOf(trx, ctx, actor);
    },
  );
  ctx.onOutbox?.();
  return view;
}

/** What a carrier is outstanding for: not destroyed, declassified or returned (A15.3). */
const SETTLED_STATES = ["destroyed", "declassified", "returned"];

/**
 * A15.3: what is still outstanding under the agreement at this node: the carriers of the other
 * Party's information it holds that are not destroyed, declassified or returned, as far as the
 * reader may learn of them (the one visibility rule, A4.2); one audit entry.
 */
export async function agreementOutstanding(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<OutstandingReport> {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "agreement.outstanding-reported",
      object: { type: "agreement", id: ctx.config.agreementId },
    },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer", "registry-officer", "auditor");
      const at = ctx.now().toISOString();
      const rows = await trx
        .selectFrom("carriers")
        .select([
          "id",
          "registration_number",
          "copy_number",
          "title",
          "level",
          "state",
          "originator_party",
          "custodian_organisation_id",
          "contract_id",
          "registered_at",
        ])
        .where("originator_party", "!=", ctx.config.party)
        .where("state", "not in", SETTLED_STATES)
        .orderBy("registered_at")
        .orderBy("id")
        .execute();
      const visible = await decideVisibilities(trx, ctx, actor, rows, at);
      const names = await organisationNames(trx, ctx);
      const carriers: OutstandingCarrier[] = rows
        .filter((r) => visible.get(r.id)?.record === true)
        .map((r) => ({
          id: r.id,
          registrationNumber: r.registration_number,
          copyNumber: r.copy_number,
          title: r.title,
          level: r.level,
          originatorParty: r.originator_party,
          state: r.state,
          custodian: names.get(r.custodian_organisation_id) ?? r.custodian_organisation_id,
          registeredAt: r.registered_at,
        }));
      const byState: Record<string, number> = {};
      for (const c of carriers) byState[c.state] = (byState[c.state] ?? 0) + 1;
      const status = agreementStatusAt(await agreementStateOf(trx, ctx), at);
      await recordDone(trx, ctx, actor, {
        type: "agreement.outstanding-reported",
        outcome: "allowed",
        object: { type: "agreement", id: ctx.config.agreementId },
        articles: ["A15.3", "A4.2"],
        data: { shown: carriers.length, status },
      });
      return { at, status, carriers, byState };
    },
  );
}

/** Re-exported for the handlers: the state is saved in the same transaction as the notice. */
export { saveAgreementState };
