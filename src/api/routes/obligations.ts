// The routes of a person's obligations under their state's law (A4.4): the signed-in person reads
// the current text and acknowledges the version they read; those who administer people see who
// acknowledged when. Each parses, calls one use case of src/app/people, maps the result. Whether
// the acknowledgement is recorded (the version current, the language known) is the use case's.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import {
  acknowledgeObligations,
  listObligationAcknowledgements,
  showObligations,
} from "../../app/people/acknowledge-obligations.ts";
import { LANGUAGES } from "../../domain/language.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

const Localized = z.object({ kk: z.string(), hy: z.string(), ru: z.string(), en: z.string() });

/** A4.4: the text the person acknowledges, and where they stand with it. */
export const ObligationsViewSchema = z.object({
  party: z.string(),
  version: z.string(),
  basis: z.literal("policy"),
  articles: z.array(z.string()),
  title: Localized,
  paragraphs: z.array(Localized),
  note: Localized,
  defaultLanguage: z.enum(LANGUAGES),
  /** False for a visitor of the other Party (held to the host's rules instead, A9.3). */
  required: z.boolean(),
  acknowledged: z.object({ at: z.string(), language: z.string() }).nullable(),
  previous: z.object({ version: z.string(), at: z.string() }).nullable(),
});
export type ObligationsViewT = z.infer<typeof ObligationsViewSchema>;

/** The version read and the language it was shown in; checked by the use case. */
export const AcknowledgeObligationsInput = z.object({
  version: z.string().trim().min(1).max(64),
  language: z.string().trim().max(8).optional(),
});

export const ObligationsAcknowledged = z.object({
  version: z.string(),
  language: z.string(),
  acknowledgedAt: z.string(),
  changed: z.boolean(),
});

/** A4.4: one person's standing with the current text of their Party (the People page's column). */
export const ObligationsStandingSchema = z.object({
  personId: z.string(),
  current: z.string(),
  acknowledged: z.object({ at: z.string(), language: z.string() }).nullable(),
  lastVersion: z.string().nullable(),
});
export type ObligationsStandingT = z.infer<typeof ObligationsStandingSchema>;

export function registerObligationRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/obligations",
      summary:
        "A4.4: the obligations under the law of the user's state, in the four languages, and whether the user acknowledged the current version",
      tags: ["directory"],
      response: ObligationsViewSchema,
    },
    async ({ actor }) => {
      const view = await showObligations(ctx, { actor: actor.personId });
      return {
        ...view,
        articles: [...view.articles],
        title: { ...view.title },
        paragraphs: view.paragraphs.map((p) => ({ ...p })),
        note: { ...view.note },
      };
    },
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/obligations/acknowledge",
      summary:
        "A4.4: the user acknowledges the version of the obligations they read, in the language shown; needed before any access",
      tags: ["directory"],
      body: AcknowledgeObligationsInput,
      response: ObligationsAcknowledged,
    },
    async ({ actor, body }) =>
      acknowledgeObligations(ctx, {
        actor: actor.personId,
        version: body.version,
        ...(body.language ? { language: body.language } : {}),
      }),
  );

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/obligations/acknowledgements",
      summary:
        "A4.4: who of the node's people acknowledged the current obligations text, and when (competent authority officer, administrator)",
      tags: ["directory"],
      response: z.array(ObligationsStandingSchema),
    },
    async ({ actor }) => listObligationAcknowledgements(ctx, { actor: actor.personId }),
  );
}
