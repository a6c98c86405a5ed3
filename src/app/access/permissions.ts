// Which parts of the node a role works in: the hints the UI follows to show or hide menus and
// buttons. They decide nothing: every use case checks its own roles, the visibility rule and the
// object's state, and records its decision.
import { type Actor, type Role, requireRole } from "../actor.ts";
import type { SessionActor } from "../auth/session-actor.ts";

export const PERMISSIONS = [
  "viewRegistry",
  "registerCarrier",
  "viewTransfers",
  "requestTransfer",
  "decideConsent",
  "confirmFacilityClearance",
  "receiveCarrier",
  "viewContracts",
  "viewOrganisations",
  "viewPeople",
  "viewMessages",
  "viewAudit",
  "verifyAudit",
  "viewConsents",
  "grantNeedToKnow",
  "viewVisits",
  "requestVisit",
  "decideVisit",
  "hostVisit",
  "viewBreaches",
  "reportBreach",
  "investigateBreach",
  "viewAgreement",
  "notifyAgreement",
  "writeAuthorityLetters",
  "importPredecessorRecords",
  /** A1.11, A4.2: withdraw, suspend or reinstate personal and facility clearances. */
  "changeClearance",
  /** A4.2: remove roles, deactivate people, reset their passwords. */
  "managePeople",
] as const;
export type Permission = (typeof PERMISSIONS)[number];
export type PermissionMap = Record<Permission, boolean>;

/** Which role works in which part of the node (object-level rules are the use cases'). */
const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  "competent-authority-officer": [
    "viewRegistry",
    "viewTransfers",
    "decideConsent",
    "confirmFacilityClearance",
    "viewContracts",
    "viewOrganisations",
    "viewPeople",
    "viewMessages",
    "viewConsents",
    "viewVisits",
    "requestVisit",
    "decideVisit",
    "viewBreaches",
    "reportBreach",
    "investigateBreach",
    "viewAgreement",
    "notifyAgreement",
    "viewAudit",
    "verifyAudit",
    "writeAuthorityLetters",
    "importPredecessorRecords",
    "changeClearance",
  ],
  "registry-officer": [
    "viewRegistry",
    "registerCarrier",
    "viewTransfers",
    "requestTransfer",
    "receiveCarrier",
    "viewContracts",
    "viewOrganisations",
    "viewMessages",
    "viewConsents",
    "grantNeedToKnow",
    "viewVisits",
    "hostVisit",
    "viewBreaches",
    "reportBreach",
    "viewAgreement",
    "importPredecessorRecords",
  ],
  "cleared-user": ["viewRegistry", "viewContracts"],
  auditor: ["viewAudit", "verifyAudit", "viewOrganisations", "viewVisits", "viewBreaches", "viewAgreement"],
  // An administrator sees no classified content by that role alone (ARCHITECTURE.md).
  administrator: ["viewOrganisations", "viewPeople", "viewAgreement", "managePeople"],
};

/** Whether any of the actor's roles works in `permission`'s part of the node. */
export function can(actor: Pick<SessionActor, "roles">, permission: Permission): boolean {
  return actor.roles.some((role) => (ROLE_PERMISSIONS[role as Role] ?? []).includes(permission));
}

/** The permission map sent to the UI. */
export function permissionMap(actor: Pick<SessionActor, "roles">): PermissionMap {
  return Object.fromEntries(PERMISSIONS.map((k) => [k, can(actor, k)])) as PermissionMap;
}

/**
 * Refuses (ROLE_FORBIDDEN) unless one of the actor's roles works in `permission`: the check of the
 * use cases that follow this map, so that the buttons the UI shows and the server's answer agree.
 */
export function requirePermission(actor: Actor, permission: Permission): void {
  requireRole(
    actor,
    ...(Object.keys(ROLE_PERMISSIONS) as Role[]).filter((role) =>
      ROLE_PERMISSIONS[role].includes(permission),
    ),
  );
}

/** Whether the use case's actor may act in `permission`'s part (what a listing offers as actions). */
export function mayAct(actor: Actor, permission: Permission): boolean {
  return can({ roles: [...actor.roles] }, permission);
}
