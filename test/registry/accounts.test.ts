// Sign-in accounts as use cases (A4.2), on SQLite and PostgreSQL: the administrator's password reset
// (a one-time password, sessions ended, a new password set at the next sign-in before anything
// else), a person's change of their own password, the enrolment of a new second factor (sealed,
// pending until proven by a code), and what the People and Organisations listings offer to do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../src/app/auth/auth-service.ts";
import { changeOwnPassword } from "../../src/app/auth/change-password.ts";
import { confirmTotpEnrolment, startTotpEnrolment } from "../../src/app/auth/enrol-totp.ts";
import { createPasswordHasher, type PasswordHasher } from "../../src/app/auth/password.ts";
import { resetPassword } from "../../src/app/auth/reset-password.ts";
import { showAccount } from "../../src/app/auth/show-account.ts";
import { currentTotp } from "../../src/app/auth/totp.ts";
import { loadTotpSealKey } from "../../src/app/auth/totp-seal.ts";
import { listOrganisations } from "../../src/app/organisations/list-organisations.ts";
import { changeFacilityClearance, changePersonalClearance } from "../../src/app/people/change-standing.ts";
import { listPeople } from "../../src/app/people/list-people.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { auditSince, auditSize, MOD, seedRegistry } from "./registry-fixture.ts";

const PASSWORD = "correct horse battery staple";
const ALICE_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

for (const dialect of DIALECTS) {
  describe(`sign-in accounts (A4.2) [${dialect}]`, () => {
    let node: TestNode;
    let auth: AuthService;
    let hasher: PasswordHasher;
    const clock = withFixedClock();
    const ms = () => clock.now().getTime();
    const account = (person: string) =>
      node.ctx.db
        .selectFrom("auth_account")
        .innerJoin("people", "people.id", "auth_account.person_id")
        .selectAll("auth_account")
        .where("people.handle", "=", person)
        .executeTakeFirstOrThrow();
    const sessionsOf = async (person: string) =>
      (
        await node.ctx.db
          .selectFrom("auth_session")
          .innerJoin("people", "people.id", "auth_session.person_id")
          .select("auth_session.id_hash")
          .where("people.handle", "=", person)
          .execute()
      ).length;
    const idOf = async (handle: string) =>
      (
        await node.ctx.db
          .selectFrom("people")
          .select("id")
          .where("handle", "=", handle)
          .executeTakeFirstOrThrow()
      ).id;

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      hasher = await createPasswordHasher({ fast: true });
      auth = new AuthService(
        node.node.db,
        hasher,
        loadTotpSealKey(node.location.dataDir),
        { ...DEFAULT_AUTH_POLICY, requireTotp: true, maxFailures: 1000 },
        ms,
      );
      for (const handle of ["admin", "alice", "bob", "reg"])
        await auth.createAccount({
          personId: await idOf(handle),
          username: handle,
          password: PASSWORD,
          totpSecret: ALICE_SECRET,
        });
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    // Each sign-in spends its time step: the clock moves on a step first.
    const signIn = (username: string, password: string, secret = ALICE_SECRET, newPassword?: string) => {
      clock.advance(30_000);
      return auth.login(username, password, currentTotp(secret, ms()), undefined, newPassword);
    };

    it("A4.2: a reset gives a one-time password once, keeps only its hash, ends the person's sessions and lifts a lock-out", async () => {
      await signIn("alice", PASSWORD);
      await signIn("alice", PASSWORD);
      expect(await sessionsOf("alice")).toBe(2);
      // Locked out after failures (as auth-service.ts would): the reset lifts it.
      await node.ctx.db
        .insertInto("auth_login_throttle")
        .values({ username: "alice", failures: 0, locked_until: ms() + 3_600_000 })
        .execute();
      expect((await refusal(signIn("alice", PASSWORD))).code).toBe("AUTH_LOCKED");
      const before = await auditSize(node.ctx);
      const reset = await resetPassword(node.ctx, { actor: "admin", person: "alice" }, { hasher });
      expect(reset).toMatchObject({ person: "alice", username: "alice", sessionsEnded: 2 });
      expect(reset.oneTimePassword).toMatch(/^[A-HJKMNP-Z2-9]{4}(-[A-HJKMNP-Z2-9]{4}){4}$/);
      const row = await account("alice");
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.password_hash).not.toContain(reset.oneTimePassword);
      expect(await hasher.verifyPassword(row.password_hash, reset.oneTimePassword)).toBe(true);
      expect(Number(row.password_change_required)).toBe(1);
      expect(await sessionsOf("alice")).toBe(0);
      const entries = await auditSince(node.ctx, before);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        event: "auth.password-reset",
        outcome: "done",
        object: `person:${await idOf("alice")}`,
        articles: ["A4.2"],
        data: { sessionsEnded: 2 },
      });
      expect(JSON.stringify(entries)).not.toContain(reset.oneTimePassword);
      // The old password is no longer hers; the one-time one is, no longer locked out.
      expect((await refusal(signIn("alice", PASSWORD))).code).toBe("AUTH_FAILED");
      expect((await refusal(signIn("alice", reset.oneTimePassword))).code).toBe("PASSWORD_CHANGE_REQUIRED");
    });

    it("A4.2: the one-time password opens no session: the next sign-in sets a new password first", async () => {
      const { oneTimePassword } = await resetPassword(
        node.ctx,
        { actor: "admin", person: "bob" },
        { hasher },
      );
      const before = await auditSize(node.ctx);
      expect((await refusal(signIn("bob", oneTimePassword))).code).toBe("PASSWORD_CHANGE_REQUIRED");
      expect(await sessionsOf("bob")).toBe(0);
      expect((await auditSince(node.ctx, before))[0]).toMatchObject({
        event: "auth.sign-in-refused",
        outcome: "refused",
        data: { reason: "password-change-required" },
      });
      // A wrong one-time password is still just a failed sign-in.
      expect(
        (await refusal(signIn("bob", "ABCD-EFGH-JKMN-PQRS-TUVW", ALICE_SECRET, "x".repeat(20)))).code,
      ).toBe("AUTH_FAILED");
      expect((await refusal(signIn("bob", oneTimePassword, ALICE_SECRET, "short"))).code).toBe(
        "PASSWORD_TOO_SHORT",
      );
      expect((await refusal(signIn("bob", oneTimePassword, ALICE_SECRET, oneTimePassword))).code).toBe(
        "PASSWORD_NOT_ALLOWED",
      );
      expect(await sessionsOf("bob")).toBe(0);
      const at = await auditSize(node.ctx);
      const session = await signIn("bob", oneTimePassword, ALICE_SECRET, "bob's own new password");
      expect(session.personId).toBe(await idOf("bob"));
      expect(Number((await account("bob")).password_change_required)).toBe(0);
      expect((await auditSince(node.ctx, at)).map((e) => [e.event, e.outcome, e.data])).toEqual([
        ["auth.password-changed", "done", { atSignIn: true }],
        ["auth.signed-in", "done", { secondFactor: true }],
      ]);
      // From now on the one-time password is spent and the new one signs in directly.
      expect((await refusal(signIn("bob", oneTimePassword))).code).toBe("AUTH_FAILED");
      expect((await signIn("bob", "bob's own new password")).personId).toBe(await idOf("bob"));
    });

    it("A4.2: only whoever manages people resets a password; a refusal is audited and changes nothing", async () => {
      const hashBefore = (await account("reg")).password_hash;
      const before = await auditSize(node.ctx);
      expect((await refusal(resetPassword(node.ctx, { actor: "ca", person: "reg" }, { hasher }))).code).toBe(
        "ROLE_FORBIDDEN",
      );
      expect((await auditSince(node.ctx, before)).map((e) => [e.event, e.outcome])).toEqual([
        ["auth.password-reset", "refused"],
      ]);
      expect((await account("reg")).password_hash).toBe(hashBefore);
      expect(Number((await account("reg")).password_change_required)).toBe(0);
      // Not one's own (the account page is for that), and not a person without a sign-in.
      expect(
        (await refusal(resetPassword(node.ctx, { actor: "admin", person: "admin" }, { hasher }))).code,
      ).toBe("INPUT_INVALID");
      expect(
        (await refusal(resetPassword(node.ctx, { actor: "admin", person: "carol" }, { hasher }))).code,
      ).toBe("INPUT_INVALID");
    });

    it("A4.2: a person changes their own password with the current one; the other sessions end", async () => {
      await signIn("reg", PASSWORD);
      const kept = await signIn("reg", PASSWORD);
      const keptHash = (await auth.resolve(kept.token))?.idHash;
      expect(keptHash).toBeDefined();
      const before = await auditSize(node.ctx);
      expect(
        (
          await refusal(
            changeOwnPassword(
              node.ctx,
              { actor: "reg", current: "not it at all", next: "a new long one!" },
              { hasher },
            ),
          )
        ).code,
      ).toBe("PASSWORD_CURRENT_WRONG");
      expect((await auditSince(node.ctx, before)).map((e) => [e.event, e.outcome])).toEqual([
        ["auth.password-changed", "refused"],
      ]);
      expect(
        (
          await refusal(
            changeOwnPassword(node.ctx, { actor: "reg", current: PASSWORD, next: "short" }, { hasher }),
          )
        ).code,
      ).toBe("PASSWORD_TOO_SHORT");
      expect(
        (
          await refusal(
            changeOwnPassword(node.ctx, { actor: "reg", current: PASSWORD, next: PASSWORD }, { hasher }),
          )
        ).code,
      ).toBe("PASSWORD_NOT_ALLOWED");
      expect((await signIn("reg", PASSWORD)).personId).toBe(await idOf("reg"));
      expect(await sessionsOf("reg")).toBe(3);
      const changedAt = clock.now().toISOString();
      const done = await changeOwnPassword(
        node.ctx,
        { actor: "reg", current: PASSWORD, next: "registry officer's new one", keepSession: keptHash },
        { hasher },
      );
      expect(done).toEqual({ changed: true, otherSessionsEnded: 2 });
      expect(await auth.resolve(kept.token)).toBeDefined();
      expect(await sessionsOf("reg")).toBe(1);
      expect((await refusal(signIn("reg", PASSWORD))).code).toBe("AUTH_FAILED");
      expect((await signIn("reg", "registry officer's new one")).personId).toBe(await idOf("reg"));
      expect((await showAccount(node.ctx, { actor: "reg" })).passwordChangedAt).toBe(changedAt);
    });

    it("A4.2: a new second factor is sealed and pending until a code proves it; only then it replaces the old one", async () => {
      const started = await startTotpEnrolment(node.ctx, { actor: "admin" });
      const secret = new URL(started.uri).searchParams.get("secret") ?? "";
      expect(started.uri).toMatch(/^otpauth:\/\/totp\/Kelisim:KZ%3Aadmin\?/);
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(started.qrSvg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      const row = await account("admin");
      expect(row.totp_pending_sealed).toMatch(/^v1\./);
      expect(row.totp_pending_sealed).not.toContain(secret);
      expect(await showAccount(node.ctx, { actor: "admin" })).toMatchObject({
        totpEnrolled: true,
        totpPending: true,
      });
      // Pending, the old factor still signs in and the new one does not.
      expect((await refusal(signIn("admin", PASSWORD, secret))).code).toBe("AUTH_FAILED");
      expect((await signIn("admin", PASSWORD)).personId).toBe(await idOf("admin"));

      const before = await auditSize(node.ctx);
      expect(
        (
          await refusal(
            confirmTotpEnrolment(node.ctx, { actor: "admin", code: currentTotp(ALICE_SECRET, ms()) }),
          )
        ).code,
      ).toBe("TOTP_CODE_WRONG");
      expect((await auditSince(node.ctx, before)).map((e) => [e.event, e.outcome])).toEqual([
        ["auth.totp-enrolled", "refused"],
      ]);
      expect((await account("admin")).totp_secret_sealed).toBe(row.totp_secret_sealed);

      const code = currentTotp(secret, ms());
      expect(await confirmTotpEnrolment(node.ctx, { actor: "admin", code })).toEqual({
        enrolled: true,
        replaced: true,
      });
      const after = await account("admin");
      expect(after.totp_secret_sealed).toBe(row.totp_pending_sealed);
      expect(after.totp_pending_sealed).toBeNull();
      // The code that confirmed it is spent: it does not sign in too.
      expect((await refusal(auth.login("admin", PASSWORD, code))).code).toBe("AUTH_FAILED");
      expect((await refusal(signIn("admin", PASSWORD, ALICE_SECRET))).code).toBe("AUTH_FAILED");
      expect((await signIn("admin", PASSWORD, secret)).personId).toBe(await idOf("admin"));
      const entries = await auditSince(node.ctx, before);
      expect(entries.map((e) => e.event)).toContain("auth.totp-enrolled");
      expect(JSON.stringify(entries)).not.toContain(secret);
    });

    it("A4.2: an enrolment not confirmed in time, or never started, enrols nothing", async () => {
      expect((await refusal(confirmTotpEnrolment(node.ctx, { actor: "alice", code: "123456" }))).code).toBe(
        "TOTP_ENROLMENT_NONE",
      );
      const started = await startTotpEnrolment(node.ctx, { actor: "alice" });
      const secret = new URL(started.uri).searchParams.get("secret") ?? "";
      clock.advance(11 * 60_000);
      expect(
        (await refusal(confirmTotpEnrolment(node.ctx, { actor: "alice", code: currentTotp(secret, ms()) })))
          .code,
      ).toBe("TOTP_ENROLMENT_NONE");
      expect((await showAccount(node.ctx, { actor: "alice" })).totpPending).toBe(false);
    });

    it("A1.11, A4.2: the People and Organisations listings offer what the use cases would do, to whom may do it", async () => {
      const byAdmin = await listPeople(node.ctx, { actor: "admin" });
      const asAdmin = (handle: string) => byAdmin.find((p) => p.handle === handle)?.actions;
      expect(asAdmin("alice")).toEqual({
        clearance: [],
        removeRoles: ["cleared-user"],
        deactivate: true,
        resetPassword: true,
      });
      // Not oneself, and no reset for a person without a sign-in.
      expect(asAdmin("admin")).toEqual({
        clearance: [],
        removeRoles: [],
        deactivate: false,
        resetPassword: false,
      });
      expect(asAdmin("carol")?.resetPassword).toBe(false);

      const clearanceBy = async (handle: string) =>
        (await listPeople(node.ctx, { actor: "ca" })).find((p) => p.handle === handle);
      expect(await clearanceBy("carol")).toMatchObject({
        clearanceSuspended: false,
        actions: {
          clearance: ["withdraw", "suspend"],
          removeRoles: [],
          deactivate: false,
          resetPassword: false,
        },
      });
      await changePersonalClearance(node.ctx, { actor: "ca", person: "carol", change: "suspend" });
      expect(await clearanceBy("carol")).toMatchObject({
        clearanceSuspended: true,
        actions: { clearance: ["withdraw", "reinstate"] },
      });
      await changePersonalClearance(node.ctx, { actor: "ca", person: "carol", change: "withdraw" });
      expect((await clearanceBy("carol"))?.actions.clearance).toEqual([]);

      const body = async (actor: string) =>
        (await listOrganisations(node.ctx, { actor })).own.find((o) => o.name === MOD);
      expect((await body("ca"))?.actions).toEqual(["withdraw", "suspend"]);
      expect((await body("admin"))?.actions).toEqual([]);
      await changeFacilityClearance(node.ctx, { actor: "ca", organisation: MOD, change: "suspend" });
      expect(await body("ca")).toMatchObject({
        clearanceSuspended: true,
        actions: ["withdraw", "reinstate"],
      });
      await changeFacilityClearance(node.ctx, { actor: "ca", organisation: MOD, change: "reinstate" });
    });
  });
}
