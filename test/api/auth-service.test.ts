import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../src/app/auth/auth-service.ts";
import { createPasswordHasher, type PasswordHasher } from "../../src/app/auth/password.ts";
import { createTotpSecret, currentTotp } from "../../src/app/auth/totp.ts";
import { deriveTotpSealKey } from "../../src/app/auth/totp-seal.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { describeEachDatabase } from "../support/databases.ts";

const PASSWORD = "correct horse battery staple";

/** Counts argon2id verifications, to prove an unknown user costs the same work as a known one. */
function countingHasher(inner: PasswordHasher): PasswordHasher & { verifications: number } {
  const counter = {
    verifications: 0,
    hashPassword: (p: string) => inner.hashPassword(p),
    async verifyPassword(stored: string | undefined, p: string) {
      counter.verifications += 1;
      return inner.verifyPassword(stored, p);
    },
  };
  return counter;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (isDomainError(error)) return error.code;
    throw error;
  }
}

describeEachDatabase("auth service", (getDb) => {
  let clock = Date.parse("2026-11-26T08:00:00Z");
  const now = () => clock;
  let hasher: ReturnType<typeof countingHasher>;
  let auth: AuthService;
  const secret = createTotpSecret();

  it("creates accounts", async () => {
    hasher = countingHasher(await createPasswordHasher({ fast: true }));
    auth = new AuthService(
      getDb().db,
      hasher,
      deriveTotpSealKey({ key: randomBytes(32), id: "test-node-key" }),
      DEFAULT_AUTH_POLICY,
      now,
    );
    await auth.createAccount({
      personId: "p-1",
      username: "Officer.One",
      password: PASSWORD,
      totpSecret: secret,
    });
    await auth.createAccount({ personId: "p-2", username: "no-totp", password: PASSWORD });
  });

  it("A4.2: an unknown user and a wrong password get the same answer after the same argon2id work", async () => {
    const before = hasher.verifications;
    const unknown = await codeOf(auth.login("nobody", PASSWORD, currentTotp(secret, clock)));
    const wrong = await codeOf(auth.login("officer.one", "wrong password!", currentTotp(secret, clock)));
    expect(unknown).toBe("AUTH_FAILED");
    expect(wrong).toBe("AUTH_FAILED");
    expect(hasher.verifications - before).toBe(2);
  });

  it("A4.2: the second factor is required: no code, a wrong code, or an account without TOTP all fail alike", async () => {
    expect(await codeOf(auth.login("officer.one", PASSWORD, undefined))).toBe("AUTH_FAILED");
    expect(await codeOf(auth.login("officer.one", PASSWORD, "000000"))).toBe("AUTH_FAILED");
    expect(await codeOf(auth.login("no-totp", PASSWORD, undefined))).toBe("AUTH_FAILED");
  });

  it("signs in with password and code; the username is matched case-insensitively; a code is not accepted twice", async () => {
    clock += 60_000;
    const code = currentTotp(secret, clock);
    const result = await auth.login("  OFFICER.one ", PASSWORD, code);
    expect(result.personId).toBe("p-1");
    expect(await auth.resolve(result.token)).toMatchObject({ personId: "p-1", csrfToken: result.csrfToken });
    expect(await codeOf(auth.login("officer.one", PASSWORD, code))).toBe("AUTH_FAILED");
  });

  it("rotates the session at login: the old cookie no longer works", async () => {
    clock += 60_000;
    const first = await auth.login("officer.one", PASSWORD, currentTotp(secret, clock));
    clock += 60_000;
    const second = await auth.login("officer.one", PASSWORD, currentTotp(secret, clock), first.token);
    expect(second.token).not.toBe(first.token);
    expect(await auth.resolve(first.token)).toBeUndefined();
    expect(await auth.resolve(second.token)).toBeDefined();
  });

  it("ends a session after the idle timeout, and after the absolute timeout even when used", async () => {
    clock += 60_000;
    const idle = await auth.login("officer.one", PASSWORD, currentTotp(secret, clock));
    clock += DEFAULT_AUTH_POLICY.idleMs + 1;
    expect(await auth.resolve(idle.token)).toBeUndefined();

    clock += 60_000;
    const busy = await auth.login("officer.one", PASSWORD, currentTotp(secret, clock));
    const end = clock + DEFAULT_AUTH_POLICY.absoluteMs;
    while (clock + DEFAULT_AUTH_POLICY.idleMs / 2 < end) {
      clock += DEFAULT_AUTH_POLICY.idleMs / 2;
      expect(await auth.resolve(busy.token)).toBeDefined();
    }
    clock = end;
    expect(await auth.resolve(busy.token)).toBeUndefined();
  });

  it("locks a username after repeated failures, existing or not, and refuses even the right password while locked", async () => {
    clock += 60_000;
    for (const name of ["officer.one", "ghost"]) {
      for (let i = 0; i < DEFAULT_AUTH_POLICY.maxFailures; i++) {
        expect(await codeOf(auth.login(name, "bad password", "123456"))).toBe("AUTH_FAILED");
      }
      expect(await codeOf(auth.login(name, PASSWORD, currentTotp(secret, clock)))).toBe("AUTH_LOCKED");
    }
    clock += DEFAULT_AUTH_POLICY.lockMs + 31_000;
    expect(await codeOf(auth.login("officer.one", PASSWORD, currentTotp(secret, clock)))).toBe("OK");
  });

  it("a disabled account cannot sign in and loses its sessions", async () => {
    clock += 60_000;
    const live = await auth.login("officer.one", PASSWORD, currentTotp(secret, clock));
    await auth.setDisabled("p-1", true);
    expect(await auth.resolve(live.token)).toBeUndefined();
    clock += 60_000;
    expect(await codeOf(auth.login("officer.one", PASSWORD, currentTotp(secret, clock)))).toBe("AUTH_FAILED");
  });
});

describe("auth policy", () => {
  it("requires TOTP by default (production)", () => {
    expect(DEFAULT_AUTH_POLICY.requireTotp).toBe(true);
  });
});
