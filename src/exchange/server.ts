/**
 * The node's exchange endpoint: HTTPS with mutual TLS 1.3 where only the peer Party's pinned
 * root is trusted. It takes parcels in and answers with an acknowledgement; what a parcel
 * means is decided by the inbox, never here.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import type { TLSSocket } from "node:tls";
import { decodeParcel, MAX_PARCEL_BYTES, type Parcel } from "./transport/parcel.ts";
import { identifyPeer, type PeerTrust, TLS_VERSION, type TlsIdentity } from "./transport/tls.ts";

export const PARCEL_PATH = "/exchange/v1/parcels";
export const CONSISTENCY_PATH = "/exchange/v1/audit/consistency";
/** This node's Party root's current CRL (PEM): signed by the root, so only the pinned root vouches for it. */
export const CRL_PATH = "/exchange/v1/pki/crl";

/** What the inbox answers for one parcel. */
export type ParcelAck = {
  readonly status: "accepted" | "duplicate" | "refused";
  readonly messageId: string | null;
  readonly code?: string;
  readonly articles?: readonly string[];
  /** Why, when the refusal is of the sender node's certificate. */
  readonly reason?: string;
  /** The receiver's cosignature over the sender's checkpoint carried in the message, if verified. */
  readonly cosignature?: string | null;
};

export type ExchangeHandlers = {
  receiveParcel(parcel: Parcel, peerParty: string): Promise<ParcelAck>;
  /** RFC 9162 consistency proof between two sizes of this node's audit log, as hex hashes. */
  proveConsistency?(first: number, second: number): Promise<string[]>;
  /** The current size of this node's audit log. */
  auditSize?(): Promise<number>;
  /** The current CRL of this node's Party root (PEM). */
  crl?(): Promise<string>;
};

export type ExchangeServerOptions = {
  readonly host: string;
  readonly port: number;
  readonly identity: TlsIdentity;
  readonly peers: readonly PeerTrust[];
  readonly handlers: ExchangeHandlers;
};

export type RunningExchangeServer = {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
};

/** Starts the exchange endpoint; resolves once it listens. */
export async function startExchangeServer(options: ExchangeServerOptions): Promise<RunningExchangeServer> {
  const server = createServer(
    {
      key: options.identity.keyPem,
      cert: options.identity.certPem,
      ca: options.peers.map((p) => p.rootPem),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
    },
    (req, res) => {
      handle(req, res, options).catch((error: unknown) => {
        if (!res.headersSent) reply(res, 500, { status: "refused", messageId: null, code: "INTERNAL" });
        else res.destroy();
        process.stderr.write(
          `exchange: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
        );
      });
    },
  );
  server.requestTimeout = 10 * 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: ExchangeServerOptions,
): Promise<void> {
  const peer = identifyPeer(req.socket as TLSSocket, options.peers);
  if (!peer) {
    reply(res, 403, { status: "refused", messageId: null, code: "MESSAGE_PEER_MISMATCH" });
    return;
  }
  // Checked on every request, not only at the handshake: a CRL imported while a connection is kept
  // alive takes effect on its next request.
  if (peer.refusal) {
    res.setHeader("connection", "close");
    reply(res, 403, {
      status: "refused",
      messageId: null,
      code: peer.refusal.code,
      articles: ["A5.7"],
      reason: peer.refusal.reason,
    });
    return;
  }
  const peerParty = peer.party;
  const url = new URL(req.url ?? "/", "https://node");
  if (req.method === "POST" && url.pathname === PARCEL_PATH) {
    const body = await readBody(req, MAX_PARCEL_BYTES);
    if (!body) {
      reply(res, 413, { status: "refused", messageId: null, code: "MESSAGE_MALFORMED" });
      return;
    }
    let ack: ParcelAck;
    try {
      ack = await options.handlers.receiveParcel(decodeParcel(body), peerParty);
    } catch (error) {
      if (isCoded(error)) {
        const e = error as { code: string; articles?: readonly string[] };
        reply(res, 422, { status: "refused", messageId: null, code: e.code, articles: e.articles ?? [] });
        return;
      }
      throw error;
    }
    reply(res, ack.status === "refused" ? 422 : 200, ack);
    return;
  }
  if (req.method === "GET" && url.pathname === CONSISTENCY_PATH && options.handlers.proveConsistency) {
    const first = Number(url.searchParams.get("first"));
    const second = Number(url.searchParams.get("second"));
    if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || second < first) {
      reply(res, 400, { error: "bad sizes" });
      return;
    }
    const size = options.handlers.auditSize ? await options.handlers.auditSize() : null;
    if (size !== null && second > size) {
      reply(res, 409, { error: "the log is shorter", size });
      return;
    }
    reply(res, 200, { first, second, proof: await options.handlers.proveConsistency(first, second) });
    return;
  }
  if (req.method === "GET" && url.pathname === CRL_PATH && options.handlers.crl) {
    reply(res, 200, { pem: await options.handlers.crl() });
    return;
  }
  if (req.method === "GET" && url.pathname === "/exchange/v1/health") {
    reply(res, 200, { ok: true, peer: peerParty });
    return;
  }
  reply(res, 404, { error: "not found" });
}

function isCoded(error: unknown): boolean {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === "string" && "articles" in error
  );
}

function reply(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) return null;
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    total += (chunk as Buffer).byteLength;
    if (total > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, total);
}
