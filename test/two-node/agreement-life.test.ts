// The agreement's life between two node processes over HTTPS (A15.1, A15.2, A15.3): the notices of
// completed procedures and of termination are messages between the competent authorities,
// acknowledged with the instant of receipt, so both nodes record the same dates; a backdated or
// future notice is refused before anything is sent; after the end no new transfer starts, and what
// was received stays protected: a received carrier is destroyed only with the originator's consent.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  agreementOutstanding,
  sendAgreementNotice,
  showAgreement,
} from "../../src/app/agreement/agreement-life.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import { requestCarrierTransfer } from "../../src/app/transfer/transfer-flow.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { terminationDate } from "../../src/domain/time/deadlines.ts";
import { dateInZone } from "../../src/domain/time/instants.ts";
import { makeTempDir } from "../support/databases.ts";
import { grantedConsent, transferNewCarrier } from "./support/flow-steps.ts";
import {
  type NodeHandle,
  randomContent,
  registerOwnCarrier,
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
  base = makeTempDir("kelisim-two-node-agreement-");
  // No notice recorded at either node: the agreement is signed, not in force.
  ({ kz, am } = await setupTwoNodes(base, {}, { inForce: false }));
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

/** The notice `id` as `h` holds it, once received (and, at the sender, acknowledged). */
const noticeReceived = (h: NodeHandle, id: string) => async () =>
  (await showAgreement(h.ctx, { actor: `${h.party.toLowerCase()}ca` })).notices.find(
    (n) => n.id === id && n.state === "received",
  );

/** Sends a notice from `h` and waits until both nodes hold it as received; returns its id. */
async function notify(
  h: NodeHandle,
  kind: Parameters<typeof sendAgreementNotice>[1]["kind"],
): Promise<string> {
  const other = h === kz ? am : kz;
  const before = new Set(
    (await showAgreement(h.ctx, { actor: `${h.party.toLowerCase()}ca` })).notices.map((n) => n.id),
  );
  const view = await sendAgreementNotice(h.ctx, {
    actor: `${h.party.toLowerCase()}ca`,
    kind,
    reference: `note ${kind}`,
  });
  const sent = view.notices.find((n) => !before.has(n.id))!;
  expect(sent).toMatchObject({ kind, direction: "out", state: "sent", fromParty: h.party });
  await waitFor(noticeReceived(other, sent.id), `the ${kind} notice at ${other.party}`);
  await waitFor(noticeReceived(h, sent.id), `the receipt of the ${kind} notice at ${h.party}`);
  return sent.id;
}

const later = (ctx: FlowContext, at: string): FlowContext => ({ ...ctx, now: () => new Date(at) });

describe("A15: the agreement's life, exchanged between the competent authorities", () => {
  let carrier: { id: string; registrationNumber: string };

  it("A15.1: before both notices no transfer starts; a backdated or future notice is refused and nothing is sent", async () => {
    carrier = await registerOwnCarrier(kz, {
      title: "Before entry into force",
      level: "secret",
      content: randomContent(256),
      contract: "KZ-AM/2026/1",
    });
    const early = await refusal(
      requestCarrierTransfer(kz.ctx, {
        actor: "kzreg",
        carrier: carrier.registrationNumber,
        to: am.bodyName,
      }),
    );
    expect(early.code).toBe("AGREEMENT_NOT_IN_FORCE");
    expect(await showAgreement(kz.ctx, { actor: "kzca" })).toMatchObject({
      status: "signed",
      inForceOn: null,
      actions: ["procedures-completed"],
    });
    const outbox = await outboxSize(kz);
    const backdated = await refusal(
      sendAgreementNotice(kz.ctx, { actor: "kzca", kind: "procedures-completed", datedOn: "2025-11-18" }),
    );
    expect(backdated.code).toBe("AGREEMENT_NOTICE_BACKDATED");
    expect(backdated.articles).toEqual(["A15.1"]);
    const future = await refusal(
      sendAgreementNotice(kz.ctx, { actor: "kzca", kind: "procedures-completed", datedOn: "2099-01-01" }),
    );
    expect(future.code).toBe("AGREEMENT_NOTICE_FUTURE");
    // Only the competent authority gives the Party's notices (A3.1).
    expect(
      (await refusal(sendAgreementNotice(kz.ctx, { actor: "kzreg", kind: "procedures-completed" }))).code,
    ).toBe("ROLE_FORBIDDEN");
    expect(await outboxSize(kz)).toBe(outbox);
    expect((await showAgreement(kz.ctx, { actor: "kzca" })).notices).toEqual([]);
  });

  it("A15.1: one notice makes the agreement partly notified at both nodes; a transfer is still refused", async () => {
    await notify(kz, "procedures-completed");
    for (const [h, actor] of [
      [kz, "kzca"],
      [am, "amca"],
    ] as const)
      expect(await showAgreement(h.ctx, { actor })).toMatchObject({
        status: "partly-notified",
        inForceOn: null,
      });
    // KZ has given its notice: a second one is refused before it goes.
    const again = await refusal(sendAgreementNotice(kz.ctx, { actor: "kzca", kind: "procedures-completed" }));
    expect(again.code).toBe("AGREEMENT_NOTICE_ALREADY_GIVEN");
    expect(
      (
        await refusal(
          requestCarrierTransfer(kz.ctx, {
            actor: "kzreg",
            carrier: carrier.registrationNumber,
            to: am.bodyName,
          }),
        )
      ).code,
    ).toBe("AGREEMENT_NOT_IN_FORCE");
  });

  it("A15.1: the second notice puts it in force at both nodes from the same date: the day the last was received", async () => {
    const id = await notify(am, "procedures-completed");
    const kzView = await showAgreement(kz.ctx, { actor: "kzca" });
    const amView = await showAgreement(am.ctx, { actor: "amca" });
    const received = kzView.notices.find((n) => n.id === id)!.receivedAt!;
    // AM's notice was received by KZ: the date is KZ's, in Almaty.
    const expected = dateInZone(received, "Asia/Almaty");
    expect(kzView).toMatchObject({ status: "in-force", inForceOn: expected });
    expect(amView).toMatchObject({ status: "in-force", inForceOn: expected });
    expect(amView.notices.find((n) => n.id === id)!.receivedAt).toBe(received);
    expect(kzView.actions).toEqual(["termination"]);
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: carrier.registrationNumber,
      to: am.bodyName,
    });
    expect(transferId).toBeTruthy();
  });

  it("A15.2: a termination notice, then its withdrawal before it takes effect (pack policy), reach both nodes alike", async () => {
    await notify(kz, "termination");
    const at = await showAgreement(am.ctx, { actor: "amca" });
    expect(at.status).toBe("termination-notified");
    expect(at.termination?.notifiedBy).toBe("KZ");
    expect(await showAgreement(kz.ctx, { actor: "kzca" })).toMatchObject({ termination: at.termination });
    // A second termination notice, from either side, is refused.
    for (const [h, actor] of [
      [kz, "kzca"],
      [am, "amca"],
    ] as const)
      expect((await refusal(sendAgreementNotice(h.ctx, { actor, kind: "termination" }))).code).toBe(
        "AGREEMENT_TERMINATION_ALREADY_NOTIFIED",
      );
    // Only the Party that gave it may withdraw it.
    expect(
      (await refusal(sendAgreementNotice(am.ctx, { actor: "amca", kind: "termination-withdrawal" }))).code,
    ).toBe("AGREEMENT_WITHDRAWAL_NOT_ALLOWED");
    await notify(kz, "termination-withdrawal");
    for (const [h, actor] of [
      [kz, "kzca"],
      [am, "amca"],
    ] as const)
      expect(await showAgreement(h.ctx, { actor })).toMatchObject({ status: "in-force", termination: null });
  });

  it("A15.2, A15.3: six months after a termination's receipt no transfer starts; a received carrier is still destroyed only with the originator's consent", async () => {
    const received = await transferNewCarrier(kz, am, {
      title: "Received before the end",
      level: "secret",
      content: randomContent(512),
    });
    const id = await notify(am, "termination");
    const view = await showAgreement(kz.ctx, { actor: "kzca" });
    const receivedAt = view.notices.find((n) => n.id === id)!.receivedAt!;
    // AM's notice received by KZ: six calendar months counted on KZ's calendar (A15.2).
    const terminatesOn = terminationDate(receivedAt, "Asia/Almaty", "P6M");
    expect(view.termination).toMatchObject({ notifiedBy: "AM", terminatesOn });
    expect((await showAgreement(am.ctx, { actor: "amca" })).termination?.terminatesOn).toBe(terminatesOn);

    // The clock passed in: the day after the end.
    const after = `${terminatesOn}T12:00:00Z`;
    const kzLater = later(kz.ctx, after);
    const amLater = later(am.ctx, after);
    expect((await showAgreement(kzLater, { actor: "kzca" })).status).toBe("terminated");
    const next = await registerOwnCarrier(kz, {
      title: "After the end",
      level: "secret",
      contract: "KZ-AM/2026/1",
    });
    const ended = await refusal(
      requestCarrierTransfer(kzLater, { actor: "kzreg", carrier: next.registrationNumber, to: am.bodyName }),
    );
    expect(ended.code).toBe("AGREEMENT_TERMINATED");
    expect(ended.articles).toContain("A15.3");

    // A15.3: at AM the received carrier is still outstanding and still protected.
    const outstanding = await agreementOutstanding(amLater, { actor: "amreg" });
    expect(outstanding.status).toBe("terminated");
    expect(outstanding.carriers.map((c) => c.id)).toContain(received.amCarrierId);
    const unasked = await refusal(destroyCarrier(amLater, { actor: "amreg", carrier: received.amCarrierId }));
    expect(unasked.code).toBe("DESTRUCTION_NEEDS_PERMISSION");
    await grantedConsent(kz, am, { carrier: received.amCarrierId, action: "destroy", reason: "work ended" });
    const done = await destroyCarrier(amLater, { actor: "amreg", carrier: received.amCarrierId });
    expect(done.state).toBe("destroyed");
    const afterwards = await agreementOutstanding(amLater, { actor: "amreg" });
    expect(afterwards.carriers.map((c) => c.id)).not.toContain(received.amCarrierId);
  });

  it("A15.1, A15.2: both audit logs record each notice sent, received and acknowledged", async () => {
    for (const h of [kz, am]) {
      const events = await h.node.db
        .selectFrom("audit_entries")
        .select(["event_type"])
        .where("event_type", "like", "agreement.notice-%")
        .execute();
      const types = events.map((e) => e.event_type);
      expect(types).toContain("agreement.notice-sent");
      expect(types).toContain("agreement.notice-received");
      expect(types).toContain("agreement.notice-acknowledged");
    }
  });
});
