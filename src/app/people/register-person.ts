import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import { isRole, type Role, requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { findOrganisation } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

export type RegisterPersonInput = {
  readonly actor: string;
  readonly organisation: string;
  /** Short name used to act (`--as`), unique regardless of letter case; letters, digits, `.`, `-`, `_`. */
  readonly handle: string;
  readonly name: string;
  readonly roles?: readonly string[];
};

/** Registers a user of one of the node's organisations, with roles (administrator). */
export async function registerPerson(ctx: AppContext, input: RegisterPersonInput) {
  return executeUseCase(ctx, { actor: input.actor, action: "person.created" }, async (trx, actor) => {
    requireRole(actor, "administrator");
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(input.handle)) {
      throw new DomainError("INPUT_INVALID", { field: "handle", problem: "use 1–64 letters, digits, . - _" });
    }
    const name = input.name.trim();
    if (name.length === 0) throw new DomainError("INPUT_INVALID", { field: "name", problem: "empty" });
    const roles = [...new Set(input.roles ?? [])];
    for (const role of roles) {
      if (!isRole(role))
        throw new DomainError("INPUT_INVALID", { field: "role", problem: `unknown role ${role}` });
    }
    const organisation = await findOrganisation(trx, input.organisation);
    // A4.2: a handle names one person, whatever its letter case (also held by the unique index on
    // lower(handle), migration 0005): `ALICE` is refused while `alice` exists.
    const taken = await trx
      .selectFrom("people")
      .select("handle")
      .where((eb) => eb(eb.fn("lower", ["handle"]), "=", input.handle.toLowerCase()))
      .executeTakeFirst();
    if (taken) throw new DomainError("PERSON_HANDLE_TAKEN", { handle: input.handle, taken: taken.handle });
    const now = toTimestamp(ctx.now());
    const row = {
      id: ctx.newId(),
      organisation_id: organisation.id,
      handle: input.handle,
      name,
      created_at: now,
      disabled_at: null,
    };
    await trx.insertInto("people").values(row).execute();
    if (roles.length > 0) {
      await trx
        .insertInto("person_roles")
        .values(roles.map((role) => ({ person_id: row.id, role, granted_at: now })))
        .execute();
    }
    await recordDone(trx, ctx, actor, {
      type: "person.created",
      object: { type: "person", id: row.id },
      data: { handle: row.handle, organisation: organisation.id, roles },
    });
    return { ...row, organisation: organisation.name, roles: roles as Role[] };
  });
}
