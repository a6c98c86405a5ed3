// Articles 5 and 6 between two node processes over HTTPS: every refusal names its article and
// changes nothing; the originator's control of copies, destruction, level changes and release.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { recordAgreementNotice } from "../../src/app/agreement/record-notice.ts";
import { changeCarrierLevel, declassifyCarrier } from "../../src/app/carriers/change-level.ts";
import { copyCarrier, translateCarrier } from "../../src/app/carriers/copy-carrier.ts";
import { deriveCarrier } from "../../src/app/carriers/derive-carrier.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { releaseToThirdParty } from "../../src/app/carriers/release-carrier.ts";
import { returnCarrier } from "../../src/app/carriers/return-carrier.ts";
import { answerConsent, requestConsent } from "../../src/app/consent/consent-flow.ts";
import { grantFacilityClearance } from "../../src/app/organisations/grant-facility-clearance.ts";
import {
  answerClearanceConfirmation,
  decideTransfer,
  dispatchTransfer,
  listTransfers,
  receivePhysicalCarrier,
  requestCarrierTransfer,
} from "../../src/app/transfer/transfer-flow.ts";
import { makeTempDir } from "../support/databases.ts";
import {
  grantedConsent,
  inState,
  transferNewCarrier,
  transferRow,
  verifyNodeAudit,
} from "./support/flow-steps.ts";
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

beforeAll(async () => {
  base = makeTempDir("kelisim-a6-");
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

/** Counts of what a refusal must not change. */
async function snapshot(h: NodeHandle) {
  const count = async (t: "transfers" | "exchange_outbox" | "carriers" | "consent_requests") =>
    Number(
      (
        await h.node.db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const states = await h.node.db.selectFrom("transfers").select(["id", "state"]).orderBy("id").execute();
  const carriers = await h.node.db
    .selectFrom("carriers")
    .select(["id", "state", "level"])
    .orderBy("id")
    .execute();
  return {
    transfers: await count("transfers"),
    outbox: await count("exchange_outbox"),
    carriers: await count("carriers"),
    consents: await count("consent_requests"),
    states,
    carriers_: carriers,
  };
}

async function expectRefusal(h: NodeHandle, run: () => Promise<unknown>, code: string, article: string) {
  const before = await snapshot(h);
  const error = await run().then(
    () => null,
    (e: unknown) => e as { code?: string; articles?: string[]; message: string },
  );
  expect(error, `expected ${code}`).not.toBeNull();
  expect(error!.code).toBe(code);
  expect(error!.articles).toContain(article);
  expect(error!.message).toContain(article);
  expect(await snapshot(h)).toEqual(before);
}

describe("A5 refusals: each names its article and changes nothing", () => {
  it("A5.2: no dispatch without the own competent authority's written consent", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Drawings",
      level: "secret",
      content: randomContent(1000),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    await expectRefusal(
      kz,
      () => dispatchTransfer(kz.ctx, { actor: "kzreg", transfer: transferId, channel: "agreed-electronic" }),
      "TRANSFER_CONSENT_MISSING",
      "A5.2",
    );
    await decideTransfer(kz.ctx, {
      actor: "kzca",
      transfer: transferId,
      decision: "refuse",
      reason: "not now",
    });
    expect((await transferRow(kz, transferId))?.state).toBe("refused");
  });

  it("A5.3: a refused clearance confirmation refuses the transfer; nothing is dispatched", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Specs",
      level: "secret",
      content: randomContent(1000),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    await expectRefusal(
      kz,
      () => dispatchTransfer(kz.ctx, { actor: "kzreg", transfer: transferId, channel: "agreed-electronic" }),
      "TRANSFER_CONSENT_MISSING",
      "A5.2",
    );
    await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
    await waitFor(inState(am, transferId, "clearance-asked"), "the request");
    await expectRefusal(
      kz,
      () => dispatchTransfer(kz.ctx, { actor: "kzreg", transfer: transferId, channel: "agreed-electronic" }),
      "TRANSFER_FACILITY_NOT_CONFIRMED",
      "A5.3",
    );
    await answerClearanceConfirmation(am.ctx, {
      actor: "amca",
      transfer: transferId,
      refuse: true,
      reason: "under review",
    });
    const refused = await waitFor(inState(kz, transferId, "refused"), "the refusal");
    expect(JSON.parse(refused.refusal!)).toMatchObject({
      code: "TRANSFER_FACILITY_NOT_CONFIRMED",
      articles: ["A5.2", "A5.3"],
    });
  });

  it("A5.3, A1.11: a confirmed facility clearance below the carrier's level refuses the transfer", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Top plans",
      level: "top-secret",
      content: randomContent(1000),
      contract: "KZ-AM/2026/1",
    });
    const { transferId } = await requestCarrierTransfer(kz.ctx, {
      actor: "kzreg",
      carrier: c.registrationNumber,
      to: am.bodyName,
    });
    // AM's body now holds only Secret: its Top secret clearance is revoked for this test by a new, lower one and a refusal to use the higher.
    await am.node.db
      .updateTable("facility_clearances")
      .set({ revoked_at: new Date().toISOString() })
      .where("organisation_id", "=", am.body)
      .execute();
    await grantFacilityClearance(am.ctx, {
      actor: "amca",
      organisation: am.body,
      level: "secret",
      validFrom: "2026-01-01",
      validTo: "2030-12-31",
    });
    try {
      await decideTransfer(kz.ctx, { actor: "kzca", transfer: transferId, decision: "consent" });
      await waitFor(inState(am, transferId, "clearance-asked"), "the request");
      await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: transferId });
      const refused = await waitFor(inState(kz, transferId, "refused"), "the refusal");
      expect(JSON.parse(refused.refusal!)).toMatchObject({ code: "TRANSFER_FACILITY_TOO_LOW" });
      expect(JSON.parse(refused.refusal!).articles).toContain("A5.3");
    } finally {
      await am.node.db
        .updateTable("facility_clearances")
        .set({ revoked_at: null })
        .where("organisation_id", "=", am.body)
        .where("level", "=", "top-secret")
        .execute();
    }
  });

  it("A4.2, A1.11: an expired personal clearance, or an expired facility clearance of the own body, refuses the request", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Notes",
      level: "secret",
      content: randomContent(100),
      contract: "KZ-AM/2026/1",
    });
    await kz.node.db.updateTable("personal_clearances").set({ valid_to: "2026-06-30" }).execute();
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: c.registrationNumber, to: am.bodyName }),
      "ACCESS_CLEARANCE_EXPIRED",
      "A4.2",
    );
    await kz.node.db.updateTable("personal_clearances").set({ valid_to: "2030-12-31" }).execute();
    await kz.node.db.updateTable("facility_clearances").set({ valid_to: "2026-06-30" }).execute();
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: c.registrationNumber, to: am.bodyName }),
      "ACCESS_FACILITY_CLEARANCE_EXPIRED",
      "A1.11",
    );
    await kz.node.db.updateTable("facility_clearances").set({ valid_to: "2030-12-31" }).execute();
  });

  it("A7.1, A5.1, A4.1.5: information outside the contract's list, a contract not active, a third party's body", async () => {
    const top = await registerOwnCarrier(kz, {
      title: "Special",
      level: "special-importance",
      contract: "KZ-AM/2026/1",
    });
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: top.registrationNumber, to: am.bodyName }),
      "TRANSFER_LEVEL_NOT_IN_CONTRACT",
      "A7.1",
    );
    const loose = await registerOwnCarrier(kz, { title: "Loose", level: "secret" });
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, {
          actor: "kzreg",
          carrier: loose.registrationNumber,
          to: am.bodyName,
          contract: "KZ-AM/2026/1",
        }),
      "TRANSFER_LEVEL_NOT_IN_CONTRACT",
      "A7.1",
    );
    const c = await registerOwnCarrier(kz, { title: "Regular", level: "secret", contract: "KZ-AM/2026/1" });
    await kz.node.db.updateTable("contracts").set({ state: "draft" }).execute();
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: c.registrationNumber, to: am.bodyName }),
      "TRANSFER_CONTRACT_REQUIRED",
      "A5.1",
    );
    await kz.node.db.updateTable("contracts").set({ state: "active" }).execute();
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, {
          actor: "kzreg",
          carrier: c.registrationNumber,
          to: "Ministry of a third state",
        }),
      "THIRD_PARTY_NEEDS_CONSENT",
      "A4.1.5",
    );
  });
});

describe("A5 transfer and A6 originator's control", () => {
  let received: Awaited<ReturnType<typeof transferNewCarrier>>;
  let copyId: string;
  let derivedId: string;

  it("A5.6, A6.1, A2.2: a physical carrier with a dispatch record and an electronic one arrive, are registered with both markings, and the receipts close the transfers", async () => {
    const paper = await transferNewCarrier(kz, am, {
      title: "Paper report",
      level: "secret",
      onTheWay: async (transferId) => {
        // No receipt for a carrier that has not arrived: KZ waits, AM has registered nothing yet.
        expect((await transferRow(kz, transferId))?.state).toBe("dispatched");
        expect((await transferRow(am, transferId))?.carrier_id).toBeNull();
        // Only the receiving body's registry officer takes it in.
        await expectRefusal(
          am,
          () => receivePhysicalCarrier(am.ctx, { actor: "amca", transfer: transferId, sealsIntact: true }),
          "ROLE_FORBIDDEN",
          "A4.2",
        );
        // Nor without confirming the seals intact: a broken seal is a possible breach, not a receipt.
        await expectRefusal(
          am,
          () => receivePhysicalCarrier(am.ctx, { actor: "amreg", transfer: transferId, sealsIntact: false }),
          "TRANSFER_SEALS_NOT_CONFIRMED",
          "A11.1",
        );
      },
    });
    // Taken in once: a second arrival of the same transfer is refused.
    await expectRefusal(
      am,
      () => receivePhysicalCarrier(am.ctx, { actor: "amreg", transfer: paper.transferId, sealsIntact: true }),
      "TRANSITION_FORBIDDEN",
      "A5.6",
    );
    const paperRow = await am.node.db
      .selectFrom("carriers")
      .selectAll()
      .where("id", "=", paper.amCarrierId)
      .executeTakeFirstOrThrow();
    expect(paperRow).toMatchObject({
      kind: "paper-document",
      marking: "Құпия",
      national_marking: "Գաղտնի",
      has_content: 0,
    });
    const amTransfer = await transferRow(am, paper.transferId);
    expect(amTransfer!.state).toBe("acknowledged");
    expect(JSON.parse(amTransfer!.dispatch!)).toMatchObject({
      delivery: { mode: "physical", sealNumbers: ["S-1", "S-2"], waybill: "WB-77" },
    });
    received = await transferNewCarrier(kz, am, {
      title: "Test results",
      level: "top-secret",
      content: randomContent(64 * 1024),
    });
    const row = await am.node.db
      .selectFrom("carriers")
      .selectAll()
      .where("id", "=", received.amCarrierId)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      level: "top-secret",
      marking: "Өте құпия",
      national_marking: "Հույժ գաղտնի",
    });
  });

  it("A5.6: a transfer whose receipt notice is late is flagged overdue", async () => {
    const c = await registerOwnCarrier(kz, {
      title: "Late",
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
    await answerClearanceConfirmation(am.ctx, { actor: "amca", transfer: transferId });
    await waitFor(inState(kz, transferId, "confirmed"), "the confirmation");
    // AM's node is stopped, so no receipt can come; the receipt was due at once.
    await stopNode(amServe);
    try {
      await dispatchTransfer(kz.ctx, {
        actor: "kzreg",
        transfer: transferId,
        channel: "agreed-electronic",
        receiptDueDays: 0,
      });
      const later = { ...kz.ctx, now: () => new Date(Date.now() + 60_000) };
      const overdue = await listTransfers(later, { overdue: true });
      expect(overdue.map((t) => t.id)).toContain(transferId);
    } finally {
      amServe = await startNode(am);
    }
    await waitFor(inState(kz, transferId, "acknowledged"), "the late receipt", 120_000);
    expect(
      (await listTransfers({ ...kz.ctx, now: () => new Date(Date.now() + 60_000) }, { overdue: true })).map(
        (t) => t.id,
      ),
    ).not.toContain(transferId);
  });

  it("A6.5, A6.1: AM's copy is refused without KZ's written consent, and registered with the original's marking with it", async () => {
    await expectRefusal(
      am,
      () => copyCarrier(am.ctx, { actor: "amreg", carrier: received.amCarrierId }),
      "COPY_NEEDS_CONSENT",
      "A6.5",
    );
    const { asked } = await grantedConsent(kz, am, {
      carrier: received.amCarrierId,
      action: "copy",
      reason: "second team",
    });
    expect(asked).toMatchObject({ direction: "in", action: "copy", state: "asked" });
    const copy = await copyCarrier(am.ctx, { actor: "amreg", carrier: received.amCarrierId });
    expect(copy).toMatchObject({
      registration_number: received.amRegistration,
      copy_number: 2,
      marking: "Өте құпия",
      national_marking: "Հույժ գաղտնի",
    });
    copyId = copy.id;
    // The consent is used: a second copy needs a new one (A5.4: case by case).
    await expectRefusal(
      am,
      () => copyCarrier(am.ctx, { actor: "amreg", carrier: received.amCarrierId }),
      "COPY_NEEDS_CONSENT",
      "A6.5",
    );
  });

  it("A6.4, A6.1: KZ lowers the level; AM's original, its copy and its derivative are all re-marked", async () => {
    const derived = await deriveCarrier(am.ctx, {
      actor: "amreg",
      sources: [received.amCarrierId],
      kind: "other-object",
      title: "Analysis",
    });
    expect(derived).toMatchObject({ level: "top-secret", originator_party: "KZ" });
    derivedId = derived.id;
    // A4.1.2: AM cannot change it itself.
    await expectRefusal(
      am,
      () => changeCarrierLevel(am.ctx, { actor: "amreg", carrier: received.amCarrierId, level: "secret" }),
      "MARKING_CHANGE_NEEDS_CONSENT",
      "A4.1.2",
    );
    const result = await changeCarrierLevel(kz.ctx, {
      actor: "kzreg",
      carrier: received.kzCarrier,
      level: "secret",
    });
    expect(result.notified).toHaveLength(1);
    for (const id of [received.amCarrierId, copyId, derivedId]) {
      const row = await waitFor(async () => {
        const r = await am.node.db
          .selectFrom("carriers")
          .selectAll()
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        return r.level === "secret" ? r : undefined;
      }, `re-marking of ${id}`);
      expect(row).toMatchObject({ marking: "Құпия", national_marking: "Գաղտնի" });
    }
  });

  it("A4.1.5: release to a third party is refused unless KZ consents in writing", async () => {
    await expectRefusal(
      am,
      () => releaseToThirdParty(am.ctx, { actor: "amreg", carrier: copyId, thirdParty: "State X" }),
      "THIRD_PARTY_NEEDS_CONSENT",
      "A4.1.5",
    );
    const { consentId } = await requestConsent(am.ctx, {
      actor: "amreg",
      carrier: copyId,
      action: "third-party-release",
      reason: "joint exercise",
      thirdParty: "State X",
    });
    await waitFor(
      () =>
        kz.node.db.selectFrom("consent_requests").selectAll().where("id", "=", consentId).executeTakeFirst(),
      "the request at KZ",
    );
    await answerConsent(kz.ctx, { actor: "kzreg", consent: consentId, decision: "refuse", reason: "no" });
    await waitFor(
      () =>
        am.node.db
          .selectFrom("consent_requests")
          .selectAll()
          .where("id", "=", consentId)
          .where("state", "=", "refused")
          .executeTakeFirst(),
      "the refusal at AM",
    );
    await expectRefusal(
      am,
      () => releaseToThirdParty(am.ctx, { actor: "amreg", carrier: copyId, thirdParty: "State X" }),
      "THIRD_PARTY_NEEDS_CONSENT",
      "A4.1.5",
    );
  });

  it("A6.6, A1.8: destruction needs KZ's permission; with it the key is erased, a certificate made, and KZ gets the notice", async () => {
    await expectRefusal(
      am,
      () => destroyCarrier(am.ctx, { actor: "amreg", carrier: received.amCarrierId }),
      "DESTRUCTION_NEEDS_PERMISSION",
      "A6.6",
    );
    const { consentId } = await grantedConsent(kz, am, {
      carrier: received.amCarrierId,
      action: "destroy",
      reason: "no longer needed",
    });
    expect(await am.ctx.vault.hasContent(am.node.db, received.amCarrierId)).toBe(true);
    const done = await destroyCarrier(am.ctx, { actor: "amreg", carrier: received.amCarrierId });
    expect(await am.ctx.vault.hasContent(am.node.db, received.amCarrierId)).toBe(false);
    expect(readFileSync(done.certificate!).subarray(0, 5).toString()).toBe("%PDF-");
    const used = await waitFor(
      () =>
        kz.node.db
          .selectFrom("consent_requests")
          .selectAll()
          .where("id", "=", consentId)
          .where("state", "=", "used")
          .executeTakeFirst(),
      "the destruction notice at KZ",
    );
    expect(used.used_at).not.toBeNull();
    const certificate = join(kz.dataDir, "exchange", "certificates");
    expect(existsSync(certificate)).toBe(true);
  });

  it("A4.1.5, A6.6, A6.1: AM's carrier derived from KZ's information is released only with KZ's consent, and destroyed with KZ's permission, which KZ is notified of", async () => {
    await expectRefusal(
      am,
      () => releaseToThirdParty(am.ctx, { actor: "amreg", carrier: derivedId, thirdParty: "State X" }),
      "THIRD_PARTY_NEEDS_CONSENT",
      "A4.1.5",
    );
    await expectRefusal(
      am,
      () => copyCarrier(am.ctx, { actor: "amreg", carrier: derivedId }),
      "COPY_NEEDS_CONSENT",
      "A6.5",
    );
    await expectRefusal(
      am,
      () => destroyCarrier(am.ctx, { actor: "amreg", carrier: derivedId }),
      "DESTRUCTION_NEEDS_PERMISSION",
      "A6.6",
    );
    // Asked for the derived carrier, the request names KZ's original (the information's source).
    const { consentId, asked } = await grantedConsent(kz, am, {
      carrier: derivedId,
      action: "destroy",
      reason: "analysis no longer needed",
    });
    expect(asked).toMatchObject({ direction: "in", action: "destroy", origin_party: "KZ" });
    const done = await destroyCarrier(am.ctx, { actor: "amreg", carrier: derivedId });
    expect(done).toMatchObject({ state: "destroyed", consents: [consentId] });
    await waitFor(
      () =>
        kz.node.db
          .selectFrom("consent_requests")
          .selectAll()
          .where("id", "=", consentId)
          .where("state", "=", "used")
          .executeTakeFirst(),
      "the destruction notice of the derived carrier at KZ",
    );
  });

  it("A6.5: a translation needs the originator's consent and carries the original's marking; A6.4: a declassification reaches every copy", async () => {
    const got = await transferNewCarrier(kz, am, {
      title: "Manual",
      level: "top-secret",
      content: randomContent(1000),
    });
    await expectRefusal(
      am,
      () =>
        translateCarrier(am.ctx, {
          actor: "amreg",
          carrier: got.amCarrierId,
          language: "hy",
          title: "Ձեռնարկ",
          content: randomContent(800),
        }),
      "TRANSLATION_NEEDS_CONSENT",
      "A6.5",
    );
    await grantedConsent(kz, am, {
      carrier: got.amCarrierId,
      action: "translate",
      reason: "for the Armenian team",
      language: "hy",
    });
    const translation = await translateCarrier(am.ctx, {
      actor: "amreg",
      carrier: got.amCarrierId,
      language: "hy",
      title: "Ձեռնարկ",
      content: randomContent(800),
    });
    expect(translation).toMatchObject({ marking: "Өте құпия", national_marking: "Հույժ գաղտնի" });
    const result = await declassifyCarrier(kz.ctx, { actor: "kzreg", carrier: got.kzCarrier });
    expect(result.notified).toHaveLength(1);
    for (const id of [got.amCarrierId, translation.id]) {
      await waitFor(async () => {
        const r = await am.node.db
          .selectFrom("carriers")
          .select("state")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        return r.state === "declassified" ? r : undefined;
      }, `declassification of ${id}`);
    }
  });

  it("A6.6: a return needs the originator's written permission; with it the carrier leaves the registry", async () => {
    const got = await transferNewCarrier(kz, am, {
      title: "Borrowed",
      level: "secret",
      content: randomContent(500),
    });
    await expectRefusal(
      am,
      () =>
        returnCarrier(am.ctx, {
          actor: "amreg",
          carrier: got.amCarrierId,
          channel: "state-courier",
          sealNumbers: ["R-1"],
          waybill: "WB-R",
        }),
      "RETURN_NEEDS_PERMISSION",
      "A6.6",
    );
    await grantedConsent(kz, am, {
      carrier: got.amCarrierId,
      action: "return",
      reason: "work finished",
    });
    const returned = await returnCarrier(am.ctx, {
      actor: "amreg",
      carrier: got.amCarrierId,
      channel: "state-courier",
      sealNumbers: ["R-1"],
      waybill: "WB-R",
    });
    expect(returned.state).toBe("returned");
    expect(await am.ctx.vault.hasContent(am.node.db, got.amCarrierId)).toBe(false);
  });

  it("both audit logs verify after all of it", async () => {
    expect(await verifyNodeAudit(kz)).toMatchObject({ ok: true });
    expect(await verifyNodeAudit(am)).toMatchObject({ ok: true });
  });

  it("A15.2: after termination no new transfer starts", async () => {
    await recordAgreementNotice(kz.ctx, {
      actor: "kzca",
      event: "receive-termination-notice",
      from: "AM",
      at: "2026-03-02T00:00:00Z",
    });
    await recordAgreementNotice(kz.ctx, { actor: "kzca", event: "terminate", at: "2026-10-01T00:00:00Z" });
    const c = await registerOwnCarrier(kz, {
      title: "After the end",
      level: "secret",
      contract: "KZ-AM/2026/1",
    });
    await expectRefusal(
      kz,
      () =>
        requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: c.registrationNumber, to: am.bodyName }),
      "AGREEMENT_TERMINATED",
      "A15.2",
    );
  });
});
