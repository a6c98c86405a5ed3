// What is wrong with a request's input, in the user's language: the zod issues the route validator
// found (fastify-type-provider-zod keeps each issue's code and parameters), written in kk, hy, ru or
// en. zod's own locales lack Kazakh and, without the input value, say "received undefined"; so the
// few issue kinds a form can produce are written here, and anything else keeps zod's English.
import type { Language } from "../../domain/language.ts";

/** A zod issue as the validator hands it on: its code and parameters (`minimum`, `values`, …). */
export type InputIssue = {
  readonly code: string;
  readonly path: string;
  readonly message: string;
  readonly params: Readonly<Record<string, unknown>>;
};

type Unit = "chars" | "items" | "value";

type Texts = {
  readonly types: Readonly<Record<string, string>>;
  readonly expected: (type: string) => string;
  readonly atLeast: (n: number, unit: Unit) => string;
  readonly atMost: (n: number, unit: Unit) => string;
  readonly oneOf: (values: string) => string;
  readonly format: (format: string) => string;
  readonly unknownKeys: (keys: string) => string;
  readonly invalid: string;
};

const englishUnit = (n: number, unit: Unit) =>
  unit === "value" ? "" : ` ${unit === "chars" ? "character" : "item"}${n === 1 ? "" : "s"}`;

/** After «не менее/не более N» the genitive: 1, 21 … символа; otherwise символов. */
const russianUnit = (n: number, unit: Unit) => {
  if (unit === "value") return "";
  const one = n % 10 === 1 && n % 100 !== 11;
  return unit === "chars" ? (one ? " символа" : " символов") : one ? " элемента" : " элементов";
};

const TEXTS: Record<Language, Texts> = {
  en: {
    types: {
      string: "text",
      number: "a number",
      boolean: "true or false",
      object: "an object",
      array: "a list",
    },
    expected: (type) => `expected ${type}`,
    atLeast: (n, unit) => `at least ${n}${englishUnit(n, unit)}`,
    atMost: (n, unit) => `at most ${n}${englishUnit(n, unit)}`,
    oneOf: (values) => `one of ${values}`,
    format: (format) => `not a valid ${format}`,
    unknownKeys: (keys) => `unknown field(s): ${keys}`,
    invalid: "invalid value",
  },
  ru: {
    types: { string: "текст", number: "число", boolean: "да или нет", object: "объект", array: "список" },
    expected: (type) => `ожидается ${type}`,
    atLeast: (n, unit) => `не менее ${n}${russianUnit(n, unit)}`,
    atMost: (n, unit) => `не более ${n}${russianUnit(n, unit)}`,
    oneOf: (values) => `одно из значений ${values}`,
    format: (format) => `неверный формат (${format})`,
    unknownKeys: (keys) => `неизвестные поля: ${keys}`,
    invalid: "недопустимое значение",
  },
  kk: {
    types: { string: "мәтін", number: "сан", boolean: "иә немесе жоқ", object: "объект", array: "тізім" },
    expected: (type) => `${type} күтіледі`,
    atLeast: (n, unit) =>
      unit === "chars" ? `кемінде ${n} таңба` : unit === "items" ? `кемінде ${n} элемент` : `кемінде ${n}`,
    atMost: (n, unit) =>
      unit === "chars" ? `ең көбі ${n} таңба` : unit === "items" ? `ең көбі ${n} элемент` : `ең көбі ${n}`,
    oneOf: (values) => `мына мәндердің бірі: ${values}`,
    format: (format) => `пішімі дұрыс емес (${format})`,
    unknownKeys: (keys) => `белгісіз өрістер: ${keys}`,
    invalid: "жарамсыз мән",
  },
  hy: {
    types: { string: "տեքստ", number: "թիվ", boolean: "այո կամ ոչ", object: "օբյեկտ", array: "ցուցակ" },
    expected: (type) => `սպասվում է ${type}`,
    atLeast: (n, unit) =>
      unit === "chars" ? `առնվազն ${n} նիշ` : unit === "items" ? `առնվազն ${n} տարր` : `առնվազն ${n}`,
    atMost: (n, unit) =>
      unit === "chars"
        ? `առավելագույնը ${n} նիշ`
        : unit === "items"
          ? `առավելագույնը ${n} տարր`
          : `առավելագույնը ${n}`,
    oneOf: (values) => `հետևյալներից մեկը՝ ${values}`,
    format: (format) => `սխալ ձևաչափ (${format})`,
    unknownKeys: (keys) => `անհայտ դաշտեր՝ ${keys}`,
    invalid: "անթույլատրելի արժեք",
  },
};

const unitOf = (origin: unknown): Unit =>
  origin === "string" ? "chars" : origin === "array" || origin === "set" ? "items" : "value";

/** One issue's problem in `lang`: what the field must be. */
export function describeInputIssue(issue: InputIssue, lang: Language): string {
  const t = TEXTS[lang];
  const p = issue.params;
  switch (issue.code) {
    case "invalid_type": {
      const expected = String(p.expected ?? "");
      return t.expected(t.types[expected] ?? expected);
    }
    case "too_small":
      return typeof p.minimum === "number" || typeof p.minimum === "bigint"
        ? t.atLeast(Number(p.minimum), unitOf(p.origin))
        : t.invalid;
    case "too_big":
      return typeof p.maximum === "number" || typeof p.maximum === "bigint"
        ? t.atMost(Number(p.maximum), unitOf(p.origin))
        : t.invalid;
    case "invalid_value":
      return Array.isArray(p.values) ? t.oneOf(p.values.map((v) => JSON.stringify(v)).join(", ")) : t.invalid;
    case "invalid_format":
      return t.format(String(p.format ?? ""));
    case "unrecognized_keys":
      return Array.isArray(p.keys) ? t.unknownKeys(p.keys.join(", ")) : t.invalid;
    default:
      return lang === "en" ? issue.message : t.invalid;
  }
}

/** The issues as one problem text: `title: at least 1 characters; level: …` in `lang`. */
export function describeInputIssues(issues: readonly InputIssue[], field: string, lang: Language): string {
  return issues.map((i) => `${i.path || field}: ${describeInputIssue(i, lang)}`).join("; ");
}
