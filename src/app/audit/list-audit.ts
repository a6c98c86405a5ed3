// The audit log as its readers see it (A4.1.1, A6.2): auditors read every entry, newest first, in
// keyset pages, and verify the whole log. Each page read and each verification is itself recorded.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import { jsonStringList, parseJsonColumn } from "../../store/columns.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { verifyNodeAuditLog } from "./log-operations.ts";
import { auditEntryRows } from "./search-audit.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "audit.viewed": AuditData | undefined;
    "audit.verified": AuditData | undefined;
  }
}

export type AuditPage = {
  items: {
    index: number;
    at: string;
    actor: string;
    organisation: string;
    event: string;
    object: string;
    outcome: string;
    articles: string[];
  }[];
  nextCursor: string | null;
};

/** One page of the log, entries before `after` (an index), newest first. */
export async function listAudit(
  ctx: AppContext,
  input: { readonly actor: string; readonly after?: string; readonly limit?: number },
): Promise<AuditPage> {
  const limit = input.limit ?? 100;
  let before: number | undefined;
  if (input.after !== undefined) {
    before = Number(input.after);
    if (!Number.isSafeInteger(before))
      throw new DomainError("INPUT_INVALID", { field: "after", problem: "not a cursor" });
  }
  return executeUseCase(ctx, { actor: input.actor, action: "audit.viewed" }, async (trx, actor) => {
    // A4.1.1, A5.5: the auditors, and the competent authority that oversees the Party's protection.
    requireRole(actor, "auditor", "competent-authority-officer");
    const rows = await auditEntryRows(trx, before)
      .orderBy("audit_entries.idx", "desc")
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    await recordDone(trx, ctx, actor, {
      type: "audit.viewed",
      outcome: "allowed",
      object: null,
      articles: ["A4.1.1", "A6.2"],
      data: { shown: page.length, ...(before !== undefined ? { before } : {}) },
    });
    return {
      items: page.map((r) => ({
        index: Number(r.idx),
        at: r.recorded_at,
        actor: r.actor_name ?? r.actor,
        organisation: r.organisation_name ?? r.organisation ?? "",
        event: r.event_type,
        object: r.object ?? "",
        outcome: r.outcome,
        articles: parseJsonColumn(jsonStringList, r.articles, "audit_entries.articles"),
      })),
      nextCursor: rows.length > limit ? String(page.at(-1)?.idx) : null,
    };
  });
}

export type AuditVerification = {
  ok: boolean;
  size: number;
  root: string | null;
  firstBadIndex: number | null;
};

/**
 * Verifies the whole log (RFC 9162 tree, signed checkpoints) as it stands when it starts: the
 * verifier reads one snapshot on a connection of its own, so entries appended meanwhile are neither
 * mistaken for damage nor held up. The verification is recorded after it (an entry of its own).
 */
export async function verifyAudit(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<AuditVerification> {
  // The role is checked (and a refusal recorded) before the log is read.
  await executeUseCase(ctx, { actor: input.actor, action: "audit.verified" }, async (_trx, actor) => {
    // A4.1.1, A5.5: the auditors, and the competent authority that oversees the Party's protection.
    requireRole(actor, "auditor", "competent-authority-officer");
  });
  // The same verification as the operator's `audit verify`: every witness it can reach (A4.1.1, A6.2).
  const result = await verifyNodeAuditLog({
    db: ctx.db,
    config: ctx.config,
    location: { dataDir: ctx.dataDir },
  });
  const answer: AuditVerification = result.ok
    ? { ok: true, size: result.size, root: result.root.toString("hex"), firstBadIndex: null }
    : { ok: false, size: result.size, root: null, firstBadIndex: result.firstBadIndex };
  await executeUseCase(ctx, { actor: input.actor, action: "audit.verified" }, async (trx, actor) => {
    await recordDone(trx, ctx, actor, {
      type: "audit.verified",
      outcome: "done",
      object: null,
      articles: ["A4.1.1", "A6.2"],
      data: { ok: answer.ok, size: answer.size, firstBadIndex: answer.firstBadIndex },
    });
  });
  return answer;
}
