import { describe, expect, it } from "vitest";
import { AGREEMENT_NOTICE_KINDS } from "../../src/app/agreement/agreement-types.ts";
import { AGREEMENT_STATUSES } from "../../src/domain/agreement/agreement-machine.ts";
import { agreementMessageKinds, agreementTexts } from "../../web/src/locales/agreement.ts";

/** Every text of a nested object, by its dotted key. */
function leaves(value: unknown, prefix = ""): [string, string][] {
  if (typeof value === "string") return [[prefix, value]];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    leaves(v, prefix ? `${prefix}.${k}` : k),
  );
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

/** The article as each language cites it: A15.2, 15.2-бап, հոդ. 15.2, ст. 15.2. */
const CITES: Record<string, (n: string) => RegExp> = {
  en: (n) => new RegExp(`A${n.replace(".", "\\.")}\\b`),
  kk: (n) => new RegExp(`${n.replace(".", "\\.")}(-бап|, [\\d.]+-баптар)|${n.replace(".", "\\.")}-баптар`),
  hy: (n) => new RegExp(`հոդ\\. ([\\d.]+, )*${n.replace(".", "\\.")}`),
  ru: (n) => new RegExp(`ст\\. ([\\d.]+, )*${n.replace(".", "\\.")}`),
};

describe("the agreement page's texts (A15) in kk, hy, ru and en", () => {
  const en = new Map(leaves(agreementTexts.en));

  for (const [language, texts] of Object.entries(agreementTexts)) {
    it(`${language}: every text is there, not empty, with the placeholders of the English`, () => {
      const own = new Map(leaves(texts));
      expect([...own.keys()].sort()).toEqual([...en.keys()].sort());
      for (const [key, text] of own) {
        expect(text.trim(), key).not.toBe("");
        expect(placeholders(text), key).toEqual(placeholders(en.get(key) ?? ""));
        if (language !== "en") expect(text, key).not.toBe(en.get(key));
      }
    });

    it(`${language}: every status and notice kind is named, citing its article`, () => {
      for (const status of AGREEMENT_STATUSES) {
        const article =
          status === "signed" || status === "partly-notified" || status === "in-force" ? "15.1" : "15.2";
        expect(texts.statuses[status], status).toMatch(CITES[language]!(article));
      }
      for (const kind of AGREEMENT_NOTICE_KINDS) {
        const article = kind === "procedures-completed" ? "15.1" : "15.2";
        expect(texts.kinds[kind], kind).toMatch(CITES[language]!(article));
      }
      expect(agreementMessageKinds[language as "en"]["agreement-notice"]).toMatch(CITES[language]!("15.1"));
    });
  }
});
