// The one use case of each action on a carrier (src/app/carriers), for this Party's own
// information and the other Party's alike: the originator's rights over derived information
// (A6.1, A4.1.5, A6.5, A6.6), clearance for a new level (A4.2, A1.11), declassification (A1.7,
// A6.4), the carrier machine deciding every state (A1.8), need-to-know under four eyes (A4.2), and
// answers that do not tell what exists in another body's registry (A4.2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeCarrierLevel, declassifyCarrier } from "../../src/app/carriers/change-level.ts";
import { copyCarrier, translateCarrier } from "../../src/app/carriers/copy-carrier.ts";
import { deriveCarrier } from "../../src/app/carriers/derive-carrier.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { confirmNeedToKnow, grantNeedToKnow } from "../../src/app/carriers/grant-need-to-know.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { releaseToThirdParty } from "../../src/app/carriers/release-carrier.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { answerConsent } from "../../src/app/consent/consent-flow.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { toTimestamp } from "../../src/store/columns.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { AM_BODY, consentState, flowsOf, grantedByOriginator, receiveCarrier } from "./received-fixture.ts";
import { auditSince, auditSize, INSTITUTE, MOD, seedRegistry } from "./registry-fixture.ts";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

async function readText(shown: Awaited<ReturnType<typeof showCarrier>>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of shown.content!.stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

for (const dialect of DIALECTS) {
  describe(`actions on carriers, own and received [${dialect}]`, () => {
    let node: TestNode;
    let flows: FlowContext;
    let mod: string;
    let institute: string;
    const clock = withFixedClock();

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      const ctx = node.ctx;
      // A second registry officer of the Ministry; one cleared above the Ministry's facility
      // clearance (top secret); a person of the Ministry with no clearance at all.
      const people: [string, string, string | null][] = [
        ["reg2", "registry-officer", "top-secret"],
        ["regsi", "registry-officer", "special-importance"],
        ["dan", "cleared-user", null],
      ];
      for (const [handle, role, level] of people) {
        await registerAcknowledgedPerson(ctx, {
          actor: "admin",
          organisation: MOD,
          handle,
          name: handle,
          roles: [role],
        });
        if (level)
          await grantPersonalClearance(ctx, {
            actor: "ca",
            person: handle,
            level,
            validFrom: "2026-01-01",
            validTo: "2030-12-31",
          });
      }
      const orgs = await ctx.db.selectFrom("organisations").select(["id", "name"]).execute();
      mod = orgs.find((o) => o.name === MOD)!.id;
      institute = orgs.find((o) => o.name === INSTITUTE)!.id;
      flows = flowsOf(ctx);
    });
    afterAll(async () => {
      flows?.exchange.close();
      await node?.cleanup();
    });

    const carrierRow = (id: string) =>
      node.ctx.db.selectFrom("carriers").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    const carrierCount = async () =>
      Number(
        (
          await node.ctx.db
            .selectFrom("carriers")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("A4.2, A1.11: a level change is refused when the officer, or the body that holds the carrier, is not cleared for the new level", async () => {
      const { ctx } = node;
      const c = await registerCarrier(ctx, {
        actor: "reg",
        kind: "other-object",
        title: "Level plan",
        level: "top-secret",
      });
      const before = await auditSize(ctx);
      // The registry officer is cleared top secret: not for special importance.
      const personal = await refusal(
        changeCarrierLevel(flows, { actor: "reg", carrier: c.id, level: "special-importance" }),
      );
      expect(personal.code).toBe("ACCESS_CLEARANCE_TOO_LOW");
      expect(personal.articles).toContain("A4.2");
      // This officer is cleared for it, the Ministry (top secret) is not.
      const facility = await refusal(
        changeCarrierLevel(flows, { actor: "regsi", carrier: c.id, level: "special-importance" }),
      );
      expect(facility.code).toBe("ACCESS_FACILITY_CLEARANCE_TOO_LOW");
      expect(facility.articles).toContain("A1.11");
      expect(await carrierRow(c.id)).toMatchObject({ level: "top-secret", marking: "Өте құпия" });
      // Each refusal is audited, once.
      expect((await auditSince(ctx, before)).map((e) => [e.event, e.outcome])).toEqual([
        ["carrier.remarked", "refused"],
        ["carrier.remarked", "refused"],
      ]);
      // Within the clearances, the level changes.
      await changeCarrierLevel(flows, { actor: "reg", carrier: c.id, level: "secret" });
      expect(await carrierRow(c.id)).toMatchObject({ level: "secret", marking: "Құпия" });
    });

    it("A6.5, A6.1: a carrier derived from a received one is copied or translated only with its originator's written consent", async () => {
      const { ctx } = node;
      const received = await receiveCarrier(ctx, { title: "AM report", level: "secret", custodian: mod });
      const derived = await deriveCarrier(ctx, {
        actor: "reg",
        sources: [received.id],
        kind: "paper-document",
        sheets: 2,
        title: "Analysis of the AM report",
      });
      const before = await carrierCount();
      const copy = await refusal(copyCarrier(ctx, { actor: "reg", carrier: derived.id }));
      expect(copy.code).toBe("COPY_NEEDS_CONSENT");
      expect(copy.articles).toContain("A6.5");
      const translation = await refusal(
        translateCarrier(ctx, { actor: "reg", carrier: derived.id, language: "ru" }),
      );
      expect(translation.code).toBe("TRANSLATION_NEEDS_CONSENT");
      expect(await carrierCount()).toBe(before);
      // With AM's consent for that carrier, the copy is made, carries the marking, and the consent is spent.
      const consent = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "copy",
        carrier: derived.id,
      });
      const made = await copyCarrier(ctx, { actor: "reg", carrier: derived.id });
      expect(made).toMatchObject({ marking: "Գաղտնի", national_marking: "Құпия", originator_party: "AM" });
      expect(await consentState(ctx, consent)).toBe("used");
      expect((await refusal(copyCarrier(ctx, { actor: "reg", carrier: derived.id }))).code).toBe(
        "COPY_NEEDS_CONSENT",
      );
    });

    it("A4.1.5, A6.1: down a chain of copy and derivation, the release to a third party needs the originator's prior written consent naming it, and is audited with it", async () => {
      const { ctx } = node;
      const received = await receiveCarrier(ctx, { title: "AM drawings", level: "secret", custodian: mod });
      await grantedByOriginator(ctx, { root: received.id, holder: mod, action: "copy" });
      const copy = await copyCarrier(ctx, { actor: "reg", carrier: received.id });
      const derived = await deriveCarrier(ctx, {
        actor: "reg",
        sources: [copy.id],
        kind: "other-object",
        title: "Digest of the drawings",
        level: "top-secret",
      });
      const none = await refusal(
        releaseToThirdParty(ctx, { actor: "reg", carrier: derived.id, thirdParty: "State X" }),
      );
      expect(none.code).toBe("THIRD_PARTY_NEEDS_CONSENT");
      expect(none.articles).toContain("A4.1.5");
      // A consent naming another third party does not do.
      await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "third-party-release",
        carrier: derived.id,
        thirdParty: "State Y",
      });
      const other = await refusal(
        releaseToThirdParty(ctx, { actor: "reg", carrier: derived.id, thirdParty: "State X" }),
      );
      expect(other.code).toBe("THIRD_PARTY_NEEDS_CONSENT");
      expect((await carrierRow(derived.id)).state).toBe("registered");
      const consent = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "third-party-release",
        carrier: derived.id,
        thirdParty: "State X",
      });
      const before = await auditSize(ctx);
      const released = await releaseToThirdParty(ctx, {
        actor: "reg",
        carrier: derived.id,
        thirdParty: "State X",
      });
      expect(released.state).toBe("released");
      const [entry] = await auditSince(ctx, before);
      expect(entry).toMatchObject({ event: "carrier.released", outcome: "done" });
      expect(entry!.data).toMatchObject({ consent });
      expect(await consentState(ctx, consent)).toBe("used");
    });

    it("A6.6, A4.1.2, A6.1: a carrier derived from a received one changes level only with its originator's consent, and is destroyed with its permission, which is spent and notified in writing", async () => {
      const { ctx } = node;
      const received = await receiveCarrier(ctx, { title: "AM test data", level: "secret", custodian: mod });
      const derived = await deriveCarrier(ctx, {
        actor: "reg",
        sources: [received.id],
        kind: "other-object",
        title: "Test data summary",
      });
      const level = await refusal(
        changeCarrierLevel(flows, { actor: "reg", carrier: derived.id, level: "top-secret" }),
      );
      expect(level.code).toBe("MARKING_CHANGE_NEEDS_CONSENT");
      expect(level.articles).toContain("A4.1.2");
      const without = await refusal(destroyCarrier(flows, { actor: "reg", carrier: derived.id }));
      expect(without.code).toBe("DESTRUCTION_NEEDS_PERMISSION");
      expect(without.articles).toContain("A6.6");
      expect((await carrierRow(derived.id)).state).toBe("registered");
      const consent = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "destroy",
        carrier: derived.id,
      });
      const done = await destroyCarrier(flows, { actor: "reg", carrier: derived.id });
      expect(done.state).toBe("destroyed");
      expect((await carrierRow(derived.id)).state).toBe("destroyed");
      expect(await consentState(ctx, consent)).toBe("used");
      const notices = await ctx.db
        .selectFrom("exchange_outbox")
        .select(["kind", "recipient_org"])
        .where("kind", "=", "destruction-notice")
        .execute();
      expect(notices).toEqual([{ kind: "destruction-notice", recipient_org: AM_BODY }]);
      // The received carrier itself is untouched.
      expect((await carrierRow(received.id)).state).toBe("received");
    });

    it("A1.7, A6.4: a declassified carrier is readable by the people of the body that holds it, without clearance or need-to-know; its record stays", async () => {
      const { ctx } = node;
      const c = await registerCarrier(ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Old plan",
        level: "top-secret",
        content: Buffer.from("old plan text"),
      });
      expect((await refusal(showCarrier(ctx, { actor: "bob", carrier: c.id }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
      await declassifyCarrier(flows, { actor: "reg", carrier: c.id });
      expect(await carrierRow(c.id)).toMatchObject({
        state: "declassified",
        custodian_organisation_id: mod,
        level: "top-secret",
      });
      // bob: no need-to-know; carol: cleared secret only; dan: no clearance at all.
      for (const who of ["bob", "carol", "dan"]) {
        const shown = await showCarrier(ctx, { actor: who, carrier: c.id, content: true });
        expect(await readText(shown)).toBe("old plan text");
      }
      // Another body's people still learn nothing of it.
      expect((await refusal(showCarrier(ctx, { actor: "ivan", carrier: c.id }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
    });

    it("A1.8, A6.6, A4.1.5: a destroyed carrier is neither released to a third party nor re-levelled nor declassified: the carrier machine refuses", async () => {
      const { ctx } = node;
      const own = await registerCarrier(ctx, {
        actor: "reg",
        kind: "other-object",
        title: "Spent",
        level: "secret",
      });
      await destroyCarrier(flows, { actor: "reg", carrier: own.id });
      const attempts: (() => Promise<unknown>)[] = [
        () => releaseToThirdParty(ctx, { actor: "reg", carrier: own.id, thirdParty: "State X" }),
        () => changeCarrierLevel(flows, { actor: "reg", carrier: own.id, level: "top-secret" }),
        () => declassifyCarrier(flows, { actor: "reg", carrier: own.id }),
        () => grantNeedToKnow(ctx, { actor: "reg", carrier: own.id, persons: ["bob"] }),
      ];
      for (const attempt of attempts) expect((await refusal(attempt())).code).toBe("TRANSITION_FORBIDDEN");
      expect(await carrierRow(own.id)).toMatchObject({ state: "destroyed", level: "secret" });
      // The other Party's information: destroyed with permission, it cannot then be released even
      // with a consent in hand.
      const received = await receiveCarrier(ctx, { title: "AM spent", level: "secret", custodian: mod });
      await grantedByOriginator(ctx, { root: received.id, holder: mod, action: "destroy" });
      await destroyCarrier(flows, { actor: "reg", carrier: received.id });
      const release = await grantedByOriginator(ctx, {
        root: received.id,
        holder: mod,
        action: "third-party-release",
        thirdParty: "State X",
      });
      expect(
        (
          await refusal(
            releaseToThirdParty(ctx, { actor: "reg", carrier: received.id, thirdParty: "State X" }),
          )
        ).code,
      ).toBe("TRANSITION_FORBIDDEN");
      expect((await carrierRow(received.id)).state).toBe("destroyed");
      expect(await consentState(ctx, release)).toBe("granted");
    });

    it("A4.2: no one grants need-to-know to themselves; at top secret a grant takes effect only when a second registry officer of the body confirms it", async () => {
      const { ctx } = node;
      const c = await registerCarrier(ctx, {
        actor: "reg",
        kind: "electronic-file",
        title: "Four eyes",
        level: "top-secret",
        content: Buffer.from("four eyes"),
      });
      const self = await refusal(grantNeedToKnow(ctx, { actor: "reg", carrier: c.id, persons: ["reg"] }));
      expect(self.code).toBe("NEED_TO_KNOW_SELF_GRANT");
      expect(self.articles).toContain("A4.2");
      const asked = await grantNeedToKnow(ctx, { actor: "reg", carrier: c.id, persons: ["bob"] });
      expect(asked).toMatchObject({ granted: [], pending: ["bob"] });
      expect((await refusal(showCarrier(ctx, { actor: "bob", carrier: c.id }))).code).toBe(
        "CARRIER_NOT_FOUND",
      );
      const same = await refusal(confirmNeedToKnow(ctx, { actor: "reg", carrier: c.id, persons: ["bob"] }));
      expect(same.code).toBe("NEED_TO_KNOW_SECOND_OFFICER");
      const confirmed = await confirmNeedToKnow(ctx, { actor: "reg2", carrier: c.id, persons: ["bob"] });
      expect(confirmed.granted).toEqual(["bob"]);
      expect(await readText(await showCarrier(ctx, { actor: "bob", carrier: c.id, content: true }))).toBe(
        "four eyes",
      );
      // Confirming a grant to oneself is granting it to oneself.
      expect(await grantNeedToKnow(ctx, { actor: "reg2", carrier: c.id, persons: ["reg"] })).toMatchObject({
        pending: ["reg"],
      });
      const own = await refusal(confirmNeedToKnow(ctx, { actor: "reg", carrier: c.id, persons: ["reg"] }));
      expect(own.code).toBe("NEED_TO_KNOW_SELF_GRANT");
      // Below the four-eyes level a grant is in effect at once.
      const low = await registerCarrier(ctx, {
        actor: "reg",
        kind: "other-object",
        title: "Secret only",
        level: "secret",
      });
      expect(await grantNeedToKnow(ctx, { actor: "reg", carrier: low.id, persons: ["bob"] })).toMatchObject({
        granted: ["bob"],
        pending: [],
      });
    });

    it("A4.2: a contract, a person or a consent request of another body is answered exactly as one that does not exist", async () => {
      const { ctx } = node;
      // The Institute's registry officer names the Ministry's contract, and one that does not exist.
      const contract = (ref: string) =>
        refusal(
          registerCarrier(ctx, {
            actor: "ivan",
            kind: "other-object",
            title: "Probe",
            level: "secret",
            contract: ref,
          }),
        );
      const otherContract = await contract("C-1");
      const noContract = await contract("C-404");
      expect(noContract.code).toBe("INPUT_INVALID");
      expect(JSON.stringify(otherContract.toJSON()).replaceAll("C-1", "C-404")).toBe(
        JSON.stringify(noContract.toJSON()),
      );
      // The Ministry's registry officer grants need-to-know to a person of the Institute, and to nobody.
      const c = await registerCarrier(ctx, {
        actor: "reg",
        kind: "other-object",
        title: "P",
        level: "secret",
      });
      const grant = (person: string) =>
        refusal(grantNeedToKnow(ctx, { actor: "reg", carrier: c.id, persons: [person] }));
      const otherPerson = await grant("ivan");
      const noPerson = await grant("nobody");
      expect(noPerson.code).toBe("INPUT_INVALID");
      expect(JSON.stringify(otherPerson.toJSON()).replaceAll("ivan", "nobody")).toBe(
        JSON.stringify(noPerson.toJSON()),
      );
      // A consent request put to the Institute, answered by the Ministry's officer, and one that does not exist.
      const asked = "consent-to-the-institute";
      await ctx.db
        .insertInto("consent_requests")
        .values({
          id: asked,
          direction: "in",
          action: "copy",
          state: "asked",
          carrier_id: null,
          origin_party: "KZ",
          origin_registration_number: "KZ-2026-000001",
          origin_copy_number: 1,
          holder_org: AM_BODY,
          originator_org: institute,
          details: "{}",
          requested_by: "message:m-1",
          requested_at: toTimestamp(ctx.now()),
          answered_by: null,
          answered_at: null,
          answer_reason: null,
          used_at: null,
        })
        .execute();
      const answer = (id: string) =>
        refusal(answerConsent(flows, { actor: "reg", consent: id, decision: "grant" }));
      const otherConsent = await answer(asked);
      const noConsent = await answer("consent-that-is-not");
      expect(noConsent.code).toBe("INPUT_INVALID");
      expect(JSON.stringify(otherConsent.toJSON()).replaceAll(asked, "consent-that-is-not")).toBe(
        JSON.stringify(noConsent.toJSON()),
      );
      expect(
        (
          await ctx.db
            .selectFrom("consent_requests")
            .select("state")
            .where("id", "=", asked)
            .executeTakeFirst()
        )?.state,
      ).toBe("asked");
    });
  });
}
