// A4.2: a signed-in person's own sign-in account as their account page shows it: the username,
// whether a second factor is in use or being enrolled, when they last set their password, and the
// node's password policy. No hash and no secret leaves the store. One audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { TOTP_ENROLMENT_MINUTES } from "./enrol-totp.ts";
import { MIN_PASSWORD_LENGTH } from "./password.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "auth.account-viewed": AuditData | undefined;
  }
}

export type AccountView = {
  readonly username: string;
  readonly totpEnrolled: boolean;
  /** A started enrolment still waiting for its code, or false. */
  readonly totpPending: boolean;
  readonly passwordChangedAt: string | null;
  readonly passwordMinLength: number;
};

export async function showAccount(ctx: AppContext, input: { readonly actor: string }): Promise<AccountView> {
  return executeUseCase(ctx, { actor: input.actor, action: "auth.account-viewed" }, async (trx, actor) => {
    const account = await trx
      .selectFrom("auth_account")
      .select(["username", "totp_secret_sealed", "totp_pending_at", "password_changed_at"])
      .where("person_id", "=", actor.personId)
      .executeTakeFirst();
    if (!account)
      throw new DomainError("INPUT_INVALID", { field: "person", problem: `${actor.handle} has no sign-in` });
    await recordDone(trx, ctx, actor, {
      type: "auth.account-viewed",
      outcome: "allowed",
      object: { type: "person", id: actor.personId },
      articles: ["A4.2"],
    });
    const pendingSince = account.totp_pending_at ? Date.parse(account.totp_pending_at) : null;
    return {
      username: account.username,
      totpEnrolled: account.totp_secret_sealed !== null,
      totpPending:
        pendingSince !== null && ctx.now().getTime() - pendingSince <= TOTP_ENROLMENT_MINUTES * 60_000,
      passwordChangedAt: account.password_changed_at,
      passwordMinLength: MIN_PASSWORD_LENGTH,
    };
  });
}
