import { existsSync } from "node:fs";
import { join } from "node:path";
import fastifyCookie from "@fastify/cookie";
import fastifyStatic from "@fastify/static";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import Fastify, { type FastifyInstance, type FastifyRequest } from "fastify";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import { DomainError, isDomainError, localizeError } from "../domain/errors.ts";
import { isLanguage, type Language } from "../domain/language.ts";
import { type AuthService, type SessionInfo, safeEqual } from "./auth/auth-service.ts";
import { RateLimiter } from "./auth/rate-limit.ts";
import { HTTP_STATUS, isAccessRefusal } from "./http-status.ts";
import { registerRoutes } from "./routes/index.ts";
import type { Actor, NodeServices } from "./services.ts";

declare module "fastify" {
  interface FastifyRequest {
    actor?: Actor;
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
  services: NodeServices;
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

/**
 * Builds the node's HTTP API (and serves its web UI). Usable without a socket through `app.inject`.
 * Every route: input and output by zod schema, OpenAPI at /docs, errors as
 * `{ code, articles, message }` in the caller's language, `Cache-Control: no-store` on anything
 * classified, the signed-in user loaded afresh on every request.
 */
export async function buildApi(options: BuildApiOptions): Promise<FastifyInstance> {
  const { pack, node, auth, services } = options;
  const party = pack.parties.find((p) => p.code === node.party);
  if (!party)
    throw new DomainError("PARTY_UNKNOWN", { party: node.party, parties: pack.parties.map((p) => p.code) });
  const cookieName = sessionCookieName(node.party);
  const secureCookies = options.secureCookies ?? true;
  const loginLimiter = new RateLimiter(options.loginRateLimit ?? 20, 60_000);

  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: false,
    routerOptions: { ignoreTrailingSlash: true },
    ...(options.https
      ? { https: { key: options.https.key, cert: options.https.cert, minVersion: "TLSv1.3" as const } }
      : {}),
  }) as unknown as FastifyInstance;
  app.decorateRequest("lang", "en");
  app.setValidatorCompiler(() => (data) => ({ value: data }));
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));

  await app.register(fastifyCookie);
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
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });

  app.addHook("onRequest", async (request, reply) => {
    request.lang = pickLanguage(request, party.defaultLanguage);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("X-Frame-Options", "DENY");
    reply.header("Referrer-Policy", "no-referrer");
    reply.header("Cross-Origin-Opener-Policy", "same-origin");
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
    const actor = await services.loadActor(session.personId);
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
    const lang = request.lang ?? party.defaultLanguage;
    if (isDomainError(error)) {
      // Refusals of the access decision are answered exactly as a carrier that does not exist (A4.2).
      const shown =
        isAccessRefusal(error.code) || error.code === "CARRIER_NOT_FOUND"
          ? new DomainError("CARRIER_NOT_FOUND", {})
          : error;
      reply
        .status(HTTP_STATUS[shown.code])
        .header("Cache-Control", "no-store")
        .send({ code: shown.code, articles: [...shown.articles], message: localizeError(shown, lang) });
      return;
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (typeof status === "number" && status >= 400 && status < 500) {
      const invalid = new DomainError("INPUT_INVALID", {
        field: "request",
        problem: (error as Error).message,
      });
      reply
        .status(status)
        .send({ code: "INPUT_INVALID", articles: [], message: localizeError(invalid, lang) });
      return;
    }
    request.log.error(error);
    reply.status(500).send({ code: "INTERNAL", articles: [], message: "internal error" });
  });

  registerRoutes(app, { pack, node, party, auth, services, cookieName, secureCookies, loginLimiter });

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
    reply.status(404).send({ code: "INPUT_INVALID", articles: [], message: localizeError(error, lang) });
  });
  return app;
}
