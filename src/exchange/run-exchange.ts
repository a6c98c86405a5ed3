/**
 * Runs a node's exchange: the mutual-TLS endpoint taking parcels into the inbox, and the relay
 * pushing the outbox to the peer. Used by `kelisim exchange serve`.
 */

import type { Kysely } from "kysely";
import { readAuditHead } from "../audit/log.ts";
import { loadNodeTls } from "../crypto/pki.ts";
import type { Database } from "../store/schema.ts";
import { receiveParcel } from "./inbox.ts";
import type { NodeExchange } from "./node-exchange.ts";
import { storeCosignature } from "./node-exchange.ts";
import { OutboxRelay } from "./relay.ts";
import { type RunningExchangeServer, startExchangeServer } from "./server.ts";

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
  const peers = Object.entries(tls.peerRoots).map(([party, rootPem]) => ({ party, rootPem }));
  const server = await startExchangeServer({
    host: params.host,
    port: params.port,
    identity: { certPem: tls.cert, keyPem: tls.key },
    peers,
    handlers: {
      receiveParcel: (parcel, peerParty) => receiveParcel(exchange.inbox, parcel, "https", peerParty),
      proveConsistency: (first, second) => exchange.checkpoints.proveConsistency(first, second),
      auditSize: async () => (await readAuditHead(db)).size,
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
  return {
    server,
    relay,
    async stop() {
      await relay?.stop();
      await server.close();
      exchange.close();
    },
  };
}
