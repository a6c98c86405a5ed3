// The originator's record of its carrier across a transfer and a return (A5.6, A5.7, A6.6), and
// transfers no one may probe for (A4.2), between two node processes over HTTPS.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { loadActor } from "../../src/app/actor.ts";
import { decideCarrierAccess } from "../../src/app/carriers/carrier-access.ts";
import { loadCarrier } from "../../src/app/carriers/carrier-repository.ts";
import { returnCarrier } from "../../src/app/carriers/return-carrier.ts";
import { addContractParticipant } from "../../src/app/contracts/add-contract-participant.ts";
import { grantFacilityClearance } from "../../src/app/organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../../src/app/organisations/register-organisation.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import {
  decideTransfer,
  dispatchTransfer,
  receivePhysicalCarrier,
  requestCarrierTransfer,
  takeBackReturnedCarrier,
} from "../../src/app/transfer/transfer-flow.ts";
import { readAuditEntries, readAuditHead } from "../../src/audit/log.ts";
import { enqueueMessage } from "../../src/exchange/outbox.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { makeTempDir } from "../support/databases.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { grantedConsent, transferNewCarrier, transferRow } from "./support/flow-steps.ts";
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

// Two node processes on a shared 2-core machine: waits are long, never timed assertions.
vi.setConfig({ testTimeout: 300_000, hookTimeout: 300_000 });

let base: string;
let kz: NodeHandle;
let am: NodeHandle;
let kzServe: ServingNode;
let amServe: ServingNode;

/** A second authorized body of the node's Party with its cleared registry officer `<p>other`. */
async function addSecondBody(h: NodeHandle): Promise<void> {
  const p = h.party.toLowerCase();
  const body = await registerOrganisation(h.ctx, { actor: "admin", name: `${h.party} Second Bureau` });
  await grantFacilityClearance(h.ctx, {
    actor: `${p}ca`,
    organisation: body.id,
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
  await registerAcknowledgedPerson(h.ctx, {
    actor: "admin",
    organisation: body.id,
    handle: `${p}other`,
    name: `${h.party} other registry officer`,
    roles: ["registry-officer"],
  });
  await grantPersonalClearance(h.ctx, {
    actor: `${p}ca`,
    person: `${p}other`,
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
}

beforeAll(async () => {
  base = makeTempDir("kelisim-record-");
  ({ kz, am } = await setupTwoNodes(base));
  await addSecondBody(kz);
  await addSecondBody(am);
  // `kzuser`: a cleared user of KZ's body, participant of the contract (need-to-know, A4.2).
  await registerAcknowledgedPerson(kz.ctx, {
    actor: "admin",
    organisation: kz.body,
    handle: "kzuser",
    name: "KZ engineer",
    roles: ["cleared-user"],
  });
  await grantPersonalClearance(kz.ctx, {
    actor: "kzca",
    person: "kzuser",
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
  await addContractParticipant(kz.ctx, { actor: "kzreg", contract: "KZ-AM/2026/1", person: "kzuser" });
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

const carrierRow = (h: NodeHandle, ref: string) =>
  h.node.db
    .selectFrom("carriers")
    .selectAll()
    .where((eb) => eb.or([eb("id", "=", ref), eb("registration_number", "=", ref)]))
    .executeTakeFirstOrThrow();

const consentRow = (h: NodeHandle, id: string) =>
  h.node.db.selectFrom("consent_requests").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

/** The access decision (A4.2) on the carrier's content for `handle` now. */
async function accessFor(h: NodeHandle, handle: string, carrier: string) {
  return withTransaction(h.node.db, async (trx) =>
    decideCarrierAccess(trx, h.ctx, await loadActor(trx, handle), await loadCarrier(trx, h.ctx, carrier)),
  );
}

/** The error `run` fails with (fails the test if it succeeds). */
async function failure(run: () => Promise<unknown>) {
  const error = await run().then(
    () => null,
    (e: unknown) => e as { code?: string; message: string; articles?: string[] },
  );
  expect(error, "expected a refusal").not.toBeNull();
  return error!;
}

/** The refused entries of `event` on the node's audit log since `from`. */
async function refusalsSince(h: NodeHandle, from: number, event: string) {
  const size = (await readAuditHead(h.node.db)).size;
  return (await readAuditEntries(h.node.db, from, size - from)).filter(
    (e) => e.event === event && e.outcome === "refused",
  );
}

describe("A4.2: a transfer is not probed for", () => {
  it("A4.2: another body's registry officer gets one answer for an existing transfer and a missing one; the audit log keeps the real reason", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Probe target",
      level: "secret",
      content: randomContent(100),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    const missing = randomUUID();
    const from = (await readAuditHead(kz.node.db)).size;
    const dispatch = (transfer: string) =>
      dispatchTransfer(kz.ctx, { actor: "kzother", transfer, channel: "agreed-electronic" });
    const existing = await failure(() => dispatch(transferId));
    const absent = await failure(() => dispatch(missing));
    expect(existing.code).toBe("TRANSFER_NOT_FOUND");
    expect(existing.articles).toContain("A4.2");
    expect(absent.code).toBe(existing.code);
    expect(absent.message).toBe(existing.message);
    const refused = await refusalsSince(kz, from, "transfer.dispatched");
    expect(refused.find((e) => e.object === `transfer:${transferId}`)?.data).toMatchObject({
      code: "ROLE_FORBIDDEN",
    });
    expect(refused.find((e) => e.object === `transfer:${missing}`)?.data).toMatchObject({
      code: "TRANSFER_NOT_FOUND",
    });
    // The competent authority oversees every transfer of its Party (A5.2): it sees and decides this one.
    expect(
      await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "refuse" }),
    ).toMatchObject({
      state: "refused",
    });
    expect(
      (await failure(() => decideTransfer(kz.ctx, { actor: "kzca", transfer: missing, decision: "consent" })))
        .code,
    ).toBe("TRANSFER_NOT_FOUND");
  });

  it("A4.2: on the receiving node, another body's registry officer cannot tell a carrier on its way from a missing transfer", async () => {
    await transferNewCarrier(kz, am, {
      title: "Parcel",
      level: "secret",
      onTheWay: async (transferId) => {
        // On its way at AM: another AM body's registry officer cannot tell it from a missing one.
        const from = (await readAuditHead(am.node.db)).size;
        const receive = (transfer: string) =>
          receivePhysicalCarrier(am.ctx, { actor: "amother", transfer, sealsIntact: true });
        const existing = await failure(() => receive(transferId));
        const absent = await failure(() => receive(randomUUID()));
        expect(existing.code).toBe("TRANSFER_NOT_FOUND");
        expect(absent.code).toBe(existing.code);
        expect(absent.message).toBe(existing.message);
        const refused = await refusalsSince(am, from, "transfer.received");
        expect(refused.find((e) => e.object === `transfer:${transferId}`)?.data).toMatchObject({
          code: "ROLE_FORBIDDEN",
        });
        expect((await transferRow(am, transferId))?.carrier_id).toBeNull();
      },
    });
  });
});

describe("A4.2: the other Party does not probe the originator's registry", () => {
  /** AM's body asks KZ's consent on a KZ registration number; resolves with KZ's answer to the message. */
  async function askOnNumber(registrationNumber: string) {
    const envelope = await withTransaction(am.node.db, (trx) =>
      enqueueMessage(trx, am.ctx.exchange.outbox, {
        kind: "consent-request",
        fromOrg: am.body,
        to: { party: "KZ", org: kz.body },
        level: "secret",
        body: {
          consentId: randomUUID(),
          action: "copy",
          carrier: { originParty: "KZ", originRegistrationNumber: registrationNumber, originCopyNumber: 1 },
          reason: "probe",
          newLevel: null,
          language: null,
          thirdParty: null,
        },
      }),
    );
    return waitFor(async () => {
      const row = await am.node.db
        .selectFrom("exchange_outbox")
        .select(["state", "ack"])
        .where("id", "=", envelope.id)
        .executeTakeFirst();
      return row && row.state !== "pending" ? row : undefined;
    }, "KZ's answer to the consent request");
  }

  it("A4.2: a consent request on a KZ carrier never sent to that body is answered as for a number KZ does not hold", async () => {
    const kept = await registerOwnCarrier(kz, { title: "Kept at home", level: "secret" });
    const consentsBefore = await kz.node.db.selectFrom("consent_requests").select("id").execute();
    const onKept = await askOnNumber(kept.registrationNumber);
    const onNone = await askOnNumber("KZ-1999-999999");
    expect(onKept.state).toBe("refused");
    expect(JSON.parse(onKept.ack!).code).toBe("CARRIER_NOT_FOUND");
    expect(onNone.state).toBe(onKept.state);
    expect(JSON.parse(onNone.ack!).code).toBe(JSON.parse(onKept.ack!).code);
    expect(await kz.node.db.selectFrom("consent_requests").select("id").execute()).toEqual(consentsBefore);
  });
});

describe("A5.6, A6.6: the originator's record shows where its carrier is", () => {
  it("A5.6: the receipt notice leaves KZ's physical carrier transferred, the receiver's number held, its content out of reach", async () => {
    const paper = await transferNewCarrier(kz, am, { title: "Paper plans", level: "secret" });
    const kzCarrier = await carrierRow(kz, paper.kzCarrier);
    expect(kzCarrier.state).toBe("transferred");
    expect(kzCarrier.custodian_organisation_id).toBe(kz.body);
    // The receiver's registration number is held with the transfer's receipt.
    const transfer = await transferRow(kz, paper.transferId);
    expect(transfer).toMatchObject({ state: "acknowledged", carrier_id: kzCarrier.id });
    expect(JSON.parse(transfer!.receipt!).registrationNumber).toBe(paper.amRegistration);
    // Its content is out of reach while it is there, and the refusal says why.
    const access = await accessFor(kz, "kzuser", kzCarrier.id);
    expect(access.allowed).toBe(false);
    if (!access.allowed) expect(access.failures.map((f) => f.code)).toContain("ACCESS_CARRIER_TRANSFERRED");
    // It cannot leave again while it is in the other registry.
    expect(
      (
        await failure(() =>
          requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: paper.kzCarrier, to: am.bodyName }),
        )
      ).code,
    ).toBe("TRANSITION_FORBIDDEN");
  });

  it("A6.6: returned with KZ's written permission, the carrier is taken back in: registered again, and the permission used", async () => {
    const paper = await transferNewCarrier(kz, am, { title: "Borrowed drawings", level: "secret" });
    const { consentId } = await grantedConsent(kz, am, {
      carrier: paper.amCarrierId,
      action: "return",
      reason: "work finished",
    });
    await returnCarrier(am.ctx, {
      actor: "amreg",
      carrier: paper.amCarrierId,
      channel: "state-courier",
      sealNumbers: ["R-1"],
      waybill: "WB-R",
    });
    // Until it is back, KZ's record says it is still in AM's registry and the permission unused.
    expect((await carrierRow(kz, paper.kzCarrier)).state).toBe("transferred");
    expect((await consentRow(kz, consentId)).state).toBe("granted");
    // Only KZ's own body takes it back; seals not confirmed intact, it is not taken in (A11.1).
    expect(
      (
        await failure(() =>
          takeBackReturnedCarrier(kz.ctx, { actor: "kzother", carrier: paper.kzCarrier, sealsIntact: true }),
        )
      ).code,
    ).toBe("CARRIER_NOT_FOUND");
    expect(
      (
        await failure(() =>
          takeBackReturnedCarrier(kz.ctx, { actor: "kzreg", carrier: paper.kzCarrier, sealsIntact: false }),
        )
      ).code,
    ).toBe("TRANSFER_SEALS_NOT_CONFIRMED");
    const back = await takeBackReturnedCarrier(kz.ctx, {
      actor: "kzreg",
      carrier: paper.kzCarrier,
      sealsIntact: true,
    });
    expect(back).toMatchObject({ state: "registered", consentId, transferId: paper.transferId });
    expect((await carrierRow(kz, paper.kzCarrier)).state).toBe("registered");
    const used = await consentRow(kz, consentId);
    expect(used.state).toBe("used");
    expect(used.used_at).not.toBeNull();
    // In custody again: its contract participants have access once more.
    expect((await accessFor(kz, "kzuser", paper.kzCarrier)).allowed).toBe(true);
    // One permission, one return.
    expect(
      (
        await failure(() =>
          takeBackReturnedCarrier(kz.ctx, { actor: "kzreg", carrier: paper.kzCarrier, sealsIntact: true }),
        )
      ).code,
    ).toBe("TRANSITION_FORBIDDEN");
  });

  it("A5.6, A5.7, A6.6: after an electronic transfer KZ's own electronic copy is in its custody with its content; its return is noted and the permission used", async () => {
    const content = randomContent(2048);
    const sent = await transferNewCarrier(kz, am, { title: "Electronic report", level: "secret", content });
    const kzCarrier = await carrierRow(kz, sent.kzCarrier);
    expect(kzCarrier.state).toBe("registered");
    expect(JSON.parse((await transferRow(kz, sent.transferId))!.receipt!).registrationNumber).toBe(
      sent.amRegistration,
    );
    expect((await accessFor(kz, "kzuser", kzCarrier.id)).allowed).toBe(true);
    expect(
      Buffer.from(await kz.ctx.vault.readContentBytes(kz.node.db, kzCarrier.id)).equals(Buffer.from(content)),
    ).toBe(true);
    // Without KZ's permission there is no return to note.
    expect(
      (await failure(() => takeBackReturnedCarrier(kz.ctx, { actor: "kzreg", carrier: sent.kzCarrier })))
        .code,
    ).toBe("RETURN_NEEDS_PERMISSION");
    const { consentId } = await grantedConsent(kz, am, {
      carrier: sent.amCarrierId,
      action: "return",
      reason: "work finished",
    });
    await returnCarrier(am.ctx, {
      actor: "amreg",
      carrier: sent.amCarrierId,
      channel: "agreed-electronic",
    });
    const noted = await takeBackReturnedCarrier(kz.ctx, { actor: "kzreg", carrier: sent.kzCarrier });
    expect(noted).toMatchObject({ state: "registered", consentId, transferId: sent.transferId });
    expect((await consentRow(kz, consentId)).state).toBe("used");
    expect((await carrierRow(kz, sent.kzCarrier)).state).toBe("registered");
    expect(await kz.ctx.vault.hasContent(kz.node.db, kzCarrier.id)).toBe(true);
  });
});
