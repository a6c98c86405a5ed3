import { Secret, TOTP } from "otpauth";

/** Creates a new random TOTP secret (160 bits, RFC 4226 recommendation), base32-encoded. */
export function createTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label = "user"): TOTP {
  return new TOTP({
    issuer: "Kelisim",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: 30,
    secret: Secret.fromBase32(secret),
  });
}

/** The otpauth:// URI an authenticator app scans. */
export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** The current code (demo mode and tests only). */
export function currentTotp(secret: string, now: number = Date.now()): string {
  return totpFor(secret).generate({ timestamp: now });
}

/**
 * Checks a code within ±1 step and returns the time step it matched, or undefined. The caller
 * refuses a step not greater than the last one used, so a code cannot be replayed.
 */
export function matchTotp(secret: string, token: string, now: number = Date.now()): number | undefined {
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secret).validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / 30) + delta;
}
