// A4.2: sign-in accounts: the signed-in person's own (their account page: password, second factor)
// and the administrator's password reset. Each route parses, calls one use case and maps its result;
// the use cases decide and audit.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { changeOwnPassword } from "../../app/auth/change-password.ts";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../app/auth/enrol-totp.ts";
import { resetPassword } from "../../app/auth/reset-password.ts";
import { showAccount } from "../../app/auth/show-account.ts";
import { defineRoute } from "../http/define-route.ts";
import { IdParams } from "../schemas.ts";
import type { RouteDeps } from "./index.ts";

export const AccountView = z.object({
  username: z.string(),
  totpEnrolled: z.boolean(),
  totpPending: z.boolean(),
  passwordChangedAt: z.string().nullable(),
  passwordMinLength: z.number(),
});
export const TotpEnrolmentView = z.object({ uri: z.string(), qrSvg: z.string(), expiresAt: z.string() });
export const PasswordResetView = z.object({
  person: z.string(),
  username: z.string(),
  oneTimePassword: z.string(),
  sessionsEnded: z.number(),
});
export type AccountViewT = z.infer<typeof AccountView>;
export type TotpEnrolmentViewT = z.infer<typeof TotpEnrolmentView>;
export type PasswordResetViewT = z.infer<typeof PasswordResetView>;

export function registerAccountRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx, auth } = deps;

  defineRoute(
    app,
    {
      method: "GET",
      url: "/api/account",
      summary: "A4.2: the signed-in person's own sign-in account (second factor, password policy)",
      tags: ["auth"],
      response: AccountView,
    },
    ({ actor }) => showAccount(ctx, { actor: actor.personId }),
  );

  defineRoute(
    app,
    {
      method: "PUT",
      url: "/api/account/password",
      summary:
        "A4.2: change one's own password (the current one, then the new one); the other sessions end; audited",
      tags: ["auth"],
      body: z.object({ current: z.string().min(1).max(1000), next: z.string().min(1).max(1000) }),
      response: z.object({ changed: z.literal(true), otherSessionsEnded: z.number() }),
    },
    ({ actor, body, request }) =>
      changeOwnPassword(
        ctx,
        {
          actor: actor.personId,
          current: body.current,
          next: body.next,
          ...(request.session ? { keepSession: request.session.idHash } : {}),
        },
        { hasher: auth.hasher },
      ),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/account/totp",
      summary:
        "A4.2: start enrolling a new second factor: a new secret, sealed and pending, as an otpauth:// URI and a QR code (SVG)",
      tags: ["auth"],
      body: z.object({}).optional(),
      response: TotpEnrolmentView,
    },
    ({ actor }) => startTotpEnrolment(ctx, { actor: actor.personId }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/account/totp/confirm",
      summary:
        "A4.2: confirm the pending second factor with a current code; only then it replaces the old one",
      tags: ["auth"],
      body: z.object({ code: z.string().min(1).max(12) }),
      response: z.object({ enrolled: z.literal(true), replaced: z.boolean() }),
    },
    ({ actor, body }) => confirmTotpEnrolment(ctx, { actor: actor.personId, code: body.code }),
  );

  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/people/:id/password-reset",
      summary:
        "A4.2: reset a person's password (administrator): a one-time password answered once, their sessions ended, a new password asked at their next sign-in",
      tags: ["directory"],
      params: IdParams,
      body: z.object({}).optional(),
      response: PasswordResetView,
    },
    ({ actor, params }) =>
      resetPassword(ctx, { actor: actor.personId, person: params.id }, { hasher: auth.hasher }),
  );
}
