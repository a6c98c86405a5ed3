// `kelisim person reset-password` (A4.2) run as users run it: the administrator gets a one-time
// password printed once, the node keeps only its hash and asks a new password at the next sign-in;
// anyone else is refused (exit code 1) and the refusal is audited.
import { execFile } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { currentTotp } from "../../src/app/auth/totp.ts";
import { createAppContext } from "../../src/app/context.ts";
import { createAuthService } from "../../src/app/node/runtime.ts";
import type { DomainError } from "../../src/domain/errors.ts";
import { openNode } from "../../src/node/open-node.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { createTestLocation } from "../support/nodes.ts";
import { auditSince, auditSize } from "./registry-fixture.ts";

const BIN = KELISIM_BIN;

type Result = { code: number; stdout: string; stderr: string };

describe("kelisim person reset-password [sqlite]", () => {
  let dataDir: string;
  let cleanup: () => Promise<void>;
  let totpSecret: string;
  const env: NodeJS.ProcessEnv = { ...process.env, KELISIM_LANG: "en" };
  delete env.DATABASE_URL;
  delete env.KELISIM_DATA;

  function kelisim(args: string[], stdin?: string): Promise<Result> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, ...args, "--data", dataDir],
        { env },
        (error, stdout, stderr) =>
          resolve({ code: error ? Number((error as { code?: number }).code ?? -1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? "");
    });
  }
  async function ok(args: string[], stdin?: string): Promise<string> {
    const result = await kelisim(args, stdin);
    expect(result, `kelisim ${args.join(" ")}`).toMatchObject({ code: 0 });
    return result.stdout;
  }

  beforeAll(async () => {
    const created = await createTestLocation("sqlite");
    dataDir = created.location.dataDir;
    cleanup = created.cleanup;
    await ok(["node", "init", "--party", "KZ"]);
    await ok(["org", "register", "Ministry of Defence", "--as", "admin"]);
    await ok([
      "person",
      "register",
      "reg",
      "--org",
      "Ministry of Defence",
      "--name",
      "Registry Officer",
      "--role",
      "registry-officer",
      "--as",
      "admin",
    ]);
    totpSecret = (
      JSON.parse(
        await ok(["account", "add", "--person", "reg", "--json"], "the registry officer's first password\n"),
      ) as { totpSecret: string }
    ).totpSecret;
  }, 240_000);
  afterAll(async () => {
    await cleanup?.();
  });

  it("A4.2: prints the one-time password once; the node keeps its hash and asks a new password at sign-in", {
    timeout: 120_000,
  }, async () => {
    const refused = await kelisim(["person", "reset-password", "reg", "--as", "reg"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("A4.2");

    const output = JSON.parse(await ok(["person", "reset-password", "reg", "--as", "admin", "--json"])) as {
      username: string;
      oneTimePassword: string;
    };
    expect(output.username).toBe("reg");
    const node = await openNode({ dataDir });
    try {
      const ctx = createAppContext(node, await loadAgreementPack(node.config.agreementId));
      const entries = await auditSince(ctx, (await auditSize(ctx)) - 2);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([
        ["auth.password-reset", "refused"],
        ["auth.password-reset", "done"],
      ]);
      expect(JSON.stringify(entries)).not.toContain(output.oneTimePassword);
      const auth = await createAuthService(node, { policy: { requireTotp: false } });
      const account = await auth.findAccountByPerson(entries[1]?.object?.replace("person:", "") ?? "");
      expect(account?.password_hash).not.toContain(output.oneTimePassword);
      const signIn = auth
        .login("reg", output.oneTimePassword, currentTotp(totpSecret))
        .catch((e: unknown) => e);
      expect(((await signIn) as DomainError).code).toBe("PASSWORD_CHANGE_REQUIRED");
    } finally {
      await node.close();
    }
  });
});
