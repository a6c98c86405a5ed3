// The destruction certificate (A6.6; A1.8): the act a registry keeps, and sends to the originator
// with the destruction notice when the information was the other Party's. In the languages its
// reader needs: going to Kazakhstan in Kazakh and Russian, to Armenia in Armenian and Russian, kept
// at home in the node's language and Russian; English on request.
import type { Language } from "../../domain/language.ts";
import { type DocumentLine, renderTextDocument } from "./pdf-text.ts";

export type DestructionFacts = {
  /** The certificate's number: the holder Party, the carrier's number and copy (unique per destruction). */
  readonly number: string;
  /** When it was destroyed (ISO, UTC): the certificate's date. */
  readonly destroyedAt: string;
  readonly holder: { readonly party: string; readonly body: string };
  readonly registrationNumber: string;
  readonly copyNumber: number;
  /** The originator's reference, when the information is the other Party's (or came through it). */
  readonly originator: {
    readonly party: string;
    readonly body: string | null;
    readonly registrationNumber: string;
    readonly copyNumber: number;
  } | null;
  /** The carrier's marking in each Party's words (A2.2). */
  readonly markings: readonly { readonly party: string; readonly text: string }[];
  /** The originator's written permission it rests on (A6.6), null for the node's own information. */
  readonly consent: string | null;
  readonly method: "key-erasure" | "physical";
  /** The registry officer who destroyed it. */
  readonly officer: string;
  /** When the originator is notified (with this certificate), null when nobody is to be. */
  readonly notifiedAt: string | null;
};

type Labels = {
  title: string;
  agreement: string;
  date: string;
  holder: string;
  registration: string;
  copy: string;
  originator: string;
  originatorRef: string;
  markings: string;
  consent: string;
  noConsent: string;
  method: string;
  methods: Record<DestructionFacts["method"], string>;
  statement: string;
  officer: string;
  witness: string;
  signature: string;
  notified: string;
  notNotified: string;
  parties: Record<string, string>;
};

const LABELS: Record<Language, Labels> = {
  kk: {
    title: "ЖЕТКІЗГІШТІ ЖОЮ АКТІСІ",
    agreement:
      "Қазақстан Республикасының Үкіметі мен Армения Республикасының Үкіметі арасындағы құпия ақпаратты беру, пайдалану, қорғау және сақтау туралы келісім (2025), 6.6, 1.8-баптар",
    date: "Күні",
    holder: "Ұстаушы",
    registration: "Тіркеу нөмірі",
    copy: "дана",
    originator: "Бастапқы тарап",
    originatorRef: "Бастапқы тараптың тіркеу нөмірі",
    markings: "Құпиялылық белгілері",
    consent: "Бастапқы тараптың жазбаша рұқсаты",
    noConsent: "талап етілмейді (өз ақпараты)",
    method: "Жою тәсілі",
    methods: {
      "key-erasure": "мазмұн кілтін және шифрланған мазмұнды өшіру",
      physical: "физикалық жою",
    },
    statement: "Жеткізгіш жойылды; оны ішінара немесе толық қалпына келтіру мүмкін емес (1.8-бап).",
    officer: "Жойған тізілім қызметкері",
    witness: "Куәгер",
    signature: "Қолы",
    notified: "Бастапқы тарапқа хабарланды",
    notNotified: "— (өз жеткізгіші)",
    parties: { KZ: "Қазақстан Республикасы", AM: "Армения Республикасы" },
  },
  hy: {
    title: "ԿՐԻՉԻ ՈՉՆՉԱՑՄԱՆ ԱԿՏ",
    agreement:
      "Ղազախստանի Հանրապետության կառավարության և Հայաստանի Հանրապետության կառավարության միջև գաղտնի տեղեկատվության փոխանցման, օգտագործման, պաշտպանության և պահպանման մասին համաձայնագիր (2025), հոդ. 6.6, 1.8",
    date: "Ամսաթիվ",
    holder: "Պահառու",
    registration: "Գրանցման համար",
    copy: "օրինակ",
    originator: "Սկզբնաղբյուր",
    originatorRef: "Սկզբնաղբյուրի գրանցման համար",
    markings: "Գաղտնիության նշումներ",
    consent: "Սկզբնաղբյուրի գրավոր թույլտվություն",
    noConsent: "չի պահանջվում (սեփական տեղեկատվություն)",
    method: "Ոչնչացման եղանակ",
    methods: {
      "key-erasure": "բովանդակության բանալու և գաղտնագրված բովանդակության ոչնչացում",
      physical: "ֆիզիկական ոչնչացում",
    },
    statement: "Կրիչը ոչնչացված է, դրա մասնակի կամ ամբողջական վերականգնումն անհնար է (հոդ. 1.8)։",
    officer: "Ոչնչացրած գրանցամատյանի աշխատակից",
    witness: "Վկա",
    signature: "Ստորագրություն",
    notified: "Սկզբնաղբյուրը ծանուցվել է",
    notNotified: "— (սեփական կրիչ)",
    parties: { KZ: "Ղազախստանի Հանրապետություն", AM: "Հայաստանի Հանրապետություն" },
  },
  ru: {
    title: "АКТ ОБ УНИЧТОЖЕНИИ НОСИТЕЛЯ",
    agreement:
      "Соглашение между Правительством Республики Казахстан и Правительством Республики Армения о передаче, использовании, защите и сохранности секретной информации (2025), ст. 6.6, 1.8",
    date: "Дата",
    holder: "Держатель",
    registration: "Регистрационный номер",
    copy: "экз.",
    originator: "Источник",
    originatorRef: "Регистрационный номер источника",
    markings: "Грифы секретности",
    consent: "Письменное разрешение источника",
    noConsent: "не требуется (собственная информация)",
    method: "Способ уничтожения",
    methods: {
      "key-erasure": "уничтожение ключа содержимого и зашифрованного содержимого",
      physical: "физическое уничтожение",
    },
    statement: "Носитель уничтожен; его частичное или полное восстановление невозможно (ст. 1.8).",
    officer: "Уничтожил сотрудник регистратуры",
    witness: "Свидетель",
    signature: "Подпись",
    notified: "Источник уведомлён",
    notNotified: "— (собственный носитель)",
    parties: { KZ: "Республика Казахстан", AM: "Республика Армения" },
  },
  en: {
    title: "DESTRUCTION CERTIFICATE",
    agreement:
      "Agreement between the Government of the Republic of Kazakhstan and the Government of the Republic of Armenia on the transfer, use, protection and safeguarding of classified information (2025), A6.6, A1.8",
    date: "Date",
    holder: "Holder",
    registration: "Registration number",
    copy: "copy",
    originator: "Originator",
    originatorRef: "Originator's registration number",
    markings: "Classification markings",
    consent: "Originator's written permission",
    noConsent: "not required (own information)",
    method: "Method",
    methods: {
      "key-erasure": "erasure of the content key and of the encrypted content",
      physical: "physical destruction",
    },
    statement: "The carrier has been destroyed; its partial or full recovery is impossible (A1.8).",
    officer: "Destroyed by the registry officer",
    witness: "Witness",
    signature: "Signature",
    notified: "Originator notified",
    notNotified: "— (own carrier)",
    parties: { KZ: "Republic of Kazakhstan", AM: "Republic of Armenia" },
  },
};

/** The language a Party's documents are written in beside Russian. */
export function partyLanguage(party: string): Language {
  return party === "AM" ? "hy" : "kk";
}

/** The languages of a certificate for a reader in `readerParty`: theirs and Russian (A6.6). */
export function certificateLanguages(readerParty: string, english = false): Language[] {
  return [partyLanguage(readerParty), "ru", ...(english ? (["en"] as const) : [])];
}

/** DD.MM.YYYY HH:MM UTC, as the three countries write a date. */
function when(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}.${p(d.getUTCMonth() + 1)}.${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`;
}

/** The certificate's lines, one section per language in the order given, each on a page of its own. */
export function destructionCertificateLines(
  facts: DestructionFacts,
  languages: readonly Language[],
): DocumentLine[] {
  const lines: DocumentLine[] = [];
  for (const [i, lang] of languages.entries()) {
    const l = LABELS[lang];
    const party = (code: string) => l.parties[code] ?? code;
    lines.push(
      // Each language on a page of its own: a reader files the one they read.
      { text: `${l.title} № ${facts.number}`, heading: true, newPage: i > 0 },
      { text: l.agreement },
      { text: "" },
      { text: `${l.date}: ${when(facts.destroyedAt)}` },
      { text: `${l.holder}: ${facts.holder.body} (${party(facts.holder.party)})` },
      { text: `${l.registration}: ${facts.registrationNumber}, ${l.copy} ${facts.copyNumber}` },
      ...(facts.originator
        ? [
            {
              text: `${l.originator}: ${facts.originator.body ?? "—"} (${party(facts.originator.party)})`,
            },
            {
              text: `${l.originatorRef}: ${facts.originator.registrationNumber}, ${l.copy} ${facts.originator.copyNumber}`,
            },
          ]
        : []),
      {
        text: `${l.markings}: ${facts.markings.map((m) => `${m.text} (${party(m.party)})`).join("; ")}`,
      },
      { text: `${l.consent}: ${facts.consent ?? l.noConsent}` },
      { text: `${l.method}: ${l.methods[facts.method]}` },
      { text: l.statement },
      { text: "" },
      { text: `${l.officer}: ${facts.officer}    ${l.signature}: ____________________` },
      { text: `${l.witness}: ____________________    ${l.signature}: ____________________` },
      { text: `${l.notified}: ${facts.notifiedAt ? when(facts.notifiedAt) : l.notNotified}` },
    );
  }
  return lines;
}

/** The certificate as a PDF (A6.6): {@link destructionCertificateLines} drawn on A4. */
export async function renderDestructionCertificate(
  facts: DestructionFacts,
  languages: readonly Language[],
): Promise<Uint8Array> {
  return renderTextDocument({
    title: `${LABELS[languages[0] ?? "en"].title} № ${facts.number}`,
    createdAt: new Date(facts.destroyedAt),
    lines: destructionCertificateLines(facts, languages),
  });
}
