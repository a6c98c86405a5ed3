import { DomainError } from "../../domain/errors.ts";
import { toTimestamp } from "../../store/columns.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

export const ORGANISATION_KINDS = ["competent-authority", "authorized-body"] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export type RegisterOrganisationInput = {
  readonly actor: string;
  readonly name: string;
  /** Default: authorized-body (A1.9). A node has one competent authority (A1.10, A3.1), made at init. */
  readonly kind?: OrganisationKind;
};

/** Registers an authorized body of this node's Party (administrator). */
export async function registerOrganisation(ctx: AppContext, input: RegisterOrganisationInput) {
  const kind = input.kind ?? "authorized-body";
  return executeUseCase(ctx, { actor: input.actor, action: "organisation.created" }, async (trx, actor) => {
    requireRole(actor, "administrator");
    const name = input.name.trim();
    if (name.length === 0) throw new DomainError("INPUT_INVALID", { field: "name", problem: "empty" });
    if (!(ORGANISATION_KINDS as readonly string[]).includes(kind)) {
      throw new DomainError("INPUT_INVALID", {
        field: "kind",
        problem: `use ${ORGANISATION_KINDS.join(" or ")}`,
      });
    }
    if (kind === "competent-authority") {
      const existing = await trx
        .selectFrom("organisations")
        .select("id")
        .where("kind", "=", "competent-authority")
        .executeTakeFirst();
      if (existing) {
        throw new DomainError("INPUT_INVALID", {
          field: "kind",
          problem: "this node already has its competent authority (A3.1)",
        });
      }
    }
    const duplicate = await trx
      .selectFrom("organisations")
      .select("id")
      .where("name", "=", name)
      .executeTakeFirst();
    if (duplicate)
      throw new DomainError("INPUT_INVALID", { field: "name", problem: `${name} is already registered` });
    const row = {
      id: ctx.newId(),
      party: ctx.config.party,
      kind,
      name,
      created_at: toTimestamp(ctx.now()),
    };
    await trx.insertInto("organisations").values(row).execute();
    await recordDone(trx, ctx, actor, {
      type: "organisation.created",
      object: { type: "organisation", id: row.id },
      articles: kind === "competent-authority" ? ["A1.10"] : ["A1.9"],
      data: { name, kind, party: row.party },
    });
    return row;
  });
}
