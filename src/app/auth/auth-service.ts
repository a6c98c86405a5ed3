import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { AuditData } from "../../audit/entry.ts";
import { DomainError } from "../../domain/errors.ts";
import type { AuthTables } from "../../store/auth-tables.ts";
import type { Database } from "../../store/schema.ts";
import { withTransaction } from "../../store/transaction.ts";
import { recordAudit } from "../record-audit.ts";
import { checkNewPassword, storeOwnPassword } from "./account-password.ts";
import type { PasswordHasher } from "./password.ts";
import { matchTotp } from "./totp.ts";
import { openTotpSecret, sealTotpSecret, type TotpSealKey } from "./totp-seal.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A person signed in (password and, in production, one-time code), A4.2. */
    "auth.signed-in": AuditData | undefined;
    /** A sign-in was refused (the reason is kept here, never told to the caller), A4.2. */
    "auth.sign-in-refused": AuditData | undefined;
    "auth.signed-out": AuditData | undefined;
  }
}

export type AuthPolicy = {
  /** A session unused this long is over. */
  idleMs: number;
  /** A session is over this long after login, used or not. */
  absoluteMs: number;
  /** Failed logins for one username before it is locked. */
  maxFailures: number;
  lockMs: number;
  /** Production: every account needs a second factor. Demo mode may relax it for demo accounts. */
  requireTotp: boolean;
};

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  idleMs: 15 * 60_000,
  absoluteMs: 8 * 3_600_000,
  maxFailures: 5,
  lockMs: 15 * 60_000,
  requireTotp: true,
};

export type SessionInfo = { personId: string; csrfToken: string; idHash: string };

export type LoginResult = { token: string; csrfToken: string; personId: string };

type AnyDb = Kysely<AuthTables>;
type FullDb = Kysely<Database>;

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Normalises a username as typed, so "Officer" and "officer " are one account and one throttle row. */
export function normaliseUsername(username: string): string {
  return username.normalize("NFC").trim().toLowerCase();
}

/** Compares two strings in constant time (for CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export class AuthService {
  readonly #db: AnyDb;
  readonly #full: FullDb;
  readonly #totpKey: TotpSealKey;

  constructor(
    db: Kysely<never> | Kysely<AuthTables>,
    readonly hasher: PasswordHasher,
    /** Seals TOTP secrets at rest (`loadTotpSealKey(dataDir)`): the database never holds them in clear. */
    totpKey: TotpSealKey,
    readonly policy: AuthPolicy = DEFAULT_AUTH_POLICY,
    readonly now: () => number = Date.now,
  ) {
    this.#db = db as unknown as AnyDb;
    this.#full = db as unknown as FullDb;
    this.#totpKey = totpKey;
  }

  /** Creates login credentials for a person. */
  async createAccount(input: {
    personId: string;
    username: string;
    password: string;
    totpSecret?: string | null;
    isDemo?: boolean;
    language?: string | null;
  }): Promise<void> {
    await this.#db
      .insertInto("auth_account")
      .values({
        person_id: input.personId,
        username: normaliseUsername(input.username),
        password_hash: await this.hasher.hashPassword(input.password),
        // Sealed with the account id as associated data (A4.2: a stolen database yields no second factor).
        totp_secret_sealed: input.totpSecret
          ? sealTotpSecret(this.#totpKey, input.personId, input.totpSecret)
          : null,
        totp_last_step: 0,
        disabled: 0,
        is_demo: input.isDemo ? 1 : 0,
        language: input.language ?? null,
        created_at: new Date(this.now()).toISOString(),
      })
      .execute();
  }

  async findAccountByPerson(personId: string) {
    return this.#db
      .selectFrom("auth_account")
      .selectAll()
      .where("person_id", "=", personId)
      .executeTakeFirst();
  }

  async setDisabled(personId: string, disabled: boolean): Promise<void> {
    await this.#db
      .updateTable("auth_account")
      .set({ disabled: disabled ? 1 : 0 })
      .where("person_id", "=", personId)
      .execute();
    if (disabled) await this.#db.deleteFrom("auth_session").where("person_id", "=", personId).execute();
  }

  async setLanguage(personId: string, language: string): Promise<void> {
    await this.#db.updateTable("auth_account").set({ language }).where("person_id", "=", personId).execute();
  }

  async countDemoAccounts(): Promise<number> {
    const row = await this.#db
      .selectFrom("auth_account")
      .select((eb) => eb.fn.countAll<string | number>().as("n"))
      .where("is_demo", "=", 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Logs in with password and TOTP in one step. Every failure, whatever its cause (unknown user,
   * wrong password, wrong or replayed code, disabled account), gives the same AUTH_FAILED after the
   * same argon2id work. A username (existing or not) is locked after `maxFailures` failures.
   * After a password reset (A4.2) the right password and code open no session but answer
   * PASSWORD_CHANGE_REQUIRED, spending neither the code nor a failure; signing in again with
   * `newPassword` sets it (the node's policy, account-password.ts) and opens the session.
   */
  async login(
    username: string,
    password: string,
    totp: string | undefined,
    previousToken?: string,
    newPassword?: string,
  ): Promise<LoginResult> {
    const name = normaliseUsername(username);
    const now = this.now();
    const throttle = await this.#db
      .selectFrom("auth_login_throttle")
      .selectAll()
      .where("username", "=", name)
      .executeTakeFirst();
    const account = await this.#db
      .selectFrom("auth_account")
      .selectAll()
      .where("username", "=", name)
      .executeTakeFirst();
    const passwordOk = await this.hasher.verifyPassword(account?.password_hash, password);
    if (throttle && Number(throttle.locked_until) > now) {
      await withTransaction(this.#full, async (trx) =>
        recordAudit(
          trx,
          { now: () => new Date(now) },
          {
            actor: account?.person_id ?? `unknown:${name.slice(0, 64)}`,
            organisation: account ? await this.#organisationOf(trx, account.person_id) : null,
            type: "auth.sign-in-refused",
            object: null,
            outcome: "refused",
            articles: ["A4.2"],
            data: { reason: "locked" },
          },
        ),
      );
      throw new DomainError("AUTH_LOCKED", {});
    }
    let ok = passwordOk && account !== undefined && account.disabled === 0;
    let step: number | undefined;
    let unreadable: string | undefined;
    if (ok && account) {
      if (account.totp_secret_sealed) {
        const opened = openTotpSecret(this.#totpKey, account.person_id, account.totp_secret_sealed);
        if (opened.ok) {
          step = matchTotp(opened.secret, (totp ?? "").trim(), now);
          ok = step !== undefined && step > Number(account.totp_last_step);
        } else {
          // Fail closed: a secret sealed for another account or by another node key is no second factor.
          unreadable = `second-factor-unreadable:${opened.problem}`;
          ok = false;
        }
      } else if (this.policy.requireTotp) {
        ok = false;
      }
    }
    if (!ok || !account) {
      const why = !account
        ? "unknown-user"
        : !passwordOk
          ? "wrong-password"
          : account.disabled
            ? "disabled"
            : (unreadable ?? "second-factor");
      await this.#recordFailure(name, throttle?.failures ?? 0, now, why, account?.person_id);
      throw new DomainError("AUTH_FAILED", {});
    }
    let newHash: string | undefined;
    if (account.password_change_required) {
      if (newPassword === undefined) {
        await withTransaction(this.#full, async (trx) =>
          recordAudit(
            trx,
            { now: () => new Date(now) },
            {
              actor: account.person_id,
              organisation: await this.#organisationOf(trx, account.person_id),
              type: "auth.sign-in-refused",
              object: null,
              outcome: "refused",
              articles: ["A4.2"],
              data: { reason: "password-change-required" },
            },
          ),
        );
        throw new DomainError("PASSWORD_CHANGE_REQUIRED", {});
      }
      checkNewPassword(newPassword, password);
      newHash = await this.hasher.hashPassword(newPassword);
    }
    // Rotation: whatever session the browser had is ended; the new one has a fresh id.
    if (previousToken) await this.logout(previousToken);
    const token = randomBytes(32).toString("base64url");
    const csrfToken = randomBytes(32).toString("base64url");
    await withTransaction(this.#full, async (trx) => {
      const t = trx as unknown as AnyDb;
      if (throttle) await t.deleteFrom("auth_login_throttle").where("username", "=", name).execute();
      if (step !== undefined) {
        await t
          .updateTable("auth_account")
          .set({ totp_last_step: step })
          .where("person_id", "=", account.person_id)
          .execute();
      }
      if (newHash !== undefined) {
        await storeOwnPassword(trx, account.person_id, newHash, new Date(now));
        await recordAudit(
          trx,
          { now: () => new Date(now) },
          {
            actor: account.person_id,
            organisation: await this.#organisationOf(trx, account.person_id),
            type: "auth.password-changed",
            object: { type: "person", id: account.person_id },
            outcome: "done",
            articles: ["A4.2"],
            data: { atSignIn: true },
          },
        );
      }
      await t
        .insertInto("auth_session")
        .values({
          id_hash: hashToken(token),
          person_id: account.person_id,
          csrf_token: csrfToken,
          created_at: now,
          last_seen_at: now,
          absolute_expires_at: now + this.policy.absoluteMs,
        })
        .execute();
      await recordAudit(
        trx,
        { now: () => new Date(now) },
        {
          actor: account.person_id,
          organisation: await this.#organisationOf(trx, account.person_id),
          type: "auth.signed-in",
          object: null,
          outcome: "done",
          articles: ["A4.2"],
          data: { secondFactor: step !== undefined },
        },
      );
    });
    return { token, csrfToken, personId: account.person_id };
  }

  async #organisationOf(db: FullDb, personId: string): Promise<string | null> {
    const row = await db
      .selectFrom("people")
      .select("organisation_id")
      .where("id", "=", personId)
      .executeTakeFirst();
    return row?.organisation_id ?? null;
  }

  async #recordFailure(
    name: string,
    failures: number,
    now: number,
    why: string,
    personId: string | undefined,
  ): Promise<void> {
    const next = failures + 1;
    const lockedUntil = next >= this.policy.maxFailures ? now + this.policy.lockMs : 0;
    await withTransaction(this.#full, async (trx) => {
      const t = trx as unknown as AnyDb;
      const updated = await t
        .updateTable("auth_login_throttle")
        .set({ failures: lockedUntil ? 0 : next, locked_until: lockedUntil })
        .where("username", "=", name)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) {
        await t
          .insertInto("auth_login_throttle")
          .values({ username: name, failures: lockedUntil ? 0 : next, locked_until: lockedUntil })
          .execute();
      }
      // The audit log keeps why (the caller is told only AUTH_FAILED) and whether the name is now locked.
      await recordAudit(
        trx,
        { now: () => new Date(now) },
        {
          actor: personId ?? `unknown:${name.slice(0, 64)}`,
          organisation: personId ? await this.#organisationOf(trx, personId) : null,
          type: "auth.sign-in-refused",
          object: null,
          outcome: "refused",
          articles: ["A4.2"],
          data: { reason: why, locked: lockedUntil > 0 },
        },
      );
    });
  }

  /** Returns the live session for a cookie value, touching it; an expired one is deleted. */
  async resolve(token: string | undefined): Promise<SessionInfo | undefined> {
    if (!token || token.length > 200) return undefined;
    const idHash = hashToken(token);
    const row = await this.#db
      .selectFrom("auth_session")
      .selectAll()
      .where("id_hash", "=", idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    const now = this.now();
    if (now - Number(row.last_seen_at) > this.policy.idleMs || now >= Number(row.absolute_expires_at)) {
      await this.#db.deleteFrom("auth_session").where("id_hash", "=", idHash).execute();
      return undefined;
    }
    if (now - Number(row.last_seen_at) > 15_000) {
      await this.#db
        .updateTable("auth_session")
        .set({ last_seen_at: now })
        .where("id_hash", "=", idHash)
        .execute();
    }
    return { personId: row.person_id, csrfToken: row.csrf_token, idHash };
  }

  /** Ends the session of `token` at the user's request, audited. */
  async signOut(token: string): Promise<void> {
    const session = await this.#db
      .selectFrom("auth_session")
      .select("person_id")
      .where("id_hash", "=", hashToken(token))
      .executeTakeFirst();
    await withTransaction(this.#full, async (trx) => {
      await (trx as unknown as AnyDb)
        .deleteFrom("auth_session")
        .where("id_hash", "=", hashToken(token))
        .execute();
      if (session) {
        await recordAudit(
          trx,
          { now: () => new Date(this.now()) },
          {
            actor: session.person_id,
            organisation: await this.#organisationOf(trx, session.person_id),
            type: "auth.signed-out",
            object: null,
            outcome: "done",
            articles: [],
            data: null,
          },
        );
      }
    });
  }

  async logout(token: string): Promise<void> {
    await this.#db.deleteFrom("auth_session").where("id_hash", "=", hashToken(token)).execute();
  }
}
