// Need-to-know on a carrier (A4.2), granted by a registry officer of its custodian body to persons
// of that body: never to themselves; at the levels the agreement pack's node policy puts under four
// eyes (`needToKnowFourEyesFrom`, default top secret and above) a grant by one officer is pending
// until a second, different registry officer of the same body confirms it. The same officer may
// withdraw a grant, in effect or pending; a contract's participants keep what the contract gives.
import { z } from "zod";
import type { ArticleId } from "../../domain/articles.ts";
import { assertCarrierEvent, transitionCarrier } from "../../domain/carrier/carrier-machine.ts";
import { DomainError } from "../../domain/errors.ts";
import { parseJsonColumn, toTimestamp } from "../../store/columns.ts";
import type { Trx } from "../../store/transaction.ts";
import type { Actor } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";
import { loadKeptCarrier } from "./carrier-guards.ts";
import type { LoadedCarrier } from "./carrier-repository.ts";

/** The grants of one call: in effect now, and pending a second officer's confirmation (handles). */
export type GrantOutcome = { readonly granted: string[]; readonly pending: string[] };

/** A pending grant, kept until a second officer confirms it (in `node_settings`, name below). */
const PendingGrantSchema = z.object({ by: z.string(), at: z.string() });
type PendingGrant = z.infer<typeof PendingGrantSchema>;
const pendingName = (carrierId: string, personId: string) => `need-to-know-pending:${carrierId}:${personId}`;

/** The persons (ids) holding a grant on the carrier that waits for a second officer (A4.2). */
export async function pendingGrantees(trx: Trx, carrierId: string): Promise<string[]> {
  const prefix = pendingName(carrierId, "");
  const rows = await trx
    .selectFrom("node_settings")
    .select("name")
    .where("name", "like", `${prefix}%`)
    .execute();
  return rows.map((r) => r.name.slice(prefix.length));
}

/** True when a grant on a carrier of rank `rank` needs a second officer (the pack's node policy). */
export function needsSecondOfficer(ctx: AppContext, rank: number): boolean {
  return rank >= ctx.pack.needToKnowFourEyesRank;
}

/**
 * A person of the actor's body: one answer for a person of another body and for one that does not
 * exist (A4.2: the answer does not tell who exists elsewhere).
 */
async function personOfBody(trx: Trx, actor: Actor, ref: string, field: string) {
  const person = await trx
    .selectFrom("people")
    .select(["id", "handle", "name"])
    .where((eb) => eb.or([eb("id", "=", ref), eb("handle", "=", ref)]))
    .where("organisation_id", "=", actor.organisation.id)
    .executeTakeFirst();
  if (!person)
    throw new DomainError("INPUT_INVALID", {
      field,
      problem: `no person ${ref} in ${actor.organisation.name}`,
    });
  return person;
}

function refuseSelfGrant(actor: Actor, personId: string): void {
  if (personId === actor.personId) throw new DomainError("NEED_TO_KNOW_SELF_GRANT", { person: actor.handle });
}

async function isGranted(trx: Trx, carrierId: string, personId: string): Promise<boolean> {
  const held = await trx
    .selectFrom("carrier_need_to_know")
    .select("person_id")
    .where("carrier_id", "=", carrierId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  return held !== undefined;
}

async function pendingOf(trx: Trx, carrierId: string, personId: string): Promise<PendingGrant | null> {
  const row = await trx
    .selectFrom("node_settings")
    .select("value")
    .where("name", "=", pendingName(carrierId, personId))
    .executeTakeFirst();
  return row
    ? parseJsonColumn(PendingGrantSchema, row.value, "node_settings.value (need-to-know-pending)")
    : null;
}

async function putInEffect(
  trx: Trx,
  ctx: AppContext,
  carrierId: string,
  personId: string,
  grantedBy: string,
): Promise<void> {
  await trx
    .insertInto("carrier_need_to_know")
    .values({
      carrier_id: carrierId,
      person_id: personId,
      granted_by: grantedBy,
      granted_at: toTimestamp(ctx.now()),
    })
    .execute();
  await trx.deleteFrom("node_settings").where("name", "=", pendingName(carrierId, personId)).execute();
}

/**
 * Grants need-to-know on the carrier `carrier` (of rank `rank`) to persons of the actor's body
 * (A4.2): never to the actor; below the four-eyes level at once; at it, pending until a second,
 * different registry officer grants or confirms it (a grant by a second officer of a pending one
 * confirms it). Returns the handles in effect and pending.
 */
export async function grantOnCarrier(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  carrier: { readonly id: string; readonly rank: number },
  persons: readonly string[],
  field = "persons",
): Promise<GrantOutcome> {
  const outcome: GrantOutcome = { granted: [], pending: [] };
  for (const ref of new Set(persons)) {
    const person = await personOfBody(trx, actor, ref, field);
    refuseSelfGrant(actor, person.id);
    if (await isGranted(trx, carrier.id, person.id)) {
      outcome.granted.push(person.handle);
      continue;
    }
    if (!needsSecondOfficer(ctx, carrier.rank)) {
      await putInEffect(trx, ctx, carrier.id, person.id, actor.personId);
      outcome.granted.push(person.handle);
      continue;
    }
    const pending = await pendingOf(trx, carrier.id, person.id);
    if (pending && pending.by !== actor.personId) {
      await putInEffect(trx, ctx, carrier.id, person.id, pending.by);
      outcome.granted.push(person.handle);
    } else {
      if (!pending) {
        const value: PendingGrant = { by: actor.personId, at: toTimestamp(ctx.now()) };
        await trx
          .insertInto("node_settings")
          .values({ name: pendingName(carrier.id, person.id), value: JSON.stringify(value) })
          .execute();
      }
      outcome.pending.push(person.handle);
    }
  }
  return outcome;
}

async function loadForGrant(
  trx: Trx,
  ctx: AppContext,
  actor: Actor,
  ref: string,
  persons: readonly string[],
) {
  const carrier = await loadKeptCarrier(trx, ctx, actor, ref);
  if (persons.length === 0)
    throw new DomainError("INPUT_INVALID", { field: "persons", problem: "name at least one person" });
  // The carrier machine allows a grant only while the carrier is held (TRANSITION_FORBIDDEN else).
  const { articles } = transitionCarrier(
    carrier.state,
    { type: "grant-need-to-know", personId: persons[0]! },
    { at: ctx.now().toISOString(), pack: ctx.pack },
  );
  return { carrier, articles };
}

function summary(carrier: LoadedCarrier, outcome: GrantOutcome) {
  return {
    carrier: carrier.row.registration_number,
    copyNumber: carrier.row.copy_number,
    granted: outcome.granted,
    pending: outcome.pending,
  };
}

/**
 * Grants need-to-know on a carrier held in the actor's registry to persons of its custodian body
 * (A4.2); see {@link grantOnCarrier} for the self-grant refusal and the four-eyes levels.
 */
export async function grantNeedToKnow(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly persons: readonly string[] },
) {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "carrier.need-to-know-granted",
      object: { type: "carrier", id: input.carrier },
    },
    async (trx, actor) => {
      const { carrier, articles } = await loadForGrant(trx, ctx, actor, input.carrier, input.persons);
      const outcome = await grantOnCarrier(
        trx,
        ctx,
        actor,
        { id: carrier.row.id, rank: carrier.state.level },
        input.persons,
      );
      await recordDone(trx, ctx, actor, {
        type: "carrier.need-to-know-granted",
        object: { type: "carrier", id: carrier.row.id },
        articles,
        data: {
          persons: outcome.granted,
          pending: outcome.pending,
          fourEyes: needsSecondOfficer(ctx, carrier.state.level),
        },
      });
      return summary(carrier, outcome);
    },
  );
}

/**
 * A4.2, four eyes: a second registry officer of the carrier's custodian body confirms the pending
 * grants of need-to-know another officer made; they take effect now. Refused for a grant the
 * confirming officer made (NEED_TO_KNOW_SECOND_OFFICER) or to themselves (NEED_TO_KNOW_SELF_GRANT),
 * and for a person with no pending grant.
 */
export async function confirmNeedToKnow(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly persons: readonly string[] },
) {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "carrier.need-to-know-granted",
      object: { type: "carrier", id: input.carrier },
    },
    async (trx, actor) => {
      const { carrier, articles } = await loadForGrant(trx, ctx, actor, input.carrier, input.persons);
      const outcome: GrantOutcome = { granted: [], pending: [] };
      const requestedBy: string[] = [];
      for (const ref of new Set(input.persons)) {
        const person = await personOfBody(trx, actor, ref, "persons");
        refuseSelfGrant(actor, person.id);
        if (await isGranted(trx, carrier.row.id, person.id)) {
          outcome.granted.push(person.handle);
          continue;
        }
        const pending = await pendingOf(trx, carrier.row.id, person.id);
        if (!pending)
          throw new DomainError("INPUT_INVALID", {
            field: "persons",
            problem: `no pending grant of need-to-know to ${person.handle}`,
          });
        if (pending.by === actor.personId)
          throw new DomainError("NEED_TO_KNOW_SECOND_OFFICER", { person: person.handle });
        await putInEffect(trx, ctx, carrier.row.id, person.id, pending.by);
        outcome.granted.push(person.handle);
        requestedBy.push(pending.by);
      }
      await recordDone(trx, ctx, actor, {
        type: "carrier.need-to-know-granted",
        object: { type: "carrier", id: carrier.row.id },
        articles,
        data: { persons: outcome.granted, confirmed: true, requestedBy: [...new Set(requestedBy)] },
      });
      return summary(carrier, outcome);
    },
  );
}

/**
 * Withdraws need-to-know on a carrier held in the actor's registry from persons of its custodian
 * body (A4.2): the grant in effect and any grant pending a second officer. Refused for a person
 * holding neither (NEED_TO_KNOW_NOT_GRANTED), for a carrier no longer held (TRANSITION_FORBIDDEN),
 * and, as for any act on a carrier, outside the actor's registry (the not-found answer).
 */
export async function withdrawNeedToKnow(
  ctx: AppContext,
  input: { readonly actor: string; readonly carrier: string; readonly persons: readonly string[] },
) {
  return executeUseCase(
    ctx,
    {
      actor: input.actor,
      action: "carrier.need-to-know-withdrawn",
      object: { type: "carrier", id: input.carrier },
    },
    async (trx, actor) => {
      const carrier = await loadKeptCarrier(trx, ctx, actor, input.carrier);
      if (input.persons.length === 0)
        throw new DomainError("INPUT_INVALID", { field: "persons", problem: "name at least one person" });
      let state = carrier.state;
      const articles = new Set<ArticleId>(["A4.2"]);
      const withdrawn: string[] = [];
      for (const ref of new Set(input.persons)) {
        const person = await personOfBody(trx, actor, ref, "persons");
        const pending = await trx
          .deleteFrom("node_settings")
          .where("name", "=", pendingName(carrier.row.id, person.id))
          .executeTakeFirst();
        if (Number(pending.numDeletedRows ?? 0) > 0 && !state.grantedPersons.includes(person.id)) {
          // Only pending: nothing in effect to take from the carrier, which must still be held.
          assertCarrierEvent(state.status, "withdraw-need-to-know");
        } else {
          const moved = transitionCarrier(
            state,
            { type: "withdraw-need-to-know", personId: person.id, person: person.name },
            { at: ctx.now().toISOString(), pack: ctx.pack },
          );
          for (const a of moved.articles) articles.add(a);
          state = moved.state;
          await trx
            .deleteFrom("carrier_need_to_know")
            .where("carrier_id", "=", carrier.row.id)
            .where("person_id", "=", person.id)
            .execute();
        }
        withdrawn.push(person.handle);
      }
      await recordDone(trx, ctx, actor, {
        type: "carrier.need-to-know-withdrawn",
        object: { type: "carrier", id: carrier.row.id },
        articles: [...articles],
        data: { persons: withdrawn },
      });
      return { carrier: carrier.row.registration_number, copyNumber: carrier.row.copy_number, withdrawn };
    },
  );
}
