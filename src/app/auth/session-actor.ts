// The signed-in person as the API and the UI see them, loaded afresh on every request, so that a
// disabled account or a changed clearance counts from the next request. What they may do is decided
// by the use cases; this only says who they are (and, for the UI, their current clearance).
import type { Language } from "../../domain/language.ts";
import { isLanguage } from "../../domain/language.ts";
import { withTransaction } from "../../store/transaction.ts";
import { clearedRank } from "../access/visibility.ts";
import { loadActor } from "../actor.ts";
import type { AppContext } from "../context.ts";

export type SessionActor = {
  readonly personId: string;
  readonly username: string;
  readonly name: string;
  readonly organisationId: string;
  readonly organisationName: string;
  /** `competent-authority` or `authorized-body`. */
  readonly organisationKind: string;
  readonly party: string;
  readonly roles: readonly string[];
  /** The level the person may learn of now (valid personal and facility clearance), if any. */
  readonly clearanceLevel: string | null;
  readonly language: Language | null;
};

/** The person behind a live account, or undefined when the account or person is unknown or disabled. */
export async function loadSessionActor(
  ctx: AppContext,
  personId: string,
  account:
    | { readonly username: string; readonly disabled: boolean | number; readonly language: string | null }
    | undefined,
): Promise<SessionActor | undefined> {
  if (!account || account.disabled) return undefined;
  const actor = await withTransaction(ctx.db, (trx) => loadActor(trx, personId)).catch(() => undefined);
  if (!actor) return undefined;
  const rank = clearedRank(ctx, actor, ctx.now().toISOString());
  const level = ctx.pack.levels.filter((l) => l.rank <= rank).at(-1);
  return {
    personId: actor.personId,
    username: account.username,
    name: actor.name,
    organisationId: actor.organisation.id,
    organisationName: actor.organisation.name,
    organisationKind: actor.organisation.kind,
    party: actor.organisation.party,
    roles: [...actor.roles],
    clearanceLevel: rank > 0 ? (level?.id ?? null) : null,
    language: account.language !== null && isLanguage(account.language) ? account.language : null,
  };
}
