// A4.2: a signed-in person changes their own password: the current one proves it is them (a wrong
// one is a refusal, audited), the new one meets the node's policy (account-password.ts). Their other
// sessions end; the one they changed it from goes on.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { checkNewPassword, storeOwnPassword } from "./account-password.ts";
import { createPasswordHasher, type PasswordHasher } from "./password.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a person set a new password of their own (on their account page, or at sign-in after a reset). */
    "auth.password-changed": AuditData | undefined;
  }
}

/** A4.2: changes the actor's own password; see the top of this file. */
export async function changeOwnPassword(
  ctx: AppContext,
  input: {
    readonly actor: string;
    readonly current: string;
    readonly next: string;
    /** The session the change is made from (its id hash), which goes on; every other one ends. */
    readonly keepSession?: string;
  },
  deps: { readonly hasher?: PasswordHasher } = {},
): Promise<{ readonly changed: true; readonly otherSessionsEnded: number }> {
  checkNewPassword(input.next, input.current);
  const hasher = deps.hasher ?? (await createPasswordHasher());
  const hash = await hasher.hashPassword(input.next);
  return executeUseCase(ctx, { actor: input.actor, action: "auth.password-changed" }, async (trx, actor) => {
    const account = await trx
      .selectFrom("auth_account")
      .select(["password_hash"])
      .where("person_id", "=", actor.personId)
      .executeTakeFirst();
    if (!account)
      throw new DomainError("INPUT_INVALID", { field: "person", problem: `${actor.handle} has no sign-in` });
    if (!(await hasher.verifyPassword(account.password_hash, input.current)))
      throw new DomainError("PASSWORD_CURRENT_WRONG", {});
    await storeOwnPassword(trx, actor.personId, hash, ctx.now());
    let others = trx.deleteFrom("auth_session").where("person_id", "=", actor.personId);
    if (input.keepSession) others = others.where("id_hash", "!=", input.keepSession);
    const ended = Number((await others.executeTakeFirst()).numDeletedRows);
    await recordDone(trx, ctx, actor, {
      type: "auth.password-changed",
      object: { type: "person", id: actor.personId },
      articles: ["A4.2"],
      data: { otherSessionsEnded: ended },
    });
    return { changed: true as const, otherSessionsEnded: ended };
  });
}
