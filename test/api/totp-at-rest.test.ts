import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { Secret } from "otpauth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../src/app/auth/auth-service.ts";
import { createPasswordHasher } from "../../src/app/auth/password.ts";
import { createTotpSecret, currentTotp } from "../../src/app/auth/totp.ts";
import { deriveTotpSealKey, loadTotpSealKey } from "../../src/app/auth/totp-seal.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { openNode } from "../../src/node/open-node.ts";
import type { AuthTables } from "../../src/store/auth-tables.ts";
import { SQLITE_FILE_NAME } from "../../src/store/open-database.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS, makeTempDir } from "../support/databases.ts";
import { type ApiNode, startApiNode } from "./support/api-node.ts";

const PASSWORD = "a long production passphrase";
const SEALED_FORMAT = /^v1\.[0-9a-f]{16}\.[A-Za-z0-9_-]+$/;

/** True when `bytes` holds the secret in any form an attacker could read: base32 (either case) or its raw bytes. */
function holdsSecret(bytes: Buffer, secret: string): boolean {
  const raw = Buffer.from(Secret.fromBase32(secret).bytes);
  return (
    bytes.includes(Buffer.from(secret)) ||
    bytes.includes(Buffer.from(secret.toLowerCase())) ||
    bytes.includes(raw) ||
    bytes.includes(Buffer.from(raw.toString("hex"))) ||
    bytes.includes(Buffer.from(raw.toString("base64").replace(/=+$/, ""))) ||
    bytes.includes(Buffer.from(raw.toString("base64url")))
  );
}

/** The column as stored, and the bytes of its sealed body decoded. */
function sealedForms(sealed: string): Buffer[] {
  return [Buffer.from(sealed), Buffer.from(sealed.split(".")[2] ?? "", "base64url")];
}

type AuditRows = {
  audit_entries: { idx: number; actor: string; event_type: string; data: unknown };
};

function readData(data: unknown): { reason?: string } {
  return (typeof data === "string" ? JSON.parse(data) : data) as { reason?: string };
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

for (const dialect of DIALECTS) {
  describe(`TOTP secrets sealed at rest [${dialect}]`, () => {
    let node: ApiNode;
    let auth: AuthService;
    let clock = Date.parse("2026-11-26T08:00:00Z");
    const secrets = { one: createTotpSecret(), two: createTotpSecret() };
    const ids = { one: "", two: "" };
    const rows = () => node.ctx.db as unknown as Kysely<AuthTables>;
    const sealedOf = async (personId: string) =>
      (
        await rows()
          .selectFrom("auth_account")
          .select("totp_secret_sealed")
          .where("person_id", "=", personId)
          .executeTakeFirstOrThrow()
      ).totp_secret_sealed;

    beforeAll(async () => {
      node = await startApiNode(dialect, "KZ");
      auth = new AuthService(
        node.ctx.db,
        await createPasswordHasher({ fast: true }),
        loadTotpSealKey(node.ctx.dataDir),
        DEFAULT_AUTH_POLICY,
        () => clock,
      );
      for (const which of ["one", "two"] as const) {
        const person = await registerPerson(node.ctx, {
          actor: "admin",
          organisation: node.world.organisations.body2.id,
          handle: `officer-${which}`,
          name: `Officer ${which}`,
          roles: ["registry-officer"],
        });
        ids[which] = person.id;
        await auth.createAccount({
          personId: person.id,
          username: `officer.${which}`,
          password: PASSWORD,
          totpSecret: secrets[which],
        });
      }
    }, 120_000);

    afterAll(async () => {
      await node?.close();
    });

    it("A4.2: the column holds neither the base32 secret nor its bytes, only a sealed value", async () => {
      for (const which of ["one", "two"] as const) {
        const sealed = await sealedOf(ids[which]);
        expect(sealed).toMatch(SEALED_FORMAT);
        for (const form of sealedForms(sealed ?? "")) expect(holdsSecret(form, secrets[which])).toBe(false);
      }
      // The demo world's accounts: no clear secret in any row either.
      const all = await rows()
        .selectFrom("auth_account")
        .select(["person_id", "totp_secret_sealed"])
        .execute();
      expect(all.length).toBeGreaterThan(2);
      for (const row of all)
        if (row.totp_secret_sealed !== null) expect(row.totp_secret_sealed).toMatch(SEALED_FORMAT);
    });

    it("A4.2: login with password and TOTP still works", async () => {
      const ok = await auth.login("officer.one", PASSWORD, currentTotp(secrets.one, clock));
      expect(ok.personId).toBe(ids.one);
      expect(await codeOf(auth.login("officer.two", PASSWORD, "000000"))).toBe("AUTH_FAILED");
    });

    it("A4.2: a sealed secret copied to another account does not verify there", async () => {
      clock += 60_000;
      const own = await sealedOf(ids.two);
      await rows()
        .updateTable("auth_account")
        .set({ totp_secret_sealed: await sealedOf(ids.one) })
        .where("person_id", "=", ids.two)
        .execute();
      // officer.one's code against officer.one's secret, now in officer.two's row: refused.
      expect(await codeOf(auth.login("officer.two", PASSWORD, currentTotp(secrets.one, clock)))).toBe(
        "AUTH_FAILED",
      );
      expect(await codeOf(auth.login("officer.two", PASSWORD, currentTotp(secrets.two, clock)))).toBe(
        "AUTH_FAILED",
      );
      // The audit log tells the administrator why (the caller was told only AUTH_FAILED).
      const refusals = await (node.ctx.db as unknown as Kysely<AuditRows>)
        .selectFrom("audit_entries")
        .select("data")
        .where("actor", "=", ids.two)
        .where("event_type", "=", "auth.sign-in-refused")
        .orderBy("idx", "desc")
        .limit(2)
        .execute();
      expect(refusals.map((r) => readData(r.data).reason)).toEqual([
        "second-factor-unreadable:does-not-open",
        "second-factor-unreadable:does-not-open",
      ]);
      // Put back, the row's own sealed secret verifies (so the refusal above was the move).
      await rows()
        .updateTable("auth_account")
        .set({ totp_secret_sealed: own })
        .where("person_id", "=", ids.two)
        .execute();
      expect(await codeOf(auth.login("officer.two", PASSWORD, currentTotp(secrets.two, clock)))).toBe("OK");
    });

    it("A4.2: another node wrapping key does not open the secrets (fails closed)", async () => {
      clock += 60_000;
      const stranger = new AuthService(
        node.ctx.db,
        await createPasswordHasher({ fast: true }),
        deriveTotpSealKey({ key: randomBytes(32), id: "0000000000000000" }),
        DEFAULT_AUTH_POLICY,
        () => clock,
      );
      expect(await codeOf(stranger.login("officer.one", PASSWORD, currentTotp(secrets.one, clock)))).toBe(
        "AUTH_FAILED",
      );
      expect(await codeOf(auth.login("officer.one", PASSWORD, currentTotp(secrets.one, clock)))).toBe("OK");
    });
  });
}

const KELISIM = KELISIM_BIN;

function kelisim(args: string[], input?: string): string {
  return execFileSync(process.execPath, [KELISIM, ...args], {
    input,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: "", KELISIM_CONTENT_WRAP_KEY: "" },
  });
}

describe("kelisim account add seals the TOTP secret (SQLite file)", () => {
  let dir: string;
  let data: string;
  let secret = "";

  beforeAll(() => {
    dir = makeTempDir("kelisim-totp-");
    data = join(dir, "node");
    kelisim(["node", "init", "--party", "AM", "--data", data]);
    kelisim(
      ["person", "register", "officer", "--org", "competent-authority", "--name", "Officer"].concat([
        "--role",
        "auditor",
        "--data",
        data,
        "--as",
        "admin",
      ]),
    );
    secret = JSON.parse(
      kelisim(["account", "add", "--person", "officer", "--data", data, "--json"], `${PASSWORD}\n`),
    ).totpSecret;
  }, 120_000);

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("A4.2: the stolen database file holds no form of the secret; the node's key opens it for login", async () => {
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const files = [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`].map((f) => join(data, f)).filter(existsSync);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(holdsSecret(readFileSync(file), secret)).toBe(false);

    const node = await openNode({ dataDir: data });
    try {
      const row = await (node.db as unknown as Kysely<AuthTables>)
        .selectFrom("auth_account")
        .select("totp_secret_sealed")
        .where("username", "=", "officer")
        .executeTakeFirstOrThrow();
      expect(row.totp_secret_sealed).toMatch(SEALED_FORMAT);
      for (const form of sealedForms(row.totp_secret_sealed ?? ""))
        expect(holdsSecret(form, secret)).toBe(false);
      const auth = new AuthService(
        node.db,
        await createPasswordHasher({ fast: true }),
        loadTotpSealKey(data, {}),
        DEFAULT_AUTH_POLICY,
      );
      expect(await codeOf(auth.login("officer", PASSWORD, "000000"))).toBe("AUTH_FAILED");
      expect(await codeOf(auth.login("officer", PASSWORD, currentTotp(secret)))).toBe("OK");
    } finally {
      await node.close();
    }
  });
});
