import type { Generated } from "kysely";

/** Tables of migration 0003-auth (and 0010-accounts): credentials, server-side sessions and the login throttle. */
export type AuthAccountTable = {
  person_id: string;
  username: string;
  password_hash: string;
  /** The TOTP secret sealed by `sealTotpSecret` (AES-256-GCM, aad = person_id); never the secret itself. */
  totp_secret_sealed: string | null;
  /** The last TOTP time step accepted: a code of that step or earlier is a replay. */
  totp_last_step: number | string;
  disabled: number;
  /** Demo accounts only exist in demo mode; a production start refuses them. */
  is_demo: number;
  language: string | null;
  created_at: string;
  /** 0010, A4.2: 1 after an administrator reset the password: the next sign-in sets a new one first. */
  password_change_required: Generated<number>;
  /** 0010: when the person last set their own password (null: never since the account was made). */
  password_changed_at: string | null;
  /** 0010: a second factor being enrolled, sealed like `totp_secret_sealed`, until proven by a code. */
  totp_pending_sealed: string | null;
  totp_pending_at: string | null;
};

export type AuthSessionTable = {
  /** SHA-256 of the cookie value: a copy of the database does not hand out sessions. */
  id_hash: string;
  person_id: string;
  csrf_token: string;
  created_at: number | string;
  last_seen_at: number | string;
  absolute_expires_at: number | string;
};

export type AuthLoginThrottleTable = {
  /** Normalised username as typed, whether or not it exists (so lock-out tells nothing). */
  username: string;
  failures: number;
  locked_until: number | string;
};

export type AuthTables = {
  auth_account: AuthAccountTable;
  auth_session: AuthSessionTable;
  auth_login_throttle: AuthLoginThrottleTable;
};
