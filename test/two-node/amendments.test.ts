// Amendment protocols between two node processes over HTTPS (A14, A15.1): one competent authority
// proposes changes to the pack, the other signs or declines; each notifies its completed procedures,
// acknowledged with the instant of receipt; the protocol is in force at both nodes from the same
// date, the pack's version rises at both, and every decision from then on records the version it
// applied. What the other node would refuse is refused before anything is sent.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  answerAmendment,
  notifyAmendment,
  proposeAmendment,
  showProtocols,
} from "../../src/app/agreement/amendment-protocols.ts";
import { listAuthorityNotices } from "../../src/app/authorities/informed.ts";
import { showDashboard } from "../../src/app/node/dashboard.ts";
import type { PackChange } from "../../src/domain/agreement/amendment.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { makeTempDir } from "../support/databases.ts";
import {
  type NodeHandle,
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
  base = makeTempDir("kelisim-two-node-amendments-");
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

const outboxSize = async (h: NodeHandle) =>
  Number(
    (
      await h.node.db
        .selectFrom("exchange_outbox")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

const ca = (h: NodeHandle) => `${h.party.toLowerCase()}ca`;
const protocolAt = (h: NodeHandle, number: string) => async () =>
  (await showProtocols(h.ctx, { actor: ca(h) })).protocols.find((p) => p.number === number);
const protocolIn = (h: NodeHandle, number: string, status: string) => async () => {
  const p = await protocolAt(h, number)();
  return p?.status === status ? p : undefined;
};

/** The data of the newest audit entry of `event` at `h`. */
async function lastEntryData(h: NodeHandle, event: string): Promise<Record<string, unknown> | null> {
  const row = await h.node.db
    .selectFrom("audit_entries")
    .select(["data"])
    .where("event_type", "=", event)
    .orderBy("idx", "desc")
    .executeTakeFirstOrThrow();
  return row.data ? (JSON.parse(row.data) as Record<string, unknown>) : null;
}

const CHANGES: PackChange[] = [
  { kind: "deadline", deadline: "visitRequestLead", duration: "P2M" },
  { kind: "level-marking", level: "secret", language: "en", marking: "SECRET (KZ-AM)" },
  { kind: "channel-remove", channel: "state-courier" },
];

describe("A14: amendment protocols, exchanged and in force at both nodes", () => {
  it("A14: a protocol with a date before signature, in the future, or a change that does not fit the pack is refused and nothing is sent", async () => {
    const outbox = await outboxSize(kz);
    const propose = (over: Partial<Parameters<typeof proposeAmendment>[1]>) =>
      refusal(
        proposeAmendment(kz.ctx, {
          actor: "kzca",
          number: "1",
          title: "Protocol 1",
          changes: CHANGES,
          ...over,
        }),
      );
    expect((await propose({ signedOn: "2025-01-10" })).code).toBe("PROTOCOL_SIGNED_ON_INVALID");
    expect((await propose({ signedOn: "2099-01-01" })).code).toBe("PROTOCOL_SIGNED_ON_INVALID");
    const badLevel = await propose({
      changes: [{ kind: "level-marking", level: "confidential", language: "ru", marking: "ДСП" }],
    });
    expect(badLevel.code).toBe("PROTOCOL_CHANGE_INVALID");
    expect(badLevel.details).toMatchObject({ change: 1 });
    const clash = await propose({
      changes: [{ kind: "level-marking", level: "secret", language: "ru", marking: "Совершенно секретно" }],
    });
    expect(clash.code).toBe("PROTOCOL_CHANGE_INVALID");
    expect(
      (await propose({ changes: [{ kind: "deadline", deadline: "termination", duration: "six months" }] }))
        .code,
    ).toBe("PROTOCOL_CHANGE_INVALID");
    // Only the competent authority speaks for its Party (A3.1).
    expect((await propose({ actor: "kzreg" })).code).toBe("ROLE_FORBIDDEN");
    expect(await outboxSize(kz)).toBe(outbox);
    expect((await showProtocols(kz.ctx, { actor: "kzca" })).protocols).toEqual([]);
  });

  it("A14, A15.1: proposed, signed, notified by both: in force at both nodes on the same date, version 1, recorded in every later decision", async () => {
    const proposed = await proposeAmendment(kz.ctx, {
      actor: "kzca",
      number: "1",
      title: "Protocol No. 1 amending the agreement",
      reference: "KZ-MFA/1",
      changes: CHANGES,
    });
    expect(proposed.protocols[0]).toMatchObject({
      number: "1",
      status: "proposed",
      direction: "out",
      actions: [],
    });
    const atAm = await waitFor(protocolAt(am, "1"), "the protocol at AM");
    expect(atAm).toMatchObject({
      status: "proposed",
      direction: "in",
      proposedBy: "KZ",
      actions: ["sign", "decline"],
    });
    expect(atAm.changes).toEqual(CHANGES);
    // AM's competent authority finds it waiting on its dashboard, and among its unread notices.
    const board = await showDashboard(am.ctx, { actor: "amca" });
    expect(board.consentsToDecide).toContainEqual(
      expect.objectContaining({ id: atAm.id, kind: "protocol", action: "sign", link: "#/agreement" }),
    );
    const notices = await listAuthorityNotices(am.ctx, { actor: "amca", unreadOnly: true });
    expect(notices.notices.map((n) => n.event)).toContain("agreement.protocol-received");

    // Not signed yet: no notice of completed procedures for it (A14, A15.1).
    expect((await refusal(notifyAmendment(kz.ctx, { actor: "kzca", protocolId: atAm.id }))).code).toBe(
      "PROTOCOL_NOT_SIGNED",
    );
    // The proposer does not sign its own protocol.
    expect(
      (await refusal(answerAmendment(kz.ctx, { actor: "kzca", protocolId: atAm.id, answer: "signed" }))).code,
    ).toBe("PROTOCOL_ANSWER_NOT_ALLOWED");

    await answerAmendment(am.ctx, { actor: "amca", protocolId: atAm.id, answer: "signed" });
    await waitFor(protocolIn(kz, "1", "signed"), "the signature at KZ");
    // Signed is not in force: the pack as signed still applies (version 0).
    expect((await showProtocols(kz.ctx, { actor: "kzca" })).version).toBe(0);
    expect(await lastEntryData(kz, "agreement.protocols-viewed")).not.toHaveProperty("packVersion");

    await notifyAmendment(kz.ctx, { actor: "kzca", protocolId: atAm.id, reference: "KZ note 1" });
    await waitFor(protocolIn(am, "1", "partly-notified"), "KZ's notice at AM");
    await waitFor(protocolIn(kz, "1", "partly-notified"), "the receipt of KZ's notice at KZ");
    expect((await showProtocols(am.ctx, { actor: "amca" })).version).toBe(0);
    expect((await refusal(notifyAmendment(kz.ctx, { actor: "kzca", protocolId: atAm.id }))).code).toBe(
      "PROTOCOL_NOTICE_ALREADY_GIVEN",
    );

    await notifyAmendment(am.ctx, { actor: "amca", protocolId: atAm.id, reference: "AM note 1" });
    const inForceKz = await waitFor(protocolIn(kz, "1", "in-force"), "the protocol in force at KZ");
    const inForceAm = await waitFor(protocolIn(am, "1", "in-force"), "the protocol in force at AM");
    expect(inForceKz.inForceOn).not.toBeNull();
    expect(inForceKz.inForceOn).toBe(inForceAm.inForceOn);
    expect(inForceKz.version).toBe(1);
    expect(inForceAm.version).toBe(1);

    for (const h of [kz, am]) {
      const view = await showProtocols(h.ctx, { actor: ca(h) });
      expect(view.version).toBe(1);
      expect(view.versions.map((v) => [v.version, v.protocol?.number ?? null])).toEqual([
        [0, null],
        [1, "1"],
      ]);
      expect(view.current.deadlines.visitRequestLead).toBe("P2M");
      expect(view.current.levels.find((l) => l.id === "secret")?.markings.en).toBe("SECRET (KZ-AM)");
      expect(view.current.channels.map((c) => c.id)).not.toContain("state-courier");
      // The decision just made (this listing) records the version it applied.
      expect(await lastEntryData(h, "agreement.protocols-viewed")).toMatchObject({ packVersion: 1 });
      // The use cases apply it: the context's pack is the amended one.
      expect(h.ctx.pack.deadlines.visitRequestLead.duration).toBe("P2M");
    }
    const kzVersions = (await showProtocols(kz.ctx, { actor: "kzca" })).versions;
    const amVersions = (await showProtocols(am.ctx, { actor: "amca" })).versions;
    expect(kzVersions).toEqual(amVersions);
  });

  it("A14: a protocol the other Party declines never enters into force", async () => {
    await proposeAmendment(am.ctx, {
      actor: "amca",
      number: "2",
      title: "Protocol No. 2",
      changes: [{ kind: "deadline", deadline: "breachNotice", duration: "PT12H" }],
    });
    const atKz = await waitFor(protocolAt(kz, "2"), "protocol 2 at KZ");
    await answerAmendment(kz.ctx, {
      actor: "kzca",
      protocolId: atKz.id,
      answer: "declined",
      reason: "not agreed",
    });
    const declined = await waitFor(protocolIn(am, "2", "declined"), "the refusal at AM");
    expect(declined.answerReason).toBe("not agreed");
    expect((await refusal(notifyAmendment(am.ctx, { actor: "amca", protocolId: atKz.id }))).code).toBe(
      "PROTOCOL_NOT_SIGNED",
    );
    expect((await showProtocols(am.ctx, { actor: "amca" })).version).toBe(1);
    // A number is the Parties' citation: not used twice.
    expect(
      (
        await refusal(
          proposeAmendment(kz.ctx, {
            actor: "kzca",
            number: "2",
            title: "again",
            changes: CHANGES.slice(0, 1),
          }),
        )
      ).code,
    ).toBe("PROTOCOL_NUMBER_TAKEN");
  });
});
