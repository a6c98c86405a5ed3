/** Tables of migration 0003-auth: credentials, server-side sessions and the login throttle. */
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
