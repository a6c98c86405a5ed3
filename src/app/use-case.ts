// How every use case of the node runs: one transaction that loads the actor, decides (domain),
// writes the state change and its audit entry together — or nothing. A refusal by a rule is itself
// recorded in the audit log (in its own transaction, after the refused one rolled back), so every
// decision, allowed or refused, leaves an entry (A4.2).
import type { AuditData, AuditEventType } from "../audit/entry.ts";
import type { ArticleId } from "../domain/articles.ts";
import { type DomainError, isDomainError } from "../domain/errors.ts";
import { type Trx, withTransaction } from "../store/transaction.ts";
import { type Actor, loadActor } from "./actor.ts";
import { refreshPackHistory } from "./agreement/pack-history.ts";
import type { AppContext } from "./context.ts";
import { type AuditObject, recordAudit } from "./record-audit.ts";

export type UseCaseRequest = {
  /** The acting person (handle or id). */
  readonly actor: string;
  /** The audit event type, e.g. `carrier.registered`. */
  readonly action: AuditEventType;
  /** What the action is about, when known before it runs (for the refusal entry). */
  readonly object?: AuditObject;
};

/**
 * A refusal that must be answered differently from what is recorded: a user without access to a
 * carrier gets the same answer as for a carrier that does not exist (`outward`), while the audit
 * log keeps the real decision (`recorded`). Thrown inside a use case; `executeUseCase` unwraps it.
 */
export class ConcealedRefusal extends Error {
  constructor(
    readonly outward: DomainError,
    readonly recorded: DomainError,
    /** What the recorded decision was about (the real object, which the answer does not reveal). */
    readonly object?: AuditObject,
  ) {
    super(outward.message);
    this.name = "ConcealedRefusal";
  }
}

/** Runs `work` as one use case (see the top of this file); `work` writes its own success entry. */
export async function executeUseCase<T>(
  ctx: AppContext,
  request: UseCaseRequest,
  work: (trx: Trx, actor: Actor) => Promise<T>,
): Promise<T> {
  try {
    return await withTransaction(ctx.db, async (trx) => {
      // A14: the version of the pack in force now, as the store says (a protocol may have entered
      // into force since the last use case).
      await refreshPackHistory(trx, ctx);
      return work(trx, await loadActor(trx, request.actor));
    });
  } catch (error) {
    const recorded = error instanceof ConcealedRefusal ? error.recorded : error;
    if (isDomainError(recorded) && isAuditedRefusal(recorded)) {
      const object = error instanceof ConcealedRefusal ? (error.object ?? request.object) : request.object;
      await recordRefusal(ctx, { ...request, ...(object ? { object } : {}) }, recorded);
    }
    if (error instanceof ConcealedRefusal) throw error.outward;
    throw error;
  }
}

// Decisions are audited; malformed input and a broken node are not decisions.
function isAuditedRefusal(error: DomainError): boolean {
  return error.kind === "refusal" || error.kind === "not-found" || error.kind === "unauthenticated";
}

async function recordRefusal(ctx: AppContext, request: UseCaseRequest, error: DomainError): Promise<void> {
  await withTransaction(ctx.db, async (trx) => {
    const person = await trx
      .selectFrom("people")
      .select(["id", "organisation_id"])
      .where((eb) => eb.or([eb("handle", "=", request.actor), eb("id", "=", request.actor)]))
      .executeTakeFirst();
    const details: AuditData = { code: error.code, details: error.details };
    await recordAudit(trx, ctx, {
      type: request.action,
      actor: person ? person.id : `unknown:${request.actor}`,
      organisation: person?.organisation_id ?? null,
      object: request.object ?? null,
      outcome: "refused",
      articles: error.articles,
      data: details,
    });
  });
}

/** Records the success entry of a use case, in its transaction. */
export async function recordDone(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  entry: {
    readonly type: AuditEventType;
    readonly object: AuditObject | null;
    readonly articles?: readonly ArticleId[];
    readonly data?: AuditData;
    readonly outcome?: "done" | "allowed";
  },
): Promise<void> {
  await recordAudit(trx, ctx, {
    type: entry.type,
    actor: actor.personId,
    organisation: actor.organisation.id,
    object: entry.object,
    outcome: entry.outcome ?? "done",
    articles: entry.articles ?? [],
    data: entry.data ?? null,
  });
}
