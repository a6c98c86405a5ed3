// The same messages carried by courier bundles (A5.6) with the real `kelisim courier` commands;
// forged, tampered, replayed and misaddressed messages over HTTPS refused and audited; the peer's
// audit checkpoints verified and cosigned, a forked log detected; a 100 MiB electronic carrier.
import { execFile } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { decideTransfer, requestCarrierTransfer } from "../../src/app/transfer/transfer-flow.ts";
import { signCheckpoint } from "../../src/audit/checkpoint.ts";
import { auditLogOrigin, readAuditHead } from "../../src/audit/log.ts";
import { loadAuditSigner } from "../../src/audit/signing-key.ts";
import { parseCrl } from "../../src/crypto/certificate.ts";
import {
  exportRoot,
  importPeerRoot,
  initPartyPki,
  issueOrganisationCertificates,
  revokeCertificate,
} from "../../src/crypto/pki.ts";
import { createEnvelope, type Envelope, envelopeBytes } from "../../src/exchange/messages/envelope.ts";
import { createCmsSealer, readPeerConfig } from "../../src/exchange/node-exchange.ts";
import { ParcelRefused } from "../../src/exchange/transport/https-client.ts";
import { decodeParcel } from "../../src/exchange/transport/parcel.ts";
import { makeTempDir } from "../support/databases.ts";
import { inState, transferNewCarrier, verifyNodeAudit } from "./support/flow-steps.ts";
import {
  KELISIM,
  type NodeHandle,
  ROOT,
  randomContent,
  registerOwnCarrier,
  reopen,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

const run = promisify(execFile);
async function kelisim(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [KELISIM, ...args], {
      cwd: ROOT,
      env: { ...process.env, KELISIM_LANG: "en" },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode | null = null;
let amServe: ServingNode | null = null;

beforeAll(async () => {
  base = makeTempDir("kelisim-courier-");
  ({ kz, am } = await setupTwoNodes(base));
}, 180_000);

afterAll(async () => {
  await stopNode(kzServe);
  await stopNode(amServe);
  kz?.ctx.exchange.close();
  am?.ctx.exchange.close();
  await kz?.node.close();
  await am?.node.close();
  rmSync(base, { recursive: true, force: true });
});

const carry = async (from: NodeHandle, to: NodeHandle, name: string) => {
  const bundle = join(base, name);
  const out = await kelisim(
    "courier",
    "export",
    "--data",
    from.dataDir,
    "--to",
    to.party,
    "--out",
    bundle,
    "--json",
  );
  expect(out.code, out.stderr).toBe(0);
  const imported = await kelisim("courier", "import", bundle, "--data", to.dataDir, "--json");
  expect(imported.code, imported.stderr).toBe(0);
  return {
    bundle,
    exported: JSON.parse(out.stdout) as { messages: string[] },
    imported: JSON.parse(imported.stdout) as { accepted: number; duplicate: number; refused: number },
  };
};

const securityEvents = async (h: NodeHandle) =>
  Number(
    (
      await h.node.db
        .selectFrom("audit_entries")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("event_type", "=", "exchange.security-event")
        .executeTakeFirstOrThrow()
    ).n,
  );

describe("A5 by courier bundles (no network between the nodes)", () => {
  it("A5.6: a whole transfer travels as bundles; a bundle imported twice has one effect", async () => {
    const content = randomContent(100_000);
    const c = await registerOwnCarrier(kz, {
      title: "By pouch",
      level: "secret",
      content,
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    // The first bundle carries the contract, sent once it was active (A7.1, A1.13), and the
    // facility clearance request (A5.3).
    const first = await carry(kz, am, "1-kz-am.bundle");
    expect(first.exported.messages).toHaveLength(2);
    expect(first.imported).toMatchObject({ accepted: 2, duplicate: 0, refused: 0 });
    const again = await kelisim("courier", "import", first.bundle, "--data", am.dataDir, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicate: 2, refused: 0 });
    await reopen(am);
    expect(await inState(am, transferId, "clearance-asked")()).toBeDefined();
    const confirm = await kelisim(
      "transfer",
      "confirm-clearance",
      "--data",
      am.dataDir,
      "--as",
      "amca",
      "--transfer",
      transferId,
      "--json",
    );
    expect(confirm.code, confirm.stderr).toBe(0);
    expect((await carry(am, kz, "2-am-kz.bundle")).imported.accepted).toBe(1);
    await reopen(kz);
    expect(await inState(kz, transferId, "confirmed")()).toBeDefined();
    const dispatched = await kelisim(
      "transfer",
      "dispatch",
      "--data",
      kz.dataDir,
      "--as",
      "kzreg",
      "--transfer",
      transferId,
      "--channel",
      "agreed-electronic",
      "--json",
    );
    expect(dispatched.code, dispatched.stderr).toBe(0);
    // Nothing new is bundled twice: the request went before and was answered.
    const third = await carry(kz, am, "3-kz-am.bundle");
    expect(third.exported.messages).toHaveLength(1);
    expect((await carry(am, kz, "4-am-kz.bundle")).imported.accepted).toBe(1);
    await reopen(kz);
    await reopen(am);
    expect(await inState(kz, transferId, "acknowledged")()).toBeDefined();
    const got = await am.node.db
      .selectFrom("received_carriers")
      .select("carrier_id")
      .where("transfer_id", "=", transferId)
      .executeTakeFirstOrThrow();
    expect(
      Buffer.from(await am.ctx.vault.readContentBytes(am.node.db, got.carrier_id)).equals(
        Buffer.from(content),
      ),
    ).toBe(true);
    // The same carrier-transfer bundle imported again: still one carrier.
    const replay = await kelisim("courier", "import", third.bundle, "--data", am.dataDir, "--json");
    expect(JSON.parse(replay.stdout)).toMatchObject({ accepted: 0, duplicate: 1 });
    const received = await am.node.db
      .selectFrom("received_carriers")
      .selectAll()
      .where("transfer_id", "=", transferId)
      .execute();
    expect(received).toHaveLength(1);
  });

  it("A5.6: a message that came by courier and then online has one effect", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Twice",
      level: "secret",
      content: randomContent(10),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    expect((await carry(kz, am, "5-kz-am.bundle")).imported.accepted).toBe(1);
    kzServe = await startNode(kz);
    amServe = await startNode(am);
    // The relay now delivers the same message online: answered as a duplicate, no second row.
    await waitFor(async () => {
      const row = await kz.node.db
        .selectFrom("exchange_outbox")
        .select(["state", "ack"])
        .where("kind", "=", "facility-clearance-request")
        .orderBy("seq", "desc")
        .executeTakeFirstOrThrow();
      return row.state === "delivered" ? row : undefined;
    }, "online delivery");
    const rows = await am.node.db.selectFrom("transfers").selectAll().where("id", "=", transferId).execute();
    expect(rows).toHaveLength(1);
  });
});

describe("messages refused and audited (nodes online)", () => {
  let sample: { parcel: ReturnType<typeof decodeParcel>; envelope: Envelope };

  beforeAll(async () => {
    kzServe ??= await startNode(kz);
    amServe ??= await startNode(am);
    const c = await registerOwnCarrier(kz, {
      title: "Sample",
      level: "secret",
      content: randomContent(10),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    await waitFor(inState(am, transferId, "clearance-asked"), "the request");
    const row = await kz.node.db
      .selectFrom("exchange_outbox")
      .selectAll()
      .where("kind", "=", "facility-clearance-request")
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    const parcel = decodeParcel(row.parcel);
    const inbox = await am.node.db
      .selectFrom("exchange_inbox")
      .select("envelope")
      .where("id", "=", row.id)
      .executeTakeFirstOrThrow();
    sample = { parcel, envelope: JSON.parse(inbox.envelope) as Envelope };
  });

  const post = async (parcel: ReturnType<typeof decodeParcel>) => {
    const client = kz.ctx.exchange.createClient()!;
    return client.sendParcel(parcel).then(
      (ack) => ({ ack, refused: null as null | ParcelRefused["ack"] }),
      (e: unknown) => {
        if (e instanceof ParcelRefused) return { ack: null, refused: e.ack };
        throw e;
      },
    );
  };

  it("a replayed message has one effect and is answered as a duplicate", async () => {
    const count = async () => (await am.node.db.selectFrom("transfers").select("id").execute()).length;
    const before = await count();
    expect((await post(sample.parcel)).ack?.status).toBe("duplicate");
    expect(await count()).toBe(before);
  });

  it("A5.7: a tampered message is refused and audited as a security event", async () => {
    const before = await securityEvents(am);
    const bytes = Buffer.from(sample.parcel.sealedEnvelope);
    bytes[bytes.length - 40]! ^= 0x01;
    const result = await post({ ...sample.parcel, sealedEnvelope: bytes });
    expect(result.refused?.code).toMatch(/^PACKAGE_/);
    await waitFor(async () => (await securityEvents(am)) > before, "the security event");
  });

  it("A5.6: the same id with another content is refused as a conflict and audited as a security event", async () => {
    const pack = await loadAgreementPack("kz-am-2025");
    const sealer = createCmsSealer({
      dataDir: kz.dataDir,
      party: "KZ",
      pack,
      peer: readPeerConfig(kz.dataDir),
      now: () => new Date(),
    });
    const changed = createEnvelope({
      ...sample.envelope,
      body: { ...(sample.envelope.body as object), contractNumber: "ANOTHER" } as never,
      kind: sample.envelope.kind,
    });
    const sealed = await sealer.seal({
      bytes: envelopeBytes(changed),
      from: changed.sender,
      to: changed.recipient,
      level: "secret",
    });
    const before = await securityEvents(am);
    const result = await post({
      recipientOrg: changed.recipient.org,
      sealedEnvelope: sealed,
      attachmentChunks: [],
    });
    expect(result.refused?.code).toBe("MESSAGE_CONFLICT");
    await waitFor(async () => (await securityEvents(am)) > before, "the security event");
    const row = await am.node.db
      .selectFrom("transfers")
      .select("contract_number")
      .where("id", "=", (sample.envelope.body as { transferId: string }).transferId)
      .executeTakeFirstOrThrow();
    expect(row.contract_number).toBe("KZ-AM/2026/1");
  });

  it("A5.7: a message signed under a root that is not the pinned one is refused and audited", async () => {
    const rogue = join(base, "rogue");
    await initPartyPki({ dataDir: rogue, party: "KZ", agreementId: "kz-am-2025" });
    await issueOrganisationCertificates({
      dataDir: rogue,
      orgId: sample.envelope.sender.org,
      orgName: "Rogue",
    });
    importPeerRoot({
      dataDir: rogue,
      party: "AM",
      pem: (await exportRoot({ dataDir: am.dataDir })).pem,
    });
    const pack = await loadAgreementPack("kz-am-2025");
    const sealer = createCmsSealer({
      dataDir: rogue,
      party: "KZ",
      pack,
      peer: readPeerConfig(kz.dataDir),
      now: () => new Date(),
    });
    const forged = createEnvelope({
      ...sample.envelope,
      id: randomUUID(),
      body: sample.envelope.body as never,
      kind: sample.envelope.kind,
    });
    const sealed = await sealer.seal({
      bytes: envelopeBytes(forged),
      from: forged.sender,
      to: forged.recipient,
      level: "secret",
    });
    const before = await securityEvents(am);
    const result = await post({
      recipientOrg: forged.recipient.org,
      sealedEnvelope: sealed,
      attachmentChunks: [],
    });
    expect(result.refused?.code).toBe("PACKAGE_SIGNER_UNTRUSTED");
    await waitFor(async () => (await securityEvents(am)) > before, "the security event");
    expect(
      await am.node.db
        .selectFrom("exchange_inbox")
        .select("id")
        .where("id", "=", forged.id)
        .executeTakeFirst(),
    ).toBeUndefined();
  });

  it("A5.6, A5.7: a misaddressed message and one whose signer is not its sender are refused and audited", async () => {
    const pack = await loadAgreementPack("kz-am-2025");
    const sealer = createCmsSealer({
      dataDir: kz.dataDir,
      party: "KZ",
      pack,
      peer: readPeerConfig(kz.dataDir),
      now: () => new Date(),
    });
    const before = await securityEvents(am);
    // Addressed to AM's competent authority inside, encrypted to AM's body outside.
    const misaddressed = createEnvelope({
      ...sample.envelope,
      id: randomUUID(),
      recipient: { party: "AM", org: am.ca },
      body: sample.envelope.body as never,
      kind: sample.envelope.kind,
    });
    const sealedA = await sealer.seal({
      bytes: envelopeBytes(misaddressed),
      from: misaddressed.sender,
      to: { party: "AM", org: am.body },
      level: "secret",
    });
    expect(
      (await post({ recipientOrg: am.body, sealedEnvelope: sealedA, attachmentChunks: [] })).refused?.code,
    ).toBe("MESSAGE_MISADDRESSED");
    // Says it is from KZ's body, signed by KZ's competent authority.
    const impostor = createEnvelope({
      ...sample.envelope,
      id: randomUUID(),
      sender: { party: "KZ", org: kz.body },
      body: sample.envelope.body as never,
      kind: sample.envelope.kind,
    });
    const sealedB = await sealer.seal({
      bytes: envelopeBytes(impostor),
      from: { party: "KZ", org: kz.ca },
      to: impostor.recipient,
      level: "secret",
    });
    expect(
      (await post({ recipientOrg: impostor.recipient.org, sealedEnvelope: sealedB, attachmentChunks: [] }))
        .refused?.code,
    ).toBe("MESSAGE_PEER_MISMATCH");
    await waitFor(async () => (await securityEvents(am)) >= before + 2, "two security events");
  });

  it("A5.7: a 100 MiB electronic carrier is sealed, sent, registered and acknowledged", async () => {
    const content = randomContent(100 * 1024 * 1024);
    const got = await transferNewCarrier(kz, am, { title: "Large survey", level: "secret", content });
    const stored = await am.ctx.vault.readContentBytes(am.node.db, got.amCarrierId);
    expect(stored.byteLength).toBe(content.byteLength);
    expect(Buffer.from(stored).equals(Buffer.from(content))).toBe(true);
  }, 300_000);

  it("the checkpoints: each node verified and cosigned the other's; a forked log is detected and reported", async () => {
    // Traffic both ways: each message carries its sender's checkpoint, each answer a cosignature.
    await transferNewCarrier(kz, am, { title: "Checkpoint traffic 1", level: "secret" });
    await transferNewCarrier(kz, am, { title: "Checkpoint traffic 2", level: "secret" });
    await waitFor(
      () =>
        am.node.db
          .selectFrom("exchange_peer_checkpoints")
          .select("size")
          .where("party", "=", "KZ")
          .executeTakeFirst(),
      "AM's verified KZ checkpoint",
      40_000,
    );
    await waitFor(
      () =>
        kz.node.db
          .selectFrom("exchange_cosigned_checkpoints")
          .select("size")
          .where("party", "=", "AM")
          .executeTakeFirst(),
      "KZ's checkpoint cosigned by AM",
      40_000,
    );
    // KZ's key signs a checkpoint of a size AM already verified, with another root: a fork.
    const verified = await am.node.db
      .selectFrom("exchange_peer_checkpoints")
      .selectAll()
      .where("party", "=", "KZ")
      .orderBy("size", "desc")
      .executeTakeFirstOrThrow();
    const node = { party: "KZ", nodeId: kz.node.config.nodeId };
    const forkedNote = signCheckpoint(
      { origin: auditLogOrigin(node), size: Number(verified.size), root: randomBytes(32) },
      [loadAuditSigner(kz.dataDir, node)],
    );
    const pack = await loadAgreementPack("kz-am-2025");
    const sealer = createCmsSealer({
      dataDir: kz.dataDir,
      party: "KZ",
      pack,
      peer: readPeerConfig(kz.dataDir),
      now: () => new Date(),
    });
    const env = createEnvelope({
      ...sample.envelope,
      id: randomUUID(),
      senderCheckpoint: forkedNote,
      body: { ...(sample.envelope.body as object), transferId: randomUUID() } as never,
      kind: sample.envelope.kind,
    });
    const sealed = await sealer.seal({
      bytes: envelopeBytes(env),
      from: env.sender,
      to: env.recipient,
      level: "secret",
    });
    await post({ recipientOrg: env.recipient.org, sealedEnvelope: sealed, attachmentChunks: [] });
    const alert = await waitFor(
      () =>
        am.node.db
          .selectFrom("exchange_alerts")
          .selectAll()
          .where("kind", "=", "peer-log-forked")
          .executeTakeFirst(),
      "the fork alert",
    );
    expect(JSON.parse(alert.details)).toMatchObject({ size: Number(verified.size) });
    // And a checkpoint of an earlier size whose root is not a prefix of the log: history rewritten.
    const rewrittenNote = signCheckpoint({ origin: auditLogOrigin(node), size: 2, root: randomBytes(32) }, [
      loadAuditSigner(kz.dataDir, node),
    ]);
    const env2 = createEnvelope({
      ...sample.envelope,
      id: randomUUID(),
      senderCheckpoint: rewrittenNote,
      body: { ...(sample.envelope.body as object), transferId: randomUUID() } as never,
      kind: sample.envelope.kind,
    });
    const sealed2 = await sealer.seal({
      bytes: envelopeBytes(env2),
      from: env2.sender,
      to: env2.recipient,
      level: "secret",
    });
    await post({ recipientOrg: env2.recipient.org, sealedEnvelope: sealed2, attachmentChunks: [] });
    await waitFor(
      () =>
        am.node.db
          .selectFrom("exchange_alerts")
          .selectAll()
          .where("kind", "=", "peer-log-rewritten")
          .executeTakeFirst(),
      "the rewrite alert",
    );
    expect(
      await am.node.db
        .selectFrom("exchange_peer_checkpoints")
        .select("size")
        .where("party", "=", "KZ")
        .where("size", "=", 2)
        .executeTakeFirst(),
    ).toBeUndefined();
    const status = await kelisim("exchange", "status", "--data", am.dataDir, "--json");
    expect(JSON.parse(status.stdout).alerts.map((a: { kind: string }) => a.kind)).toContain(
      "peer-log-forked",
    );
    expect((await readAuditHead(am.node.db)).size).toBeGreaterThan(0);
  }, 120_000);

  it("A5.7: a certificate KZ revokes is known at AM with no operator step: AM's node fetches KZ's newer CRL over the link", async () => {
    kzServe ??= await startNode(kz);
    await stopNode(amServe);
    amServe = null;
    await issueOrganisationCertificates({ dataDir: kz.dataDir, orgId: "kz-lost-key", orgName: "Lost key" });
    const { revoked, crlPem } = await revokeCertificate({
      dataDir: kz.dataDir,
      orgId: "kz-lost-key",
      reason: "keyCompromise",
      now: new Date(Date.now() + 1000),
    });
    expect(revoked.length).toBeGreaterThan(0);
    const held = join(am.dataDir, "pki", "peers", "KZ", "crl.pem");
    expect(parseCrl(readFileSync(held, "utf8")).revoked.size).toBe(0);
    // A running node checks the CRLs shortly after it starts (and every few hours).
    amServe = await startNode(am);
    const stored = await waitFor(async () => {
      const crl = parseCrl(readFileSync(held, "utf8"));
      return crl.revoked.size > 0 ? crl : undefined;
    }, "KZ's newer CRL at AM");
    expect(Buffer.from(stored.der).equals(Buffer.from(parseCrl(crlPem).der))).toBe(true);
    const audited = await waitFor(
      () =>
        am.node.db
          .selectFrom("audit_entries")
          .select("idx")
          .where("event_type", "=", "exchange.peer-crl-updated")
          .executeTakeFirst(),
      "the audit entry of the CRL update",
    );
    expect(audited).toBeDefined();
  });

  it("both audit logs verify", async () => {
    expect(await verifyNodeAudit(kz)).toMatchObject({ ok: true });
    expect(await verifyNodeAudit(am)).toMatchObject({ ok: true });
  });
});
