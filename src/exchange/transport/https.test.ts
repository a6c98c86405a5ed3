import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestTlsParty, type TestTlsParty } from "../../../test/two-node/support/openssl-pki.ts";
import { type RunningExchangeServer, startExchangeServer } from "../server.ts";
import { ExchangeClient, ParcelRefused, PeerLogTooShort } from "./https-client.ts";

let dir: string;
let kz: TestTlsParty;
let am: TestTlsParty;
let stranger: TestTlsParty;
let server: RunningExchangeServer;
const seen: { party: string; size: number }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kelisim-tls-"));
  kz = makeTestTlsParty(dir, "KZ");
  am = makeTestTlsParty(dir, "AM");
  stranger = makeTestTlsParty(dir, "XX");
  server = await startExchangeServer({
    host: "127.0.0.1",
    port: 0,
    identity: { certPem: kz.certPem, keyPem: kz.keyPem },
    peers: [{ party: "AM", rootPem: am.rootPem }],
    handlers: {
      async proveConsistency() {
        return [];
      },
      async auditSize() {
        return 10;
      },
      async receiveParcel(parcel, peerParty) {
        seen.push({ party: peerParty, size: parcel.sealedEnvelope.byteLength });
        if (parcel.sealedEnvelope[0] === 0xff)
          return { status: "refused", messageId: null, code: "MESSAGE_CONFLICT" };
        return { status: "accepted", messageId: "m", cosignature: null };
      },
    },
  });
});

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const url = () => `https://127.0.0.1:${server.port}`;

describe("exchange transport (A5.7: agreed cryptographic means)", () => {
  it("delivers a parcel over mutual TLS 1.3 and names the peer Party from its pinned root", async () => {
    const client = new ExchangeClient(
      { certPem: am.certPem, keyPem: am.keyPem },
      { url: url(), trust: { party: "KZ", rootPem: kz.rootPem } },
    );
    const ack = await client.sendParcel({
      sealedEnvelope: new Uint8Array([1, 2, 3]),
      recipientOrg: "am-body",
      attachmentChunks: [],
    });
    client.close();
    expect(ack.status).toBe("accepted");
    expect(seen.at(-1)).toEqual({ party: "AM", size: 3 });
  });

  it("passes a refusal back as permanent (never retried)", async () => {
    const client = new ExchangeClient(
      { certPem: am.certPem, keyPem: am.keyPem },
      { url: url(), trust: { party: "KZ", rootPem: kz.rootPem } },
    );
    await expect(
      client.sendParcel({
        sealedEnvelope: new Uint8Array([0xff]),
        recipientOrg: "am-body",
        attachmentChunks: [],
      }),
    ).rejects.toBeInstanceOf(ParcelRefused);
    client.close();
  });

  it("refuses a client whose certificate is not from the peer Party's root", async () => {
    const client = new ExchangeClient(
      { certPem: stranger.certPem, keyPem: stranger.keyPem },
      { url: url(), trust: { party: "KZ", rootPem: kz.rootPem } },
    );
    const before = seen.length;
    await expect(
      client.sendParcel({
        sealedEnvelope: new Uint8Array([1]),
        recipientOrg: "am-body",
        attachmentChunks: [],
      }),
    ).rejects.toThrow();
    client.close();
    expect(seen.length).toBe(before);
  });

  it("refuses a client without a certificate and a client offering only TLS 1.2", async () => {
    const attempt = (opts: Record<string, unknown>) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          `${url()}/exchange/v1/health`,
          { ca: [kz.rootPem], checkServerIdentity: () => undefined, ...opts },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on("error", reject);
        req.end();
      });
    await expect(attempt({})).rejects.toThrow();
    await expect(attempt({ cert: am.certPem, key: am.keyPem, maxVersion: "TLSv1.2" })).rejects.toThrow();
    await expect(attempt({ cert: am.certPem, key: am.keyPem })).resolves.toBe(200);
  });

  it("tells a client that asks for a proof beyond the log's size that the log is shorter (a shrunk log)", async () => {
    const client = new ExchangeClient(
      { certPem: am.certPem, keyPem: am.keyPem },
      { url: url(), trust: { party: "KZ", rootPem: kz.rootPem } },
    );
    await expect(client.fetchConsistency(2, 8)).resolves.toEqual([]);
    await expect(client.fetchConsistency(2, 12)).rejects.toBeInstanceOf(PeerLogTooShort);
    client.close();
  });

  it("refuses a server that is not the peer Party's node", async () => {
    const client = new ExchangeClient(
      { certPem: am.certPem, keyPem: am.keyPem },
      { url: url(), trust: { party: "XX", rootPem: stranger.rootPem } },
    );
    await expect(
      client.sendParcel({
        sealedEnvelope: new Uint8Array([1]),
        recipientOrg: "am-body",
        attachmentChunks: [],
      }),
    ).rejects.toThrow();
    client.close();
  });
});
