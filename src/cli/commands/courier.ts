// `kelisim exchange …` (the link between the two nodes) and `kelisim courier …` (the same
// messages carried as files by state courier or diplomatic pouch, A5.6).
import { readFileSync, writeFileSync } from "node:fs";
import type { Command } from "commander";
import {
  certifyNode,
  exchangeStatus,
  exportCourierBundle,
  nodeDirectory,
  serveExchange,
} from "../../app/exchange/operations.ts";
import { createFlowContext, type FlowContext } from "../../app/transfer/flow-context.ts";
import { registerFlowHandlers } from "../../app/transfer/register-flow-handlers.ts";
import { DomainError } from "../../domain/errors.ts";
import { importBundle } from "../../exchange/courier.ts";
import { addPeer } from "../../exchange/node-exchange.ts";
import { printResult } from "../output.ts";
import { addNodeOptions, type NodeCommandOptions, withNodeApp } from "./node.ts";

/** Opens the node with its flows wired to the exchange, runs `work`, closes it. */
export async function withFlows<T>(
  options: NodeCommandOptions,
  work: (ctx: FlowContext) => Promise<T>,
): Promise<T> {
  return withNodeApp(options, async (app) => {
    const ctx = createFlowContext(app);
    registerFlowHandlers(ctx);
    try {
      return await work(ctx);
    } finally {
      ctx.exchange.close();
    }
  });
}

export function registerCourierCommands(program: Command): void {
  const exchange = program
    .command("exchange")
    .description("the signed, encrypted link between the two Parties' nodes (A5.6, A5.7)");

  addNodeOptions(
    exchange
      .command("certify")
      .description(
        "issue, under the Party root, the certificates the exchange needs and that are missing: each organisation's signing and encryption certificates, and the node's TLS certificate (A5.7)",
      )
      .option("--host <name...>", "extra DNS names for the TLS certificate")
      .option("--ip <address...>", "extra IP addresses for the TLS certificate"),
  ).action(async (options: NodeCommandOptions & { host?: string[]; ip?: string[] }) => {
    await withNodeApp(options, async (ctx) => {
      const issued = await certifyNode(ctx, { hosts: options.host ?? [], ips: options.ip ?? [] });
      printResult(
        options,
        () => (issued.length ? issued.map((l) => `issued ${l}`).join("\n") : "nothing to issue"),
        { issued },
      );
    });
  });

  addNodeOptions(
    exchange
      .command("directory")
      .description(
        "write this node's directory (root, organisations' encryption certificates, audit key) for the peer",
      )
      .requiredOption("--out <file>", "where to write it"),
  ).action(async (options: NodeCommandOptions & { out: string }) => {
    await withNodeApp(options, async (ctx) => {
      const dir = await nodeDirectory(ctx);
      writeFileSync(options.out, `${JSON.stringify(dir, null, 2)}\n`);
      printResult(
        options,
        () =>
          `directory of ${dir.party} written to ${options.out}\nroot fingerprint (read it out over a second channel): ${dir.rootFingerprint}`,
        { party: dir.party, fingerprint: dir.rootFingerprint, organisations: dir.organisations.length },
      );
    });
  });

  addNodeOptions(
    exchange
      .command("peer")
      .description("connect to the other Party's node: pin its root and record its directory and address")
      .requiredOption("--directory <file>", "the directory the peer exported")
      .option(
        "--url <url>",
        "the peer node's exchange address, e.g. https://127.0.0.1:7443 (omit for courier only)",
      )
      .option("--fingerprint <sha256>", "the peer root's fingerprint as read out over a second channel"),
  ).action(
    async (options: NodeCommandOptions & { directory: string; url?: string; fingerprint?: string }) => {
      await withNodeApp(options, async (ctx) => {
        const peer = addPeer(ctx.dataDir, JSON.parse(readFileSync(options.directory, "utf8")), {
          url: options.url ?? null,
          ...(options.fingerprint ? { expectedFingerprint: options.fingerprint } : {}),
          self: { party: ctx.config.party, agreementId: ctx.config.agreementId },
        });
        printResult(
          options,
          () =>
            `peer ${peer.party} recorded (${peer.organisations.length} organisations)${peer.url ? ` at ${peer.url}` : ", courier only"}`,
          peer,
        );
      });
    },
  );

  addNodeOptions(
    exchange
      .command("serve")
      .description("take messages in over mutual TLS 1.3 and push the outbox to the peer")
      .option("--listen <host:port>", "address to listen on", "127.0.0.1:7443")
      .option("--retry-max-ms <ms>", "longest pause between delivery attempts", "5000"),
  ).action(async (options: NodeCommandOptions & { listen: string; retryMaxMs: string }) => {
    const [host, portText] = options.listen.split(/:(?=\d+$)/);
    const port = Number(portText);
    if (!host || !Number.isInteger(port))
      throw new DomainError("INPUT_INVALID", { field: "listen", problem: "use host:port" });
    await withFlows(options, async (ctx) => {
      const running = await serveExchange(ctx, {
        host,
        port,
        retryMaxMs: Number(options.retryMaxMs),
        log: (l) => process.stderr.write(`${l}\n`),
      });
      process.stdout.write(
        `${JSON.stringify({ listening: `${host}:${running.server.port}`, party: ctx.config.party, peer: ctx.exchange.peer?.party ?? null })}\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
      });
      await running.stop();
    });
  });

  addNodeOptions(
    exchange.command("status").description("the outbox, inbox and what was found wrong with the peer"),
  ).action(async (options: NodeCommandOptions) => {
    await withNodeApp(options, async (ctx) => {
      const value = await exchangeStatus(ctx);
      printResult(options, () => JSON.stringify(value, null, 2), value);
    });
  });

  // The notices about the agreement itself (A15.1, A15.2) are messages now: `kelisim agreement notify`.

  const courier = program
    .command("courier")
    .description("carry the messages for the peer as a file (state courier, diplomatic pouch: A5.6)");
  addNodeOptions(
    courier
      .command("export")
      .description("write every message waiting for the peer into a bundle")
      .requiredOption("--to <party>", "the peer Party")
      .requiredOption("--out <file>", "the bundle file")
      .option("--again", "include every message not yet delivered or answered (a bundle was lost)"),
  ).action(async (options: NodeCommandOptions & { to: string; out: string; again?: boolean }) => {
    await withNodeApp(options, async (ctx) => {
      const ids = await exportCourierBundle(ctx, {
        toParty: options.to,
        out: options.out,
        again: options.again ?? false,
      });
      printResult(options, () => `${ids.length} message(s) for ${options.to} written to ${options.out}`, {
        to: options.to,
        out: options.out,
        messages: ids,
      });
    });
  });
  addNodeOptions(
    courier
      .command("import")
      .description("take in a bundle from the peer; messages already taken in have no second effect")
      .argument("<bundle>", "the bundle file"),
  ).action(async (bundle: string, options: NodeCommandOptions) => {
    await withFlows(options, async (ctx) => {
      const result = await importBundle(ctx.exchange.inbox, bundle);
      const summary = {
        from: result.from,
        accepted: result.results.filter((r) => r.ack?.status === "accepted").length,
        duplicate: result.results.filter((r) => r.ack?.status === "duplicate").length,
        refused: result.results.filter((r) => r.ack?.status === "refused" || r.error).length,
        results: result.results,
      };
      printResult(
        options,
        () =>
          `bundle from ${summary.from}: ${summary.accepted} taken in, ${summary.duplicate} already seen, ${summary.refused} refused`,
        summary,
      );
      if (summary.refused > 0) process.exitCode = 1;
    });
  });
}
