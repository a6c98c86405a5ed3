// A4.2: a signed-in person enrols a new second factor (TOTP, RFC 6238) on their account page. The
// node makes a new secret and keeps it sealed at rest exactly as the one in use (totp-seal.ts:
// AES-256-GCM under the node's TOTP key, the account bound as associated data), pending beside it;
// the person scans the otpauth:// URI (also as a QR code, drawn here as SVG) and proves the new
// secret with a code it gives now. Only then does it replace the old one, so a failed or abandoned
// enrolment leaves the second factor in use as it was. Both steps are audited; no secret is.
import QRCode from "qrcode";
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { createTotpSecret, matchTotp, totpUri } from "./totp.ts";
import { loadTotpSealKey, openTotpSecret, sealTotpSecret, type TotpSealKey } from "./totp-seal.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.2: a person started enrolling a new second factor (pending until confirmed). */
    "auth.totp-enrolment-started": AuditData | undefined;
    /** A4.2: a person confirmed a new second factor with a code; it replaced the old one. */
    "auth.totp-enrolled": AuditData | undefined;
  }
}

/** How long a started enrolment waits for its code. */
export const TOTP_ENROLMENT_MINUTES = 10;

export type TotpEnrolment = {
  /** The otpauth:// URI the authenticator app takes (it holds the secret: shown to the person only). */
  readonly uri: string;
  /** The same URI as a QR code, an SVG document. */
  readonly qrSvg: string;
  readonly expiresAt: string;
};

type Deps = { readonly sealKey?: TotpSealKey };

// The key the sign-in service opens secrets with: derived from the node's wrapping key.
function sealKeyOf(ctx: AppContext, deps: Deps): TotpSealKey {
  return deps.sealKey ?? loadTotpSealKey(ctx.dataDir);
}

async function ownAccount(trx: Trx, actor: Actor) {
  const account = await trx
    .selectFrom("auth_account")
    .select(["username", "totp_secret_sealed", "totp_pending_sealed", "totp_pending_at"])
    .where("person_id", "=", actor.personId)
    .executeTakeFirst();
  if (!account)
    throw new DomainError("INPUT_INVALID", { field: "person", problem: `${actor.handle} has no sign-in` });
  return account;
}

/** A4.2: starts enrolling a new second factor for the actor; see the top of this file. */
export async function startTotpEnrolment(
  ctx: AppContext,
  input: { readonly actor: string },
  deps: Deps = {},
): Promise<TotpEnrolment> {
  const key = sealKeyOf(ctx, deps);
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "auth.totp-enrolment-started" },
    async (trx, actor) => {
      const account = await ownAccount(trx, actor);
      const secret = createTotpSecret();
      const at = ctx.now();
      await trx
        .updateTable("auth_account")
        .set({
          totp_pending_sealed: sealTotpSecret(key, actor.personId, secret),
          totp_pending_at: toTimestamp(at),
        })
        .where("person_id", "=", actor.personId)
        .execute();
      const uri = totpUri(secret, `${ctx.config.party}:${account.username}`);
      const qrSvg = await QRCode.toString(uri, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
      await recordDone(trx, ctx, actor, {
        type: "auth.totp-enrolment-started",
        object: { type: "person", id: actor.personId },
        articles: ["A4.2"],
        data: { replacing: account.totp_secret_sealed !== null },
      });
      return {
        uri,
        qrSvg,
        expiresAt: new Date(at.getTime() + TOTP_ENROLMENT_MINUTES * 60_000).toISOString(),
      };
    },
  );
}

/** A4.2: confirms the pending second factor with a code it gives now; only then it replaces the old one. */
export async function confirmTotpEnrolment(
  ctx: AppContext,
  input: { readonly actor: string; readonly code: string },
  deps: Deps = {},
): Promise<{ readonly enrolled: true; readonly replaced: boolean }> {
  const key = sealKeyOf(ctx, deps);
  return executeUseCase(ctx, { actor: input.actor, action: "auth.totp-enrolled" }, async (trx, actor) => {
    const account = await ownAccount(trx, actor);
    const now = ctx.now();
    const none = () => new DomainError("TOTP_ENROLMENT_NONE", { minutes: TOTP_ENROLMENT_MINUTES });
    if (account.totp_pending_sealed === null || account.totp_pending_at === null) throw none();
    if (now.getTime() - Date.parse(account.totp_pending_at) > TOTP_ENROLMENT_MINUTES * 60_000) throw none();
    // Fail closed: a pending secret that does not open (another node key, altered) enrols nothing.
    const opened = openTotpSecret(key, actor.personId, account.totp_pending_sealed);
    if (!opened.ok) throw none();
    const step = matchTotp(opened.secret, input.code.trim(), now.getTime());
    if (step === undefined) throw new DomainError("TOTP_CODE_WRONG", {});
    await trx
      .updateTable("auth_account")
      .set({
        totp_secret_sealed: account.totp_pending_sealed,
        // The code just used is spent: it does not sign in too.
        totp_last_step: step,
        totp_pending_sealed: null,
        totp_pending_at: null,
      })
      .where("person_id", "=", actor.personId)
      .execute();
    const replaced = account.totp_secret_sealed !== null;
    await recordDone(trx, ctx, actor, {
      type: "auth.totp-enrolled",
      object: { type: "person", id: actor.personId },
      articles: ["A4.2"],
      data: { replaced },
    });
    return { enrolled: true as const, replaced };
  });
}
