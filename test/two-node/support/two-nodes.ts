// Two real nodes on one machine for the flow tests: each its own data directory and SQLite file,
// its own Party PKI, connected by their directories; `startNode` spawns `kelisim exchange serve`
// as a separate process. The set-up uses the same use cases the CLI runs.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { loadAgreementPack } from "../../../src/agreements/load-pack.ts";
import { recordAgreementNotice } from "../../../src/app/agreement/record-notice.ts";
import { indexCarrierTitle } from "../../../src/app/carriers/carrier-repository.ts";
import { type AppContext, createAppContext } from "../../../src/app/context.ts";
import { activateContract } from "../../../src/app/contracts/activate-contract.ts";
import { addContractParticipant } from "../../../src/app/contracts/add-contract-participant.ts";
import { amendContract } from "../../../src/app/contracts/amend-contract.ts";
import { createContract } from "../../../src/app/contracts/create-contract.ts";
import { initNode } from "../../../src/app/node/init-node.ts";
import { grantFacilityClearance } from "../../../src/app/organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../../../src/app/organisations/register-organisation.ts";
import { grantPersonalClearance } from "../../../src/app/people/grant-personal-clearance.ts";
import {
  allocateRegistration,
  createFlowContext,
  type FlowContext,
} from "../../../src/app/transfer/flow-context.ts";
import { registerFlowHandlers } from "../../../src/app/transfer/register-flow-handlers.ts";
import { ensureContentWrapKey } from "../../../src/crypto/at-rest/wrap-key.ts";
import {
  initPartyPki,
  issueNodeTlsCertificate,
  issueOrganisationCertificates,
} from "../../../src/crypto/pki.ts";
import { markingOf } from "../../../src/domain/classification/levels.ts";
import { CONTRACT_CLAUSES } from "../../../src/domain/contract/contract-machine.ts";
import { addPeer, exportDirectory } from "../../../src/exchange/node-exchange.ts";
import { type OpenNode, openNode } from "../../../src/node/open-node.ts";
import { toTimestamp } from "../../../src/store/columns.ts";
import { withTransaction } from "../../../src/store/transaction.ts";
import { KELISIM_BIN } from "../../support/cli.ts";
import { registerAcknowledgedPerson } from "../../support/people.ts";
import { freePort } from "../../support/ports.ts";

export const ROOT = resolve(import.meta.dirname, "../../..");
export const KELISIM = KELISIM_BIN;

export type NodeHandle = {
  readonly party: "KZ" | "AM";
  readonly dataDir: string;
  /** PostgreSQL (DATABASE_URL) instead of the SQLite file in the data directory. */
  readonly databaseUrl?: string;
  readonly port: number;
  readonly ca: string;
  readonly body: string;
  readonly bodyName: string;
  node: OpenNode;
  ctx: FlowContext;
};

export type { freePort };

async function openFlows(
  dataDir: string,
  databaseUrl?: string,
): Promise<{ node: OpenNode; ctx: FlowContext }> {
  const node = await openNode(databaseUrl ? { dataDir, databaseUrl } : { dataDir });
  const pack = await loadAgreementPack(node.config.agreementId);
  const ctx = createFlowContext(createAppContext(node, pack));
  registerFlowHandlers(ctx);
  return { node, ctx };
}

/** Re-opens the node's database in this process (after the server process changed it). */
export async function reopen(h: NodeHandle): Promise<void> {
  h.ctx.exchange.close();
  await h.node.close();
  const { node, ctx } = await openFlows(h.dataDir, h.databaseUrl);
  h.node = node;
  h.ctx = ctx;
}

async function makeParty(
  base: string,
  party: "KZ" | "AM",
  port: number,
  databaseUrl?: string,
  inForce = true,
): Promise<NodeHandle> {
  const dataDir = join(base, party.toLowerCase());
  const location = databaseUrl ? { dataDir, databaseUrl } : { dataDir };
  const init = await initNode({ location, party });
  ensureContentWrapKey(dataDir);
  const node = await openNode(location);
  const pack = await loadAgreementPack(node.config.agreementId);
  const app: AppContext = createAppContext(node, pack);
  const p = party.toLowerCase();
  const bodyName = `${party} Defence Institute`;
  const body = await registerOrganisation(app, { actor: "admin", name: bodyName });
  const ca = init.competentAuthority.id;
  await registerAcknowledgedPerson(app, {
    actor: "admin",
    organisation: ca,
    handle: `${p}ca`,
    name: `${party} CA officer`,
    roles: ["competent-authority-officer"],
  });
  await registerAcknowledgedPerson(app, {
    actor: "admin",
    organisation: body.id,
    handle: `${p}reg`,
    name: `${party} registry officer`,
    roles: ["registry-officer"],
  });
  const from = "2026-01-01";
  const to = "2030-12-31";
  await grantFacilityClearance(app, {
    actor: `${p}ca`,
    organisation: body.id,
    level: "top-secret",
    validFrom: from,
    validTo: to,
  });
  await grantPersonalClearance(app, {
    actor: `${p}ca`,
    person: `${p}reg`,
    level: "top-secret",
    validFrom: from,
    validTo: to,
  });
  await initPartyPki({ dataDir, party, agreementId: node.config.agreementId });
  await issueOrganisationCertificates({ dataDir, orgId: ca, orgName: init.competentAuthority.name });
  await issueOrganisationCertificates({ dataDir, orgId: body.id, orgName: bodyName });
  await issueNodeTlsCertificate({ dataDir });
  const other = party === "KZ" ? "AM" : "KZ";
  // The agreement in force as both notices recorded (A15.1), unless the test exchanges them itself.
  if (inForce) await recordNoticesInForce(app, p, party, other);
  await node.close();
  const opened = await openFlows(dataDir, databaseUrl);
  return {
    party,
    dataDir,
    ...(databaseUrl ? { databaseUrl } : {}),
    port,
    ca,
    body: body.id,
    bodyName,
    ...opened,
  };
}

/**
 * Both notices of completed procedures as this node would hold them had they been exchanged before
 * it was connected (A15.1): the set-up the demo also uses.
 */
async function recordNoticesInForce(app: AppContext, p: string, party: string, other: string): Promise<void> {
  await recordAgreementNotice(app, {
    actor: `${p}ca`,
    event: "receive-notice",
    from: party,
    at: "2026-02-01T00:00:00Z",
  });
  await recordAgreementNotice(app, {
    actor: `${p}ca`,
    event: "receive-notice",
    from: other,
    at: "2026-03-01T00:00:00Z",
  });
}

/** Two initialised, connected nodes (not yet serving); the agreement in force unless `inForce: false`. */
export async function setupTwoNodes(
  base: string,
  databases: { kz?: string; am?: string } = {},
  options: { inForce?: boolean } = {},
): Promise<{ kz: NodeHandle; am: NodeHandle }> {
  const [kzPort, amPort] = [await freePort(), await freePort()];
  const inForce = options.inForce ?? true;
  const kz = await makeParty(base, "KZ", kzPort, databases.kz, inForce);
  const am = await makeParty(base, "AM", amPort, databases.am, inForce);
  const dirOf = (h: NodeHandle) =>
    exportDirectory(h.node.db, {
      dataDir: h.dataDir,
      party: h.party,
      agreementId: h.node.config.agreementId,
      nodeId: h.node.config.nodeId,
    });
  const kzDir = await dirOf(kz);
  const amDir = await dirOf(am);
  addPeer(kz.dataDir, amDir, {
    url: `https://127.0.0.1:${am.port}`,
    expectedFingerprint: amDir.rootFingerprint,
    self: { party: "KZ", agreementId: "kz-am-2025" },
  });
  addPeer(am.dataDir, kzDir, {
    url: `https://127.0.0.1:${kz.port}`,
    expectedFingerprint: kzDir.rootFingerprint,
    self: { party: "AM", agreementId: "kz-am-2025" },
  });
  await reopen(kz);
  await reopen(am);
  // KZ's body and AM's body under an active contract with both levels listed (A7.1).
  await createContract(kz.ctx, {
    actor: "kzreg",
    number: "KZ-AM/2026/1",
    title: "Joint work",
    counterpartName: am.bodyName,
  });
  await amendContract(kz.ctx, {
    actor: "kzreg",
    contract: "KZ-AM/2026/1",
    clauses: Object.fromEntries(CONTRACT_CLAUSES.map((c) => [c, `clause ${c}`])),
    information: [
      { description: "designs", level: "secret" },
      { description: "test results", level: "top-secret" },
    ],
  });
  await addContractParticipant(kz.ctx, { actor: "kzreg", contract: "KZ-AM/2026/1", person: "kzreg" });
  await activateContract(kz.ctx, { actor: "kzreg", contract: "KZ-AM/2026/1" });
  return { kz, am };
}

/**
 * Registers one of the node's own carriers with electronic content, as the registry does (A6.2).
 * (The carrier-registration use case of the registry is not used here so that the tests do not
 * depend on its command-line shape; the row is the registry's own.)
 */
export async function registerOwnCarrier(
  h: NodeHandle,
  input: { title: string; level: string; content?: Uint8Array; contract?: string; kind?: string },
): Promise<{ id: string; registrationNumber: string }> {
  const ctx = h.ctx;
  return withTransaction(ctx.db, async (trx) => {
    const { number, seq } = await allocateRegistration(trx, ctx);
    const contract = input.contract
      ? await trx
          .selectFrom("contracts")
          .select("id")
          .where("number", "=", input.contract)
          .executeTakeFirstOrThrow()
      : null;
    const id = ctx.newId();
    const at = toTimestamp(ctx.now());
    await trx
      .insertInto("carriers")
      .values({
        id,
        seq,
        registration_number: number,
        copy_number: 1,
        kind: input.kind ?? (input.content ? "electronic-file" : "paper-document"),
        sheets: input.content ? null : 3,
        size_bytes: input.content ? input.content.byteLength : null,
        title: input.title,
        level: input.level,
        marking: markingOf(ctx.pack, ctx.config.party, input.level),
        national_marking: null,
        originator_party: ctx.config.party,
        originator_name: h.bodyName,
        originator_organisation_id: h.body,
        custodian_organisation_id: h.body,
        contract_id: contract?.id ?? null,
        state: "registered",
        has_content: input.content ? 1 : 0,
        registered_at: at,
        registered_by: "test",
        updated_at: at,
        destroyed_at: null,
        version: 1,
      })
      .execute();
    await indexCarrierTitle(trx, seq, input.title);
    if (input.content) await ctx.vault.storeContent(trx, id, input.content, ctx.now());
    return { id, registrationNumber: number };
  });
}

export type ServingNode = {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  stderr: string;
};

/** Spawns `kelisim exchange serve` for the node as its own process; resolves once it listens. */
export async function startNode(h: NodeHandle, options: { retryMaxMs?: number } = {}): Promise<ServingNode> {
  const child = spawn(
    process.execPath,
    [
      KELISIM,
      "exchange",
      "serve",
      "--data",
      h.dataDir,
      "--listen",
      `127.0.0.1:${h.port}`,
      "--retry-max-ms",
      String(options.retryMaxMs ?? 2000),
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, KELISIM_LANG: "en", DATABASE_URL: h.databaseUrl ?? "" },
    },
  );
  const serving: ServingNode = {
    child,
    stderr: "",
    exited: new Promise((res) => child.once("exit", (code) => res(code))),
  };
  child.stderr!.on("data", (d: Buffer) => {
    serving.stderr = (serving.stderr + d.toString()).slice(-20_000);
  });
  await new Promise<void>((res, rej) => {
    let out = "";
    const timer = setTimeout(
      () => rej(new Error(`node ${h.party} did not start: ${serving.stderr}`)),
      60_000,
    );
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes('"listening"')) {
        clearTimeout(timer);
        res();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      rej(new Error(`node ${h.party} exited ${code}: ${serving.stderr}`));
    });
  });
  return serving;
}

export async function stopNode(
  s: ServingNode | null | undefined,
  signal: NodeJS.Signals = "SIGTERM",
): Promise<void> {
  if (!s || s.child.exitCode !== null || s.child.signalCode !== null) return;
  s.child.kill(signal);
  await s.exited;
}

/** Polls `check` until it returns a value (not undefined/false) or the time is up. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false | null>,
  what: string,
  timeoutMs = 180_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function randomContent(size: number): Uint8Array {
  return randomBytes(size);
}
