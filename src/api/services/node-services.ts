import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { type Actor as AppActor, loadActor as loadAppActor } from "../../app/actor.ts";
import { grantNeedToKnow } from "../../app/carriers/grant-need-to-know.ts";
import { registerCarrier } from "../../app/carriers/register-carrier.ts";
import { showCarrier } from "../../app/carriers/show-carrier.ts";
import type { AppContext } from "../../app/context.ts";
import { listOrganisations } from "../../app/organisations/list-organisations.ts";
import { listPeople } from "../../app/people/list-people.ts";
import { auditLogOrigin, verifyAuditLog } from "../../audit/log.ts";
import { loadAuditVerifiers } from "../../audit/signing-key.ts";
import { type Clearance, decideAccess } from "../../domain/access/access-decision.ts";
import type { CarrierStatus } from "../../domain/carrier/carrier-machine.ts";
import { findParty, markingOf, otherParty } from "../../domain/classification/levels.ts";
import { CONTRACT_CLAUSES } from "../../domain/contract/contract-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { isLanguage } from "../../domain/language.ts";
import type { TransfersTable } from "../../exchange/tables.ts";
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AuthService } from "../auth/auth-service.ts";
import type { CarrierList, CarrierSummary, CarrierView, Contract, TransferView } from "../schemas.ts";
import type { Actor, NodeServices } from "../services.ts";

type Summary = z.infer<typeof CarrierSummary>;

/** Carrier states in which nobody has access any more (A1.8, A6.4, A6.6, A4.1.5). */
const CLOSED_STATES = new Set(["destroyed", "returned", "released", "declassified"]);

export type NodeServicesOptions = {
  ctx: AppContext;
  auth: AuthService;
  /** Extra read models and steps supplied by other parts (exchange, transfer flows). */
  extensions?: Partial<NodeServices>;
};

function todayOf(ctx: AppContext): string {
  return ctx.now().toISOString().slice(0, 10);
}

/** An officer of the node's competent authority, who oversees the registry (ARCHITECTURE: roles). */
function isOverseer(actor: AppActor): boolean {
  return actor.roles.has("competent-authority-officer") && actor.organisation.kind === "competent-authority";
}

/** Ranks a person may see now: valid personal clearance AND valid facility clearance (A4.2, A1.11). */
function clearedRank(ctx: AppContext, actor: AppActor): number {
  const today = todayOf(ctx);
  const rankOf = (level: string) => ctx.pack.levels.find((l) => l.id === level)?.rank ?? 0;
  const valid = <T extends { valid_from: string; valid_to: string; level: string }>(rows: readonly T[]) =>
    rows
      .filter((r) => r.valid_from.slice(0, 10) <= today && today <= r.valid_to.slice(0, 10))
      .map((r) => rankOf(r.level));
  const personal = Math.max(0, ...valid(actor.clearances));
  const facility = Math.max(0, ...valid(actor.facilityClearances));
  return Math.min(personal, facility);
}

/** A stored clearance (calendar dates, `valid_to` inclusive) as the domain's `[validFrom, validUntil)`. */
function toClearance(
  ctx: AppContext,
  rows: readonly { level: string; valid_from: string; valid_to: string }[],
): Clearance | null {
  const today = todayOf(ctx);
  const rankOf = (level: string) => ctx.pack.levels.find((l) => l.id === level)?.rank ?? 0;
  const sorted = [...rows].sort((a, b) => {
    const va = a.valid_from.slice(0, 10) <= today && today <= a.valid_to.slice(0, 10) ? 1 : 0;
    const vb = b.valid_from.slice(0, 10) <= today && today <= b.valid_to.slice(0, 10) ? 1 : 0;
    return vb - va || rankOf(b.level) - rankOf(a.level) || b.valid_to.localeCompare(a.valid_to);
  });
  const best = sorted[0];
  if (!best) return null;
  const until = new Date(`${best.valid_to.slice(0, 10)}T00:00:00.000Z`);
  until.setUTCDate(until.getUTCDate() + 1);
  return {
    level: rankOf(best.level),
    validFrom: `${best.valid_from.slice(0, 10)}T00:00:00.000Z`,
    validUntil: until.toISOString(),
  };
}

/** Content shown in the browser's viewer: text up to 1 MiB; anything else is offered as not viewable. */
const MAX_SHOWN_CONTENT = 1_048_576;

function decodeText(bytes: Buffer): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

const PeerDirectory = z.object({
  party: z.string(),
  organisations: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string() })),
});

/** The other Party's organisations as its exported directory names them (`<dataDir>/exchange/peer.json`). */
function readPeerDirectory(dataDir: string): z.infer<typeof PeerDirectory> | null {
  const path = join(dataDir, "exchange", "peer.json");
  if (!existsSync(path)) return null;
  const parsed = PeerDirectory.safeParse(JSON.parse(readFileSync(path, "utf8")));
  return parsed.success ? parsed.data : null;
}

/** Transfer states on this node's `transfers` rows, and who acts next (the use case re-checks everything). */
const TRANSFER_ACTIONS_BY_STATE: Record<string, { role: string; orgKind?: string; actions: string[] }> = {
  "out:requested": {
    role: "competent-authority-officer",
    orgKind: "competent-authority",
    actions: ["consent", "refuse"],
  },
  "out:confirmed": { role: "registry-officer", actions: ["dispatch"] },
  // A physical carrier on its way: the receiving body's registry officer takes it in on arrival.
  "in:dispatched": { role: "registry-officer", actions: ["receive"] },
  "in:clearance-asked": {
    role: "competent-authority-officer",
    orgKind: "competent-authority",
    actions: ["confirm", "refuse-confirmation"],
  },
};

const OPEN_TRANSFER_STATES = [
  "requested",
  "consented",
  "confirmed",
  "dispatched",
  "clearance-asked",
  "clearance-confirmed",
];

/**
 * What a transfer's records say beyond its columns. The dispatch record is, on the sending node,
 * the delivery itself and, on the receiving node, the whole carrier-transfer message (carrier
 * description and delivery). The carrier's number in the other Party's registry is, on the
 * receiving node, the originator's (dispatch record) and, on the sending node, the receiver's
 * (receipt notice).
 */
function transferRecordOf(row: TransfersTable): {
  title: string | null;
  physical: { channel: string; sealNumbers: string[]; waybill: string } | null;
  otherRegistration: string | null;
} {
  type Delivery = { mode?: string; channel?: string; sealNumbers?: string[]; waybill?: string };
  const dispatch = row.dispatch
    ? (JSON.parse(row.dispatch) as Delivery & {
        delivery?: Delivery;
        carrier?: { title: string; ref?: { originRegistrationNumber: string; originCopyNumber: number } };
      })
    : null;
  const delivery = dispatch?.delivery ?? dispatch;
  const receipt = row.receipt
    ? (JSON.parse(row.receipt) as { registrationNumber?: string; copyNumber?: number })
    : null;
  const origin = dispatch?.carrier?.ref;
  return {
    title: dispatch?.carrier?.title ?? null,
    physical:
      delivery?.mode === "physical"
        ? {
            channel: delivery.channel ?? "",
            sealNumbers: delivery.sealNumbers ?? [],
            waybill: delivery.waybill ?? "",
          }
        : null,
    otherRegistration:
      row.direction === "in" && origin
        ? `${origin.originRegistrationNumber}/${origin.originCopyNumber}`
        : row.direction === "out" && receipt?.registrationNumber
          ? `${receipt.registrationNumber}/${receipt.copyNumber ?? 1}`
          : null,
  };
}

/** When the receiving body's facility clearance was confirmed (A5.3), if it was. */
function confirmedAt(row: TransfersTable): string | null {
  if (!row.confirmation || row.refusal) return null;
  const at = (JSON.parse(row.confirmation) as { confirmedAt?: unknown }).confirmedAt;
  return typeof at === "string" ? at : null;
}

export function createNodeServices(options: NodeServicesOptions): NodeServices {
  const { ctx, auth } = options;
  const db = ctx.db;
  const levelRank = (id: string) => ctx.pack.levels.find((l) => l.id === id)?.rank ?? 99;

  async function appActor(personId: string): Promise<AppActor> {
    return loadAppActor(db as unknown as Trx, personId);
  }

  /**
   * Carriers the actor may see (A4.2), as an index walk the domain decision then confirms: in the
   * custody of the actor's organisation and at or below the lower of the valid personal and
   * facility clearances; for a cleared user also need-to-know and a carrier not closed or in
   * transit. A registry officer keeps the registry of the body's custody (A6.2): they see the
   * records (not the content) of every carrier of that custody up to their clearance; an officer of
   * the competent authority oversees the whole registry the same way.
   */
  function accessibleCarriers(actor: AppActor) {
    const rank = clearedRank(ctx, actor);
    const levels = ctx.pack.levels.filter((l) => l.rank <= rank).map((l) => l.id);
    const all = db
      .selectFrom("carriers")
      .selectAll("carriers")
      .where("carriers.level", "in", levels.length > 0 ? levels : ["-none-"]);
    // The competent authority oversees the registry of its Party's bodies (records, not content).
    if (isOverseer(actor)) return all;
    const q = all.where("carriers.custodian_organisation_id", "=", actor.organisation.id);
    if (actor.roles.has("registry-officer")) return q;
    return q
      .where("carriers.destroyed_at", "is", null)
      .where("carriers.state", "not in", [...CLOSED_STATES, "dispatched"])
      .where((eb) =>
        eb.or([
          eb.exists(
            eb
              .selectFrom("contract_participants")
              .select("contract_participants.person_id")
              .whereRef("contract_participants.contract_id", "=", "carriers.contract_id")
              .where("contract_participants.person_id", "=", actor.personId),
          ),
          eb.exists(
            eb
              .selectFrom("carrier_need_to_know")
              .select("carrier_need_to_know.person_id")
              .whereRef("carrier_need_to_know.carrier_id", "=", "carriers.id")
              .where("carrier_need_to_know.person_id", "=", actor.personId),
          ),
        ]),
      );
  }

  /** The domain's access decision on each row the SQL pre-filter let through (fail closed). */
  async function allowedRows(
    app: AppActor,
    rows: CarriersTable[],
    mode: "record" | "content" = "record",
  ): Promise<CarriersTable[]> {
    if (rows.length === 0) return rows;
    const ids = rows.map((r) => r.id);
    const contractIds = [...new Set(rows.map((r) => r.contract_id).filter((c): c is string => c !== null))];
    const [granted, contracts, participants] = await Promise.all([
      db
        .selectFrom("carrier_need_to_know")
        .select(["carrier_id", "person_id"])
        .where("carrier_id", "in", ids)
        .execute(),
      contractIds.length
        ? db.selectFrom("contracts").select(["id", "state"]).where("id", "in", contractIds).execute()
        : Promise.resolve([]),
      contractIds.length
        ? db
            .selectFrom("contract_participants")
            .select(["contract_id", "person_id"])
            .where("contract_id", "in", contractIds)
            .execute()
        : Promise.resolve([]),
    ]);
    const at = ctx.now().toISOString();
    const personal = toClearance(ctx, app.clearances);
    const facility = toClearance(ctx, app.facilityClearances);
    return rows.filter((row) => {
      const contractActive = contracts.some((c) => c.id === row.contract_id && c.state === "active");
      const decision = decideAccess({
        at,
        person: { id: app.personId, bodyId: app.organisation.id, clearance: personal },
        body: { id: app.organisation.id, facilityClearance: facility },
        carrier: {
          id: row.id,
          level: levelRank(row.level),
          status: row.state as CarrierStatus,
          custodian: row.custodian_organisation_id,
          grantedPersons: granted.filter((g) => g.carrier_id === row.id).map((g) => g.person_id),
        },
        contractParticipants: contractActive
          ? participants.filter((p) => p.contract_id === row.contract_id).map((p) => p.person_id)
          : [],
      });
      if (decision.allowed) return true;
      // The registry officer's view of the custody's records (never the content).
      return (
        mode === "record" &&
        ((app.roles.has("registry-officer") && row.custodian_organisation_id === app.organisation.id) ||
          isOverseer(app)) &&
        levelRank(row.level) <= clearedRank(ctx, app)
      );
    });
  }

  async function mayReadContent(app: AppActor, row: CarriersTable): Promise<boolean> {
    return (await allowedRows(app, [row], "content")).length === 1;
  }

  async function organisationNames(): Promise<Map<string, string>> {
    const rows = await db.selectFrom("organisations").select(["id", "name"]).execute();
    const names = new Map(rows.map((r) => [r.id, r.name]));
    for (const o of readPeerDirectory(ctx.dataDir)?.organisations ?? [])
      if (!names.has(o.id)) names.set(o.id, o.name);
    return names;
  }

  /** A transfer as the UI shows it, with the step actions this user may take now. */
  async function transferViews(
    actor: Actor,
    rows: TransfersTable[],
  ): Promise<z.infer<typeof TransferView>[]> {
    if (rows.length === 0) return [];
    const names = await organisationNames();
    const carrierIds = rows.map((r) => r.carrier_id).filter((c): c is string => c !== null);
    const carriers = carrierIds.length
      ? await db
          .selectFrom("carriers")
          .select(["id", "registration_number", "title", "custodian_organisation_id", "has_content"])
          .where("id", "in", carrierIds)
          .execute()
      : [];
    const people = await db.selectFrom("people").select(["id", "name"]).execute();
    const personName = (id: string | null) => (id ? (people.find((p) => p.id === id)?.name ?? id) : "");
    return rows.map((r) => {
      const rule = TRANSFER_ACTIONS_BY_STATE[`${r.direction}:${r.state}`];
      const mayAct =
        rule !== undefined &&
        actor.roles.includes(rule.role) &&
        (rule.orgKind === undefined || actor.organisationKind === rule.orgKind) &&
        (rule.role !== "registry-officer" ||
          (r.direction === "in" ? r.receiving_org : r.sending_org) === actor.organisationId);
      const carrier = carriers.find((c) => c.id === r.carrier_id);
      const record = transferRecordOf(r);
      const steps = [
        {
          state: "requested",
          at: r.requested_at,
          // On the receiving node the request is the other Party's message: name its sending body.
          by: r.requested_by?.startsWith("message:")
            ? (names.get(r.sending_org) ?? r.sending_party)
            : personName(r.requested_by),
        },
        ...(r.consented_at
          ? [{ state: "consented", at: r.consented_at, by: personName(r.consented_by) }]
          : []),
        ...(confirmedAt(r)
          ? [
              {
                state: r.direction === "in" ? "clearance-confirmed" : "confirmed",
                at: confirmedAt(r)!,
                by: "",
              },
            ]
          : []),
        ...(r.dispatched_at ? [{ state: "dispatched", at: r.dispatched_at, by: "" }] : []),
        ...(r.closed_at ? [{ state: r.state, at: r.closed_at, by: "" }] : []),
      ];
      return {
        id: r.id,
        direction: r.direction === "in" ? ("in" as const) : ("out" as const),
        carrierId: carrier ? r.carrier_id : null,
        carrierTitle: carrier?.title ?? record.title ?? "",
        registrationNumber: carrier?.registration_number ?? "",
        levelId: r.level,
        sendingBody: names.get(r.sending_org) ?? `${r.sending_party}`,
        receivingBody: names.get(r.receiving_org) ?? `${r.receiving_party}`,
        contractNumber: r.contract_number,
        state: r.state,
        updatedAt: r.updated_at,
        receiptDueAt: r.receipt_due_at,
        overdue:
          r.state === "dispatched" && r.receipt_due_at !== null && r.receipt_due_at < ctx.now().toISOString(),
        otherRegistration: record.otherRegistration,
        electronic: carrier?.has_content === 1,
        dispatchRecord: record.physical,
        actions: mayAct ? rule.actions : [],
        steps,
      };
    });
  }

  /** Transfers this user takes part in: the competent authority sees all of its Party's; a body its own. */
  async function visibleTransfers(actor: Actor, onlyOpen = false): Promise<TransfersTable[]> {
    let q = db.selectFrom("transfers").selectAll();
    if (actor.organisationKind !== "competent-authority") {
      q = q.where((eb) =>
        eb.or([eb("sending_org", "=", actor.organisationId), eb("receiving_org", "=", actor.organisationId)]),
      );
    }
    if (onlyOpen) q = q.where("state", "in", OPEN_TRANSFER_STATES);
    return q.orderBy("updated_at", "desc").limit(200).execute();
  }

  function summarise(row: CarriersTable, names: Map<string, string>): Summary {
    return {
      id: row.id,
      registrationNumber: row.registration_number,
      copyNumber: row.copy_number ?? null,
      title: row.title,
      kind: row.kind,
      levelId: row.level,
      levelRank: levelRank(row.level),
      originatorParty: row.originator_party as "KZ" | "AM",
      // A received carrier names its originator by the peer's organisation id: show its name.
      originatorName: names.get(row.originator_name) ?? row.originator_name,
      custodianName: row.custodian_organisation_id ? (names.get(row.custodian_organisation_id) ?? "") : "—",
      status: row.state,
      registeredAt: row.registered_at,
    };
  }

  async function findAccessible(actor: Actor, id: string): Promise<{ row: CarriersTable; app: AppActor }> {
    const app = await appActor(actor.personId);
    const candidate = await accessibleCarriers(app).where("carriers.id", "=", id).executeTakeFirst();
    const [row] = await allowedRows(app, candidate ? [candidate] : []);
    // No access and no such carrier give one answer (A4.2).
    if (!row) throw new DomainError("CARRIER_NOT_FOUND", {});
    return { row, app };
  }

  const base: NodeServices = {
    async loadActor(personId) {
      const account = await auth.findAccountByPerson(personId);
      if (!account || account.disabled) return undefined;
      let app: AppActor;
      try {
        app = await appActor(personId);
      } catch {
        return undefined;
      }
      const rank = clearedRank(ctx, app);
      const level = ctx.pack.levels.filter((l) => l.rank <= rank).at(-1);
      return {
        personId: app.personId,
        username: account.username,
        name: app.name,
        organisationId: app.organisation.id,
        organisationName: app.organisation.name,
        organisationKind: app.organisation.kind,
        party: app.organisation.party,
        roles: [...app.roles],
        clearanceLevel: level?.id ?? null,
        language: isLanguage(account.language) ? account.language : null,
      };
    },

    async dashboard(actor) {
      if (!actor.roles.some((r) => r === "competent-authority-officer" || r === "registry-officer")) {
        return { consentsToDecide: [], receiptsOverdue: [], deadlines: [], transfers: [] };
      }
      const views = await transferViews(actor, await visibleTransfers(actor, true));
      const rows = await visibleTransfers(actor, true);
      const now = ctx.now().toISOString();
      const label = (v: (typeof views)[number]) =>
        `${v.registrationNumber || v.carrierTitle || v.contractNumber} — ${v.sendingBody} → ${v.receivingBody}`;
      const due = (id: string) => rows.find((r) => r.id === id)?.receipt_due_at ?? null;
      return {
        consentsToDecide: [
          ...views
            .filter((v) => v.actions.some((a) => a === "consent" || a === "confirm" || a === "receive"))
            .map((v) => ({ id: v.id, label: label(v), dueAt: null })),
          // A6.7: requests for our written consent as the originator.
          ...(await base.listConsents(actor))
            .filter((c) => c.actions.includes("grant"))
            .map((c) => ({
              id: c.id,
              label: `${c.action}: ${c.carrierLabel} — ${c.holder}`,
              dueAt: null,
              link: "#/consents",
            })),
        ],
        receiptsOverdue: views
          .filter((v) => v.state === "dispatched" && (due(v.id) ?? "9") < now)
          .map((v) => ({ id: v.id, label: label(v), dueAt: due(v.id) })),
        deadlines: views
          .filter((v) => v.state === "dispatched" && (due(v.id) ?? "") >= now)
          .map((v) => ({ id: v.id, label: label(v), dueAt: due(v.id) })),
        transfers: views.map((v) => ({ id: v.id, label: label(v), state: v.state })),
      };
    },

    async listCarriers(actor, query): Promise<z.infer<typeof CarrierList>> {
      const app = await appActor(actor.personId);
      const limit = query.limit ?? 50;
      let q = accessibleCarriers(app);
      if (query.level) q = q.where("carriers.level", "=", query.level);
      if (query.status) q = q.where("carriers.state", "=", query.status);
      if (query.after) {
        const after = Number(query.after);
        if (!Number.isSafeInteger(after))
          throw new DomainError("INPUT_INVALID", { field: "after", problem: "not a cursor" });
        q = q.where("carriers.seq", "<", after);
      }
      const text = query.q?.trim().toLocaleLowerCase() ?? "";
      if (text) {
        const words = text
          .split(/[\s,.;:!?()«»"“”]+/u)
          .filter((w) => w.length > 0)
          .slice(0, 8);
        q = q.where((eb) =>
          eb.or([
            eb("carriers.registration_number", "=", query.q?.trim() ?? ""),
            eb.and(
              words.map((w) =>
                eb(
                  "carriers.seq",
                  "in",
                  eb
                    .selectFrom("carrier_title_words")
                    .select("carrier_title_words.carrier_seq")
                    .where("carrier_title_words.word", ">=", w)
                    .where("carrier_title_words.word", "<", `${w}\uffff`),
                ),
              ),
            ),
          ]),
        );
      }
      const rows = await q
        .orderBy("carriers.seq", "desc")
        .limit(limit + 1)
        .execute();
      const names = await organisationNames();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => summarise(r, names)),
        nextCursor: rows.length > limit ? String(page.at(-1)?.seq) : null,
      };
    },

    async getCarrier(actor, id): Promise<z.infer<typeof CarrierView>> {
      const { row, app } = await findAccessible(actor, id);
      const readable = await mayReadContent(app, row);
      // A person with access is shown the carrier through the node's use case, so the decision is audited.
      if (readable) await showCarrier(ctx, { actor: app.personId, carrier: row.id });
      const names = await organisationNames();
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
      const sources = await db
        .selectFrom("carrier_sources")
        .innerJoin("carriers as c", "c.id", "carrier_sources.source_carrier_id")
        .select(["c.id", "c.registration_number", "c.title", "carrier_sources.relation"])
        .where("carrier_sources.carrier_id", "=", row.id)
        .execute();
      const derived = await db
        .selectFrom("carrier_sources")
        .innerJoin("carriers as c", "c.id", "carrier_sources.carrier_id")
        .select(["c.id", "c.registration_number", "c.title", "carrier_sources.relation"])
        .where("carrier_sources.source_carrier_id", "=", row.id)
        .execute();
      const relations = [
        ...sources.map((r) => ({ ...r, isSource: true })),
        ...derived.map((r) => ({ ...r, isSource: false })),
      ];
      const visibleIds = new Set(
        relations.length === 0
          ? []
          : (
              await allowedRows(
                app,
                await accessibleCarriers(app)
                  .where(
                    "carriers.id",
                    "in",
                    relations.map((r) => r.id),
                  )
                  .execute(),
              )
            ).map((r) => r.id),
      );
      // A related carrier the user may not access is left out entirely: no trace of it (A4.2).
      const lineage = relations
        .filter((r) => visibleIds.has(r.id))
        .map((r) => ({
          id: visibleIds.has(r.id) ? r.id : "",
          relation: r.isSource ? `source:${r.relation}` : r.relation,
          registrationNumber: visibleIds.has(r.id) ? r.registration_number : "—",
          title: visibleIds.has(r.id) ? r.title : "",
          visible: visibleIds.has(r.id),
        }));
      const history = await db
        .selectFrom("audit_entries")
        .leftJoin("people", "people.id", "audit_entries.actor")
        .select([
          "audit_entries.recorded_at",
          "audit_entries.event_type",
          "audit_entries.outcome",
          "audit_entries.articles",
          "audit_entries.actor",
          "people.name",
        ])
        .where("audit_entries.object", "in", [
          `carrier:${row.id}`,
          // The carrier's transfers and Article 6 consents belong to its history too.
          ...(await db.selectFrom("transfers").select("id").where("carrier_id", "=", row.id).execute()).map(
            (t) => `transfer:${t.id}`,
          ),
          ...(
            await db.selectFrom("consent_requests").select("id").where("carrier_id", "=", row.id).execute()
          ).map((c) => `consent:${c.id}`),
        ])
        .orderBy("audit_entries.idx", "desc")
        .limit(100)
        .execute();
      // A4.2: the custodian body's registry officer may grant need-to-know to its people while the
      // carrier is held (the use case decides again on the grant itself).
      const mayGrant =
        actor.roles.includes("registry-officer") &&
        row.custodian_organisation_id === actor.organisationId &&
        (row.state === "registered" || row.state === "received");
      const grantCandidates = mayGrant
        ? await db
            .selectFrom("people")
            .select(["id", "name"])
            .where("organisation_id", "=", row.custodian_organisation_id)
            .where("disabled_at", "is", null)
            .where(
              "id",
              "not in",
              db.selectFrom("carrier_need_to_know").select("person_id").where("carrier_id", "=", row.id),
            )
            .orderBy("name")
            .execute()
        : [];
      return {
        carrier: {
          ...summarise(row, names),
          sheets: row.sheets ?? null,
          sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
          hasContent: row.has_content === 1,
          contractId: row.contract_id,
        },
        markings,
        lineage,
        history: history.map((h) => ({
          at: h.recorded_at,
          event: h.event_type,
          actor: h.name ?? (h.actor.startsWith("node:") ? "system" : h.actor),
          outcome: h.outcome,
          articles: JSON.parse(h.articles) as string[],
        })),
        actions: {
          readContent: readable,
          // A6.7: the holder's registry officer asks the originator before any Article 6 action.
          requestConsent:
            actor.roles.includes("registry-officer") &&
            row.custodian_organisation_id === actor.organisationId &&
            row.originator_party !== ctx.config.party &&
            !CLOSED_STATES.has(row.state)
              ? ["copy", "translate", "destroy", "third-party-release"]
              : [],
          changeLevel:
            actor.roles.includes("registry-officer") &&
            row.originator_party === ctx.config.party &&
            row.originator_organisation_id === actor.organisationId &&
            !CLOSED_STATES.has(row.state),
          requestTransfer:
            actor.roles.includes("registry-officer") &&
            row.originator_party === ctx.config.party &&
            row.state === "registered" &&
            row.contract_id !== null,
          grantNeedToKnow: grantCandidates,
        },
      };
    },

    async grantNeedToKnow(actor, id, input) {
      // A carrier the user may not see is answered as not found before the use case runs (A4.2).
      const { row, app } = await findAccessible(actor, id);
      const result = await grantNeedToKnow(ctx, {
        actor: app.personId,
        carrier: row.id,
        persons: input.persons,
      });
      return { granted: result.granted };
    },

    async readCarrierContent(actor, id) {
      const { row, app } = await findAccessible(actor, id);
      if (!(await mayReadContent(app, row))) throw new DomainError("CARRIER_NOT_FOUND", {});
      // Read through the node's use case: the access decision again, audited, content decrypted.
      const shown = await showCarrier(ctx, { actor: app.personId, carrier: row.id, content: true });
      if (!shown.content) throw new DomainError("CONTENT_NOT_FOUND", {});
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of shown.content.stream) {
        size += (chunk as Buffer).byteLength;
        if (size > MAX_SHOWN_CONTENT) break;
        chunks.push(chunk as Buffer);
      }
      const bytes = Buffer.concat(chunks);
      const text = size <= MAX_SHOWN_CONTENT ? decodeText(bytes) : null;
      return text !== null
        ? { mediaType: "text/plain; charset=utf-8", text, base64: null }
        : { mediaType: "application/octet-stream", text: null, base64: null };
    },

    async registerCarrier(actor, input) {
      const row = await registerCarrier(ctx, {
        actor: actor.personId,
        kind: input.kind,
        title: input.title,
        level: input.level,
        ...(input.contractId ? { contract: input.contractId } : {}),
        ...(input.sheets !== undefined ? { sheets: input.sheets } : {}),
        ...(input.sizeBytes !== undefined ? { sizeBytes: input.sizeBytes } : {}),
        ...(input.contentText ? { content: new TextEncoder().encode(input.contentText) } : {}),
      });
      return { id: row.id };
    },

    async listOrganisations() {
      const peer = readPeerDirectory(ctx.dataDir);
      const peerOrgs = (peer?.organisations ?? []).map((o) => ({
        id: o.id,
        name: o.name,
        party: peer?.party as "KZ" | "AM",
        kind: o.kind === "competent-authority" ? "competent_authority" : "authorized_body",
        facilityClearance: null,
      }));
      const rows = await listOrganisations(ctx);
      const today = todayOf(ctx);
      const own = rows.map((o) => {
        const current = o.facilityClearances
          .filter((c) => c.valid_from.slice(0, 10) <= today && today <= c.valid_to.slice(0, 10))
          .sort((a, b) => levelRank(b.level) - levelRank(a.level))[0];
        return {
          id: o.id,
          name: o.name,
          party: o.party as "KZ" | "AM",
          kind: o.kind === "competent-authority" ? "competent_authority" : "authorized_body",
          facilityClearance: current
            ? { levelId: current.level, validFrom: current.valid_from, validUntil: current.valid_to }
            : null,
        };
      });
      return [...own, ...peerOrgs.filter((p) => !own.some((o) => o.id === p.id))];
    },

    async listPeople() {
      const rows = await listPeople(ctx);
      const today = todayOf(ctx);
      return rows.map((p) => {
        const current = p.clearances
          .filter((c) => c.valid_from.slice(0, 10) <= today && today <= c.valid_to.slice(0, 10))
          .sort((a, b) => levelRank(b.level) - levelRank(a.level))[0];
        return {
          id: p.id,
          name: p.name,
          organisationId: p.organisation_id,
          organisationName: p.organisation,
          roles: p.roles,
          clearance: current
            ? { levelId: current.level, validFrom: current.valid_from, validUntil: current.valid_to }
            : null,
          disabled: p.disabled_at !== null,
        };
      });
    },

    async listContracts(actor): Promise<z.infer<typeof Contract>[]> {
      // A competent authority oversees every contract of its Party's bodies; a body sees its own.
      let query = db.selectFrom("contracts").selectAll();
      if (actor.organisationKind !== "competent-authority")
        query = query.where("organisation_id", "=", actor.organisationId);
      const contracts = await query.orderBy("created_at", "desc").execute();
      if (contracts.length === 0) return [];
      const ids = contracts.map((c) => c.id);
      const [clauses, information, participants, names] = await Promise.all([
        db.selectFrom("contract_clauses").selectAll().where("contract_id", "in", ids).execute(),
        db
          .selectFrom("contract_information")
          .selectAll()
          .where("contract_id", "in", ids)
          .orderBy("position")
          .execute(),
        db
          .selectFrom("contract_participants")
          .innerJoin("people", "people.id", "contract_participants.person_id")
          .select(["contract_participants.contract_id", "people.name"])
          .where("contract_participants.contract_id", "in", ids)
          .execute(),
        organisationNames(),
      ]);
      return contracts.map((c) => ({
        id: c.id,
        number: c.number,
        title: c.title,
        status: c.state,
        parties: [
          names.get(c.organisation_id) ?? c.organisation_id,
          `${c.counterpart_name} (${c.counterpart_party})`,
        ],
        counterpartName: c.counterpart_name,
        counterpartParty: c.counterpart_party,
        clauses: CONTRACT_CLAUSES.map((key) => ({
          key,
          text: clauses.find((k) => k.contract_id === c.id && k.clause === key)?.text ?? null,
        })),
        information: information
          .filter((i) => i.contract_id === c.id)
          .map((i) => ({ description: i.description, levelId: i.level })),
        participants: participants.filter((p) => p.contract_id === c.id).map((p) => p.name),
      }));
    },

    async listMessages(actor) {
      // Messages between the Parties (signed, encrypted parcels): kinds, parties, state — never content.
      const own = actor.organisationKind === "competent-authority" ? null : actor.organisationId;
      let outQ = db
        .selectFrom("exchange_outbox")
        .select(["id", "kind", "sender_org", "recipient_org", "state", "created_at", "delivered_via"]);
      let inQ = db
        .selectFrom("exchange_inbox")
        .select(["id", "kind", "sender_org", "recipient_org", "outcome", "received_at", "received_via"]);
      if (own) {
        outQ = outQ.where("sender_org", "=", own);
        inQ = inQ.where("recipient_org", "=", own);
      }
      const [outgoing, incoming, names] = await Promise.all([
        outQ.orderBy("created_at", "desc").limit(200).execute(),
        inQ.orderBy("received_at", "desc").limit(200).execute(),
        organisationNames(),
      ]);
      return [
        ...outgoing.map((m) => ({
          id: m.id,
          direction: "out" as const,
          kind: m.kind,
          from: names.get(m.sender_org) ?? m.sender_org,
          to: names.get(m.recipient_org) ?? m.recipient_org,
          at: m.created_at,
          state: m.state,
          channel: m.delivered_via,
        })),
        ...incoming.map((m) => ({
          id: m.id,
          direction: "in" as const,
          kind: m.kind,
          from: names.get(m.sender_org) ?? m.sender_org,
          to: names.get(m.recipient_org) ?? m.recipient_org,
          at: m.received_at,
          state: m.outcome,
          channel: m.received_via,
        })),
      ].sort((a, b) => b.at.localeCompare(a.at));
    },

    async listAudit(_actor, after) {
      const limit = 100;
      let q = db
        .selectFrom("audit_entries")
        .leftJoin("people", "people.id", "audit_entries.actor")
        .leftJoin("organisations", "organisations.id", "audit_entries.organisation")
        .select([
          "audit_entries.idx",
          "audit_entries.recorded_at",
          "audit_entries.actor",
          "people.name as actor_name",
          "organisations.name as organisation_name",
          "audit_entries.organisation",
          "audit_entries.event_type",
          "audit_entries.object",
          "audit_entries.outcome",
          "audit_entries.articles",
        ]);
      if (after !== undefined) {
        const n = Number(after);
        if (!Number.isSafeInteger(n))
          throw new DomainError("INPUT_INVALID", { field: "after", problem: "not a cursor" });
        q = q.where("audit_entries.idx", "<", n);
      }
      const rows = await q
        .orderBy("audit_entries.idx", "desc")
        .limit(limit + 1)
        .execute();
      const page = rows.slice(0, limit);
      return {
        items: page.map((r) => ({
          index: Number(r.idx),
          at: r.recorded_at,
          actor: r.actor_name ?? r.actor,
          organisation: r.organisation_name ?? r.organisation ?? "",
          event: r.event_type,
          object: r.object ?? "",
          outcome: r.outcome,
          articles: JSON.parse(r.articles) as string[],
        })),
        nextCursor: rows.length > limit ? String(page.at(-1)?.idx) : null,
      };
    },

    async verifyAudit() {
      const nodeRef = { party: ctx.config.party, nodeId: ctx.config.nodeId };
      // The verifier reads one snapshot on a connection of its own: entries appended while it runs
      // (the inbox, other users) are not mistaken for damage, and they are not held up either.
      const result = await verifyAuditLog(db, {
        verifiers: loadAuditVerifiers(ctx.dataDir, nodeRef),
        origin: auditLogOrigin(nodeRef),
      });
      return result.ok
        ? { ok: true, size: result.size, root: result.root.toString("hex"), firstBadIndex: null }
        : { ok: false, size: result.size, root: null, firstBadIndex: result.firstBadIndex };
    },

    async listTransfers(actor) {
      return transferViews(actor, await visibleTransfers(actor));
    },

    async listConsents(actor) {
      let q = db.selectFrom("consent_requests").selectAll();
      // A6.7: both competent authorities see every Article 6 action; a body sees its own.
      if (actor.organisationKind !== "competent-authority") {
        q = q.where((eb) =>
          eb.or([
            eb("holder_org", "=", actor.organisationId),
            eb("originator_org", "=", actor.organisationId),
          ]),
        );
      }
      const rows = await q.orderBy("requested_at", "desc").limit(200).execute();
      const names = await organisationNames();
      const carrierIds = rows.map((r) => r.carrier_id).filter((c): c is string => c !== null);
      const carriers = carrierIds.length
        ? await db
            .selectFrom("carriers")
            .select(["id", "registration_number", "copy_number", "title"])
            .where("id", "in", carrierIds)
            .execute()
        : [];
      const isOfficer = actor.roles.includes("registry-officer");
      return rows.map((r) => {
        const carrier = carriers.find((c) => c.id === r.carrier_id);
        const details = JSON.parse(r.details) as { reason?: string };
        const actions: string[] = [];
        if (
          isOfficer &&
          r.direction === "in" &&
          r.state === "asked" &&
          r.originator_org === actor.organisationId
        )
          actions.push("grant", "refuse");
        if (
          isOfficer &&
          r.direction === "out" &&
          r.state === "granted" &&
          r.holder_org === actor.organisationId &&
          ["copy", "translate", "destroy", "third-party-release"].includes(r.action)
        )
          actions.push("perform");
        return {
          id: r.id,
          direction: r.direction === "in" ? ("in" as const) : ("out" as const),
          action: r.action,
          state: r.state,
          carrierId: carrier ? carrier.id : null,
          carrierLabel: carrier
            ? `${carrier.registration_number}/${carrier.copy_number} — ${carrier.title}`
            : `${r.origin_party} ${r.origin_registration_number}/${r.origin_copy_number}`,
          holder: names.get(r.holder_org) ?? r.holder_org,
          originator: names.get(r.originator_org) ?? r.originator_org,
          reason: details.reason ?? "",
          requestedAt: r.requested_at,
          answeredAt: r.answered_at,
          actions,
        };
      });
    },

    async requestConsent() {
      throw new DomainError("CARRIER_NOT_FOUND", {});
    },

    async changeCarrierLevel() {
      throw new DomainError("CARRIER_NOT_FOUND", {});
    },

    async actOnConsent() {
      throw new DomainError("INPUT_INVALID", {
        field: "consent",
        problem: "the consent flows are not wired",
      });
    },

    async requestTransfer() {
      throw new DomainError("TRANSITION_FORBIDDEN", { from: "none", to: "requested" });
    },

    async actOnTransfer() {
      throw new DomainError("TRANSITION_FORBIDDEN", { from: "unknown", to: "unknown" });
    },
  };
  return { ...base, ...options.extensions };
}
