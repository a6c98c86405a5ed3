// A1.11, A4.2: a person's or a body's standing changes: the competent authority withdraws a
// clearance (for good), suspends it, or reinstates a suspended one; the administrator removes a role
// or deactivates a person (their sessions end at once). A withdrawn or suspended clearance has
// `revoked_at` set, which every reader of clearances checks, so access follows at once everywhere.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import { requirePermission } from "../access/permissions.ts";
import { isRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { findOrganisation, findPerson } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A1.11, A4.2: a personal clearance was withdrawn, suspended or reinstated. */
    "person.clearance-withdrawn": AuditData | undefined;
    "person.clearance-suspended": AuditData | undefined;
    "person.clearance-reinstated": AuditData | undefined;
    /** A1.11: a facility clearance was suspended or reinstated (withdrawn: facility-clearance.revoked). */
    "facility-clearance.suspended": AuditData | undefined;
    "facility-clearance.reinstated": AuditData | undefined;
    /** A4.2: a role was removed from a person. */
    "person.role-removed": AuditData | undefined;
  }
}

export type ClearanceChange = "withdraw" | "suspend" | "reinstate";
type Table = "personal_clearances" | "facility_clearances";

/** Applies `change` to the owner's clearances; returns how many changed. */
async function changeClearances(
  trx: Trx,
  ctx: AppContext,
  table: Table,
  owner: { column: "person_id" | "organisation_id"; id: string },
  change: ClearanceChange,
): Promise<number> {
  const at = toTimestamp(ctx.now());
  const query =
    change === "reinstate"
      ? trx
          .updateTable(table)
          .set({ revoked_at: null, revocation: null })
          .where("revocation", "=", "suspended")
      : trx
          .updateTable(table)
          .set({ revoked_at: at, revocation: change === "withdraw" ? "withdrawn" : "suspended" })
          .where((eb) =>
            change === "withdraw"
              ? eb.or([eb("revoked_at", "is", null), eb("revocation", "=", "suspended")])
              : eb("revoked_at", "is", null),
          );
  const result = await query.where(owner.column, "=", owner.id).executeTakeFirst();
  const changed = Number(result.numUpdatedRows);
  if (changed === 0)
    throw new DomainError("INPUT_INVALID", {
      field: "clearance",
      problem:
        change === "reinstate"
          ? "no suspended clearance to reinstate"
          : "no clearance in force to withdraw or suspend",
    });
  return changed;
}

const PERSON_EVENT = {
  withdraw: "person.clearance-withdrawn",
  suspend: "person.clearance-suspended",
  reinstate: "person.clearance-reinstated",
} as const;

/** A1.11, A4.2: the competent authority withdraws, suspends or reinstates a person's clearance. */
export async function changePersonalClearance(
  ctx: AppContext,
  input: {
    readonly actor: string;
    readonly person: string;
    readonly change: ClearanceChange;
    readonly reason?: string;
  },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: PERSON_EVENT[input.change] },
    async (trx, actor) => {
      requirePermission(actor, "changeClearance");
      const person = await findPerson(trx, input.person);
      const changed = await changeClearances(
        trx,
        ctx,
        "personal_clearances",
        { column: "person_id", id: person.id },
        input.change,
      );
      await recordDone(trx, ctx, actor, {
        type: PERSON_EVENT[input.change],
        object: { type: "person", id: person.id },
        articles: ["A1.11", "A4.2"],
        data: { clearances: changed, reason: input.reason?.trim() || null },
      });
      return { person: person.handle, change: input.change, clearances: changed };
    },
  );
}

const FACILITY_EVENT = {
  withdraw: "facility-clearance.revoked",
  suspend: "facility-clearance.suspended",
  reinstate: "facility-clearance.reinstated",
} as const;

/** A1.11: the competent authority withdraws, suspends or reinstates a body's facility clearance. */
export async function changeFacilityClearance(
  ctx: AppContext,
  input: {
    readonly actor: string;
    readonly organisation: string;
    readonly change: ClearanceChange;
    readonly reason?: string;
  },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: FACILITY_EVENT[input.change] },
    async (trx, actor) => {
      requirePermission(actor, "changeClearance");
      const org = await findOrganisation(trx, input.organisation);
      const changed = await changeClearances(
        trx,
        ctx,
        "facility_clearances",
        { column: "organisation_id", id: org.id },
        input.change,
      );
      await recordDone(trx, ctx, actor, {
        type: FACILITY_EVENT[input.change],
        object: { type: "organisation", id: org.id },
        articles: ["A1.11", "A4.2"],
        data: { clearances: changed, reason: input.reason?.trim() || null },
      });
      return { organisation: org.name, change: input.change, clearances: changed };
    },
  );
}

/** A4.2: the administrator removes a role from a person; removing one not held changes nothing. */
export async function removeRole(
  ctx: AppContext,
  input: { readonly actor: string; readonly person: string; readonly role: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "person.role-removed" }, async (trx, actor) => {
    requirePermission(actor, "managePeople");
    if (!isRole(input.role))
      throw new DomainError("INPUT_INVALID", { field: "role", problem: `unknown role ${input.role}` });
    const person = await findPerson(trx, input.person);
    if (person.id === actor.personId && input.role === "administrator")
      throw new DomainError("INPUT_INVALID", {
        field: "role",
        problem: "an administrator does not remove their own role",
      });
    const removed = Number(
      (
        await trx
          .deleteFrom("person_roles")
          .where("person_id", "=", person.id)
          .where("role", "=", input.role)
          .executeTakeFirst()
      ).numDeletedRows,
    );
    if (removed > 0)
      await recordDone(trx, ctx, actor, {
        type: "person.role-removed",
        object: { type: "person", id: person.id },
        articles: ["A4.2"],
        data: { role: input.role },
      });
    return { person: person.handle, role: input.role, changed: removed > 0 };
  });
}

/** A4.2: the administrator deactivates a person: they sign in no more and their sessions end now. */
export async function deactivatePerson(
  ctx: AppContext,
  input: { readonly actor: string; readonly person: string; readonly reason?: string },
) {
  return executeUseCase(ctx, { actor: input.actor, action: "person.disabled" }, async (trx, actor) => {
    requirePermission(actor, "managePeople");
    const person = await findPerson(trx, input.person);
    if (person.id === actor.personId)
      throw new DomainError("INPUT_INVALID", {
        field: "person",
        problem: "an administrator does not deactivate themselves",
      });
    const already = person.disabled_at !== null;
    if (!already) {
      await trx
        .updateTable("people")
        .set({ disabled_at: toTimestamp(ctx.now()) })
        .where("id", "=", person.id)
        .execute();
      await trx.deleteFrom("auth_session").where("person_id", "=", person.id).execute();
      await recordDone(trx, ctx, actor, {
        type: "person.disabled",
        object: { type: "person", id: person.id },
        articles: ["A4.2"],
        data: { reason: input.reason?.trim() || null },
      });
    }
    return { person: person.handle, changed: !already };
  });
}
