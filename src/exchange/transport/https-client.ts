/**
 * The client side of the link: pushes parcels to the peer node over mutual TLS 1.3, trusting
 * only the peer Party's pinned root and checking that the server's certificate is the peer's.
 */
import { X509Certificate } from "node:crypto";
import { Agent, request } from "node:https";
import type { PeerCertificate } from "node:tls";
import type { ParcelAck } from "../server.ts";
import { CONSISTENCY_PATH, CRL_PATH, PARCEL_PATH } from "../server.ts";
import { encodeParcel, type Parcel } from "./parcel.ts";
import { type PeerTrust, partyOfCertificate, TLS_VERSION, type TlsIdentity } from "./tls.ts";

export type PeerEndpoint = { readonly url: string; readonly trust: PeerTrust };

/** A refusal by the peer: permanent, never retried. */
export class ParcelRefused extends Error {
  constructor(readonly ack: ParcelAck) {
    super(`refused by peer: ${ack.code ?? "unknown"}`);
  }
}

/**
 * The peer refused this node's TLS certificate (revoked or expired, by the CRL it holds of this
 * Party): not a refusal of the message, which goes again once the node has a valid certificate.
 */
export class OwnCertificateRefused extends Error {
  constructor(readonly ack: ParcelAck) {
    super(`the peer refused this node's TLS certificate: ${ack.code ?? "unknown"} (${ack.reason ?? ""})`);
  }
}

/** The peer answered that its audit log is shorter than a size it signed before. */
export class PeerLogTooShort extends Error {
  constructor(readonly size: number | null) {
    super(`the peer's audit log holds ${size ?? "fewer"} entries`);
  }
}

export class ExchangeClient {
  // Parcels and audit proofs go through separate connection pools: a node answering a parcel may
  // itself ask the peer for a proof, and a shared, exhausted pool would deadlock the two nodes.
  private readonly agent: Agent;
  private readonly proofAgent: Agent;

  constructor(
    readonly identity: TlsIdentity,
    private readonly peer: PeerEndpoint,
  ) {
    this.agent = this.makeAgent(identity, peer, 4);
    this.proofAgent = this.makeAgent(identity, peer, 2);
  }

  private makeAgent(identity: TlsIdentity, peer: PeerEndpoint, maxSockets: number): Agent {
    return new Agent({
      keepAlive: true,
      maxSockets,
      key: identity.keyPem,
      cert: identity.certPem,
      ca: [peer.trust.rootPem],
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
      // The peer's node certificate is checked by its Party root, not by host name: the nodes
      // are addressed by whatever address the competent authorities agreed.
      // It is also checked against the CRL held of that Party, at each handshake (a connection
      // kept alive is closed by the peer after 5 s idle, so a revocation reaches it soon).
      checkServerIdentity: (_host: string, cert: PeerCertificate) => {
        const leaf = new X509Certificate(cert.raw);
        const party = partyOfCertificate(leaf, [], [peer.trust]);
        if (party !== peer.trust.party) return new Error("server is not the peer Party's node");
        const refusal = peer.trust.check?.(leaf);
        return refusal
          ? new Error(`the peer node's TLS certificate is refused: ${refusal.code} (${refusal.reason})`)
          : undefined;
      },
    });
  }

  /**
   * Pushes one parcel; resolves with the ack, throws ParcelRefused on a refusal, other errors to retry.
   * The default time allowed grows with the parcel (20 s + 1 s per MiB): a small message whose
   * request hangs is retried by the relay after 20 s rather than after two minutes, while a
   * 100 MiB carrier still has about two minutes to cross.
   */
  async sendParcel(parcel: Parcel, timeoutMs?: number): Promise<ParcelAck> {
    const body = encodeParcel(parcel);
    const allowed = timeoutMs ?? 20_000 + Math.ceil(body.length / (1024 * 1024)) * 1_000;
    const { status, json } = await this.call("POST", PARCEL_PATH, body, allowed);
    const ack = json as ParcelAck;
    if (status === 200 && (ack.status === "accepted" || ack.status === "duplicate")) return ack;
    if (status === 403 && ack.code?.startsWith("PACKAGE_")) throw new OwnCertificateRefused(ack);
    if (status === 422 || status === 413 || status === 403) throw new ParcelRefused(ack);
    throw new Error(`peer answered HTTP ${status}`);
  }

  /** Asks the peer for an RFC 9162 consistency proof between two sizes of its log. */
  async fetchConsistency(first: number, second: number): Promise<string[]> {
    const { status, json } = await this.call(
      "GET",
      `${CONSISTENCY_PATH}?first=${first}&second=${second}`,
      null,
      30_000,
      this.proofAgent,
    );
    // The peer's log no longer holds `second` entries that it once showed us: it shrank.
    if (status === 409) throw new PeerLogTooShort((json as { size?: number }).size ?? null);
    if (status !== 200) throw new Error(`consistency proof: HTTP ${status}`);
    return (json as { proof: string[] }).proof;
  }

  /** Fetches the peer Party root's current CRL (PEM); the caller checks its signature. */
  async fetchCrl(): Promise<string> {
    const { status, json } = await this.call("GET", CRL_PATH, null, 30_000, this.proofAgent);
    if (status !== 200 || typeof (json as { pem?: unknown })?.pem !== "string")
      throw new Error(`CRL: HTTP ${status}`);
    return (json as { pem: string }).pem;
  }

  close(): void {
    this.agent.destroy();
    this.proofAgent.destroy();
  }

  private call(method: string, path: string, body: Buffer | null, timeoutMs: number, agent = this.agent) {
    const url = new URL(path, this.peer.url);
    return new Promise<{ status: number; json: unknown }>((resolve, reject) => {
      // A hard deadline for the whole exchange, also while waiting for a pooled connection.
      const signal = AbortSignal.timeout(timeoutMs);
      const req = request(
        url,
        {
          method,
          agent,
          signal,
          headers: body
            ? { "content-type": "application/octet-stream", "content-length": body.byteLength }
            : undefined,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                json: JSON.parse(Buffer.concat(chunks).toString("utf8") || "null"),
              });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error("timeout")));
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  }
}
