// The holder's registry officer performs a granted written consent (the API's "perform" step):
// the action's one use case runs on the carrier the consent was asked for and spends it
// (A6.5, A6.6, A4.1.5, A6.3); a consent of another body is answered as a missing one (A4.2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { performConsent } from "../../src/app/consent/perform-consent.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { AM_BODY, consentState, flowsOf, grantedByOriginator, receiveCarrier } from "./received-fixture.ts";
import { INSTITUTE, MOD, seedRegistry } from "./registry-fixture.ts";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

for (const dialect of DIALECTS) {
  describe(`performing a granted consent [${dialect}]`, () => {
    let node: TestNode;
    let flows: FlowContext;
    let mod: string;
    let institute: string;
    const clock = withFixedClock();

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      const orgs = await node.ctx.db.selectFrom("organisations").select(["id", "name"]).execute();
      mod = orgs.find((o) => o.name === MOD)!.id;
      institute = orgs.find((o) => o.name === INSTITUTE)!.id;
      flows = flowsOf(node.ctx);
    });
    afterAll(async () => {
      flows?.exchange.close();
      await node?.cleanup();
    });

    const carrierRow = (id: string) =>
      node.ctx.db.selectFrom("carriers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();

    it("A6.5, A4.1.5, A6.6: each granted consent is performed by its action's use case, on the carrier it was asked for, and spent", async () => {
      const { ctx } = node;
      const received = await receiveCarrier(ctx, {
        title: "AM manual",
        level: "secret",
        custodian: mod,
        content: Buffer.from("manual"),
      });
      const copyConsent = await grantedByOriginator(ctx, { root: received.id, holder: mod, action: "copy" });
      const copied = await performConsent(flows, { actor: "reg", consent: copyConsent });
      expect(copied.action).toBe("copy");
      expect(copied.result).toMatchObject({
        registration_number: received.registrationNumber,
        copy_number: 2,
        marking: "Գաղտնի",
      });
      expect(await consentState(ctx, copyConsent)).toBe("used");
      // Performed once: the consent is used.
      expect((await refusal(performConsent(flows, { actor: "reg", consent: copyConsent }))).code).toBe(
        "COPY_NEEDS_CONSENT",
      );
      const copyId = (copied.result as { id: string }).id;

      const translate = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "translate",
        language: "ru",
      });
      const translated = await performConsent(flows, {
        actor: "reg",
        consent: translate,
        content: Buffer.from("руководство"),
      });
      expect(translated.result).toMatchObject({ title: "AM manual (ru)", marking: "Գաղտնի" });

      // A consent asked for the copy acts on the copy.
      const release = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "third-party-release",
        carrier: copyId,
        thirdParty: "State X",
      });
      await performConsent(flows, { actor: "reg", consent: release });
      expect((await carrierRow(copyId)).state).toBe("released");
      expect((await carrierRow(received.id)).state).toBe("received");

      const giveBack = await grantedByOriginator(ctx, { root: received.id, holder: mod, action: "return" });
      expect((await refusal(performConsent(flows, { actor: "reg", consent: giveBack }))).code).toBe(
        "INPUT_INVALID",
      );
      const returned = await performConsent(flows, {
        actor: "reg",
        consent: giveBack,
        channel: "state-courier",
        sealNumbers: ["R-1"],
        waybill: "WB-1",
      });
      expect(returned.result).toMatchObject({ state: "returned", sealNumbers: ["R-1"], waybill: "WB-1" });
      expect(await consentState(ctx, giveBack)).toBe("used");

      const translationId = (translated.result as { id: string }).id;
      const destroy = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "destroy",
        carrier: translationId,
      });
      await performConsent(flows, { actor: "reg", consent: destroy });
      expect((await carrierRow(translationId)).state).toBe("destroyed");
      const notices = await ctx.db
        .selectFrom("exchange_outbox")
        .select("recipient_org")
        .where("kind", "=", "destruction-notice")
        .execute();
      expect(notices).toEqual([{ recipient_org: AM_BODY }]);
    });

    it("A4.2: a consent request of another body is answered exactly as one that does not exist", async () => {
      const { ctx } = node;
      const received = await receiveCarrier(ctx, {
        title: "AM other",
        level: "secret",
        custodian: institute,
      });
      const theirs = await grantedByOriginator(ctx, { root: received.id, holder: institute, action: "copy" });
      const other = await refusal(performConsent(flows, { actor: "reg", consent: theirs }));
      const missing = await refusal(performConsent(flows, { actor: "reg", consent: "no-such-consent" }));
      expect(missing.toJSON()).toMatchObject({
        code: "INPUT_INVALID",
        details: { field: "consent", problem: "no consent request no-such-consent" },
      });
      expect(JSON.stringify(other.toJSON()).replaceAll(theirs, "no-such-consent")).toBe(
        JSON.stringify(missing.toJSON()),
      );
      expect(await consentState(ctx, theirs)).toBe("granted");
    });
  });
}
