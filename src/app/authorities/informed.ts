// Where the agreement says the competent authorities are "informed" (A5.5: the bodies keep them
// informed of transfers; A6.7: of every Article 6 action), they get a notice they can read, not only
// an audit entry: the entry and the notice are written together, in the transaction of the step they
// report. The competent authority's officers list them and mark them read (each listing audited).

import { z } from "zod";
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import { jsonStringList, parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { type AuditEvent, recordAudit } from "../record-audit.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A5.5, A6.7: the competent authority's notices were listed. */
    "authority.notices-listed": AuditData | undefined;
    /** A5.5, A6.7: the competent authority's officer marked notices read. */
    "authority.notices-read": AuditData | undefined;
  }
}

/** Records `event` in the audit log and as a notice for the competent authority to read (A5.5, A6.7). */
export async function informAuthority(
  trx: Trx,
  ctx: Pick<AppContext, "now" | "newId">,
  event: AuditEvent,
): Promise<void> {
  await recordAudit(trx, ctx, event);
  await trx
    .insertInto("authority_notices")
    .values({
      id: ctx.newId(),
      at: toTimestamp(ctx.now()),
      event: event.type,
      articles: JSON.stringify(event.articles),
      object: event.object ? `${event.object.type}:${event.object.id}` : null,
      data: JSON.stringify(event.data ?? {}),
      read_at: null,
      read_by: null,
    })
    .execute();
}

export type AuthorityNotice = {
  readonly id: string;
  readonly at: string;
  /** The event, as the audit log names it (the UI and CLI say it in the user's language). */
  readonly event: string;
  readonly articles: string[];
  readonly object: string | null;
  readonly data: Record<string, unknown>;
  readonly readAt: string | null;
};

/** Whether `actor` speaks for the competent authority (the one who is informed, A5.5, A6.7). */
export function isAuthorityOfficer(actor: Actor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/** How many notices the competent authority has not read; 0 for anyone else (for the dashboard). */
export async function unreadNoticeCount(trx: Trx, actor: Actor): Promise<number> {
  if (!isAuthorityOfficer(actor)) return 0;
  const row = await trx
    .selectFrom("authority_notices")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("read_at", "is", null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function requireAuthority(actor: Actor): void {
  if (!isAuthorityOfficer(actor))
    throw new DomainError(
      "ROLE_FORBIDDEN",
      { needed: ["competent-authority-officer"], actor: actor.handle },
      { articles: ["A5.5", "A6.7"] },
    );
}

/** The facts of a notice to the competent authority, as stored (authority_notices.data). */
const NoticeData = z.record(z.string(), z.unknown());

/** A5.5, A6.7: what the competent authority was informed of, newest first (unread first when asked). */
export async function listAuthorityNotices(
  ctx: AppContext,
  input: { readonly actor: string; readonly unreadOnly?: boolean; readonly limit?: number },
): Promise<{ notices: AuthorityNotice[]; unread: number }> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "authority.notices-listed" },
    async (trx, actor) => {
      requireAuthority(actor);
      const limit = Math.min(Math.max(input.limit ?? 100, 1), 500);
      let query = trx
        .selectFrom("authority_notices")
        .selectAll()
        .orderBy("at", "desc")
        .orderBy("id")
        .limit(limit);
      if (input.unreadOnly) query = query.where("read_at", "is", null);
      const rows = await query.execute();
      const unread = await unreadNoticeCount(trx, actor);
      await recordDone(trx, ctx, actor, {
        type: "authority.notices-listed",
        outcome: "allowed",
        object: null,
        articles: ["A5.5", "A6.7"],
        data: { shown: rows.length, unread },
      });
      return {
        notices: rows.map((r) => ({
          id: r.id,
          at: r.at,
          event: r.event,
          articles: parseJsonColumn(jsonStringList, r.articles, "authority_notices.articles"),
          object: r.object,
          data: parseJsonColumn(NoticeData, r.data, "authority_notices.data"),
          readAt: r.read_at,
        })),
        unread,
      };
    },
  );
}

/** A5.5, A6.7: the officer marks notices read (all unread ones when no ids are given). */
export async function markAuthorityNoticesRead(
  ctx: AppContext,
  input: { readonly actor: string; readonly ids?: readonly string[] },
): Promise<{ marked: number }> {
  return executeUseCase(ctx, { actor: input.actor, action: "authority.notices-read" }, async (trx, actor) => {
    requireAuthority(actor);
    let query = trx
      .updateTable("authority_notices")
      .set({ read_at: toTimestamp(ctx.now()), read_by: actor.personId })
      .where("read_at", "is", null);
    if (input.ids && input.ids.length > 0) query = query.where("id", "in", [...input.ids]);
    const marked = Number((await query.executeTakeFirst()).numUpdatedRows);
    await recordDone(trx, ctx, actor, {
      type: "authority.notices-read",
      object: null,
      articles: ["A5.5", "A6.7"],
      data: { marked },
    });
    return { marked };
  });
}
