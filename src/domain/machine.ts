/**
 * Shared shape of the agreement's state machines. Each machine exports its status union, its
 * event union (discriminated by `type`), a table of allowed transitions (for tests and for the
 * UI to show what is possible) and `transition(state, event, ctx) → { state, articles }`,
 * throwing DomainError on a refusal. States and events are plain readonly JSON data.
 */
import type { ArticleId } from "./articles.ts";
import { DomainError } from "./errors.ts";

/** One allowed transition: `event` in status `from` leads to status `to`, enforcing `articles`. */
export type TransitionRule<S extends string, E extends string> = {
  readonly from: S;
  readonly event: E;
  readonly to: S;
  readonly articles: readonly ArticleId[];
};

/** The result of a transition: the new state and the articles applied. */
export type TransitionResult<T> = { readonly state: T; readonly articles: readonly ArticleId[] };

/**
 * The rule for `event` in status `from`, or TRANSITION_FORBIDDEN citing `machineArticles`.
 * @throws DomainError TRANSITION_FORBIDDEN
 */
export function findRule<S extends string, E extends string>(
  machine: string,
  rules: readonly TransitionRule<S, E>[],
  from: S,
  event: E,
  machineArticles: readonly ArticleId[],
): TransitionRule<S, E> {
  const rule = rules.find((r) => r.from === from && r.event === event);
  if (!rule) {
    throw new DomainError(
      "TRANSITION_FORBIDDEN",
      { machine, state: from, event },
      { articles: machineArticles },
    );
  }
  return rule;
}

/** The events allowed in status `from` (e.g. to show the buttons that would succeed). */
export function allowedEvents<S extends string, E extends string>(
  rules: readonly TransitionRule<S, E>[],
  from: S,
): readonly E[] {
  return [...new Set(rules.filter((r) => r.from === from).map((r) => r.event))];
}

/** Distinct articles, in first-seen order. */
export function uniqueArticles(...lists: readonly (readonly ArticleId[])[]): readonly ArticleId[] {
  return [...new Set(lists.flat())];
}
