// The competent authorities' own dealings between two node processes over HTTPS: letters on
// legislation (A3.2), consultations (A8.1) and regulations as attached documents (A8.2); a change of
// authority's name (A3.3) that both nodes apply once acknowledged; and the notices the competent
// authority reads where the agreement says it is informed (A5.5, A6.7), with the audit log readable.
import { createHash } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listAudit } from "../../src/app/audit/list-audit.ts";
import {
  listAuthorityLetters,
  readLetterAttachment,
  sendAuthorityLetter,
} from "../../src/app/authorities/authority-letters.ts";
import { listAuthorityNotices, markAuthorityNoticesRead } from "../../src/app/authorities/informed.ts";
import { requestConsent } from "../../src/app/consent/consent-flow.ts";
import { listOrganisations } from "../../src/app/organisations/list-organisations.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { makeTempDir } from "../support/databases.ts";
import { transferNewCarrier } from "./support/flow-steps.ts";
import {
  type NodeHandle,
  randomContent,
  type ServingNode,
  setupTwoNodes,
  startNode,
  stopNode,
  waitFor,
} from "./support/two-nodes.ts";

vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

beforeAll(async () => {
  base = makeTempDir("kelisim-two-node-authorities-");
  ({ kz, am } = await setupTwoNodes(base));
  kzServe = await startNode(kz);
  amServe = await startNode(am);
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

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

const letterAt =
  (h: NodeHandle, id: string, state = "received") =>
  async () =>
    (await listAuthorityLetters(h.ctx, { actor: `${h.party.toLowerCase()}ca` })).find(
      (l) => l.id === id && l.state === state,
    );

describe("A3, A8: letters between the competent authorities", () => {
  it("A8.2, A8.1, A3.2: regulations as an attached document, a request for consultations and a change of legislation reach the other authority", async () => {
    const regulations = randomContent(64 * 1024);
    const sent = await sendAuthorityLetter(kz.ctx, {
      actor: "kzca",
      subject: "regulations",
      title: "Instruction on the handling of classified information, edition 2026",
      body: "The instruction in force, as A8.2 asks.",
      attachment: { name: "instruction-2026.pdf", bytes: regulations },
    });
    expect(sent).toMatchObject({ direction: "out", state: "sent", subject: "regulations" });
    const atAm = await waitFor(letterAt(am, sent.id), "the regulations at AM");
    expect(atAm).toMatchObject({
      direction: "in",
      fromParty: "KZ",
      attachment: { name: "instruction-2026.pdf" },
    });
    const doc = await readLetterAttachment(am.ctx, { actor: "amca", letter: sent.id });
    expect(Buffer.from(doc.bytes).equals(Buffer.from(regulations))).toBe(true);
    expect(doc.sha256).toBe(createHash("sha256").update(regulations).digest("hex"));
    await waitFor(letterAt(kz, sent.id), "the receipt at KZ");

    const meeting = await sendAuthorityLetter(am.ctx, {
      actor: "amca",
      subject: "consultation-request",
      title: "Consultations on the 2026 practice",
      body: "We propose to meet in Yerevan in the week of 8 March.",
    });
    await waitFor(letterAt(kz, meeting.id), "the request for consultations at KZ");
    const law = await sendAuthorityLetter(am.ctx, {
      actor: "amca",
      subject: "legislation-change",
      title: "Amendments to the Law on State and Official Secrets",
      body: "In force from 1 July.",
    });
    await waitFor(letterAt(kz, law.id), "the legislation notice at KZ");

    // Regulations go as a document; only the competent authority writes for its Party (A3.1).
    const bare = await refusal(
      sendAuthorityLetter(kz.ctx, { actor: "kzca", subject: "regulations", title: "No document" }),
    );
    expect(bare.code).toBe("INPUT_INVALID");
    expect(bare.articles).toContain("A8.2");
    const byRegistry = await refusal(
      sendAuthorityLetter(kz.ctx, {
        actor: "kzreg",
        subject: "legislation-change",
        title: "Not ours to send",
      }),
    );
    expect(byRegistry.code).toBe("ROLE_FORBIDDEN");
    expect(byRegistry.articles).toContain("A3.1");
    expect((await refusal(listAuthorityLetters(am.ctx, { actor: "amreg" }))).code).toBe("ROLE_FORBIDDEN");
  });

  it("A3.3: a change of the authority's name reaches both nodes once acknowledged", async () => {
    const newName = "State Security Service of the Republic of Armenia";
    const before = (await listOrganisations(kz.ctx, { actor: "kzca" })).others.find(
      (o) => o.kind === "competent-authority",
    )!;
    expect(before.name).not.toBe(newName);
    const letter = await sendAuthorityLetter(am.ctx, {
      actor: "amca",
      subject: "authority-change",
      title: "Change of the competent authority's name",
      authority: { name: newName, functions: "unchanged" },
    });
    await waitFor(letterAt(am, letter.id), "the receipt of the change at AM");
    const atKz = (await listOrganisations(kz.ctx, { actor: "kzca" })).others.find((o) => o.id === before.id)!;
    expect(atKz.name).toBe(newName);
    const atAm = (await listOrganisations(am.ctx, { actor: "amca" })).own.find((o) => o.id === before.id)!;
    expect(atAm.name).toBe(newName);
    // A change names the new name.
    const nameless = await refusal(
      sendAuthorityLetter(am.ctx, { actor: "amca", subject: "authority-change", title: "No name" }),
    );
    expect(nameless.articles).toContain("A3.3");
  });
});

describe("A5.5, A6.7: the competent authority is informed, and can read it", () => {
  it("A5.5, A6.7: a received transfer and a consent request become notices for AM's competent authority; it marks them read and reads the audit log", async () => {
    const { unread: before } = await listAuthorityNotices(am.ctx, { actor: "amca" });
    const received = await transferNewCarrier(kz, am, {
      title: "Informed of",
      level: "secret",
      content: randomContent(300),
    });
    await requestConsent(am.ctx, {
      actor: "amreg",
      carrier: received.amCarrierId,
      action: "copy",
      reason: "a second team",
    });
    const { notices, unread } = await listAuthorityNotices(am.ctx, { actor: "amca", unreadOnly: true });
    expect(unread).toBeGreaterThanOrEqual(before + 2);
    const events = notices.map((n) => n.event);
    expect(events).toContain("transfer.authority-informed");
    expect(events).toContain("consent.requested");
    expect(notices.find((n) => n.event === "transfer.authority-informed")!.articles).toEqual(["A5.5"]);
    expect(notices.find((n) => n.event === "consent.requested")!.articles).toEqual(["A6.7"]);
    // Only the competent authority reads them.
    expect((await refusal(listAuthorityNotices(am.ctx, { actor: "amreg" }))).code).toBe("ROLE_FORBIDDEN");
    const { marked } = await markAuthorityNoticesRead(am.ctx, { actor: "amca" });
    expect(marked).toBe(unread);
    expect((await listAuthorityNotices(am.ctx, { actor: "amca" })).unread).toBe(0);
    // The competent authority reads the audit log too (A4.1.1, A5.5).
    const page = await listAudit(am.ctx, { actor: "amca", limit: 20 });
    expect(page.items.length).toBeGreaterThan(0);
  });
});
