import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { z } from "zod";
import type { SessionActor as Actor } from "../../app/auth/session-actor.ts";
import { DomainError } from "../../domain/errors.ts";
import type { Language } from "../../domain/language.ts";
import { ApiError } from "../schemas.ts";

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

/** JSON Schema of a zod schema for OpenAPI (input side for params/query/body). */
export function jsonSchemaOf(schema: AnySchema, io: "input" | "output"): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "openapi-3.0" }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return json;
}

function parseInput<T extends AnySchema>(schema: T | undefined, value: unknown, field: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    throw new DomainError("INPUT_INVALID", {
      field,
      problem: parsed.error.issues.map((i) => `${i.path.join(".") || field}: ${i.message}`).join("; "),
    });
  }
  return parsed.data;
}

/**
 * Registers a route whose input is validated with zod (so nothing unchecked reaches a use case) and
 * whose output is parsed by its zod schema (unknown fields are dropped, never leaked). The same
 * schemas feed the OpenAPI document at /docs.
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
  const schema: Record<string, unknown> = {
    summary: spec.summary,
    tags: spec.tags,
    response: {
      [spec.status ?? 200]: jsonSchemaOf(spec.response, "output"),
      "4xx": jsonSchemaOf(ApiError, "output"),
    },
  };
  if (spec.params) schema.params = jsonSchemaOf(spec.params, "input");
  if (spec.query) schema.querystring = jsonSchemaOf(spec.query, "input");
  if (spec.body) schema.body = jsonSchemaOf(spec.body, "input");
  if (access === "session") schema.security = [{ session: [] }];
  app.route({
    method: spec.method,
    url: spec.url,
    schema,
    config: { access, classified: spec.classified ?? true },
    ...(spec.bodyLimit !== undefined ? { bodyLimit: spec.bodyLimit } : {}),
    handler: async (request, reply) => {
      const params = parseInput(spec.params, request.params, "path");
      const query = parseInput(spec.query, request.query, "query");
      const body = parseInput(spec.body, request.body, "body");
      const result = await handler({
        params,
        query,
        body,
        request,
        reply,
        lang: request.lang,
        actor: request.actor as Actor,
      });
      const output = spec.response.parse(result);
      reply.status(spec.status ?? 200);
      return output;
    },
  });
}
