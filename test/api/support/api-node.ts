// Test support: a real node (initNode on SQLite or PostgreSQL) with the demo world, served by
// buildApi for `app.inject`, and helpers to log in as any demo person.

import { rmSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { loadAgreementPack } from "../../../src/agreements/load-pack.ts";
import { buildApi, sessionCookieName } from "../../../src/api/build-api.ts";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../../src/app/auth/auth-service.ts";
import { createPasswordHasher } from "../../../src/app/auth/password.ts";
import { loadTotpSealKey } from "../../../src/app/auth/totp-seal.ts";
import { createAppContext } from "../../../src/app/context.ts";
import { createDemoWorld, DEMO_PASSWORD, type DemoWorld } from "../../../src/app/demo/demo-world.ts";
import { initNode } from "../../../src/app/node/init-node.ts";
import { createFlowContext, type FlowContext } from "../../../src/app/transfer/flow-context.ts";
import { ensureContentWrapKey } from "../../../src/crypto/at-rest/wrap-key.ts";
import { type OpenNode, openNode } from "../../../src/node/open-node.ts";
import type { StoreDialect } from "../../../src/store/columns.ts";
import { createTestPostgresSchema, makeTempDir } from "../../support/databases.ts";

export type ApiNode = {
  app: FastifyInstance;
  ctx: FlowContext;
  node: OpenNode;
  auth: AuthService;
  world: DemoWorld;
  party: string;
  cookieName: string;
  close(): Promise<void>;
};

/** Starts a node of `party` on `dialect` with its demo world and an API for `inject`. */
export async function startApiNode(dialect: StoreDialect, party: "KZ" | "AM"): Promise<ApiNode> {
  const dataDir = makeTempDir("kelisim-api-");
  const pg = dialect === "postgres" ? await createTestPostgresSchema() : undefined;
  const location = pg ? { dataDir, databaseUrl: pg.url } : { dataDir };
  const init = await initNode({ location, party });
  ensureContentWrapKey(dataDir);
  const node = await openNode(location);
  const pack = await loadAgreementPack(node.config.agreementId);
  const ctx = createFlowContext(createAppContext(node, pack));
  const auth = new AuthService(
    node.db,
    await createPasswordHasher({ fast: true }),
    loadTotpSealKey(dataDir),
    {
      ...DEFAULT_AUTH_POLICY,
      requireTotp: false,
      maxFailures: 1000,
    },
  );
  const world = await createDemoWorld(
    ctx,
    auth,
    { id: init.administrator.id, handle: init.administrator.handle },
    { id: init.competentAuthority.id, name: init.competentAuthority.name },
  );
  const app = await buildApi({ pack, node: { party, demo: true }, auth, ctx, loginRateLimit: 100_000 });
  return {
    app,
    ctx,
    node,
    auth,
    world,
    party,
    cookieName: sessionCookieName(party),
    async close() {
      await app.close();
      ctx.exchange.close();
      await node.close();
      await pg?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type Session = { cookie: string; csrf: string; username: string };

/** Logs in a demo user and returns the cookie header and anti-forgery token. */
export async function login(api: ApiNode, username: string): Promise<Session> {
  const response = await api.app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username, password: DEMO_PASSWORD },
  });
  if (response.statusCode !== 200)
    throw new Error(`login ${username}: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === api.cookieName);
  if (!cookie) throw new Error("no session cookie");
  return {
    cookie: `${api.cookieName}=${cookie.value}`,
    csrf: (response.json() as { csrfToken: string }).csrfToken,
    username,
  };
}

/** An injected request as `session` (anonymous when undefined), with the CSRF token on changes. */
export async function call(
  api: ApiNode,
  session: Session | undefined,
  method: "GET" | "POST" | "PUT" | "DELETE",
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return api.app.inject({
    method,
    url,
    headers: {
      ...(session ? { cookie: session.cookie } : {}),
      ...(session && method !== "GET" ? { "x-csrf-token": session.csrf } : {}),
      ...headers,
    },
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}
