// A small registry used by the registry tests: the Ministry of Defence (facility clearance top
// secret), its registry officer `reg`, cleared users `alice` (contract participant), `bob` (no
// need-to-know), `carol` (clearance secret only), the Institute (no facility clearance) with `ivan`,
// and the active contract C-1 with the six clauses. Each has acknowledged their obligations (A4.4).

import type { AppContext } from "../../src/app/context.ts";
import { activateContract } from "../../src/app/contracts/activate-contract.ts";
import { addContractParticipant } from "../../src/app/contracts/add-contract-participant.ts";
import { amendContract } from "../../src/app/contracts/amend-contract.ts";
import { createContract } from "../../src/app/contracts/create-contract.ts";
import { grantFacilityClearance } from "../../src/app/organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../../src/app/organisations/register-organisation.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { readAuditEntries, readAuditHead } from "../../src/audit/log.ts";
import { CONTRACT_CLAUSES } from "../../src/domain/contract/contract-machine.ts";
import { registerAcknowledgedPerson } from "../support/people.ts";

export const MOD = "Ministry of Defence";
export const INSTITUTE = "Institute of Physics";

export async function seedRegistry(ctx: AppContext): Promise<void> {
  await registerAcknowledgedPerson(ctx, {
    actor: "admin",
    organisation: "competent-authority",
    handle: "ca",
    name: "CA Officer",
    roles: ["competent-authority-officer"],
  });
  await registerOrganisation(ctx, { actor: "admin", name: MOD });
  await registerOrganisation(ctx, { actor: "admin", name: INSTITUTE });
  await grantFacilityClearance(ctx, {
    actor: "ca",
    organisation: MOD,
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2030-12-31",
  });
  const people: [string, string, string, string | null][] = [
    ["reg", MOD, "registry-officer", "top-secret"],
    ["alice", MOD, "cleared-user", "top-secret"],
    ["bob", MOD, "cleared-user", "top-secret"],
    ["carol", MOD, "cleared-user", "secret"],
    ["ivan", INSTITUTE, "registry-officer", "top-secret"],
  ];
  for (const [handle, organisation, role, level] of people) {
    await registerAcknowledgedPerson(ctx, {
      actor: "admin",
      organisation,
      handle,
      name: handle,
      roles: [role],
    });
    if (level) {
      await grantPersonalClearance(ctx, {
        actor: "ca",
        person: handle,
        level,
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
    }
  }
  await createContract(ctx, { actor: "reg", number: "C-1", title: "Radar", counterpartName: "AM Institute" });
  await amendContract(ctx, {
    actor: "reg",
    contract: "C-1",
    clauses: Object.fromEntries(CONTRACT_CLAUSES.map((c) => [c, `text of ${c}`])),
    information: [{ description: "radar", level: "top-secret" }],
  });
  for (const person of ["alice", "carol", "reg"]) {
    await addContractParticipant(ctx, { actor: "reg", contract: "C-1", person });
  }
  await activateContract(ctx, { actor: "reg", contract: "C-1" });
}

/** Every audit entry written since `from` (the log's size before). */
export async function auditSince(ctx: AppContext, from: number) {
  const head = await readAuditHead(ctx.db);
  return readAuditEntries(ctx.db, from, head.size - from);
}

export async function auditSize(ctx: AppContext): Promise<number> {
  return (await readAuditHead(ctx.db)).size;
}
