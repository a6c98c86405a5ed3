import { describe, expect, it } from "vitest";
import { en } from "../../web/src/locales/en.ts";
import { hy } from "../../web/src/locales/hy.ts";
import { kk } from "../../web/src/locales/kk.ts";
import { accountEvents, accountTexts, standingTexts } from "../../web/src/locales/people.ts";
import { ru } from "../../web/src/locales/ru.ts";

/** Every text of a nested object, by its dotted key. */
function leaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, prefix ? `${prefix}.${k}` : k),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** The article as each language cites it in these texts: A4.2, 4.2-бап, հոդ. 4.2, ст. 4.2. */
const CITES: Record<string, RegExp> = {
  en: /\bA(1\.11|4\.2)\b/,
  kk: /(1\.11|4\.2)(-бап|, [\d.]+-баптар)/,
  hy: /հոդ\. (1\.11|4\.2)/,
  ru: /ст\. (1\.11|4\.2)/,
};

describe("the People, Organisations and Account pages' texts (A1.11, A4.2) in kk, hy, ru and en", () => {
  for (const [name, texts] of Object.entries({ standing: standingTexts, account: accountTexts })) {
    const english = new Map(leaves(texts.en));
    for (const [language, own] of Object.entries(texts)) {
      it(`${name} ${language}: every text is there, not empty, with the placeholders of the English`, () => {
        const mine = new Map(leaves(own));
        expect([...mine.keys()].sort()).toEqual([...english.keys()].sort());
        for (const [key, text] of mine) {
          expect(text.trim(), key).not.toBe("");
          expect(placeholders(text), key).toEqual(placeholders(english.get(key) ?? ""));
          if (language !== "en") expect(text, key).not.toBe(english.get(key));
          // A text that cites an article in English cites it in the language's own way.
          if (CITES.en?.test(english.get(key) ?? "")) expect(text, key).toMatch(CITES[language] as RegExp);
        }
      });
    }
  }

  it("each locale file holds them under `standing`, `account` and the account events", () => {
    for (const [language, messages] of Object.entries({ en, kk, hy, ru })) {
      const lang = language as keyof typeof standingTexts;
      expect(messages.standing, language).toBe(standingTexts[lang]);
      expect(messages.account, language).toBe(accountTexts[lang]);
      for (const [event, label] of Object.entries(accountEvents[lang]))
        expect((messages.events as Record<string, string>)[event], `${language} ${event}`).toBe(label);
    }
  });
});
