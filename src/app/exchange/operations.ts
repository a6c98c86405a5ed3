// The node operator's dealings with the link to the other Party's node (A5.6, A5.7): certificates
// the exchange needs, the directory handed to the peer, the state of the outbox and inbox, courier
// bundles. They carry no classified content and name no person: the node acts.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { issueNodeTlsCertificate, issueOrganisationCertificates, pkiPaths } from "../../crypto/pki.ts";
import { exportBundle } from "../../exchange/courier.ts";
import { exportDirectory } from "../../exchange/node-exchange.ts";
import { type RunningExchange, runExchange } from "../../exchange/run-exchange.ts";
import { parseJsonColumn } from "../../store/columns.ts";
import type { AppContext } from "../context.ts";
import type { FlowContext } from "../transfer/flow-context.ts";

/** Issues the certificates the exchange needs and that are missing; returns what was issued. */
export async function certifyNode(
  ctx: AppContext,
  input: { readonly hosts: readonly string[]; readonly ips: readonly string[] },
): Promise<string[]> {
  const issued: string[] = [];
  const orgs = await ctx.db
    .selectFrom("organisations")
    .selectAll()
    .where("party", "=", ctx.config.party)
    .execute();
  for (const org of orgs) {
    if (existsSync(join(pkiPaths(ctx.dataDir).org(org.id), "signing.crt.pem"))) continue;
    await issueOrganisationCertificates({ dataDir: ctx.dataDir, orgId: org.id, orgName: org.name });
    issued.push(`${org.name} (${org.id}): signing, encryption`);
  }
  if (!existsSync(join(pkiPaths(ctx.dataDir).node, "tls.crt.pem"))) {
    await issueNodeTlsCertificate({ dataDir: ctx.dataDir, hostnames: [...input.hosts], ips: [...input.ips] });
    issued.push("node TLS (serverAuth, clientAuth)");
  }
  return issued;
}

/** This node's directory for the peer (root, organisations' encryption certificates, audit key). */
export async function nodeDirectory(ctx: AppContext) {
  return exportDirectory(ctx.db, {
    dataDir: ctx.dataDir,
    party: ctx.config.party,
    agreementId: ctx.config.agreementId,
    nodeId: ctx.config.nodeId,
  });
}

/** Serves the exchange (mutual TLS) and runs the relay until stopped. */
export async function serveExchange(
  ctx: FlowContext,
  input: { host: string; port: number; retryMaxMs?: number; log?: (line: string) => void },
): Promise<RunningExchange> {
  return runExchange({
    db: ctx.db,
    dataDir: ctx.dataDir,
    exchange: ctx.exchange,
    host: input.host,
    port: input.port,
    ...(input.retryMaxMs !== undefined ? { retryMaxMs: input.retryMaxMs } : {}),
    ...(input.log ? { log: input.log } : {}),
  });
}

/** The outbox and inbox by state, the checkpoints verified and cosigned, and the security alerts. */
export async function exchangeStatus(ctx: AppContext) {
  const db = ctx.db;
  const [outbox, inbox, alerts, peerCheckpoint, cosigned] = await Promise.all([
    db
      .selectFrom("exchange_outbox")
      .select(["state", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("state")
      .execute(),
    db
      .selectFrom("exchange_inbox")
      .select(["outcome", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("outcome")
      .execute(),
    db.selectFrom("exchange_alerts").selectAll().orderBy("raised_at").execute(),
    db
      .selectFrom("exchange_peer_checkpoints")
      .select(["party", "size"])
      .orderBy("size", "desc")
      .limit(1)
      .executeTakeFirst(),
    db
      .selectFrom("exchange_cosigned_checkpoints")
      .select(["size"])
      .orderBy("size", "desc")
      .limit(1)
      .executeTakeFirst(),
  ]);
  return {
    outbox: Object.fromEntries(outbox.map((r) => [r.state, Number(r.n)])),
    inbox: Object.fromEntries(inbox.map((r) => [r.outcome, Number(r.n)])),
    peerCheckpointVerified: peerCheckpoint ? Number(peerCheckpoint.size) : null,
    ownCheckpointCosignedByPeer: cosigned ? Number(cosigned.size) : null,
    alerts: alerts.map((a) => ({
      kind: a.kind,
      party: a.party,
      at: a.raised_at,
      details: parseJsonColumn(z.unknown(), a.details, "exchange_alerts.details"),
    })),
  };
}

/** Writes every message waiting for `toParty` into a courier bundle; returns their ids. */
export async function exportCourierBundle(
  ctx: AppContext,
  input: { toParty: string; out: string; again: boolean },
): Promise<string[]> {
  return exportBundle(ctx.db, {
    fromParty: ctx.config.party,
    toParty: input.toParty,
    out: input.out,
    now: ctx.now(),
    again: input.again,
  });
}

/** How many organisations, people, contracts and carriers the node holds. */
export async function nodeCounts(ctx: AppContext) {
  const count = async (table: "organisations" | "people" | "contracts" | "carriers") =>
    Number(
      (
        await ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    organisations: await count("organisations"),
    people: await count("people"),
    contracts: await count("contracts"),
    carriers: await count("carriers"),
  };
}
