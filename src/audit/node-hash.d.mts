/**
 * Writes SHA-256(0x01 ‖ pair) into `out` at `at`, where `pair` is the 64 bytes of `bytes` from
 * `from` (RFC 9162's interior node hash; see node-hash.mjs).
 */
export function hashNodeInto(bytes: Uint8Array, from: number, out: Uint8Array, at: number): void;
