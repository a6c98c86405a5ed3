// The competent authorities' letters to each other (A3.2, A3.3, A8.1, A8.2), signed and encrypted
// messages between the nodes, acknowledged by the receiver: a change of national legislation on
// protection (A3.2), a change of the competent authority, its name or functions (A3.3: once
// acknowledged, both nodes hold the new name), a request for consultations or a joint meeting
// (A8.1), the protection regulations needed to apply the agreement, attached as a document (A8.2).

import { createHash } from "node:crypto";
import type { AuditData } from "../../audit/entry.ts";
import type { ArticleId } from "../../domain/articles.ts";
import { DomainError } from "../../domain/errors.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toBinary, toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { answerOf } from "../exchange/outbox-answer.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority, peerCompetentAuthority } from "../transfer/transfer-flow.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A3.2, A3.3, A8.1, A8.2: the competent authority sent a letter to the other Party's. */
    "authority.letter-sent": AuditData | undefined;
    /** A3.2, A3.3, A8.1, A8.2: a letter from the other Party's competent authority was received. */
    "authority.letter-received": AuditData | undefined;
    /** A3.3, A8: the other Party acknowledged our letter (an authority change then applies here). */
    "authority.letter-acknowledged": AuditData | undefined;
    /** A3, A8: the letters were listed, or one's attached document read. */
    "authority.letters-listed": AuditData | undefined;
    "authority.letter-attachment-read": AuditData | undefined;
  }
}

export const LETTER_SUBJECTS = [
  "legislation-change",
  "authority-change",
  "consultation-request",
  "regulations",
] as const;
export type LetterSubject = (typeof LETTER_SUBJECTS)[number];

/** The article each subject serves. */
export const LETTER_ARTICLES: Readonly<Record<LetterSubject, readonly ArticleId[]>> = {
  "legislation-change": ["A3.2"],
  "authority-change": ["A3.3"],
  "consultation-request": ["A8.1"],
  regulations: ["A8.2"],
};

/** The largest attached document (a regulation, a law's text), in bytes. */
export const MAX_LETTER_ATTACHMENT = 20 * 1024 * 1024;

export type AuthorityLetter = {
  readonly id: string;
  readonly direction: "out" | "in";
  readonly subject: LetterSubject;
  readonly fromParty: string;
  readonly title: string;
  readonly body: string;
  readonly authority: { readonly name: string; readonly functions: string } | null;
  readonly attachment: { readonly name: string; readonly size: number; readonly sha256: string } | null;
  readonly sentAt: string;
  readonly receivedAt: string | null;
  /** `sent` until acknowledged; `received` once received (and acknowledged back); `refused` by the other node. */
  readonly state: "sent" | "received" | "refused";
  readonly refusal: { readonly code: string; readonly articles: string[] } | null;
};

export function requireAuthorityOfficer(actor: Actor, articles: readonly ArticleId[]): void {
  if (!(actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority"))
    throw new DomainError(
      "ROLE_FORBIDDEN",
      { needed: ["competent-authority-officer"], actor: actor.handle },
      { articles: ["A3.1", ...articles] },
    );
}

export type SendLetterInput = {
  readonly actor: string;
  readonly subject: LetterSubject;
  readonly title: string;
  readonly body?: string;
  /** A3.3: the authority's new name and functions (required for an authority change). */
  readonly authority?: { readonly name: string; readonly functions?: string };
  readonly attachment?: { readonly name: string; readonly bytes: Uint8Array };
};

/**
 * The competent authority writes to the other Party's (A3.2, A3.3, A8.1, A8.2). The letter, its
 * audit entry and its message are committed together. An authority change names the new name;
 * the regulations come as an attached document.
 */
export async function sendAuthorityLetter(
  ctx: FlowContext,
  input: SendLetterInput,
): Promise<AuthorityLetter> {
  if (!(LETTER_SUBJECTS as readonly string[]).includes(input.subject))
    throw new DomainError("INPUT_INVALID", {
      field: "subject",
      problem: `use ${LETTER_SUBJECTS.join(", ")}`,
    });
  const articles = LETTER_ARTICLES[input.subject];
  const letter = await executeUseCase(
    ctx,
    { actor: input.actor, action: "authority.letter-sent" },
    async (trx, actor) => {
      requireAuthorityOfficer(actor, articles);
      const title = input.title.trim();
      const body = (input.body ?? "").trim();
      if (title === "" || title.length > 500)
        throw new DomainError("INPUT_INVALID", { field: "title", problem: "1–500 characters" });
      if (body.length > 20_000)
        throw new DomainError("INPUT_INVALID", { field: "body", problem: "longer than 20 000 characters" });
      const authority =
        input.subject === "authority-change"
          ? {
              name: (input.authority?.name ?? "").trim(),
              functions: (input.authority?.functions ?? "").trim(),
            }
          : null;
      if (authority && (authority.name === "" || authority.name.length > 500))
        throw new DomainError(
          "INPUT_INVALID",
          { field: "authority.name", problem: "the authority's new name, 1–500 characters" },
          { articles: ["A3.3"] },
        );
      if (input.subject === "regulations" && !input.attachment)
        throw new DomainError(
          "INPUT_INVALID",
          { field: "attachment", problem: "the regulations are sent as an attached document" },
          { articles: ["A8.2"] },
        );
      const attachment = input.attachment ?? null;
      if (
        attachment &&
        (attachment.bytes.byteLength === 0 || attachment.bytes.byteLength > MAX_LETTER_ATTACHMENT)
      )
        throw new DomainError("INPUT_INVALID", {
          field: "attachment",
          problem: `1 byte to ${MAX_LETTER_ATTACHMENT} bytes`,
        });
      const attachmentName = attachment ? attachment.name.trim().slice(0, 255) || "document" : null;
      const letterId = ctx.newId();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "authority-letter",
        fromOrg: await ownCompetentAuthority(trx, ctx),
        to: peerCompetentAuthority(ctx),
        // The letter holds nothing classified: the lowest level labels its package.
        level: ctx.pack.levels[0]!.id,
        body: { letterId, subject: input.subject, title, body, authority, attachmentName },
        ...(attachment ? { attachment: attachment.bytes } : {}),
      });
      const now = toTimestamp(ctx.now());
      await trx
        .insertInto("authority_letters")
        .values({
          id: letterId,
          direction: "out",
          subject: input.subject,
          from_party: ctx.config.party,
          title,
          body,
          authority_name: authority?.name ?? null,
          authority_functions: authority?.functions ?? null,
          attachment_name: attachmentName,
          attachment: attachment ? toBinary(attachment.bytes) : null,
          attachment_sha256: attachment ? createHash("sha256").update(attachment.bytes).digest("hex") : null,
          sent_at: now,
          received_at: null,
          message_id: envelope.id,
          receipt_message_id: null,
          recorded_by: actor.personId,
        })
        .execute();
      await recordDone(trx, ctx, actor, {
        type: "authority.letter-sent",
        object: { type: "letter", id: letterId },
        articles,
        data: { subject: input.subject, message: envelope.id, attachment: attachmentName },
      });
      return (await letterRows(trx, letterId))[0]!;
    },
  );
  ctx.onOutbox?.();
  return letter;
}

/** The letters this node holds (no attachment bytes), newest first; `id` for one. */
async function letterRows(trx: Trx, id?: string): Promise<AuthorityLetter[]> {
  let query = trx
    .selectFrom("authority_letters as l")
    .leftJoin("exchange_outbox as o", (j) =>
      j.onRef("o.id", "=", "l.message_id").on("l.direction", "=", "out"),
    )
    .select([
      "l.id",
      "l.direction",
      "l.subject",
      "l.from_party",
      "l.title",
      "l.body",
      "l.authority_name",
      "l.authority_functions",
      "l.attachment_name",
      "l.attachment_sha256",
      (eb) => eb.fn<number | null>("length", [eb.ref("l.attachment")]).as("attachment_size"),
      "l.sent_at",
      "l.received_at",
      "o.state as outbox_state",
      "o.ack as outbox_ack",
    ])
    .orderBy("l.sent_at", "desc")
    .orderBy("l.id");
  if (id !== undefined) query = query.where("l.id", "=", id);
  const rows = await query.limit(1000).execute();
  return rows.map((r) => {
    const answer = answerOf(r.received_at, r.outbox_state, r.outbox_ack);
    return {
      id: r.id,
      direction: r.direction === "in" ? "in" : "out",
      subject: r.subject as LetterSubject,
      fromParty: r.from_party,
      title: r.title,
      body: r.body,
      authority:
        r.authority_name !== null ? { name: r.authority_name, functions: r.authority_functions ?? "" } : null,
      attachment:
        r.attachment_name !== null
          ? {
              name: r.attachment_name,
              size: Number(r.attachment_size ?? 0),
              sha256: r.attachment_sha256 ?? "",
            }
          : null,
      sentAt: r.sent_at,
      receivedAt: r.received_at,
      ...answer,
    };
  });
}

/** A3, A8: the letters between the competent authorities, for their officers; one audit entry. */
export async function listAuthorityLetters(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<AuthorityLetter[]> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "authority.letters-listed" },
    async (trx, actor) => {
      requireAuthorityOfficer(actor, ["A8.1"]);
      const letters = await letterRows(trx);
      await recordDone(trx, ctx, actor, {
        type: "authority.letters-listed",
        outcome: "allowed",
        object: null,
        articles: ["A3.2", "A3.3", "A8.1", "A8.2"],
        data: { shown: letters.length },
      });
      return letters;
    },
  );
}

/** A8.2, A3.2: the document attached to a letter; one audit entry. */
export async function readLetterAttachment(
  ctx: AppContext,
  input: { readonly actor: string; readonly letter: string },
): Promise<{ name: string; bytes: Uint8Array; sha256: string }> {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "authority.letter-attachment-read",
      object: { type: "letter", id: input.letter },
    },
    async (trx, actor) => {
      requireAuthorityOfficer(actor, ["A8.2"]);
      const row = await trx
        .selectFrom("authority_letters")
        .select(["id", "attachment_name", "attachment", "attachment_sha256"])
        .where("id", "=", input.letter)
        .executeTakeFirst();
      if (!row?.attachment || row.attachment_name === null)
        throw new DomainError("INPUT_INVALID", {
          field: "letter",
          problem: "no such letter with an attached document",
        });
      await recordDone(trx, ctx, actor, {
        type: "authority.letter-attachment-read",
        outcome: "allowed",
        object: { type: "letter", id: row.id },
        articles: ["A8.2"],
      });
      return {
        name: row.attachment_name,
        bytes: new Uint8Array(row.attachment),
        sha256: row.attachment_sha256 ?? "",
      };
    },
  );
}
