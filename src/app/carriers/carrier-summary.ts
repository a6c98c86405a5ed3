// A carrier's record as lists and views show it: numbers, title, level and its rank, originator and
// custodian by name, state. Only ever built for a carrier the visibility rule let the actor see.
import { findLevel } from "../../domain/classification/levels.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AppContext } from "../context.ts";
import { organisationNames } from "../directory.ts";

export type CarrierSummary = {
  readonly id: string;
  readonly registrationNumber: string;
  readonly copyNumber: number | null;
  readonly title: string;
  readonly kind: string;
  readonly levelId: string;
  readonly levelRank: number;
  readonly originatorParty: "KZ" | "AM";
  readonly originatorName: string;
  readonly custodianName: string;
  readonly status: string;
  readonly registeredAt: string;
  /** D3: imported from the repealed agreement's register — its id there, and the old number and marking. */
  readonly predecessor: {
    readonly agreement: string;
    readonly oldNumber: string;
    readonly oldCopy: number;
    readonly oldMarking: string;
  } | null;
};

type SummaryRow = Pick<
  CarriersTable,
  | "id"
  | "registration_number"
  | "copy_number"
  | "title"
  | "kind"
  | "level"
  | "state"
  | "custodian_organisation_id"
  | "registered_at"
> &
  Partial<Pick<CarriersTable, "originator_party" | "originator_name">>;

/** The summaries of `rows`, in order (one query for the names, and one for originators if absent). */
export async function summariseCarriers(
  trx: Trx,
  ctx: AppContext,
  rows: readonly SummaryRow[],
): Promise<CarrierSummary[]> {
  if (rows.length === 0) return [];
  const names = await organisationNames(trx, ctx);
  const imported = new Map(
    (
      await trx
        .selectFrom("predecessor_records")
        .select(["carrier_id", "origin_agreement", "old_number", "old_copy", "old_marking"])
        .where(
          "carrier_id",
          "in",
          rows.map((r) => r.id),
        )
        .execute()
    ).map((p) => [p.carrier_id, p]),
  );
  const missing = rows.filter((r) => r.originator_party === undefined).map((r) => r.id);
  const origins = new Map(
    missing.length === 0
      ? []
      : (
          await trx
            .selectFrom("carriers")
            .select(["id", "originator_party", "originator_name"])
            .where("id", "in", missing)
            .execute()
        ).map((r) => [r.id, r]),
  );
  return rows.map((row) => {
    const origin = row.originator_party !== undefined ? row : origins.get(row.id);
    const originatorName = origin?.originator_name ?? "";
    return {
      id: row.id,
      registrationNumber: row.registration_number,
      copyNumber: row.copy_number ?? null,
      title: row.title,
      kind: row.kind,
      levelId: row.level,
      levelRank: findLevel(ctx.pack, row.level).rank,
      originatorParty: (origin?.originator_party ?? ctx.config.party) as "KZ" | "AM",
      // A received carrier names its originator by the peer's organisation id: show its name.
      originatorName: names.get(originatorName) ?? originatorName,
      custodianName: row.custodian_organisation_id ? (names.get(row.custodian_organisation_id) ?? "") : "—",
      status: row.state,
      registeredAt: row.registered_at,
      predecessor: predecessorOf(imported.get(row.id)),
    };
  });
}

function predecessorOf(
  p: { origin_agreement: string; old_number: string; old_copy: number; old_marking: string } | undefined,
): CarrierSummary["predecessor"] {
  return p
    ? {
        agreement: p.origin_agreement,
        oldNumber: p.old_number,
        oldCopy: Number(p.old_copy),
        oldMarking: p.old_marking,
      }
    : null;
}
