// The transfer of Article 5, as use cases on both nodes. On the sending node: a registry officer
// asks (A5.1), the own competent authority consents and asks the other Party's competent
// authority to confirm the receiving body's facility clearance (A5.2, A5.3), the registry officer
// dispatches (A5.6, A5.7). On the receiving node: the competent authority confirms or refuses
// (A5.3); the carrier is taken in by the inbox (see `transfer-handlers.ts`). Each refusal names its
// article and changes nothing (the use case's transaction rolls back; the refusal is audited).
import { createHash } from "node:crypto";
import type { AgreementState } from "../../domain/agreement/agreement-machine.ts";
import { signAgreement, transitionAgreement } from "../../domain/agreement/agreement-machine.ts";
import type { CarrierState } from "../../domain/carrier/carrier-machine.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import { askConsent, transitionConsent } from "../../domain/consent/consent-machine.ts";
import type { ContractClause, ContractState } from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import {
  requestTransfer,
  type TransferState,
  transitionTransfer,
} from "../../domain/transfer/transfer-machine.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { TransfersTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import {
  type FlowContext,
  findCarrier,
  loadAgreementState,
  requireClearances,
  saveAgreementState,
} from "./flow-context.ts";
import { type IncomingDispatch, takeInCarrier } from "./transfer-handlers.ts";

/** Default time allowed for the receipt notice (A5.6) before a transfer is flagged overdue (node policy). */
export const RECEIPT_DUE_DAYS = 14;

const iso = (d: Date) => toTimestamp(d);

// ------------------------------------------------------------------ state mapping

export function carrierStateOf(ctx: AppContext, row: CarriersTable): CarrierState {
  return {
    id: row.id,
    status: row.state as CarrierState["status"],
    level: findLevel(ctx.pack, row.level).rank,
    origin: row.originator_party === ctx.config.party ? "original" : "received",
    originatorParty: row.originator_party,
    providingBody: row.originator_organisation_id ?? row.originator_name,
    holderParty: ctx.config.party,
    custodian: row.custodian_organisation_id,
    jointlyCreated: false,
    markings: [{ party: row.originator_party, text: row.marking }],
    sourceIds: [],
    contractId: row.contract_id,
    grantedPersons: [],
    copies: 0,
    updatedAt: row.updated_at,
  };
}

export function transferStateOf(ctx: AppContext, row: TransfersTable): TransferState {
  const confirmation = row.confirmation ? (JSON.parse(row.confirmation) as TransferState["facility"]) : null;
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
    facility: confirmation,
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

async function loadTransfer(trx: Trx, id: string, direction: "out" | "in"): Promise<TransfersTable> {
  const row = await trx
    .selectFrom("transfers")
    .selectAll()
    .where("id", "=", id)
    .where("direction", "=", direction)
    .executeTakeFirst();
  if (!row) throw new DomainError("INPUT_INVALID", { field: "transfer", problem: `no transfer ${id}` });
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
      const carrier = await findCarrier(trx, input.carrier);
      if (carrier.custodian_organisation_id !== actor.organisation.id)
        throw new DomainError("CARRIER_NOT_FOUND", { carrier: input.carrier });
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
        carriers: [carrierStateOf(ctx, carrier)],
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
      const row = await loadTransfer(trx, input.transfer, "out");
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
      const row = await loadTransfer(trx, input.transfer, "in");
      if (row.state !== "clearance-asked")
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "transfer",
          state: row.state,
          event: "answer-clearance",
        });
      const day = ctx.now().toISOString().slice(0, 10);
      const clearances = await trx
        .selectFrom("facility_clearances")
        .selectAll()
        .where("organisation_id", "=", row.receiving_org)
        .where("revoked_at", "is", null)
        .execute();
      const valid = clearances
        .filter((c) => c.valid_from.slice(0, 10) <= day && day <= c.valid_to.slice(0, 10))
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
      const row = await loadTransfer(trx, input.transfer, "out");
      if (row.sending_org !== actor.organisation.id)
        throw new DomainError("ROLE_FORBIDDEN", { needed: ["sending body"] });
      const carrier = await findCarrier(trx, row.carrier_id!);
      requireClearances(ctx, actor, carrier.level);
      const agreement: AgreementState = await loadAgreementState(trx, ctx);
      const at = iso(ctx.now());
      const next = transitionTransfer(
        transferStateOf(ctx, row),
        { type: "dispatch", channel: input.channel },
        { at, pack: ctx.pack, agreement },
      );
      const channel = ctx.pack.channels.find((c) => c.id === input.channel)!;
      if (carrier.state !== "registered")
        throw new DomainError("TRANSITION_FORBIDDEN", {
          machine: "carrier",
          state: carrier.state,
          event: "dispatch",
        });
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
        .set({ state: "dispatched", updated_at: at, version: carrier.version + 1 })
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
  },
) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "transfer.received", object: { type: "transfer", id: input.transfer } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await loadTransfer(trx, input.transfer, "in");
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
      const dispatch = row.dispatch ? (JSON.parse(row.dispatch) as IncomingDispatch) : null;
      if (dispatch?.delivery.mode !== "physical")
        throw new DomainError(
          "TRANSITION_FORBIDDEN",
          { machine: "transfer", state: row.state, event: "receive" },
          { articles: ["A5.6", "A5.7"] },
        );
      if (!input.sealsIntact)
        throw new DomainError("TRANSFER_SEALS_NOT_CONFIRMED", {
          transferId: row.id,
          sealNumbers: dispatch.delivery.sealNumbers.join(", "),
        });
      const receipt = await takeInCarrier(trx, ctx, row, dispatch, null, actor.personId);
      await recordDone(trx, ctx, actor, {
        type: "transfer.receipt-sent",
        object: { type: "transfer", id: row.id },
        articles: ["A5.6"],
        data: {
          sealNumbers: dispatch.delivery.sealNumbers.join(", "),
          sealsIntact: true,
          waybill: dispatch.delivery.waybill,
          message: receipt,
        },
      });
      return { transferId: row.id, state: "acknowledged" as const, receipt };
    },
  );
  ctx.onOutbox?.();
  return result;
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
    receipt: r.receipt ? JSON.parse(r.receipt) : null,
    refusal: r.refusal ? JSON.parse(r.refusal) : null,
  }));
}

/** A15.1, A15.2: records a notice the competent authority received (entry into force, termination). */
export async function recordAgreementNotice(
  ctx: AppContext,
  input: {
    actor: string;
    event: "receive-notice" | "receive-termination-notice" | "terminate";
    from?: string;
    at?: string;
  },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "agreement.notice-recorded" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer", "administrator");
      const at = input.at ?? iso(ctx.now());
      const row = await trx
        .selectFrom("node_settings")
        .select("value")
        .where("name", "=", `agreement_state:${ctx.config.agreementId}`)
        .executeTakeFirst();
      const state: AgreementState = row ? JSON.parse(row.value) : signAgreement(ctx.config.agreementId);
      const event =
        input.event === "terminate"
          ? { type: "terminate" as const }
          : { type: input.event, from: input.from ?? "" };
      const next = transitionAgreement(state, event, { at, pack: ctx.pack });
      await saveAgreementState(trx, ctx, next.state);
      await recordDone(trx, ctx, actor, {
        type: "agreement.notice-recorded",
        object: { type: "agreement", id: ctx.config.agreementId },
        articles: next.articles,
        data: { event: input.event, from: input.from ?? null, at, status: next.state.status },
      });
      return next.state;
    },
  );
}

export { ownCompetentAuthority };
