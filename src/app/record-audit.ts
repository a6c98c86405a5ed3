// The one place use cases write to the audit log (src/audit): an entry appended in the caller's
// transaction, so it commits with the change it records or not at all.
import type { AuditData, AuditEntryInput, AuditEventType } from "../audit/entry.ts";
import { appendAuditEntry } from "../audit/log.ts";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import type { ArticleId } from "../domain/articles.ts";
import type { Trx } from "../store/transaction.ts";
import type { AppContext } from "./context.ts";

// Events of the registry use cases (A6.2, A7, A4.2) that the audit catalogue does not list itself.
declare module "../audit/entry.ts" {
  interface AuditEventCatalogue {
    "contract.amended": AuditData | undefined;
    "contract.participant-added": AuditData | undefined;
    "carrier.need-to-know-granted": AuditData | undefined;
    "carrier.need-to-know-withdrawn": AuditData | undefined;
  }
}

/** What an entry is about; stored as `<type>:<id>` (`carrier:…`, `organisation:…`). */
export type AuditObject = { readonly type: string; readonly id: string };

export type AuditEvent = {
  readonly type: AuditEventType;
  /** Person id of the actor (`node:<id>` for the node itself, `unknown:<ref>` for an unknown one). */
  readonly actor: string;
  readonly organisation: string | null;
  readonly object: AuditObject | null;
  readonly outcome: "done" | "allowed" | "refused";
  readonly articles: readonly ArticleId[];
  readonly data: AuditData | null;
};

/**
 * Appends `event` to the audit log in `trx`, stamped with the node's clock (UTC). Every entry of the
 * node is made here: use cases, sign-in, the node's own message handling.
 */
export async function recordAudit(
  trx: Trx,
  ctx: Pick<AppContext, "now"> & { readonly pack?: AgreementPack },
  event: AuditEvent,
): Promise<void> {
  // A14: a decision made under an amended pack records the version it applied; an entry without
  // `packVersion` was made under the pack as signed (version 0).
  const version = ctx.pack?.version ?? 0;
  const data = version > 0 ? { ...(event.data ?? {}), packVersion: version } : event.data;
  const input = {
    at: ctx.now(),
    actor: event.actor.slice(0, 200),
    organisation: event.organisation,
    event: event.type,
    object: event.object ? `${event.object.type}:${event.object.id}` : null,
    outcome: event.outcome,
    articles: event.articles,
    ...(data ? { data } : {}),
  } as AuditEntryInput;
  await appendAuditEntry(trx, input);
}
