// The visits of Article 9 as use cases on both nodes. Visiting side: its competent authority's
// officer requests (A9.2: every item for each visitor, the visitors' clearances from the registry's
// records, at least one calendar month ahead on the host's calendar), amends or cancels. Host: its
// competent authority's officer approves or refuses in writing (A9.1); on approval each visitor gets
// a person record in the first visited body, cleared at the stated level for the visit's days; the
// visited body's security officer (its registry officer) records each visitor's acquaintance with
// the host's handling rules (A9.3) and links its carriers to the visit's topics. Access during the
// visit is then the node's one access decision. Personal data stay sealed and are erased after the
// retention (`eraseDueVisitorData`).
import { findLevel, findParty, parseLevelInput } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { dateInZone, parseDate, startOfDate } from "../../domain/time/instants.ts";
import {
  transitionVisit,
  VISIT_KINDS,
  type VisitKind,
  type Visitor,
  type VisitState,
} from "../../domain/visit/visit-machine.ts";
import { enqueueMessage } from "../../exchange/outbox.ts";
import { toTimestamp } from "../../store/columns.ts";
import { withTransaction } from "../../store/transaction.ts";
import { clearanceWindow } from "../access/visibility.ts";
import { requireRole } from "../actor.ts";
import { carrierNotFound, loadCarrier } from "../carriers/carrier-repository.ts";
import type { AppContext } from "../context.ts";
import { recordAudit } from "../record-audit.ts";
import type { FlowContext } from "../transfer/flow-context.ts";
import { ownCompetentAuthority } from "../transfer/transfer-flow.ts";
import { ConcealedRefusal, executeUseCase, recordDone } from "../use-case.ts";
import { sealPersonalData } from "./personal-data.ts";
import {
  bodiesOf,
  isAuthorityOfficer,
  isHostSecurityOfficer,
  loadVisit,
  nodeActor,
  type PersonToMeet,
  peerAuthority,
  personalEraseDueAt,
  type Topic,
  topicsOf,
  visitNotFound,
  visitorsOf,
  visitStateOf,
} from "./visit-records.ts";

const iso = (d: Date) => toTimestamp(d);

function requireAuthority(actor: Parameters<typeof isAuthorityOfficer>[0]): void {
  requireRole(actor, "competent-authority-officer");
  if (!isAuthorityOfficer(actor))
    throw new DomainError("ROLE_FORBIDDEN", { needed: ["competent-authority"], actor: actor.handle });
}

// ------------------------------------------------------------------ visiting side: request

/** One visitor as the request form or the visitors file gives them (A9.2 (1)–(3)). */
export type VisitorInput = {
  /** The person of this node's registry (handle or id): name, body and clearance come from the records. */
  readonly person?: string;
  readonly position?: string;
  readonly birthDate?: string;
  readonly birthPlace?: string;
  readonly citizenship?: string;
  readonly passport?: string;
};

export type RequestVisitInput = {
  readonly actor: string;
  readonly kind: string;
  readonly amends?: string;
  readonly startDate: string;
  readonly endDate: string;
  readonly recurrence?: string;
  readonly purpose: string;
  readonly topics: readonly { readonly title: string; readonly level: string }[];
  /** The host's authorized bodies (ids or names in the peer's directory). */
  readonly bodiesToVisit: readonly string[];
  readonly peopleToMeet: readonly { readonly position: string; readonly name: string }[];
  readonly visitors: readonly VisitorInput[];
};

const text = (v: string | undefined) => (v ?? "").trim();
const DATE = /^\d{4}-\d{2}-\d{2}$/;

// A date given as part of personal data: checked without repeating the value in the answer.
function checkPersonalDate(value: string, field: string): void {
  let ok = DATE.test(value);
  if (ok) {
    try {
      parseDate(value, field);
    } catch {
      ok = false;
    }
  }
  if (!ok) throw new DomainError("INPUT_INVALID", { field, problem: "not a calendar date YYYY-MM-DD" });
}

/** Surname and name from the registry's one name field: the last word is the surname. */
function splitName(full: string): { surname: string; name: string } {
  const words = full.trim().split(/\s+/);
  if (words.length < 2) return { surname: words[0] ?? "", name: words[0] ?? "" };
  return { surname: words[words.length - 1]!, name: words.slice(0, -1).join(" ") };
}

/**
 * A9.2: the visiting side's competent authority requests a visit. Refused at this node, with nothing
 * sent, when an item is missing (VISIT_REQUEST_INCOMPLETE naming it), a visitor is not cleared for the
 * highest topic (VISITOR_NOT_CLEARED, A9.1, A4.2) or the request would reach the host later than one
 * calendar month before the visit (VISIT_REQUEST_TOO_LATE, counted now on the host's calendar).
 */
export async function requestVisit(ctx: FlowContext, input: RequestVisitInput) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.requested" },
    async (trx, actor) => {
      requireAuthority(actor);
      if (!(VISIT_KINDS as readonly string[]).includes(input.kind))
        throw new DomainError("INPUT_INVALID", {
          field: "kind",
          problem: `one of ${VISIT_KINDS.join(", ")}`,
        });
      const kind = input.kind as VisitKind;
      const host = peerAuthority(ctx);
      const peerOrgs = ctx.exchange.peer?.organisations ?? [];
      const bodies = input.bodiesToVisit.map((ref, i) => {
        const org = peerOrgs.find((o) => o.id === ref || o.name === ref);
        if (!org)
          throw new DomainError("INPUT_INVALID", {
            field: `bodiesToVisit[${i}]`,
            problem: "not a body of the other Party's directory",
          });
        return org.id;
      });
      const missing: string[] = [];
      const topics: Topic[] = [];
      input.topics.forEach((t, i) => {
        if (text(t.title) === "") return;
        if (!text(t.level)) missing.push(`topics[${i}].level`);
        else
          topics.push({
            title: text(t.title),
            level: parseLevelInput(ctx.pack, ctx.config.party, t.level).id,
          });
      });
      const levels = topics.map((t) => findLevel(ctx.pack, t.level));
      const level = levels.sort((a, b) => b.rank - a.rank)[0] ?? ctx.pack.levels[0]!;
      const peopleToMeet: PersonToMeet[] = input.peopleToMeet
        .map((p) => ({ position: text(p.position), name: text(p.name) }))
        .filter((p) => p.position !== "" || p.name !== "");
      const hostZone = findParty(ctx.pack, host.party).timeZone;
      if (!DATE.test(input.startDate)) parseDate(input.startDate, "startDate");
      if (!DATE.test(input.endDate)) parseDate(input.endDate, "endDate");
      const visitFrom = startOfDate(input.startDate, hostZone);
      const visitUntil = startOfDate(
        parseDate(input.endDate, "endDate").add({ days: 1 }).toString(),
        hostZone,
      );

      // The visitors, from the registry's records (name, body, best clearance over the whole visit).
      const visitors: (Visitor & { personId: string; seq: number })[] = [];
      for (const [i, v] of input.visitors.entries()) {
        if (!text(v.person)) {
          missing.push(`visitors[${i}].person`);
          continue;
        }
        const person = await trx
          .selectFrom("people")
          .innerJoin("organisations", "organisations.id", "people.organisation_id")
          .select(["people.id", "people.name", "people.disabled_at", "organisations.name as body"])
          .where((eb) =>
            eb.or([eb("people.id", "=", text(v.person)), eb("people.handle", "=", text(v.person))]),
          )
          .executeTakeFirst();
        if (!person || person.disabled_at !== null)
          throw new DomainError("INPUT_INVALID", {
            field: `visitors[${i}].person`,
            problem: "no such person here",
          });
        const clearances = await trx
          .selectFrom("personal_clearances")
          .selectAll()
          .where("person_id", "=", person.id)
          .where("revoked_at", "is", null)
          .execute();
        const windows = clearances
          .map((c) => ({ level: findLevel(ctx.pack, c.level).rank, ...clearanceWindow(ctx, c) }))
          .sort((a, b) => b.level - a.level);
        const covering =
          windows.find((w) => w.validFrom <= visitFrom && visitUntil <= w.validUntil) ?? windows[0] ?? null;
        const { surname, name } = splitName(person.name);
        visitors.push({
          personId: person.id,
          seq: i + 1,
          surname,
          name,
          birthDate: text(v.birthDate),
          birthPlace: text(v.birthPlace),
          citizenship: text(v.citizenship),
          passport: text(v.passport),
          position: text(v.position),
          body: person.body,
          // None held: a clearance of no level, which the machine refuses (VISITOR_NOT_CLEARED).
          clearance: covering
            ? { level: covering.level, validFrom: covering.validFrom, validUntil: covering.validUntil }
            : { level: 0, validFrom: "1970-01-01T00:00:00Z", validUntil: "1970-01-01T00:00:00Z" },
        });
      }
      const id = ctx.newId();
      const state: VisitState = {
        id,
        status: "draft",
        kind,
        amends: text(input.amends) || null,
        recurrence: text(input.recurrence) || null,
        visitingParty: ctx.config.party,
        hostParty: host.party,
        visitors,
        startDate: input.startDate,
        endDate: input.endDate,
        purpose: text(input.purpose),
        topics: topics.map((t) => t.title),
        level: level.rank,
        bodiesToVisit: bodies,
        peopleToMeet: peopleToMeet.map((p) => `${p.position} ${p.name}`),
        sentAt: null,
        receivedAt: null,
        decidedAt: null,
      };
      // A9.2: each person to meet has both a position and a name.
      peopleToMeet.forEach((p, i) => {
        if (p.position === "") missing.push(`peopleToMeet[${i}].position`);
        if (p.name === "") missing.push(`peopleToMeet[${i}].name`);
      });
      if (missing.length > 0) throw new DomainError("VISIT_REQUEST_INCOMPLETE", { missing });
      const now = iso(ctx.now());
      // The machine: every A9.2 item, the dates, the clearances (A9.1, A4.2), the lead time.
      transitionVisit(state, { type: "send" }, { at: now, pack: ctx.pack });
      for (const [i, v] of visitors.entries()) checkPersonalDate(v.birthDate, `visitors[${i}].birthDate`);
      if (kind === "amendment") {
        const amended = await trx
          .selectFrom("visits")
          .select(["id", "state", "direction"])
          .where("id", "=", state.amends!)
          .executeTakeFirst();
        if (amended?.direction !== "out") throw visitNotFound(state.amends!);
        if (amended.state !== "approved")
          throw new DomainError("TRANSITION_FORBIDDEN", {
            machine: "visit request",
            state: amended.state,
            event: "amend",
          });
      }
      await trx
        .insertInto("visits")
        .values({
          id,
          direction: "out",
          kind,
          amends: state.amends ?? null,
          state: "sent",
          visiting_party: ctx.config.party,
          host_party: host.party,
          requesting_org: actor.organisation.id,
          host_authority_org: host.org,
          start_date: input.startDate,
          end_date: input.endDate,
          recurrence: state.recurrence ?? null,
          purpose: state.purpose,
          topics: JSON.stringify(topics),
          level: level.id,
          bodies_to_visit: JSON.stringify(bodies),
          people_to_meet: JSON.stringify(peopleToMeet),
          requested_by: actor.personId,
          requested_at: now,
          request_message: null,
          received_at: null,
          decided_by: null,
          decided_at: null,
          decision_reason: null,
          cancelled_at: null,
          cancel_reason: null,
          personal_erase_due_at: personalEraseDueAt(ctx, input.endDate),
          personal_erased_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const partyZone = findParty(ctx.pack, ctx.config.party).timeZone;
      for (const v of visitors) {
        const until = v.clearance!.validUntil;
        await trx
          .insertInto("visit_visitors")
          .values({
            visit_id: id,
            seq: v.seq,
            person_id: v.personId,
            surname: v.surname,
            name: v.name,
            position: v.position,
            body: v.body,
            clearance_level: findLevel(ctx.pack, v.clearance!.level).id,
            // The clearance's last valid day, on the sending Party's calendar.
            clearance_valid_until: lastValidDay(until, partyZone),
            personal: sealPersonalData(ctx.dataDir, id, v.seq, v),
            acquainted_at: null,
            acquainted_by: null,
          })
          .execute();
      }
      const stored = await visitorsOf(trx, id);
      // A9.2 (1): the personal data travel only as the sealed attachment.
      const attachment = Buffer.from(
        JSON.stringify({
          visitId: id,
          visitors: visitors.map((v) => ({
            seq: v.seq,
            birthDate: v.birthDate,
            birthPlace: v.birthPlace,
            citizenship: v.citizenship,
            passport: v.passport,
          })),
        }),
        "utf8",
      );
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "visit-request",
        fromOrg: actor.organisation.id,
        to: host,
        level: level.id,
        attachment,
        body: {
          visitId: id,
          kind,
          amends: state.amends ?? null,
          visitors: stored.map((v) => ({
            seq: v.seq,
            surname: v.surname,
            name: v.name,
            position: v.position,
            body: v.body,
            clearance: { level: v.clearance_level, validUntil: v.clearance_valid_until },
          })),
          startDate: input.startDate,
          endDate: input.endDate,
          recurrence: state.recurrence ?? null,
          purpose: state.purpose,
          topics,
          bodiesToVisit: bodies,
          peopleToMeet,
        },
      });
      await trx.updateTable("visits").set({ request_message: envelope.id }).where("id", "=", id).execute();
      await recordDone(trx, ctx, actor, {
        type: "visit.requested",
        object: { type: "visit", id },
        articles: ["A9.1", "A9.2"],
        data: {
          kind,
          amends: state.amends ?? null,
          startDate: input.startDate,
          endDate: input.endDate,
          level: level.id,
          visitors: visitors.length,
          host: `${host.party}/${host.org}`,
          message: envelope.id,
        },
      });
      return { id, state: "sent" };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** The last valid day of a clearance whose window ends (exclusive) at `validUntil`, in `zone`. */
function lastValidDay(validUntil: string, zone: string): string {
  return dateInZone(new Date(new Date(validUntil).getTime() - 1).toISOString(), zone);
}

// ------------------------------------------------------------------ visiting side: cancel

/** A9.2: the visiting side's competent authority withdraws a request, sent or approved (no lead time). */
export async function cancelVisit(
  ctx: FlowContext,
  input: { readonly actor: string; readonly visit: string; readonly reason: string },
) {
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.cancelled", object: { type: "visit", id: input.visit } },
    async (trx, actor) => {
      requireAuthority(actor);
      const row = await loadVisit(trx, actor, input.visit, (r) => r.direction === "out", "the visiting side");
      const reason = text(input.reason);
      if (reason === "") throw new DomainError("INPUT_INVALID", { field: "reason", problem: "say why" });
      transitionVisit(visitStateOf(ctx, row), { type: "cancel" }, { at: iso(ctx.now()), pack: ctx.pack });
      const now = iso(ctx.now());
      await trx
        .updateTable("visits")
        .set({ state: "cancelled", cancelled_at: now, cancel_reason: reason, updated_at: now })
        .where("id", "=", row.id)
        .execute();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "visit-cancellation",
        fromOrg: row.requesting_org,
        to: { party: row.host_party, org: row.host_authority_org },
        level: row.level,
        inReplyTo: null,
        body: { visitId: row.id, reason },
      });
      await recordDone(trx, ctx, actor, {
        type: "visit.cancelled",
        object: { type: "visit", id: row.id },
        articles: ["A9.2"],
        data: { from: row.state, message: envelope.id },
      });
      return { id: row.id, state: "cancelled" };
    },
  );
  ctx.onOutbox?.();
  return result;
}

// ------------------------------------------------------------------ host: decide

export type DecideVisitInput = {
  readonly actor: string;
  readonly visit: string;
  readonly decision: "approve" | "refuse";
  readonly reason?: string;
};

/**
 * A9.1: the host's competent authority approves or refuses a received request in writing, with its
 * reasons. On approval each visitor gets a person record in the first visited body, cleared at the
 * stated level for the visit's days (`issued_by` = `visit:<id>`), and an approved amendment
 * supersedes the request it amends.
 */
export async function decideVisit(ctx: FlowContext, input: DecideVisitInput) {
  const action = input.decision === "approve" ? "visit.approved" : "visit.refused";
  const result = await executeUseCase(
    ctx,
    { actor: input.actor, action, object: { type: "visit", id: input.visit } },
    async (trx, actor) => {
      requireAuthority(actor);
      const row = await loadVisit(trx, actor, input.visit, (r) => r.direction === "in", "the host");
      const reason = text(input.reason) || null;
      if (input.decision === "refuse" && reason === null)
        throw new DomainError("INPUT_INVALID", { field: "reason", problem: "a refusal gives its reasons" });
      const at = iso(ctx.now());
      transitionVisit(
        visitStateOf(ctx, row),
        input.decision === "approve" ? { type: "approve" } : { type: "refuse", reason: reason ?? "" },
        { at, pack: ctx.pack },
      );
      const state = input.decision === "approve" ? "approved" : "refused";
      let superseded: string | null = null;
      if (input.decision === "approve") {
        if (row.kind === "amendment" && row.amends) {
          const amended = await trx
            .selectFrom("visits")
            .selectAll()
            .where("id", "=", row.amends)
            .where("direction", "=", "in")
            .executeTakeFirst();
          if (!amended || amended.requesting_org !== row.requesting_org) throw visitNotFound(row.amends);
          transitionVisit(visitStateOf(ctx, amended), { type: "supersede" }, { at, pack: ctx.pack });
          await trx
            .updateTable("visits")
            .set({ state: "superseded", updated_at: at })
            .where("id", "=", amended.id)
            .execute();
          superseded = amended.id;
        }
        await createVisitorRecords(trx, ctx, row);
      }
      await trx
        .updateTable("visits")
        .set({ state, decided_by: actor.personId, decided_at: at, decision_reason: reason, updated_at: at })
        .where("id", "=", row.id)
        .execute();
      const envelope = await enqueueMessage(trx, ctx.exchange.outbox, {
        kind: "visit-answer",
        fromOrg: row.host_authority_org,
        to: { party: row.visiting_party, org: row.requesting_org },
        level: row.level,
        inReplyTo: row.request_message,
        body: {
          visitId: row.id,
          decision: state,
          reason,
          articles: ["A9.1"],
        },
      });
      await recordDone(trx, ctx, actor, {
        type: action,
        object: { type: "visit", id: row.id },
        articles: ["A9.1", "A9.2"],
        data: { superseded, message: envelope.id },
      });
      return { id: row.id, state };
    },
  );
  ctx.onOutbox?.();
  return result;
}

/** A9.1: a person record for each visitor, in the first visited body, cleared for the visit's days. */
async function createVisitorRecords(
  trx: Parameters<typeof visitorsOf>[0],
  ctx: AppContext,
  row: { id: string; start_date: string; end_date: string; bodies_to_visit: string },
): Promise<void> {
  const body = bodiesOf(row)[0] ?? "";
  const org = await trx.selectFrom("organisations").select("id").where("id", "=", body).executeTakeFirst();
  if (!org)
    throw new DomainError("INPUT_INVALID", { field: "bodiesToVisit[0]", problem: "not a body of this node" });
  const now = iso(ctx.now());
  for (const v of await visitorsOf(trx, row.id)) {
    const personId = ctx.newId();
    await trx
      .insertInto("people")
      .values({
        id: personId,
        organisation_id: org.id,
        handle: `visitor-${row.id.slice(0, 8)}-${v.seq}`,
        name: `${v.name} ${v.surname}`,
        created_at: now,
        disabled_at: null,
      })
      .execute();
    await trx
      .insertInto("person_roles")
      .values({ person_id: personId, role: "cleared-user", granted_at: now })
      .execute();
    await trx
      .insertInto("personal_clearances")
      .values({
        id: ctx.newId(),
        person_id: personId,
        level: v.clearance_level,
        valid_from: row.start_date,
        valid_to: row.end_date,
        issued_by: `visit:${row.id}`,
        created_at: now,
        revoked_at: null,
      })
      .execute();
    await trx
      .updateTable("visit_visitors")
      .set({ person_id: personId })
      .where("visit_id", "=", row.id)
      .where("seq", "=", v.seq)
      .execute();
  }
}

// ------------------------------------------------------------------ host: the visited body

/** A9.3: the visited body's security officer records that a visitor was acquainted with the host's handling rules. */
export async function recordAcquaintance(
  ctx: AppContext,
  input: { readonly actor: string; readonly visit: string; readonly seq: number },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.visitor-acquainted", object: { type: "visit", id: input.visit } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await loadVisit(
        trx,
        actor,
        input.visit,
        (r) => isHostSecurityOfficer(actor, r) && r.state === "approved",
        "the visited body's security officer",
      );
      const visitor = (await visitorsOf(trx, row.id)).find((v) => v.seq === input.seq);
      if (!visitor)
        throw new DomainError("INPUT_INVALID", { field: "visitor", problem: `no visitor ${input.seq}` });
      const at = visitor.acquainted_at ?? iso(ctx.now());
      if (visitor.acquainted_at === null)
        await trx
          .updateTable("visit_visitors")
          .set({ acquainted_at: at, acquainted_by: actor.personId })
          .where("visit_id", "=", row.id)
          .where("seq", "=", visitor.seq)
          .execute();
      await recordDone(trx, ctx, actor, {
        type: "visit.visitor-acquainted",
        object: { type: "visit", id: row.id },
        articles: ["A9.3"],
        data: { seq: visitor.seq, visitor: visitor.person_id },
      });
      return { id: row.id, seq: visitor.seq, acquaintedAt: at };
    },
  );
}

/**
 * A9.1: the visited body's security officer links a carrier of its own registry to one of the
 * visit's topics (numbered from 1), the visitors' need-to-know for the visit; refused when the
 * carrier's level is above the topic's (VISIT_CARRIER_ABOVE_TOPIC).
 */
export async function linkTopicCarrier(
  ctx: AppContext,
  input: { readonly actor: string; readonly visit: string; readonly topic: number; readonly carrier: string },
) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "visit.carrier-linked", object: { type: "visit", id: input.visit } },
    async (trx, actor) => {
      requireRole(actor, "registry-officer");
      const row = await loadVisit(
        trx,
        actor,
        input.visit,
        (r) => isHostSecurityOfficer(actor, r) && r.state === "approved",
        "the visited body's security officer",
      );
      const topic = topicsOf(row)[input.topic - 1];
      if (!Number.isInteger(input.topic) || !topic)
        throw new DomainError("INPUT_INVALID", { field: "topic", problem: `no topic ${input.topic}` });
      const { row: carrier } = await loadCarrier(trx, ctx, input.carrier, { lock: false });
      if (carrier.custodian_organisation_id !== actor.organisation.id)
        throw new ConcealedRefusal(
          carrierNotFound(input.carrier),
          new DomainError("ROLE_FORBIDDEN", {
            needed: ["the carrier's custodian body"],
            actor: actor.handle,
          }),
          { type: "carrier", id: carrier.id },
        );
      if (findLevel(ctx.pack, carrier.level).rank > findLevel(ctx.pack, topic.level).rank)
        throw new DomainError("VISIT_CARRIER_ABOVE_TOPIC", { topicLevel: topic.level, carrier: carrier.id });
      const exists = await trx
        .selectFrom("visit_topic_carriers")
        .select("topic")
        .where("visit_id", "=", row.id)
        .where("carrier_id", "=", carrier.id)
        .executeTakeFirst();
      if (!exists)
        await trx
          .insertInto("visit_topic_carriers")
          .values({
            visit_id: row.id,
            topic: input.topic,
            carrier_id: carrier.id,
            linked_by: actor.personId,
            linked_at: iso(ctx.now()),
          })
          .execute();
      await recordDone(trx, ctx, actor, {
        type: "visit.carrier-linked",
        object: { type: "visit", id: row.id },
        articles: ["A9.1", "A4.2"],
        data: { topic: input.topic, carrier: carrier.registration_number },
      });
      return { id: row.id, topic: input.topic, carrierId: carrier.id };
    },
  );
}

// ------------------------------------------------------------------ both: erasure

/**
 * A9.2 (policy): erases the visitors' personal data of every visit whose erasure date has passed
 * (the node's periodic timer and `kelisim visit erase-due`); one audit entry per visit, by the node.
 */
export async function eraseDueVisitorData(ctx: AppContext): Promise<{ erased: string[] }> {
  return withTransaction(ctx.db, async (trx) => {
    const now = iso(ctx.now());
    const due = await trx
      .selectFrom("visits")
      .select(["id", "end_date", "personal_erase_due_at"])
      .where("personal_erased_at", "is", null)
      .where("personal_erase_due_at", "<=", now)
      .execute();
    if (due.length === 0) return { erased: [] };
    const ca = await ownCompetentAuthority(trx, ctx);
    for (const visit of due) {
      const erased = await trx
        .updateTable("visit_visitors")
        .set({ personal: null })
        .where("visit_id", "=", visit.id)
        .executeTakeFirst();
      await trx
        .updateTable("visits")
        .set({ personal_erased_at: now, updated_at: now })
        .where("id", "=", visit.id)
        .execute();
      await recordAudit(trx, ctx, {
        type: "visit.personal-data-erased",
        actor: nodeActor(ctx),
        organisation: ca,
        object: { type: "visit", id: visit.id },
        outcome: "done",
        articles: ["A9.2"],
        data: {
          visitors: Number(erased.numUpdatedRows),
          endDate: visit.end_date,
          dueAt: visit.personal_erase_due_at,
          retention: ctx.pack.deadlines.visitPersonalDataRetention.duration,
        },
      });
    }
    return { erased: due.map((d) => d.id) };
  });
}
