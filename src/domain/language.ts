/** The languages Kelisim speaks: the agreement's three authentic languages and English (working). */
export const LANGUAGES = ["kk", "hy", "ru", "en"] as const;

/** One of the four languages: Kazakh, Armenian, Russian, English. */
export type Language = (typeof LANGUAGES)[number];

/** Text given in every language. */
export type LocalizedText = Readonly<Record<Language, string>>;

/** True when `value` is one of the four languages. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value);
}
