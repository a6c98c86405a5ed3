/**
 * Runs a node's exchange: the mutual-TLS endpoint taking parcels into the inbox, and the relay
 * pushing the outbox to the peer. Used by `kelisim exchange serve`.
 */

import type { Kysely } from "kysely";
import { readAuditHead } from "../audit/log.ts";
import { importPeerCrlIfNewer, loadNodeTls, readOwnCrl, refreshOwnCrl } from "../crypto/pki.ts";
import type { Database } from "../store/schema.ts";
import { withTransaction } from "../store/transaction.ts";
import { receiveParcel } from "./inbox.ts";
import type { NodeExchange } from "./node-exchange.ts";
import { storeCosignature } from "./node-exchange.ts";
import { OutboxRelay } from "./relay.ts";
import { type RunningExchangeServer, startExchangeServer } from "./server.ts";
import type { ExchangeClient } from "./transport/https-client.ts";
import { nodePeerTrust } from "./transport/peer-trust.ts";

export type RunningExchange = {
  readonly server: RunningExchangeServer;
  readonly relay: OutboxRelay | null;
  stop(): Promise<void>;
};

export async function runExchange(params: {
  db: Kysely<Database>;
  dataDir: string;
  exchange: NodeExchange;
  host: string;
  port: number;
  /** Longest pause between delivery attempts (ms). */
  retryMaxMs?: number;
  log?: (line: string) => void;
}): Promise<RunningExchange> {
  const { exchange, db } = params;
  const tls = loadNodeTls(params.dataDir);
  const server = await startExchangeServer({
    host: params.host,
    port: params.port,
    identity: { certPem: tls.cert, keyPem: tls.key },
    peers: nodePeerTrust(params.dataDir, tls.peerRoots),
    handlers: {
      receiveParcel: (parcel, peerParty) => receiveParcel(exchange.inbox, parcel, "https", peerParty),
      proveConsistency: (first, second) => exchange.checkpoints.proveConsistency(first, second),
      auditSize: async () => (await readAuditHead(db)).size,
      crl: async () => readOwnCrl(params.dataDir),
    },
  });
  const client = exchange.createClient();
  const relay =
    client && exchange.peer
      ? new OutboxRelay({
          db,
          peerParty: exchange.peer.party,
          sender: client,
          audit: exchange.audit,
          baseDelayMs: 200,
          maxDelayMs: params.retryMaxMs ?? 5_000,
          onCosignature: async (note) => {
            await storeCosignature(db, exchange.checkpoints, exchange.peer!.party, note, new Date());
          },
          log: params.log,
        })
      : null;
  relay?.start();
  const crls =
    client && exchange.peer ? startCrlKeeper({ ...params, client, peerParty: exchange.peer.party }) : null;
  return {
    server,
    relay,
    async stop() {
      crls?.stop();
      await relay?.stop();
      await server.close();
      exchange.close();
    },
  };
}

/** How often a running node looks at the CRLs (and once shortly after it starts). */
const CRL_CHECK_EVERY_MS = 6 * 60 * 60_000;
/** A CRL is valid 90 days: a node signs a fresh one of its root once the one held is this old. */
const OWN_CRL_MAX_AGE_DAYS = 30;

/**
 * Keeps revocation current between the Parties with no operator step: the node signs a fresh CRL
 * of its own root when the one held is 30 days old, and fetches the other Party's CRL over the
 * mutual-TLS link, storing it when newer (it must be signed by that Party's pinned root). A newer
 * peer CRL is audited; the sealer's trust store follows the file (`followTrust`). A failure is
 * logged and tried again at the next check.
 */
function startCrlKeeper(params: {
  db: Kysely<Database>;
  dataDir: string;
  exchange: NodeExchange;
  client: ExchangeClient;
  peerParty: string;
  log?: (line: string) => void;
}): { stop(): void } {
  const check = async () => {
    try {
      await refreshOwnCrl({ dataDir: params.dataDir, now: new Date(), maxAgeDays: OWN_CRL_MAX_AGE_DAYS });
      const stored = importPeerCrlIfNewer({
        dataDir: params.dataDir,
        party: params.peerParty,
        pem: await params.client.fetchCrl(),
      });
      if (stored)
        await withTransaction(params.db, (trx) =>
          params.exchange.audit.append(trx, {
            actor: "exchange",
            organisationId: null,
            event: "peer-crl-updated",
            object: `party:${params.peerParty}`,
            outcome: "ok",
            articles: ["A5.7"],
            details: { thisUpdate: stored.thisUpdate.toISOString(), revoked: stored.revoked },
          }),
        );
    } catch (error) {
      params.log?.(`exchange: CRL check: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const first = setTimeout(() => void check(), 1_000);
  const timer = setInterval(() => void check(), CRL_CHECK_EVERY_MS);
  first.unref();
  timer.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
