// The routes of Article 11 breaches: each parses, calls one use case of src/app/breaches, maps the result.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  reportBreach,
  reportResults,
  settleBreach,
  startInvestigation,
} from "../../app/breaches/breach-flow.ts";
import { listBreaches, showBreach } from "../../app/breaches/list-breaches.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

const Instant = z.string().min(1).max(40);

/** A11.1: one breach case as the viewer may see it (carriers named only where the visibility rule allows). */
export const BreachRow = z.object({
  id: z.string(),
  direction: z.enum(["own", "in"]),
  party: z.string(),
  suspected: z.boolean(),
  state: z.string(),
  what: z.string(),
  howFound: z.string(),
  occurredAt: z.string().nullable(),
  foundAt: z.string(),
  reportedAt: z.string(),
  informationOf: z.array(z.string()),
  source: z.string().nullable(),
  carriers: z.array(
    z.object({
      registrationNumber: z.string().nullable(),
      originRef: z.string().nullable(),
      quarantined: z.boolean(),
      visible: z.boolean(),
      carrierId: z.string().nullable(),
      title: z.string().nullable(),
      levelId: z.string().nullable(),
      levelRank: z.number().int().nullable(),
      originatorParty: z.string().nullable(),
      markings: z.array(z.object({ party: z.string(), language: z.string(), text: z.string() })).nullable(),
    }),
  ),
  steps: z.array(
    z.object({
      step: z.enum(["notice", "investigation", "results", "settlement"]),
      dueAt: z.string().nullable(),
      doneAt: z.string().nullable(),
      overdue: z.boolean(),
    }),
  ),
  results: z.string().nullable(),
  damageAssessment: z.string().nullable(),
  settlement: z.string().nullable(),
  closedAt: z.string().nullable(),
  actions: z.array(z.string()),
});

export const BreachReportInput = z.object({
  suspected: z.boolean().default(false),
  what: z.string().trim().min(1).max(4000),
  howFound: z.string().trim().min(1).max(2000),
  occurredAt: Instant.nullable().optional(),
  foundAt: Instant,
  carriers: z.array(z.string().trim().min(1).max(200)).max(1000).default([]),
  informationOf: z
    .array(z.enum(["KZ", "AM"]))
    .max(2)
    .optional(),
});

const BreachStepInput = z.object({
  results: z.string().trim().min(1).max(8000).optional(),
  damageAssessment: z.string().trim().min(1).max(8000).optional(),
  settlement: z.string().trim().min(1).max(8000).optional(),
});

const BreachAnswer = z.object({ id: z.string(), state: z.string() });

const STEPS = ["investigate", "results", "settle"] as const;

export function registerBreachRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/breaches",
      summary: "A11.1: the breaches the user may see, each with its step clocks and the actions allowed now",
      tags: ["breach"],
      response: z.object({ breaches: z.array(BreachRow) }),
    },
    async ({ actor }) => ({ breaches: await listBreaches(ctx, { actor: actor.personId }) }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/breaches/:id",
      summary: "A11.1: one breach case",
      tags: ["breach"],
      params: z.object({ id: z.string().min(1).max(200) }),
      response: BreachRow,
    },
    async ({ actor, params }) => showBreach(ctx, { actor: actor.personId, breach: params.id }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/breaches",
      summary:
        "A11.1: record a breach or suspected breach; the other Party's competent authority is notified at once when its information is involved",
      tags: ["breach"],
      body: BreachReportInput,
      response: BreachAnswer,
      status: 201,
    },
    async ({ actor, body }) => {
      const result = await reportBreach(ctx, {
        actor: actor.personId,
        suspected: body.suspected,
        what: body.what,
        howFound: body.howFound,
        occurredAt: body.occurredAt ?? null,
        foundAt: body.foundAt,
        carriers: body.carriers,
        ...(body.informationOf ? { informationOf: body.informationOf } : {}),
      });
      return { id: result.id, state: result.state };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/breaches/:id/:step",
      summary:
        "A11.1, A11.2: a step of the investigation by the competent authority: investigate, results ({results}), settle ({damageAssessment, settlement}; closes)",
      tags: ["breach"],
      params: z.object({ id: z.string().min(1).max(200), step: z.enum(STEPS) }),
      body: BreachStepInput,
      response: BreachAnswer,
    },
    async ({ actor, params, body }) => {
      const base = { actor: actor.personId, breach: params.id };
      const result =
        params.step === "investigate"
          ? await startInvestigation(ctx, base)
          : params.step === "results"
            ? await reportResults(ctx, { ...base, results: body.results ?? "" })
            : await settleBreach(ctx, {
                ...base,
                damageAssessment: body.damageAssessment ?? "",
                settlement: body.settlement ?? "",
              });
      return { id: result.id, state: result.state };
    },
  );
}
export type BreachRowT = z.infer<typeof BreachRow>;
