// The originator's written consent of Article 6, on both nodes. The holder of the other Party's
// information asks the originator's written consent (copy, translation, level change,
// declassification, destruction, return, third-party release); the originator answers; only then
// does the holder act, through the one use case of the action (src/app/carriers/*: copyCarrier,
// translateCarrier, changeCarrierLevel, declassifyCarrier, destroyCarrier, returnCarrier,
// releaseToThirdParty; `performConsent` acts on a named consent). The originator's own level
// changes and declassifications reach the holder by notice (A6.4) and re-mark the received carrier
// and every copy and derivative of it (A6.1, `remarkTree`).

import type { ArticleId } from "../../domain/articles.ts";
import { assertCarrierEvent, type CarrierEventType } from "../../domain/carrier/carrier-machine.ts";
import { parseLevelInput } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import type { ConsentAction as MessageConsentAction } from "../../exchange/messages/catalogue.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { ReceivedCarriersTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { type Actor, requireRole } from "../actor.ts";
import { informAuthority } from "../authorities/informed.ts";
import { loadKeptCarrier } from "../carriers/carrier-guards.ts";
import { loadCarrier } from "../carriers/carrier-repository.ts";
import { type ConsentDetails, receivedRootsOf } from "../carriers/originator-consent.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";

export { receivedRootOf, receivedRootsOf } from "../carriers/originator-consent.ts";
export { remarkTree } from "../carriers/remark-tree.ts";

const iso = (d: Date) => toTimestamp(d);

/** The answer to a consent request that does not exist — and to one of another body (A4.2). */
export function consentNotFound(ref: string): DomainError {
  return new DomainError("INPUT_INVALID", { field: "consent", problem: `no consent request ${ref}` });
}

const ARTICLES_OF: Record<MessageConsentAction, ArticleId[]> = {
  copy: ["A6.5", "A6.7"],
  translate: ["A6.5", "A6.7"],
  reclassify: ["A4.1.2", "A6.3", "A6.7"],
  declassify: ["A6.4", "A6.7"],
  destroy: ["A6.6", "A6.7"],
  return: ["A6.6", "A6.7"],
  "third-party-release": ["A4.1.5", "A6.7"],
};

/** The carrier machine's event of each action a consent is asked for. */
const EVENT_OF: Record<MessageConsentAction, CarrierEventType> = {
  copy: "copy",
  translate: "translate",
  reclassify: "reclassify",
  declassify: "declassify",
  destroy: "destroy",
  return: "return",
  "third-party-release": "release-to-third-party",
};

// ------------------------------------------------------------------ holder: ask

export type RequestConsentInput = {
  readonly actor: string;
  readonly carrier: string;
  readonly action: MessageConsentAction;
  readonly reason: string;
  readonly newLevel?: string;
  readonly language?: string;
  readonly thirdParty?: string;
};

/** A6.7: the holder's registry officer asks the originator's written consent for an Article 6 action. */
export async function requestConsent(ctx: FlowContext, input: RequestConsentInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "consent.requested", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      const { row: carrier, state } = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      // Only for an action the carrier machine would allow in the carrier's state.
      assertCarrierEvent(state.status, EVENT_OF[input.action]);
      // A6.1: the information of every received carrier this one was copied, translated or derived from.
      const roots = await receivedRootsOf(trx, carrier.id);
      if (roots.length === 0)
        throw new DomainError("INPUT_INVALID", {
          field: "carrier",
          problem: "not received from the other Party: this node is its originator",
        });
      const newLevel = input.newLevel ? parseLevelInput(ctx.pack, ctx.config.party, input.newLevel).id : null;
      if (input.action === "reclassify" && newLevel === null)
        throw new DomainError("INPUT_INVALID", { field: "level", problem: "name the new level" });
      if (input.action === "third-party-release" && !input.thirdParty?.trim())
        throw new DomainError("INPUT_INVALID", { field: "third-party", problem: "name the third party" });
      const ids: string[] = [];
      for (const root of roots)
        ids.push(await askOriginator(trx, ctx, actor, input, root, carrier, newLevel));
      return { consentId: ids[0]!, consentIds: ids, state: "asked" };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** One written request to the originator of `root` (A6.7); returns its id. */
async function askOriginator(
  trx: Trx,
  ctx: FlowContext,
  actor: Actor,
  input: RequestConsentInput,
  root: ReceivedCarriersTable,
  carrier: CarriersTable,
  newLevel: string | null,
): Promise<string> {
  const id = ctx.newId();
  const at = iso(ctx.now());
  const thirdParty = input.thirdParty?.trim() || null;
  const details: ConsentDetails = {
    newLevel,
    language: input.language ?? null,
    thirdParty,
    reason: input.reason,
    // The holder's own carrier the consent is for (kept here, not sent).
    carrier: carrier.id,
  };
  const rootRow = await trx
    .selectFrom("carriers")
    .select("level")
    .where("id", "=", root.carrier_id)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto("consent_requests")
    .values({
      id,
      direction: "out",
      action: input.action,
      state: "asked",
      carrier_id: root.carrier_id,
      origin_party: root.origin_party,
      origin_registration_number: root.origin_registration_number,
      origin_copy_number: root.origin_copy_number,
      holder_org: actor.organisation.id,
      originator_org: root.origin_org,
      details: JSON.stringify(details),
      requested_by: actor.personId,
      requested_at: at,
      answered_by: null,
      answered_at: null,
      answer_reason: null,
      used_at: null,
    })
    .execute();
  const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "consent-request",
    fromOrg: actor.organisation.id,
    to: { party: root.origin_party, org: root.origin_org },
    level: rootRow.level,
    body: {
      consentId: id,
      action: input.action,
      carrier: {
        originParty: root.origin_party,
        originRegistrationNumber: root.origin_registration_number,
        originCopyNumber: root.origin_copy_number,
      },
      reason: input.reason,
      newLevel,
      language: input.language ?? null,
      thirdParty,
    },
  });
  await recordDone(trx, ctx, actor, {
    type: "consent.requested",
    object: { type: "consent", id },
    articles: ARTICLES_OF[input.action],
    data: { action: input.action, carrier: carrier.registration_number, message: envelope.id },
  });
  // A6.7: the competent authority is informed.
  await informAuthority(trx, ctx, {
    type: "consent.requested",
    actor: actor.personId,
    organisation: await ownCompetentAuthority(trx, ctx),
    object: { type: "consent", id },
    outcome: "done",
    articles: ["A6.7"],
    data: { action: input.action, carrier: carrier.registration_number },
  });
  return id;
}

// ------------------------------------------------------------------ originator: answer

export type AnswerConsentInput = {
  readonly actor: string;
  readonly consent: string;
  readonly decision: "grant" | "refuse";
  readonly reason?: string;
};

/** A6.3–A6.7, A4.1.5: the originator's registry officer answers a consent request in writing. */
export async function answerConsent(ctx: FlowContext, input: AnswerConsentInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "consent.answered", object: { type: "consent", id: input.consent } },
    async (trx, actor) => {
      const row = await trx
        .selectFrom("consent_requests")
        .selectAll()
        .where("id", "=", input.consent)
        .where("direction", "=", "in")
        .executeTakeFirst();
      // D3, A6.7: a request on a carrier of the 2015 agreement this node holds no record of was
      // referred to the competent authority: its officer decides it by hand; the originator body's
      // registry officer, who sees it, is told so. Any other is the originator body's to answer.
      const referred = row?.referred_to ?? null;
      const isAuthority =
        actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
      if (referred !== null && !isAuthority && row?.originator_org === actor.organisation.id)
        throw new DomainError(
          "ROLE_FORBIDDEN",
          { needed: ["competent-authority-officer"], actor: actor.handle },
          { articles: ["D3", "A6.7"] },
        );
      if (referred === null || !isAuthority) requireRole(actor, "registry-officer");
      // A4.2: a request put to another body is answered as one that does not exist.
      const missing = consentNotFound(input.consent);
      if (!row) throw missing;
      if ((referred ?? row.originator_org) !== actor.organisation.id)
        throw new ConcealedRefusal(missing, new DomainError("ROLE_FORBIDDEN", { needed: ["originator"] }), {
          type: "consent",
          id: row.id,
        });
      if (row.state !== "asked")
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "consent",
          state: row.state,
          event: input.decision,
        });
      const at = iso(ctx.now());
      const state = input.decision === "grant" ? "granted" : "refused";
      await trx
        .updateTable("consent_requests")
        .set({ state, answered_by: actor.personId, answered_at: at, answer_reason: input.reason ?? null })
        .where("id", "=", row.id)
        .execute();
      const inbox = row.requested_by?.startsWith("message:") ? { id: row.requested_by.slice(8) } : null;
      const level = row.carrier_id
        ? (await loadCarrier(trx, ctx, row.carrier_id, { lock: false })).row.level
        : ctx.pack.levels[ctx.pack.levels.length - 1]!.id;
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "consent-answer",
        fromOrg: actor.organisation.id,
        to: {
          party: row.origin_party === ctx.config.party ? ctx.exchange.peer!.party : row.origin_party,
          org: row.holder_org,
        },
        level,
        inReplyTo: inbox?.id ?? null,
        body: { consentId: row.id, decision: state, reason: input.reason ?? null },
      });
      const articles: ArticleId[] = [
        ...ARTICLES_OF[row.action as MessageConsentAction],
        ...(referred ? (["D3"] as const) : []),
      ];
      await recordDone(trx, ctx, actor, {
        type: "consent.answered",
        object: { type: "consent", id: row.id },
        articles,
        data: { decision: state, message: envelope.id, ...(referred ? { byHand: true } : {}) },
      });
      // A6.7: the competent authority is informed of the originator's answer.
      await informAuthority(trx, ctx, {
        type: "consent.answered",
        actor: actor.personId,
        organisation: await ownCompetentAuthority(trx, ctx),
        object: { type: "consent", id: row.id },
        outcome: "done",
        articles: ["A6.7"],
        data: { decision: state },
      });
      return { consentId: row.id, state };
    },
  );
  ctx.onOutbox?.();
  return result;
}
