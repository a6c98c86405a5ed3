/**
 * The peer Parties a node's TLS link trusts: each pinned root, with a check of the peer node's
 * certificate against what the node holds of that Party now (A5.7): the root's CRL (a revoked
 * node certificate is refused), the certificate's validity and its TLS usage. The trust store
 * follows the files (`followTrust`), so a CRL imported while the node runs takes effect on the
 * next request. A CRL past its next update still serves here (see `heldCrlSuffices`): the link is
 * how a fresh one arrives.
 */
import type { X509Certificate } from "node:crypto";
import { refusalCode } from "../../crypto/refusal.ts";
import { followTrust, validateCertificate } from "../../crypto/trust.ts";
import { DomainError } from "../../domain/errors.ts";
import type { PeerCertificateRefusal, PeerTrust } from "./tls.ts";

/**
 * The pinned peer roots of the node at `dataDir` (`peerRoots`, as `loadNodeTls` read them), each
 * with its certificate check. The check reads the system clock, as TLS itself does at the
 * handshake (not the node's clock, which tests may set).
 */
export function nodePeerTrust(dataDir: string, peerRoots: Readonly<Record<string, string>>): PeerTrust[] {
  const trust = followTrust(dataDir);
  return Object.entries(peerRoots).map(([party, rootPem]) => ({
    party,
    rootPem,
    check: (certificate: X509Certificate): PeerCertificateRefusal | null => {
      try {
        validateCertificate(new Uint8Array(certificate.raw), trust(), {
          purpose: "tls",
          now: new Date(),
          expectedParty: party,
          heldCrlSuffices: true,
        });
        return null;
      } catch (error) {
        const code = refusalCode(error);
        if (code === undefined || !(error instanceof DomainError)) throw error;
        const reason = error.details.reason;
        return { code, reason: typeof reason === "string" ? reason : code };
      }
    },
  }));
}
