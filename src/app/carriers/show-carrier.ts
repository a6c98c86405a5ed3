// The one read of a carrier (API, UI and CLI alike): its record, and its content when asked, each
// only through the node's visibility rule (A4.2, A1.11, A1.12). One audit entry per read
// (`carrier.access-decided`, allowed or refused). A person the rule does not let learn of the carrier
// gets exactly the answer for a carrier that does not exist, while the audit entry keeps why; a
// person who may see the record but not the content is told which condition refuses the content.
import type { Readable } from "node:stream";
import { findParty, markingOf, otherParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { jsonStringList, parseJsonColumn } from "../../store/columns.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import { decideVisibilities, decideVisibility1 } from "../access/visibility.ts";
import type { Actor } from "../actor.ts";
import { type BreachFlag, breachFlagsOf, NO_BREACH } from "../breaches/carrier-flags.ts";
import type { AppContext } from "../context.ts";
import { personNames } from "../directory.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";
import { carrierNotFound, loadCarrier, markingsOf } from "./carrier-repository.ts";
import { type CarrierSummary, summariseCarriers } from "./carrier-summary.ts";
import { contentVaultOf } from "./content.ts";
import { pendingGrantees } from "./grant-need-to-know.ts";

/** Statuses in which a carrier is no longer held (nothing more can be done to it here). */
const CLOSED_STATES = new Set(["destroyed", "returned", "released", "declassified", "transferred"]);

export type CarrierView = {
  readonly carrier: CarrierSummary & {
    readonly sheets: number | null;
    readonly sizeBytes: number | null;
    readonly hasContent: boolean;
    readonly contractId: string | null;
    /** A11.1: named by an open breach (flagged), and held in quarantine (no one reads it). */
    readonly breach: BreachFlag;
  };
  /** The originator's marking first, then the equivalent marking of the other Party (A2.1, A6.1). */
  readonly markings: { party: "KZ" | "AM"; language: string; text: string }[];
  /** Related carriers the actor may see; the others are left out without a trace (A4.2). */
  readonly lineage: {
    id: string;
    relation: string;
    registrationNumber: string;
    title: string;
    visible: boolean;
  }[];
  /** The carrier's history: for the registry officer who keeps it and for auditors only. */
  readonly history: { at: string; event: string; actor: string; outcome: string; articles: string[] }[];
  /** What the actor may ask of it now (the use case of each action decides again). */
  readonly actions: {
    readContent: boolean;
    requestTransfer: boolean;
    requestConsent: string[];
    changeLevel: boolean;
    grantNeedToKnow: { id: string; name: string }[];
    /** A4.2: persons of the custodian body holding a grant the registry officer may withdraw. */
    withdrawNeedToKnow: { id: string; name: string }[];
    /** The registry officer's own acts on it now (A6.1, A6.2, A6.5, A6.6); the use cases decide again. */
    manage: CarrierManageAction[];
  };
};

/** What the keeper of a carrier's registry may do to it in the web interface (and the CLI). */
export const CARRIER_MANAGE_ACTIONS = [
  "copy",
  "translate",
  "derive",
  "custody",
  "destroy",
  "return",
  "take-back",
] as const;
export type CarrierManageAction = (typeof CARRIER_MANAGE_ACTIONS)[number];

export type ShownCarrier = {
  readonly carrier: CarriersTable;
  readonly markings: readonly { readonly party: string; readonly text: string }[];
  readonly sources: readonly { readonly id: string; readonly relation: string }[];
  readonly articles: readonly string[];
  /** The decrypted content (streamed), when asked for and held. */
  readonly content: { readonly sizeBytes: number; readonly stream: Readable } | null;
  /** The record as the UI shows it. */
  readonly view: CarrierView;
};

/**
 * Reads a carrier — its record and, if asked, its content — through the visibility rule. Throws
 * CARRIER_NOT_FOUND when the actor may not learn of it, ACCESS_DENIED (every failed condition)
 * when the content is asked and refused but the record is visible.
 */
export async function showCarrier(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly content?: boolean },
): Promise<ShownCarrier> {
  return executeUseCase(ctx, { actor: input.actor, action: "carrier.access-decided" }, async (trx, actor) => {
    const carrier = await loadCarrier(trx, ctx, input.carrier, { lock: false });
    const object = { type: "carrier", id: carrier.row.id };
    const visibility = await decideVisibility1(trx, ctx, actor, carrier.row);
    const refusedContent = () =>
      new DomainError(
        "ACCESS_DENIED",
        {
          carrierId: carrier.row.id,
          failures: visibility.content.allowed ? [] : visibility.content.failures.map((f) => ({ ...f })),
        },
        { articles: visibility.content.articles },
      );
    if (!visibility.record)
      throw new ConcealedRefusal(carrierNotFound(input.carrier), refusedContent(), object);
    const wantContent = input.content === true;
    // The refusal is recorded against the carrier it is about (the request named only a reference).
    if (wantContent && !visibility.content.allowed) {
      const refused = refusedContent();
      throw new ConcealedRefusal(refused, refused, object);
    }
    const content =
      wantContent && carrier.row.has_content === 1
        ? await contentVaultOf(ctx).readContent(trx, carrier.row.id)
        : null;
    await recordDone(trx, ctx, actor, {
      type: "carrier.access-decided",
      outcome: "allowed",
      object,
      articles: wantContent ? visibility.content.articles : visibility.articles,
      data: { content: wantContent },
    });
    const view = await buildView(trx, ctx, actor, carrier.row, visibility.content.allowed);
    return {
      carrier: carrier.row,
      markings: markingsOf(carrier.row, ctx.config.party),
      sources: carrier.sources,
      articles: wantContent ? visibility.content.articles : visibility.articles,
      content,
      view,
    };
  });
}

async function buildView(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  row: CarriersTable,
  readable: boolean,
): Promise<CarrierView> {
  const [summary] = await summariseCarriers(trx, ctx, [row]);
  const origin = findParty(ctx.pack, row.originator_party);
  const other = otherParty(ctx.pack, row.originator_party);
  const markings = [
    { party: origin.code as "KZ" | "AM", language: origin.markingLanguage, text: row.marking },
    {
      party: other.code as "KZ" | "AM",
      language: other.markingLanguage,
      text: row.national_marking ?? markingOf(ctx.pack, other.code, row.level),
    },
  ];
  // Lineage: each related carrier only if the rule lets the actor learn of it.
  const [sources, derived] = await Promise.all([
    trx
      .selectFrom("carrier_sources")
      .innerJoin("carriers as c", "c.id", "carrier_sources.source_carrier_id")
      .select([
        "c.id",
        "c.registration_number",
        "c.title",
        "c.level",
        "c.state",
        "c.custodian_organisation_id",
        "c.contract_id",
        "c.originator_party",
        "carrier_sources.relation",
      ])
      .where("carrier_sources.carrier_id", "=", row.id)
      .execute(),
    trx
      .selectFrom("carrier_sources")
      .innerJoin("carriers as c", "c.id", "carrier_sources.carrier_id")
      .select([
        "c.id",
        "c.registration_number",
        "c.title",
        "c.level",
        "c.state",
        "c.custodian_organisation_id",
        "c.contract_id",
        "c.originator_party",
        "carrier_sources.relation",
      ])
      .where("carrier_sources.source_carrier_id", "=", row.id)
      .execute(),
  ]);
  const related = [
    ...sources.map((r) => ({ ...r, isSource: true })),
    ...derived.map((r) => ({ ...r, isSource: false })),
  ];
  const decided = await decideVisibilities(trx, ctx, actor, related);
  const lineage = related
    .filter((r) => decided.get(r.id)?.record === true)
    .map((r) => ({
      id: r.id,
      relation: r.isSource ? `source:${r.relation}` : r.relation,
      registrationNumber: r.registration_number,
      title: r.title,
      visible: true,
    }));
  // History (who did what, who opened it): for the keeper of its registry and for auditors (A4.2).
  const keeper =
    actor.roles.has("registry-officer") && row.custodian_organisation_id === actor.organisation.id;
  const history = keeper || actor.roles.has("auditor") ? await historyOf(trx, row.id) : [];
  const held = !CLOSED_STATES.has(row.state) && row.state !== "dispatched";
  const own = row.originator_party === ctx.config.party;
  const grantNeedToKnow =
    keeper && (row.state === "registered" || row.state === "received")
      ? await trx
          .selectFrom("people")
          .select(["id", "name"])
          .where("organisation_id", "=", row.custodian_organisation_id)
          .where("disabled_at", "is", null)
          .where("id", "!=", actor.personId)
          .where(
            "id",
            "not in",
            trx.selectFrom("carrier_need_to_know").select("person_id").where("carrier_id", "=", row.id),
          )
          .orderBy("name")
          .execute()
      : [];
  // A4.2: a grant in effect or one still waiting for a second officer may be withdrawn.
  const pending = keeper ? await pendingGrantees(trx, row.id) : [];
  const withdrawNeedToKnow =
    keeper && (row.state === "registered" || row.state === "received")
      ? await trx
          .selectFrom("people")
          .select(["id", "name"])
          .where((eb) =>
            eb.or([
              eb(
                "id",
                "in",
                trx.selectFrom("carrier_need_to_know").select("person_id").where("carrier_id", "=", row.id),
              ),
              ...(pending.length > 0 ? [eb("id", "in", pending)] : []),
            ]),
          )
          .orderBy("name")
          .execute()
      : [];
  const manage: CarrierManageAction[] = [];
  if (keeper && held) {
    // An own carrier is copied, translated and destroyed at will (A6.5, A6.6 bind the other Party's
    // information only, which goes through the originator's consent first); any held one is derived
    // from (A6.1) and handed to another body of this Party (A6.2); the other Party's is returned (A6.6).
    if (own) manage.push("copy", "translate");
    manage.push("derive", "custody");
    if (own) manage.push("destroy");
    else manage.push("return");
  }
  if (keeper && own && row.originator_organisation_id === actor.organisation.id) {
    // A6.6: the holder returned it with our written permission: our registry officer takes it back in.
    const permission = await trx
      .selectFrom("consent_requests")
      .select("id")
      .where("direction", "=", "in")
      .where("carrier_id", "=", row.id)
      .where("action", "=", "return")
      .where("state", "=", "granted")
      .where("used_at", "is", null)
      .executeTakeFirst();
    if (permission && (row.state === "transferred" || row.state === "registered")) manage.push("take-back");
  }
  return {
    carrier: {
      ...summary!,
      sheets: row.sheets ?? null,
      sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
      hasContent: row.has_content === 1,
      contractId: row.contract_id,
      breach: (await breachFlagsOf(trx, [row.id])).get(row.id) ?? NO_BREACH,
    },
    markings,
    lineage,
    history,
    actions: {
      readContent: readable && row.has_content === 1,
      // A6.7: the holder's registry officer asks the originator before any Article 6 action.
      requestConsent: keeper && !own && held ? ["copy", "translate", "destroy", "third-party-release"] : [],
      changeLevel:
        keeper &&
        own &&
        row.originator_organisation_id === actor.organisation.id &&
        (held || row.state === "transferred"),
      requestTransfer: keeper && own && row.state === "registered" && row.contract_id !== null,
      grantNeedToKnow,
      withdrawNeedToKnow,
      manage,
    },
  };
}

/** The audit entries of a carrier and of its transfers and Article 6 consents, newest first. */
async function historyOf(trx: Trx, carrierId: string): Promise<CarrierView["history"]> {
  const [transfers, consents] = await Promise.all([
    trx.selectFrom("transfers").select("id").where("carrier_id", "=", carrierId).execute(),
    trx.selectFrom("consent_requests").select("id").where("carrier_id", "=", carrierId).execute(),
  ]);
  const rows = await trx
    .selectFrom("audit_entries")
    .select(["recorded_at", "event_type", "outcome", "articles", "actor"])
    .where("object", "in", [
      `carrier:${carrierId}`,
      ...transfers.map((t) => `transfer:${t.id}`),
      ...consents.map((c) => `consent:${c.id}`),
    ])
    .orderBy("idx", "desc")
    .limit(100)
    .execute();
  const names = await personNames(
    trx,
    rows.map((r) => r.actor),
  );
  return rows.map((h) => ({
    at: h.recorded_at,
    event: h.event_type,
    actor: names.get(h.actor) ?? (h.actor.startsWith("node:") ? "system" : h.actor),
    outcome: h.outcome,
    articles: parseJsonColumn(jsonStringList, h.articles, "audit_entries.articles"),
  }));
}

/** A carrier's record as the registry holds it (for the doors, which do not import the store). */
export type CarrierRecord = CarriersTable;
