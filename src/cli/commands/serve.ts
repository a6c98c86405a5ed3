// `kelisim serve`: a node's HTTP API and web UI. `kelisim account add`: a login for a person, with
// its TOTP secret. A production node (no --demo) refuses to start while demo accounts exist, and
// every login needs the second factor.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { startNodeServer } from "../../api/run-node.ts";
import { builtWebRoot } from "../../api/web-assets.ts";
import { createLogin } from "../../app/auth/create-login.ts";
import { DomainError } from "../../domain/errors.ts";
import { resolveNodeLocation } from "../../node/open-node.ts";
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
      const webRoot = builtWebRoot();
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
    await withNodeApp(options, async (_ctx, node) => {
      const login = await createLogin(node, {
        person: options.person,
        password,
        ...(options.username ? { username: options.username } : {}),
      });
      printResult(
        options,
        () =>
          `login ${login.username} created for ${login.personName}\nTOTP secret (shown once): ${login.totpSecret}\n${login.totpUri}`,
        {
          username: login.username,
          personId: login.personId,
          totpSecret: login.totpSecret,
          totpUri: login.totpUri,
        },
      );
    });
  });
}
