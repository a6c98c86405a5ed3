import type { z } from "zod";
import { type Actor as AppActor, loadActor as loadAppActor } from "../../app/actor.ts";
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
import type { CarriersTable } from "../../store/core-tables.ts";
import type { Trx } from "../../store/transaction.ts";
import type { AuthService } from "../auth/auth-service.ts";
import type { CarrierList, CarrierSummary, CarrierView, Contract } from "../schemas.ts";
import type { Actor, NodeServices } from "../services.ts";

type Summary = z.infer<typeof CarrierSummary>;

/** Carrier states in which nobody has access any more (A1.8, A6.4, A6.6, A4.1.5). */
const CLOSED_STATES = new Set(["destroyed", "returned", "released", "declassified"]);

export type NodeServicesOptions = {
  ctx: AppContext;
  auth: AuthService;
  /** Extra read models and steps supplied by other parts (exchange, transfer, audit verification). */
  extensions?: Partial<NodeServices>;
};

function todayOf(ctx: AppContext): string {
  return ctx.now().toISOString().slice(0, 10);
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

export function createNodeServices(options: NodeServicesOptions): NodeServices {
  const { ctx, auth } = options;
  const db = ctx.db;
  const levelRank = (id: string) => ctx.pack.levels.find((l) => l.id === id)?.rank ?? 99;

  async function appActor(personId: string): Promise<AppActor> {
    return loadAppActor(db as unknown as Trx, personId);
  }

  /**
   * Carriers the actor may access (A4.2): in the custody of the actor's organisation, at or below
   * the lower of personal and facility clearance, with need-to-know (participant of the carrier's
   * contract or named on the carrier), and not destroyed, returned, released or in transit.
   */
  function accessibleCarriers(actor: AppActor) {
    const rank = clearedRank(ctx, actor);
    const levels = ctx.pack.levels.filter((l) => l.rank <= rank).map((l) => l.id);
    return db
      .selectFrom("carriers")
      .selectAll("carriers")
      .where("carriers.custodian_organisation_id", "=", actor.organisation.id)
      .where("carriers.level", "in", levels.length > 0 ? levels : ["-none-"])
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
  async function allowedRows(app: AppActor, rows: CarriersTable[]): Promise<CarriersTable[]> {
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
      return decision.allowed;
    });
  }

  async function organisationNames(): Promise<Map<string, string>> {
    const rows = await db.selectFrom("organisations").select(["id", "name"]).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
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
      originatorName: row.originator_name,
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

    async dashboard() {
      return { consentsToDecide: [], receiptsOverdue: [], deadlines: [], transfers: [] };
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
        .where("audit_entries.object", "=", `carrier:${row.id}`)
        .orderBy("audit_entries.idx", "desc")
        .limit(100)
        .execute();
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
          actor: h.name ?? h.actor,
          outcome: h.outcome,
          articles: JSON.parse(h.articles) as string[],
        })),
        actions: {
          readContent: true,
          requestTransfer:
            actor.roles.includes("registry-officer") &&
            row.originator_party === ctx.config.party &&
            row.state === "registered" &&
            row.contract_id !== null,
        },
      };
    },

    async readCarrierContent(actor, id) {
      await findAccessible(actor, id);
      throw new DomainError("CONTENT_NOT_FOUND", {});
    },

    async listOrganisations() {
      const rows = await listOrganisations(ctx);
      const today = todayOf(ctx);
      return rows.map((o) => {
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

    async listMessages() {
      return [];
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
      const result = await verifyAuditLog(db, {
        verifiers: loadAuditVerifiers(ctx.dataDir, nodeRef),
        origin: auditLogOrigin(nodeRef),
      });
      return result.ok
        ? { ok: true, size: result.size, root: result.root.toString("hex"), firstBadIndex: null }
        : { ok: false, size: result.size, root: null, firstBadIndex: result.firstBadIndex };
    },

    async listTransfers() {
      return [];
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
