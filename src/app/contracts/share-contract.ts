// A1.13, A7.1: a contract is between bodies of the two Parties, so both nodes hold it. The node where
// it was concluded sends it to the other Party's body once active and after each change (amendment,
// participants, suspension, resumption, closing), in the transaction of the change; a node that has
// no link yet (a contract concluded before the nodes were connected) sends what is due when it
// starts serving. The other node holds it as sent, and links to it the carriers received under it.
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
  const top = [...information].sort(
    (a, b) => findLevel(ctx.pack, b.level).rank - findLevel(ctx.pack, a.level).rank,
  )[0]!;
  const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
    kind: "contract-notice",
    fromOrg: row.organisation_id,
    to: { party: row.counterpart_party, org: body.id },
    level: top.level,
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

/** At the node's start: sends every contract concluded here that is due (A7.1); returns how many. */
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
