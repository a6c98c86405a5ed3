// The transfer of Article 5, as use cases on both nodes. On the sending node: a registry officer
// asks (A5.1), the own competent authority consents and asks the other Party's competent
// authority to confirm the receiving body's facility clearance (A5.2, A5.3), the registry officer
// dispatches (A5.6, A5.7). On the receiving node: the competent authority confirms or refuses
// (A5.3); the carrier is taken in by the inbox (see `transfer-handlers.ts`). Each refusal names its
// article and changes nothing (the use case's transaction rolls back; the refusal is audited).

import { createHash } from "node:crypto";
import type { AgreementState } from "../../domain/agreement/agreement-machine.ts";
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import {
  askConsent,
  type ConsentState,
  checkConsent,
  transitionConsent,
} from "../../domain/consent/consent-machine.ts";
import type { ContractClause, ContractState } from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { isWithin } from "../../domain/time/instants.ts";
import {
  requestTransfer,
  type TransferState,
  transitionTransfer,
} from "../../domain/transfer/transfer-machine.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { ConsentRequestsTable, TransfersTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import { lockForUpdate, type Trx } from "../../store/transaction.ts";
import { clearanceWindow, requireClearances } from "../access/visibility.ts";
import { type Actor, requireRole } from "../actor.ts";
import { informAuthority } from "../authorities/informed.ts";
import { recordBreach } from "../breaches/breach-flow.ts";
import { carrierNotFound, loadCarrier } from "../carriers/carrier-repository.ts";
import type { AppContext } from "../context.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";
import { type FlowContext, loadAgreementState } from "./flow-context.ts";
import { takeInCarrier } from "./transfer-handlers.ts";
import {
  facilityOf,
  incomingDispatchOf,
  outgoingDispatchOf,
  receiptOf,
  refusalOf,
} from "./transfer-records.ts";

/** Default time allowed for the receipt notice (A5.6) before a transfer is flagged overdue (node policy). */
export const RECEIPT_DUE_DAYS = 14;

const iso = (d: Date) => toTimestamp(d);

// ------------------------------------------------------------------ state mapping

export function transferStateOf(ctx: AppContext, row: TransfersTable): TransferState {
  return {
    id: row.id,
    status: row.state as TransferState["status"],
    contractId: row.contract_number,
    fromParty: row.sending_party,
    fromBody: row.sending_org,
    toParty: row.receiving_party,
    toBody: row.receiving_org,
    carrierIds: row.carrier_id ? [row.carrier_id] : [],
    level: findLevel(ctx.pack, row.level).rank,
    consentId: row.consented_at ? `consent:${row.id}` : null,
    // On the receiving node, and on a refused transfer, the column keeps the written answer instead.
    facility: facilityOf(row),
    channel: row.mode,
    requestedAt: row.requested_at,
    dispatchedAt: row.dispatched_at,
    receivedAt: null,
    acknowledgedAt: null,
    refusal: null,
  };
}

async function contractStateOf(
  trx: Trx,
  ctx: FlowContext,
  contractRef: string,
): Promise<{ state: ContractState; number: string; counterpartOrg: string | null }> {
  const contract = await trx
    .selectFrom("contracts")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", contractRef), eb("number", "=", contractRef)]))
    .executeTakeFirst();
  if (!contract) throw new DomainError("TRANSFER_CONTRACT_REQUIRED", { contractId: contractRef });
  const [clauses, info, participants] = await Promise.all([
    trx.selectFrom("contract_clauses").select("clause").where("contract_id", "=", contract.id).execute(),
    trx.selectFrom("contract_information").selectAll().where("contract_id", "=", contract.id).execute(),
    trx
      .selectFrom("contract_participants")
      .select("person_id")
      .where("contract_id", "=", contract.id)
      .execute(),
  ]);
  // The counterpart body is named in the contract; the peer's directory gives its identifier.
  const counterpart =
    ctx.exchange.peer?.party === contract.counterpart_party
      ? (ctx.exchange.peer.organisations.find(
          (o) => o.name === contract.counterpart_name || o.id === contract.counterpart_name,
        ) ?? null)
      : null;
  return {
    number: contract.number,
    counterpartOrg: counterpart?.id ?? null,
    state: {
      id: contract.id,
      status: contract.state as ContractState["status"],
      bodies: [contract.organisation_id, ...(counterpart ? [counterpart.id] : [])],
      clauses: clauses.map((c) => c.clause as ContractClause),
      informationList: info.map((i) => ({ title: i.description, level: findLevel(ctx.pack, i.level).rank })),
      participants: participants.map((p) => p.person_id),
      activatedAt: contract.activated_at,
      closedAt: null,
    },
  };
}

/** An officer of the Party's competent authority oversees every transfer of the node (A5.2, A5.3, A5.5). */
function overseesTransfers(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/**
 * A transfer of this node that the actor may learn of (A4.2), locked for the transaction on
 * PostgreSQL: every transfer for an officer of the competent authority, else only those of the
 * actor's own body (the sending body of an outgoing one, the receiving body of an incoming one).
 * Any other is answered exactly as a transfer that does not exist (TRANSFER_NOT_FOUND, same code,
 * same message); the audit log keeps the real reason.
 */
async function loadTransfer(
  trx: Trx,
  actor: Actor,
  ref: string,
  direction: "out" | "in",
): Promise<TransfersTable> {
  const row = await lockForUpdate(
    trx,
    trx.selectFrom("transfers").selectAll().where("id", "=", ref).where("direction", "=", direction),
  ).executeTakeFirst();
  const notFound = new DomainError("TRANSFER_NOT_FOUND", { transfer: ref });
  if (!row) throw notFound;
  const ownBody = direction === "out" ? row.sending_org : row.receiving_org;
  if (ownBody !== actor.organisation.id && !overseesTransfers(actor)) {
    const needed = [direction === "out" ? "the sending body" : "the receiving body", "competent-authority"];
    throw new ConcealedRefusal(notFound, new DomainError("ROLE_FORBIDDEN", { transfer: row.id, needed }), {
      type: "transfer",
      id: row.id,
    });
  }
  return row;
}

function peerOrg(ctx: FlowContext, ref: string) {
  return ctx.exchange.peer?.organisations.find((o) => o.id === ref || o.name === ref) ?? null;
}

function peerCompetentAuthority(ctx: FlowContext) {
  const ca = ctx.exchange.peer?.organisations.find((o) => o.kind === "competent-authority");
  if (!ca || !ctx.exchange.peer)
    throw new DomainError("INPUT_INVALID", {
      field: "peer",
      problem: "the peer node is not configured (kelisim exchange peer)",
    });
  return { party: ctx.exchange.peer.party, org: ca.id };
}

async function ownCompetentAuthority(trx: Trx, ctx: AppContext): Promise<string> {
  const row = await trx
    .selectFrom("organisations")
    .select("id")
    .where("kind", "=", "competent-authority")
    .where("party", "=", ctx.config.party)
    .executeTakeFirstOrThrow();
  return row.id;
}

// ------------------------------------------------------------------ sending node

export type RequestTransferInput = {
  readonly actor: string;
  readonly carrier: string;
  /** The receiving authorized body of the other Party (its id or name in the peer's directory). */
  readonly to: string;
  /** The contract (id or number); default: the carrier's. */
  readonly contract?: string;
};

/** A5.1, A5.4: a registry officer asks to transfer a carrier under an active contract. */
export async function requestCarrierTransfer(ctx: FlowContext, input: RequestTransferInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "transfer.requested", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const loaded = await loadCarrier(trx, ctx, input.carrier);
      const carrier = loaded.row;
      // A4.2: a carrier of another body's registry is answered as one that does not exist.
      if (carrier.custodian_organisation_id !== actor.organisation.id)
        throw new ConcealedRefusal(
          carrierNotFound(input.carrier),
          new DomainError("ACCESS_NOT_IN_CUSTODY", { carrierId: carrier.id }),
          { type: "carrier", id: carrier.id },
        );
      const to = peerOrg(ctx, input.to);
      // A4.1.5: only an authorized body of the other Party may receive; anyone else is a third party.
      if (to?.kind !== "authorized-body")
        throw new DomainError(
          "THIRD_PARTY_NEEDS_CONSENT",
          { recipient: input.to },
          { articles: ["A4.1.5", "A1.14"] },
        );
      const contractRef = input.contract ?? carrier.contract_id;
      if (!contractRef) throw new DomainError("TRANSFER_CONTRACT_REQUIRED", { contractId: "none" });
      const contract = await contractStateOf(trx, ctx, contractRef);
      // A7.1 (1), A4.1.4: the carrier's information must be on this contract's list.
      if (carrier.contract_id !== contract.state.id)
        throw new DomainError(
          "TRANSFER_LEVEL_NOT_IN_CONTRACT",
          { level: carrier.level },
          { articles: ["A7.1", "A4.1.4"] },
        );
      const agreement = await loadAgreementState(trx, ctx);
      const pending = await trx
        .selectFrom("transfers")
        .select("id")
        .where("carrier_id", "=", carrier.id)
        .where("direction", "=", "out")
        .where("state", "in", ["requested", "consented", "confirmed", "dispatched"])
        .executeTakeFirst();
      if (pending)
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "transfer",
          state: "pending",
          event: "request",
        });
      const at = iso(ctx.now());
      const state = requestTransfer({
        id: ctx.newId(),
        contract: contract.state,
        fromParty: ctx.config.party,
        fromBody: actor.organisation.id,
        toParty: ctx.exchange.peer!.party,
        toBody: to.id,
        carriers: [loaded.state],
        at,
        pack: ctx.pack,
        agreement,
      });
      // A4.2, A1.11: whoever sends it must hold the clearances its level needs.
      requireClearances(ctx, actor, carrier.level);
      await trx
        .insertInto("transfers")
        .values({
          id: state.id,
          direction: "out",
          state: state.status,
          carrier_id: carrier.id,
          contract_number: contract.number,
          level: carrier.level,
          sending_party: ctx.config.party,
          sending_org: actor.organisation.id,
          receiving_party: state.toParty,
          receiving_org: to.id,
          mode: null,
          requested_by: actor.personId,
          requested_at: at,
          consented_by: null,
          consented_at: null,
          confirmation: null,
          dispatch: null,
          dispatched_at: null,
          receipt_due_at: null,
          receipt: null,
          closed_at: null,
          refusal: null,
          updated_at: at,
        })
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "transfer.requested",
        object: { type: "transfer", id: state.id },
        articles: ["A5.1", "A5.4"],
        data: { carrier: carrier.registration_number, to: to.id, contract: contract.number },
      });
      return { transferId: state.id, state: state.status };
    },
  );
}

export type DecideTransferInput = {
  readonly actor: string;
  readonly transfer: string;
  readonly decision: "consent" | "refuse";
  readonly reason?: string;
};

/**
 * A5.2, A5.3: the sending body's own competent authority consents in writing (and asks the other
 * Party's competent authority to confirm the receiving body's facility clearance), or refuses.
 */
export async function decideTransfer(ctx: FlowContext, input: DecideTransferInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "transfer.consented", object: { type: "transfer", id: input.transfer } },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer");
      if (actor.organisation.kind !== "competent-authority")
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["competent-authority"] });
      const row = await loadTransfer(trx, actor, input.transfer, "out");
      const agreement = await loadAgreementState(trx, ctx);
      const at = iso(ctx.now());
      const tctx = { at, pack: ctx.pack, agreement };
      if (input.decision === "refuse") {
        const next = transitionTransfer(
          transferStateOf(ctx, row),
          { type: "refuse", by: actor.organisation.id, reason: input.reason ?? "" },
          tctx,
        );
        await trx
          .updateTable("transfers")
          .set({
            state: next.state.status,
            refusal: JSON.stringify({
              by: "competent-authority",
              articles: ["A5.2"],
              reason: input.reason ?? null,
            }),
            updated_at: at,
            closed_at: at,
          })
          .where("id", "=", row.id)
          .execute();
        await recordDone(trx, ctx, actor, {
          type: "transfer.refused",
          object: { type: "transfer", id: row.id },
          articles: ["A5.2", "A5.4"],
          data: { reason: input.reason ?? null },
        });
        return { transferId: row.id, state: next.state.status };
      }
      const asked = askConsent({
        id: `consent:${row.id}`,
        action: "transfer",
        subjectId: row.id,
        askedBy: row.sending_org,
        askedOf: actor.organisation.id,
        at,
      });
      const granted = transitionConsent(asked, { type: "grant", by: actor.organisation.id }, { at }).state;
      const next = transitionTransfer(transferStateOf(ctx, row), { type: "consent", consent: granted }, tctx);
      await trx
        .updateTable("transfers")
        .set({ state: next.state.status, consented_by: actor.personId, consented_at: at, updated_at: at })
        .where("id", "=", row.id)
        .execute();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "facility-clearance-request",
        fromOrg: actor.organisation.id,
        to: peerCompetentAuthority(ctx),
        level: row.level,
        body: {
          transferId: row.id,
          sendingOrg: row.sending_org,
          receivingOrg: row.receiving_org,
          level: row.level,
          contractNumber: row.contract_number,
        },
      });
      await recordDone(trx, ctx, actor, {
        type: "transfer.consented",
        object: { type: "transfer", id: row.id },
        articles: ["A5.1", "A5.2", "A5.3"],
        data: { confirmationAsked: envelope.id },
      });
      return { transferId: row.id, state: next.state.status, message: envelope.id };
    },
  );
  ctx.onOutbox?.();
  return result;
}

export type AnswerClearanceInput = {
  readonly actor: string;
  readonly transfer: string;
  /** Refuse to confirm, whatever the registry holds. */
  readonly refuse?: boolean;
  readonly reason?: string;
};

/**
 * A5.3 (receiving node): the competent authority confirms in writing the facility clearance the
 * receiving body holds today (its level and validity), or says it holds none.
 */
export async function answerClearanceConfirmation(ctx: FlowContext, input: AnswerClearanceInput) {
  const result = await executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "transfer.clearance-confirmation-answered",
      object: { type: "transfer", id: input.transfer },
    },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer");
      if (actor.organisation.kind !== "competent-authority")
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["competent-authority"] });
      const row = await loadTransfer(trx, actor, input.transfer, "in");
      if (row.state !== "clearance-asked")
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "transfer",
          state: row.state,
          event: "answer-clearance",
        });
      const now = ctx.now().toISOString();
      const clearances = await trx
        .selectFrom("facility_clearances")
        .selectAll()
        .where("organisation_id", "=", row.receiving_org)
        .where("revoked_at", "is", null)
        .execute();
      const valid = clearances
        // A1.11: valid now, its dates counted in this Party's time zone (as every clearance here).
        .filter((c) => {
          const window = clearanceWindow(ctx, c);
          return isWithin(now, window.validFrom, window.validUntil);
        })
        .sort((a, b) => findLevel(ctx.pack, b.level).rank - findLevel(ctx.pack, a.level).rank);
      const best = input.refuse ? undefined : valid[0];
      const at = iso(ctx.now());
      const body = best
        ? {
            transferId: row.id,
            receivingOrg: row.receiving_org,
            confirmed: true,
            level: best.level,
            validUntil: best.valid_to.slice(0, 10),
            reason: null,
          }
        : {
            transferId: row.id,
            receivingOrg: row.receiving_org,
            confirmed: false,
            level: null,
            validUntil: null,
            reason: input.reason ?? "the receiving body holds no valid facility clearance",
          };
      await trx
        .updateTable("transfers")
        .set({
          state: best ? "clearance-confirmed" : "clearance-refused",
          confirmation: JSON.stringify({ ...body, confirmedAt: at }),
          updated_at: at,
          ...(best ? {} : { closed_at: at }),
        })
        .where("id", "=", row.id)
        .execute();
      const requestId = row.requested_by?.startsWith("message:") ? row.requested_by.slice(8) : null;
      const request = requestId
        ? await trx
            .selectFrom("exchange_inbox")
            .select(["id", "sender_org"])
            .where("id", "=", requestId)
            .executeTakeFirst()
        : undefined;
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "facility-clearance-answer",
        fromOrg: actor.organisation.id,
        to: { party: row.sending_party, org: request?.sender_org ?? row.sending_org },
        level: row.level,
        inReplyTo: request?.id ?? null,
        body,
      });
      await recordDone(trx, ctx, actor, {
        type: "transfer.clearance-confirmation-answered",
        object: { type: "transfer", id: row.id },
        articles: ["A5.3", "A1.11"],
        data: {
          confirmed: body.confirmed,
          level: body.level,
          validUntil: body.validUntil,
          message: envelope.id,
        },
      });
      return {
        transferId: row.id,
        confirmed: body.confirmed,
        level: body.level,
        validUntil: body.validUntil,
      };
    },
  );
  ctx.onOutbox?.();
  return result;
}

export type DispatchInput = {
  readonly actor: string;
  readonly transfer: string;
  /** A channel of the agreement pack (A5.6, A5.7). */
  readonly channel: string;
  readonly sealNumbers?: readonly string[];
  readonly waybill?: string;
  readonly receiptDueDays?: number;
};

/** A5.6, A5.7: the registry officer dispatches: electronically as a sealed package, or physically with a dispatch record. */
export async function dispatchTransfer(ctx: FlowContext, input: DispatchInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "transfer.dispatched", object: { type: "transfer", id: input.transfer } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await loadTransfer(trx, actor, input.transfer, "out");
      if (row.sending_org !== actor.organisation.id)
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["sending body"] });
      const loaded = await loadCarrier(trx, ctx, row.carrier_id!);
      const carrier = loaded.row;
      requireClearances(ctx, actor, carrier.level);
      const agreement: AgreementState = await loadAgreementState(trx, ctx);
      const at = iso(ctx.now());
      const next = transitionTransfer(
        transferStateOf(ctx, row),
        { type: "dispatch", channel: input.channel },
        { at, pack: ctx.pack, agreement },
      );
      const channel = ctx.pack.channels.find((c) => c.id === input.channel)!;
      // The carrier machine: only an own carrier in custody leaves (A5.1, A5.6), the agreement in force.
      const sent = transitionCarrier(
        loaded.state,
        { type: "dispatch", transferId: row.id },
        { at, pack: ctx.pack, agreement },
      );
      let delivery:
        | { mode: "electronic"; contentSha256: string; contentSize: number }
        | {
            mode: "physical";
            channel: "diplomatic" | "state-courier" | "agreed";
            sealNumbers: string[];
            waybill: string;
            dispatchedAt: string;
          };
      let attachment: Uint8Array | null = null;
      if (channel.kind === "electronic") {
        if (!(await ctx.vault.hasContent(trx, carrier.id)))
          throw new DomainError("INPUT_INVALID", {
            field: "carrier",
            problem: "no electronic content to send",
          });
        attachment = await ctx.vault.readContentBytes(trx, carrier.id);
        delivery = {
          mode: "electronic",
          contentSha256: createHash("sha256").update(attachment).digest("hex"),
          contentSize: attachment.byteLength,
        };
      } else {
        if (!input.sealNumbers?.length || !input.waybill)
          throw new DomainError("INPUT_INVALID", {
            field: "seal",
            problem: "a physical dispatch needs seal numbers and a waybill",
          });
        delivery = {
          mode: "physical",
          channel: channel.id.includes("diplomatic")
            ? "diplomatic"
            : channel.id.includes("courier")
              ? "state-courier"
              : "agreed",
          sealNumbers: [...input.sealNumbers],
          waybill: input.waybill,
          dispatchedAt: at,
        };
      }
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "carrier-transfer",
        fromOrg: actor.organisation.id,
        to: { party: row.receiving_party, org: row.receiving_org },
        level: carrier.level,
        attachment,
        body: {
          transferId: row.id,
          contractNumber: row.contract_number,
          carrier: {
            ref: {
              originParty: carrier.originator_party,
              originRegistrationNumber: carrier.registration_number,
              originCopyNumber: carrier.copy_number,
            },
            title: carrier.title,
            kind: carrier.kind as "electronic-file",
            level: carrier.level,
            originMarking: carrier.marking,
            originatorOrg: carrier.originator_organisation_id ?? actor.organisation.id,
            sheets: carrier.sheets,
            sizeBytes: carrier.size_bytes,
            derivedFrom: [],
          },
          delivery,
        },
      });
      const due = new Date(ctx.now().getTime() + (input.receiptDueDays ?? RECEIPT_DUE_DAYS) * 86_400_000);
      await trx
        .updateTable("transfers")
        .set({
          state: next.state.status,
          mode: input.channel,
          dispatch: JSON.stringify({ ...delivery, message: envelope.id }),
          dispatched_at: at,
          receipt_due_at: iso(due),
          updated_at: at,
        })
        .where("id", "=", row.id)
        .execute();
      await trx
        .updateTable("carriers")
        .set({ state: sent.state.status, updated_at: at, version: carrier.version + 1 })
        .where("id", "=", carrier.id)
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "transfer.dispatched",
        object: { type: "transfer", id: row.id },
        articles: ["A5.6", "A5.7"],
        data: { channel: input.channel, message: envelope.id, receiptDue: iso(due) },
      });
      return { transferId: row.id, state: next.state.status, message: envelope.id, receiptDueAt: iso(due) };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/**
 * A5.6, A6.1, A6.2 (receiving node): a physical carrier has arrived by courier. The registry officer
 * of the receiving body, cleared to its level, takes it in against the dispatch record, confirming
 * its seals intact and matching (else it is not taken in: a broken seal is a possible breach, A11.1):
 * it is registered with both Parties' markings and the signed receipt notice goes to the sending
 * body, in one transaction.
 */
export async function receivePhysicalCarrier(
  ctx: FlowContext,
  input: {
    actor: string;
    transfer: string;
    /** The officer confirms the seals are intact and are those of the dispatch record. */
    sealsIntact: boolean;
    /**
     * A11.1: seals broken or not matching, and what was found: the carrier is taken in all the same,
     * held in quarantine, and a breach is recorded (its notice sent at once) in the same transaction.
     */
    breach?: { readonly what: string };
  },
) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "transfer.received", object: { type: "transfer", id: input.transfer } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await loadTransfer(trx, actor, input.transfer, "in");
      if (row.receiving_org !== actor.organisation.id)
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["receiving body"] });
      requireClearances(ctx, actor, row.level);
      const agreement = await loadAgreementState(trx, ctx);
      const at = iso(ctx.now());
      // The machine refuses a carrier not (or no longer) on its way, or taken in by another body.
      const received = transitionTransfer(
        transferStateOf(ctx, row),
        { type: "receive", by: actor.organisation.id },
        { at, pack: ctx.pack, agreement },
      );
      transitionTransfer(received.state, { type: "acknowledge" }, { at, pack: ctx.pack, agreement });
      const dispatch = incomingDispatchOf(row);
      if (dispatch?.delivery.mode !== "physical")
        throw new DomainError(
          "TRANSITION_FORBIDDEN",
          { machine: "transfer", state: row.state, event: "receive" },
          { articles: ["A5.6", "A5.7"] },
        );
      const brokenSeals = !input.sealsIntact ? input.breach?.what.trim() : undefined;
      if (!input.sealsIntact && !brokenSeals)
        throw new DomainError("TRANSFER_SEALS_NOT_CONFIRMED", {
          transferId: row.id,
          sealNumbers: dispatch.delivery.sealNumbers.join(", "),
        });
      const receipt = await takeInCarrier(trx, ctx, row, dispatch, null, actor.personId);
      await recordDone(trx, ctx, actor, {
        type: "transfer.receipt-sent",
        object: { type: "transfer", id: row.id },
        articles: brokenSeals ? ["A5.6", "A11.1"] : ["A5.6"],
        data: {
          sealNumbers: dispatch.delivery.sealNumbers.join(", "),
          sealsIntact: input.sealsIntact,
          waybill: dispatch.delivery.waybill,
          message: receipt,
        },
      });
      // A11.1: a broken or mismatched seal is a suspected breach of the sending Party's information:
      // the carrier is registered but held in quarantine, and the notice goes at once.
      const breach = brokenSeals
        ? await recordBreach(trx, ctx, actor, {
            suspected: true,
            what: brokenSeals,
            howFound: `seals broken or not matching at take-in (dispatch seals ${dispatch.delivery.sealNumbers.join(", ")}, waybill ${dispatch.delivery.waybill})`,
            occurredAt: null,
            foundAt: at,
            carriers: [await receivedCarrierOf(trx, row.id)],
            informationOf: [row.sending_party],
            source: `transfer:${row.id}`,
            quarantine: true,
          })
        : null;
      return {
        transferId: row.id,
        state: "acknowledged" as const,
        receipt,
        ...(breach ? { breachId: breach.id } : {}),
      };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** The carrier a transfer's take-in registered on this node. */
async function receivedCarrierOf(trx: Trx, transferId: string) {
  return trx
    .selectFrom("received_carriers")
    .innerJoin("carriers", "carriers.id", "received_carriers.carrier_id")
    .selectAll("carriers")
    .where("received_carriers.transfer_id", "=", transferId)
    .executeTakeFirstOrThrow();
}

export type TakeBackInput = {
  readonly actor: string;
  /** The originator's own carrier (id, registration number or `NUMBER/COPY`). */
  readonly carrier: string;
  /** The return consent it granted, when it granted more than one; default the oldest unused. */
  readonly consent?: string;
  /** A physical carrier: the registry officer confirms the seals intact (a broken seal is a possible breach, A11.1). */
  readonly sealsIntact?: boolean;
};

/**
 * A6.6, A6.2 (originator): the holder returned our carrier with the written permission we gave,
 * and our registry officer takes it back in. A physical carrier was `transferred` (in the other
 * Party's registry since the receipt notice, A5.6): it is back in our custody, `registered` again
 * — the same carrier under the same number, never a new one, so that its record runs on from
 * where it left (the transfer and the return stay in its history). An electronic transfer sent
 * the content and left our own electronic copy in custody (A5.7): nothing comes back, the holder
 * erased its copy, and the return is noted. Either way the permission is spent (`used`): it
 * allowed one return (A5.4, A6.7), and our competent authority is informed (A6.7).
 */
export async function takeBackReturnedCarrier(ctx: FlowContext, input: TakeBackInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "carrier.returned", object: { type: "carrier", id: input.carrier } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const loaded = await loadCarrier(trx, ctx, input.carrier);
      const carrier = loaded.row;
      // A4.2: only the originator's body, which keeps the carrier's record, learns of it.
      if (
        carrier.custodian_organisation_id !== actor.organisation.id ||
        carrier.originator_party !== ctx.config.party
      )
        throw new ConcealedRefusal(
          carrierNotFound(input.carrier),
          new DomainError("ACCESS_NOT_IN_CUSTODY", { carrierId: carrier.id }),
          { type: "carrier", id: carrier.id },
        );
      requireClearances(ctx, actor, carrier.level);
      const at = iso(ctx.now());
      let query = trx
        .selectFrom("consent_requests")
        .selectAll()
        .where("direction", "=", "in")
        .where("carrier_id", "=", carrier.id)
        .where("action", "=", "return")
        .where("state", "=", "granted")
        .where("used_at", "is", null);
      if (input.consent) query = query.where("id", "=", input.consent);
      const consent = await lockForUpdate(trx, query.orderBy("answered_at").limit(1)).executeTakeFirst();
      const permission = consent ? returnConsentOf(consent, carrier.id) : null;
      // The transfer that took it to the holder (the one the permission was given to).
      let transfers = trx
        .selectFrom("transfers")
        .selectAll()
        .where("direction", "=", "out")
        .where("carrier_id", "=", carrier.id)
        .where("state", "=", "acknowledged");
      if (consent) transfers = transfers.where("receiving_org", "=", consent.holder_org);
      const transfer = await transfers.orderBy("closed_at", "desc").limit(1).executeTakeFirst();
      const electronic = transfer ? outgoingDispatchOf(transfer)?.mode === "electronic" : false;
      let state = loaded.state.status;
      if (loaded.state.status === "registered" && electronic) {
        // Our electronic copy never left (A5.7): only the permission is checked and spent.
        checkConsent(permission, { action: "return", subjectId: carrier.id, at });
      } else {
        assertCarrierEvent(loaded.state.status, "take-back");
        const next = transitionCarrier(
          loaded.state,
          { type: "take-back", by: actor.organisation.id },
          { at, pack: ctx.pack, consent: permission },
        );
        if (input.sealsIntact !== true)
          throw new DomainError("TRANSFER_SEALS_NOT_CONFIRMED", {
            carrier: carrier.registration_number,
          });
        state = next.state.status;
        await trx
          .updateTable("carriers")
          .set({ state, updated_at: at, version: carrier.version + 1 })
          .where("id", "=", carrier.id)
          .execute();
      }
      await trx
        .updateTable("consent_requests")
        .set({ state: "used", used_at: at })
        .where("id", "=", consent!.id)
        .execute();
      const data = {
        consent: consent!.id,
        from: consent!.holder_org,
        transfer: transfer?.id ?? null,
        registeredThereAs: transfer ? (receiptOf(transfer)?.registrationNumber ?? null) : null,
        mode: electronic ? "electronic" : "physical",
        state,
        takenBack: true,
      };
      await recordDone(trx, ctx, actor, {
        type: "carrier.returned",
        object: { type: "carrier", id: carrier.id },
        articles: ["A6.6", "A6.2"],
        data,
      });
      // A6.7: the competent authority is informed.
      await informAuthority(trx, ctx, {
        type: "carrier.returned",
        actor: actor.personId,
        organisation: await ownCompetentAuthority(trx, ctx),
        object: { type: "carrier", id: carrier.id },
        outcome: "done",
        articles: ["A6.6", "A6.7"],
        data,
      });
      return { carrierId: carrier.id, state, consentId: consent!.id, transferId: transfer?.id ?? null };
    },
  );
}

/** The originator's written permission to return (a consent request it answered), as the consent machine sees it. */
function returnConsentOf(row: ConsentRequestsTable, carrierId: string): ConsentState {
  return {
    id: row.id,
    status: row.used_at ? "used" : (row.state as ConsentState["status"]),
    action: "return",
    subjectId: carrierId,
    askedBy: row.holder_org,
    askedOf: row.originator_org,
    askedAt: row.requested_at,
    answeredAt: row.answered_at,
    expiresAt: null,
    newLevel: null,
    usedAt: row.used_at,
  };
}

/** The transfers of this node; `overdue` only those dispatched whose receipt notice is late (A5.6). */
export async function listTransfers(ctx: AppContext, options: { overdue?: boolean } = {}) {
  let q = ctx.db.selectFrom("transfers").selectAll().orderBy("requested_at");
  if (options.overdue) q = q.where("state", "=", "dispatched").where("receipt_due_at", "<", iso(ctx.now()));
  const rows = await q.execute();
  const now = iso(ctx.now());
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    state: r.state,
    level: r.level,
    carrier: r.carrier_id,
    from: `${r.sending_party}/${r.sending_org}`,
    to: `${r.receiving_party}/${r.receiving_org}`,
    dispatchedAt: r.dispatched_at,
    receiptDueAt: r.receipt_due_at,
    overdue: r.state === "dispatched" && r.receipt_due_at !== null && r.receipt_due_at < now,
    receipt: receiptOf(r),
    refusal: refusalOf(r),
  }));
}

export { ownCompetentAuthority, peerCompetentAuthority };
