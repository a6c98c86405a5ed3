// The obligations page's texts in the four languages (kept apart from the main locale files, which
// each spread them in): what a person acknowledges before their first access (A4.4). The text of
// the obligations itself comes from the agreement pack through the API; `obligationsTexts` is the
// `obligations` namespace, `obligationsEvents` the audit event names.

const en = {
  intro:
    "Before your first access to classified information you acknowledge the obligations you take on under the law of your state (A4.4). Until then no carrier is shown to you.",
  version: "Text {{version}} · {{articles}}",
  changed:
    "The text has changed since you acknowledged version {{version}} on {{date}}: read it again and acknowledge the current version.",
  check: "I have read these obligations and take them on",
  acknowledge: "I acknowledge",
  acknowledging: "Recording…",
  column: "Obligations (A4.4)",
  acknowledgedOn: "acknowledged {{date}}",
  notAcknowledged: "not acknowledged",
};

type Texts = { [K in keyof typeof en]: string };

const kk: Texts = {
  intro:
    "Құпия мәліметтерге алғаш рет қол жеткізер алдында сіз өз мемлекетіңіздің заңнамасы бойынша өзіңізге алатын міндеттемелерді растайсыз (A4.4). Оған дейін сізге ешбір жеткізгіш көрсетілмейді.",
  version: "Мәтін {{version}} · {{articles}}",
  changed:
    "Сіз {{version}} нұсқасын {{date}} растағаннан бері мәтін өзгерді: оны қайта оқып, қолданыстағы нұсқаны растаңыз.",
  check: "Осы міндеттемелерді оқыдым және өзіме қабылдаймын",
  acknowledge: "Растаймын",
  acknowledging: "Тіркелуде…",
  column: "Міндеттемелер (A4.4)",
  acknowledgedOn: "расталды {{date}}",
  notAcknowledged: "расталмаған",
};

const hy: Texts = {
  intro:
    "Գաղտնի տեղեկություններին առաջին անգամ հասանելիություն ստանալուց առաջ դուք հաստատում եք ձեր պետության օրենսդրությամբ ստանձնվող պարտավորությունները (A4.4)։ Մինչ այդ ձեզ ոչ մի կրիչ չի ցուցադրվում։",
  version: "Տեքստ {{version}} · {{articles}}",
  changed:
    "Տեքստը փոխվել է այն պահից, երբ դուք հաստատեցիք {{version}} տարբերակը {{date}}-ին. կարդացեք այն կրկին և հաստատեք գործող տարբերակը։",
  check: "Ես կարդացել եմ այս պարտավորությունները և ստանձնում եմ դրանք",
  acknowledge: "Հաստատում եմ",
  acknowledging: "Գրանցվում է…",
  column: "Պարտավորություններ (A4.4)",
  acknowledgedOn: "հաստատված է {{date}}",
  notAcknowledged: "հաստատված չէ",
};

const ru: Texts = {
  intro:
    "Перед первым доступом к секретным сведениям вы подтверждаете обязательства, которые принимаете на себя по законодательству своего государства (A4.4). До этого вам не показывается ни один носитель.",
  version: "Текст {{version}} · {{articles}}",
  changed:
    "Текст изменился с тех пор, как вы подтвердили версию {{version}} {{date}}: прочитайте его снова и подтвердите действующую версию.",
  check: "Я прочитал(а) эти обязательства и принимаю их на себя",
  acknowledge: "Подтверждаю",
  acknowledging: "Записывается…",
  column: "Обязательства (A4.4)",
  acknowledgedOn: "подтверждено {{date}}",
  notAcknowledged: "не подтверждено",
};

export const obligationsTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = { en, kk, hy, ru };

/** The audit log's names of the obligations' events (events.<type with _ for .>). */
export const obligationsEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {
    "person_obligations-shown": "Obligations shown (A4.4)",
    "person_obligations-acknowledged": "Obligations acknowledged (A4.4)",
    "people_obligations-listed": "Acknowledgements of obligations listed (A4.4)",
  },
  kk: {
    "person_obligations-shown": "Міндеттемелер көрсетілді (A4.4)",
    "person_obligations-acknowledged": "Міндеттемелер расталды (A4.4)",
    "people_obligations-listed": "Міндеттемелердің расталуы тізімделді (A4.4)",
  },
  hy: {
    "person_obligations-shown": "Պարտավորությունները ցուցադրվել են (A4.4)",
    "person_obligations-acknowledged": "Պարտավորությունները հաստատվել են (A4.4)",
    "people_obligations-listed": "Պարտավորությունների հաստատումների ցանկը ցուցադրվել է (A4.4)",
  },
  ru: {
    "person_obligations-shown": "Показаны обязательства (A4.4)",
    "person_obligations-acknowledged": "Обязательства подтверждены (A4.4)",
    "people_obligations-listed": "Показан список подтверждений обязательств (A4.4)",
  },
};
