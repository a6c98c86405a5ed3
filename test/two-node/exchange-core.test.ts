// The outbox, inbox, relay and courier bundles between two real databases (SQLite and
// PostgreSQL), with a stand-in sealer so that tampering and replays can be made precisely.
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportBundle, importBundle } from "../../src/exchange/courier.ts";
import { type InboxContext, receiveParcel } from "../../src/exchange/inbox.ts";
import { createEnvelope, envelopeBytes } from "../../src/exchange/messages/envelope.ts";
import { enqueueMessage, type OutboxContext } from "../../src/exchange/outbox.ts";
import type { ExchangeAuditEntry } from "../../src/exchange/ports.ts";
import { OutboxRelay } from "../../src/exchange/relay.ts";
import { decodeParcel, encodeParcel } from "../../src/exchange/transport/parcel.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { DIALECTS, makeTempDir, openTestDatabase, type TestDatabase } from "../support/databases.ts";
import { makeHmacSealer } from "./support/hmac-sealer.ts";

const KEY = "shared-test-key";
const now = () => new Date();

for (const dialect of DIALECTS) {
  describe(`exchange outbox, inbox, relay and courier [${dialect}]`, () => {
    let kz: TestDatabase;
    let am: TestDatabase;
    const kzAudit: ExchangeAuditEntry[] = [];
    const amAudit: ExchangeAuditEntry[] = [];
    const effects: string[] = [];
    let outCtx: OutboxContext;
    let inCtx: InboxContext;

    beforeAll(async () => {
      kz = await openTestDatabase(dialect);
      am = await openTestDatabase(dialect);
      const org = (id: string, party: string) => ({
        id,
        party,
        kind: "authorized-body",
        name: id,
        created_at: now().toISOString(),
      });
      await kz.opened.db.insertInto("organisations").values(org("kz-body", "KZ")).execute();
      await am.opened.db.insertInto("organisations").values(org("am-body", "AM")).execute();
      outCtx = { party: "KZ", agreementId: "kz-am-2025", sealer: makeHmacSealer(KEY, "KZ"), now };
      inCtx = {
        db: am.opened.db,
        party: "AM",
        agreementId: "kz-am-2025",
        sealer: makeHmacSealer(KEY, "AM"),
        audit: { append: async (_trx, e) => void amAudit.push(e) },
        now,
        handlers: {
          "consent-answer": async (_trx, m) => {
            effects.push(m.envelope.id);
            return undefined;
          },
        },
      };
    });
    afterAll(async () => {
      await kz?.cleanup();
      await am?.cleanup();
    });

    const enqueue = (consentId: string) =>
      withTransaction(kz.opened.db, (trx) =>
        enqueueMessage(trx, outCtx, {
          kind: "consent-answer",
          fromOrg: "kz-body",
          to: { party: "AM", org: "am-body" },
          level: "secret",
          body: { consentId, decision: "granted", reason: null },
        }),
      );
    const parcelOf = async (id: string) => {
      const row = await kz.opened.db
        .selectFrom("exchange_outbox")
        .select("parcel")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      return decodeParcel(row.parcel);
    };

    it("A5.6: a message committed with its cause is relayed through a failing network until delivered, once", async () => {
      const env = await enqueue("c-1");
      let failures = 3;
      const relay = new OutboxRelay({
        db: kz.opened.db,
        peerParty: "AM",
        audit: { append: async (_t, e) => void kzAudit.push(e) },
        baseDelayMs: 5,
        maxDelayMs: 20,
        sender: {
          async sendParcel(parcel) {
            if (failures-- > 0) throw new Error("ECONNREFUSED");
            return receiveParcel(inCtx, parcel, "https", "KZ");
          },
        },
      });
      for (let i = 0; i < 50; i++) {
        await relay.runOnce();
        const row = await kz.opened.db
          .selectFrom("exchange_outbox")
          .select(["state", "attempts"])
          .where("id", "=", env.id)
          .executeTakeFirstOrThrow();
        if (row.state === "delivered") break;
        await new Promise((r) => setTimeout(r, 25));
      }
      const row = await kz.opened.db
        .selectFrom("exchange_outbox")
        .selectAll()
        .where("id", "=", env.id)
        .executeTakeFirstOrThrow();
      expect(row.state).toBe("delivered");
      expect(row.attempts).toBe(3);
      expect(effects.filter((e) => e === env.id)).toHaveLength(1);
    });

    it("a message delivered twice has one effect; the second is answered as a duplicate", async () => {
      const env = await enqueue("c-2");
      const parcel = await parcelOf(env.id);
      expect((await receiveParcel(inCtx, parcel, "https", "KZ")).status).toBe("accepted");
      expect((await receiveParcel(inCtx, parcel, "https", "KZ")).status).toBe("duplicate");
      expect(effects.filter((e) => e === env.id)).toHaveLength(1);
    });

    it("the same id with a different content is refused and raised as a security event", async () => {
      const env = await enqueue("c-3");
      await receiveParcel(inCtx, await parcelOf(env.id), "https", "KZ");
      const forged = createEnvelope({
        ...env,
        body: { consentId: "c-3", decision: "refused", reason: "changed" },
      });
      const sealed = await makeHmacSealer(KEY, "KZ").seal({
        bytes: envelopeBytes(forged),
        from: env.sender,
        to: env.recipient,
        level: "secret",
      });
      await expect(
        receiveParcel(
          inCtx,
          { sealedEnvelope: sealed, recipientOrg: "am-body", attachmentChunks: [] },
          "https",
          "KZ",
        ),
      ).rejects.toMatchObject({
        code: "MESSAGE_CONFLICT",
      });
      expect(amAudit.some((e) => e.event === "message-conflict" && e.outcome === "security")).toBe(true);
      expect(effects.filter((e) => e === env.id)).toHaveLength(1);
    });

    it("refuses a tampered parcel, a wrongly signed one, one from another TLS peer and a misaddressed one, and audits each", async () => {
      const env = await enqueue("c-4");
      const parcel = await parcelOf(env.id);
      const tampered = Buffer.from(parcel.sealedEnvelope);
      const idx = tampered.indexOf("bytes") + 12;
      tampered[idx] = tampered[idx] === 0x41 ? 0x42 : 0x41;
      const before = amAudit.filter((e) => e.outcome === "security").length;
      await expect(
        receiveParcel(
          inCtx,
          { sealedEnvelope: tampered, recipientOrg: "am-body", attachmentChunks: [] },
          "https",
          "KZ",
        ),
      ).rejects.toMatchObject({
        code: "PACKAGE_INTEGRITY_FAILED",
      });
      const wrongKey = makeHmacSealer(KEY, "KZ", { KZ: "another-key" });
      const wrongly = await wrongKey.seal({
        bytes: envelopeBytes(env),
        from: env.sender,
        to: env.recipient,
        level: "secret",
      });
      await expect(
        receiveParcel(
          inCtx,
          { sealedEnvelope: wrongly, recipientOrg: "am-body", attachmentChunks: [] },
          "https",
          "KZ",
        ),
      ).rejects.toMatchObject({
        code: "PACKAGE_INTEGRITY_FAILED",
      });
      await expect(receiveParcel(inCtx, parcel, "https", "XX")).rejects.toMatchObject({
        code: "MESSAGE_PEER_MISMATCH",
      });
      const elsewhere = createEnvelope({
        ...env,
        id: randomUUID(),
        recipient: { party: "AM", org: "am-nobody" },
      });
      const mis = await makeHmacSealer(KEY, "KZ").seal({
        bytes: envelopeBytes(elsewhere),
        from: env.sender,
        to: elsewhere.recipient,
        level: "secret",
      });
      await expect(
        receiveParcel(
          inCtx,
          { sealedEnvelope: mis, recipientOrg: "am-body", attachmentChunks: [] },
          "https",
          "KZ",
        ),
      ).rejects.toMatchObject({
        code: "MESSAGE_MISADDRESSED",
      });
      expect(amAudit.filter((e) => e.outcome === "security").length - before).toBe(4);
      expect(effects).not.toContain(env.id);
      expect(effects).not.toContain(elsewhere.id);
    });

    it("A5.6: a courier bundle imported twice, after the same message came online, has one effect", async () => {
      const online = await enqueue("c-5");
      await receiveParcel(inCtx, await parcelOf(online.id), "https", "KZ");
      const offline = await enqueue("c-6");
      const dir = makeTempDir();
      const out = join(dir, "to-am.bundle");
      const ids = await exportBundle(kz.opened.db, { fromParty: "KZ", toParty: "AM", out, now: now() });
      expect(ids).toEqual(expect.arrayContaining([online.id, offline.id]));
      const first = await importBundle(inCtx, out);
      const second = await importBundle(inCtx, out);
      expect(first.results.every((r) => r.ack)).toBe(true);
      expect(second.results.map((r) => r.ack?.status)).toEqual(second.results.map(() => "duplicate"));
      expect(effects.filter((e) => e === online.id)).toHaveLength(1);
      expect(effects.filter((e) => e === offline.id)).toHaveLength(1);
      // A bundle cut short is refused as a whole file, but what came before the cut was taken in once.
      const bytes = readFileSync(out);
      writeFileSync(join(dir, "cut.bundle"), bytes.subarray(0, bytes.byteLength - 3));
      await expect(importBundle(inCtx, join(dir, "cut.bundle"))).rejects.toMatchObject({
        code: "PACKAGE_STRUCTURE_INVALID",
      });
    });

    it("refuses parcels whose framing is broken", () => {
      const p = encodeParcel({
        sealedEnvelope: new Uint8Array([1, 2, 3]),
        recipientOrg: "am-body",
        attachmentChunks: [],
      });
      expect(() => decodeParcel(p.subarray(0, p.byteLength - 1))).toThrow();
      expect(() => decodeParcel(Buffer.concat([p, Buffer.from([0])]))).toThrow();
    });
  });
}
