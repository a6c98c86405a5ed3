// D3, A6.6, A6.7: the originator's written consent on carriers exchanged under the repealed 2015
// agreement, imported at both nodes (docs/import-2015.md), between two node processes over HTTPS.
// KZ holds two carriers of AM's origin from 2016–2017 and asks AM's consent under AM's old numbers.
// AM imported its own side of the first (sent to KZ in 2016): it recognises the request by its old
// number, its registry officer answers, and the destruction is noted on AM's record. AM holds no
// record of the second: the request is not refused but referred to AM's competent authority, whose
// officer decides by hand; KZ sees that answer too and acts on it.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listAuthorityNotices } from "../../src/app/authorities/informed.ts";
import { copyCarrier } from "../../src/app/carriers/copy-carrier.ts";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { answerConsent, requestConsent } from "../../src/app/consent/consent-flow.ts";
import { listConsents } from "../../src/app/consent/list-consents.ts";
import { importPredecessorRecords } from "../../src/app/import/import-predecessor-records.ts";
import { parseImportFile } from "../../src/app/import/predecessor-format.ts";
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

const HEADER =
  "old_number,copy,kind,title,old_marking,originator_party,originator_body,custodian,sheets,registered_on,transfer_direction,other_party_number,transfer_date";
/** The Kazakh side's old register: two carriers received from Armenia (their Armenian numbers kept). */
const KZ_RECORDS = [
  HEADER,
  "МО-2016/17,1,paper-document,Joint air-defence exercise plan,Հույժ գաղտնի,AM,AM Defence Institute,KZ Defence Institute,12,2016-03-14,in,ՊՆ-2016/301,2016-03-10",
  "МО-2017/4,1,paper-document,Radar calibration protocol,Գաղտնի,AM,AM Defence Institute,KZ Defence Institute,4,2017-09-01,in,ՊՆ-2017/88,2017-08-29",
].join("\n");
/** The Armenian side's old register: the first of them, its own information sent to Kazakhstan (a copy kept). */
const AM_RECORDS = [
  HEADER,
  "ՊՆ-2016/301,1,paper-document,Joint air-defence exercise plan,Հույժ գաղտնի,AM,AM Defence Institute,AM Defence Institute,12,2016-02-20,out,МО-2016/17,2016-03-10",
].join("\n");

let kzKnown: string;
let kzUnknown: string;
let amOwn: string;

beforeAll(async () => {
  base = makeTempDir("kelisim-two-node-import-consent-");
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

const consentAt = (h: NodeHandle, id: string) =>
  h.node.db.selectFrom("consent_requests").selectAll().where("id", "=", id).executeTakeFirst();

const consentInState = (h: NodeHandle, id: string, state: string) => async () => {
  const row = await consentAt(h, id);
  return row?.state === state ? row : undefined;
};

describe("D3, A6.7: consent on carriers of the 2015 agreement", () => {
  it("D3: KZ imports the two carriers of AM's origin it holds; AM imports its own side of the first", async () => {
    const atKz = await importPredecessorRecords(kz.ctx, {
      actor: "kzreg",
      file: parseImportFile(KZ_RECORDS, "csv"),
    });
    expect(atKz.outcome).toBe("imported");
    expect(atKz.byOriginator).toEqual({ AM: 2 });
    [kzKnown, kzUnknown] = atKz.carriers.map((c) => c.id!) as [string, string];
    const atAm = await importPredecessorRecords(am.ctx, {
      actor: "amreg",
      file: parseImportFile(AM_RECORDS, "csv"),
    });
    expect(atAm.outcome).toBe("imported");
    amOwn = atAm.carriers[0]!.id!;
    // KZ keeps AM's old number as the originator's reference its consents are asked under.
    const ref = await kz.node.db
      .selectFrom("received_carriers")
      .select(["origin_party", "origin_registration_number", "origin_copy_number", "origin_org"])
      .where("carrier_id", "=", kzKnown)
      .executeTakeFirstOrThrow();
    expect(ref).toEqual({
      origin_party: "AM",
      origin_registration_number: "ՊՆ-2016/301",
      origin_copy_number: 1,
      origin_org: am.body,
    });
  });

  it("D3, A6.6, A6.7: AM recognises KZ's request by its own 2015 number; AM's registry officer grants it; KZ destroys and AM notes it on its record", async () => {
    const { consentId } = await requestConsent(kz.ctx, {
      actor: "kzreg",
      carrier: kzKnown,
      action: "destroy",
      reason: "the exercise plan is obsolete",
    });
    const asked = await waitFor(() => consentAt(am, consentId), "the request at AM");
    expect(asked).toMatchObject({
      direction: "in",
      state: "asked",
      carrier_id: amOwn,
      referred_to: null,
      originator_org: am.body,
      holder_org: kz.body,
    });
    // AM's registry officer sees it on AM's own record of the carrier, and may answer it.
    const amNumber = (
      await am.node.db
        .selectFrom("carriers")
        .select(["registration_number", "copy_number"])
        .where("id", "=", amOwn)
        .executeTakeFirstOrThrow()
    ).registration_number;
    const view = (await listConsents(am.ctx, { actor: "amreg" })).find((c) => c.id === consentId)!;
    expect(view.carrierLabel).toContain(amNumber);
    expect(view.actions).toEqual(["grant", "refuse"]);
    await answerConsent(am.ctx, { actor: "amreg", consent: consentId, decision: "grant" });
    await waitFor(consentInState(kz, consentId, "granted"), "the permission at KZ");

    const destroyed = await destroyCarrier(kz.ctx, { actor: "kzreg", carrier: kzKnown });
    expect(destroyed.state).toBe("destroyed");
    await waitFor(consentInState(am, consentId, "used"), "the destruction notice at AM");
    const noted = await am.node.db
      .selectFrom("audit_entries")
      .select(["object", "organisation"])
      .where("event_type", "=", "carrier.destruction-noted")
      .execute();
    expect(noted).toContainEqual({ object: `carrier:${amOwn}`, organisation: am.body });
  });

  it("D3, A6.7: on a 2015 carrier AM holds no record of, the request goes to AM's competent authority, whose officer decides by hand; KZ sees the answer and acts on it", async () => {
    const { consentId } = await requestConsent(kz.ctx, {
      actor: "kzreg",
      carrier: kzUnknown,
      action: "copy",
      reason: "a working copy for the joint commission",
    });
    const asked = await waitFor(() => consentAt(am, consentId), "the request at AM");
    expect(asked).toMatchObject({
      state: "asked",
      carrier_id: null,
      referred_to: am.ca,
      origin_registration_number: "ՊՆ-2017/88",
      originator_org: am.body,
    });
    // Not refused: AM's competent authority reads it among its notices …
    const { notices } = await listAuthorityNotices(am.ctx, { actor: "amca" });
    const notice = notices.find((n) => n.object === `consent:${consentId}`);
    expect(notice).toMatchObject({ event: "consent.received", articles: ["A6.7", "D3"] });
    expect(notice?.data).toMatchObject({
      carrier: "ՊՆ-2017/88/1",
      predecessor: "kz-am-2015",
      referredTo: am.ca,
    });
    // … and decides it: the body's registry officer, with no record to decide on, is told so.
    const notTheirs = await refusal(
      answerConsent(am.ctx, { actor: "amreg", consent: consentId, decision: "grant" }),
    );
    expect(notTheirs.code).toBe("ROLE_FORBIDDEN");
    expect(notTheirs.articles).toContain("D3");
    expect((await consentAt(am, consentId))?.state).toBe("asked");
    await answerConsent(am.ctx, {
      actor: "amca",
      consent: consentId,
      decision: "grant",
      reason: "found in the 2017 register of the Defence Institute",
    });
    const granted = await waitFor(consentInState(kz, consentId, "granted"), "the answer at KZ");
    expect(granted.answer_reason).toBe("found in the 2017 register of the Defence Institute");
    // The answer from AM's competent authority is the written consent KZ acts on (A6.5).
    const copy = await copyCarrier(kz.ctx, { actor: "kzreg", carrier: kzUnknown });
    expect(copy.copy_number).toBe(2);
    expect((await consentAt(kz, consentId))?.state).toBe("used");
  });
});
