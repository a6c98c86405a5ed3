// The routes of Article 9 visits: each parses, calls one use case of src/app/visits, maps the result.
// The request's body keeps every A9.2 field optional here: a missing item is the use case's refusal
// (VISIT_REQUEST_INCOMPLETE naming the field, A9.2), not a malformed request.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  cancelVisit,
  decideVisit,
  linkTopicCarrier,
  recordAcquaintance,
  requestVisit,
} from "../../app/visits/visit-flow.ts";
import { listHostBodies, listVisits, showVisit } from "../../app/visits/visit-views.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

const id = z.string().min(1).max(200);
const short = z.string().max(500);
const long = z.string().max(4000);

const VisitorRow = z.object({
  seq: z.number(),
  surname: z.string(),
  name: z.string(),
  position: z.string(),
  body: z.string(),
  clearanceLevel: z.string(),
  acquaintedAt: z.string().nullable(),
});

const VisitRow = z.object({
  id: z.string(),
  direction: z.enum(["out", "in"]),
  kind: z.string(),
  state: z.string(),
  visitingParty: z.string(),
  hostParty: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  purpose: z.string(),
  topics: z.array(z.object({ title: z.string(), level: z.string() })),
  level: z.string(),
  bodiesToVisit: z.array(z.object({ id: z.string(), name: z.string() })),
  visitors: z.array(VisitorRow),
  requestedAt: z.string(),
  decidedAt: z.string().nullable(),
  decisionReason: z.string().nullable(),
  amends: z.string().nullable(),
  actions: z.array(z.string()),
});

const VisitDetail = VisitRow.extend({
  recurrence: z.string().nullable(),
  peopleToMeet: z.array(z.object({ position: z.string(), name: z.string() })),
  personal: z
    .array(
      z.object({
        seq: z.number(),
        birthDate: z.string(),
        birthPlace: z.string(),
        citizenship: z.string(),
        passport: z.string(),
      }),
    )
    .nullable(),
  personalErasedAt: z.string().nullable(),
  personalEraseDueAt: z.string(),
  topicCarriers: z.array(
    z.object({ topic: z.number(), carrierId: z.string(), registrationNumber: z.string(), title: z.string() }),
  ),
  visitorHandles: z.array(z.object({ seq: z.number(), handle: z.string() })),
});

const VisitRequestInput = z.object({
  kind: z.string().max(40),
  amends: id.optional(),
  startDate: z.string().max(20),
  endDate: z.string().max(20),
  recurrence: short.optional(),
  purpose: long.default(""),
  topics: z.array(z.object({ title: short.default(""), level: z.string().max(100).default("") })).max(100),
  bodiesToVisit: z.array(id).max(50),
  peopleToMeet: z
    .array(z.object({ position: short.default(""), name: short.default("") }))
    .max(100)
    .default([]),
  visitors: z
    .array(
      z.object({
        person: z.string().max(200).optional(),
        position: short.optional(),
        birthDate: z.string().max(20).optional(),
        birthPlace: short.optional(),
        citizenship: z.string().max(100).optional(),
        passport: z.string().max(100).optional(),
      }),
    )
    .max(100),
});

const VisitState = z.object({ id: z.string(), state: z.string() });
const ReasonInput = z.object({ reason: long.optional() }).optional();

export function registerVisitRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/visits",
      summary:
        "A9: the visits the user may see (competent authority, auditors; a visited body's security officer: approved visits to it). Never personal data",
      tags: ["visit"],
      response: z.object({ visits: z.array(VisitRow) }),
    },
    async ({ actor }) => ({ visits: await listVisits(ctx, { actor: actor.personId }) }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/visits/host-bodies",
      summary: "A9.2: the other Party's bodies a visit request may name (from the peer's directory)",
      tags: ["visit"],
      response: z.object({ bodies: z.array(z.object({ id: z.string(), name: z.string() })) }),
    },
    async ({ actor }) => ({ bodies: await listHostBodies(ctx, { actor: actor.personId }) }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/visits/:id",
      summary:
        "A9: one visit; personal data only to the competent authority and the visited body's security officer, until erased",
      tags: ["visit"],
      params: z.object({ id }),
      response: VisitDetail,
    },
    async ({ actor, params }) => showVisit(ctx, { actor: actor.personId, visit: params.id }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/visits",
      summary:
        "A9.2: the competent authority requests a visit (one-time, recurring, amendment), at least one calendar month ahead on the host's calendar",
      tags: ["visit"],
      body: VisitRequestInput,
      response: VisitState,
      status: 201,
    },
    async ({ actor, body }) =>
      requestVisit(ctx, {
        actor: actor.personId,
        kind: body.kind,
        ...(body.amends ? { amends: body.amends } : {}),
        startDate: body.startDate,
        endDate: body.endDate,
        ...(body.recurrence ? { recurrence: body.recurrence } : {}),
        purpose: body.purpose,
        topics: body.topics,
        bodiesToVisit: body.bodiesToVisit,
        peopleToMeet: body.peopleToMeet,
        visitors: body.visitors,
      }),
  );

  for (const step of ["approve", "refuse", "cancel"] as const) {
    defineRoute(
      app,
      {
        method: "POST",
        url: `/api/visits/:id/${step}`,
        summary:
          step === "cancel"
            ? "A9.2: the visiting side withdraws its request (sent or approved)"
            : `A9.1: the host's competent authority ${step === "approve" ? "approves" : "refuses, with its reasons,"} a received request`,
        tags: ["visit"],
        params: z.object({ id }),
        body: ReasonInput,
        response: VisitState,
      },
      async ({ actor, params, body }) => {
        const base = { actor: actor.personId, visit: params.id };
        if (step === "cancel") return cancelVisit(ctx, { ...base, reason: body?.reason ?? "" });
        return decideVisit(ctx, {
          ...base,
          decision: step,
          ...(body?.reason ? { reason: body.reason } : {}),
        });
      },
    );
  }

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/visits/:id/visitors/:seq/acquaint",
      summary:
        "A9.3: the visited body's security officer records the visitor's acquaintance with the host's rules",
      tags: ["visit"],
      params: z.object({ id, seq: z.coerce.number().int().min(1).max(1000) }),
      body: z.object({}).optional(),
      response: z.object({ id: z.string(), seq: z.number(), acquaintedAt: z.string() }),
    },
    async ({ actor, params }) =>
      recordAcquaintance(ctx, { actor: actor.personId, visit: params.id, seq: params.seq }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/visits/:id/topics/:topic/carriers",
      summary:
        "A9.1: the visited body's security officer links a carrier of its registry to a topic of the visit (topics numbered from 1)",
      tags: ["visit"],
      params: z.object({ id, topic: z.coerce.number().int().min(1).max(100) }),
      body: z.object({ carrier: id }),
      response: z.object({ id: z.string() }),
      status: 201,
    },
    async ({ actor, params, body }) => {
      const r = await linkTopicCarrier(ctx, {
        actor: actor.personId,
        visit: params.id,
        topic: params.topic,
        carrier: body.carrier,
      });
      return { id: r.id };
    },
  );
}
