/**
 * The one catalogue of refusals and errors. Each code names the articles it enforces and has its
 * message in kk, hy, ru, en. Messages are templates: `{name}` is replaced by `details.name`.
 * A retired code is never reused (the API and audit log keep codes forever).
 */
import type { ArticleId } from "./articles.ts";
import { isArticleId } from "./articles.ts";
import type { Language, LocalizedText } from "./language.ts";
import { describeVisitItem } from "./visit/visit-items.ts";

/**
 * What kind of failure a code is; the CLI maps it to an exit code and the API to an HTTP status.
 * `refusal`: a rule of the agreement said no. `not-found`: nothing to show (or nothing the user may
 * learn about). `conflict`: a replay with other content, or a name already taken.
 * `invalid`: malformed input.
 * `unauthenticated`: who you are is not established. `integrity`: data was damaged or altered.
 * `configuration`: the node's own data (an agreement pack) is broken. `unavailable`: the store
 * cannot guarantee the write.
 */
export type ErrorKind =
  | "refusal"
  | "not-found"
  | "conflict"
  | "invalid"
  | "unauthenticated"
  | "integrity"
  | "configuration"
  | "unavailable";

/** One entry of the catalogue. */
export type ErrorCatalogueEntry = {
  readonly kind: ErrorKind;
  readonly articles: readonly ArticleId[];
  /** When the code fires. */
  readonly comment: string;
  readonly messages: LocalizedText;
};

/** A JSON value: details of errors are plain data so they can be stored, logged and sent. */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue };

/** Details of a DomainError: plain JSON-serializable data, also used to fill message templates. */
export type ErrorDetails = { readonly [k: string]: JsonValue };

const CATALOGUE = {
  /** An agreement pack directory or one of its files does not exist. */
  PACK_NOT_FOUND: {
    kind: "configuration",
    articles: [],
    comment: "An agreement pack directory or one of its files does not exist.",
    messages: {
      kk: "{agreement} келісім пакеті табылмады ({file})",
      hy: "{agreement} համաձայնագրի փաթեթը չի գտնվել ({file})",
      ru: "пакет соглашения {agreement} не найден ({file})",
      en: "agreement pack {agreement} not found ({file})",
    },
  },
  /** An agreement pack fails its schema or a cross-check (missing level, duplicate rank, level with no equivalent, unknown language…). */
  PACK_INVALID: {
    kind: "configuration",
    articles: [],
    comment:
      "An agreement pack fails its schema or a cross-check (missing level, duplicate rank, level with no equivalent, unknown language…).",
    messages: {
      kk: "{agreement} келісім пакеті қабылданбады: {file}: {field}: {problem}",
      hy: "{agreement} համաձայնագրի փաթեթը մերժված է։ {file}: {field}: {problem}",
      ru: "пакет соглашения {agreement} отклонён: {file}: {field}: {problem}",
      en: "agreement pack {agreement} is refused: {file}: {field}: {problem}",
    },
  },
  /** An argument is malformed (a date, a duration, an identifier); nothing was changed. */
  INPUT_INVALID: {
    kind: "invalid",
    articles: [],
    comment: "An argument is malformed (a date, a duration, an identifier); nothing was changed.",
    messages: {
      kk: "енгізілген деректер қате: {field}: {problem}",
      hy: "սխալ մուտքային տվյալներ։ {field}: {problem}",
      ru: "неверные входные данные: {field}: {problem}",
      en: "invalid input: {field}: {problem}",
    },
  },
  /** A language code other than kk, hy, ru, en was asked for. */
  LANGUAGE_UNKNOWN: {
    kind: "invalid",
    articles: [],
    comment: "A language code other than kk, hy, ru, en was asked for.",
    messages: {
      kk: "белгісіз тіл «{language}»: kk, hy, ru немесе en қолданыңыз",
      hy: "անհայտ լեզու «{language}»։ օգտագործեք kk, hy, ru կամ en",
      ru: "неизвестный язык «{language}»: используйте kk, hy, ru или en",
      en: "unknown language “{language}”: use kk, hy, ru or en",
    },
  },
  /** A file or folder named on the command line (or one the node uses) does not exist; nothing was changed. */
  FILE_NOT_FOUND: {
    kind: "invalid",
    articles: [],
    comment:
      "A file or folder named on the command line (or one the node uses) does not exist; nothing was changed.",
    messages: {
      kk: "«{file}» файлы немесе қалтасы жоқ",
      hy: "«{file}» ֆայլը կամ թղթապանակը գոյություն չունի",
      ru: "файл или папка «{file}» не существует",
      en: "the file or folder “{file}” does not exist",
    },
  },
  /** A file exists but cannot be opened, read or written (permissions, a folder, an I/O error); nothing was changed. */
  FILE_INACCESSIBLE: {
    kind: "invalid",
    articles: [],
    comment:
      "A file exists but cannot be opened, read or written (permissions, a folder, an I/O error); `reason` is the system's error code (EACCES, EISDIR…).",
    messages: {
      kk: "«{file}» файлына қол жеткізу мүмкін емес ({reason})",
      hy: "«{file}» ֆայլը հասանելի չէ ({reason})",
      ru: "нет доступа к файлу «{file}» ({reason})",
      en: "the file “{file}” cannot be accessed ({reason})",
    },
  },
  /** A port the command is to listen on is taken by another program; nothing was created. */
  PORT_IN_USE: {
    kind: "invalid",
    articles: [],
    comment:
      "A port the command is to listen on (`kelisim demo`: a node's HTTP port or its exchange port) is taken by another program; checked before anything is created, so nothing was.",
    messages: {
      kk: "{host}:{port} порты бос емес ({use}); ештеңе жасалмады. Басқа порттарды таңдаңыз: {hint}",
      hy: "{host}:{port} պորտն արդեն զբաղված է ({use})։ ոչինչ չի ստեղծվել։ ընտրեք այլ պորտեր՝ {hint}",
      ru: "порт {host}:{port} уже занят ({use}); ничего не создано. Выберите другие порты: {hint}",
      en: "port {host}:{port} is already in use ({use}); nothing was created. Choose other ports: {hint}",
    },
  },
  /** A person's handle differs only in letter case from one already registered: one handle, one person (A4.2). */
  PERSON_HANDLE_TAKEN: {
    kind: "conflict",
    articles: ["A4.2"],
    comment:
      "A person is registered with a handle that is taken, also when it differs only in letter case (`alice`, `ALICE`): access is decided and audited per person, so a handle names exactly one.",
    messages: {
      kk: "«{handle}» атауы бос емес («{taken}»): атаулар әріп регистріне қарамастан бірегей",
      hy: "«{handle}» անունն արդեն զբաղված է («{taken}»)։ անունները եզակի են՝ անկախ մեծատառերից և փոքրատառերից",
      ru: "имя «{handle}» уже занято («{taken}»): имена уникальны без учёта регистра букв",
      en: "the handle “{handle}” is taken (“{taken}”): handles are unique regardless of letter case",
    },
  },
  /** A Party code is not one of the agreement's two Parties. */
  PARTY_UNKNOWN: {
    kind: "refusal",
    articles: ["A3.1"],
    comment: "A Party code is not one of the agreement's two Parties.",
    messages: {
      kk: "«{party}» осы келісімнің Тарапы емес (Тараптар: {parties})",
      hy: "«{party}»-ը այս համաձայնագրի Կողմ չէ (Կողմեր՝ {parties})",
      ru: "«{party}» не является Стороной этого соглашения (Стороны: {parties})",
      en: "“{party}” is not a Party to this agreement (Parties: {parties})",
    },
  },
  /** A marking text is not one of the Party's markings in the A2.1 table; no level is ever assumed. */
  MARKING_UNKNOWN: {
    kind: "refusal",
    articles: ["A2.1"],
    comment: "A marking text is not one of the Party's markings in the A2.1 table; no level is ever assumed.",
    messages: {
      kk: "«{marking}» осы келісім бойынша {party} құпиялылық белгісі емес; ешқандай дәреже болжанбайды",
      hy: "«{marking}»-ը այս համաձայնագրով {party}-ի գաղտնիության նշագիր չէ։ ոչ մի աստիճան չի ենթադրվում",
      ru: "«{marking}» не является грифом секретности {party} по этому соглашению; степень не предполагается",
      en: "“{marking}” is not a classification marking of {party} under this agreement; no level is assumed",
    },
  },
  /** A level (id or rank) is not in the A2.1 table, or has no equivalent for the other Party. */
  LEVEL_UNKNOWN: {
    kind: "refusal",
    articles: ["A2.1"],
    comment: "A level (id or rank) is not in the A2.1 table, or has no equivalent for the other Party.",
    messages: {
      kk: "«{level}» осы келісім бойынша баламасы бар құпиялылық дәрежесі емес",
      hy: "«{level}»-ը այս համաձայնագրով համարժեք ունեցող գաղտնիության աստիճան չէ",
      ru: "«{level}» не является степенью секретности, имеющей эквивалент по этому соглашению",
      en: "“{level}” is not a classification level with an equivalent under this agreement",
    },
  },
  /** A received carrier's national marking is not the equivalent of the level the sending Party set. */
  MARKING_NOT_EQUIVALENT: {
    kind: "refusal",
    articles: ["A2.2", "A6.1"],
    comment:
      "A received carrier's national marking is not the equivalent of the level the sending Party set.",
    messages: {
      kk: "ұлттық белгі жөнелтуші белгілеген дәрежеге баламалы болуы тиіс ({expected}), {actual} емес",
      hy: "ազգային նշագիրը պետք է համարժեք լինի ուղարկողի սահմանած աստիճանին ({expected}), ոչ թե {actual}",
      ru: "национальный гриф должен быть равнозначен степени, установленной отправителем ({expected}), а не {actual}",
      en: "the national marking must be the equivalent of the originator's level ({expected}), not {actual}",
    },
  },
  /** Derived information is given a level lower than the highest of its sources. */
  MARKING_BELOW_SOURCE: {
    kind: "refusal",
    articles: ["A6.1"],
    comment: "Derived information is given a level lower than the highest of its sources.",
    messages: {
      kk: "туынды мәліметтер ең жоғары дереккөзінен төмен емес белгімен белгіленуі тиіс ({required})",
      hy: "ածանցյալ տեղեկությունները պետք է նշագրվեն ոչ ցածր, քան դրանց ամենաբարձր աղբյուրը ({required})",
      ru: "производные сведения должны иметь гриф не ниже высшего из источников ({required})",
      en: "derived information must be marked no lower than its highest source ({required})",
    },
  },
  /** A level or marking change of received information is attempted without the providing body's written consent. */
  MARKING_CHANGE_NEEDS_CONSENT: {
    kind: "refusal",
    articles: ["A4.1.2", "A6.3"],
    comment:
      "A level or marking change of received information is attempted without the providing body's written consent.",
    messages: {
      kk: "алынған мәліметтердің дәрежесі немесе белгісі тек берген органның жазбаша келісімімен өзгертіледі",
      hy: "ստացված տեղեկությունների աստիճանը կամ նշագիրը փոխվում է միայն տրամադրող մարմնի գրավոր համաձայնությամբ",
      ru: "степень секретности или гриф полученных сведений изменяются только с письменного согласия передавшего органа",
      en: "the level or marking of received information changes only with the providing body's written consent",
    },
  },
  /** The level of jointly created information is changed without both Parties' agreement. */
  MARKING_CHANGE_NEEDS_MUTUAL_AGREEMENT: {
    kind: "refusal",
    articles: ["A6.3"],
    comment: "The level of jointly created information is changed without both Parties' agreement.",
    messages: {
      kk: "бірлесіп түзілген мәліметтердің дәрежесі тек өзара келісім бойынша белгіленеді немесе өзгертіледі",
      hy: "համատեղ ստեղծված տեղեկությունների աստիճանը սահմանվում կամ փոխվում է միայն փոխադարձ համաձայնությամբ",
      ru: "степень секретности совместно созданных сведений устанавливается или изменяется только по взаимному согласию",
      en: "the level of jointly created information is set or changed only by mutual agreement",
    },
  },
  /** A copy of a received carrier is made without the providing body's written consent. */
  COPY_NEEDS_CONSENT: {
    kind: "refusal",
    articles: ["A6.5"],
    comment: "A copy of a received carrier is made without the providing body's written consent.",
    messages: {
      kk: "көшірме жасау тек берген органның жазбаша келісімімен жүргізіледі",
      hy: "պատճենումը թույլատրվում է միայն տրամադրող մարմնի գրավոր համաձայնությամբ",
      ru: "копирование допускается только с письменного согласия передавшего органа",
      en: "copying needs the providing body's written consent",
    },
  },
  /** A translation of a received carrier is made without the providing body's written consent. */
  TRANSLATION_NEEDS_CONSENT: {
    kind: "refusal",
    articles: ["A6.5"],
    comment: "A translation of a received carrier is made without the providing body's written consent.",
    messages: {
      kk: "аударма тек берген органның жазбаша келісімімен жасалады",
      hy: "թարգմանությունը թույլատրվում է միայն տրամադրող մարմնի գրավոր համաձայնությամբ",
      ru: "перевод допускается только с письменного согласия передавшего органа",
      en: "translation needs the providing body's written consent",
    },
  },
  /** A received carrier is declassified without the providing body's agreement. */
  DECLASSIFICATION_NEEDS_AGREEMENT: {
    kind: "refusal",
    articles: ["A6.4", "A1.7"],
    comment: "A received carrier is declassified without the providing body's agreement.",
    messages: {
      kk: "құпиясыздандыру тек берген органмен келісім бойынша жүргізіледі",
      hy: "գաղտնազերծումը թույլատրվում է միայն տրամադրող մարմնի համաձայնությամբ",
      ru: "рассекречивание допускается только по согласованию с передавшим органом",
      en: "declassification needs the providing body's agreement",
    },
  },
  /** A received carrier is destroyed without the providing body's written permission. */
  DESTRUCTION_NEEDS_PERMISSION: {
    kind: "refusal",
    articles: ["A6.6", "A1.8"],
    comment: "A received carrier is destroyed without the providing body's written permission.",
    messages: {
      kk: "жою тек берген органның жазбаша рұқсатымен жүргізіледі",
      hy: "ոչնչացումը թույլատրվում է միայն տրամադրող մարմնի գրավոր թույլտվությամբ",
      ru: "уничтожение допускается только с письменного разрешения передавшего органа",
      en: "destruction needs the providing body's written permission",
    },
  },
  /** A received carrier is returned without the providing body's written permission. */
  RETURN_NEEDS_PERMISSION: {
    kind: "refusal",
    articles: ["A6.6"],
    comment: "A received carrier is returned without the providing body's written permission.",
    messages: {
      kk: "қайтару тек берген органның жазбаша рұқсатымен жүргізіледі",
      hy: "վերադարձը թույլատրվում է միայն տրամադրող մարմնի գրավոր թույլտվությամբ",
      ru: "возврат допускается только с письменного разрешения передавшего органа",
      en: "return needs the providing body's written permission",
    },
  },
  /** Information is to be given to a third party without the other Party's prior written consent. */
  THIRD_PARTY_NEEDS_CONSENT: {
    kind: "refusal",
    articles: ["A4.1.5"],
    comment: "Information is to be given to a third party without the other Party's prior written consent.",
    messages: {
      kk: "үшінші тарапқа беру тек екінші Тараптың алдын ала жазбаша келісімімен жүргізіледі",
      hy: "երրորդ կողմին փոխանցումը թույլատրվում է միայն մյուս Կողմի նախնական գրավոր համաձայնությամբ",
      ru: "передача третьей стороне допускается только с предварительного письменного согласия другой Стороны",
      en: "release to a third party needs the other Party's prior written consent",
    },
  },
  /** A consent is presented that is not granted, is expired or withdrawn, or names another carrier or action. */
  CONSENT_INVALID: {
    kind: "refusal",
    articles: ["A6.7"],
    comment:
      "A consent is presented that is not granted, is expired or withdrawn, or names another carrier or action.",
    messages: {
      kk: "ұсынылған жазбаша келісім осы әрекетке қолданылмайды ({reason})",
      hy: "ներկայացված գրավոր համաձայնությունը չի տարածվում այս գործողության վրա ({reason})",
      ru: "представленное письменное согласие не распространяется на это действие ({reason})",
      en: "the written consent presented does not cover this action ({reason})",
    },
  },
  /** An event is not allowed in the current state of a state machine; the error carries the machine's articles. */
  TRANSITION_FORBIDDEN: {
    kind: "refusal",
    articles: [],
    comment:
      "An event is not allowed in the current state of a state machine; the error carries the machine's articles.",
    messages: {
      kk: "{machine}: «{state}» күйінде «{event}» әрекетіне жол берілмейді",
      hy: "{machine}։ «{event}» գործողությունը թույլատրված չէ «{state}» վիճակում",
      ru: "{machine}: действие «{event}» недопустимо в состоянии «{state}»",
      en: "{machine}: “{event}” is not allowed in state “{state}”",
    },
  },
  /** A carrier does not exist OR the user may not learn that it exists (same answer in both cases). */
  CARRIER_NOT_FOUND: {
    kind: "not-found",
    articles: ["A4.2"],
    comment: "A carrier does not exist OR the user may not learn that it exists (same answer in both cases).",
    messages: {
      kk: "жеткізгіш табылмады",
      hy: "կրիչը չի գտնվել",
      ru: "носитель не найден",
      en: "no such carrier",
    },
  },
  /** An access decision refused; details.failures lists every failed condition with its articles. */
  ACCESS_DENIED: {
    kind: "refusal",
    articles: ["A4.2"],
    comment: "An access decision refused; details.failures lists every failed condition with its articles.",
    messages: {
      kk: "қол жеткізуге рұқсат берілмеді: {reasons}",
      hy: "մուտքը մերժված է։ {reasons}",
      ru: "в доступе отказано: {reasons}",
      en: "access refused: {reasons}",
    },
  },
  /** Access condition: the person holds no personal clearance. */
  ACCESS_CLEARANCE_MISSING: {
    kind: "refusal",
    articles: ["A4.2", "A1.11"],
    comment: "Access condition: the person holds no personal clearance.",
    messages: {
      kk: "тұлғаның рұқсаты жоқ",
      hy: "անձը թույլտվություն չունի",
      ru: "у лица нет допуска",
      en: "the person holds no clearance",
    },
  },
  /** Access condition: the person's clearance is below the carrier's level (no read-up). */
  ACCESS_CLEARANCE_TOO_LOW: {
    kind: "refusal",
    articles: ["A4.2", "A1.11"],
    comment: "Access condition: the person's clearance is below the carrier's level (no read-up).",
    messages: {
      kk: "тұлғаның рұқсаты ({held}) жеткізгіштің дәрежесінен ({required}) төмен",
      hy: "անձի թույլտվությունը ({held}) ցածր է կրիչի աստիճանից ({required})",
      ru: "допуск лица ({held}) ниже степени секретности носителя ({required})",
      en: "the person's clearance ({held}) is below the carrier's level ({required})",
    },
  },
  /** Access condition: the person's clearance is not yet or no longer valid at the decision time. */
  ACCESS_CLEARANCE_EXPIRED: {
    kind: "refusal",
    articles: ["A4.2", "A1.11"],
    comment: "Access condition: the person's clearance is not yet or no longer valid at the decision time.",
    messages: {
      kk: "тұлғаның рұқсаты {at} уақытында жарамсыз",
      hy: "անձի թույլտվությունը վավեր չէ {at} պահին",
      ru: "допуск лица не действителен на {at}",
      en: "the person's clearance is not valid at {at}",
    },
  },
  /** Access condition: the person's authorized body holds no facility clearance. */
  ACCESS_FACILITY_CLEARANCE_MISSING: {
    kind: "refusal",
    articles: ["A1.11", "A1.9"],
    comment: "Access condition: the person's authorized body holds no facility clearance.",
    messages: {
      kk: "тұлғаның уәкілетті органының құпия мәліметтермен жұмыс істеуге рұқсаты жоқ",
      hy: "անձի լիազորված մարմինը գաղտնի տեղեկություններով աշխատելու թույլտվություն չունի",
      ru: "у уполномоченного органа лица нет допуска к работам с секретными сведениями",
      en: "the person's authorized body holds no facility clearance",
    },
  },
  /** Access condition: the authorized body's facility clearance is below the carrier's level. */
  ACCESS_FACILITY_CLEARANCE_TOO_LOW: {
    kind: "refusal",
    articles: ["A1.11", "A1.9"],
    comment: "Access condition: the authorized body's facility clearance is below the carrier's level.",
    messages: {
      kk: "уәкілетті органның рұқсаты ({held}) жеткізгіштің дәрежесінен ({required}) төмен",
      hy: "լիազորված մարմնի թույլտվությունը ({held}) ցածր է կրիչի աստիճանից ({required})",
      ru: "допуск уполномоченного органа ({held}) ниже степени секретности носителя ({required})",
      en: "the authorized body's facility clearance ({held}) is below the carrier's level ({required})",
    },
  },
  /** Access condition: the authorized body's facility clearance is not valid at the decision time. */
  ACCESS_FACILITY_CLEARANCE_EXPIRED: {
    kind: "refusal",
    articles: ["A1.11", "A1.9"],
    comment: "Access condition: the authorized body's facility clearance is not valid at the decision time.",
    messages: {
      kk: "уәкілетті органның рұқсаты {at} уақытында жарамсыз",
      hy: "լիազորված մարմնի թույլտվությունը վավեր չէ {at} պահին",
      ru: "допуск уполномоченного органа не действителен на {at}",
      en: "the authorized body's facility clearance is not valid at {at}",
    },
  },
  /** Access condition: the person is neither a participant of the carrier's contract nor granted on the carrier. */
  ACCESS_NO_NEED_TO_KNOW: {
    kind: "refusal",
    articles: ["A4.2", "A4.1.4"],
    comment:
      "Access condition: the person is neither a participant of the carrier's contract nor granted on the carrier.",
    messages: {
      kk: "тұлғаның қызметтік қажеттілігі жоқ: шарттың қатысушысы емес және жеткізгішке рұқсат берілмеген; оны сақтаушы органның тізілім қызметкері береді (өзіне емес)",
      hy: "անձը ծառայողական անհրաժեշտություն չունի։ պայմանագրի մասնակից չէ և կրիչին թույլատրված չէ. այն տալիս է պահառու մարմնի գրանցամատյանի աշխատակիցը (ոչ իրեն)",
      ru: "у лица нет служебной необходимости: оно не участник договора и не допущено к носителю; допуск даёт сотрудник регистратуры органа-хранителя (не себе)",
      en: "the person has no need to know: not a participant of the contract and not granted on the carrier; a registry officer of the custodian body grants it (never to themselves)",
    },
  },
  /** Access condition (A9.1): a visitor reads the host's carriers only during the visit's dates. */
  ACCESS_VISIT_NOT_IN_PROGRESS: {
    kind: "refusal",
    articles: ["A9.1"],
    comment:
      "Access condition: a visitor of the other Party asks for a carrier outside the dates of the approved visit.",
    messages: {
      kk: "келуші қабылдаушы тараптың жеткізгіштерімен тек мақұлданған сапар күндерінде таныса алады",
      hy: "այցելուն կարող է ծանոթանալ ընդունող կողմի կրիչներին միայն հաստատված այցի օրերին",
      ru: "посетитель знакомится с носителями принимающей стороны только в дни утверждённого визита",
      en: "a visitor may read the host's carriers only during the dates of the approved visit",
    },
  },
  /** Access condition (A9.3): the host has not recorded the visitor's acquaintance with its handling rules. */
  ACCESS_VISITOR_NOT_ACQUAINTED: {
    kind: "refusal",
    articles: ["A9.3"],
    comment:
      "Access condition: the host's security officer has not recorded that the visitor was acquainted with the host's rules for handling classified information.",
    messages: {
      kk: "келушінің қабылдаушы тараптың құпия мәліметтермен жұмыс істеу қағидаларымен танысқаны тіркелмеген",
      hy: "գրանցված չէ, որ այցելուն ծանոթացել է ընդունող կողմի գաղտնի տեղեկությունների հետ աշխատելու կանոններին",
      ru: "не зарегистрировано, что посетитель ознакомлен с правилами обращения с секретными сведениями принимающей стороны",
      en: "the visitor's acquaintance with the host's rules for handling classified information has not been recorded",
    },
  },
  /** Access condition (A11.1): the carrier is held in quarantine by an open breach. */
  ACCESS_CARRIER_QUARANTINED: {
    kind: "refusal",
    articles: ["A11.1"],
    comment:
      "Access condition: the carrier is named by an open breach and held in quarantine (e.g. its seals were broken at take-in) until the breach is closed.",
    messages: {
      kk: "жеткізгіш бұзушылық жабылғанға дейін карантинде ұсталады",
      hy: "կրիչը կարանտինում է պահվում մինչև խախտման փակումը",
      ru: "носитель находится в карантине до закрытия дела о нарушении",
      en: "the carrier is held in quarantine until the breach is closed",
    },
  },
  /** A contract held here as the other Party's body sent it is changed here. */
  CONTRACT_CONCLUDED_ELSEWHERE: {
    kind: "refusal",
    articles: ["A7.1", "A1.13"],
    comment:
      "A contract concluded by the other Party's body is held here as it sent it: only that body changes it (amends, suspends, closes) and sends the change; here only the own participants are named.",
    messages: {
      kk: "{number} шартын екінші Тараптың ұйымы жасасқан: оны сол ұйым өзгертеді және өзгерісті жібереді",
      hy: "{number} պայմանագիրը կնքել է մյուս Կողմի կազմակերպությունը. այն փոխում է միայն այդ կազմակերպությունը և ուղարկում փոփոխությունը",
      ru: "договор {number} заключён организацией другой Стороны: изменяет его она и направляет изменение",
      en: "contract {number} was concluded by the other Party's body: that body changes it and sends the change",
    },
  },
  /** Access condition: the other Party's information, under a contract suspended or closed. */
  ACCESS_CONTRACT_NOT_IN_FORCE: {
    kind: "refusal",
    articles: ["A4.1.4", "A7.1"],
    comment:
      "Access condition: the carrier holds the other Party's information and is linked to a contract that is suspended or closed; it is used only under contracts in force (A4.1.4).",
    messages: {
      kk: "жеткізгіш екінші Тараптың мәліметтерін қамтиды, ал оның шарты тоқтатыла тұрған немесе жабылған: мәліметтер тек күшіндегі шарт бойынша пайдаланылады",
      hy: "կրիչը պարունակում է մյուս Կողմի տեղեկություններ, իսկ դրա պայմանագիրը կասեցված է կամ փակված. տեղեկությունները օգտագործվում են միայն գործող պայմանագրով",
      ru: "носитель содержит сведения другой Стороны, а его договор приостановлен или закрыт: сведения используются только по действующему договору",
      en: "the carrier holds the other Party's information and its contract is suspended or closed: that information is used only under a contract in force",
    },
  },
  /** Access condition (A4.4): the person has not acknowledged the current text of their obligations. */
  OBLIGATIONS_NOT_ACKNOWLEDGED: {
    kind: "refusal",
    articles: ["A4.4"],
    comment:
      "Access condition: the person has not yet acknowledged the current version of the obligations they take on under their state's law; until then no carrier's record or content is shown to them, and they hold no carrier.",
    messages: {
      kk: "тұлға өз мемлекетінің заңнамасы бойынша міндеттемелерінің қолданыстағы мәтінін әлі растамаған",
      hy: "անձը դեռ չի հաստատել իր պետության օրենսդրությամբ ստանձնած պարտավորությունների գործող տեքստը",
      ru: "лицо ещё не подтвердило действующий текст своих обязательств по законодательству своего государства",
      en: "the person has not yet acknowledged the current text of their obligations under their state's law",
    },
  },
  /** A4.4: an acknowledgement names a version of the obligations that is not the current one. */
  OBLIGATIONS_VERSION_NOT_CURRENT: {
    kind: "refusal",
    articles: ["A4.4"],
    comment:
      "An acknowledgement of the obligations (A4.4) names a version other than the current one (the text changed since it was shown); nothing is recorded but the refusal.",
    messages: {
      kk: "міндеттемелердің {version} нұсқасы қолданыста емес; қолданыстағысы — {current}: мәтінді қайта оқып шығыңыз",
      hy: "պարտավորությունների {version} տարբերակը գործող չէ. գործողը {current}-ն է։ կարդացեք տեքստը կրկին",
      ru: "версия обязательств {version} не действует; действующая — {current}: прочитайте текст заново",
      en: "version {version} of the obligations is not the current one ({current}): read the text again",
    },
  },
  /** Access condition: the carrier is not registered in the custody of the person's authorized body. */
  ACCESS_NOT_IN_CUSTODY: {
    kind: "refusal",
    articles: ["A6.2", "A4.2"],
    comment:
      "Access condition: the carrier is not registered in the custody of the person's authorized body.",
    messages: {
      kk: "жеткізгіш тұлғаның уәкілетті органының есебінде тұрмайды",
      hy: "կրիչը հաշվառված չէ անձի լիազորված մարմնում",
      ru: "носитель не состоит на учёте уполномоченного органа лица",
      en: "the carrier is not in the custody of the person's authorized body",
    },
  },
  /** Access condition: the carrier has been destroyed. */
  ACCESS_CARRIER_DESTROYED: {
    kind: "refusal",
    articles: ["A6.6", "A1.8"],
    comment: "Access condition: the carrier has been destroyed.",
    messages: {
      kk: "жеткізгіш жойылған",
      hy: "կրիչը ոչնչացված է",
      ru: "носитель уничтожен",
      en: "the carrier has been destroyed",
    },
  },
  /** Access condition: the carrier has been returned to the providing body. */
  ACCESS_CARRIER_RETURNED: {
    kind: "refusal",
    articles: ["A6.6"],
    comment: "Access condition: the carrier has been returned to the providing body.",
    messages: {
      kk: "жеткізгіш берген органға қайтарылған",
      hy: "կրիչը վերադարձված է տրամադրող մարմնին",
      ru: "носитель возвращён передавшему органу",
      en: "the carrier has been returned to the providing body",
    },
  },
  /** Access condition: the carrier has been declassified and released from the registry. */
  ACCESS_CARRIER_DECLASSIFIED: {
    kind: "refusal",
    articles: ["A6.4", "A1.7"],
    comment: "Access condition: the carrier has been declassified and released from the registry.",
    messages: {
      kk: "жеткізгіш құпиясыздандырылып, есептен шығарылған",
      hy: "կրիչը գաղտնազերծված է և հանված հաշվառումից",
      ru: "носитель рассекречен и снят с учёта",
      en: "the carrier has been declassified and released from the registry",
    },
  },
  /** Access condition: the carrier has been handed to a third party and left the registry. */
  ACCESS_CARRIER_RELEASED: {
    kind: "refusal",
    articles: ["A4.1.5"],
    comment: "Access condition: the carrier has been handed to a third party and left the registry.",
    messages: {
      kk: "жеткізгіш үшінші тарапқа берілген",
      hy: "կրիչը փոխանցված է երրորդ կողմին",
      ru: "носитель передан третьей стороне",
      en: "the carrier has been released to a third party",
    },
  },
  /** Access condition: the carrier is dispatched and not yet registered by the receiving body. */
  ACCESS_CARRIER_IN_TRANSIT: {
    kind: "refusal",
    articles: ["A5.6", "A6.2"],
    comment: "Access condition: the carrier is dispatched and not yet registered by the receiving body.",
    messages: {
      kk: "жеткізгіш жолда және алушы орган оны әлі есепке алған жоқ",
      hy: "կրիչը ճանապարհին է և դեռ հաշվառված չէ ստացող մարմնի կողմից",
      ru: "носитель в пути и ещё не поставлен на учёт принимающим органом",
      en: "the carrier is in transit and not yet registered by the receiving body",
    },
  },
  /** Access condition: the originator's carrier is in the other Party's registry (acknowledged by the receipt notice). */
  ACCESS_CARRIER_TRANSFERRED: {
    kind: "refusal",
    articles: ["A5.6", "A6.2"],
    comment:
      "Access condition: the originator's carrier was transferred and acknowledged by the receipt notice; it is in the receiving body's registry until returned.",
    messages: {
      kk: "жеткізгіш екінші Тараптың алушы органына берілген және оның есебінде тұр",
      hy: "կրիչը փոխանցված է մյուս Կողմի ստացող մարմնին և հաշվառված է նրա մոտ",
      ru: "носитель передан принимающему органу другой Стороны и состоит на его учёте",
      en: "the carrier has been transferred to the other Party's receiving body and is in its registry",
    },
  },
  /** A transfer does not exist OR the user may not learn that it exists (same answer in both cases). */
  TRANSFER_NOT_FOUND: {
    kind: "not-found",
    articles: ["A4.2"],
    comment:
      "A transfer does not exist OR the user may not learn that it exists: not of their body, and they do not oversee the Party's transfers (same answer in both cases).",
    messages: {
      kk: "беру табылмады",
      hy: "փոխանցումը չի գտնվել",
      ru: "передача не найдена",
      en: "no such transfer",
    },
  },
  /** A transfer is asked without an active contract between the two authorized bodies. */
  TRANSFER_CONTRACT_REQUIRED: {
    kind: "refusal",
    articles: ["A5.1", "A4.1.4"],
    comment: "A transfer is asked without an active contract between the two authorized bodies.",
    messages: {
      kk: "беру тек уәкілетті органдар арасындағы қолданыстағы шарт бойынша жүргізіледі",
      hy: "փոխանցումը հնարավոր է միայն լիազորված մարմինների միջև գործող պայմանագրով",
      ru: "передача возможна только по действующему договору между уполномоченными органами",
      en: "a transfer needs an active contract between the authorized bodies",
    },
  },
  /** A carrier's level is above what the contract's information list allows. */
  TRANSFER_LEVEL_NOT_IN_CONTRACT: {
    kind: "refusal",
    articles: ["A7.1", "A4.1.4"],
    comment: "A carrier's level is above what the contract's information list allows.",
    messages: {
      kk: "жеткізгіштің дәрежесі ({level}) шарттағы құпия мәліметтер тізбесінде көзделмеген",
      hy: "կրիչի աստիճանը ({level}) նախատեսված չէ պայմանագրի գաղտնի տեղեկությունների ցանկով",
      ru: "степень секретности носителя ({level}) не предусмотрена перечнем секретных сведений договора",
      en: "the carrier's level ({level}) is not covered by the contract's list of classified information",
    },
  },
  /** A transfer is dispatched without the written consent of the sending body's own competent authority. */
  TRANSFER_CONSENT_MISSING: {
    kind: "refusal",
    articles: ["A5.2"],
    comment:
      "A transfer is dispatched without the written consent of the sending body's own competent authority.",
    messages: {
      kk: "беру үшін жөнелтуші органның өз құзыретті органының жазбаша келісімі қажет",
      hy: "փոխանցման համար անհրաժեշտ է ուղարկող մարմնի սեփական իրավասու մարմնի գրավոր համաձայնությունը",
      ru: "передача требует письменного согласия собственного компетентного органа отправляющей стороны",
      en: "a transfer needs the written consent of the sending body's own competent authority",
    },
  },
  /** A transfer is dispatched before the other Party's competent authority confirmed the receiving body's facility clearance in writing. */
  TRANSFER_FACILITY_NOT_CONFIRMED: {
    kind: "refusal",
    articles: ["A5.2", "A5.3"],
    comment:
      "A transfer is dispatched before the other Party's competent authority confirmed the receiving body's facility clearance in writing.",
    messages: {
      kk: "екінші Тараптың құзыретті органы алушы органның рұқсатын жазбаша растаған жоқ",
      hy: "մյուս Կողմի իրավասու մարմինը գրավոր չի հաստատել ստացող մարմնի թույլտվությունը",
      ru: "компетентный орган другой Стороны письменно не подтвердил допуск принимающего органа",
      en: "the other Party's competent authority has not confirmed the receiving body's facility clearance in writing",
    },
  },
  /** A physical carrier is taken in without the registry officer confirming its seals intact (A5.6). */
  TRANSFER_SEALS_NOT_CONFIRMED: {
    kind: "refusal",
    articles: ["A5.6", "A11.1"],
    comment:
      "The receiving registry officer takes a physical carrier in without confirming that its seals are intact and match the dispatch record; a broken seal is a possible breach (A11.1), not a receipt.",
    messages: {
      kk: "тасығыш пломбаларының бүтіндігі және жөнелту жазбасына сәйкестігі расталғанда ғана қабылданады; бұзылған пломба дереу хабарланатын ықтимал бұзушылық болып табылады",
      hy: "կրիչն ընդունվում է միայն այն բանից հետո, երբ հաստատվում է, որ կնիքներն ամբողջական են և համապատասխանում են առաքման գրառմանը․ խախտված կնիքը հնարավոր խախտում է, որի մասին անհապաղ հաղորդվում է",
      ru: "носитель принимается только после подтверждения целостности пломб и их соответствия записи об отправке; нарушенная пломба — возможное нарушение, о котором сообщается немедленно",
      en: "a carrier is taken in only once its seals are confirmed intact and matching the dispatch record; a broken seal is a possible breach, to be reported at once",
    },
  },
  /** A breach does not exist OR the user may not learn that it exists (same answer in both cases). */
  BREACH_NOT_FOUND: {
    kind: "not-found",
    articles: ["A11.1", "A4.2"],
    comment:
      "A breach case does not exist OR the user may not learn of it: breaches are seen by the competent authority's officers, the auditors and the registry officer of the reporting body.",
    messages: {
      kk: "бұзушылық табылмады",
      hy: "խախտումը չի գտնվել",
      ru: "нарушение не найдено",
      en: "no such breach",
    },
  },
  /** The other Party's information is involved: its competent authority is notified before the investigation goes on. */
  BREACH_NOTICE_OWED: {
    kind: "refusal",
    articles: ["A11.1"],
    comment:
      "A breach involving the other Party's information is notified at once to its competent authority; the case does not go on without that notice.",
    messages: {
      kk: "басқа Тараптың ақпараты қатысты: алдымен оның құзыретті органына дереу хабарлама жіберіледі",
      hy: "առնչվում է մյուս Կողմի տեղեկատվությանը․ նախ անհապաղ ծանուցում է ուղարկվում նրա իրավասու մարմնին",
      ru: "затронута информация другой Стороны: сначала немедленно направляется уведомление её компетентному органу",
      en: "the other Party's information is involved: its competent authority is notified at once, first",
    },
  },
  /** Only the competent authority of the Party where the breach happened investigates it. */
  BREACH_INVESTIGATED_ELSEWHERE: {
    kind: "refusal",
    articles: ["A11.1", "A11.2"],
    comment:
      "The investigation, its results and the damage settlement belong to the competent authority of the Party where the breach happened; the other Party is informed of them.",
    messages: {
      kk: "бұзушылықты ол орын алған Тараптың құзыретті органы тергейді ({party})",
      hy: "խախտումը հետաքննում է այն Կողմի իրավասու մարմինը, որտեղ այն տեղի է ունեցել ({party})",
      ru: "нарушение расследует компетентный орган Стороны, где оно произошло ({party})",
      en: "the breach is investigated by the competent authority of the Party where it happened ({party})",
    },
  },
  /** The confirmed facility clearance of the receiving body is below the carrier's level or not valid. */
  TRANSFER_FACILITY_TOO_LOW: {
    kind: "refusal",
    articles: ["A5.3", "A1.11"],
    comment:
      "The confirmed facility clearance of the receiving body is below the carrier's level or not valid.",
    messages: {
      kk: "алушы органның расталған рұқсаты ({held}) {required} дәрежесін қамтымайды",
      hy: "ստացող մարմնի հաստատված թույլտվությունը ({held}) չի ներառում {required} աստիճանը",
      ru: "подтверждённый допуск принимающего органа ({held}) не покрывает степень {required}",
      en: "the receiving body's confirmed facility clearance ({held}) does not cover the level {required}",
    },
  },
  /** A transfer names a channel other than diplomatic, state courier or agreed electronic means. */
  TRANSFER_CHANNEL_UNKNOWN: {
    kind: "refusal",
    articles: ["A5.6", "A5.7"],
    comment: "A transfer names a channel other than diplomatic, state courier or agreed electronic means.",
    messages: {
      kk: "беру тек дипломатиялық арналар, мемлекеттік фельдъегерлік қызмет немесе келісілген электрондық құралдар арқылы жүзеге асырылады, «{channel}» емес",
      hy: "փոխանցումն իրականացվում է միայն դիվանագիտական ուղիներով, պետական սուրհանդակային ծառայությամբ կամ համաձայնեցված էլեկտրոնային միջոցներով, ոչ թե «{channel}»",
      ru: "передача осуществляется только по дипломатическим каналам, государственной фельдъегерской службой или согласованными электронными средствами, а не «{channel}»",
      en: "transfer goes only by diplomatic channel, state courier service or agreed electronic means, not “{channel}”",
    },
  },
  /** A contract is activated while one of the six mandatory clauses is absent. */
  CONTRACT_CLAUSES_MISSING: {
    kind: "refusal",
    articles: ["A7.1"],
    comment: "A contract is activated while one of the six mandatory clauses is absent.",
    messages: {
      kk: "шартта міндетті ережелер жоқ: {missing}",
      hy: "պայմանագրում բացակայում են պարտադիր դրույթները։ {missing}",
      ru: "в договоре отсутствуют обязательные положения: {missing}",
      en: "the contract lacks mandatory clauses: {missing}",
    },
  },
  /** A contract is activated while its list of classified information is empty or an item has no level. */
  CONTRACT_LEVELS_MISSING: {
    kind: "refusal",
    articles: ["A7.1"],
    comment:
      "A contract is activated while its list of classified information is empty or an item has no level.",
    messages: {
      kk: "шарттағы құпия мәліметтер тізбесі бос болмауы және әр позиция үшін дәрежені көрсетуі тиіс",
      hy: "պայմանագրի գաղտնի տեղեկությունների ցանկը չպետք է դատարկ լինի և յուրաքանչյուր կետի համար պետք է նշի աստիճանը",
      ru: "перечень секретных сведений договора должен быть непустым и указывать степень для каждой позиции",
      en: "the contract's list of classified information must be non-empty and give a level for every item",
    },
  },
  /** An item added to a contract's list of classified information names a level the A2.1 table lacks. */
  CONTRACT_ITEM_LEVEL_UNKNOWN: {
    kind: "refusal",
    articles: ["A7.1", "A2.1"],
    comment:
      "An item added to a contract's list of classified information names a level the A2.1 table lacks.",
    messages: {
      kk: "{field}: «{level}» — 2.1-баптың кестесіндегі құпиялылық дәрежесі емес; шарттағы құпия мәліметтер тізбесінің әр позициясы үшін осындай дәреже көрсетілуі тиіс",
      hy: "{field}: «{level}»-ը 2.1 հոդվածի աղյուսակի գաղտնիության աստիճան չէ. պայմանագրի գաղտնի տեղեկությունների ցանկի յուրաքանչյուր կետի համար պետք է նշվի այդպիսի աստիճան",
      ru: "{field}: «{level}» не является степенью секретности из таблицы ст. 2.1; для каждой позиции перечня секретных сведений договора указывается такая степень",
      en: "{field}: “{level}” is not a classification level of the A2.1 table; every item of the contract's list of classified information gives one",
    },
  },
  /** A visit request reaches the host later than one calendar month before the visit. */
  VISIT_REQUEST_TOO_LATE: {
    kind: "refusal",
    articles: ["A9.2"],
    comment: "A visit request reaches the host later than one calendar month before the visit.",
    messages: {
      kk: "сапар туралы сұрау сапардан кемінде бір ай бұрын алынуы тиіс: {visitDate} сапары үшін — {latest} дейін ({zone})",
      hy: "այցի հարցումը պետք է ստացվի այցից առնվազն մեկ ամիս առաջ։ {visitDate} այցի համար՝ մինչև {latest} ({zone})",
      ru: "запрос о визите должен быть получен не позднее чем за месяц до визита: для визита {visitDate} — до {latest} ({zone})",
      en: "a visit request must be received at least one month before the visit: for a visit on {visitDate} by {latest} ({zone})",
    },
  },
  /** A visit request lacks one of the items A9.2 lists. */
  VISIT_REQUEST_INCOMPLETE: {
    kind: "refusal",
    articles: ["A9.2"],
    comment: "A visit request lacks one of the items A9.2 lists.",
    messages: {
      kk: "сапар туралы сұрауда жоқ: {missing}",
      hy: "այցի հարցման մեջ բացակայում է։ {missing}",
      ru: "в запросе о визите отсутствует: {missing}",
      en: "the visit request lacks: {missing}",
    },
  },
  /** A visitor lacks a valid clearance matching the information to be discussed. */
  VISITOR_NOT_CLEARED: {
    kind: "refusal",
    articles: ["A9.1", "A4.2"],
    comment: "A visitor lacks a valid clearance matching the information to be discussed.",
    messages: {
      kk: "{visitor} келушінің {required} дәрежесіндегі жарамды рұқсаты жоқ",
      hy: "{visitor} այցելուն {required} աստիճանի վավեր թույլտվություն չունի",
      ru: "у посетителя {visitor} нет действующего допуска степени {required}",
      en: "visitor {visitor} does not hold a valid clearance of level {required}",
    },
  },
  /** A visit does not exist OR the user may not learn that it exists (same answer in both cases). */
  VISIT_NOT_FOUND: {
    kind: "not-found",
    articles: ["A9.2", "A4.2"],
    comment:
      "A visit request does not exist OR the user may not learn that it exists: not a competent authority officer, and not a registry officer of a body it visits (same answer in both cases).",
    messages: {
      kk: "сапар табылмады",
      hy: "այցը չի գտնվել",
      ru: "визит не найден",
      en: "no such visit",
    },
  },
  /** A carrier linked to a visit's topic is classified above that topic's level. */
  VISIT_CARRIER_ABOVE_TOPIC: {
    kind: "refusal",
    articles: ["A9.1", "A4.2"],
    comment:
      "The host's security officer links to a visit's topic a carrier whose level is above the topic's level: the visitors' clearance was checked only up to the topic's level.",
    messages: {
      kk: "жеткізгіштің дәрежесі сапар тақырыбының дәрежесінен ({topicLevel}) жоғары",
      hy: "կրիչի աստիճանը գերազանցում է այցի թեմայի աստիճանը ({topicLevel})",
      ru: "степень секретности носителя выше степени темы визита ({topicLevel})",
      en: "the carrier's level is above the level of the visit's topic ({topicLevel})",
    },
  },
  /** A visitor's sealed personal data do not open: damaged, or sealed under another node's key. */
  VISIT_PERSONAL_DATA_DAMAGED: {
    kind: "integrity",
    articles: ["A9.2"],
    comment:
      "A visitor's sealed personal data do not open with this node's key: altered, damaged or copied from another row or node. The message names no value.",
    messages: {
      kk: "келушінің жеке деректері бүлінген немесе өзгертілген",
      hy: "այցելուի անձնական տվյալները վնասված են կամ փոփոխված",
      ru: "персональные данные посетителя повреждены или изменены",
      en: "a visitor's personal data are damaged or were altered",
    },
  },
  /** An action under the agreement is attempted before it entered into force. */
  AGREEMENT_NOT_IN_FORCE: {
    kind: "refusal",
    articles: ["A15.1"],
    comment: "An action under the agreement is attempted before it entered into force.",
    messages: {
      kk: "келісім {at} уақытында күшіне енген жоқ",
      hy: "համաձայնագիրն ուժի մեջ չէ {at} պահին",
      ru: "соглашение не вступило в силу на {at}",
      en: "the agreement is not in force at {at}",
    },
  },
  /** A new transfer is attempted after termination (protection of what is held continues, A15.3). */
  AGREEMENT_TERMINATED: {
    kind: "refusal",
    articles: ["A15.2", "A15.3"],
    comment: "A new transfer is attempted after termination (protection of what is held continues, A15.3).",
    messages: {
      kk: "келісімнің қолданылуы тоқтатылды ({at}): жаңа беру мүмкін емес; берілгендерді қорғау жалғасады",
      hy: "համաձայնագրի գործողությունը դադարեցվել է ({at})։ նոր փոխանցումներ չեն թույլատրվում։ փոխանցվածի պաշտպանությունը շարունակվում է",
      ru: "соглашение прекратило действие ({at}): новые передачи невозможны; защита переданного продолжается",
      en: "the agreement has terminated ({at}): no new transfers; protection of what was transferred continues",
    },
  },
  /** A notice about the agreement bears a date before the earliest it can have (signature, entry into force, the notice withdrawn). */
  AGREEMENT_NOTICE_BACKDATED: {
    kind: "refusal",
    articles: ["A15.1", "A15.2"],
    comment:
      "A notice about the agreement (A15.1, A15.2) is dated before the earliest date it can bear: the signature for a notice of completed procedures, the entry into force for a termination, the termination notice for its withdrawal.",
    messages: {
      kk: "хабарламаның күні ({datedOn}) тым ерте: {earliest} күнінен ерте болмауы тиіс",
      hy: "ծանուցման ամսաթիվը ({datedOn}) չափազանց վաղ է. այն չի կարող լինել {earliest}-ից առաջ",
      ru: "дата уведомления ({datedOn}) слишком ранняя: не ранее {earliest}",
      en: "the notice is dated {datedOn}: it cannot bear a date before {earliest}",
    },
  },
  /** A notice about the agreement is dated after today on the node's clock. */
  AGREEMENT_NOTICE_FUTURE: {
    kind: "refusal",
    articles: ["A15.1", "A15.2"],
    comment: "A notice about the agreement (A15.1, A15.2) is dated after today in the sending Party's zone.",
    messages: {
      kk: "хабарламаның күні ({datedOn}) болашақта: бүгін {today}",
      hy: "ծանուցման ամսաթիվը ({datedOn}) ապագայում է. այսօր {today} է",
      ru: "дата уведомления ({datedOn}) в будущем: сегодня {today}",
      en: "the notice is dated {datedOn}, in the future: today is {today}",
    },
  },
  /** A Party's notice of completed internal procedures was already sent or received. */
  AGREEMENT_NOTICE_ALREADY_GIVEN: {
    kind: "refusal",
    articles: ["A15.1"],
    comment: "A Party gives its notice of completed internal procedures (A15.1) a second time.",
    messages: {
      kk: "{party} ішкі рәсімдердің орындалғаны туралы хабарламасын бұрын берген",
      hy: "{party}-ն արդեն տվել է ներպետական ընթացակարգերի կատարման մասին իր ծանուցումը",
      ru: "{party} уже направила уведомление о выполнении внутригосударственных процедур",
      en: "{party} has already given its notice of completed internal procedures",
    },
  },
  /** A termination notice is given while one is already pending. */
  AGREEMENT_TERMINATION_ALREADY_NOTIFIED: {
    kind: "refusal",
    articles: ["A15.2"],
    comment:
      "A second termination notice (A15.2) while one is pending: the agreement already ends on its date.",
    messages: {
      kk: "келісімнің қолданылуын тоқтату туралы хабарлама бұрын берілген: келісім {terminatesOn} тоқтатылады",
      hy: "դադարեցման ծանուցումն արդեն տրված է. համաձայնագիրը դադարում է {terminatesOn}",
      ru: "уведомление о прекращении уже направлено: соглашение прекращается {terminatesOn}",
      en: "a termination notice has already been given: the agreement ends on {terminatesOn}",
    },
  },
  /** A termination notice is withdrawn where the pack does not allow it. */
  AGREEMENT_WITHDRAWAL_NOT_ALLOWED: {
    kind: "refusal",
    articles: ["A15.2"],
    comment:
      "A termination notice (A15.2) is withdrawn where the pack does not allow it: never, by the other Party, with no notice pending, or after it took effect.",
    messages: {
      kk: "тоқтату туралы хабарламаны кері қайтаруға болмайды: оны тек берген Тарап, ол күшіне енгенге дейін ({terminatesOn}) және келісім пакеті рұқсат етсе ғана қайтара алады",
      hy: "դադարեցման ծանուցումը չի կարող հետ կանչվել. այն կարող է հետ կանչել միայն այն տված Կողմը՝ մինչև ուժի մեջ մտնելը ({terminatesOn}), և միայն եթե համաձայնագրի փաթեթը թույլ է տալիս",
      ru: "уведомление о прекращении не может быть отозвано: отозвать его может только направившая его Сторона, до вступления в силу ({terminatesOn}) и только если это допускает пакет соглашения",
      en: "the termination notice cannot be withdrawn: only the Party that gave it may, before it takes effect ({terminatesOn}), and only where the agreement pack allows it",
    },
  },
  /** A14: a change of an amendment protocol does not fit the pack it would amend. */
  PROTOCOL_CHANGE_INVALID: {
    kind: "invalid",
    articles: ["A14"],
    comment:
      "A change of an amendment protocol (A14) names a level, language, deadline or channel the pack does not have, or a value the pack cannot take; nothing was changed.",
    messages: {
      kk: "хаттаманың {change}-өзгерісін қолдану мүмкін емес: {problem}",
      hy: "արձանագրության {change}-րդ փոփոխությունը հնարավոր չէ կիրառել. {problem}",
      ru: "изменение № {change} протокола неприменимо: {problem}",
      en: "change {change} of the protocol cannot be applied: {problem}",
    },
  },
  /** A14: a protocol of that number is already recorded. */
  PROTOCOL_NUMBER_TAKEN: {
    kind: "conflict",
    articles: ["A14"],
    comment: "An amendment protocol (A14) is proposed under a number another protocol already bears.",
    messages: {
      kk: "№ {number} хаттама бұрын тіркелген",
      hy: "№ {number} արձանագրությունն արդեն գրանցված է",
      ru: "протокол № {number} уже зарегистрирован",
      en: "protocol No. {number} is already recorded",
    },
  },
  /** A14: a protocol's date is before the agreement could be signed, or in the future. */
  PROTOCOL_SIGNED_ON_INVALID: {
    kind: "refusal",
    articles: ["A14", "A15.1"],
    comment:
      "An amendment protocol (A14) bears a date before the agreement's signature or after today in the proposing Party's zone.",
    messages: {
      kk: "хаттаманың күні ({signedOn}) {earliest} мен бүгінгі күннің ({today}) аралығында болуы тиіс",
      hy: "արձանագրության ամսաթիվը ({signedOn}) պետք է լինի {earliest}-ից մինչև այսօր ({today})",
      ru: "дата протокола ({signedOn}) должна быть не ранее {earliest} и не позднее сегодняшней ({today})",
      en: "the protocol's date ({signedOn}) must lie between {earliest} and today ({today})",
    },
  },
  /** A14: an amendment protocol this node does not hold. */
  PROTOCOL_NOT_FOUND: {
    kind: "not-found",
    articles: ["A14"],
    comment: "An amendment protocol (A14) is named that this node does not hold.",
    messages: {
      kk: "хаттама табылмады: {protocol}",
      hy: "արձանագրությունը չի գտնվել. {protocol}",
      ru: "протокол не найден: {protocol}",
      en: "no such protocol: {protocol}",
    },
  },
  /** A14: a protocol is signed or declined by the Party that proposed it, or not while proposed. */
  PROTOCOL_ANSWER_NOT_ALLOWED: {
    kind: "refusal",
    articles: ["A14"],
    comment:
      "An amendment protocol (A14) is signed or declined by the Party that proposed it, or after it was already answered.",
    messages: {
      kk: "№ {number} хаттамаға тек екінші Тарап және тек ол ұсынылған күйде тұрғанда қол қоя немесе бас тарта алады",
      hy: "№ {number} արձանագրությունը կարող է ստորագրել կամ մերժել միայն մյուս Կողմը և միայն քանի դեռ այն առաջարկված է",
      ru: "подписать протокол № {number} или отказаться от него может только другая Сторона и только пока он предложен",
      en: "only the other Party may sign or decline protocol No. {number}, and only while it is proposed",
    },
  },
  /** A14, A15.1: a notice of completed procedures for a protocol not signed by both Parties. */
  PROTOCOL_NOT_SIGNED: {
    kind: "refusal",
    articles: ["A14", "A15.1"],
    comment:
      "A notice of completed internal procedures (A15.1) is given for an amendment protocol (A14) that both Parties have not signed.",
    messages: {
      kk: "№ {number} хаттамаға екі Тарап та қол қоймаған: ол бойынша ішкі рәсімдердің орындалғаны туралы хабарлама берілмейді",
      hy: "№ {number} արձանագրությունը երկու Կողմերն էլ չեն ստորագրել. դրա համար ներպետական ընթացակարգերի մասին ծանուցում չի տրվում",
      ru: "протокол № {number} не подписан обеими Сторонами: уведомление о выполнении внутригосударственных процедур по нему не направляется",
      en: "protocol No. {number} is not signed by both Parties: no notice of completed internal procedures can be given for it",
    },
  },
  /** A14, A15.1: a Party's notice of completed procedures for a protocol was already given. */
  PROTOCOL_NOTICE_ALREADY_GIVEN: {
    kind: "refusal",
    articles: ["A14", "A15.1"],
    comment:
      "A Party gives its notice of completed internal procedures (A15.1) for a protocol (A14) a second time.",
    messages: {
      kk: "{party} № {number} хаттама бойынша ішкі рәсімдердің орындалғаны туралы хабарламасын бұрын берген",
      hy: "{party}-ն արդեն տվել է № {number} արձանագրության ներպետական ընթացակարգերի կատարման մասին ծանուցումը",
      ru: "{party} уже направила уведомление о выполнении внутригосударственных процедур по протоколу № {number}",
      en: "{party} has already given its notice of completed internal procedures for protocol No. {number}",
    },
  },
  /** A sealed package is not encrypted for this node or organisation. */
  PACKAGE_NOT_FOR_RECIPIENT: {
    kind: "refusal",
    articles: ["A5.7", "A4.2"],
    comment: "A sealed package is not encrypted for this node or organisation.",
    messages: {
      kk: "бұл пакет осы алушыға арналмаған",
      hy: "այս փաթեթը հասցեագրված չէ այս ստացողին",
      ru: "этот пакет адресован не этому получателю",
      en: "this package is not addressed to this recipient",
    },
  },
  /** A package's signer certificate does not chain to the peer Party's trusted root. */
  PACKAGE_SIGNER_UNTRUSTED: {
    kind: "refusal",
    articles: ["A5.7"],
    comment: "A package's signer certificate does not chain to the peer Party's trusted root.",
    messages: {
      kk: "пакетке қол қоюшы келісілген криптографиялық құралдар бойынша сенімді емес",
      hy: "փաթեթի ստորագրողը վստահելի չէ համաձայնեցված գաղտնագրական միջոցներով",
      ru: "подписант пакета не является доверенным по согласованным криптографическим средствам",
      en: "the package's signer is not trusted under the agreed cryptographic means",
    },
  },
  /** A certificate in the package's chain is revoked. */
  PACKAGE_CERTIFICATE_REVOKED: {
    kind: "refusal",
    articles: ["A5.7"],
    comment: "A certificate in the package's chain is revoked.",
    messages: {
      kk: "пакет сертификаты кері қайтарылған",
      hy: "փաթեթի վկայականը հետ է կանչված",
      ru: "сертификат пакета отозван",
      en: "a certificate of the package has been revoked",
    },
  },
  /** A certificate in the package's chain is not valid at the signing or checking time. */
  PACKAGE_CERTIFICATE_EXPIRED: {
    kind: "refusal",
    articles: ["A5.7"],
    comment: "A certificate in the package's chain is not valid at the signing or checking time.",
    messages: {
      kk: "пакет сертификатының қолданылу мерзімі өткен немесе әлі басталмаған",
      hy: "փաթեթի վկայականի գործողության ժամկետը լրացել է կամ դեռ չի սկսվել",
      ru: "срок действия сертификата пакета истёк или ещё не наступил",
      en: "a certificate of the package is expired or not yet valid",
    },
  },
  /** A package carries no classification (ESS security) label. */
  PACKAGE_LABEL_MISSING: {
    kind: "refusal",
    articles: ["A2.2", "A6.1", "A5.7"],
    comment: "A package carries no classification (ESS security) label.",
    messages: {
      kk: "пакетте құпиялылық белгісі жоқ",
      hy: "փաթեթը գաղտնիության նշագիր չունի",
      ru: "пакет не содержит метки секретности",
      en: "the package carries no classification label",
    },
  },
  /** A package's classification label disagrees with the carrier's level or with its equivalent label. */
  PACKAGE_LABEL_MISMATCH: {
    kind: "refusal",
    articles: ["A2.2", "A6.1"],
    comment:
      "A package's classification label disagrees with the carrier's level or with its equivalent label.",
    messages: {
      kk: "пакеттің құпиялылық белгісі жеткізгіштің дәрежесіне сәйкес келмейді",
      hy: "փաթեթի գաղտնիության նշագիրը չի համապատասխանում կրիչի աստիճանին",
      ru: "метка секретности пакета не соответствует степени секретности носителя",
      en: "the package's classification label does not match the carrier's level",
    },
  },
  /** A package piece is missing, reordered, duplicated or truncated. */
  PACKAGE_STRUCTURE_INVALID: {
    kind: "integrity",
    articles: ["A5.7", "A4.1.1"],
    comment: "A package piece is missing, reordered, duplicated or truncated.",
    messages: {
      kk: "пакет бүлінген: бөлігі жоқ, орны ауыстырылған, қайталанған немесе қысқартылған",
      hy: "փաթեթը վնասված է։ մասը բացակայում է, տեղափոխված է, կրկնված է կամ կրճատված",
      ru: "пакет повреждён: часть отсутствует, переставлена, повторена или усечена",
      en: "the package is malformed: a piece is missing, reordered, duplicated or truncated",
    },
  },
  /** A package's signature or authentication tag does not verify. */
  PACKAGE_INTEGRITY_FAILED: {
    kind: "integrity",
    articles: ["A5.7", "A4.1.1"],
    comment: "A package's signature or authentication tag does not verify.",
    messages: {
      kk: "пакеттің тұтастығын тексеру сәтсіз: ол өзгертілген немесе бүлінген",
      hy: "փաթեթի ամբողջականության ստուգումը ձախողվել է։ այն փոփոխված կամ վնասված է",
      ru: "проверка целостности пакета не пройдена: он изменён или повреждён",
      en: "the package's integrity check failed: it was altered or damaged",
    },
  },
  /** A package exceeds a size or count limit of the agreed format. */
  PACKAGE_LIMIT_EXCEEDED: {
    kind: "integrity",
    articles: ["A5.7"],
    comment: "A package exceeds a size or count limit of the agreed format.",
    messages: {
      kk: "пакет келісілген форматтың шегінен асады ({limit})",
      hy: "փաթեթը գերազանցում է համաձայնեցված ձևաչափի սահմանաչափը ({limit})",
      ru: "пакет превышает ограничение согласованного формата ({limit})",
      en: "the package exceeds a limit of the agreed format ({limit})",
    },
  },
  /** The registry store cannot guarantee a durable write; the change is not made. */
  STORE_NOT_DURABLE: {
    kind: "unavailable",
    articles: ["A4.1.1", "A6.2"],
    comment: "The registry store cannot guarantee a durable write; the change is not made.",
    messages: {
      kk: "тізілім өзгерісті сенімді сақтай алмайды; ештеңе өзгертілген жоқ",
      hy: "ռեեստրը չի կարող հուսալիորեն պահպանել փոփոխությունը։ ոչինչ չի փոխվել",
      ru: "реестр не может надёжно сохранить изменение; ничего не изменено",
      en: "the registry cannot store this durably; nothing was changed",
    },
  },
  /** The node's database has a setting that can lose a committed transaction; the node refuses to start. */
  STORE_SETTING_UNSAFE: {
    kind: "unavailable",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "The node's database has a setting that can lose a committed transaction; the node refuses to start.",
    messages: {
      kk: "түйін іске қосылмайды: {dialect} {setting} баптауы «{actual}», бұл сақталған өзгерістерді жоғалтуы мүмкін; {setting}={required} орнатыңыз",
      hy: "հանգույցը չի գործարկվում։ {dialect}-ի {setting} կարգավորումը «{actual}» է, ինչը կարող է կորցնել պահպանված փոփոխությունները։ սահմանեք {setting}={required}",
      ru: "узел не запускается: параметр {dialect} {setting} = «{actual}» может привести к потере зафиксированных изменений; установите {setting}={required}",
      en: "the node refuses to start: {dialect} setting {setting} is “{actual}”, which can lose committed transactions; set {setting}={required}",
    },
  },
  /** A message arrives with an id already taken by a different content. */
  MESSAGE_CONFLICT: {
    kind: "conflict",
    articles: ["A5.6"],
    comment: "A message arrives with an id already taken by a different content.",
    messages: {
      kk: "{messageId} хабарламасы басқа мазмұнмен бұрын алынған",
      hy: "{messageId} հաղորդագրությունն արդեն ստացվել է այլ բովանդակությամբ",
      ru: "сообщение {messageId} уже получено с другим содержанием",
      en: "message {messageId} was already received with a different content",
    },
  },
  /** A message is addressed to another node, Party or organisation. */
  MESSAGE_MISADDRESSED: {
    kind: "refusal",
    articles: ["A5.6"],
    comment: "A message is addressed to another node, Party or organisation.",
    messages: {
      kk: "хабарлама басқа алушыға арналған",
      hy: "հաղորդագրությունը հասցեագրված է այլ ստացողի",
      ru: "сообщение адресовано другому получателю",
      en: "the message is addressed to another recipient",
    },
  },
  /** A message's sender does not match the authenticated peer node. */
  MESSAGE_PEER_MISMATCH: {
    kind: "refusal",
    articles: ["A5.7", "A3.1"],
    comment: "A message's sender does not match the authenticated peer node.",
    messages: {
      kk: "хабарламаны жіберуші ол келген түйінге сәйкес келмейді",
      hy: "հաղորդագրության ուղարկողը չի համապատասխանում այն հանգույցին, որից այն եկել է",
      ru: "отправитель сообщения не совпадает с узлом, от которого оно пришло",
      en: "the message's sender does not match the peer it came from",
    },
  },
  /** A message's kind or version is not one this node understands. */
  MESSAGE_UNKNOWN_KIND: {
    kind: "invalid",
    articles: ["A5.6"],
    comment: "A message's kind or version is not one this node understands.",
    messages: {
      kk: "белгісіз хабарлама түрі «{kind}»",
      hy: "հաղորդագրության անհայտ տեսակ «{kind}»",
      ru: "неизвестный вид сообщения «{kind}»",
      en: "unknown message kind “{kind}”",
    },
  },
  /** Sign-in failed (unknown user, wrong password or code); the reason is not told. */
  AUTH_FAILED: {
    kind: "unauthenticated",
    articles: ["A4.2"],
    comment: "Sign-in failed (unknown user, wrong password or code); the reason is not told.",
    messages: {
      kk: "кіру сәтсіз аяқталды",
      hy: "մուտքը ձախողվեց",
      ru: "вход не выполнен",
      en: "sign-in failed",
    },
  },
  /** Sign-in is refused because the account is locked after repeated failures. */
  AUTH_LOCKED: {
    kind: "unauthenticated",
    articles: ["A4.2"],
    comment: "Sign-in is refused because the account is locked after repeated failures.",
    messages: {
      kk: "тіркелгі бұғатталған; әкімшіге хабарласыңыз",
      hy: "հաշիվն արգելափակված է։ դիմեք ադմինիստրատորին",
      ru: "учётная запись заблокирована; обратитесь к администратору",
      en: "the account is locked; contact your administrator",
    },
  },
  /** A session is unknown, expired or revoked. */
  SESSION_EXPIRED: {
    kind: "unauthenticated",
    articles: ["A4.2"],
    comment: "A session is unknown, expired or revoked.",
    messages: {
      kk: "сеанс мерзімі аяқталды; қайта кіріңіз",
      hy: "սեանսի ժամկետը լրացել է։ կրկին մուտք գործեք",
      ru: "сеанс истёк; войдите снова",
      en: "your session has expired; sign in again",
    },
  },
  /** A state-changing request lacks the session's anti-forgery token. */
  CSRF_INVALID: {
    kind: "refusal",
    articles: ["A4.2"],
    comment: "A state-changing request lacks the session's anti-forgery token.",
    messages: {
      kk: "сұрау тексеруден өтпеді; бетті жаңартыңыз",
      hy: "հարցումը չանցավ ստուգումը։ թարմացրեք էջը",
      ru: "запрос не прошёл проверку; обновите страницу",
      en: "the request could not be verified; reload the page",
    },
  },
  /** Sign-in with a password an administrator set (a reset): the person sets one of their own before anything else. */
  PASSWORD_CHANGE_REQUIRED: {
    kind: "unauthenticated",
    articles: ["A4.2"],
    comment:
      "Sign-in with a password an administrator set (a reset): no session opens until the person sets a new password of their own.",
    messages: {
      kk: "құпиясөзді әкімші орнатқан: жалғастыру үшін өз жаңа құпиясөзіңізді орнатыңыз",
      hy: "գաղտնաբառը սահմանել է ադմինիստրատորը։ շարունակելու համար սահմանեք ձեր նոր գաղտնաբառը",
      ru: "пароль задан администратором: чтобы продолжить, задайте свой новый пароль",
      en: "your password was set by an administrator: set a new password of your own to continue",
    },
  },
  /** A signed-in person changing their password gave a current password that is not theirs. */
  PASSWORD_CURRENT_WRONG: {
    kind: "refusal",
    articles: ["A4.2"],
    comment: "A signed-in person changing their password gave a current password that is not theirs.",
    messages: {
      kk: "қазіргі құпиясөз дұрыс емес; құпиясөз өзгертілмеді",
      hy: "ընթացիկ գաղտնաբառը սխալ է։ գաղտնաբառը չի փոխվել",
      ru: "текущий пароль неверен; пароль не изменён",
      en: "the current password is wrong; the password was not changed",
    },
  },
  /** A new password is shorter than the node's policy asks; nothing was changed. */
  PASSWORD_TOO_SHORT: {
    kind: "invalid",
    articles: ["A4.2"],
    comment:
      "A new password is shorter than the node's policy (`minLength` characters); nothing was changed.",
    messages: {
      kk: "жаңа құпиясөз кемінде {minLength} таңбадан тұруы керек",
      hy: "նոր գաղտնաբառը պետք է ունենա առնվազն {minLength} նիշ",
      ru: "новый пароль должен содержать не менее {minLength} символов",
      en: "the new password needs at least {minLength} characters",
    },
  },
  /** A new password is the current one (or the one-time one) or the published demo password; nothing was changed. */
  PASSWORD_NOT_ALLOWED: {
    kind: "invalid",
    articles: ["A4.2"],
    comment:
      "A new password is the current one (or the one-time password being replaced) or the published demo password; nothing was changed.",
    messages: {
      kk: "жаңа құпиясөз қазіргісімен, бір реттік құпиясөзбен немесе жарияланған демо-құпиясөзбен бірдей болмауы керек",
      hy: "նոր գաղտնաբառը չի կարող լինել ընթացիկը, մեկանգամյա գաղտնաբառը կամ հրապարակված ցուցադրական գաղտնաբառը",
      ru: "новый пароль не может совпадать с текущим, одноразовым или опубликованным демо-паролем",
      en: "the new password may not be the current one, the one-time password or the published demo password",
    },
  },
  /** A code given to confirm a second factor being enrolled does not match its new secret. */
  TOTP_CODE_WRONG: {
    kind: "refusal",
    articles: ["A4.2"],
    comment:
      "A code given to confirm a second factor being enrolled does not match its new secret; the factor in use stays.",
    messages: {
      kk: "бір реттік код жаңа аутентификаторға сәйкес келмейді; бұрынғы екінші фактор өзгеріссіз қалды",
      hy: "մեկանգամյա կոդը չի համապատասխանում նոր նույնականացուցիչին։ նախկին երկրորդ գործոնը մնում է",
      ru: "одноразовый код не соответствует новому аутентификатору; прежний второй фактор остаётся",
      en: "the one-time code does not match the new authenticator; the second factor in use stays",
    },
  },
  /** A second factor is confirmed that was never started, or whose enrolment has expired. */
  TOTP_ENROLMENT_NONE: {
    kind: "invalid",
    articles: ["A4.2"],
    comment:
      "A second factor is confirmed that was never started, or whose enrolment expired (`minutes` after it started).",
    messages: {
      kk: "жаңа екінші фактор қосылмаған немесе {minutes} минуттан кейін мерзімі өтті; қайта бастаңыз",
      hy: "նոր երկրորդ գործոն չի սկսվել կամ ժամկետը լրացել է {minutes} րոպե անց։ սկսեք նորից",
      ru: "подключение нового второго фактора не начато или истекло через {minutes} мин.; начните заново",
      en: "no new second factor is being enrolled, or its enrolment expired after {minutes} minutes; start again",
    },
  },
  /** A registry officer grants (or confirms) need-to-know on a carrier to themselves. */
  NEED_TO_KNOW_SELF_GRANT: {
    kind: "refusal",
    articles: ["A4.2"],
    comment: "A registry officer grants (or confirms) need-to-know on a carrier to themselves.",
    messages: {
      kk: "ешкім өзіне қажеттілік бойынша қол жеткізуге рұқсат бермейді",
      hy: "ոչ ոք ինքն իրեն չի տրամադրում անհրաժեշտության սկզբունքով մուտքի իրավունք",
      ru: "никто не предоставляет допуск по служебной необходимости самому себе",
      en: "no one grants need-to-know to themselves",
    },
  },
  /** A need-to-know grant at a four-eyes level is confirmed by the officer who made it (node policy of the pack). */
  NEED_TO_KNOW_SECOND_OFFICER: {
    kind: "refusal",
    articles: ["A4.2"],
    comment:
      "A need-to-know grant at a level the pack's node policy puts under four eyes is confirmed by the registry officer who made it; a second, different registry officer of the body must confirm it.",
    messages: {
      kk: "бұл дәрежеде рұқсат органның екінші, басқа тізілім офицері растағанда ғана күшіне енеді",
      hy: "այս աստիճանում թույլտվությունն ուժի մեջ է մտնում միայն մարմնի երկրորդ, այլ հաշվառման սպայի հաստատմամբ",
      ru: "на этом уровне допуск вступает в силу только после подтверждения вторым, другим сотрудником учёта органа",
      en: "at this level the grant takes effect only when a second, different registry officer of the body confirms it",
    },
  },
  /** Need-to-know is withdrawn from a person who holds no grant of it on the carrier. */
  NEED_TO_KNOW_NOT_GRANTED: {
    kind: "refusal",
    articles: ["A4.2"],
    comment:
      "A registry officer withdraws need-to-know on a carrier from a person who holds no grant (in effect or pending) on it.",
    messages: {
      kk: "{person} бұл жеткізгішке қызметтік қажеттілік бойынша рұқсат берілмеген: кері қайтаратын ештеңе жоқ",
      hy: "{person}-ին այս կրիչի համար իմանալու անհրաժեշտություն տրված չէ. հետ կանչելու բան չկա",
      ru: "{person} не предоставлен доступ по служебной необходимости к этому носителю: отзывать нечего",
      en: "{person} holds no grant of need-to-know on this carrier: there is nothing to withdraw",
    },
  },
  /** The user's role does not allow this action. */
  ROLE_FORBIDDEN: {
    kind: "refusal",
    articles: ["A4.2"],
    comment: "The user's role does not allow this action.",
    messages: {
      kk: "сіздің рөліңіз бұл әрекетке рұқсат бермейді",
      hy: "ձեր դերը թույլ չի տալիս այս գործողությունը",
      ru: "ваша роль не позволяет это действие",
      en: "your role does not allow this action",
    },
  },
  /** `kelisim audit verify` found an audit entry edited, deleted, inserted or reordered, or a log that disagrees with its signed checkpoint. */
  AUDIT_LOG_ALTERED: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify` found an audit entry edited, deleted, inserted or reordered, or a log that disagrees with its signed checkpoint.",
    messages: {
      kk: "аудит журналы {index} жазбадан бастап бұзылған: {problem}",
      hy: "աուդիտի մատյանը խախտված է՝ սկսած {index} գրառումից։ {problem}",
      ru: "журнал аудита нарушен начиная с записи {index}: {problem}",
      en: "the audit log does not hold from entry {index}: {problem}",
    },
  },
  /** A signed checkpoint of the audit log is malformed, unsigned by a trusted key, or inconsistent with an older one. */
  AUDIT_CHECKPOINT_INVALID: {
    kind: "integrity",
    articles: ["A4.1.1"],
    comment:
      "A signed checkpoint of the audit log is malformed, unsigned by a trusted key, or inconsistent with an older one.",
    messages: {
      kk: "аудит журналының бақылау нүктесі қабылданбады: {problem}",
      hy: "աուդիտի մատյանի ստուգակետը մերժված է։ {problem}",
      ru: "контрольная точка журнала аудита отклонена: {problem}",
      en: "the audit log checkpoint is refused: {problem}",
    },
  },
  /** `kelisim audit verify`: the log no longer hashes to the root of a checkpoint a witness holds; the first altered entry lies in a range. */
  AUDIT_LOG_REWRITTEN: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify`: the first {size} entries no longer hash to the root of a signed checkpoint held by a witness (the witness file, the peer's cosignature, audit_checkpoints); the first altered entry lies in [{from}, {to}).",
    messages: {
      kk: "аудит журналы қайта жазылған: оның алғашқы {size} жазбасы {witness} сақтаған бақылау нүктесінің түбіріне енді сәйкес келмейді; алғашқы өзгертілген жазба [{from}, {to}) аралығында",
      hy: "աուդիտի մատյանը վերագրված է. դրա առաջին {size} գրառումներն այլևս չեն համապատասխանում {witness}-ի պահած ստուգակետի արմատին։ առաջին փոփոխված գրառումը [{from}, {to}) միջակայքում է",
      ru: "журнал аудита переписан: первые {size} записей больше не дают корень контрольной точки, хранящейся у {witness}; первая изменённая запись находится в [{from}, {to})",
      en: "the audit log was rewritten: its first {size} entries no longer hash to the root of the checkpoint held by {witness}; the first altered entry lies in [{from}, {to})",
    },
  },
  /** `kelisim audit verify`: as AUDIT_LOG_REWRITTEN, and the checkpoints narrow the first altered entry down to one. */
  AUDIT_ENTRY_REWRITTEN: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify`: the first {size} entries no longer hash to the root of a checkpoint a witness holds, and the checkpoints matched before it leave one entry: {index}.",
    messages: {
      kk: "аудит журналы қайта жазылған: оның алғашқы {size} жазбасы {witness} сақтаған бақылау нүктесінің түбіріне енді сәйкес келмейді; алғашқы өзгертілген жазба — {index}",
      hy: "աուդիտի մատյանը վերագրված է. դրա առաջին {size} գրառումներն այլևս չեն համապատասխանում {witness}-ի պահած ստուգակետի արմատին։ առաջին փոփոխված գրառումը {index}-ն է",
      ru: "журнал аудита переписан: первые {size} записей больше не дают корень контрольной точки, хранящейся у {witness}; первая изменённая запись — {index}",
      en: "the audit log was rewritten: its first {size} entries no longer hash to the root of the checkpoint held by {witness}; entry {index} is the first altered one",
    },
  },
  /** `kelisim audit verify`: a witness holds another root for a size than the checkpoint the database holds, which the altered log matches: the node's key signed it again. */
  AUDIT_CHECKPOINT_RESIGNED: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify`: audit_checkpoints holds a checkpoint of size {size} over the entries as they are now, but a witness holds another root for that size: the log was rewritten and re-signed with the node's key.",
    messages: {
      kk: "аудит журналы қайта жазылып, оның {size} өлшемді бақылау нүктесі түйін кілтімен қайта қол қойылған: {witness} бұл өлшем үшін басқа түбірді сақтайды; алғашқы өзгертілген жазба [{from}, {to}) аралығында",
      hy: "աուդիտի մատյանը վերագրված է, և դրա {size} չափի ստուգակետը նորից ստորագրված է հանգույցի բանալիով. {witness}-ը այդ չափի համար այլ արմատ է պահում։ առաջին փոփոխված գրառումը [{from}, {to}) միջակայքում է",
      ru: "журнал аудита переписан, а его контрольная точка размера {size} заново подписана ключом узла: у {witness} для этого размера другой корень; первая изменённая запись находится в [{from}, {to})",
      en: "the audit log was rewritten and its checkpoint of size {size} signed again with the node's key: {witness} holds another root for that size; the first altered entry lies in [{from}, {to})",
    },
  },
  /** `kelisim audit verify`: the log is shorter than a signed checkpoint a witness holds (or than its own head). */
  AUDIT_LOG_TRUNCATED: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify`: the log holds {size} entries but a witness (or the log's head) states {witnessedSize}: the entries from {size} were deleted.",
    messages: {
      kk: "аудит журналы қысқартылған: онда {size} жазба бар, бірақ {witness} {witnessedSize} жазбаны көрсетеді; {size} жазбадан бастап жойылған (алғашқы өзгертілген жазба [{from}, {to}) аралығында)",
      hy: "աուդիտի մատյանը կրճատված է. այն պարունակում է {size} գրառում, բայց {witness}-ը նշում է {witnessedSize}։ {size}-ից սկսած գրառումները ջնջված են (առաջին փոփոխված գրառումը [{from}, {to}) միջակայքում է)",
      ru: "журнал аудита обрезан: в нём {size} записей, но {witness} указывает {witnessedSize}; записи начиная с {size} удалены (первая изменённая запись находится в [{from}, {to}))",
      en: "the audit log was cut: it holds {size} entries but {witness} states {witnessedSize}; the entries from {size} were deleted (the first altered entry lies in [{from}, {to}))",
    },
  },
  /** `kelisim audit verify`: checkpoints a witness holds are missing from audit_checkpoints (the entries still match them). */
  AUDIT_CHECKPOINTS_DELETED: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "`kelisim audit verify`: signed checkpoints a witness outside the database holds are missing from audit_checkpoints, though the entries still match them.",
    messages: {
      kk: "{witness} сақтаған аудит журналының қол қойылған {count} бақылау нүктесі дерекқордан жойылған (өлшемдері: {sizes})",
      hy: "{witness}-ի պահած աուդիտի մատյանի {count} ստորագրված ստուգակետ ջնջված է տվյալների բազայից (չափերը՝ {sizes})",
      ru: "из базы данных удалены подписанные контрольные точки журнала аудита, хранящиеся у {witness}: {count} (размеры: {sizes})",
      en: "{count} signed checkpoints of the audit log that {witness} holds were deleted from the database (sizes: {sizes})",
    },
  },
  /** A witness of the audit log (the witness file, the peer's cosignatures) is damaged or holds a note no trusted key signed. */
  AUDIT_WITNESS_INVALID: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "A witness of the audit log (the witness file, the peer's cosignatures in exchange_cosigned_checkpoints) is damaged or holds a checkpoint no trusted key signed.",
    messages: {
      kk: "аудит журналының {witness} куәгеріне сенуге болмайды: {problem}",
      hy: "աուդիտի մատյանի {witness} վկային չի կարելի վստահել. {problem}",
      ru: "свидетелю журнала аудита {witness} нельзя доверять: {problem}",
      en: "the audit log's witness {witness} cannot be trusted: {problem}",
    },
  },
  /** A checkpoint was signed and stored but could not be appended to the witness file. */
  AUDIT_WITNESS_WRITE_FAILED: {
    kind: "unavailable",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "A checkpoint was signed and stored but could not be appended to the witness file (disk, permissions).",
    messages: {
      kk: "қол қойылған бақылау нүктесі сақталды, бірақ {witness} куәгер файлына жазылмады: {problem}",
      hy: "ստորագրված ստուգակետը պահված է, բայց չի ավելացվել {witness} վկա ֆայլին. {problem}",
      ru: "подписанная контрольная точка сохранена, но не дописана в файл-свидетель {witness}: {problem}",
      en: "the signed checkpoint is stored but could not be appended to the witness file {witness}: {problem}",
    },
  },
  /** The node refuses to sign a checkpoint of a log that no longer extends the newest one its witness file holds. */
  AUDIT_CHECKPOINT_REFUSED: {
    kind: "integrity",
    articles: ["A4.1.1", "A6.2"],
    comment:
      "The node refuses to sign a checkpoint: the log of {size} entries no longer extends (RFC 9162 consistency) the newest checkpoint of {witnessedSize} its witness file holds.",
    messages: {
      kk: "бақылау нүктесіне қол қойылмады: {size} жазбадан тұратын журнал {witness} сақтаған {witnessedSize} жазбалық бақылау нүктесін енді жалғастырмайды; `kelisim audit verify` орындаңыз",
      hy: "ստուգակետը չի ստորագրվել. {size} գրառումից բաղկացած մատյանն այլևս չի շարունակում {witness}-ի պահած {witnessedSize} չափի ստուգակետը։ գործարկեք `kelisim audit verify`",
      ru: "контрольная точка не подписана: журнал из {size} записей больше не продолжает контрольную точку на {witnessedSize}, хранящуюся у {witness}; выполните `kelisim audit verify`",
      en: "no checkpoint signed: the log of {size} entries no longer extends the checkpoint of {witnessedSize} that {witness} holds; run `kelisim audit verify`",
    },
  },
  /** A carrier's content encrypted at rest fails its authentication (altered, damaged or truncated blob). */
  CONTENT_INTEGRITY_FAILED: {
    kind: "integrity",
    articles: ["A4.1.1"],
    comment:
      "A carrier's content encrypted at rest fails its authentication (altered, damaged or truncated blob).",
    messages: {
      kk: "{carrierId} жеткізгішінің сақталған мазмұны тұтастық тексеруінен өтпеді: ол өзгертілген немесе бүлінген",
      hy: "{carrierId} կրիչի պահված բովանդակությունը չի անցել ամբողջականության ստուգումը։ այն փոփոխված կամ վնասված է",
      ru: "хранимое содержимое носителя {carrierId} не прошло проверку целостности: оно изменено или повреждено",
      en: "the stored content of carrier {carrierId} failed its integrity check: it was altered or damaged",
    },
  },
  /**
   * A carrier holds no stored content: none was stored, or it was destroyed (its key erased, A1.8).
   * The message names no carrier: the user asked about one, and not every thrower knows its id.
   */
  CONTENT_NOT_FOUND: {
    kind: "not-found",
    articles: ["A1.8"],
    comment:
      "A carrier holds no stored content: none was stored, or it was destroyed (its key erased, A1.8).",
    messages: {
      kk: "жеткізгіште сақталған мазмұн жоқ (ол сақталмаған немесе жойылған)",
      hy: "կրիչը պահված բովանդակություն չունի (այն չի պահվել կամ ոչնչացվել է)",
      ru: "у носителя нет хранимого содержимого (оно не сохранялось или уничтожено)",
      en: "the carrier holds no stored content (none was stored, or it was destroyed)",
    },
  },
  /** `carrier show --print` on content that is not text (binary, or control characters a terminal would act on); nothing is printed. */
  CONTENT_NOT_TEXT: {
    kind: "invalid",
    articles: [],
    comment:
      "`carrier show --print` asked for content that is not text (not valid UTF-8, or with NUL or other control characters than tab, newline, carriage return); nothing is printed, `--out FILE` writes it.",
    messages: {
      kk: "{carrier} жеткізгішінің мазмұны мәтін емес: оны терминалға шығаруға болмайды, файлға жазыңыз: --out ФАЙЛ",
      hy: "{carrier} կրիչի բովանդակությունը տեքստ չէ։ այն չի կարող տպվել տերմինալում, գրեք այն ֆայլի մեջ՝ --out ՖԱՅԼ",
      ru: "содержимое носителя {carrier} не является текстом: его нельзя вывести в терминал, запишите его в файл: --out ФАЙЛ",
      en: "the content of carrier {carrier} is not text and cannot be printed: write it to a file with --out FILE",
    },
  },
  /** The node's key that wraps the carriers' content keys is missing, malformed or not the one that wrapped them. */
  CONTENT_KEY_UNAVAILABLE: {
    kind: "configuration",
    articles: ["A1.3"],
    comment:
      "The node's key that wraps the carriers' content keys is missing, malformed or not the one that wrapped them.",
    messages: {
      kk: "түйіннің мазмұн кілттерін қорғайтын кілті жоқ немесе қате: {problem}",
      hy: "հանգույցի բովանդակության բանալիները պաշտպանող բանալին բացակայում է կամ սխալ է։ {problem}",
      ru: "ключ узла, защищающий ключи содержимого, отсутствует или неверен: {problem}",
      en: "the node's key that wraps content keys is missing or wrong: {problem}",
    },
  },
  /** A1.8, A4.1.1: `kelisim backup`/`restore` has no usable backup key (KELISIM_BACKUP_KEY or --key-file); nothing was written. */
  BACKUP_KEY_MISSING: {
    kind: "configuration",
    articles: ["A1.8", "A4.1.1"],
    comment:
      "kelisim backup or restore has no usable backup key (KELISIM_BACKUP_KEY or --key-file, 32 bytes in base64); nothing was written.",
    messages: {
      kk: "сақтық көшірме кілті жоқ немесе жарамсыз: {problem}",
      hy: "պահուստային պատճենի բանալին բացակայում է կամ անվավեր է։ {problem}",
      ru: "ключ резервной копии отсутствует или непригоден: {problem}",
      en: "the backup key is missing or unusable: {problem}",
    },
  },
  /** A1.8, A4.1.1, A6.2: a backup file does not open with the key, was altered or damaged, or its manifest does not match its parts; nothing was restored. */
  BACKUP_INTEGRITY_FAILED: {
    kind: "integrity",
    articles: ["A1.8", "A4.1.1", "A6.2"],
    comment:
      "A backup file does not open with the key, was altered or damaged, or its manifest does not match its parts; nothing was restored.",
    messages: {
      kk: "{file} сақтық көшірмесі тексеруден өтпеді (өзгертілген, зақымдалған немесе басқа кілт): {problem}; ештеңе қалпына келтірілмеді",
      hy: "{file} պահուստային պատճենը չի անցել ստուգումը (փոփոխված, վնասված կամ այլ բանալի)։ {problem}; ոչինչ չի վերականգնվել",
      ru: "резервная копия {file} не прошла проверку (изменена, повреждена или другой ключ): {problem}; ничего не восстановлено",
      en: "the backup {file} failed its integrity check (altered, damaged or another key): {problem}; nothing was restored",
    },
  },
  /** A4.1.1: a backup could not be taken or a restore could not be made (pg_dump/pg_restore failed, a file could not be written); the node is unchanged. */
  BACKUP_FAILED: {
    kind: "unavailable",
    articles: ["A4.1.1"],
    comment:
      "A backup could not be taken or a restore could not start (pg_dump or pg_restore failed or is missing, a file could not be written); the node is unchanged.",
    messages: {
      kk: "сақтық көшірме немесе қалпына келтіру орындалмады: {problem}",
      hy: "պահուստավորումը կամ վերականգնումը չի կատարվել։ {problem}",
      ru: "резервное копирование или восстановление не выполнено: {problem}",
      en: "the backup or restore could not be made: {problem}",
    },
  },
  /** D3, A15.3: an import of records of the repealed 2015 agreement found problems; nothing was imported (the problems are listed with their lines). */
  IMPORT_REFUSED: {
    kind: "refusal",
    articles: ["D3", "A15.3"],
    comment:
      "An import of records of the repealed 2015 agreement found problems in its records; nothing was imported, and each problem is reported with its line and field.",
    messages: {
      kk: "импорт қабылданбады: {rows} жазбада {count} қате табылды, біріншісі {line}-жолда ({field}); ештеңе импортталмады",
      hy: "ներմուծումը մերժված է։ {rows} գրառումում գտնվել է {count} խնդիր, առաջինը՝ {line}-րդ տողում ({field}). ոչինչ չի ներմուծվել",
      ru: "импорт отклонён: в {rows} записях найдено проблем: {count}, первая в строке {line} ({field}); ничего не импортировано",
      en: "the import is refused: {count} problem(s) in {rows} record(s), the first at line {line} ({field}); nothing was imported",
    },
  },
  /** D3: an import file cannot be read in its format (CSV quoting, JSON syntax, not an array of objects). */
  IMPORT_FILE_MALFORMED: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "An import file cannot be read in its format (CSV quoting, JSON syntax, not an array of objects); `problem` is the parser's own words.",
    messages: {
      kk: "{line}-жол: файл {format} ретінде оқылмайды: {problem}",
      hy: "{line}-րդ տող. ֆայլը չի կարդացվում որպես {format}. {problem}",
      ru: "строка {line}: файл не читается как {format}: {problem}",
      en: "line {line}: the file cannot be read as {format}: {problem}",
    },
  },
  /** D3: an import file holds more records than one import takes. */
  IMPORT_TOO_MANY_RECORDS: {
    kind: "invalid",
    articles: ["D3"],
    comment: "An import file holds more records than one import takes; it is to be split.",
    messages: {
      kk: "{line}-жол: бір импортта ең көбі {max} жазба болады; файлды бөліңіз",
      hy: "{line}-րդ տող. մեկ ներմուծումն ընդունում է առավելագույնը {max} գրառում. բաժանեք ֆայլը",
      ru: "строка {line}: один импорт принимает не более {max} записей; разделите файл",
      en: "line {line}: one import takes at most {max} records; split the file",
    },
  },
  /** D3: an import file names a column (CSV header) or field (JSON key) the format does not have. */
  IMPORT_COLUMN_UNKNOWN: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "An import file names a column (CSV header) or field (JSON key) the format of docs/import-2015.md does not have.",
    messages: {
      kk: "{line}-жол: «{field}» бағаны импорт пішімінде жоқ",
      hy: "{line}-րդ տող. «{field}» սյունակը ներմուծման ձևաչափում չկա",
      ru: "строка {line}: столбца «{field}» нет в формате импорта",
      en: "line {line}: the column “{field}” is not in the import format",
    },
  },
  /** D3: a CSV import file's header lacks a column every record needs. */
  IMPORT_COLUMN_MISSING: {
    kind: "invalid",
    articles: ["D3"],
    comment: "A CSV import file's header lacks a column that every record needs.",
    messages: {
      kk: "{line}-жол: міндетті «{field}» бағаны жоқ",
      hy: "{line}-րդ տող. պարտադիր «{field}» սյունակը բացակայում է",
      ru: "строка {line}: нет обязательного столбца «{field}»",
      en: "line {line}: the required column “{field}” is missing",
    },
  },
  /** D3: a record of an import file lacks a value it needs (a title, a date, the sheets of a paper document…). */
  IMPORT_FIELD_MISSING: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "A record of an import file lacks a value it needs (a title, a date, the sheets of a paper document, the other Party's number of a received carrier…).",
    messages: {
      kk: "{line}-жол, {field}: мәні жоқ немесе бос",
      hy: "{line}-րդ տող, {field}. արժեքը բացակայում է կամ դատարկ է",
      ru: "строка {line}, {field}: значение отсутствует или пусто",
      en: "line {line}, {field}: the value is missing or empty",
    },
  },
  /** D3: a text value of an import record is too long, or holds control characters. */
  IMPORT_TEXT_INVALID: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "A text value of an import record is longer than the format allows, or holds control characters.",
    messages: {
      kk: "{line}-жол, {field}: мәтін басқару таңбаларынсыз 1–{max} таңба болуы тиіс",
      hy: "{line}-րդ տող, {field}. տեքստը պետք է լինի 1–{max} նիշ՝ առանց կառավարման նիշերի",
      ru: "строка {line}, {field}: текст должен содержать 1–{max} символов без управляющих символов",
      en: "line {line}, {field}: the text must be 1–{max} characters without control characters",
    },
  },
  /** D3: a number of an import record (copy, sheets, size) is not a whole number in its range. */
  IMPORT_NUMBER_INVALID: {
    kind: "invalid",
    articles: ["D3"],
    comment: "A number of an import record (copy, sheets, size) is not a whole number in its range.",
    messages: {
      kk: "{line}-жол, {field}: «{value}» {min}-ден {max}-ге дейінгі бүтін сан емес",
      hy: "{line}-րդ տող, {field}. «{value}»-ը {min}-ից {max} ամբողջ թիվ չէ",
      ru: "строка {line}, {field}: «{value}» не целое число от {min} до {max}",
      en: "line {line}, {field}: “{value}” is not a whole number from {min} to {max}",
    },
  },
  /** D3: a date of an import record is not a calendar date YYYY-MM-DD within the predecessor's time (its first decree to today). */
  IMPORT_DATE_INVALID: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "A date of an import record is not a calendar date YYYY-MM-DD between the predecessor's first decree and today (the node's Party's calendar).",
    messages: {
      kk: "{line}-жол, {field}: «{value}» {from} мен {to} аралығындағы ЖЖЖЖ-АА-КК күні емес",
      hy: "{line}-րդ տող, {field}. «{value}»-ը {from}-ից {to} ընկած ՏՏՏՏ-ԱԱ-ՕՕ ամսաթիվ չէ",
      ru: "строка {line}, {field}: «{value}» не дата ГГГГ-ММ-ДД в пределах от {from} до {to}",
      en: "line {line}, {field}: “{value}” is not a date YYYY-MM-DD from {from} to {to}",
    },
  },
  /** D3: a value of an import record is not one of those allowed (a carrier kind, a Party, a transfer direction). */
  IMPORT_VALUE_NOT_ALLOWED: {
    kind: "invalid",
    articles: ["D3"],
    comment:
      "A value of an import record is not one of those the format allows (a carrier kind, a Party, a transfer direction).",
    messages: {
      kk: "{line}-жол, {field}: «{value}» рұқсат етілген мәндердің бірі емес: {allowed}",
      hy: "{line}-րդ տող, {field}. «{value}»-ը թույլատրված արժեքներից չէ. {allowed}",
      ru: "строка {line}, {field}: «{value}» не из допустимых значений: {allowed}",
      en: "line {line}, {field}: “{value}” is not one of: {allowed}",
    },
  },
  /** D3, A6.2: an import record's originator and transfer disagree (the other Party's information not received; this Party's received). */
  IMPORT_TRANSFER_INCONSISTENT: {
    kind: "invalid",
    articles: ["D3", "A6.2"],
    comment:
      "An import record's originator and transfer disagree: the other Party's information must be recorded as received (direction in, with the other Party's number and the date); this Party's own as not transferred, or sent (out) with both.",
    messages: {
      kk: "{line}-жол, {field}: екінші Тараптың мәліметтері алынған ретінде жазылады (in, екінші Тараптың нөмірі мен күні бар); осы Тараптікі — берілмеген немесе жіберілген ретінде (out, екеуі де бар)",
      hy: "{line}-րդ տող, {field}. մյուս Կողմի տեղեկությունները գրանցվում են որպես ստացված (in՝ մյուս Կողմի համարով և ամսաթվով), այս Կողմինը՝ որպես չփոխանցված կամ ուղարկված (out՝ երկուսով)",
      ru: "строка {line}, {field}: сведения другой Стороны записываются как полученные (in, с номером другой Стороны и датой), сведения этой Стороны — как не передававшиеся или отправленные (out, с обоими)",
      en: "line {line}, {field}: the other Party's information is recorded as received (in, with the other Party's number and the date); this Party's as not transferred, or sent (out, with both)",
    },
  },
  /** D3, A2.1: an import record bears an old marking the pack's predecessor table does not map; no level is assumed. */
  IMPORT_MARKING_UNMAPPED: {
    kind: "refusal",
    articles: ["D3", "A2.1"],
    comment:
      "An import record bears an old marking that the pack's table of the 2015 agreement's markings (agreement.json predecessor.markings) does not map; no level is ever assumed.",
    messages: {
      kk: "{line}-жол, {field}: «{marking}» — кестеде жоқ 2015 жылғы келісімнің белгісі; ешқандай дәреже болжанбайды",
      hy: "{line}-րդ տող, {field}. «{marking}»-ը 2015 թ. համաձայնագրի նշագրերի աղյուսակում չկա. ոչ մի աստիճան չի ենթադրվում",
      ru: "строка {line}, {field}: гриф «{marking}» отсутствует в таблице грифов соглашения 2015 года; степень не предполагается",
      en: "line {line}, {field}: “{marking}” is not in the table of the 2015 agreement's markings; no level is assumed",
    },
  },
  /** A6.2: an import record names a custodian that is not an organisation of this node. */
  IMPORT_CUSTODIAN_UNKNOWN: {
    kind: "refusal",
    articles: ["A6.2"],
    comment:
      "An import record names a custodian that is not an organisation of this node (by its name in the node's directory).",
    messages: {
      kk: "{line}-жол, {field}: «{custodian}» осы түйіннің ұйымы емес",
      hy: "{line}-րդ տող, {field}. «{custodian}»-ը այս հանգույցի կազմակերպություն չէ",
      ru: "строка {line}, {field}: «{custodian}» не является организацией этого узла",
      en: "line {line}, {field}: “{custodian}” is not an organisation of this node",
    },
  },
  /** A6.2: a registry officer's import names another body as custodian; a registry officer keeps their own body's registry. */
  IMPORT_CUSTODIAN_NOT_OWN: {
    kind: "refusal",
    articles: ["A6.2"],
    comment:
      "A registry officer's import names another body than their own as custodian: a registry officer keeps their own body's registry (the competent authority imports for any body).",
    messages: {
      kk: "{line}-жол, {field}: тіркеу қызметкері тек өз органының тізіліміне импорттайды («{custodian}» емес)",
      hy: "{line}-րդ տող, {field}. հաշվառման աշխատակիցը ներմուծում է միայն իր մարմնի ռեեստր («{custodian}»-ը չէ)",
      ru: "строка {line}, {field}: сотрудник учёта импортирует только в реестр своего органа (не «{custodian}»)",
      en: "line {line}, {field}: a registry officer imports into their own body's registry only (not “{custodian}”)",
    },
  },
  /** A4.1.3, A1.11: the custodian of an import record holds no valid facility clearance of the record's level. */
  IMPORT_CUSTODIAN_NOT_CLEARED: {
    kind: "refusal",
    articles: ["A4.1.3", "A1.11"],
    comment:
      "The custodian of an import record holds no facility clearance of at least the record's level valid today: it cannot keep the carrier as national information of that level.",
    messages: {
      kk: "{line}-жол, {field}: «{custodian}» бүгін {level} дәрежесіне жарамды рұқсатқа ие емес",
      hy: "{line}-րդ տող, {field}. «{custodian}»-ն այսօր {level} աստիճանի համար վավեր թույլտվություն չունի",
      ru: "строка {line}, {field}: у «{custodian}» нет действующего сегодня допуска к степени {level}",
      en: "line {line}, {field}: “{custodian}” holds no facility clearance for {level} valid today",
    },
  },
  /** A4.2, A1.11: an import record is above the level the importing person and their body are cleared for now. */
  IMPORT_ABOVE_CLEARANCE: {
    kind: "refusal",
    articles: ["A4.2", "A1.11"],
    comment:
      "An import record is of a level above what the importing person and their body are validly cleared for now (they would register a record they may not learn of).",
    messages: {
      kk: "{line}-жол, {field}: {level} дәрежесі сіздің және органыңыздың қазіргі рұқсатынан жоғары",
      hy: "{line}-րդ տող, {field}. {level} աստիճանը գերազանցում է ձեր և ձեր մարմնի ներկայիս թույլտվությունը",
      ru: "строка {line}, {field}: степень {level} выше действующего допуска вашего и вашего органа",
      en: "line {line}, {field}: the level {level} is above what you and your body are cleared for now",
    },
  },
  /** A6.3–A6.7: an import record's originator body is unknown, so its written consent could not be asked. */
  IMPORT_ORIGINATOR_UNKNOWN: {
    kind: "refusal",
    articles: ["A6.7", "D3"],
    comment:
      "An import record's originator body is not a known body of its Party (this node's organisations; the other Party's directory as imported here), so the originator's written consent (A6.3–A6.7) could not be asked of it.",
    messages: {
      kk: "{line}-жол, {field}: «{body}» бұл түйінге белгілі {party} органы емес (оның келісімін сұрау мүмкін емес)",
      hy: "{line}-րդ տող, {field}. «{body}»-ը այս հանգույցին հայտնի {party}-ի մարմին չէ (դրա համաձայնությունը հնարավոր չէ հայցել)",
      ru: "строка {line}, {field}: «{body}» не известный этому узлу орган {party} (его согласие запросить нельзя)",
      en: "line {line}, {field}: “{body}” is not a body of {party} known to this node (its consent could not be asked)",
    },
  },
  /** A6.2: two records of one import file are the same carrier (same old number and copy, or the same originator's reference). */
  IMPORT_DUPLICATE_IN_FILE: {
    kind: "conflict",
    articles: ["A6.2"],
    comment:
      "Two records of one import file are the same carrier: the same old register number and copy in one body, or the same originator's reference.",
    messages: {
      kk: "{line}-жол, {field}: {otherLine}-жолдағы жеткізгіштің өзі",
      hy: "{line}-րդ տող, {field}. նույն կրիչն է, ինչ {otherLine}-րդ տողում",
      ru: "строка {line}, {field}: тот же носитель, что в строке {otherLine}",
      en: "line {line}, {field}: the same carrier as at line {otherLine}",
    },
  },
  /** A6.2: an import record is a carrier this registry already holds (imported before, or received under the new agreement). */
  IMPORT_ALREADY_REGISTERED: {
    kind: "conflict",
    articles: ["A6.2"],
    comment:
      "An import record is a carrier this registry already holds: imported before, or received under the new agreement with the same originator's reference.",
    messages: {
      kk: "{line}-жол, {field}: бұл жеткізгіш тізілімде {registrationNumber} нөмірімен бар",
      hy: "{line}-րդ տող, {field}. այս կրիչն արդեն ռեեստրում է {registrationNumber} համարով",
      ru: "строка {line}, {field}: этот носитель уже в реестре под номером {registrationNumber}",
      en: "line {line}, {field}: this carrier is already in the registry as {registrationNumber}",
    },
  },
  /** A4.1.1, A6.2, A1.8: a production node's audit signing key or content wrapping key would be read from inside its data directory. */
  NODE_KEY_IN_DATA_DIR: {
    kind: "configuration",
    articles: ["A4.1.1", "A6.2", "A1.8"],
    comment:
      "`kelisim serve` (production) refuses to start when the audit checkpoint signing key or the content wrapping key would be read from inside the data directory (a copy of the directory would let its holder re-sign a forged audit log or open the content keys); a *_FILE variable naming a path inside the data directory is refused everywhere.",
    messages: {
      kk: "кілттер деректер каталогының {dataDir} ішінде болмауы тиіс: {keys}; каталогтың көшірмесі оларды береді (жалған аудит бақылау нүктелері, ашылған мазмұн кілттері). Орнатыңыз: {set} (каталогтан тыс файл)",
      hy: "բանալիները չպետք է գտնվեն տվյալների {dataDir} պանակում՝ {keys}. պանակի պատճենը դրանք կհանձնի (կեղծ աուդիտի ստուգակետեր, բացված բովանդակության բանալիներ)։ Սահմանեք՝ {set} (պանակից դուրս ֆայլ)",
      ru: "ключи не должны лежать в каталоге данных {dataDir}: {keys}; копия каталога выдала бы их (поддельные контрольные точки аудита, вскрытые ключи содержимого). Задайте {set} (файл вне каталога данных)",
      en: "the keys must not be read from inside the data directory {dataDir}: {keys}; a copy of the directory would give them away (forged audit checkpoints, opened content keys). Set {set} (a file outside the data directory)",
    },
  },
  /** A4.1.1, A6.2, A1.8: a rotation of the content wrapping key or of the audit signing key cannot be done as asked; nothing was changed. */
  NODE_KEY_ROTATION_REFUSED: {
    kind: "refusal",
    articles: ["A4.1.1", "A6.2", "A1.8"],
    comment:
      "A rotation of the node's content wrapping key or audit signing key is refused before anything changed (no destination for the new key, a destination inside the data directory, content keys wrapped by a key the node does not hold).",
    messages: {
      kk: "{key} кілтін ауыстыру қабылданбады: {problem}; ештеңе өзгертілмеді",
      hy: "{key} բանալու փոխարինումը մերժված է։ {problem}. ոչինչ չի փոխվել",
      ru: "замена ключа {key} отклонена: {problem}; ничего не изменено",
      en: "the rotation of the {key} is refused: {problem}; nothing was changed",
    },
  },
} as const satisfies Record<string, ErrorCatalogueEntry>;

/** Every error code of Kelisim. */
export type ErrorCode = keyof typeof CATALOGUE;

/** The catalogue: code → kind, articles, comment and messages in the four languages. */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorCatalogueEntry>> = CATALOGUE;

/** Every error code, in catalogue order. */
export const ERROR_CODES = Object.keys(CATALOGUE) as readonly ErrorCode[];

/** True when `value` is a known error code. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(CATALOGUE, value);
}

/**
 * A refusal or error of Kelisim: a catalogue code, the articles it enforces (the catalogue's,
 * unless the thrower names more precise ones, e.g. a state machine's), and plain details.
 * `message` is the English rendering, for logs; users see {@link localizeError} in their language.
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly articles: readonly ArticleId[];
  readonly details: ErrorDetails;

  constructor(
    code: ErrorCode,
    details: ErrorDetails = {},
    options: { readonly articles?: readonly ArticleId[]; readonly cause?: unknown } = {},
  ) {
    const articles = options.articles ?? ERROR_CATALOGUE[code].articles;
    super(formatWithArticles(articles, renderTemplate(ERROR_CATALOGUE[code].messages.en, details)), {
      cause: options.cause,
    });
    this.name = "DomainError";
    this.code = code;
    this.articles = articles;
    this.details = details;
  }

  /** The kind of this error (see {@link ErrorKind}). */
  get kind(): ErrorKind {
    return ERROR_CATALOGUE[this.code].kind;
  }

  /** Plain data for logs, audit entries and API bodies. */
  toJSON(): { code: ErrorCode; articles: readonly ArticleId[]; details: ErrorDetails; message: string } {
    return { code: this.code, articles: this.articles, details: this.details, message: this.message };
  }
}

/** True when `error` is a DomainError (optionally of the given code). */
export function isDomainError(error: unknown, code?: ErrorCode): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}

/** True when the error is a refusal by a rule (exit code 1), as opposed to bad input or a broken node (2). */
export function isRuleRefusal(error: unknown): boolean {
  if (!(error instanceof DomainError)) return false;
  const kind = error.kind;
  return kind !== "invalid" && kind !== "configuration" && kind !== "unavailable";
}

/** The message of `error` in `lang`, details filled in, without the article prefix. */
export function localizeError(error: DomainError, lang: Language): string {
  return renderTemplate(ERROR_CATALOGUE[error.code].messages[lang], localizeDetails(error, lang), lang);
}

/** The line a user reads: `A2.1 — <message in lang>` (just the message when no article applies). */
export function describeError(error: DomainError, lang: Language): string {
  return formatWithArticles(error.articles, localizeError(error, lang));
}

/** Rebuilds a DomainError from its JSON form (e.g. received from the other node); unknown codes are refused. */
export function domainErrorFromJson(value: unknown): DomainError {
  if (typeof value !== "object" || value === null) {
    throw new DomainError("INPUT_INVALID", { field: "error", problem: "not an object" });
  }
  const v = value as { code?: unknown; articles?: unknown; details?: unknown };
  if (!isErrorCode(v.code)) {
    throw new DomainError("INPUT_INVALID", {
      field: "error.code",
      problem: `unknown code ${String(v.code)}`,
    });
  }
  const articles = Array.isArray(v.articles) ? v.articles.filter(isArticleId) : undefined;
  const details = typeof v.details === "object" && v.details !== null ? (v.details as ErrorDetails) : {};
  return new DomainError(v.code, details, articles ? { articles } : {});
}

// ACCESS_DENIED lists its failures (each a catalogue code): render them in the same language.
// VISIT_REQUEST_INCOMPLETE lists machine paths (kept so in the details): name each item instead.
function localizeDetails(error: DomainError, lang: Language): ErrorDetails {
  const missing = error.details.missing;
  if (error.code === "VISIT_REQUEST_INCOMPLETE" && Array.isArray(missing))
    return { ...error.details, missing: missing.map((m) => describeVisitItem(String(m), lang)).join("; ") };
  const failures = error.details.failures;
  if (!Array.isArray(failures)) return error.details;
  const reasons = failures
    .map((f) => {
      if (typeof f !== "object" || f === null || Array.isArray(f)) return null;
      const failure = f as { readonly [k: string]: JsonValue };
      const code = failure.code;
      if (!isErrorCode(code)) return null;
      const articles = ERROR_CATALOGUE[code].articles;
      return formatWithArticles(
        articles,
        renderTemplate(ERROR_CATALOGUE[code].messages[lang], failure, lang),
      );
    })
    .filter((s): s is string => s !== null);
  return { ...error.details, reasons: reasons.join("; ") };
}

function formatWithArticles(articles: readonly ArticleId[], message: string): string {
  return articles.length > 0 ? `${articles.join(", ")} — ${message}` : message;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?Z$/;

/**
 * A detail as a reader of `lang` writes it: in Kazakh, Armenian and Russian a calendar date is
 * DD.MM.YYYY and an instant DD.MM.YYYY HH:MM UTC (English keeps ISO 8601, as the CLI prints it).
 */
function formatValue(value: string, lang: Language | undefined): string {
  if (lang === undefined || lang === "en") return value;
  const date = ISO_DATE.exec(value);
  if (date) return `${date[3]}.${date[2]}.${date[1]}`;
  const instant = ISO_INSTANT.exec(value);
  if (instant) return `${instant[3]}.${instant[2]}.${instant[1]} ${instant[4]}:${instant[5]} UTC`;
  return value;
}

function renderTemplate(template: string, details: ErrorDetails, lang?: Language): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = details[name];
    if (value === undefined) return whole;
    if (Array.isArray(value)) return value.map((x) => formatValue(String(x), lang)).join(", ");
    return typeof value === "object" && value !== null
      ? JSON.stringify(value)
      : formatValue(String(value), lang);
  });
}
