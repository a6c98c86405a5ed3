// A stand-in sealer for testing the outbox, inbox and relay on their own: it binds signer,
// recipient and bytes with an HMAC under a key shared by the test's two nodes. It is NOT the
// node's sealing (that is CMS, src/crypto); it only lets these tests forge, tamper and replay
// messages precisely.
import { createHmac, timingSafeEqual } from "node:crypto";
import { DomainError } from "../../../src/domain/errors.ts";
import type { OrgAddress } from "../../../src/exchange/messages/envelope.ts";
import type { MessageSealer } from "../../../src/exchange/ports.ts";

type Sealed = { signer: OrgAddress; recipient: OrgAddress; level: string; bytes: string; mac: string };

export function makeHmacSealer(
  key: string,
  localParty: string,
  signerKeys: Record<string, string> = {},
): MessageSealer {
  const mac = (s: Omit<Sealed, "mac">, k: string) =>
    createHmac("sha256", k)
      .update(JSON.stringify([s.signer, s.recipient, s.level, s.bytes]))
      .digest("hex");
  return {
    async seal({ bytes, from, to, level }) {
      const s = { signer: from, recipient: to, level, bytes: Buffer.from(bytes).toString("base64") };
      return new TextEncoder().encode(JSON.stringify({ ...s, mac: mac(s, signerKeys[from.party] ?? key) }));
    },
    async open(sealed, _recipientOrg) {
      let s: Sealed;
      try {
        s = JSON.parse(new TextDecoder().decode(sealed)) as Sealed;
      } catch {
        throw new DomainError("PACKAGE_STRUCTURE_INVALID", {});
      }
      if (s.recipient?.party !== localParty) throw new DomainError("PACKAGE_NOT_FOR_RECIPIENT", {});
      const want = Buffer.from(mac(s, key), "hex");
      const got = Buffer.from(String(s.mac), "hex");
      if (got.length !== want.length || !timingSafeEqual(got, want))
        throw new DomainError("PACKAGE_INTEGRITY_FAILED", {});
      return {
        bytes: new Uint8Array(Buffer.from(s.bytes, "base64")),
        signer: s.signer,
        recipient: s.recipient,
      };
    },
  };
}
