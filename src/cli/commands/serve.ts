// `kelisim serve`: a node's HTTP API and web UI. `kelisim account add`: a login for a person, with
// its TOTP secret. A production node (no --demo) refuses to start while demo accounts exist, and
// every login needs the second factor.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { AuthService, DEFAULT_AUTH_POLICY } from "../../api/auth/auth-service.ts";
import { createPasswordHasher, MIN_PASSWORD_LENGTH } from "../../api/auth/password.ts";
import { createTotpSecret, totpUri } from "../../api/auth/totp.ts";
import { loadTotpSealKey } from "../../api/auth/totp-seal.ts";
import { DEMO_PASSWORD } from "../../api/demo/demo-world.ts";
import { startNodeServer } from "../../api/run-node.ts";
import { ensureWebBuilt } from "../../api/web-assets.ts";
import { findPerson } from "../../app/refs.ts";
import { DomainError } from "../../domain/errors.ts";
import { resolveNodeLocation } from "../../node/open-node.ts";
import type { Trx } from "../../store/transaction.ts";
import { printResult } from "../output.ts";
import { addNodeOptions, type NodeCommandOptions, withNodeApp } from "./node.ts";

/** Waits for SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off("SIGINT", on);
      process.off("SIGTERM", on);
      resolve(signal);
    };
    process.on("SIGINT", on);
    process.on("SIGTERM", on);
  });
}

export function registerServeCommands(program: Command): void {
  addNodeOptions(
    program
      .command("serve")
      .description("serve the node's HTTP API (OpenAPI at /docs) and web UI")
      .option("--host <host>", "address to listen on", "127.0.0.1")
      .option("--port <port>", "port", "7100")
      .option("--tls-cert <file>", "certificate (PEM) for HTTPS")
      .option("--tls-key <file>", "private key (PEM) for HTTPS")
      .option("--demo", "demo mode: demo accounts allowed, TOTP not required (never in production)"),
  ).action(
    async (
      options: NodeCommandOptions & {
        host: string;
        port: string;
        tlsCert?: string;
        tlsKey?: string;
        demo?: boolean;
      },
    ) => {
      if (Boolean(options.tlsCert) !== Boolean(options.tlsKey)) {
        throw new DomainError("INPUT_INVALID", {
          field: "tls",
          problem: "give both --tls-cert and --tls-key",
        });
      }
      const webRoot = await ensureWebBuilt({ quiet: true });
      const running = await startNodeServer({
        location: resolveNodeLocation(options),
        host: options.host,
        port: Number(options.port),
        demo: Boolean(options.demo),
        webRoot,
        ...(options.tlsCert && options.tlsKey
          ? {
              tls: { cert: readFileSync(options.tlsCert, "utf8"), key: readFileSync(options.tlsKey, "utf8") },
            }
          : {}),
      });
      printResult(
        options,
        () => `node of ${running.node.config.party} serving ${running.url} (API docs: ${running.url}/docs)`,
        { url: running.url, party: running.node.config.party },
      );
      await untilSignal();
      await running.close();
    },
  );

  const account = program.command("account").description("logins of the node's people (argon2id + TOTP)");
  addNodeOptions(
    account
      .command("add")
      .description("give a person a login; the password is read from stdin; prints the TOTP secret once")
      .requiredOption("--person <handle>", "the person")
      .option("--username <name>", "login name (default: the handle)"),
  ).action(async (options: NodeCommandOptions & { person: string; username?: string }) => {
    const password = readFileSync(0, "utf8").replace(/\r?\n$/, "");
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new DomainError("INPUT_INVALID", {
        field: "password",
        problem: `at least ${MIN_PASSWORD_LENGTH} characters`,
      });
    }
    if (password === DEMO_PASSWORD) {
      throw new DomainError("INPUT_INVALID", {
        field: "password",
        problem: "the published demo password is refused",
      });
    }
    await withNodeApp(options, async (ctx) => {
      const person = await findPerson(ctx.db as unknown as Trx, options.person);
      const auth = new AuthService(
        ctx.db,
        await createPasswordHasher(),
        loadTotpSealKey(ctx.dataDir),
        DEFAULT_AUTH_POLICY,
      );
      const secret = createTotpSecret();
      const username = options.username ?? person.handle;
      await auth.createAccount({ personId: person.id, username, password, totpSecret: secret });
      const uri = totpUri(secret, `${ctx.config.party}:${username}`);
      printResult(
        options,
        () => `login ${username} created for ${person.name}\nTOTP secret (shown once): ${secret}\n${uri}`,
        { username, personId: person.id, totpSecret: secret, totpUri: uri },
      );
    });
  });
}
