// What the inbox does with each Article 5 message, inside the inbox's transaction (so a message's
// effect, its audit entries and any answer it sends commit together, once). A refusal thrown here
// rolls the effect back; the inbox records and answers it.

import { createHash } from "node:crypto";
import { Temporal } from "temporal-polyfill";
import { transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { findLevel, findParty, levelOfMarking, markingOf } from "../../domain/classification/levels.ts";
import { DomainError, isDomainError } from "../../domain/errors.ts";
import { transitionTransfer } from "../../domain/transfer/transfer-machine.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import type { TransfersTable } from "../../exchange/tables.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { informAuthority } from "../authorities/informed.ts";
import { indexCarrierTitle, loadCarrier } from "../carriers/carrier-repository.ts";
import { recordAudit } from "../record-audit.ts";
import { allocateRegistration, type FlowContext, loadAgreementState } from "./flow-context.ts";
import { ownCompetentAuthority, transferStateOf } from "./transfer-flow.ts";
import { outgoingDispatchOf } from "./transfer-records.ts";

const nodeActor = (ctx: FlowContext) => `node:${ctx.config.nodeId}`;

async function localOrganisation(trx: Trx, ctx: FlowContext, id: string) {
  const org = await trx
    .selectFrom("organisations")
    .selectAll()
    .where("id", "=", id)
    .where("party", "=", ctx.config.party)
    .executeTakeFirst();
  if (!org) throw new DomainError("MESSAGE_MISADDRESSED", { recipient: id });
  return org;
}

/** A5.3 (receiving node): the other Party's competent authority asks us to confirm a facility clearance. */
export function onFacilityClearanceRequest(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"facility-clearance-request">;
    const body = env.body;
    const ca = await localOrganisation(trx, ctx, env.recipient.org);
    if (ca.kind !== "competent-authority")
      throw new DomainError("MESSAGE_MISADDRESSED", { recipient: ca.id });
    await localOrganisation(trx, ctx, body.receivingOrg);
    findLevel(ctx.pack, body.level);
    const at = toTimestamp(ctx.now());
    await trx
      .insertInto("transfers")
      .values({
        id: body.transferId,
        direction: "in",
        state: "clearance-asked",
        carrier_id: null,
        contract_number: body.contractNumber,
        level: body.level,
        sending_party: env.sender.party,
        sending_org: body.sendingOrg,
        receiving_party: ctx.config.party,
        receiving_org: body.receivingOrg,
        mode: null,
        // On the receiving side the request is the other Party's message; the answer cites it.
        requested_by: `message:${env.id}`,
        requested_at: env.createdAt,
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
    await recordAudit(trx, ctx, {
      type: "transfer.clearance-confirmation-asked",
      actor: nodeActor(ctx),
      organisation: ca.id,
      object: { type: "transfer", id: body.transferId },
      outcome: "done",
      articles: ["A5.3"],
      data: {
        from: `${env.sender.party}/${env.sender.org}`,
        receivingOrg: body.receivingOrg,
        level: body.level,
        message: env.id,
      },
    });
    return undefined;
  };
}

/** A5.3 (sending node): the other Party's answer. A confirmation below the level or expired refuses the transfer. */
export function onFacilityClearanceAnswer(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"facility-clearance-answer">;
    const body = env.body;
    const row = await trx
      .selectFrom("transfers")
      .selectAll()
      .where("id", "=", body.transferId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!row || row.receiving_org !== body.receivingOrg || row.receiving_party !== env.sender.party)
      throw new DomainError("MESSAGE_MISADDRESSED", { transferId: body.transferId });
    const at = toTimestamp(ctx.now());
    const agreement = await loadAgreementState(trx, ctx);
    const tctx = { at, pack: ctx.pack, agreement };
    const state = transferStateOf(ctx, row);
    let next = state.status;
    let refusal: { code: string; articles: readonly string[]; reason: string | null } | null = null;
    let confirmation: unknown = null;
    if (!body.confirmed || body.level === null || body.validUntil === null) {
      next = transitionTransfer(
        state,
        { type: "refuse", by: env.sender.org, reason: body.reason ?? "" },
        tctx,
      ).state.status;
      refusal = { code: "TRANSFER_FACILITY_NOT_CONFIRMED", articles: ["A5.2", "A5.3"], reason: body.reason };
    } else {
      try {
        // A1.11: the confirmed date is the other Party's, counted in its time zone (valid through it).
        const zone = findParty(ctx.pack, env.sender.party).timeZone;
        const until = Temporal.PlainDate.from(body.validUntil)
          .add({ days: 1 })
          .toZonedDateTime({ timeZone: zone })
          .toInstant();
        const result = transitionTransfer(
          state,
          {
            type: "confirm-facility",
            level: findLevel(ctx.pack, body.level).rank,
            validFrom: row.requested_at,
            validUntil: until.toString(),
          },
          tctx,
        );
        next = result.state.status;
        confirmation = result.state.facility;
      } catch (error) {
        if (!isDomainError(error)) throw error;
        next = transitionTransfer(state, { type: "refuse", by: env.sender.org, reason: error.code }, tctx)
          .state.status;
        refusal = { code: error.code, articles: error.articles, reason: error.message };
      }
    }
    await trx
      .updateTable("transfers")
      .set({
        state: next,
        confirmation: JSON.stringify(confirmation ?? body),
        refusal: refusal ? JSON.stringify(refusal) : null,
        updated_at: at,
        ...(refusal ? { closed_at: at } : {}),
      })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: refusal ? "transfer.refused" : "transfer.clearance-confirmed",
      actor: nodeActor(ctx),
      organisation: env.recipient.org,
      object: { type: "transfer", id: row.id },
      outcome: refusal ? "refused" : "done",
      articles: refusal ? (refusal.articles as never) : ["A5.3", "A1.11"],
      data: {
        confirmed: body.confirmed,
        level: body.level,
        validUntil: body.validUntil,
        code: refusal?.code ?? null,
        message: env.id,
      },
    });
    return undefined;
  };
}

/** What the sending node's `carrier-transfer` message says of the carrier and how it travels. */
export type CarrierTransferBody = Envelope<"carrier-transfer">["body"];

/** The dispatch record kept on the receiving node while a physical carrier is on its way. */
export type IncomingDispatch = CarrierTransferBody & { readonly message: string; readonly sender: string };

/**
 * A5.6, A6.1, A6.2, A2.2, A5.5 (receiving node): the carrier-transfer message. An electronic
 * carrier's content travels with the message: it is taken in at once. A physical carrier travels by
 * courier: the message is its dispatch record (seal numbers, waybill), kept until the registry
 * officer takes the carrier in on arrival (`receivePhysicalCarrier`) — no receipt is sent for a
 * carrier that has not arrived.
 */
export function onCarrierTransfer(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope, attachment }) => {
    const env = envelope as Envelope<"carrier-transfer">;
    const body = env.body;
    const row = await trx
      .selectFrom("transfers")
      .selectAll()
      .where("id", "=", body.transferId)
      .where("direction", "=", "in")
      .executeTakeFirst();
    if (!row || row.sending_party !== env.sender.party)
      throw new DomainError("TRANSFER_FACILITY_NOT_CONFIRMED", { transferId: body.transferId });
    // The carrier comes from the body named when the confirmation was asked (A5.2), no other.
    if (row.sending_org !== env.sender.org)
      throw new DomainError("MESSAGE_PEER_MISMATCH", { sender: env.sender.org, expected: row.sending_org });
    if (row.receiving_org !== env.recipient.org)
      throw new DomainError("MESSAGE_MISADDRESSED", { recipient: env.recipient.org });
    if (row.state !== "clearance-confirmed")
      throw new DomainError("TRANSFER_FACILITY_NOT_CONFIRMED", { transferId: body.transferId });
    const c = body.carrier;
    if (c.ref.originParty !== env.sender.party)
      throw new DomainError("MESSAGE_PEER_MISMATCH", { origin: c.ref.originParty });
    // A2.2: the level set by the sender is the level kept; its marking must be the sender's marking of it.
    const level = findLevel(ctx.pack, c.level);
    if (levelOfMarking(ctx.pack, c.ref.originParty, c.originMarking).id !== level.id)
      throw new DomainError("MARKING_NOT_EQUIVALENT", {
        expected: level.workingName.en,
        actual: c.originMarking,
      });
    if (level.rank > findLevel(ctx.pack, row.level).rank)
      throw new DomainError("TRANSFER_FACILITY_TOO_LOW", { held: row.level, required: level.id });
    const dispatch: IncomingDispatch = { ...body, message: env.id, sender: env.sender.org };
    if (body.delivery.mode === "physical") {
      const at = toTimestamp(ctx.now());
      await trx
        .updateTable("transfers")
        .set({
          state: "dispatched",
          mode: body.delivery.mode,
          dispatch: JSON.stringify(dispatch),
          dispatched_at: body.delivery.dispatchedAt,
          updated_at: at,
        })
        .where("id", "=", row.id)
        .execute();
      const data = {
        transfer: row.id,
        origin: `${c.ref.originParty}/${c.ref.originRegistrationNumber}`,
        channel: body.delivery.channel,
        sealNumbers: body.delivery.sealNumbers.join(", "),
        waybill: body.delivery.waybill,
        message: env.id,
      };
      await recordAudit(trx, ctx, {
        type: "transfer.dispatch-noted",
        actor: nodeActor(ctx),
        organisation: row.receiving_org,
        object: { type: "transfer", id: row.id },
        outcome: "done",
        articles: ["A5.6"],
        data,
      });
      // A5.5: the receiving body keeps its competent authority informed.
      await informAuthority(trx, ctx, {
        type: "transfer.authority-informed",
        actor: nodeActor(ctx),
        organisation: await ownCompetentAuthority(trx, ctx),
        object: { type: "transfer", id: row.id },
        outcome: "done",
        articles: ["A5.5"],
        data: { ...data, step: "on-its-way" },
      });
      return undefined;
    }
    if (!attachment) throw new DomainError("PACKAGE_STRUCTURE_INVALID", { part: "content" });
    if (createHash("sha256").update(attachment).digest("hex") !== body.delivery.contentSha256)
      throw new DomainError("PACKAGE_INTEGRITY_FAILED", { part: "content" });
    const receiptId = await takeInCarrier(trx, ctx, row, dispatch, attachment, nodeActor(ctx));
    ctx.onOutbox?.();
    return { replyId: receiptId };
  };
}

/**
 * Registers a carrier that arrived (A6.2) under this registry's own number and copy number, with the
 * originator's marking and the equivalent national one beside it (A6.1, A2.2), stores electronic
 * content encrypted, informs the competent authority (A5.5) and sends the signed receipt notice
 * (A5.6). The transfer ends `acknowledged` on this side. Returns the receipt message's id.
 */
/** The contract this node holds under `number` (concluded here or sent by the other Party), or null. */
async function contractHeldHere(trx: Trx, number: string | null): Promise<string | null> {
  if (number === null) return null;
  const row = await trx.selectFrom("contracts").select("id").where("number", "=", number).executeTakeFirst();
  return row?.id ?? null;
}

export async function takeInCarrier(
  trx: Trx,
  ctx: FlowContext,
  row: TransfersTable,
  dispatch: IncomingDispatch,
  attachment: Uint8Array | null,
  actor: string,
): Promise<string> {
  const c = dispatch.carrier;
  const level = findLevel(ctx.pack, c.level);
  const electronic = dispatch.delivery.mode === "electronic";
  const at = toTimestamp(ctx.now());
  const { number, seq } = await allocateRegistration(trx, ctx);
  const id = ctx.newId();
  const nationalMarking = markingOf(ctx.pack, ctx.config.party, level.id);
  await trx
    .insertInto("carriers")
    .values({
      id,
      seq,
      registration_number: number,
      copy_number: 1,
      kind: c.kind,
      sheets: c.sheets,
      size_bytes: electronic && attachment ? attachment.byteLength : c.sizeBytes,
      title: c.title,
      level: level.id,
      marking: c.originMarking,
      national_marking: nationalMarking,
      originator_party: c.ref.originParty,
      originator_name: c.originatorOrg,
      originator_organisation_id: null,
      custodian_organisation_id: row.receiving_org,
      // A1.13, A4.1.4: linked to the contract it came under, as this node holds it.
      contract_id: await contractHeldHere(trx, row.contract_number),
      state: "received",
      has_content: electronic ? 1 : 0,
      registered_at: at,
      registered_by: actor,
      updated_at: at,
      destroyed_at: null,
      version: 1,
    })
    .execute();
  await indexCarrierTitle(trx, seq, c.title);
  if (electronic && attachment) await ctx.vault.storeContent(trx, id, attachment, ctx.now());
  await trx
    .insertInto("received_carriers")
    .values({
      carrier_id: id,
      origin_party: c.ref.originParty,
      origin_registration_number: c.ref.originRegistrationNumber,
      origin_copy_number: c.ref.originCopyNumber,
      origin_org: dispatch.sender,
      transfer_id: row.id,
      received_at: at,
    })
    .execute();
  await trx
    .updateTable("transfers")
    .set({
      state: "acknowledged",
      carrier_id: id,
      mode: dispatch.delivery.mode,
      dispatch: JSON.stringify(dispatch),
      closed_at: at,
      updated_at: at,
    })
    .where("id", "=", row.id)
    .execute();
  const data = {
    transfer: row.id,
    registrationNumber: number,
    origin: `${c.ref.originParty}/${c.ref.originRegistrationNumber}`,
    marking: c.originMarking,
    nationalMarking,
    message: dispatch.message,
  };
  await recordAudit(trx, ctx, {
    type: "transfer.received",
    actor,
    organisation: row.receiving_org,
    object: { type: "carrier", id },
    outcome: "done",
    articles: ["A5.6", "A6.1", "A6.2", "A2.2"],
    data,
  });
  // A5.5: the receiving body keeps its competent authority informed.
  await informAuthority(trx, ctx, {
    type: "transfer.authority-informed",
    actor,
    organisation: await ownCompetentAuthority(trx, ctx),
    object: { type: "transfer", id: row.id },
    outcome: "done",
    articles: ["A5.5"],
    data: { ...data, step: "received" },
  });
  const receipt = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "receipt-notice",
    fromOrg: row.receiving_org,
    to: { party: row.sending_party, org: dispatch.sender },
    level: level.id,
    inReplyTo: dispatch.message,
    body: {
      transferId: row.id,
      carrier: c.ref,
      registrationNumber: number,
      copyNumber: 1,
      addedMarking: nationalMarking,
      receivedAt: at,
      contentSha256: dispatch.delivery.mode === "electronic" ? dispatch.delivery.contentSha256 : null,
    },
  });
  return receipt.id;
}

/**
 * A5.6 (sending node): the signed receipt notice closes the transfer, and the originator's record
 * of the carrier says where it is. A physical carrier is now in the receiving body's registry:
 * `transferred`, the receiver's registration number kept with the transfer's receipt, until it is
 * returned (A6.6). An electronic transfer sent the content (A5.7): the originator's own electronic
 * copy never left, and is in its custody again (`registered`).
 */
export function onReceiptNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"receipt-notice">;
    const body = env.body;
    const row = await trx
      .selectFrom("transfers")
      .selectAll()
      .where("id", "=", body.transferId)
      .where("direction", "=", "out")
      .executeTakeFirst();
    if (!row || row.receiving_org !== env.sender.org || row.receiving_party !== env.sender.party)
      throw new DomainError("MESSAGE_MISADDRESSED", { transferId: body.transferId });
    const at = toTimestamp(ctx.now());
    const agreement = await loadAgreementState(trx, ctx).catch(() => null);
    let state = transferStateOf(ctx, row);
    if (agreement) {
      state = transitionTransfer(
        state,
        { type: "receive", by: row.receiving_org },
        { at, pack: ctx.pack, agreement },
      ).state;
      state = transitionTransfer(state, { type: "acknowledge" }, { at, pack: ctx.pack, agreement }).state;
    } else if (row.state !== "dispatched") {
      throw new DomainError("TRANSITION_FORBIDDEN", {
        machine: "transfer",
        state: row.state,
        event: "acknowledge",
      });
    }
    await trx
      .updateTable("transfers")
      .set({
        state: agreement ? state.status : "acknowledged",
        receipt: JSON.stringify({ ...body, message: env.id }),
        closed_at: at,
        updated_at: at,
      })
      .where("id", "=", row.id)
      .execute();
    const carrier = row.carrier_id ? await loadCarrier(trx, ctx, row.carrier_id) : null;
    // A carrier changed meanwhile by its originator (e.g. declassified, A6.4) keeps that status.
    if (carrier?.state.status === "dispatched") {
      const electronic = outgoingDispatchOf(row)?.mode === "electronic";
      const next = transitionCarrier(
        carrier.state,
        electronic
          ? { type: "acknowledge-electronic", by: carrier.row.custodian_organisation_id ?? row.sending_org }
          : { type: "acknowledge" },
        { at, pack: ctx.pack },
      );
      await trx
        .updateTable("carriers")
        .set({ state: next.state.status, updated_at: at, version: carrier.row.version + 1 })
        .where("id", "=", carrier.row.id)
        .execute();
    }
    await recordAudit(trx, ctx, {
      type: "transfer.closed",
      actor: nodeActor(ctx),
      organisation: row.sending_org,
      object: { type: "transfer", id: row.id },
      outcome: "done",
      articles: ["A5.6"],
      data: {
        carrier: carrier?.row.registration_number ?? null,
        registeredAs: body.registrationNumber,
        copyNumber: body.copyNumber,
        addedMarking: body.addedMarking,
        message: env.id,
      },
    });
    return undefined;
  };
}
