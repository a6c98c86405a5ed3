import type { z } from "zod";
import type { PermissionMap } from "./schemas.ts";
import type { Actor } from "./services.ts";

/** Roles of a node (ARCHITECTURE.md, people and roles). */
export const ROLES = [
  "competent-authority-officer",
  "registry-officer",
  "cleared-user",
  "auditor",
  "administrator",
] as const;
export type Role = (typeof ROLES)[number];

export type Permission = keyof z.infer<typeof PermissionMap>;

/**
 * Which role may use which part of the node: the one place the API and the UI take it from (the UI
 * receives the map and shows only what it allows). Object-level rules (the access decision, a
 * transfer's state) are decided per object by the use cases and sent with the object.
 */
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
  ],
  "cleared-user": ["viewRegistry", "viewContracts"],
  auditor: ["viewAudit", "verifyAudit", "viewOrganisations"],
  // An administrator sees no classified content by that role alone (ARCHITECTURE.md).
  administrator: ["viewOrganisations", "viewPeople"],
};

/** Whether any of the actor's roles grants `permission`. */
export function can(actor: Actor, permission: Permission): boolean {
  return actor.roles.some((role) => (ROLE_PERMISSIONS[role as Role] ?? []).includes(permission));
}

/** The permission map sent to the UI. */
export function permissionMap(actor: Actor): z.infer<typeof PermissionMap> {
  const keys: Permission[] = [
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
  ];
  return Object.fromEntries(keys.map((k) => [k, can(actor, k)])) as z.infer<typeof PermissionMap>;
}
