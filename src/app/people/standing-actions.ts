// What a listing offers to do to a person's or a body's standing (A1.11, A4.2): decided by the same
// permission map the use cases of change-standing.ts and reset-password.ts check, and by the same
// states they change, so a button is shown exactly when the use case would go ahead. The use cases
// decide again when asked.
import { mayAct } from "../access/permissions.ts";
import type { Actor } from "../actor.ts";
import type { ClearanceChange } from "./change-standing.ts";

/** A clearance row as far as its standing goes: in force (`revoked_at` null), suspended or withdrawn. */
type StandingRow = { readonly revoked_at: string | null; readonly revocation: string | null };

/** Whether any of `rows` is suspended (A1.11: until reinstated). */
export function isSuspended(rows: readonly StandingRow[]): boolean {
  return rows.some((r) => r.revocation === "suspended");
}

/** A1.11, A4.2: the clearance changes the actor may make to an owner's `rows` now. */
export function clearanceActions(actor: Actor, rows: readonly StandingRow[]): ClearanceChange[] {
  if (!mayAct(actor, "changeClearance")) return [];
  const inForce = rows.some((r) => r.revoked_at === null);
  const suspended = isSuspended(rows);
  return [
    ...(inForce || suspended ? (["withdraw"] as const) : []),
    ...(inForce ? (["suspend"] as const) : []),
    ...(suspended ? (["reinstate"] as const) : []),
  ];
}

export type PersonActions = {
  readonly clearance: ClearanceChange[];
  /** The roles the actor may take from the person (an administrator keeps their own). */
  readonly removeRoles: string[];
  readonly deactivate: boolean;
  readonly resetPassword: boolean;
};

/** A4.2: what the actor may do to one person now. */
export function personActions(
  actor: Actor,
  person: {
    readonly id: string;
    readonly disabled: boolean;
    readonly roles: readonly string[];
    readonly hasAccount: boolean;
    readonly clearances: readonly StandingRow[];
  },
): PersonActions {
  const manages = mayAct(actor, "managePeople");
  const self = person.id === actor.personId;
  return {
    clearance: clearanceActions(actor, person.clearances),
    removeRoles: manages ? person.roles.filter((r) => !(self && r === "administrator")) : [],
    deactivate: manages && !self && !person.disabled,
    resetPassword: manages && !self && !person.disabled && person.hasAccount,
  };
}
