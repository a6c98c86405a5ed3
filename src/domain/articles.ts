/**
 * Rule IDs of the Kazakhstan–Armenia 2025 agreement, as numbered in
 * `agreement/REQUIREMENTS.md`: `D<n>` for the approving decree, `A<article>.<paragraph>` for the
 * agreement. Code, messages and tests cite these IDs.
 */
export const ARTICLE_IDS = [
  "D1",
  "D2",
  "D3",
  "D4",
  "A1.1",
  "A1.2",
  "A1.3",
  "A1.4",
  "A1.5",
  "A1.6",
  "A1.7",
  "A1.8",
  "A1.9",
  "A1.10",
  "A1.11",
  "A1.12",
  "A1.13",
  "A1.14",
  "A2.1",
  "A2.2",
  "A3.1",
  "A3.2",
  "A3.3",
  "A4.1.1",
  "A4.1.2",
  "A4.1.3",
  "A4.1.4",
  "A4.1.5",
  "A4.2",
  "A4.3",
  "A4.4",
  "A5.1",
  "A5.2",
  "A5.3",
  "A5.4",
  "A5.5",
  "A5.6",
  "A5.7",
  "A6.1",
  "A6.2",
  "A6.3",
  "A6.4",
  "A6.5",
  "A6.6",
  "A6.7",
  "A7.1",
  "A8.1",
  "A8.2",
  "A9.1",
  "A9.2",
  "A9.3",
  "A10",
  "A11.1",
  "A11.2",
  "A12",
  "A13",
  "A14",
  "A15.1",
  "A15.2",
  "A15.3",
] as const;

/** A rule ID of the agreement (e.g. `A6.5`). */
export type ArticleId = (typeof ARTICLE_IDS)[number];

/** True when `value` is a rule ID of the agreement. */
export function isArticleId(value: unknown): value is ArticleId {
  return typeof value === "string" && (ARTICLE_IDS as readonly string[]).includes(value);
}
