import type { FastifyInstance } from "fastify";
import { loadAgreementPack } from "../agreements/load-pack.ts";
import { type AppContext, createAppContext } from "../app/context.ts";
import { DomainError } from "../domain/errors.ts";
import { type NodeLocation, type OpenNode, openNode } from "../node/open-node.ts";
import { AuthService, DEFAULT_AUTH_POLICY } from "./auth/auth-service.ts";
import { createPasswordHasher } from "./auth/password.ts";
import { buildApi } from "./build-api.ts";
import { createNodeServices } from "./services/node-services.ts";
import type { NodeServices } from "./services.ts";

export type NodeServerOptions = {
  location: NodeLocation;
  host: string;
  port: number;
  /** Demo mode: demo accounts allowed, TOTP not required. Production refuses demo accounts. */
  demo: boolean;
  webRoot?: string;
  tls?: { key: string; cert: string };
  /** Cheaper argon2id (tests only). */
  fastHashing?: boolean;
  /** Extra services supplied by other parts (exchange, transfers). */
  extensions?: (ctx: AppContext) => Partial<NodeServices>;
};

export type RunningNode = {
  app: FastifyInstance;
  url: string;
  node: OpenNode;
  ctx: AppContext;
  auth: AuthService;
  close(): Promise<void>;
};

function isLoopback(host: string): boolean {
  return host === "127.0.0.1" || host === "::1" || host === "localhost";
}

/** Opens a node and serves its API and web UI. Refuses unsafe production settings. */
export async function startNodeServer(options: NodeServerOptions): Promise<RunningNode> {
  if (!options.demo && !options.tls && !isLoopback(options.host)) {
    throw new DomainError("INPUT_INVALID", {
      field: "host",
      problem: "outside loopback the node serves HTTPS only: give --tls-cert and --tls-key",
    });
  }
  const node = await openNode(options.location);
  try {
    const pack = await loadAgreementPack(node.config.agreementId);
    const ctx = createAppContext(node, pack);
    const hasher = await createPasswordHasher({ fast: options.fastHashing ?? false });
    const auth = new AuthService(node.db, hasher, {
      ...DEFAULT_AUTH_POLICY,
      requireTotp: !options.demo,
    });
    if (!options.demo) {
      const demoAccounts = await auth.countDemoAccounts();
      if (demoAccounts > 0) {
        throw new DomainError("INPUT_INVALID", {
          field: "accounts",
          problem: `${demoAccounts} demo account(s) with the published demo password exist; a production node refuses to start with them (disable or remove them, or use a fresh node)`,
        });
      }
    }
    const services = createNodeServices({
      ctx,
      auth,
      extensions: options.extensions?.(ctx) ?? {},
    });
    const app = await buildApi({
      pack,
      node: { party: node.config.party, demo: options.demo },
      auth,
      services,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...(options.tls ? { https: options.tls } : {}),
    });
    const address = await app.listen({ host: options.host, port: options.port });
    const url = address.replace("[::1]", "localhost");
    return {
      app,
      url,
      node,
      ctx,
      auth,
      async close() {
        await app.close();
        await node.close();
      },
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}
