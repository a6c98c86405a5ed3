// The routes of the amendment protocols (A14): each parses, calls one use case of
// src/app/agreement/amendment-protocols.ts and maps the result. Whether a protocol may be proposed,
// signed or notified, and whether its changes fit the pack, is the use case's decision.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  answerAmendment,
  notifyAmendment,
  proposeAmendment,
  showProtocols,
} from "../../app/agreement/amendment-protocols.ts";
import type { ProtocolsView } from "../../app/agreement/amendment-types.ts";
import { type PackChange, PROTOCOL_STATUSES } from "../../domain/agreement/amendment.ts";
import { defineRoute } from "../http/define-route.ts";
import { IdParams } from "../schemas.ts";
import type { RouteDeps } from "./index.ts";

const Localized = z.object({ kk: z.string(), hy: z.string(), ru: z.string(), en: z.string() });
const Refusal = z.object({ code: z.string(), articles: z.array(z.string()) }).nullable();

/** One change a protocol makes to the pack (A14); the use case checks it against the pack in force. */
export const PackChangeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("level-marking"),
    level: z.string().max(60),
    language: z.enum(["kk", "hy", "ru", "en"]),
    marking: z.string().max(200),
  }),
  z.object({ kind: z.literal("deadline"), deadline: z.string().max(60), duration: z.string().max(60) }),
  z.object({
    kind: z.literal("channel-add"),
    channel: z.object({ id: z.string().max(60), kind: z.enum(["physical", "electronic"]), name: Localized }),
  }),
  z.object({ kind: z.literal("channel-remove"), channel: z.string().max(60) }),
]);

/** A14: the protocols, the versions of the pack and what applies now. */
export const ProtocolsViewSchema = z.object({
  version: z.number().int(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      protocol: z.object({ id: z.string(), number: z.string(), inForceOn: z.string() }).nullable(),
      from: z.string().nullable(),
    }),
  ),
  protocols: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      title: z.string(),
      signedOn: z.string(),
      reference: z.string(),
      proposedBy: z.string(),
      direction: z.enum(["out", "in"]),
      status: z.enum(PROTOCOL_STATUSES),
      proposedAt: z.string(),
      delivery: z.enum(["sent", "received", "refused"]),
      refusal: Refusal,
      answeredAt: z.string().nullable(),
      answerReason: z.string().nullable(),
      changes: z.array(PackChangeSchema),
      notices: z.array(
        z.object({
          fromParty: z.string(),
          datedOn: z.string(),
          reference: z.string(),
          receivedAt: z.string().nullable(),
          state: z.enum(["sent", "received", "refused"]),
          refusal: Refusal,
        }),
      ),
      inForceOn: z.string().nullable(),
      version: z.number().int().nullable(),
      actions: z.array(z.enum(["sign", "decline", "notify"])),
    }),
  ),
  current: z.object({
    levels: z.array(z.object({ id: z.string(), markings: z.record(z.string(), z.string()) })),
    deadlines: z.record(z.string(), z.string()),
    channels: z.array(
      z.object({
        id: z.string(),
        kind: z.enum(["physical", "electronic"]),
        articles: z.array(z.string()),
        name: Localized,
      }),
    ),
  }),
  mayPropose: z.boolean(),
});

export const ProposeProtocolInput = z.object({
  number: z.string().max(60),
  title: z.string().max(500),
  // YYYY-MM-DD; its form and its day are the use case's to check.
  signedOn: z.string().trim().max(20).optional(),
  reference: z.string().max(200).optional(),
  changes: z.array(PackChangeSchema).max(100),
});

const AnswerInput = z.object({
  answer: z.enum(["signed", "declined"]),
  reason: z.string().max(2000).optional(),
});
const NoticeInput = z.object({
  datedOn: z.string().trim().max(20).optional(),
  reference: z.string().max(200).optional(),
});

/** The view as the answer's schema types it (readonly arrays copied out). */
function protocolsAnswer(view: ProtocolsView): z.infer<typeof ProtocolsViewSchema> {
  return JSON.parse(JSON.stringify(view)) as z.infer<typeof ProtocolsViewSchema>;
}

export function registerProtocolRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/agreement/protocols",
      summary:
        "A14: the amendment protocols, the versions of the pack (which applied when) and the one in force now",
      tags: ["agreement"],
      response: ProtocolsViewSchema,
    },
    async ({ actor }) => protocolsAnswer(await showProtocols(ctx, { actor: actor.personId })),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/agreement/protocols",
      summary:
        "A14: the competent authority proposes an amendment protocol (changes to the pack) to the other Party's",
      tags: ["agreement"],
      body: ProposeProtocolInput,
      response: ProtocolsViewSchema,
      status: 201,
    },
    async ({ actor, body }) =>
      protocolsAnswer(
        await proposeAmendment(ctx, {
          actor: actor.personId,
          number: body.number,
          title: body.title,
          ...(body.signedOn ? { signedOn: body.signedOn } : {}),
          ...(body.reference ? { reference: body.reference } : {}),
          changes: body.changes as PackChange[],
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/agreement/protocols/:id/answer",
      summary: "A14: the competent authority signs or declines the other Party's proposed protocol",
      tags: ["agreement"],
      params: IdParams,
      body: AnswerInput,
      response: ProtocolsViewSchema,
    },
    async ({ actor, params, body }) =>
      protocolsAnswer(
        await answerAmendment(ctx, {
          actor: actor.personId,
          protocolId: params.id,
          answer: body.answer,
          ...(body.reason ? { reason: body.reason } : {}),
        }),
      ),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/agreement/protocols/:id/notices",
      summary:
        "A14, A15.1: the competent authority notifies the other Party's that its internal procedures for the protocol are completed",
      tags: ["agreement"],
      params: IdParams,
      body: NoticeInput,
      response: ProtocolsViewSchema,
      status: 201,
    },
    async ({ actor, params, body }) =>
      protocolsAnswer(
        await notifyAmendment(ctx, {
          actor: actor.personId,
          protocolId: params.id,
          ...(body.datedOn ? { datedOn: body.datedOn } : {}),
          ...(body.reference ? { reference: body.reference } : {}),
        }),
      ),
  );
}
export type ProtocolsViewT = z.infer<typeof ProtocolsViewSchema>;
