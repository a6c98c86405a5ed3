// A1.13, A7.1: a contract is between bodies of the two Parties, so both nodes hold it. The node where
// it was concluded sends it to the other Party's body once active and after each change (amendment,
// participants, suspension, resumption, closing), in the transaction of the change; a node that has
// no link yet (a contract concluded before the nodes were connected) sends what is due when it
// starts serving. The other node holds it as sent, and links to it the carriers received under it;
// its own participants (named there) go back to the concluding node the same way, in the transaction
// that names one (`contract-participants`), so that both nodes show the participants of both sides.
import type { AuditData } from "../../audit/entry.ts";
import { findLevel } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import type { InboundHandler } from "../../exchange/inbox.ts";
import type { Envelope } from "../../exchange/messages/envelope.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toTimestamp } from "../../store/columns.ts";
import { type Trx, withTransaction } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { clauseOrder } from "./contract-repository.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A7.1: a contract concluded here was sent to the other Party's body (at the node's start). */
    "contract.shared": AuditData | undefined;
    /** A1.13, A7.1: a contract concluded by the other Party's body, or its change, was received. */
    "contract.received": AuditData | undefined;
    /** A1.13, A7.1: the other Party's body sent its participants in a contract concluded here. */
    "contract.participants-received": AuditData | undefined;
  }
}

const SHARED_STATES = ["active", "suspended", "closed"];

function hasLink(ctx: AppContext): ctx is FlowContext {
  return (
    "exchange" in ctx &&
    (ctx as FlowContext).exchange.peer !== null &&
    (ctx as FlowContext).exchange.peer !== undefined
  );
}

/**
 * Sends the contract `contractId` as it now stands to the other Party's body, when it was concluded
 * here, is (or was) active, has changed since last sent, and this process holds the link. Returns
 * the message id, or null when nothing was sent (it is then sent when the node starts serving).
 */
export async function shareContract(trx: Trx, ctx: AppContext, contractId: string): Promise<string | null> {
  if (!hasLink(ctx)) return null;
  const row = await trx
    .selectFrom("contracts")
    .selectAll()
    .where("id", "=", contractId)
    .executeTakeFirstOrThrow();
  if (row.origin_party !== null || !SHARED_STATES.includes(row.state) || row.shared_version === row.version)
    return null;
  const body = ctx.exchange.peer!.organisations.find(
    (o) => o.name === row.counterpart_name && o.kind !== "competent-authority",
  );
  if (!body || row.counterpart_party !== ctx.exchange.peer!.party) return null;
  const [clauses, information, participants, concluding] = await Promise.all([
    trx.selectFrom("contract_clauses").select(["clause", "text"]).where("contract_id", "=", row.id).execute(),
    trx
      .selectFrom("contract_information")
      .select(["description", "level"])
      .where("contract_id", "=", row.id)
      .orderBy("position")
      .execute(),
    trx
      .selectFrom("contract_participants")
      .innerJoin("people", "people.id", "contract_participants.person_id")
      .select("people.name")
      .where("contract_participants.contract_id", "=", row.id)
      .orderBy("people.name")
      .execute(),
    trx
      .selectFrom("organisations")
      .select("name")
      .where("id", "=", row.organisation_id)
      .executeTakeFirstOrThrow(),
  ]);
  if (information.length === 0) return null;
  const top = topLevelOf(ctx, information);
  const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "contract-notice",
    fromOrg: row.organisation_id,
    to: { party: row.counterpart_party, org: body.id },
    level: top,
    body: {
      contractId: row.id,
      number: row.number,
      title: row.title,
      state: row.state as "active" | "suspended" | "closed",
      version: row.version,
      concludedBy: { org: row.organisation_id, name: concluding.name },
      counterpartName: row.counterpart_name,
      clauses: clauses.sort((a, b) => clauseOrder(a.clause) - clauseOrder(b.clause)),
      information: information.map((i) => ({ description: i.description, level: i.level })),
      participants: participants.map((p) => ({ name: p.name })),
      changedAt: toTimestamp(ctx.now()),
    },
  });
  await trx
    .updateTable("contracts")
    .set({ shared_at: toTimestamp(ctx.now()), shared_version: row.version })
    .where("id", "=", row.id)
    .execute();
  ctx.onOutbox?.();
  return envelope.id;
}

/** The highest level of a contract's list of information: the label of what is sent about it. */
function topLevelOf(ctx: AppContext, information: readonly { readonly level: string }[]): string {
  return [...information].sort(
    (a, b) => findLevel(ctx.pack, b.level).rank - findLevel(ctx.pack, a.level).rank,
  )[0]!.level;
}

/**
 * A1.13, A7.1, A4.2 (the node holding a contract as the other Party sent it): sends this node's own
 * participants of the contract `contractId`, the whole list as it now stands, to the concluding body.
 * Without the link the list is marked due (`shared_at` null) and sent when the node starts serving.
 * For a contract held here, `shared_at`/`shared_version` are those of the participants last sent.
 * Returns the message id, or null when nothing was sent.
 */
export async function shareParticipants(
  trx: Trx,
  ctx: AppContext,
  contractId: string,
): Promise<string | null> {
  const row = await trx
    .selectFrom("contracts")
    .selectAll()
    .where("id", "=", contractId)
    .executeTakeFirstOrThrow();
  if (row.origin_party === null) return null;
  if (!hasLink(ctx)) {
    await trx.updateTable("contracts").set({ shared_at: null }).where("id", "=", row.id).execute();
    return null;
  }
  const peer = ctx.exchange.peer!;
  const body = peer.organisations.find(
    (o) => o.name === row.counterpart_name && o.kind !== "competent-authority",
  );
  if (!body || row.counterpart_party !== peer.party) return null;
  const [participants, information] = await Promise.all([
    trx
      .selectFrom("contract_participants")
      .innerJoin("people", "people.id", "contract_participants.person_id")
      .select("people.name")
      .where("contract_participants.contract_id", "=", row.id)
      .orderBy("people.name")
      .execute(),
    trx.selectFrom("contract_information").select("level").where("contract_id", "=", row.id).execute(),
  ]);
  if (information.length === 0) return null;
  const version = (row.shared_version ?? 0) + 1;
  const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "contract-participants",
    fromOrg: row.organisation_id,
    to: { party: peer.party, org: body.id },
    level: topLevelOf(ctx, information),
    body: {
      contractId: row.origin_contract_id ?? row.id,
      number: row.number,
      participants: participants.map((p) => ({ name: p.name })),
      version,
      changedAt: toTimestamp(ctx.now()),
    },
  });
  await trx
    .updateTable("contracts")
    .set({ shared_at: toTimestamp(ctx.now()), shared_version: version })
    .where("id", "=", row.id)
    .execute();
  ctx.onOutbox?.();
  return envelope.id;
}

/**
 * At the node's start (A7.1): sends every contract concluded here that is due, and this node's
 * participants of every contract held here whose list is due; returns how many messages were sent.
 */
export async function shareDueContracts(ctx: FlowContext): Promise<number> {
  if (!hasLink(ctx)) return 0;
  const due = await ctx.db
    .selectFrom("contracts")
    .select(["id", "number"])
    .where("origin_party", "is", null)
    .where("state", "in", SHARED_STATES)
    .execute();
  let sent = 0;
  for (const c of due) {
    const message = await withTransaction(ctx.db, async (trx) => {
      const id = await shareContract(trx, ctx, c.id);
      if (id)
        await recordAudit(trx, ctx, {
          type: "contract.shared",
          actor: `node:${ctx.config.nodeId}`,
          organisation: null,
          object: { type: "contract", id: c.id },
          outcome: "done",
          articles: ["A7.1", "A1.13"],
          data: { number: c.number, message: id },
        });
      return id;
    });
    if (message) sent += 1;
  }
  const held = await ctx.db
    .selectFrom("contracts")
    .select(["id", "number"])
    .where("origin_party", "is not", null)
    .where("shared_at", "is", null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("contract_participants")
          .select("contract_participants.person_id")
          .whereRef("contract_participants.contract_id", "=", "contracts.id"),
      ),
    )
    .execute();
  for (const c of held) {
    const message = await withTransaction(ctx.db, async (trx) => {
      const id = await shareParticipants(trx, ctx, c.id);
      if (id)
        await recordAudit(trx, ctx, {
          type: "contract.shared",
          actor: `node:${ctx.config.nodeId}`,
          organisation: null,
          object: { type: "contract", id: c.id },
          outcome: "done",
          articles: ["A7.1", "A1.13"],
          data: { number: c.number, participants: true, message: id },
        });
      return id;
    });
    if (message) sent += 1;
  }
  return sent;
}

/** A1.13, A7.1 (the other node): a contract concluded by the other Party's body, or its change. */
export function onContractNotice(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"contract-notice">;
    const b = env.body;
    if (env.sender.party !== ctx.exchange.peer?.party || env.sender.org !== b.concludedBy.org)
      throw new DomainError("MESSAGE_PEER_MISMATCH", { sender: `${env.sender.party}/${env.sender.org}` });
    const body = await trx
      .selectFrom("organisations")
      .select(["id", "name"])
      .where("id", "=", env.recipient.org)
      .where("party", "=", ctx.config.party)
      .where("kind", "!=", "competent-authority")
      .executeTakeFirst();
    if (!body || body.name !== b.counterpartName)
      throw new DomainError("MESSAGE_MISADDRESSED", { recipient: env.recipient.org });
    for (const i of b.information) findLevel(ctx.pack, i.level);
    const at = toTimestamp(ctx.now());
    const known = await trx
      .selectFrom("contracts")
      .selectAll()
      .where("id", "=", b.contractId)
      .executeTakeFirst();
    if (known && known.origin_party !== env.sender.party)
      throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
    // An older version arriving late changes nothing.
    if (known && known.version >= b.version) return undefined;
    const fields = {
      title: b.title,
      state: b.state,
      counterpart_party: env.sender.party,
      counterpart_name: b.concludedBy.name,
      version: b.version,
      peer_participants: JSON.stringify(b.participants),
      suspended_at: b.state === "suspended" ? b.changedAt : null,
      closed_at: b.state === "closed" ? b.changedAt : null,
    };
    if (known) {
      await trx.updateTable("contracts").set(fields).where("id", "=", known.id).execute();
      await trx.deleteFrom("contract_clauses").where("contract_id", "=", known.id).execute();
      await trx.deleteFrom("contract_information").where("contract_id", "=", known.id).execute();
    } else {
      const clash = await trx
        .selectFrom("contracts")
        .select("id")
        .where("number", "=", b.number)
        .executeTakeFirst();
      if (clash) throw new DomainError("MESSAGE_CONFLICT", { messageId: env.id });
      await trx
        .insertInto("contracts")
        .values({
          id: b.contractId,
          number: b.number,
          organisation_id: body.id,
          created_at: at,
          activated_at: b.changedAt,
          origin_party: env.sender.party,
          origin_contract_id: b.contractId,
          shared_at: null,
          shared_version: null,
          ...fields,
        })
        .execute();
    }
    if (b.clauses.length > 0)
      await trx
        .insertInto("contract_clauses")
        .values(b.clauses.map((c) => ({ contract_id: b.contractId, clause: c.clause, text: c.text })))
        .execute();
    await trx
      .insertInto("contract_information")
      .values(
        b.information.map((i, n) => ({
          contract_id: b.contractId,
          position: n + 1,
          description: i.description,
          level: i.level,
        })),
      )
      .execute();
    await recordAudit(trx, ctx, {
      type: "contract.received",
      actor: `node:${ctx.config.nodeId}`,
      organisation: body.id,
      object: { type: "contract", id: b.contractId },
      outcome: "done",
      articles: ["A1.13", "A7.1"],
      data: { number: b.number, state: b.state, version: b.version, from: env.sender.party, message: env.id },
    });
    return undefined;
  };
}

/**
 * A1.13, A7.1 (the concluding node): the other Party's body sent its participants of a contract
 * concluded here; they replace those it sent before (an older list arriving late changes nothing).
 */
export function onContractParticipants(ctx: FlowContext): InboundHandler {
  return async (trx, { envelope }) => {
    const env = envelope as Envelope<"contract-participants">;
    const b = env.body;
    const sender = ctx.exchange.peer?.organisations.find(
      (o) => o.id === env.sender.org && o.kind !== "competent-authority",
    );
    if (env.sender.party !== ctx.exchange.peer?.party || !sender)
      throw new DomainError("MESSAGE_PEER_MISMATCH", { sender: `${env.sender.party}/${env.sender.org}` });
    const row = await trx
      .selectFrom("contracts")
      .selectAll()
      .where("id", "=", b.contractId)
      .executeTakeFirst();
    // Only the counterpart body of a contract concluded here, writing to the body that concluded it.
    if (
      !row ||
      row.origin_party !== null ||
      row.number !== b.number ||
      row.organisation_id !== env.recipient.org ||
      row.counterpart_party !== env.sender.party ||
      row.counterpart_name !== sender.name
    )
      throw new DomainError("MESSAGE_MISADDRESSED", { contract: b.number });
    if ((row.peer_participants_version ?? 0) >= b.version) return undefined;
    await trx
      .updateTable("contracts")
      .set({ peer_participants: JSON.stringify(b.participants), peer_participants_version: b.version })
      .where("id", "=", row.id)
      .execute();
    await recordAudit(trx, ctx, {
      type: "contract.participants-received",
      actor: `node:${ctx.config.nodeId}`,
      organisation: row.organisation_id,
      object: { type: "contract", id: row.id },
      outcome: "done",
      articles: ["A1.13", "A7.1"],
      data: {
        number: row.number,
        participants: b.participants.length,
        version: b.version,
        from: env.sender.party,
        message: env.id,
      },
    });
    return undefined;
  };
}
