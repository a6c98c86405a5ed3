/**
 * The envelope every message between nodes travels in: who sends it to whom under which
 * agreement, which message it answers, and the sender's latest audit checkpoint. Its canonical
 * bytes are what gets sealed (signed by the sending organisation, encrypted to the receiving one).
 */
import { z } from "zod";
import { exchangeError } from "../errors.ts";
import { canonicalBytes } from "./canonical.ts";
import { CATALOGUE, findCatalogueEntry, type MessageBody, type MessageKind } from "./catalogue.ts";

export const orgAddressSchema = z.strictObject({
  party: z.string().regex(/^[A-Z]{2}$/),
  org: z.string().min(1).max(100),
});
export type OrgAddress = z.infer<typeof orgAddressSchema>;

const uuid = z.uuid();

const envelopeShape = z.strictObject({
  id: uuid,
  kind: z.string().min(1).max(60),
  version: z.number().int().min(1).max(1000),
  agreementId: z.string().min(1).max(60),
  sender: orgAddressSchema,
  recipient: orgAddressSchema,
  inReplyTo: uuid.nullable(),
  /** The sender's latest signed audit checkpoint (C2SP signed note), for the peer to cosign. */
  senderCheckpoint: z.string().max(8192).nullable(),
  /** The sender's cosignature over the last checkpoint of the recipient it verified. */
  checkpointCosignature: z.string().max(8192).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /** SHA-256 (hex) of the attachment travelling beside the message, if any. */
  attachmentSha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .nullable(),
  body: z.unknown(),
});

export type Envelope<K extends MessageKind = MessageKind> = Omit<
  z.infer<typeof envelopeShape>,
  "kind" | "body"
> & {
  kind: K;
  body: MessageBody<K>;
};

/**
 * Parses and validates an envelope: the shape, a kind and version the catalogue knows
 * (MESSAGE_UNKNOWN_KIND otherwise), the body against that kind's schema, and the attachment
 * rule of the kind. Throws a DomainError; never returns a partly valid message.
 */
export function parseEnvelope(value: unknown): Envelope {
  const shape = envelopeShape.safeParse(value);
  if (!shape.success) throw exchangeError("MESSAGE_MALFORMED", { issues: shape.error.issues.slice(0, 5) });
  const env = shape.data;
  const entry = findCatalogueEntry(env.kind, env.version);
  if (!entry) throw exchangeError("MESSAGE_UNKNOWN_KIND", { kind: env.kind, version: env.version });
  const body = entry.body.safeParse(env.body);
  if (!body.success)
    throw exchangeError("MESSAGE_MALFORMED", { kind: env.kind, issues: body.error.issues.slice(0, 5) });
  if (entry.attachment === "never" && env.attachmentSha256 !== null)
    throw exchangeError("MESSAGE_MALFORMED", { kind: env.kind, reason: "attachment not allowed" });
  if (entry.attachment === "required" && env.attachmentSha256 === null)
    throw exchangeError("MESSAGE_MALFORMED", { kind: env.kind, reason: "attachment missing" });
  return { ...env, kind: entry.kind, body: body.data } as Envelope;
}

/** Parses the canonical bytes of an envelope (see {@link parseEnvelope}). */
export function parseEnvelopeBytes(bytes: Uint8Array): Envelope {
  if (bytes.byteLength > 4 * 1024 * 1024)
    throw exchangeError("MESSAGE_MALFORMED", { reason: "envelope too large" });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw exchangeError("MESSAGE_MALFORMED", { reason: "not UTF-8 JSON" });
  }
  const env = parseEnvelope(value);
  // Only the canonical form is accepted, so one message has exactly one byte string.
  const again = canonicalBytes(env);
  if (!equalBytes(again, bytes)) throw exchangeError("MESSAGE_MALFORMED", { reason: "not canonical" });
  return env;
}

export type NewEnvelope<K extends MessageKind> = {
  id: string;
  kind: K;
  agreementId: string;
  sender: OrgAddress;
  recipient: OrgAddress;
  inReplyTo?: string | null;
  senderCheckpoint?: string | null;
  checkpointCosignature?: string | null;
  createdAt: string;
  attachmentSha256?: string | null;
  body: MessageBody<K>;
};

/** Builds a validated envelope of the latest version of `kind`. */
export function createEnvelope<K extends MessageKind>(input: NewEnvelope<K>): Envelope<K> {
  const latest = CATALOGUE.filter((e) => e.kind === input.kind).reduce((a, b) =>
    b.version > a.version ? b : a,
  );
  const env = {
    id: input.id,
    kind: input.kind,
    version: latest.version,
    agreementId: input.agreementId,
    sender: input.sender,
    recipient: input.recipient,
    inReplyTo: input.inReplyTo ?? null,
    senderCheckpoint: input.senderCheckpoint ?? null,
    checkpointCosignature: input.checkpointCosignature ?? null,
    createdAt: input.createdAt,
    attachmentSha256: input.attachmentSha256 ?? null,
    body: input.body,
  };
  return parseEnvelope(env) as Envelope<K>;
}

/** The canonical bytes of an envelope: what is signed and sealed. */
export function envelopeBytes(env: Envelope): Uint8Array {
  return canonicalBytes(env);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
