/**
 * What the exchange layer needs from the rest of the node, as ports: sealing (crypto), the
 * audit log, checkpoints. The node wires the real parts in (`node-exchange.ts`); the exchange
 * code never reaches into them directly, so each can be tested on its own.
 */
import type { Trx } from "../store/transaction.ts";
import type { OrgAddress } from "./messages/envelope.ts";

/** Seals and opens the bytes of messages between organisations of the two Parties. */
export interface MessageSealer {
  /** Signs `bytes` as `from` (an organisation of this node), encrypts them to `to`, labelled `level`. */
  seal(input: { bytes: Uint8Array; from: OrgAddress; to: OrgAddress; level: string }): Promise<Uint8Array>;
  /**
   * Opens a sealed message addressed to an organisation of this node: decrypts, verifies the
   * signature against the pinned root of the signer's Party, and returns plaintext, signer and
   * the recipient it was encrypted to. Throws a DomainError (PACKAGE_*) when it does not hold.
   */
  open(
    sealed: Uint8Array,
    recipientOrg: string,
  ): Promise<{ bytes: Uint8Array; signer: OrgAddress; recipient: OrgAddress }>;
}

/** One entry of the audit log, as the exchange writes it. */
export type ExchangeAuditEntry = {
  readonly actor: string;
  readonly organisationId: string | null;
  readonly event: string;
  readonly object: string;
  readonly outcome: "ok" | "refused" | "security";
  readonly articles: readonly string[];
  readonly details?: Record<string, unknown>;
};

/** Appends to the node's audit log inside the caller's transaction. */
export interface ExchangeAudit {
  append(trx: Trx, entry: ExchangeAuditEntry): Promise<void>;
}

/** This node's audit checkpoints and the verification of the peer's. */
export interface CheckpointPort {
  /** The latest signed checkpoint of this node's log (a C2SP signed note), if any. */
  latest(trx: Trx): Promise<string | null>;
  /** RFC 9162 consistency proof between two sizes of this node's log (hex hashes). */
  proveConsistency(first: number, second: number): Promise<string[]>;
  /** Opens the peer's checkpoint note with the peer's pinned key: size and root (hex), or throws. */
  openPeer(note: string): { size: number; rootHex: string };
  /** Checks an RFC 9162 consistency proof between two checkpoints of the peer. */
  verifyPeerConsistency(olderNote: string, newerNote: string, proofHex: readonly string[]): boolean;
  /** Adds this node's cosignature to the peer's checkpoint note. */
  cosign(note: string): string;
  /** Checks that a cosignature note (our checkpoint, cosigned by the peer) carries the peer's valid signature. */
  checkCosignature(note: string): boolean;
}
