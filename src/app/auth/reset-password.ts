// A4.2: whoever manages the node's people (the administrator, permissions.ts) resets a person's
// password. The node makes a random one-time password, keeps only its argon2id hash, ends every
// session of the person, lifts a lock-out of their username, and marks the account so that the next
// sign-in sets a new password of the person's own before anything else (auth-service.ts). The
// one-time password is answered once, to the administrator; the audit entry never holds it.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import { requirePermission } from "../access/permissions.ts";
import type { AppContext } from "../context.ts";
import { findPerson } from "../refs.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { generateOneTimePassword } from "./account-password.ts";
import { createPasswordHasher, type PasswordHasher } from "./password.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a person's password was reset by an administrator (their sessions ended). */
    "auth.password-reset": AuditData | undefined;
  }
}

export type PasswordReset = {
  readonly person: string;
  readonly username: string;
  /** Shown once to the administrator; stored nowhere but as its hash. */
  readonly oneTimePassword: string;
  readonly sessionsEnded: number;
};

/** A4.2: resets `person`'s password to a one-time one; see the top of this file. */
export async function resetPassword(
  ctx: AppContext,
  input: { readonly actor: string; readonly person: string },
  deps: { readonly hasher?: PasswordHasher } = {},
): Promise<PasswordReset> {
  const oneTimePassword = generateOneTimePassword();
  // Hashed before the transaction: argon2id's work does not hold the database's write lock.
  const hash = await (deps.hasher ?? (await createPasswordHasher())).hashPassword(oneTimePassword);
  return executeUseCase(ctx, { actor: input.actor, action: "auth.password-reset" }, async (trx, actor) => {
    requirePermission(actor, "managePeople");
    const person = await findPerson(trx, input.person);
    if (person.id === actor.personId)
      throw new DomainError("INPUT_INVALID", {
        field: "person",
        problem: "an administrator changes their own password on their account page, not by a reset",
      });
    const account = await trx
      .selectFrom("auth_account")
      .select(["username", "disabled"])
      .where("person_id", "=", person.id)
      .executeTakeFirst();
    if (!account)
      throw new DomainError("INPUT_INVALID", { field: "person", problem: `${person.handle} has no sign-in` });
    if (person.disabled_at !== null || account.disabled)
      throw new DomainError("INPUT_INVALID", {
        field: "person",
        problem: `${person.handle} is deactivated and signs in no more`,
      });
    await trx
      .updateTable("auth_account")
      .set({ password_hash: hash, password_change_required: 1 })
      .where("person_id", "=", person.id)
      .execute();
    await trx.deleteFrom("auth_login_throttle").where("username", "=", account.username).execute();
    const ended = await trx.deleteFrom("auth_session").where("person_id", "=", person.id).executeTakeFirst();
    const sessionsEnded = Number(ended.numDeletedRows);
    await recordDone(trx, ctx, actor, {
      type: "auth.password-reset",
      object: { type: "person", id: person.id },
      articles: ["A4.2"],
      data: { sessionsEnded },
    });
    return { person: person.handle, username: account.username, oneTimePassword, sessionsEnded };
  });
}
