import type { FastifyInstance } from "fastify";
import { loadAgreementPack } from "../agreements/load-pack.ts";
import type { AuthService } from "../app/auth/auth-service.ts";
import { finishPendingContentErasures } from "../app/carriers/content.ts";
import { shareDueContracts } from "../app/contracts/share-contract.ts";
import { serveExchange } from "../app/exchange/operations.ts";
import { refuseKeysInDataDir } from "../app/node/key-custody.ts";
import { createAuthService, createNodeFlows, startNodeAuditCheckpoints } from "../app/node/runtime.ts";
import type { FlowContext } from "../app/transfer/flow-context.ts";
import { eraseDueVisitorData } from "../app/visits/visit-flow.ts";
import { DomainError } from "../domain/errors.ts";
import type { RunningExchange } from "../exchange/run-exchange.ts";
import { type NodeLocation, type OpenNode, openNode } from "../node/open-node.ts";
import { buildApi } from "./build-api.ts";
import { refuseDemoAccounts } from "./production.ts";

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
  /** Serve the node-to-node exchange (mutual TLS) on this port when the node has a peer. */
  exchangePort?: number;
  log?: (line: string) => void;
};

export type RunningNode = {
  app: FastifyInstance;
  url: string;
  node: OpenNode;
  ctx: FlowContext;
  exchange: RunningExchange | null;
  auth: AuthService;
  close(): Promise<void>;
};

/** How often the running node erases visitors' personal data that are due (A9.2, policy). */
const ERASE_EVERY_MS = 10 * 60 * 1000;

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
  // A4.1.1, A6.2, A1.8: a production node reads its audit signing key and content wrapping key from
  // outside its data directory (a copy of the directory must not give them away).
  if (!options.demo) refuseKeysInDataDir(options.location.dataDir);
  const node = await openNode(options.location);
  try {
    const pack = await loadAgreementPack(node.config.agreementId);
    let exchange: RunningExchange | null = null;
    const ctx = createNodeFlows(node, pack, { onOutbox: () => exchange?.relay?.poke() });
    const auth = await createAuthService(node, {
      fastHashing: options.fastHashing ?? false,
      policy: { requireTotp: !options.demo },
    });
    if (!options.demo) await refuseDemoAccounts(auth);
    const app = await buildApi({
      pack,
      node: { party: node.config.party, demo: options.demo },
      auth,
      ctx,
      ...(options.webRoot ? { webRoot: options.webRoot } : {}),
      ...(options.tls ? { https: options.tls } : {}),
    });
    const address = await app.listen({ host: options.host, port: options.port });
    if (options.exchangePort !== undefined && ctx.exchange.peer) {
      exchange = await serveExchange(ctx, {
        host: options.host,
        port: options.exchangePort,
        ...(options.log ? { log: options.log } : {}),
      });
    }
    // A7.1, A1.13: contracts concluded here before the link existed go to the other Party now.
    if (exchange)
      void shareDueContracts(ctx).catch((error: unknown) =>
        options.log?.(`sharing contracts failed: ${(error as Error).message}`),
      );
    const url = address.replace("[::1]", "localhost");
    // A9.2 (policy): visitors' personal data are erased once their retention has passed; A1.8: a
    // destruction's erasure that a crash or failure interrupted is finished (at start, then every ten minutes).
    const eraseDue = () => {
      void eraseDueVisitorData(ctx).catch((error: unknown) =>
        options.log?.(`visit personal data erasure failed: ${(error as Error).message}`),
      );
      void finishPendingContentErasures(ctx)
        .then((left) => {
          for (const item of left) options.log?.(`content erasure still pending: ${item}`);
        })
        .catch((error: unknown) =>
          options.log?.(`finishing content erasures failed: ${(error as Error).message}`),
        );
    };
    const eraseTimer = setInterval(eraseDue, ERASE_EVERY_MS);
    eraseTimer.unref();
    eraseDue();
    // A4.1.1, A6.2: the node signs audit checkpoints by itself, each appended to the witness file.
    const auditCheckpoints = startNodeAuditCheckpoints(node, options.log ? { log: options.log } : {});
    return {
      app,
      url,
      node,
      ctx,
      exchange,
      auth,
      async close() {
        clearInterval(eraseTimer);
        await exchange?.stop();
        await app.close();
        await auditCheckpoints.stop();
        ctx.exchange.close();
        await node.close();
      },
    };
  } catch (error) {
    await node.close();
    throw error;
  }
}
