import { z } from "zod";

/** The API's wire types: one zod schema per shape, used to validate input and output and for OpenAPI. */

export const Language = z.enum(["kk", "hy", "ru", "en"]);
export const PartyCode = z.enum(["KZ", "AM"]);

export const ApiError = z.object({
  code: z.string(),
  articles: z.array(z.string()),
  message: z.string(),
  /** VISIT_REQUEST_INCOMPLETE (A9.2): the items lacking, as input paths (`visitors[1].passport`). */
  missing: z.array(z.string()).optional(),
});

export const Marking = z.object({
  party: PartyCode,
  language: z.string(),
  text: z.string(),
});

export const Level = z.object({
  id: z.string(),
  rank: z.number().int(),
  /** The level's name in every language of the pack (kk, hy, ru, en). */
  names: z.record(z.string(), z.string()),
});

export const Channel = z.object({
  id: z.string(),
  kind: z.enum(["physical", "electronic"]),
  /** The channel's name in every language of the pack. */
  names: z.record(z.string(), z.string()),
});

export const NodeInfo = z.object({
  party: PartyCode,
  otherParty: PartyCode,
  defaultLanguage: Language,
  agreementId: z.string(),
  agreementTitle: z.record(z.string(), z.string()),
  levels: z.array(Level),
  /** The transfer channels the agreement allows (A5.6, A5.7). */
  channels: z.array(Channel),
  demo: z.boolean(),
});

export const LoginInput = z.object({
  username: z.string().min(1).max(200),
  password: z.string().min(1).max(1000),
  totp: z.string().max(12).optional(),
  /** A4.2: after a password reset, the person's own new password, set as they sign in. */
  newPassword: z.string().min(1).max(1000).optional(),
});

export const PermissionMap = z.object({
  viewRegistry: z.boolean(),
  registerCarrier: z.boolean(),
  viewTransfers: z.boolean(),
  requestTransfer: z.boolean(),
  decideConsent: z.boolean(),
  confirmFacilityClearance: z.boolean(),
  receiveCarrier: z.boolean(),
  viewContracts: z.boolean(),
  viewOrganisations: z.boolean(),
  viewPeople: z.boolean(),
  viewMessages: z.boolean(),
  viewAudit: z.boolean(),
  verifyAudit: z.boolean(),
  viewConsents: z.boolean(),
  /** A4.2: a registry officer grants need-to-know on carriers of its body's registry. */
  grantNeedToKnow: z.boolean(),
  /** A9: visits — see them, request (visiting competent authority), decide (host competent authority), host (the visited body's registry officer). */
  viewVisits: z.boolean(),
  requestVisit: z.boolean(),
  decideVisit: z.boolean(),
  hostVisit: z.boolean(),
  /** A11: breaches — see them, report one (any authorized body), investigate (the competent authority). */
  viewBreaches: z.boolean(),
  reportBreach: z.boolean(),
  investigateBreach: z.boolean(),
  /** A15, A3.1: the agreement's life — see it (every officer, auditors, administrators), notify (the competent authority). */
  viewAgreement: z.boolean(),
  notifyAgreement: z.boolean(),
  /** A3, A5.5, A6.7, A8: the competent authorities' letters and the notices they are informed by. */
  writeAuthorityLetters: z.boolean(),
  /** D3, A15.3: import the repealed 2015 agreement's records (registry officers, the competent authority). */
  importPredecessorRecords: z.boolean(),
  /** A1.11, A4.2: withdraw, suspend, reinstate clearances (the competent authority). */
  changeClearance: z.boolean(),
  /** A4.2: remove roles, deactivate people, reset passwords (the administrator). */
  managePeople: z.boolean(),
});

export const SessionUser = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  party: PartyCode,
  roles: z.array(z.string()),
  clearanceLevel: z.string().nullable(),
  language: Language.nullable(),
});

export const SessionView = z.object({
  user: SessionUser,
  csrfToken: z.string(),
  permissions: PermissionMap,
});

export const LanguageInput = z.object({ language: Language });

export const CarrierSummary = z.object({
  id: z.string(),
  registrationNumber: z.string(),
  copyNumber: z.number().int().nullable(),
  title: z.string(),
  kind: z.string(),
  levelId: z.string(),
  levelRank: z.number().int(),
  originatorParty: PartyCode,
  originatorName: z.string(),
  custodianName: z.string(),
  status: z.string(),
  registeredAt: z.string(),
  /** A11.1: named by an open breach (flagged), and held in quarantine (no one reads it). */
  breach: z.object({ flagged: z.boolean(), quarantined: z.boolean() }).optional(),
  /** D3: imported from the repealed 2015 agreement's register (its id, the old number and marking). */
  predecessor: z
    .object({
      agreement: z.string(),
      oldNumber: z.string(),
      oldCopy: z.number().int(),
      oldMarking: z.string(),
    })
    .nullable()
    .optional(),
});

export const CarrierList = z.object({
  items: z.array(CarrierSummary),
  nextCursor: z.string().nullable(),
});

export const CarrierListQuery = z.object({
  q: z.string().max(200).optional(),
  level: z.string().max(50).optional(),
  status: z.string().max(50).optional(),
  after: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const RegisterCarrierInput = z.object({
  /** The unclassified title (A6.2). */
  title: z.string().min(1).max(500),
  kind: z.enum(["paper-document", "electronic-file", "removable-media", "other-object"]),
  level: z.string().min(1).max(50),
  contractId: z.string().max(200).optional(),
  sheets: z.number().int().min(1).max(100_000).optional(),
  sizeBytes: z.number().int().min(0).optional(),
  /** Electronic content as text (encrypted at rest under the carrier's own key). */
  contentText: z.string().max(1_000_000).optional(),
});

export const HistoryEntry = z.object({
  at: z.string(),
  event: z.string(),
  actor: z.string(),
  outcome: z.string(),
  articles: z.array(z.string()),
});

export const LineageEntry = z.object({
  id: z.string(),
  relation: z.string(),
  registrationNumber: z.string(),
  title: z.string(),
  visible: z.boolean(),
});

export const CarrierActions = z.object({
  readContent: z.boolean(),
  requestTransfer: z.boolean(),
  /** Article 6 actions the holder may ask the originator's written consent for (A6.3–A6.7, A4.1.5). */
  requestConsent: z.array(z.string()),
  /** A6.3, A6.4: the originator's registry officer may change the level or declassify. */
  changeLevel: z.boolean(),
  /**
   * A4.2: persons of the custodian body the registry officer may grant need-to-know to (empty when
   * the user may not grant, or the carrier is no longer held).
   */
  grantNeedToKnow: z.array(z.object({ id: z.string(), name: z.string() })),
  /** A4.2: persons holding a grant the registry officer may withdraw. */
  withdrawNeedToKnow: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The registry officer's own acts on the carrier now (A6.1, A6.2, A6.5, A6.6); the server decides again. */
  manage: z.array(z.enum(["copy", "translate", "derive", "custody", "destroy", "return", "take-back"])),
});

/** A4.2: the persons (ids of people of the custodian body) to grant need-to-know to. */
export const GrantNeedToKnowInput = z.object({
  persons: z.array(z.string().min(1).max(200)).min(1).max(50),
});

export const ChangeLevelInput = z.object({
  level: z.string().min(1).max(50),
  declassify: z.boolean().optional(),
});

export const ConsentAction = z.enum([
  "copy",
  "translate",
  "destroy",
  "third-party-release",
  "declassify",
  "return",
]);

export const ConsentRequestInput = z.object({
  action: ConsentAction,
  reason: z.string().min(1).max(2000),
  /** Translation: the target language; third-party release: the third party's name. */
  language: z.string().max(20).optional(),
  thirdParty: z.string().max(300).optional(),
});

export const ConsentView = z.object({
  id: z.string(),
  direction: z.enum(["in", "out"]),
  action: z.string(),
  state: z.string(),
  carrierId: z.string().nullable(),
  carrierLabel: z.string(),
  holder: z.string(),
  originator: z.string(),
  reason: z.string(),
  requestedAt: z.string(),
  answeredAt: z.string().nullable(),
  /** grant, refuse (the originator), perform (the holder, once granted) — as the server allows now. */
  actions: z.array(z.string()),
});

export const CarrierView = z.object({
  carrier: CarrierSummary.extend({
    sheets: z.number().int().nullable(),
    sizeBytes: z.number().int().nullable(),
    hasContent: z.boolean(),
    contractId: z.string().nullable(),
  }),
  /** The originator's marking first, then the equivalent marking of the other Party (A2.1, A6.1). */
  markings: z.array(Marking),
  lineage: z.array(LineageEntry),
  history: z.array(HistoryEntry),
  actions: CarrierActions,
});

export const CarrierContent = z.object({
  mediaType: z.string(),
  text: z.string().nullable(),
  base64: z.string().nullable(),
});

export const IdParams = z.object({ id: z.string().min(1).max(200) });

export const Organisation = z.object({
  id: z.string(),
  name: z.string(),
  party: PartyCode,
  kind: z.string(),
  facilityClearance: z
    .object({ levelId: z.string(), validFrom: z.string().nullable(), validUntil: z.string().nullable() })
    .nullable(),
  /** A1.11: a facility clearance is suspended (until reinstated). */
  clearanceSuspended: z.boolean(),
  /** What the user may do to its facility clearance now (A1.11); the use cases decide again. */
  actions: z.array(z.enum(["withdraw", "suspend", "reinstate"])),
});

export const Person = z.object({
  id: z.string(),
  name: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  roles: z.array(z.string()),
  clearance: z
    .object({ levelId: z.string(), validFrom: z.string().nullable(), validUntil: z.string().nullable() })
    .nullable(),
  disabled: z.boolean(),
  /** A1.11: a personal clearance is suspended (until reinstated). */
  clearanceSuspended: z.boolean(),
  /** What the user may do to the person now (A1.11, A4.2); the use cases decide again. */
  actions: z.object({
    clearance: z.array(z.enum(["withdraw", "suspend", "reinstate"])),
    removeRoles: z.array(z.string()),
    deactivate: z.boolean(),
    resetPassword: z.boolean(),
  }),
});

export const ContractClause = z.object({ key: z.string(), text: z.string().nullable() });

export const Contract = z.object({
  id: z.string(),
  number: z.string(),
  title: z.string(),
  status: z.string(),
  parties: z.array(z.string()),
  /** The other Party's authorized body, the other side of the contract (A1.13). */
  counterpartName: z.string(),
  counterpartParty: z.string(),
  clauses: z.array(ContractClause),
  information: z.array(z.object({ description: z.string(), levelId: z.string() })),
  participants: z.array(z.string()),
  /** A1.13: held here as the other Party's body sent it (that Party), or null when concluded here. */
  heldFrom: z.string().nullable(),
  peerParticipants: z.array(z.string()),
  /** One more at each change the concluding body makes (A7.1); a held contract shows the version sent. */
  version: z.number().int(),
  actions: z.array(z.enum(["amend", "suspend", "resume", "close"])),
});

export const MessageView = z.object({
  id: z.string(),
  direction: z.enum(["in", "out"]),
  kind: z.string(),
  from: z.string(),
  to: z.string(),
  at: z.string(),
  /** Outgoing: pending, delivered or refused; incoming: accepted or refused (the UI translates it). */
  state: z.string(),
  /** How it went: https, courier, or `answered` (delivery known from the peer's answer); null while pending. */
  channel: z.string().nullable(),
});

export const AuditEntry = z.object({
  index: z.number().int(),
  at: z.string(),
  actor: z.string(),
  organisation: z.string(),
  event: z.string(),
  object: z.string(),
  outcome: z.string(),
  articles: z.array(z.string()),
});

export const AuditPage = z.object({ items: z.array(AuditEntry), nextCursor: z.string().nullable() });

/** A4.2: the filters of an audit search (and export); they combine. */
export const AuditSearchQuery = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  person: z.string().max(200).optional(),
  event: z.string().max(100).optional(),
  outcome: z.enum(["done", "allowed", "refused", "failed"]).optional(),
  object: z.string().max(300).optional(),
  number: z.string().max(100).optional(),
  cursor: z.string().max(30).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const AuditExportQuery = AuditSearchQuery.extend({
  format: z.enum(["csv", "json"]).default("csv"),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

export const AuditSearchEntry = z.object({
  index: z.number().int(),
  at: z.string(),
  actorId: z.string(),
  actor: z.string(),
  organisation: z.string(),
  event: z.string(),
  outcome: z.string(),
  object: z.string(),
  objectType: z.string(),
  /** As people name it (registration number, name); the raw object when the reader may not see it. */
  objectName: z.string(),
  /** The carrier whose page the object links to, when the reader may see it. */
  carrierId: z.string().nullable(),
  articles: z.array(z.string()),
});

export const AuditSearchPage = z.object({
  items: z.array(AuditSearchEntry),
  nextCursor: z.string().nullable(),
});

export const AuditVerify = z.object({
  ok: z.boolean(),
  size: z.number().int(),
  root: z.string().nullable(),
  firstBadIndex: z.number().int().nullable(),
});

export const TransferView = z.object({
  id: z.string(),
  direction: z.enum(["out", "in"]),
  carrierId: z.string().nullable(),
  carrierTitle: z.string(),
  registrationNumber: z.string(),
  levelId: z.string(),
  sendingBody: z.string(),
  receivingBody: z.string(),
  contractNumber: z.string(),
  state: z.string(),
  updatedAt: z.string(),
  /** When the receipt notice is due (A5.6, node policy), once dispatched. */
  receiptDueAt: z.string().nullable(),
  /** Dispatched and the receipt notice is late. */
  overdue: z.boolean(),
  /** The carrier's number/copy in the other Party's registry (the originator's, or the receiver's from the receipt). */
  otherRegistration: z.string().nullable(),
  /** Whether the carrier has electronic content (it can go by the agreed electronic channel, A5.7). */
  electronic: z.boolean(),
  /** A physical carrier's dispatch record (A5.6): the seals and waybill to check on arrival. */
  dispatchRecord: z
    .object({ channel: z.string(), sealNumbers: z.array(z.string()), waybill: z.string() })
    .nullable(),
  /** Which step buttons the server allows this user now (permission map per object). */
  actions: z.array(z.string()),
  steps: z.array(z.object({ state: z.string(), at: z.string(), by: z.string() })),
});

export const TransferRequestInput = z.object({
  carrierId: z.string().min(1),
  contractId: z.string().min(1),
  receivingBodyId: z.string().min(1),
});

export const TransferActionInput = z.object({
  reason: z.string().max(2000).optional(),
  /** Dispatch (A5.6, A5.7): a channel of the agreement; a physical one needs seal numbers and a waybill. */
  channel: z.string().min(1).max(100).optional(),
  sealNumbers: z.array(z.string().trim().min(1).max(100)).min(1).max(100).optional(),
  waybill: z.string().trim().min(1).max(100).optional(),
  /** Take-in of a physical carrier (A5.6): the officer confirms its seals intact and matching. */
  sealsIntact: z.boolean().optional(),
  /** A11.1: seals broken or not matching (`sealsIntact: false`): what was found; the carrier is taken in, quarantined. */
  breach: z.object({ what: z.string().trim().min(1).max(4000) }).optional(),
});

export const Dashboard = z.object({
  consentsToDecide: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      dueAt: z.string().nullable(),
      link: z.string().optional(),
      kind: z.enum(["consent", "visit", "breach", "protocol"]).optional(),
      action: z.string().optional(),
    }),
  ),
  receiptsOverdue: z.array(z.object({ id: z.string(), label: z.string(), dueAt: z.string().nullable() })),
  deadlines: z.array(z.object({ id: z.string(), label: z.string(), dueAt: z.string().nullable() })),
  transfers: z.array(z.object({ id: z.string(), label: z.string(), state: z.string() })),
  /** A11.1, A11.2: breach steps past their policy targets (empty unless competent authority or auditor). */
  breachesOverdue: z.array(z.object({ id: z.string(), step: z.string(), dueAt: z.string() })),
  /** A9.1, A9.3: approved visits to this node not yet over; `acquainted` as "1/2" (A9.3). */
  visitsExpected: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      startDate: z.string(),
      endDate: z.string(),
      acquainted: z.string(),
    }),
  ),
});

export type NodeInfoT = z.infer<typeof NodeInfo>;
export type SessionViewT = z.infer<typeof SessionView>;
export type PermissionMapT = z.infer<typeof PermissionMap>;
export type CarrierSummaryT = z.infer<typeof CarrierSummary>;
export type CarrierListT = z.infer<typeof CarrierList>;
export type CarrierViewT = z.infer<typeof CarrierView>;
export type CarrierContentT = z.infer<typeof CarrierContent>;
export type OrganisationT = z.infer<typeof Organisation>;
export type PersonT = z.infer<typeof Person>;
export type ContractT = z.infer<typeof Contract>;
export type MessageViewT = z.infer<typeof MessageView>;
export type AuditPageT = z.infer<typeof AuditPage>;
export type AuditSearchPageT = z.infer<typeof AuditSearchPage>;
export type AuditSearchEntryT = z.infer<typeof AuditSearchEntry>;
export type AuditVerifyT = z.infer<typeof AuditVerify>;
export type TransferViewT = z.infer<typeof TransferView>;
export type DashboardT = z.infer<typeof Dashboard>;
export type ConsentViewT = z.infer<typeof ConsentView>;
export type ApiErrorT = z.infer<typeof ApiError>;
