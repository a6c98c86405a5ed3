/**
 * TLS settings for the link between two nodes: TLS 1.3 only, mutual authentication, and
 * trust only in the pinned root of the peer Party (never the system's public CAs).
 */
import { X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";

export type TlsIdentity = {
  /** This node's TLS certificate chain (PEM) and key (PEM), issued by its own Party root. */
  readonly certPem: string;
  readonly keyPem: string;
};

export type PeerTrust = {
  /** The peer Party (e.g. "AM") and its pinned root certificate (PEM). */
  readonly party: string;
  readonly rootPem: string;
  /**
   * Checks the peer node's certificate against what this node holds now for that Party (its CRL,
   * the certificate's validity and TLS usage; see peer-trust.ts): null, or why it is refused.
   */
  readonly check?: (certificate: X509Certificate) => PeerCertificateRefusal | null;
};

/** Why a peer node's TLS certificate is refused (a PACKAGE_* code of the trust check, and its reason). */
export type PeerCertificateRefusal = { readonly code: string; readonly reason: string };

export const TLS_VERSION = "TLSv1.3" as const;

/**
 * The peer behind `socket`: the Party whose pinned root issued its chain, and that Party's check
 * of the certificate now (null when it passes); null when no pinned root issued it.
 */
export function identifyPeer(
  socket: TLSSocket,
  trusted: readonly PeerTrust[],
): { party: string; refusal: PeerCertificateRefusal | null } | null {
  if (!socket.authorized) return null;
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return null;
  const party = partyOfCertificate(leaf, collectChain(socket), trusted);
  if (party === null) return null;
  const check = trusted.find((t) => t.party === party)?.check;
  return { party, refusal: check ? check(leaf) : null };
}

/** Walks `leaf` up through `chain` to a pinned root; returns that root's Party or null. */
export function partyOfCertificate(
  leaf: X509Certificate,
  chain: readonly X509Certificate[],
  trusted: readonly PeerTrust[],
): string | null {
  const roots = trusted.map((t) => ({ party: t.party, cert: new X509Certificate(t.rootPem) }));
  let current = leaf;
  for (let depth = 0; depth < 5; depth++) {
    for (const root of roots) {
      if (current.checkIssued(root.cert) && current.verify(root.cert.publicKey)) return root.party;
    }
    const next = chain.find((c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey));
    if (!next) return null;
    current = next;
  }
  return null;
}

function collectChain(socket: TLSSocket): X509Certificate[] {
  const out: X509Certificate[] = [];
  let c = socket.getPeerCertificate(true) as { raw?: Buffer; issuerCertificate?: unknown } | undefined;
  const seen = new Set<unknown>();
  while (c?.raw && !seen.has(c)) {
    seen.add(c);
    out.push(new X509Certificate(c.raw));
    c = c.issuerCertificate as typeof c;
  }
  return out;
}
