import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "./canonical.ts";
import { CATALOGUE, MESSAGE_KINDS } from "./catalogue.ts";
import { createEnvelope, envelopeBytes, parseEnvelopeBytes } from "./envelope.ts";

const base = {
  agreementId: "kz-am-2025",
  sender: { party: "KZ", org: "kz-mod" },
  recipient: { party: "AM", org: "am-mod" },
  createdAt: "2026-11-26T02:00:00Z",
};

describe("message catalogue", () => {
  it("names at least one article for every kind", () => {
    expect(MESSAGE_KINDS.length).toBeGreaterThanOrEqual(9);
    for (const e of CATALOGUE) expect(e.articles.length, e.kind).toBeGreaterThan(0);
  });

  it("A5.6: a receipt notice round-trips through its canonical bytes", () => {
    const env = createEnvelope({
      ...base,
      id: randomUUID(),
      kind: "receipt-notice",
      body: {
        transferId: "t-1",
        carrier: { originParty: "KZ", originRegistrationNumber: "KZ-1", originCopyNumber: 1 },
        registrationNumber: "AM-7",
        copyNumber: 1,
        addedMarking: "Գաղտնի",
        receivedAt: "2026-11-26T02:00:00Z",
        contentSha256: null,
      },
    });
    const bytes = envelopeBytes(env);
    expect(parseEnvelopeBytes(bytes)).toEqual(env);
  });

  it("refuses an unknown kind, a non-canonical encoding, and an unexpected attachment", () => {
    const env = createEnvelope({
      ...base,
      id: randomUUID(),
      kind: "consent-answer",
      body: { consentId: "c-1", decision: "refused", reason: null },
    });
    const unknown = { ...env, kind: "meeting-request" };
    expect(() => parseEnvelopeBytes(new TextEncoder().encode(canonicalJson(unknown)))).toThrow(
      expect.objectContaining({ code: "MESSAGE_UNKNOWN_KIND" }),
    );
    const pretty = new TextEncoder().encode(JSON.stringify(env, null, 1));
    expect(() => parseEnvelopeBytes(pretty)).toThrow(
      expect.objectContaining({ code: "PACKAGE_STRUCTURE_INVALID" }),
    );
    const withAttachment = { ...env, attachmentSha256: "0".repeat(64) };
    expect(() => parseEnvelopeBytes(new TextEncoder().encode(canonicalJson(withAttachment)))).toThrow(
      expect.objectContaining({ code: "PACKAGE_STRUCTURE_INVALID" }),
    );
  });

  it("refuses a body that does not match its kind's schema", () => {
    expect(() =>
      createEnvelope({
        ...base,
        id: randomUUID(),
        kind: "consent-request",
        body: {
          consentId: "c",
          action: "sell",
          carrier: null,
          reason: "x",
          newLevel: null,
          language: null,
          thirdParty: null,
        } as never,
      }),
    ).toThrow(expect.objectContaining({ code: "PACKAGE_STRUCTURE_INVALID" }));
  });
});
