import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  exportRoot,
  importPeerCrl,
  importPeerRoot,
  initPartyPki,
  issueNodeTlsCertificate,
  loadNodeTls,
  revokeCertificate,
} from "../../crypto/pki.ts";
import { type RunningExchangeServer, startExchangeServer } from "../server.ts";
import { ExchangeClient, OwnCertificateRefused } from "./https-client.ts";
import type { Parcel } from "./parcel.ts";
import { nodePeerTrust } from "./peer-trust.ts";

const DAY = 86_400_000;
let dir: string;
let kz: string;
let am: string;
let amTlsSerial: string;
const servers: RunningExchangeServer[] = [];
const clients: ExchangeClient[] = [];
const received: string[] = [];

const parcel: Parcel = {
  sealedEnvelope: new Uint8Array([1, 2, 3]),
  recipientOrg: "org",
  attachmentChunks: [],
};

function identity(dataDir: string) {
  const tls = loadNodeTls(dataDir);
  return { certPem: tls.cert, keyPem: tls.key };
}

/** The node at `dataDir`'s exchange endpoint, trusting its pinned peer as a running node does. */
async function serve(dataDir: string): Promise<string> {
  const server = await startExchangeServer({
    host: "127.0.0.1",
    port: 0,
    identity: identity(dataDir),
    peers: nodePeerTrust(dataDir, loadNodeTls(dataDir).peerRoots),
    handlers: {
      async receiveParcel(_parcel, peerParty) {
        received.push(peerParty);
        return { status: "accepted", messageId: "m", cosignature: null };
      },
    },
  });
  servers.push(server);
  return `https://127.0.0.1:${server.port}`;
}

/** The node at `dataDir`'s client to its peer `party` at `url`, as a running node makes it. */
function clientOf(dataDir: string, party: string, url: string): ExchangeClient {
  const trust = nodePeerTrust(dataDir, loadNodeTls(dataDir).peerRoots).find((t) => t.party === party)!;
  const client = new ExchangeClient(identity(dataDir), { url, trust });
  clients.push(client);
  return client;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kelisim-peer-trust-"));
  kz = join(dir, "kz");
  am = join(dir, "am");
  await initPartyPki({ dataDir: kz, party: "KZ", agreementId: "kz-am-2025" });
  await initPartyPki({ dataDir: am, party: "AM", agreementId: "kz-am-2025" });
  await issueNodeTlsCertificate({ dataDir: kz });
  amTlsSerial = (await issueNodeTlsCertificate({ dataDir: am })).serialHex;
  // KZ pins AM's root with a CRL 100 days old (past its next update): the link still runs, since
  // it is how a fresh CRL arrives.
  importPeerRoot({
    dataDir: kz,
    party: "AM",
    pem: (await exportRoot({ dataDir: am, now: new Date(Date.now() - 100 * DAY) })).pem,
  });
  importPeerRoot({ dataDir: am, party: "KZ", pem: (await exportRoot({ dataDir: kz })).pem });
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const server of servers) await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the link between the nodes honours the Parties' CRLs (A5.7)", () => {
  it("refuses a peer node whose TLS certificate its Party revoked: on its next request, and at the next handshake the other way", async () => {
    const kzUrl = await serve(kz);
    const amClient = clientOf(am, "KZ", kzUrl);
    await expect(amClient.sendParcel(parcel)).resolves.toMatchObject({ status: "accepted" });
    expect(received).toEqual(["AM"]);

    // AM revokes its node's certificate (its key was compromised); the CRL reaches KZ.
    const { crlPem } = await revokeCertificate({
      dataDir: am,
      serialHex: amTlsSerial,
      reason: "keyCompromise",
    });
    importPeerCrl({ dataDir: kz, party: "AM", pem: crlPem });

    // The same client (its connection kept alive) is refused before the parcel is taken in; the
    // refusal is of its certificate, not of the message (which the relay will send again).
    const refused = amClient.sendParcel(parcel);
    await expect(refused).rejects.toBeInstanceOf(OwnCertificateRefused);
    await expect(refused).rejects.toMatchObject({
      ack: { code: "PACKAGE_CERTIFICATE_REVOKED", articles: ["A5.7"] },
    });
    expect(received).toEqual(["AM"]);

    // KZ's client refuses AM's endpoint presenting that certificate, at the handshake.
    const amUrl = await serve(am);
    await expect(clientOf(kz, "AM", amUrl).sendParcel(parcel)).rejects.toThrow(
      /peer node's TLS certificate is refused: PACKAGE_CERTIFICATE_REVOKED/,
    );
    expect(received).toEqual(["AM"]);

    // With a new certificate, AM's node is taken in again.
    await issueNodeTlsCertificate({ dataDir: am });
    await expect(clientOf(am, "KZ", kzUrl).sendParcel(parcel)).resolves.toMatchObject({ status: "accepted" });
    expect(received).toEqual(["AM", "AM"]);
  });
});
