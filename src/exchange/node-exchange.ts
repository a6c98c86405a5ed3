/**
 * The exchange of one node, wired to the node's real parts: CMS sealing with the Party PKI
 * (src/crypto), the audit log and its checkpoints (src/audit), the peer's directory and address.
 *
 * Files under `<dataDir>/exchange/`: `peer.json` (the peer Party's address, its organisations with
 * their encryption certificates, its audit verifier key), written by `kelisim exchange peer`
 * from the directory file the peer exported with `kelisim exchange directory`.
 */
import "./audit-events.ts";
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { z } from "zod";
import { cosignCheckpoint, openCheckpoint, verifyConsistency } from "../audit/checkpoint.ts";
import {
  appendAuditEntry,
  auditLogOrigin,
  proveAuditConsistency,
  signAuditCheckpoint,
} from "../audit/log.ts";
import { openSignedNote, parseVerifierKey } from "../audit/signed-note.ts";
import { auditVerifierKeyPath, loadAuditSigner } from "../audit/signing-key.ts";
import type { AgreementLabelTable } from "../crypto/label.ts";
import { buildPackageLabel } from "../crypto/label.ts";
import { exportRoot, importPeerRoot, loadNodeTls, loadOrganisation, pkiPaths } from "../crypto/pki.ts";
import { openBytes, sealBytes } from "../crypto/seal-bytes.ts";
import { followTrust } from "../crypto/trust.ts";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import type { ArticleId } from "../domain/articles.ts";
import { DomainError } from "../domain/errors.ts";
import { toTimestamp } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";
import type { Trx } from "../store/transaction.ts";
import { withTransaction } from "../store/transaction.ts";
import type { InboundHandler, InboxContext } from "./inbox.ts";
import type { MessageKind } from "./messages/catalogue.ts";
import type { Envelope } from "./messages/envelope.ts";
import type { OutboxContext } from "./outbox.ts";
import type { CheckpointPort, ExchangeAudit, MessageSealer } from "./ports.ts";
import { ExchangeClient, PeerLogTooShort } from "./transport/https-client.ts";
import { nodePeerTrust } from "./transport/peer-trust.ts";
import type { TlsIdentity } from "./transport/tls.ts";

// ------------------------------------------------------------------ peer directory

const directorySchema = z.strictObject({
  kind: z.literal("kelisim-exchange-directory"),
  version: z.literal(1),
  party: z.string().regex(/^[A-Z]{2}$/),
  agreementId: z.string(),
  rootPem: z.string(),
  rootFingerprint: z.string(),
  auditVerifierKey: z.string(),
  auditOrigin: z.string(),
  organisations: z.array(
    z.strictObject({
      id: z.string(),
      name: z.string(),
      kind: z.string(),
      encryptionCertificatePem: z.string(),
    }),
  ),
});
export type ExchangeDirectory = z.infer<typeof directorySchema>;

const peerSchema = z.strictObject({
  party: z.string().regex(/^[A-Z]{2}$/),
  url: z.string().url().nullable(),
  auditVerifierKey: z.string(),
  auditOrigin: z.string(),
  organisations: directorySchema.shape.organisations,
});
export type PeerConfig = z.infer<typeof peerSchema>;

export function exchangeDir(dataDir: string): string {
  return join(dataDir, "exchange");
}

/** This node's directory for the peer: its root, organisations with encryption certificates, audit key. */
export async function exportDirectory(
  db: Kysely<Database>,
  node: { dataDir: string; party: string; agreementId: string; nodeId: string },
): Promise<ExchangeDirectory> {
  const root = await exportRoot({ dataDir: node.dataDir });
  const orgs = await db.selectFrom("organisations").selectAll().where("party", "=", node.party).execute();
  const organisations = orgs
    .filter((o) => existsSync(join(pkiPaths(node.dataDir).org(o.id), "encryption.crt.pem")))
    .map((o) => ({
      id: o.id,
      name: o.name,
      kind: o.kind,
      encryptionCertificatePem: readFileSync(
        join(pkiPaths(node.dataDir).org(o.id), "encryption.crt.pem"),
        "utf8",
      ),
    }));
  return {
    kind: "kelisim-exchange-directory",
    version: 1,
    party: node.party,
    agreementId: node.agreementId,
    rootPem: root.pem,
    rootFingerprint: root.fingerprint,
    auditVerifierKey: readFileSync(auditVerifierKeyPath(node.dataDir), "utf8").trim(),
    auditOrigin: auditLogOrigin(node),
    organisations,
  };
}

/**
 * Connects this node to the peer Party: pins its root (checked against `expectedFingerprint` when
 * given, as read out over a second channel) and records its directory and address.
 */
export function addPeer(
  dataDir: string,
  directoryJson: unknown,
  options: { url: string | null; expectedFingerprint?: string; self: { party: string; agreementId: string } },
): PeerConfig {
  const parsed = directorySchema.safeParse(directoryJson);
  if (!parsed.success)
    throw new DomainError("INPUT_INVALID", {
      field: "directory",
      problem: parsed.error.issues[0]?.message ?? "bad",
    });
  const dir = parsed.data;
  if (dir.agreementId !== options.self.agreementId || dir.party === options.self.party)
    throw new DomainError("INPUT_INVALID", {
      field: "directory",
      problem: `not the other Party of ${options.self.agreementId}`,
    });
  importPeerRoot({
    dataDir,
    party: dir.party,
    pem: dir.rootPem,
    expectedFingerprint: options.expectedFingerprint,
    replace: false,
  });
  const peer: PeerConfig = {
    party: dir.party,
    url: options.url,
    auditVerifierKey: dir.auditVerifierKey,
    auditOrigin: dir.auditOrigin,
    organisations: dir.organisations,
  };
  mkdirSync(exchangeDir(dataDir), { recursive: true, mode: 0o700 });
  const path = join(exchangeDir(dataDir), "peer.json");
  writeFileSync(`${path}.tmp`, `${JSON.stringify(peer, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${path}.tmp`, path);
  return peer;
}

export function readPeerConfig(dataDir: string): PeerConfig | null {
  const path = join(exchangeDir(dataDir), "peer.json");
  if (!existsSync(path)) return null;
  return peerSchema.parse(JSON.parse(readFileSync(path, "utf8")));
}

// ------------------------------------------------------------------ sealing (CMS, src/crypto)

/** The agreement's label table (A2.1) as the crypto layer wants it. */
export function labelTableOf(pack: AgreementPack): AgreementLabelTable {
  const parties: Record<string, { policyOid: string; markings: Record<number, string> }> = {};
  for (const p of pack.parties) {
    const markings: Record<number, string> = {};
    for (const l of pack.levels) {
      const m = l.markings[p.markingLanguage];
      if (m) markings[l.essClassification] = m;
    }
    parties[p.code] = { policyOid: p.securityPolicyOid, markings };
  }
  return { agreementId: pack.id, agreementOid: pack.oid, parties };
}

/** Seals with the sending organisation's keys to the peer organisation's certificate (CMS). */
export function createCmsSealer(params: {
  dataDir: string;
  party: string;
  pack: AgreementPack;
  peer: PeerConfig | null;
  now: () => Date;
}): MessageSealer {
  const table = labelTableOf(params.pack);
  // Re-read when a root or CRL file changes: an imported revocation holds from the next message.
  const trustStore = followTrust(params.dataDir);
  const orgs = new Map<string, ReturnType<typeof loadOrganisation>>();
  const org = (id: string) => {
    let o = orgs.get(id);
    if (!o) {
      o = loadOrganisation({ dataDir: params.dataDir, orgId: id });
      orgs.set(id, o);
    }
    return o;
  };
  return {
    async seal({ bytes, from, to, level }) {
      const lvl = params.pack.levels.find((l) => l.id === level);
      if (!lvl) throw new DomainError("LEVEL_UNKNOWN", { level });
      const recipient = params.peer?.organisations.find((o) => o.id === to.org);
      if (!recipient || params.peer?.party !== to.party)
        throw new DomainError("MESSAGE_MISADDRESSED", { recipient: `${to.party}/${to.org}` });
      return sealBytes({
        content: bytes,
        label: buildPackageLabel(table, from.party, lvl.essClassification),
        signer: org(from.org).signer,
        recipientCert: recipient.encryptionCertificatePem,
        trust: trustStore(),
        now: params.now(),
      });
    },
    async open(sealed, recipientOrg) {
      let holder: ReturnType<typeof loadOrganisation>;
      try {
        holder = org(recipientOrg);
      } catch {
        throw new DomainError("PACKAGE_NOT_FOR_RECIPIENT", {});
      }
      const opened = openBytes({
        bytes: sealed,
        recipient: holder.recipient,
        trust: trustStore(),
        agreement: table,
        now: params.now(),
      });
      return {
        bytes: opened.content,
        signer: { party: opened.signerParty, org: opened.signerOrgId },
        recipient: { party: params.party, org: recipientOrg },
      };
    },
  };
}

// ------------------------------------------------------------------ audit (src/audit)

/** Writes exchange events to the node's audit log. */
export function createExchangeAudit(now: () => Date): ExchangeAudit {
  return {
    async append(trx, e) {
      const event =
        e.outcome === "security"
          ? "exchange.security-event"
          : (`exchange.${e.event.replace(/^exchange\./, "")}` as "exchange.message-received");
      await appendAuditEntry(trx, {
        at: now(),
        actor: e.actor,
        organisation: e.organisationId,
        event,
        object: e.object,
        outcome: e.outcome === "ok" ? "done" : e.outcome === "security" ? "refused" : "refused",
        articles: e.articles as ArticleId[],
        data: JSON.parse(JSON.stringify({ ...(e.details ?? {}), event: e.event })),
      });
    },
  };
}

export function createCheckpointPort(params: {
  db: Kysely<Database>;
  dataDir: string;
  node: { party: string; nodeId: string };
  peer: PeerConfig | null;
  now: () => Date;
}): CheckpointPort {
  const signer = loadAuditSigner(params.dataDir, params.node);
  const origin = auditLogOrigin(params.node);
  const peerVerifier = () => {
    if (!params.peer) throw new Error("no peer configured");
    return parseVerifierKey(params.peer.auditVerifierKey);
  };
  return {
    async latest(trx: Trx) {
      const cp = await signAuditCheckpoint(trx, signer, origin, params.now());
      return cp.note;
    },
    async proveConsistency(first, second) {
      return (await proveAuditConsistency(params.db, first, second)).map((b) =>
        Buffer.from(b).toString("hex"),
      );
    },
    openPeer(note) {
      const cp = openCheckpoint(note, [peerVerifier()], params.peer?.auditOrigin);
      return { size: cp.size, rootHex: cp.root.toString("hex") };
    },
    verifyPeerConsistency(olderNote, newerNote, proofHex) {
      const older = openCheckpoint(olderNote, [peerVerifier()], params.peer?.auditOrigin);
      const newer = openCheckpoint(newerNote, [peerVerifier()], params.peer?.auditOrigin);
      return verifyConsistency(
        older,
        newer,
        proofHex.map((h) => Buffer.from(h, "hex")),
      );
    },
    cosign(note) {
      return cosignCheckpoint(note, signer);
    },
    checkCosignature(note) {
      try {
        const { verifiedBy } = openSignedNote(note, [peerVerifier()]);
        return verifiedBy.length > 0;
      } catch {
        return false;
      }
    },
  };
}

/**
 * Verifies the peer's checkpoint carried by a message against the newest one this node verified
 * (RFC 9162 consistency proof fetched from the peer) and cosigns it. A log that forked (same size,
 * other root) or whose proof fails (shrunk or rewritten) is reported: an alert row and a security
 * event in the audit log; it is never cosigned.
 */
export async function checkPeerCheckpoint(
  db: Kysely<Database>,
  port: CheckpointPort,
  envelope: Envelope,
  fetchProof: ((first: number, second: number) => Promise<string[]>) | null,
  now: () => Date,
): Promise<string | null> {
  const note = envelope.senderCheckpoint;
  if (!note) return null;
  const party = envelope.sender.party;
  let cp: { size: number; rootHex: string };
  try {
    cp = port.openPeer(note);
  } catch (error) {
    await raiseAlert(
      db,
      party,
      "peer-checkpoint-invalid",
      { messageId: envelope.id, error: String(error) },
      now,
    );
    return null;
  }
  const same = await db
    .selectFrom("exchange_peer_checkpoints")
    .selectAll()
    .where("party", "=", party)
    .where("size", "=", cp.size)
    .executeTakeFirst();
  if (same) {
    if (same.root_hash === cp.rootHex) return same.cosignature;
    await raiseAlert(
      db,
      party,
      "peer-log-forked",
      { size: cp.size, seen: same.root_hash, now: cp.rootHex },
      now,
    );
    return null;
  }
  const last = await db
    .selectFrom("exchange_peer_checkpoints")
    .selectAll()
    .where("party", "=", party)
    .orderBy("size", "desc")
    .limit(1)
    .executeTakeFirst();
  if (last) {
    if (!fetchProof) return null; // verified later, when a proof can be fetched
    const [older, newer] = cp.size < last.size ? [note, last.note] : [last.note, note];
    const [a, b] = cp.size < last.size ? [cp.size, Number(last.size)] : [Number(last.size), cp.size];
    let proof: string[];
    try {
      proof = await fetchProof(a, b);
    } catch (error) {
      if (error instanceof PeerLogTooShort) {
        await raiseAlert(
          db,
          party,
          "peer-log-shrunk",
          { seen: b, now: error.size, messageId: envelope.id },
          now,
        );
      }
      return null;
    }
    if (!port.verifyPeerConsistency(older, newer, proof)) {
      await raiseAlert(
        db,
        party,
        cp.size < last.size ? "peer-log-rewritten" : "peer-log-forked",
        { from: a, to: b, messageId: envelope.id },
        now,
      );
      return null;
    }
  }
  const cosignature = port.cosign(note);
  await db
    .insertInto("exchange_peer_checkpoints")
    .values({
      party,
      size: cp.size,
      root_hash: cp.rootHex,
      note,
      cosignature,
      verified_at: toTimestamp(now()),
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return cosignature;
}

async function raiseAlert(
  db: Kysely<Database>,
  party: string,
  kind: string,
  details: Record<string, unknown>,
  now: () => Date,
): Promise<void> {
  await withTransaction(db, async (trx) => {
    await trx
      .insertInto("exchange_alerts")
      .values({
        id: randomUUID(),
        party,
        kind,
        details: JSON.stringify(details),
        raised_at: toTimestamp(now()),
      })
      .execute();
    await appendAuditEntry(trx, {
      at: now(),
      actor: "exchange",
      organisation: null,
      event: "exchange.peer-log-inconsistent",
      object: `party:${party}`,
      outcome: "refused",
      articles: [],
      data: JSON.parse(JSON.stringify({ kind, ...details })),
    });
  });
  process.stderr.write(
    `kelisim exchange: ALERT ${kind} of ${party}'s audit log: ${JSON.stringify(details)}\n`,
  );
}

// ------------------------------------------------------------------ the node's exchange

export type NodeExchange = {
  readonly party: string;
  readonly agreementId: string;
  readonly peer: PeerConfig | null;
  readonly outbox: OutboxContext;
  readonly inbox: InboxContext;
  readonly audit: ExchangeAudit;
  readonly checkpoints: CheckpointPort;
  readonly handlers: Partial<Record<MessageKind, InboundHandler>>;
  tlsIdentity(): TlsIdentity;
  createClient(): ExchangeClient | null;
  close(): void;
};

/** Wires the exchange of an open node; handlers of the flows are added to `handlers` by the caller. */
export function openNodeExchange(params: {
  db: Kysely<Database>;
  dataDir: string;
  pack: AgreementPack;
  config: { party: string; agreementId: string; nodeId: string };
  now: () => Date;
}): NodeExchange {
  const { db, dataDir, pack, config, now } = params;
  const peer = readPeerConfig(dataDir);
  const sealer = createCmsSealer({ dataDir, party: config.party, pack, peer, now });
  const audit = createExchangeAudit(now);
  const checkpoints = createCheckpointPort({ db, dataDir, node: config, peer, now });
  const handlers: Partial<Record<MessageKind, InboundHandler>> = {};
  let client: ExchangeClient | null = null;
  const tlsIdentity = (): TlsIdentity => {
    const tls = loadNodeTls(dataDir);
    return { certPem: tls.cert, keyPem: tls.key };
  };
  const createClient = () => {
    if (client || !peer?.url) return client;
    // Made once: loading the TLS key decrypts it (scrypt).
    const tls = loadNodeTls(dataDir);
    const trust = nodePeerTrust(dataDir, tls.peerRoots).find((t) => t.party === peer.party);
    if (!trust) return null;
    client = new ExchangeClient({ certPem: tls.cert, keyPem: tls.key }, { url: peer.url, trust });
    return client;
  };
  const verifier = createCheckpointVerifier(db, checkpoints, () => createClient(), now);
  const inbox: InboxContext = {
    db,
    party: config.party,
    agreementId: config.agreementId,
    sealer,
    audit,
    now,
    handlers,
    checkPeerCheckpoint: (envelope) => verifier.offer(envelope),
  };
  return {
    party: config.party,
    agreementId: config.agreementId,
    peer,
    outbox: { party: config.party, agreementId: config.agreementId, sealer, checkpoints, now },
    inbox,
    audit,
    checkpoints,
    handlers,
    tlsIdentity,
    createClient,
    close() {
      client?.close();
    },
  };
}

/**
 * Verifies the peer's checkpoints off the request path: a message is answered at once (with our
 * cosignature if that checkpoint was verified already), and the newest checkpoint offered is
 * checked in the background, one at a time, with a proof fetched over the proof connection pool.
 * (Fetching a proof while answering the peer's own request could deadlock the two nodes.)
 */
export function createCheckpointVerifier(
  db: Kysely<Database>,
  port: CheckpointPort,
  client: () => ExchangeClient | null,
  now: () => Date,
): { offer(envelope: Envelope): Promise<string | null>; idle(): Promise<void> } {
  // Checkpoints waiting to be verified, by size; bounded (the smallest are dropped first).
  const pending = new Map<number, Envelope>();
  const MAX_PENDING = 32;
  let running: Promise<void> | null = null;
  const drain = async () => {
    while (pending.size > 0) {
      const size = Math.min(...pending.keys());
      const envelope = pending.get(size)!;
      pending.delete(size);
      const c = client();
      await checkPeerCheckpoint(db, port, envelope, c ? (a, b) => c.fetchConsistency(a, b) : null, now).catch(
        () => null,
      );
    }
  };
  return {
    async offer(envelope) {
      if (envelope.checkpointCosignature)
        await storeCosignature(db, port, envelope.sender.party, envelope.checkpointCosignature, now()).catch(
          () => false,
        );
      const note = envelope.senderCheckpoint;
      if (!note) return null;
      let size: number;
      let rootHex: string;
      try {
        ({ size, rootHex } = port.openPeer(note));
      } catch {
        return null;
      }
      const seen = await db
        .selectFrom("exchange_peer_checkpoints")
        .select(["root_hash", "cosignature"])
        .where("party", "=", envelope.sender.party)
        .where("size", "=", size)
        .executeTakeFirst();
      if (seen?.root_hash === rootHex) return seen.cosignature;
      if (!pending.has(size)) pending.set(size, envelope);
      while (pending.size > MAX_PENDING) pending.delete(Math.min(...pending.keys()));
      running ??= drain().finally(() => {
        running = null;
      });
      // Meanwhile, the newest cosignature we hold over the peer's log travels back in the answer.
      const latest = await db
        .selectFrom("exchange_peer_checkpoints")
        .select("cosignature")
        .where("party", "=", envelope.sender.party)
        .orderBy("size", "desc")
        .limit(1)
        .executeTakeFirst();
      return latest?.cosignature ?? null;
    },
    async idle() {
      while (running) await running;
    },
  };
}

/** Stores a cosignature the peer returned over one of our checkpoints, if it verifies. */
export async function storeCosignature(
  db: Kysely<Database>,
  port: CheckpointPort,
  party: string,
  note: string,
  now: Date,
): Promise<boolean> {
  if (!port.checkCosignature(note)) return false;
  const size = Number(note.split("\n")[1]);
  if (!Number.isSafeInteger(size)) return false;
  await db
    .insertInto("exchange_cosigned_checkpoints")
    .values({ party, size, note, received_at: toTimestamp(now) })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return true;
}

/** A digest used to name things in logs without revealing them. */
export function shortDigest(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex").slice(0, 16);
}
