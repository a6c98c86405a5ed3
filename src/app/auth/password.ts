import { type Algorithm, hash, verify } from "@node-rs/argon2";

// `Algorithm` is a const enum (not importable under verbatimModuleSyntax): 2 is Argon2id.
const ARGON2ID = 2 as Algorithm;

/**
 * Argon2id parameters (RFC 9106 second recommended option scaled to a server: 19 MiB, t=2 is
 * OWASP's floor; we take 64 MiB, t=3 for state-secret systems).
 */
export const ARGON2_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 65_536,
  timeCost: 3,
  parallelism: 1,
} as const;

/** Cheaper parameters for tests and the demo world only (never in production mode). */
export const ARGON2_FAST_OPTIONS = {
  algorithm: ARGON2ID,
  memoryCost: 8_192,
  timeCost: 2,
  parallelism: 1,
} as const;

export type PasswordHasher = {
  hashPassword(password: string): Promise<string>;
  /** Verifies against `stored`, or against a dummy hash when there is no user, so that timing is the same. */
  verifyPassword(stored: string | undefined, password: string): Promise<boolean>;
};

export const MIN_PASSWORD_LENGTH = 12;

/** Builds a hasher; the dummy hash uses the same parameters as real ones so unknown users cost the same. */
export async function createPasswordHasher(options: { fast?: boolean } = {}): Promise<PasswordHasher> {
  const params = options.fast ? ARGON2_FAST_OPTIONS : ARGON2_OPTIONS;
  const dummy = await hash("kelisim-dummy-password-never-valid", params);
  return {
    hashPassword: (password) => hash(password, params),
    async verifyPassword(stored, password) {
      const target = stored ?? dummy;
      let ok = false;
      try {
        ok = await verify(target, password);
      } catch {
        ok = false;
      }
      return ok && stored !== undefined;
    },
  };
}
