// A contract between the two Parties' bodies, held at both nodes (A1.13, A7.1, A4.1.4), between two
// node processes over HTTPS: sent once active, a received carrier linked to it, its participants at
// the receiving body giving need-to-know there; amended, suspended (the other Party's information
// then not used), resumed and closed by the concluding body, each change applied at both nodes.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { addContractParticipant } from "../../src/app/contracts/add-contract-participant.ts";
import { amendContract } from "../../src/app/contracts/amend-contract.ts";
import {
  closeContract,
  resumeContract,
  suspendContract,
} from "../../src/app/contracts/change-contract-state.ts";
import { listContracts } from "../../src/app/contracts/list-contracts.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { requestCarrierTransfer } from "../../src/app/transfer/transfer-flow.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { makeTempDir } from "../support/databases.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";
import { transferNewCarrier } from "./support/flow-steps.ts";
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
const NUMBER = "KZ-AM/2026/1";

beforeAll(async () => {
  base = makeTempDir("kelisim-two-node-contracts-");
  // The contract KZ-AM/2026/1 is concluded and activated at KZ by the set-up (A7.1).
  ({ kz, am } = await setupTwoNodes(base));
  await registerAcknowledgedPerson(am.ctx, {
    actor: "admin",
    organisation: am.body,
    handle: "amengineer",
    name: "Ani Hovhannisyan",
    roles: ["cleared-user"],
  });
  await grantPersonalClearance(am.ctx, {
    actor: "amca",
    person: "amengineer",
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
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

const contractAt = (h: NodeHandle) =>
  h.node.db.selectFrom("contracts").selectAll().where("number", "=", NUMBER).executeTakeFirst();

const contractAtVersion = (h: NodeHandle, version: number) => async () => {
  const row = await contractAt(h);
  return row && row.version >= version ? row : undefined;
};

describe("A1.13, A7.1: a contract between the Parties' bodies is held at both nodes", () => {
  let amCarrier: string;

  it("A7.1, A1.13: once active at KZ, the contract (clauses, information, participants) is held at AM too", async () => {
    const atKz = (await contractAt(kz))!;
    const atAm = await waitFor(contractAtVersion(am, atKz.version), "the contract at AM");
    expect(atAm).toMatchObject({
      id: atKz.id,
      state: "active",
      origin_party: "KZ",
      organisation_id: am.body,
      counterpart_party: "KZ",
      counterpart_name: kz.bodyName,
    });
    const clauses = await am.node.db
      .selectFrom("contract_clauses")
      .selectAll()
      .where("contract_id", "=", atAm.id)
      .execute();
    expect(clauses).toHaveLength(6);
    const info = await am.node.db
      .selectFrom("contract_information")
      .select(["description", "level"])
      .where("contract_id", "=", atAm.id)
      .orderBy("position")
      .execute();
    expect(info).toEqual([
      { description: "designs", level: "secret" },
      { description: "test results", level: "top-secret" },
    ]);
    expect(JSON.parse(atAm.peer_participants!)).toEqual([{ name: "KZ registry officer" }]);
    // Held as KZ sent it: AM does not change it.
    expect((await refusal(suspendContract(am.ctx, { actor: "amreg", contract: NUMBER }))).code).toBe(
      "CONTRACT_CONCLUDED_ELSEWHERE",
    );
  });

  it("A4.2, A1.13: a carrier received under it is linked to it; AM's own participant reads it by the contract", async () => {
    const received = await transferNewCarrier(kz, am, {
      title: "Test results under the contract",
      level: "secret",
      content: randomContent(700),
    });
    amCarrier = received.amCarrierId;
    const row = await am.node.db
      .selectFrom("carriers")
      .select("contract_id")
      .where("id", "=", amCarrier)
      .executeTakeFirstOrThrow();
    expect(row.contract_id).toBe((await contractAt(am))!.id);
    // Not yet a participant: no need-to-know.
    expect(
      (await refusal(showCarrier(am.ctx, { actor: "amengineer", carrier: amCarrier, content: true }))).code,
    ).toBe("CARRIER_NOT_FOUND");
    await addContractParticipant(am.ctx, { actor: "amreg", contract: NUMBER, person: "amengineer" });
    const shown = await showCarrier(am.ctx, { actor: "amengineer", carrier: amCarrier, content: true });
    expect(shown.content).toBeTruthy();
  });

  it("A1.13, A7.1: AM's own participants go back to KZ: both nodes show both sides' participants", async () => {
    // amengineer was named at AM in the case above; then AM's registry officer is named too.
    await addContractParticipant(am.ctx, { actor: "amreg", contract: NUMBER, person: "amreg" });
    const sides = async (h: NodeHandle, actor: string) => {
      const view = (await listContracts(h.ctx, { actor })).find((c) => c.number === NUMBER)!;
      return { participants: [...view.participants].sort(), peerParticipants: view.peerParticipants };
    };
    // Two lists were sent, one per participant named; whichever arrives last, the later list holds.
    const received = await waitFor(async () => {
      const rows = await kz.node.db
        .selectFrom("exchange_inbox")
        .select("outcome")
        .where("kind", "=", "contract-participants")
        .execute();
      return rows.length === 2 ? rows : undefined;
    }, "AM's two lists of participants at KZ");
    expect(received.map((r) => r.outcome)).toEqual(["accepted", "accepted"]);
    const both = ["AM registry officer", "Ani Hovhannisyan"];
    expect(await sides(kz, "kzreg")).toEqual({
      participants: ["KZ registry officer"],
      peerParticipants: both,
    });
    expect(await sides(am, "amreg")).toEqual({
      participants: both,
      peerParticipants: ["KZ registry officer"],
    });
    // KZ's contract itself did not change (nothing to send back to AM).
    const row = (await contractAt(kz))!;
    expect(row.peer_participants_version).toBe(2);
    expect(row.version).toBe(row.shared_version);
  });

  it("A7.1, A4.1.4: an amendment, a suspension and a resumption at KZ apply at AM; suspended, the information is not used there", async () => {
    await amendContract(kz.ctx, {
      actor: "kzreg",
      contract: NUMBER,
      information: [{ description: "calibration data", level: "secret" }],
    });
    const amended = (await contractAt(kz))!;
    await waitFor(contractAtVersion(am, amended.version), "the amendment at AM");
    expect(
      (
        await am.node.db
          .selectFrom("contract_information")
          .select("description")
          .where("contract_id", "=", amended.id)
          .execute()
      ).map((i) => i.description),
    ).toContain("calibration data");

    await suspendContract(kz.ctx, { actor: "kzreg", contract: NUMBER });
    const suspended = (await contractAt(kz))!;
    expect(suspended.state).toBe("suspended");
    expect((await waitFor(contractAtVersion(am, suspended.version), "the suspension at AM")).state).toBe(
      "suspended",
    );
    // KZ starts no transfer under a suspended contract (A7.1) …
    const next = await registerOwnCarrier(kz, { title: "Not now", level: "secret", contract: NUMBER });
    await refusal(
      requestCarrierTransfer(kz.ctx, { actor: "kzreg", carrier: next.registrationNumber, to: am.bodyName }),
    );
    // … and at AM the information received under it is not used meanwhile (A4.1.4).
    const halted = await refusal(showCarrier(am.ctx, { actor: "amreg", carrier: amCarrier, content: true }));
    expect(JSON.stringify(halted.details)).toContain("ACCESS_CONTRACT_NOT_IN_FORCE");

    await resumeContract(kz.ctx, { actor: "kzreg", contract: NUMBER });
    const resumed = (await contractAt(kz))!;
    expect((await waitFor(contractAtVersion(am, resumed.version), "the resumption at AM")).state).toBe(
      "active",
    );
    expect(
      (await showCarrier(am.ctx, { actor: "amengineer", carrier: amCarrier, content: true })).content,
    ).toBeTruthy();
  });

  it("A7.1: closed at KZ, closed at AM", async () => {
    await closeContract(kz.ctx, { actor: "kzreg", contract: NUMBER });
    const closed = (await contractAt(kz))!;
    expect((await waitFor(contractAtVersion(am, closed.version), "the closing at AM")).state).toBe("closed");
  });

  it("A1.13, A7.1: after KZ's changes, each node still holds the other side's participants", async () => {
    expect(JSON.parse((await contractAt(kz))!.peer_participants!)).toEqual([
      { name: "AM registry officer" },
      { name: "Ani Hovhannisyan" },
    ]);
    expect(JSON.parse((await contractAt(am))!.peer_participants!)).toEqual([{ name: "KZ registry officer" }]);
  });
});
