import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./locales/en.ts";
import { hy } from "./locales/hy.ts";
import { kk } from "./locales/kk.ts";
import { ru } from "./locales/ru.ts";

export const LANGUAGES = ["kk", "hy", "ru", "en"] as const;
export type Lang = (typeof LANGUAGES)[number];

/** Each language's own name, so a reader finds theirs whatever the current language. */
export const LANGUAGE_NAMES: Record<Lang, string> = {
  kk: "Қазақша",
  hy: "Հայերեն",
  ru: "Русский",
  en: "English",
};

/** BCP 47 locale per language, for dates and numbers. */
export const LOCALES: Record<Lang, string> = { kk: "kk-KZ", hy: "hy-AM", ru: "ru-RU", en: "en-GB" };

const STORAGE_KEY = "kelisim.lang";

export function storedLanguage(): Lang | undefined {
  const value = window.localStorage.getItem(STORAGE_KEY);
  return (LANGUAGES as readonly string[]).includes(value ?? "") ? (value as Lang) : undefined;
}

export function rememberLanguage(lang: Lang): void {
  window.localStorage.setItem(STORAGE_KEY, lang);
}

export async function initI18n(lang: Lang): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: {
      en: { translation: en },
      ru: { translation: ru },
      kk: { translation: kk },
      hy: { translation: hy },
    },
    lng: lang,
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    // One namespace; keys such as `source:copy` contain a colon.
    nsSeparator: false,
  });
  document.documentElement.lang = lang;
}

export function currentLang(): Lang {
  const lang = i18next.language;
  return (LANGUAGES as readonly string[]).includes(lang) ? (lang as Lang) : "en";
}

/**
 * Formats an ISO date-time in the user's locale: DD.MM.YYYY (and HH:MM) for Kazakh, Armenian and
 * Russian, as written in all three countries; DD/MM/YYYY for English. Built from the date's parts,
 * because browsers' ICU data for kk and hy is incomplete (some fall back to US month-first order).
 */
export function formatDate(iso: string | null | undefined, withTime = true): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, "0");
  const separator = currentLang() === "en" ? "/" : ".";
  const day = [pad(date.getDate()), pad(date.getMonth() + 1), String(date.getFullYear())].join(separator);
  return withTime ? `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}` : day;
}

/** A calendar day (YYYY-MM-DD, no zone: a Party's date) written as {@link formatDate} writes its day part. */
export function formatDay(day: string | null | undefined): string {
  if (!day) return "—";
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) return day;
  const separator = currentLang() === "en" ? "/" : ".";
  return [match[3], match[2], match[1]].join(separator);
}

/**
 * Article references (`A6.5`, `A4.1.1`, `D3`) as each language writes them: "6.5-бап",
 * "հոդ. 6.5", "ст. 6.5", several as one list ("6.5, 6.1-баптар"), the decree's points likewise;
 * English keeps the IDs of the requirements ("A6.5, A6.1"), as its texts cite them.
 */
export function formatArticles(ids: readonly string[], lang: Lang = currentLang()): string {
  if (lang === "en") return ids.join(", ");
  const numbers = (prefix: string) =>
    ids.filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length));
  const articles = numbers("A");
  const decree = numbers("D");
  const parts: string[] = [];
  if (articles.length > 0) parts.push(ARTICLE_FORMS[lang](articles.join(", "), articles.length > 1));
  if (decree.length > 0) parts.push(DECREE_FORMS[lang](decree.join(", "), decree.length > 1));
  const other = ids.filter((id) => !id.startsWith("A") && !id.startsWith("D"));
  return [...parts, ...other].join("; ");
}

const ARTICLE_FORMS: Record<Lang, (list: string, many: boolean) => string> = {
  kk: (list, many) => `${list}-${many ? "баптар" : "бап"}`,
  hy: (list) => `հոդ. ${list}`,
  ru: (list) => `ст. ${list}`,
  en: (list) => `A${list}`,
};

const DECREE_FORMS: Record<Lang, (list: string, many: boolean) => string> = {
  kk: (list, many) => `қаулының ${list}-${many ? "тармақтары" : "тармағы"}`,
  hy: (list) => `որոշման կետ ${list}`,
  ru: (list) => `п. ${list} постановления`,
  en: (list) => `D${list}`,
};

export default i18next;
