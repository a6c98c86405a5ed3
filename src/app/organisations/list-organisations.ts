// The organisations a person may see in the directory: the node's, with their facility clearances
// and the one valid now (A1.11), and the other Party's as its directory names them. One audit entry.
import type { AuditData } from "../../audit/entry.ts";
import { currentClearance, type ShownClearance } from "../access/current-clearance.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { peerAuthorityNames, readPeerDirectory } from "../directory.ts";
import { clearanceActions, isSuspended } from "../people/standing-actions.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    "organisations.listed": AuditData | undefined;
  }
}

export async function listOrganisations(ctx: AppContext, input: { readonly actor: string }) {
  return executeUseCase(ctx, { actor: input.actor, action: "organisations.listed" }, async (trx, actor) => {
    requireRole(actor, "competent-authority-officer", "registry-officer", "auditor", "administrator");
    const organisations = await trx.selectFrom("organisations").selectAll().orderBy("created_at").execute();
    const clearances = await trx
      .selectFrom("facility_clearances")
      .selectAll()
      .where("revoked_at", "is", null)
      .orderBy("valid_from")
      .execute();
    // A1.11: the rows a facility clearance change would touch (in force or suspended).
    const standing = await trx
      .selectFrom("facility_clearances")
      .select(["organisation_id", "revoked_at", "revocation"])
      .where((eb) => eb.or([eb("revoked_at", "is", null), eb("revocation", "=", "suspended")]))
      .execute();
    const own = organisations.map((o) => {
      const facilityClearances = clearances.filter((c) => c.organisation_id === o.id);
      const ownStanding = standing.filter((c) => c.organisation_id === o.id);
      return {
        ...o,
        facilityClearances,
        current: currentClearance(ctx, facilityClearances),
        clearanceSuspended: isSuspended(ownStanding),
        actions: clearanceActions(actor, ownStanding),
      };
    });
    const peer = readPeerDirectory(ctx.dataDir);
    const renamed = await peerAuthorityNames(trx, ctx);
    const others = (peer?.organisations ?? [])
      .filter((p) => !own.some((o) => o.id === p.id))
      .map((p) => ({
        id: p.id,
        name: renamed.get(p.id) ?? p.name,
        kind: p.kind,
        party: peer!.party,
        current: null as ShownClearance | null,
      }));
    await recordDone(trx, ctx, actor, {
      type: "organisations.listed",
      outcome: "allowed",
      object: null,
      data: { shown: own.length + others.length },
    });
    return { own, others };
  });
}
