/**
 * A9.2: the items of a visit request, named in each language, so that a refusal for a missing item
 * (VISIT_REQUEST_INCOMPLETE) reads "visitor 2: passport series and number" rather than the
 * machine path `visitors[1].passport` that API clients receive in the error's details.
 */
import type { Language } from "../language.ts";

type Names = Readonly<Record<Language, string>>;

/** The items of the request itself (A9.2), keyed as the machine paths name them. */
const REQUEST_ITEMS: Readonly<Record<string, Names>> = {
  visitors: { kk: "келушілер", hy: "այցելուներ", ru: "посетители", en: "visitors" },
  purpose: { kk: "сапардың мақсаты", hy: "այցի նպատակը", ru: "цель визита", en: "purpose of the visit" },
  topics: { kk: "талқыланатын тақырыптар", hy: "քննարկվող թեմաներ", ru: "обсуждаемые темы", en: "topics" },
  bodiesToVisit: {
    kk: "баратын ұйымдар",
    hy: "այցելվող կազմակերպություններ",
    ru: "посещаемые организации",
    en: "bodies to visit",
  },
  peopleToMeet: {
    kk: "кездесетін адамдар",
    hy: "հանդիպման անձինք",
    ru: "лица для встречи",
    en: "people to meet",
  },
  recurrence: { kk: "қайталану тәртібі", hy: "կրկնության կարգը", ru: "периодичность", en: "recurrence" },
  amends: {
    kk: "өзгертілетін сұрау",
    hy: "փոփոխվող հայցը",
    ru: "изменяемый запрос",
    en: "the request amended",
  },
};

/** The fields of one visitor, one topic or one person to meet. */
const FIELDS: Readonly<Record<string, Names>> = {
  person: { kk: "тұлға", hy: "անձը", ru: "лицо", en: "person" },
  surname: { kk: "тегі", hy: "ազգանունը", ru: "фамилия", en: "surname" },
  name: { kk: "аты", hy: "անունը", ru: "имя", en: "name" },
  birthDate: { kk: "туған күні", hy: "ծննդյան ամսաթիվը", ru: "дата рождения", en: "date of birth" },
  birthPlace: { kk: "туған жері", hy: "ծննդավայրը", ru: "место рождения", en: "place of birth" },
  citizenship: { kk: "азаматтығы", hy: "քաղաքացիությունը", ru: "гражданство", en: "citizenship" },
  passport: {
    kk: "паспорттың сериясы мен нөмірі",
    hy: "անձնագրի սերիան և համարը",
    ru: "серия и номер паспорта",
    en: "passport series and number",
  },
  position: { kk: "лауазымы", hy: "պաշտոնը", ru: "должность", en: "position" },
  body: {
    kk: "уәкілетті органы",
    hy: "լիազորված մարմինը",
    ru: "уполномоченный орган",
    en: "authorized body",
  },
  clearance: { kk: "рұқсаты", hy: "թույլտվությունը", ru: "допуск", en: "clearance" },
  level: { kk: "құпиялылық дәрежесі", hy: "գաղտնիության աստիճանը", ru: "степень секретности", en: "level" },
};

/** "visitor 2", "topic 1", "person to meet 3": the one a field belongs to, numbered from 1. */
const OWNERS: Readonly<Record<string, Readonly<Record<Language, (n: number) => string>>>> = {
  visitors: {
    kk: (n) => `${n}-келуші`,
    hy: (n) => `այցելու ${n}`,
    ru: (n) => `посетитель ${n}`,
    en: (n) => `visitor ${n}`,
  },
  topics: {
    kk: (n) => `${n}-тақырып`,
    hy: (n) => `թեմա ${n}`,
    ru: (n) => `тема ${n}`,
    en: (n) => `topic ${n}`,
  },
  peopleToMeet: {
    kk: (n) => `${n}-кездесетін адам`,
    hy: (n) => `հանդիպման անձ ${n}`,
    ru: (n) => `лицо для встречи ${n}`,
    en: (n) => `person to meet ${n}`,
  },
};

const PATH = /^([A-Za-z]+)(?:\[(\d+)\])?(?:\.([A-Za-z]+))?$/;

/**
 * The item a machine path (`purpose`, `visitors[1].passport`) names, in `lang`; a path this table
 * does not know is returned as it stands, so nothing missing is ever hidden.
 */
export function describeVisitItem(path: string, lang: Language): string {
  const m = PATH.exec(path);
  if (!m) return path;
  const [, item = "", index, field] = m;
  if (index === undefined && field === undefined) return REQUEST_ITEMS[item]?.[lang] ?? path;
  const owner = OWNERS[item]?.[lang];
  const fieldName = field === undefined ? undefined : FIELDS[field]?.[lang];
  if (!owner || index === undefined || (field !== undefined && !fieldName)) return path;
  const who = owner(Number(index) + 1);
  return fieldName ? `${who}: ${fieldName}` : who;
}
