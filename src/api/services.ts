import type { z } from "zod";
import type { Language } from "../domain/language.ts";
import type {
  AuditPage,
  AuditVerify,
  CarrierContent,
  CarrierList,
  CarrierListQuery,
  CarrierView,
  ChangeLevelInput,
  ConsentRequestInput,
  ConsentView,
  Contract,
  Dashboard,
  GrantNeedToKnowInput,
  MessageView,
  Organisation,
  Person,
  RegisterCarrierInput,
  TransferActionInput,
  TransferRequestInput,
  TransferView,
} from "./schemas.ts";

/** The signed-in user, loaded afresh on every request (a clearance change or disabling counts at once). */
export type Actor = {
  readonly personId: string;
  readonly username: string;
  readonly name: string;
  readonly organisationId: string;
  readonly organisationName: string;
  /** `competent-authority` or `authorized-body`. */
  readonly organisationKind: string;
  readonly party: string;
  readonly roles: readonly string[];
  /** The level of the person's valid personal clearance now, if any. */
  readonly clearanceLevel: string | null;
  readonly language: Language | null;
};

/**
 * What the API asks of the node: each method is a use case (or a read) that applies the rules and
 * writes its audit entry itself. The API adds only authentication, transport and presentation.
 */
export interface NodeServices {
  /** The person with a live account, or undefined when unknown or disabled. */
  loadActor(personId: string): Promise<Actor | undefined>;
  dashboard(actor: Actor): Promise<z.infer<typeof Dashboard>>;
  listCarriers(actor: Actor, query: z.infer<typeof CarrierListQuery>): Promise<z.infer<typeof CarrierList>>;
  /** Throws CARRIER_NOT_FOUND (or an ACCESS_* refusal, which the API answers as not found). */
  getCarrier(actor: Actor, id: string): Promise<z.infer<typeof CarrierView>>;
  readCarrierContent(actor: Actor, id: string): Promise<z.infer<typeof CarrierContent>>;
  /** A6.3, A6.4: the originator changes the level of its own carrier; holders are notified. */
  changeCarrierLevel(
    actor: Actor,
    id: string,
    input: z.infer<typeof ChangeLevelInput>,
  ): Promise<{ id: string }>;
  /**
   * A4.2: the custodian body's registry officer grants need-to-know to persons of that body. Throws
   * CARRIER_NOT_FOUND where the user may not see the carrier or does not keep its registry.
   */
  grantNeedToKnow(
    actor: Actor,
    id: string,
    input: z.infer<typeof GrantNeedToKnowInput>,
  ): Promise<{ granted: string[] }>;
  /** A6.2: registers an own carrier in the actor's body's registry. */
  registerCarrier(actor: Actor, input: z.infer<typeof RegisterCarrierInput>): Promise<{ id: string }>;
  listOrganisations(actor: Actor): Promise<z.infer<typeof Organisation>[]>;
  listPeople(actor: Actor): Promise<z.infer<typeof Person>[]>;
  listContracts(actor: Actor): Promise<z.infer<typeof Contract>[]>;
  listMessages(actor: Actor): Promise<z.infer<typeof MessageView>[]>;
  listAudit(actor: Actor, after: string | undefined): Promise<z.infer<typeof AuditPage>>;
  verifyAudit(actor: Actor): Promise<z.infer<typeof AuditVerify>>;
  listTransfers(actor: Actor): Promise<z.infer<typeof TransferView>[]>;
  requestTransfer(actor: Actor, input: z.infer<typeof TransferRequestInput>): Promise<{ id: string }>;
  actOnTransfer(
    actor: Actor,
    id: string,
    action: string,
    input: z.infer<typeof TransferActionInput>,
  ): Promise<{ id: string }>;
  listConsents(actor: Actor): Promise<z.infer<typeof ConsentView>[]>;
  /** A6.7: the holder asks the originator's written consent (refused as not found without access). */
  requestConsent(
    actor: Actor,
    carrierId: string,
    input: z.infer<typeof ConsentRequestInput>,
  ): Promise<{ id: string }>;
  actOnConsent(actor: Actor, id: string, action: string, reason: string | undefined): Promise<{ id: string }>;
}
