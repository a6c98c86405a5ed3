import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApi, sessionCookieName } from "../../src/api/build-api.ts";
import { refuseDemoAccounts } from "../../src/api/production.ts";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../src/app/auth/auth-service.ts";
import { createPasswordHasher } from "../../src/app/auth/password.ts";
import { createTotpSecret, currentTotp } from "../../src/app/auth/totp.ts";
import { loadTotpSealKey } from "../../src/app/auth/totp-seal.ts";
import { DEMO_PASSWORD } from "../../src/app/demo/demo-world.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, startApiNode } from "./support/api-node.ts";

/** Production policy: every login needs password and one-time code; demo accounts stop the node. */
for (const dialect of DIALECTS) {
  describe(`production mode [${dialect}]`, () => {
    let node: ApiNode;
    let production: Awaited<ReturnType<typeof buildApi>>;
    let auth: AuthService;
    const secret = createTotpSecret();
    const password = "a long production passphrase";

    beforeAll(async () => {
      node = await startApiNode(dialect, "KZ");
      auth = new AuthService(
        node.ctx.db,
        await createPasswordHasher({ fast: true }),
        loadTotpSealKey(node.ctx.dataDir),
        DEFAULT_AUTH_POLICY,
      );
      const person = await registerPerson(node.ctx, {
        actor: "admin",
        organisation: node.world.organisations.body2.id,
        handle: "officer-totp",
        name: "Officer With TOTP",
        roles: ["registry-officer"],
      });
      await auth.createAccount({
        personId: person.id,
        username: "officer.totp",
        password,
        totpSecret: secret,
      });
      production = await buildApi({
        pack: node.ctx.pack,
        node: { party: "KZ", demo: false },
        auth,
        ctx: node.ctx,
      });
    });
    afterAll(async () => {
      await production?.close();
      await node?.close();
    });

    const login = (payload: object) => production.inject({ method: "POST", url: "/api/auth/login", payload });

    it("A4.2: refuses a correct password without the one-time code, and a demo account without a code, alike", async () => {
      const noCode = await login({ username: "officer.totp", password });
      const demo = await login({ username: "kz-user", password: DEMO_PASSWORD });
      const unknown = await login({ username: "nobody", password, totp: "123456" });
      expect(noCode.statusCode).toBe(401);
      expect(demo.body).toBe(noCode.body);
      expect(unknown.body).toBe(noCode.body);
    });

    it("signs in with password and code, refuses the same code again, and the session works", async () => {
      const code = currentTotp(secret);
      const ok = await login({ username: "officer.totp", password, totp: code });
      expect(ok.statusCode, ok.body).toBe(200);
      const cookie = ok.cookies.find((c) => c.name === sessionCookieName("KZ"));
      const session = await production.inject({
        method: "GET",
        url: "/api/session",
        headers: { cookie: `${cookie?.name}=${cookie?.value}` },
      });
      expect(session.statusCode).toBe(200);
      expect(session.json().user.username).toBe("officer.totp");
      const replay = await login({ username: "officer.totp", password, totp: code });
      expect(replay.statusCode).toBe(401);
      expect(replay.json().code).toBe("AUTH_FAILED");
    });

    it("a production start refuses a node that holds demo accounts", async () => {
      const refused = await refuseDemoAccounts(auth).then(
        () => "started",
        (error: unknown) => (isDomainError(error) ? error.code : String(error)),
      );
      expect(refused).toBe("INPUT_INVALID");
    });
  });
}
