import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { createJsonSchemaTransform, serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { type AuthService, type SessionInfo, safeEqual } from "../app/auth/auth-service.ts";
import { loadSessionActor, type SessionActor } from "../app/auth/session-actor.ts";
import type { FlowContext } from "../app/transfer/flow-context.ts";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import { DomainError, ERROR_CATALOGUE, isDomainError, localizeError } from "../domain/errors.ts";
import { isLanguage, type Language } from "../domain/language.ts";
import { zodInputProblem } from "./http/define-route.ts";
import { HTTP_STATUS } from "./http-status.ts";
import { registerRoutes } from "./routes/index.ts";
import { IdParams } from "./schemas.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor?: SessionActor;
    session?: SessionInfo;
    sessionToken?: string;
    lang: Language;
  }
  interface FastifyContextConfig {
    access?: "public" | "session";
    classified?: boolean;
  }
}

export type NodeIdentity = {
  /** This node's Party (`KZ` or `AM`). */
  party: string;
  /** Demo mode: demo accounts allowed, shown on the login page. Never in production. */
  demo: boolean;
};

export type BuildApiOptions = {
  pack: AgreementPack;
  node: NodeIdentity;
  auth: AuthService;
  /** The node's use cases' context: every route calls its use cases with it. */
  ctx: FlowContext;
  /** The built web UI to serve (web/dist); omitted: API only. */
  webRoot?: string;
  /** Cookies with `Secure` (default true; browsers accept Secure cookies from http://localhost). */
  secureCookies?: boolean;
  /** Login attempts per client address per minute. */
  loginRateLimit?: number;
  logger?: boolean;
  /** Serve HTTPS with this key and certificate (PEM). */
  https?: { key: string; cert: string };
};

/** The name of the session cookie, per Party so that two nodes on one host keep separate sessions. */
export function sessionCookieName(party: string): string {
  return `kelisim_session_${party.toLowerCase()}`;
}

function pickLanguage(request: FastifyRequest, fallback: Language): Language {
  const header = request.headers["accept-language"];
  if (typeof header === "string") {
    const ranked = header
      .split(",")
      .map((part, i) => {
        const [tag = "", ...params] = part.trim().split(";");
        const q = params.find((p) => p.trim().startsWith("q="));
        return {
          lang: tag.trim().toLowerCase().split("-")[0] ?? "",
          q: q ? Number(q.trim().slice(2)) : 1,
          i,
        };
      })
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const entry of ranked) if (isLanguage(entry.lang)) return entry.lang;
  }
  return fallback;
}

/** The body of every error answer of the API: a catalogue code, the articles it enforces, the message. */
export type ErrorBody = { code: string; articles: string[]; message: string; missing?: string[] };

/**
 * A9.2: a refused visit request names its missing items in words in `message`, and as input paths
 * in `missing`, so that a form can mark the fields (paths only: never a value of the request).
 */
function missingItems(error: DomainError): { missing?: string[] } {
  const missing = error.details.missing;
  return error.code === "VISIT_REQUEST_INCOMPLETE" && Array.isArray(missing)
    ? { missing: missing.map((m) => String(m)) }
    : {};
}

/** The longest path parameter the router takes (an id, IdParams); a longer one is FST_ERR_MAX_PARAM_LENGTH. */
const MAX_PARAM_LENGTH = IdParams.shape.id.maxLength ?? 200;

/**
 * The status and body answering `error`, always in the project's shape `{ code, articles, message }`
 * in `lang`: a DomainError as its catalogue code; what Fastify itself refuses (a malformed URL, a too
 * long parameter, a body that is not JSON, too large or of another type, a failed schema) as
 * INPUT_INVALID with Fastify's status; anything else as a 500 that tells nothing. An access refusal
 * is answered with its own code and articles (A4.2): where a carrier's existence must not be learnt,
 * the use case has already made it CARRIER_NOT_FOUND (ConcealedRefusal, src/app/use-case.ts).
 */
export function errorAnswer(
  error: unknown,
  lang: Language,
): { status: number; body: ErrorBody; unexpected: boolean } {
  if (isDomainError(error)) {
    // Not-found answers carry the catalogue's articles whatever the thrower gave, so that "hidden"
    // and "does not exist" are the same bytes (A4.2).
    const shown =
      error.kind === "not-found"
        ? new DomainError(error.code, error.details, { articles: ERROR_CATALOGUE[error.code].articles })
        : error;
    return {
      status: HTTP_STATUS[shown.code],
      body: {
        code: shown.code,
        articles: [...shown.articles],
        message: localizeError(shown, lang),
        ...missingItems(shown),
      },
      unexpected: false,
    };
  }
  const fastify = error as { statusCode?: unknown; code?: unknown; message?: unknown; validation?: unknown };
  const status = typeof fastify.statusCode === "number" ? fastify.statusCode : 500;
  if (status >= 400 && status < 500) {
    const code = typeof fastify.code === "string" ? fastify.code : "";
    const text = typeof fastify.message === "string" ? fastify.message : "";
    const zod = zodInputProblem(error, lang);
    const [field, problem] = zod
      ? [zod.field, zod.problem]
      : code === "FST_ERR_BAD_URL"
        ? ["path", "not a valid URL (malformed percent-encoding)"]
        : code === "FST_ERR_MAX_PARAM_LENGTH"
          ? ["path", `a path parameter is longer than ${MAX_PARAM_LENGTH} characters`]
          : code.startsWith("FST_ERR_CTP_")
            ? ["body", text]
            : fastify.validation !== undefined
              ? [String((error as { validationContext?: unknown }).validationContext ?? "request"), text]
              : ["request", text];
    const invalid = new DomainError("INPUT_INVALID", { field, problem });
    return {
      status,
      body: { code: invalid.code, articles: [...invalid.articles], message: localizeError(invalid, lang) },
      unexpected: false,
    };
  }
  return {
    status: 500,
    body: { code: "INTERNAL", articles: [], message: "internal error" },
    unexpected: true,
  };
}

/** Headers on every answer, errors included (also those sent before any hook ran). */
function setBaseHeaders(reply: FastifyReply): void {
  reply.header("X-Content-Type-Options", "nosniff");
  reply.header("X-Frame-Options", "DENY");
  reply.header("Referrer-Policy", "no-referrer");
  reply.header("Cross-Origin-Opener-Policy", "same-origin");
}

/**
 * Builds the node's HTTP API (and serves its web UI). Usable without a socket through `app.inject`.
 * Every route: input and output by zod schema, OpenAPI at /docs, errors as
 * `{ code, articles, message }` in the caller's language, `Cache-Control: no-store` on anything
 * classified, the signed-in user loaded afresh on every request.
 */
export async function buildApi(options: BuildApiOptions): Promise<FastifyInstance> {
  const { pack, node, auth, ctx } = options;
  const party = pack.parties.find((p) => p.code === node.party);
  if (!party)
    throw new DomainError("PARTY_UNKNOWN", { party: node.party, parties: pack.parties.map((p) => p.code) });
  const cookieName = sessionCookieName(node.party);
  const secureCookies = options.secureCookies ?? true;
  const loginRateLimit = options.loginRateLimit ?? 20;

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // A malformed URL or a too long parameter is refused by the router before any hook or handler:
    // answered here in the project's shape, like every other error.
    frameworkErrors: (error, rawRequest, rawReply) => {
      const request = rawRequest as unknown as FastifyRequest;
      const reply = rawReply as unknown as FastifyReply;
      const answer = errorAnswer(error, pickLanguage(request, party.defaultLanguage));
      setBaseHeaders(reply);
      reply
        .status(answer.status)
        .header("Cache-Control", "no-store")
        .header("Content-Type", "application/json; charset=utf-8")
        .send(JSON.stringify(answer.body));
    },
    ...(options.https
      ? { https: { key: options.https.key, cert: options.https.cert, minVersion: "TLSv1.3" as const } }
      : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest("lang", "en");
  // Input parsed and output encoded by each route's zod schemas (fastify-type-provider-zod).
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifyCookie);
  // A4.2: sign-in attempts limited per client address (the routes that ask, `config.rateLimit`);
  // over the limit, AUTH_LOCKED (A4.2) in the caller's language, through the error handler below.
  await app.register(fastifyRateLimit, {
    global: false,
    ipv6Subnet: 128,
    errorResponseBuilder: () => new DomainError("AUTH_LOCKED", {}),
  });
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "Kelisim node API",
        version: "1",
        description:
          "One Party's node under the Kazakhstan–Armenia agreement on classified information. Errors are " +
          "`{ code, articles, message }`, the message in the Accept-Language of the request (kk, hy, ru, en).",
      },
      components: {
        securitySchemes: { session: { type: "apiKey", in: "cookie", name: cookieName } },
      },
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  app.addHook("onRequest", async (request, reply) => {
    request.lang = pickLanguage(request, party.defaultLanguage);
    setBaseHeaders(reply);
    const config = request.routeOptions.config;
    const isDocs = request.url.startsWith("/docs");
    if (!isDocs) {
      reply.header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
      );
    }
    // Everything but the UI's hashed static assets may carry classified data: never stored by any cache.
    if (config?.classified !== false || !request.url.startsWith("/assets/"))
      reply.header("Cache-Control", "no-store");
    if (config?.access !== "session") return;
    const token = request.cookies[cookieName];
    const session = await auth.resolve(token);
    if (!session) {
      if (token) reply.clearCookie(cookieName, { path: "/" });
      throw new DomainError("SESSION_EXPIRED", {});
    }
    // Loaded on every request: a disabled account or a changed clearance counts from the next request.
    const actor = await loadSessionActor(
      ctx,
      session.personId,
      await auth.findAccountByPerson(session.personId),
    );
    if (!actor) {
      await auth.logout(token as string);
      reply.clearCookie(cookieName, { path: "/" });
      throw new DomainError("SESSION_EXPIRED", {});
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      const sent = request.headers["x-csrf-token"];
      if (typeof sent !== "string" || !safeEqual(sent, session.csrfToken))
        throw new DomainError("CSRF_INVALID", {});
    }
    request.session = session;
    request.sessionToken = token;
    request.actor = actor;
    // Accept-Language first (the UI sends its current language), then the user's own setting.
    if (!request.headers["accept-language"] && actor.language) request.lang = actor.language;
  });

  app.setErrorHandler((error, request, reply) => {
    const answer = errorAnswer(error, request.lang ?? party.defaultLanguage);
    if (answer.unexpected) request.log.error(error);
    reply.status(answer.status).header("Cache-Control", "no-store").send(answer.body);
  });

  registerRoutes(app, { pack, node, party, auth, ctx, cookieName, secureCookies, loginRateLimit });

  const webRoot = options.webRoot;
  if (webRoot && existsSync(join(webRoot, "index.html"))) {
    await app.register(fastifyStatic, {
      root: webRoot,
      prefix: "/",
      index: ["index.html"],
      wildcard: false,
      cacheControl: false,
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const lang = request.lang ?? party.defaultLanguage;
    const error = new DomainError("INPUT_INVALID", {
      field: "path",
      problem: `no route ${request.method} ${request.url.split("?")[0]}`,
    });
    reply
      .status(404)
      .header("Cache-Control", "no-store")
      .send({ code: error.code, articles: [...error.articles], message: localizeError(error, lang) });
  });
  return app;
}
