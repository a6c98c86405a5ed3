// A4.4: persons given access take on obligations under their state's law. A person is shown the
// current text of those obligations (the agreement pack's, for their organisation's Party) and
// acknowledges it before their first access; the acknowledgement is recorded (person, Party,
// version, language shown, instant) and the one access rule (app/access/visibility.ts) refuses every
// carrier's record and content until then. A new version of the text is acknowledged again.
// Each of these is one use case with one audit entry, allowed or refused.
import type { AuditData } from "../../audit/entry.ts";
import { currentAcknowledgement, currentObligations } from "../../domain/access/obligations.ts";
import type { Obligations } from "../../domain/agreement/pack-schema.ts";
import { findParty } from "../../domain/classification/levels.ts";
import { DomainError } from "../../domain/errors.ts";
import { isLanguage, type Language } from "../../domain/language.ts";
import { toTimestamp } from "../../store/columns.ts";
import { visitAccessOf } from "../access/visit-access.ts";
import { requireRole } from "../actor.ts";
import type { AppContext } from "../context.ts";
import { executeUseCase, recordDone } from "../use-case.ts";

declare module "../../audit/entry.ts" {
  interface AuditEventCatalogue {
    /** A4.4: a person was shown the obligations text they take on. */
    "person.obligations-shown": AuditData | undefined;
    /** A4.4: a person acknowledged one version of their obligations text (or was refused). */
    "person.obligations-acknowledged": AuditData | undefined;
    /** A4.4: who of the node's people acknowledged which version, and when. */
    "people.obligations-listed": AuditData | undefined;
  }
}

/** The actor's obligations text and where they stand with it. */
export type ObligationsView = Obligations & {
  /** The Party whose law it is: the actor's organisation's. */
  readonly party: string;
  /** The Party's default language, in which the text is shown unless the person chose another. */
  readonly defaultLanguage: Language;
  /**
   * Whether the access rule asks this person for it: false for a visitor of the other Party, who is
   * acquainted with the host's rules instead (A9.3).
   */
  readonly required: boolean;
  /** The actor's acknowledgement of this version, if any. */
  readonly acknowledged: { readonly at: string; readonly language: string } | null;
  /** The last other version the actor acknowledged (the text has changed since), if any. */
  readonly previous: { readonly version: string; readonly at: string } | null;
};

/** A4.4: the current obligations text for the actor, and whether they acknowledged it. One audit entry. */
export async function showObligations(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<ObligationsView> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "person.obligations-shown" },
    async (trx, actor) => {
      const party = actor.organisation.party;
      const obligations = currentObligations(ctx.pack, party);
      const own = currentAcknowledgement(ctx.pack, party, actor.obligations);
      const previous =
        actor.obligations
          .filter((a) => a.party === party && a.version !== obligations.version)
          .sort((a, b) => (a.acknowledgedAt < b.acknowledgedAt ? 1 : -1))[0] ?? null;
      const required = (await visitAccessOf(trx, ctx, actor)) === null;
      await recordDone(trx, ctx, actor, {
        type: "person.obligations-shown",
        outcome: "allowed",
        object: { type: "person", id: actor.personId },
        articles: ["A4.4"],
        data: { party, version: obligations.version, acknowledged: own !== null },
      });
      return {
        ...obligations,
        party,
        defaultLanguage: findParty(ctx.pack, party).defaultLanguage,
        required,
        acknowledged: own ? { at: own.acknowledgedAt, language: own.language } : null,
        previous: previous ? { version: previous.version, at: previous.acknowledgedAt } : null,
      };
    },
  );
}

export type AcknowledgeObligationsInput = {
  readonly actor: string;
  /** The version of the text the person read (as shown); refused unless it is the current one. */
  readonly version: string;
  /** The language the text was shown in (default: the Party's default language). */
  readonly language?: string;
};

/**
 * A4.4: the actor acknowledges the current version of their obligations, as shown in `language`.
 * Acknowledging a version already acknowledged changes nothing (`changed: false`).
 * @throws DomainError OBLIGATIONS_VERSION_NOT_CURRENT (audited), INPUT_INVALID for the language.
 */
export async function acknowledgeObligations(ctx: AppContext, input: AcknowledgeObligationsInput) {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "person.obligations-acknowledged" },
    async (trx, actor) => {
      const party = actor.organisation.party;
      const obligations = currentObligations(ctx.pack, party);
      const language: string = input.language ?? findParty(ctx.pack, party).defaultLanguage;
      if (!isLanguage(language) || !ctx.pack.languages.includes(language)) {
        throw new DomainError("INPUT_INVALID", {
          field: "language",
          problem: `use ${ctx.pack.languages.join(", ")}`,
        });
      }
      if (input.version !== obligations.version) {
        throw new DomainError("OBLIGATIONS_VERSION_NOT_CURRENT", {
          version: input.version,
          current: obligations.version,
        });
      }
      const held = currentAcknowledgement(ctx.pack, party, actor.obligations);
      const acknowledgedAt = held?.acknowledgedAt ?? toTimestamp(ctx.now());
      if (!held) {
        await trx
          .insertInto("obligations_acknowledgements")
          .values({
            id: ctx.newId(),
            person_id: actor.personId,
            party,
            version: obligations.version,
            language,
            acknowledged_at: acknowledgedAt,
          })
          .execute();
      }
      await recordDone(trx, ctx, actor, {
        type: "person.obligations-acknowledged",
        object: { type: "person", id: actor.personId },
        articles: ["A4.4"],
        data: { party, version: obligations.version, language, changed: !held },
      });
      return {
        person: actor.handle,
        party,
        version: obligations.version,
        language: held?.language ?? language,
        acknowledgedAt,
        changed: !held,
      };
    },
  );
}

/** One person's standing with the obligations of their Party, for those who administer people. */
export type ObligationsStanding = {
  readonly personId: string;
  readonly handle: string;
  /** The current version of their Party's text. */
  readonly current: string;
  /** Their acknowledgement of the current version, if any. */
  readonly acknowledged: { readonly at: string; readonly language: string } | null;
  /** The last version they acknowledged, if any (current or not). */
  readonly lastVersion: string | null;
};

/**
 * A4.4: who of the node's people acknowledged the current obligations text, and when (competent
 * authority officer, administrator: those who may list the people). One audit entry.
 */
export async function listObligationAcknowledgements(
  ctx: AppContext,
  input: { readonly actor: string },
): Promise<ObligationsStanding[]> {
  return executeUseCase(
    ctx,
    { actor: input.actor, action: "people.obligations-listed" },
    async (trx, actor) => {
      requireRole(actor, "competent-authority-officer", "administrator");
      const [people, rows] = await Promise.all([
        trx
          .selectFrom("people")
          .innerJoin("organisations", "organisations.id", "people.organisation_id")
          .select(["people.id", "people.handle", "organisations.party"])
          .orderBy("people.handle")
          .execute(),
        trx
          .selectFrom("obligations_acknowledgements")
          .select(["person_id", "party", "version", "language", "acknowledged_at"])
          .orderBy("acknowledged_at")
          .execute(),
      ]);
      const standing = people.map((p) => {
        const own = rows.filter((r) => r.person_id === p.id && r.party === p.party);
        const current = currentObligations(ctx.pack, p.party).version;
        const acknowledged = own.find((r) => r.version === current);
        return {
          personId: p.id,
          handle: p.handle,
          current,
          acknowledged: acknowledged
            ? { at: acknowledged.acknowledged_at, language: acknowledged.language }
            : null,
          lastVersion: own.at(-1)?.version ?? null,
        };
      });
      await recordDone(trx, ctx, actor, {
        type: "people.obligations-listed",
        outcome: "allowed",
        object: null,
        articles: ["A4.4"],
        data: { shown: standing.length, acknowledged: standing.filter((s) => s.acknowledged).length },
      });
      return standing;
    },
  );
}
