import type { RateLimitOptions } from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from "fastify";
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from "fastify-type-provider-zod";
import type { z } from "zod";
import type { SessionActor as Actor } from "../../app/auth/session-actor.ts";
import type { Language } from "../../domain/language.ts";
import { ApiError } from "../schemas.ts";
import { describeInputIssues } from "./input-problems.ts";

type AnySchema = z.ZodType;

export type RouteSpec<P extends AnySchema, Q extends AnySchema, B extends AnySchema, R extends AnySchema> = {
  method: "GET" | "POST" | "PUT" | "DELETE";
  url: string;
  summary: string;
  tags: string[];
  /** `public`: no session; `session`: a signed-in user (CSRF checked on changes). Default `session`. */
  access?: "public" | "session";
  /** Answers hold classified data (metadata, content): never cached. Default true. */
  classified?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  /** Status of a successful answer (default 200). */
  status?: number;
  /** The largest request body in bytes, where a route takes more than the API's default. */
  bodyLimit?: number;
  /** A limit on requests per client address (@fastify/rate-limit, registered in build-api.ts). */
  rateLimit?: RateLimitOptions;
};

export type RouteContext<P, Q, B> = {
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
  lang: Language;
};

export type SessionRouteContext<P, Q, B> = RouteContext<P, Q, B> & { actor: Actor };

/** Where a request part is named in an INPUT_INVALID answer (as the answers named it before the plugin). */
const PART_NAMES: Record<string, string> = {
  params: "path",
  querystring: "query",
  body: "body",
  headers: "headers",
};

/**
 * The field and problem of an INPUT_INVALID answer for a request the plugin's validator refused, in
 * `lang` (`{ field: "body", problem: "title: at least 1 character; level: …" }`), or null for any
 * other error.
 */
export function zodInputProblem(error: unknown, lang: Language): { field: string; problem: string } | null {
  if (!hasZodFastifySchemaValidationErrors(error)) return null;
  const context = (error as { validationContext?: unknown }).validationContext;
  const field = PART_NAMES[String(context)] ?? String(context ?? "request");
  const issues = error.validation.map((i) => ({
    code: i.keyword,
    path: i.instancePath.slice(1).replaceAll("/", "."),
    message: i.message ?? "",
    params: i.params,
  }));
  return { field, problem: describeInputIssues(issues, field, lang) };
}

/**
 * Registers a route whose input is validated with zod by fastify-type-provider-zod's validator (so
 * nothing unchecked reaches a use case; a refusal is INPUT_INVALID naming the part, see
 * {@link zodInputProblem}) and whose output is encoded by its zod schema by the plugin's serializer
 * (unknown fields are dropped, never leaked; an answer that does not fit is a 500). The same schemas
 * feed the OpenAPI document at /docs (the plugin's jsonSchemaTransform). Bodies and strings a route
 * sends as a file (CSV, bytes) are sent as they are, as Fastify sends any string or Buffer.
 */
export function defineRoute<
  P extends AnySchema,
  Q extends AnySchema,
  B extends AnySchema,
  R extends AnySchema,
>(
  app: FastifyInstance,
  spec: RouteSpec<P, Q, B, R>,
  handler: (ctx: SessionRouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<z.infer<R>> | z.infer<R>,
): void {
  const access = spec.access ?? "session";
  const schema: FastifySchema = {
    summary: spec.summary,
    tags: spec.tags,
    response: { [spec.status ?? 200]: spec.response, "4xx": ApiError },
    ...(spec.params ? { params: spec.params } : {}),
    ...(spec.query ? { querystring: spec.query } : {}),
    ...(spec.body ? { body: spec.body } : {}),
    ...(access === "session" ? { security: [{ session: [] }] } : {}),
  };
  app.withTypeProvider<ZodTypeProvider>().route({
    method: spec.method,
    url: spec.url,
    schema,
    config: {
      access,
      classified: spec.classified ?? true,
      ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
    },
    ...(spec.bodyLimit !== undefined ? { bodyLimit: spec.bodyLimit } : {}),
    // The plugin validates a request without a body as `null`: kept from the old bridge, a missing
    // body is read as `{}`, so a route whose body fields are all optional takes an empty POST.
    ...(spec.body
      ? {
          preValidation: async (request: FastifyRequest) => {
            if (request.body === undefined || request.body === null) request.body = {};
          },
        }
      : {}),
    handler: async (request, reply) => {
      const result = await handler({
        params: request.params as z.infer<P>,
        query: request.query as z.infer<Q>,
        body: request.body as z.infer<B>,
        request,
        reply,
        lang: request.lang,
        actor: request.actor as Actor,
      });
      reply.status(spec.status ?? 200);
      return result;
    },
  });
}
