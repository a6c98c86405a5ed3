// The other Party's information in one node's registry, for the registry tests: a carrier as the
// inbox registers it on receipt (A2.2, A6.1, A6.2: the originator's marking and the equivalent
// national one, a `received_carriers` row naming the originator's reference), and the originator's
// written answer to a consent request as the inbox records it (direction `out`, state `granted`).
// The flows' context seals its outgoing messages with a test stand-in (no peer is connected), so
// that the notices a use case sends (A6.6 destruction) can be read back from the outbox.
import { randomUUID } from "node:crypto";
import { allocateRegistrationNumber, indexCarrierTitle } from "../../src/app/carriers/carrier-repository.ts";
import { contentVaultOf } from "../../src/app/carriers/content.ts";
import type { AppContext } from "../../src/app/context.ts";
import { createFlowContext, type FlowContext } from "../../src/app/transfer/flow-context.ts";
import { markingOf } from "../../src/domain/classification/levels.ts";
import { toTimestamp } from "../../src/store/columns.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { makeHmacSealer } from "../two-node/support/hmac-sealer.ts";

/** The other Party's body that sent the carriers (its id in the peer's directory). */
export const AM_BODY = "am-defence-institute";

/** The flows' context of a test node, its messages sealed by a stand-in (see the top of this file). */
export function flowsOf(ctx: AppContext): FlowContext {
  const flows = createFlowContext(ctx);
  return {
    ...flows,
    exchange: { ...flows.exchange, outbox: { ...flows.exchange.outbox, sealer: makeHmacSealer("k", "AM") } },
  };
}

/** Registers a carrier received from AM's body in the custody of `custodian` (an organisation id). */
export async function receiveCarrier(
  ctx: AppContext,
  input: { title: string; level: string; custodian: string; originNumber?: string; content?: Uint8Array },
): Promise<{ id: string; registrationNumber: string }> {
  return withTransaction(ctx.db, async (trx) => {
    const { number, seq } = await allocateRegistrationNumber(trx, ctx);
    const id = randomUUID();
    const at = toTimestamp(ctx.now());
    await trx
      .insertInto("carriers")
      .values({
        id,
        seq,
        registration_number: number,
        copy_number: 1,
        kind: input.content ? "electronic-file" : "paper-document",
        sheets: input.content ? null : 4,
        size_bytes: input.content ? input.content.byteLength : null,
        title: input.title,
        level: input.level,
        marking: markingOf(ctx.pack, "AM", input.level),
        national_marking: markingOf(ctx.pack, "KZ", input.level),
        originator_party: "AM",
        originator_name: "AM Defence Institute",
        originator_organisation_id: null,
        custodian_organisation_id: input.custodian,
        contract_id: null,
        state: "received",
        has_content: input.content ? 1 : 0,
        registered_at: at,
        registered_by: "node:test",
        updated_at: at,
        destroyed_at: null,
        version: 1,
      })
      .execute();
    await indexCarrierTitle(trx, seq, input.title);
    await trx
      .insertInto("received_carriers")
      .values({
        carrier_id: id,
        origin_party: "AM",
        origin_registration_number: input.originNumber ?? `AM-2026-${number.slice(-6)}`,
        origin_copy_number: 1,
        origin_org: AM_BODY,
        transfer_id: randomUUID(),
        received_at: at,
      })
      .execute();
    if (input.content) {
      await contentVaultOf(ctx).storeContent(trx, id, input.content, ctx.now());
    }
    return { id, registrationNumber: number };
  });
}

/**
 * The originator's written consent, granted, as the holder's inbox records AM's answer: asked by
 * `holder` (an organisation id) for `action` on the received carrier `root`, for the holder's carrier
 * `carrier` (default: the received one). Returns the consent's id.
 */
export async function grantedByOriginator(
  ctx: AppContext,
  input: {
    root: string;
    holder: string;
    action: string;
    carrier?: string;
    newLevel?: string;
    language?: string;
    thirdParty?: string;
  },
): Promise<string> {
  const received = await ctx.db
    .selectFrom("received_carriers")
    .selectAll()
    .where("carrier_id", "=", input.root)
    .executeTakeFirstOrThrow();
  const id = randomUUID();
  const at = toTimestamp(ctx.now());
  await ctx.db
    .insertInto("consent_requests")
    .values({
      id,
      direction: "out",
      action: input.action,
      state: "granted",
      carrier_id: input.root,
      origin_party: received.origin_party,
      origin_registration_number: received.origin_registration_number,
      origin_copy_number: received.origin_copy_number,
      holder_org: input.holder,
      originator_org: received.origin_org,
      details: JSON.stringify({
        newLevel: input.newLevel ?? null,
        language: input.language ?? null,
        thirdParty: input.thirdParty ?? null,
        reason: "test",
        carrier: input.carrier ?? input.root,
      }),
      requested_by: "test",
      requested_at: at,
      answered_by: null,
      answered_at: at,
      answer_reason: null,
      used_at: null,
    })
    .execute();
  return id;
}

/** The state of a consent request. */
export async function consentState(ctx: AppContext, id: string): Promise<string> {
  const row = await ctx.db
    .selectFrom("consent_requests")
    .select("state")
    .where("id", "=", id)
    .executeTakeFirstOrThrow();
  return row.state;
}
