// The routes of the competent authorities' own dealings: their letters to each other (A3.2 a change of
// legislation, A3.3 a change of authority, A8.1 consultations, A8.2 regulations with the document
// attached) and the notices of what they are informed of (A5.5, A6.7). Each parses, calls one use
// case of src/app/authorities and maps the result; who may write or read is the use case's decision.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  LETTER_SUBJECTS,
  listAuthorityLetters,
  MAX_LETTER_ATTACHMENT,
  readLetterAttachment,
  sendAuthorityLetter,
} from "../../app/authorities/authority-letters.ts";
import { listAuthorityNotices, markAuthorityNoticesRead } from "../../app/authorities/informed.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

const id = z.string().min(1).max(200);

/** A3, A8: one letter between the competent authorities as this node holds it (no document bytes). */
export const AuthorityLetterRow = z.object({
  id: z.string(),
  direction: z.enum(["out", "in"]),
  subject: z.enum(LETTER_SUBJECTS),
  fromParty: z.string(),
  title: z.string(),
  body: z.string(),
  /** A3.3: the authority's new name and functions. */
  authority: z.object({ name: z.string(), functions: z.string() }).nullable(),
  /** A8.2: the attached document, read through its own route. */
  attachment: z.object({ name: z.string(), size: z.number().int(), sha256: z.string() }).nullable(),
  sentAt: z.string(),
  receivedAt: z.string().nullable(),
  state: z.enum(["sent", "received", "refused"]),
  refusal: z.object({ code: z.string(), articles: z.array(z.string()) }).nullable(),
});

/** The longest base64 text of a document of MAX_LETTER_ATTACHMENT bytes. */
const MAX_ATTACHMENT_BASE64 = 4 * Math.ceil(MAX_LETTER_ATTACHMENT / 3);

export const AuthorityLetterInput = z.object({
  subject: z.enum(LETTER_SUBJECTS),
  title: z.string().max(500),
  body: z.string().max(20_000).optional(),
  /** A3.3: required for an authority change (the use case refuses one without a name). */
  authority: z.object({ name: z.string().max(500), functions: z.string().max(20_000).optional() }).optional(),
  /** A8.2: the document, as base64 (required for regulations: the use case refuses them without one). */
  attachment: z
    .object({
      name: z.string().min(1).max(255),
      base64: z
        .string()
        .min(1)
        .max(MAX_ATTACHMENT_BASE64, `a document of at most ${MAX_LETTER_ATTACHMENT} bytes`)
        .regex(/^[A-Za-z0-9+/]*={0,2}$/, "not base64"),
    })
    .optional(),
});

/** The request of a letter with the largest document, its texts and the JSON around them. */
const LETTER_BODY_LIMIT = MAX_ATTACHMENT_BASE64 + 256 * 1024;

/** A5.5, A6.7: a step the competent authority was informed of, as the audit log names its event. */
export const AuthorityNoticeRow = z.object({
  id: z.string(),
  at: z.string(),
  event: z.string(),
  articles: z.array(z.string()),
  object: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.string().nullable(),
});

const NoticesQuery = z.object({
  unread: z.enum(["0", "1", "true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** The bytes of a document, sent as they are (Fastify sends a Buffer without serializing it). */
const Bytes = z.custom<Buffer>((v) => Buffer.isBuffer(v), "bytes");

/**
 * `Content-Disposition: attachment` with the document's name: an ASCII stand-in in `filename` and the
 * name itself in `filename*` (RFC 6266, RFC 8187), for names in Kazakh, Armenian or Russian.
 */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[ .]+/, "") || "document";
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerAuthorityRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/authority/letters",
      summary:
        "A3.2, A3.3, A8.1, A8.2: the letters between the competent authorities, newest first (competent-authority officers)",
      tags: ["authority"],
      response: z.object({ letters: z.array(AuthorityLetterRow) }),
    },
    async ({ actor }) => ({ letters: await listAuthorityLetters(ctx, { actor: actor.personId }) }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/authority/letters",
      summary:
        "A3.2, A3.3, A8.1, A8.2: write to the other Party's competent authority; sent as a signed, encrypted message, acknowledged by the receiver (an authority change then applies at both nodes). Regulations go with the document attached (base64)",
      tags: ["authority"],
      body: AuthorityLetterInput,
      bodyLimit: LETTER_BODY_LIMIT,
      response: AuthorityLetterRow,
      status: 201,
    },
    async ({ actor, body }) =>
      sendAuthorityLetter(ctx, {
        actor: actor.personId,
        subject: body.subject,
        title: body.title,
        ...(body.body !== undefined ? { body: body.body } : {}),
        ...(body.authority
          ? {
              authority: {
                name: body.authority.name,
                ...(body.authority.functions !== undefined ? { functions: body.authority.functions } : {}),
              },
            }
          : {}),
        ...(body.attachment
          ? {
              attachment: {
                name: body.attachment.name,
                bytes: new Uint8Array(Buffer.from(body.attachment.base64, "base64")),
              },
            }
          : {}),
      }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/authority/letters/:id/attachment",
      summary: "A8.2, A3.2: the document attached to a letter, as a download; audited",
      tags: ["authority"],
      params: z.object({ id }),
      response: Bytes,
    },
    async ({ actor, params, reply }) => {
      const doc = await readLetterAttachment(ctx, { actor: actor.personId, letter: params.id });
      reply
        .header("Content-Type", "application/octet-stream")
        .header("Content-Disposition", contentDisposition(doc.name));
      // RFC 9530: the document's SHA-256, as the letter lists it, to check the download against.
      if (doc.sha256)
        reply.header("Repr-Digest", `sha-256=:${Buffer.from(doc.sha256, "hex").toString("base64")}:`);
      return Buffer.from(doc.bytes.buffer, doc.bytes.byteOffset, doc.bytes.byteLength);
    },
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/authority/notices",
      summary:
        "A5.5, A6.7: what the competent authority was informed of (transfer steps, consent requests and answers, returns), newest first; `unread=1` for the unread only",
      tags: ["authority"],
      query: NoticesQuery,
      response: z.object({ notices: z.array(AuthorityNoticeRow), unread: z.number().int() }),
    },
    async ({ actor, query }) =>
      listAuthorityNotices(ctx, {
        actor: actor.personId,
        unreadOnly: query.unread === "1" || query.unread === "true",
        ...(query.limit !== undefined ? { limit: query.limit } : {}),
      }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/authority/notices/read",
      summary: "A5.5, A6.7: mark notices read (`ids`), or every unread one when no ids are given",
      tags: ["authority"],
      body: z.object({ ids: z.array(id).max(1000).optional() }).optional(),
      response: z.object({ marked: z.number().int() }),
    },
    async ({ actor, body }) =>
      markAuthorityNoticesRead(ctx, {
        actor: actor.personId,
        ...(body?.ids ? { ids: body.ids } : {}),
      }),
  );
}

export type AuthorityLetterRowT = z.infer<typeof AuthorityLetterRow>;
export type AuthorityNoticeRowT = z.infer<typeof AuthorityNoticeRow>;
