/**
 * The catalogue of messages between the two Parties' nodes. Every "in writing" step of
 * Articles 3–9, 11 and 15 that crosses from one Party to the other is one kind here, versioned, with a
 * schema for its body and the articles it serves. A kind is never changed in place: a new
 * shape is a new version, and old versions stay readable.
 */
import { z } from "zod";

const id = z.string().min(1).max(100);
const text = (max: number) => z.string().max(max);
const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
/** A level as named in the agreement pack (its working id), checked against the pack on use. */
const level = z.string().min(1).max(60);
const marking = z.string().min(1).max(200);
const partyCode = z.string().regex(/^[A-Z]{2}$/);

/** A carrier as the originator's node knows it: the key other messages refer to it by. */
export const carrierRefSchema = z.strictObject({
  originParty: partyCode,
  originRegistrationNumber: text(100).min(1),
  originCopyNumber: z.number().int().min(1).max(1_000_000),
});
export type CarrierRef = z.infer<typeof carrierRefSchema>;

const carrierDescriptionSchema = z.strictObject({
  ref: carrierRefSchema,
  /** An unclassified title (A6.2 register entry). */
  title: text(500).min(1),
  kind: z.enum(["paper-document", "electronic-file", "removable-media", "other-object"]),
  level,
  /** The originator's marking exactly as written on the carrier (A2.2). */
  originMarking: marking,
  originatorOrg: id,
  sheets: z.number().int().min(0).max(1_000_000).nullable(),
  sizeBytes: z.number().int().min(0).nullable(),
  /** Carriers this one was copied, translated or derived from at the originator, if any. */
  derivedFrom: z.array(carrierRefSchema).max(100),
});

const consentActions = [
  "copy",
  "translate",
  "reclassify",
  "declassify",
  "destroy",
  "return",
  "third-party-release",
] as const;
export const consentActionSchema = z.enum(consentActions);
export type ConsentAction = z.infer<typeof consentActionSchema>;

/** Articles that make each Article 6 action need the originator's written consent. */
export const CONSENT_ACTION_ARTICLES: Record<ConsentAction, readonly string[]> = {
  copy: ["A6.5", "A6.7"],
  translate: ["A6.5", "A6.7"],
  reclassify: ["A4.1.2", "A6.3", "A6.7"],
  declassify: ["A6.4", "A6.7"],
  destroy: ["A6.6", "A6.7"],
  return: ["A6.6", "A6.7"],
  "third-party-release": ["A4.1.5", "A6.7"],
};

/** A9.2 (1)–(3): one visitor as the request names them. Passport and birth data never travel here:
 * they are personal data and go in the request's attachment (`visitPersonalDataSchema`), so that no
 * inbox, outbox listing or log ever holds them. */
const visitorSchema = z.strictObject({
  seq: z.number().int().min(1).max(1000),
  surname: text(200).min(1),
  name: text(200).min(1),
  /** A9.2 (2): position and authorized body (its name as the visiting Party registers it). */
  position: text(300).min(1),
  body: text(500).min(1),
  /** A9.2 (3): the clearance held, as the sending node's records show it. */
  clearance: z.strictObject({ level, validUntil: isoDate }),
});

/** A9.2 (1): the personal data of each visitor, the attachment of a `visit-request` (UTF-8 JSON). */
export const visitPersonalDataSchema = z.strictObject({
  visitId: id,
  visitors: z
    .array(
      z.strictObject({
        seq: z.number().int().min(1).max(1000),
        birthDate: isoDate,
        birthPlace: text(300).min(1),
        citizenship: text(100).min(1),
        /** Series and number as written in the passport. */
        passport: text(100).min(1),
      }),
    )
    .min(1)
    .max(100),
});
export type VisitPersonalData = z.infer<typeof visitPersonalDataSchema>;

const visitKinds = ["one-time", "recurring", "amendment"] as const;
export const visitKindSchema = z.enum(visitKinds);
export type VisitKind = z.infer<typeof visitKindSchema>;

const bodies = {
  /** A5.3: the sending competent authority asks the receiving one to confirm a facility clearance. */
  "facility-clearance-request": z.strictObject({
    transferId: id,
    /** The authorized body that will send the carrier (the message itself comes from its competent authority). */
    sendingOrg: id,
    receivingOrg: id,
    level,
    contractNumber: text(100).min(1),
  }),
  /** A5.3: the receiving competent authority answers in writing. */
  "facility-clearance-answer": z.strictObject({
    transferId: id,
    receivingOrg: id,
    confirmed: z.boolean(),
    /** The level of the facility clearance held, when confirmed. */
    level: level.nullable(),
    validUntil: isoDate.nullable(),
    reason: text(2000).nullable(),
  }),
  /** A5.6, A5.7: a carrier is sent; electronically (content travels beside) or physically. */
  "carrier-transfer": z.strictObject({
    transferId: id,
    contractNumber: text(100).min(1),
    carrier: carrierDescriptionSchema,
    delivery: z.discriminatedUnion("mode", [
      z.strictObject({
        mode: z.literal("electronic"),
        /** Digest and size of the content that travels as the message's attachment. */
        contentSha256: sha256Hex,
        contentSize: z.number().int().min(0),
      }),
      z.strictObject({
        mode: z.literal("physical"),
        channel: z.enum(["diplomatic", "state-courier", "agreed"]),
        sealNumbers: z.array(text(100).min(1)).min(1).max(100),
        waybill: text(100).min(1),
        dispatchedAt: isoTime,
      }),
    ]),
  }),
  /** A5.6: the receiving authorized body notifies the sending one in writing of receipt. */
  "receipt-notice": z.strictObject({
    transferId: id,
    carrier: carrierRefSchema,
    registrationNumber: text(100).min(1),
    copyNumber: z.number().int().min(1),
    /** The national marking added beside the originator's (A6.1, A2.2). */
    addedMarking: marking,
    receivedAt: isoTime,
    contentSha256: sha256Hex.nullable(),
  }),
  /** A4.1.2, A4.1.5, A6.3–A6.7: the holder asks the originator's written consent. */
  "consent-request": z.strictObject({
    consentId: id,
    action: consentActionSchema,
    carrier: carrierRefSchema,
    reason: text(2000).min(1),
    newLevel: level.nullable(),
    language: z
      .string()
      .regex(/^[a-z]{2,3}$/)
      .nullable(),
    thirdParty: text(500).nullable(),
  }),
  /** The originator's written answer to a consent request. */
  "consent-answer": z.strictObject({
    consentId: id,
    decision: z.enum(["granted", "refused"]),
    reason: text(2000).nullable(),
  }),
  /** A6.4: the originator notifies a level change; it reaches every copy and derivative. */
  "level-change-notice": z.strictObject({
    carrier: carrierRefSchema,
    previousLevel: level,
    newLevel: level,
    newOriginMarking: marking,
    consentId: id.nullable(),
    effectiveAt: isoTime,
  }),
  /** A6.4: the originator notifies a declassification. */
  "declassification-notice": z.strictObject({
    carrier: carrierRefSchema,
    consentId: id.nullable(),
    effectiveAt: isoTime,
  }),
  /** A6.6, A1.8: the holder notifies the originator in writing of the destruction. */
  "destruction-notice": z.strictObject({
    carrier: carrierRefSchema,
    consentId: id,
    registrationNumber: text(100).min(1),
    destroyedAt: isoTime,
    method: z.enum(["key-erasure", "physical"]),
    /** SHA-256 of the destruction certificate (PDF) that travels as the attachment. */
    certificateSha256: sha256Hex,
  }),
  /** A9.2: the visiting side's competent authority asks the host's for a visit (personal data attached). */
  "visit-request": z.strictObject({
    visitId: id,
    kind: visitKindSchema,
    /** For an amendment: the approved request it replaces. */
    amends: id.nullable(),
    visitors: z.array(visitorSchema).min(1).max(100),
    /** A9.2 (4): first and last day, on the host's calendar. */
    startDate: isoDate,
    endDate: isoDate,
    /** A recurring request: how the visits recur within [startDate, endDate]. */
    recurrence: text(500).nullable(),
    /** A9.2 (5) */
    purpose: text(2000).min(1),
    topics: z
      .array(z.strictObject({ title: text(500).min(1), level }))
      .min(1)
      .max(100),
    /** A9.2 (6): the host's authorized bodies to visit (their ids on the host's node). */
    bodiesToVisit: z.array(id).min(1).max(50),
    /** A9.2 (7) */
    peopleToMeet: z
      .array(z.strictObject({ position: text(300).min(1), name: text(300).min(1) }))
      .min(1)
      .max(100),
  }),
  /** A9.1: the host's competent authority approves or refuses, in writing, with its reasons. */
  "visit-answer": z.strictObject({
    visitId: id,
    decision: z.enum(["approved", "refused"]),
    reason: text(2000).nullable(),
    /** The articles a refusal rests on (e.g. A9.2 for a late request). */
    articles: z.array(text(20)).max(20),
  }),
  /** The visiting side withdraws a request it sent, approved or not. */
  "visit-cancellation": z.strictObject({
    visitId: id,
    reason: text(2000).min(1),
  }),
  /** A11.1: a breach (or suspected breach) is notified at once to the other Party's competent authority. */
  "breach-notice": z.strictObject({
    breachId: id,
    suspected: z.boolean(),
    what: text(4000).min(1),
    howFound: text(2000).min(1),
    occurredAt: isoTime.nullable(),
    foundAt: isoTime,
    reportedAt: isoTime,
    /** The carriers involved, as their originators know them. */
    carriers: z.array(carrierRefSchema).max(1000),
    /** Whose information is involved (Party codes). */
    informationOf: z.array(partyCode).min(1).max(2),
  }),
  /** A11.1: the investigating Party reports the results of its investigation. */
  "breach-results": z.strictObject({
    breachId: id,
    investigationStartedAt: isoTime,
    results: text(8000).min(1),
    reportedAt: isoTime,
  }),
  /** A11.2: damage assessed and its settlement recorded; the case is closed and the carriers' flags lifted. */
  "breach-closure": z.strictObject({
    breachId: id,
    damageAssessment: text(8000).min(1),
    settlement: text(8000).min(1),
    closedAt: isoTime,
  }),
  /**
   * A15.1, A15.2: a written notice about the agreement itself, between the competent authorities:
   * completed internal procedures, termination, or (pack policy) the withdrawal of a termination.
   */
  "agreement-notice": z.strictObject({
    noticeId: id,
    kind: z.enum(["procedures-completed", "termination", "termination-withdrawal"]),
    datedOn: isoDate,
    reference: text(200),
  }),
  /**
   * A15.1, A15.2: the receiving competent authority acknowledges a notice with the instant it
   * received it, from which both nodes count the same dates (entry into force, termination).
   */
  "agreement-notice-receipt": z.strictObject({
    noticeId: id,
    receivedAt: isoTime,
  }),
  /**
   * A3.2, A3.3, A8.1, A8.2: a letter between the competent authorities: a change of national
   * legislation on protection, a change of the competent authority (its new name and functions), a
   * request for consultations or a joint meeting, the protection regulations (the document attached).
   */
  "authority-letter": z.strictObject({
    letterId: id,
    subject: z.enum(["legislation-change", "authority-change", "consultation-request", "regulations"]),
    title: text(500).min(1),
    body: text(20_000),
    authority: z.strictObject({ name: text(500).min(1), functions: text(4000) }).nullable(),
    attachmentName: text(255).nullable(),
  }),
  /**
   * A1.13, A7.1, A4.1.4: a contract between the two Parties' bodies, sent by the concluding body to
   * the other once active and after each change (amendment, suspension, resumption, closing), so
   * that both nodes hold it: its clauses, its list of information with levels, its participants.
   */
  "contract-notice": z.strictObject({
    contractId: id,
    number: text(100).min(1),
    title: text(500).min(1),
    state: z.enum(["active", "suspended", "closed"]),
    version: z.number().int().min(1),
    concludedBy: z.strictObject({ org: id, name: text(500).min(1) }),
    /** The other Party's body, as the contract names it (this message's recipient). */
    counterpartName: text(500).min(1),
    clauses: z.array(z.strictObject({ clause: text(60).min(1), text: text(20_000) })).max(20),
    information: z
      .array(z.strictObject({ description: text(2000).min(1), level }))
      .min(1)
      .max(1000),
    participants: z.array(z.strictObject({ name: text(500).min(1) })).max(10_000),
    changedAt: isoTime,
  }),
  /**
   * A1.13, A7.1, A4.2: the body holding a contract as the other Party's body concluded it sends back
   * its own participants (the whole list as it now stands), so that both nodes show both sides' people.
   * `version` counts the lists sent for the contract: a later list replaces an earlier, never the reverse.
   */
  "contract-participants": z.strictObject({
    contractId: id,
    number: text(100).min(1),
    participants: z.array(z.strictObject({ name: text(500).min(1) })).max(10_000),
    version: z.number().int().min(1),
    changedAt: isoTime,
  }),
  /**
   * A14: an amendment protocol proposed by a competent authority: its number, title, date and the
   * changes it makes to the agreement pack (a level's marking, a deadline, a channel added or withdrawn).
   */
  "amendment-protocol": z.strictObject({
    protocolId: id,
    number: text(60).min(1),
    title: text(500).min(1),
    signedOn: isoDate,
    reference: text(200),
    changes: z
      .array(
        z.discriminatedUnion("kind", [
          z.strictObject({
            kind: z.literal("level-marking"),
            level,
            language: z.enum(["kk", "hy", "ru", "en"]),
            marking,
          }),
          z.strictObject({
            kind: z.literal("deadline"),
            deadline: text(60).min(1),
            duration: text(60).min(1),
          }),
          z.strictObject({
            kind: z.literal("channel-add"),
            channel: z.strictObject({
              id: text(60).min(1),
              kind: z.enum(["physical", "electronic"]),
              name: z.strictObject({ kk: text(500), hy: text(500), ru: text(500), en: text(500) }),
            }),
          }),
          z.strictObject({ kind: z.literal("channel-remove"), channel: text(60).min(1) }),
        ]),
      )
      .min(1)
      .max(100),
  }),
  /** A14: the other competent authority signs the proposed protocol or declines it. */
  "amendment-protocol-answer": z.strictObject({
    protocolId: id,
    answer: z.enum(["signed", "declined"]),
    reason: text(2000),
    answeredAt: isoTime,
  }),
  /**
   * A14, A15.1: a Party's notice that its internal procedures for a protocol's entry into force are
   * completed; acknowledged with `agreement-notice-receipt` like the agreement's own notices.
   */
  "amendment-protocol-notice": z.strictObject({
    noticeId: id,
    protocolId: id,
    datedOn: isoDate,
    reference: text(200),
  }),
  /** A3.3, A8: the receiving competent authority acknowledges a letter; an authority change then applies at both nodes. */
  "authority-letter-receipt": z.strictObject({
    letterId: id,
    receivedAt: isoTime,
  }),
} as const;

/** A5.6, A5.7: the body of a `carrier-transfer` (the receiving node keeps it as the dispatch record). */
export const carrierTransferBodySchema = bodies["carrier-transfer"];
/** A5.6: the body of a `receipt-notice` (the sending node keeps it as the receipt). */
export const receiptNoticeBodySchema = bodies["receipt-notice"];

export type MessageKind = keyof typeof bodies;
export const MESSAGE_KINDS = Object.keys(bodies) as MessageKind[];
export type MessageBody<K extends MessageKind> = z.infer<(typeof bodies)[K]>;

/** One entry of the catalogue: kind, version, the articles it serves and its body schema. */
export type CatalogueEntry = {
  readonly kind: MessageKind;
  readonly version: number;
  readonly articles: readonly string[];
  readonly body: z.ZodType;
  /** Whether an attachment (content, certificate) travels with the message. */
  readonly attachment: "never" | "optional" | "required";
};

const ARTICLES: Record<MessageKind, readonly string[]> = {
  "facility-clearance-request": ["A5.2", "A5.3"],
  "facility-clearance-answer": ["A5.3"],
  "carrier-transfer": ["A5.6", "A5.7", "A6.1", "A2.2"],
  "receipt-notice": ["A5.6"],
  "consent-request": ["A4.1.2", "A4.1.5", "A6.3", "A6.4", "A6.5", "A6.6", "A6.7"],
  "consent-answer": ["A4.1.2", "A4.1.5", "A6.3", "A6.4", "A6.5", "A6.6", "A6.7"],
  "level-change-notice": ["A6.4", "A6.3", "A6.1"],
  "declassification-notice": ["A6.4"],
  "destruction-notice": ["A6.6", "A1.8"],
  "visit-request": ["A9.1", "A9.2"],
  "visit-answer": ["A9.1"],
  "visit-cancellation": ["A9.2"],
  "breach-notice": ["A11.1"],
  "breach-results": ["A11.1"],
  "breach-closure": ["A11.1", "A11.2"],
  "agreement-notice": ["A15.1", "A15.2", "A3.1"],
  "agreement-notice-receipt": ["A15.1", "A15.2"],
  "authority-letter": ["A3.2", "A3.3", "A8.1", "A8.2"],
  "authority-letter-receipt": ["A3.3", "A8.1"],
  "contract-notice": ["A1.13", "A7.1", "A4.1.4"],
  "contract-participants": ["A1.13", "A7.1", "A4.2"],
  "amendment-protocol": ["A14", "A3.1"],
  "amendment-protocol-answer": ["A14"],
  "amendment-protocol-notice": ["A14", "A15.1"],
};

const ATTACHMENTS: Record<MessageKind, CatalogueEntry["attachment"]> = {
  "facility-clearance-request": "never",
  "facility-clearance-answer": "never",
  "carrier-transfer": "optional",
  "receipt-notice": "never",
  "consent-request": "never",
  "consent-answer": "never",
  "level-change-notice": "never",
  "declassification-notice": "never",
  "destruction-notice": "required",
  "visit-request": "required",
  "visit-answer": "never",
  "visit-cancellation": "never",
  "breach-notice": "never",
  "breach-results": "never",
  "breach-closure": "never",
  "agreement-notice": "never",
  "agreement-notice-receipt": "never",
  "authority-letter": "optional",
  "authority-letter-receipt": "never",
  "contract-notice": "never",
  "contract-participants": "never",
  "amendment-protocol": "never",
  "amendment-protocol-answer": "never",
  "amendment-protocol-notice": "never",
};

/** Every kind at version 1. A later version adds entries; old ones stay for reading. */
export const CATALOGUE: readonly CatalogueEntry[] = MESSAGE_KINDS.map((kind) => ({
  kind,
  version: 1,
  articles: ARTICLES[kind],
  body: bodies[kind],
  attachment: ATTACHMENTS[kind],
}));

/** The catalogue entry for `kind` at `version`, or undefined when unknown. */
export function findCatalogueEntry(kind: string, version: number): CatalogueEntry | undefined {
  return CATALOGUE.find((e) => e.kind === kind && e.version === version);
}
