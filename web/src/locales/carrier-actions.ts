// The registry officer's acts on a carrier (copy, translate, derive, custody, destroy, return, take
// back, withdraw need-to-know) in the four languages, spread into the main locale files:
// `carrierActionTexts` is the `carrierActions` namespace, `carrierActionEvents` the audit event names.
// Article references in each language's own form (en "A6.6", kk "6.6-бап", hy "հոդ. 6.6", ru "ст. 6.6").

const en = {
  title: "Registry actions",
  buttons: {
    copy: "Make a copy",
    translate: "Translate",
    derive: "Derive a carrier",
    custody: "Hand over to another body",
    destroy: "Destroy",
    return: "Return to the originator",
    "take-back": "Take back in",
    withdraw: "Withdraw need-to-know",
  },
  copy: {
    title: "Make a copy (A6.5, A6.1)",
    hint: "The copy keeps registration number {{number}} and the marking «{{marking}}»; it gets the next copy number.",
    submit: "Make the copy",
  },
  translate: {
    title: "Register a translation (A6.5, A6.1)",
    language: "Language of the translation",
    name: "Title of the translation (unclassified)",
    namePlaceholder: "default: the original's title with the language",
    content: "Translated content",
    contentHint: "The original is electronic: its translation is registered with its content.",
    submit: "Register the translation",
  },
  derive: {
    title: "Register a derived carrier (A6.1)",
    hint: "Marked no lower than its highest source: {{level}}.",
    kind: "Kind",
    name: "Title (unclassified)",
    level: "Level",
    levelDefault: "as the highest source",
    sheets: "Sheets",
    content: "Content",
    alsoFrom: "Further sources (registration numbers, comma-separated)",
    submit: "Register the derived carrier",
  },
  custody: {
    title: "Hand over to another body of this Party (A6.2, A1.11)",
    hint: "The receiving body must hold a valid facility clearance of at least this carrier's level.",
    to: "Receiving body",
    submit: "Hand over",
  },
  destroy: {
    title: "Destroy the carrier (A1.8, A6.6)",
    hint: "Its content key is erased and the content can never be recovered; the registry keeps the record.",
    start: "Destroy…",
    first: "Destroy carrier No. {{number}}, copy {{copy}}, marked «{{marking}}»?",
    firstYes: "Yes, continue",
    second:
      "Second confirmation: carrier No. {{number}}, copy {{copy}} «{{marking}}» will be destroyed now. This cannot be undone.",
    secondYes: "Destroy it for good",
  },
  return: {
    title: "Return to the originator (A6.6)",
    hint: "Only with the originator's written permission; the carrier leaves this registry and its content here is erased.",
    channel: "Channel",
    seals: "Seal numbers",
    sealsHint: "e.g. S-1041, S-1042",
    waybill: "Waybill",
    submit: "Return",
  },
  takeBack: {
    title: "Take back in a returned carrier (A6.6, A6.2)",
    hint: "The holder returned it with our written permission: it comes back into our custody under the same number.",
    sealsIntact: "The returned carrier arrived with its seals intact",
    submit: "Take back in",
  },
  withdraw: {
    title: "Withdraw need-to-know (A4.2)",
    hint: "Participants of the carrier's contract keep the need-to-know the contract gives them.",
    person: "Person",
    submit: "Withdraw",
  },
  cancel: "Cancel",
};

type Texts = {
  [K in keyof typeof en]: (typeof en)[K] extends string ? string : { [L in keyof (typeof en)[K]]: string };
};

const kk: Texts = {
  title: "Тізілім әрекеттері",
  buttons: {
    copy: "Көшірме жасау",
    translate: "Аудару",
    derive: "Туынды жеткізгіш",
    custody: "Басқа ұйымға беру",
    destroy: "Жою",
    return: "Бастапқы тарапқа қайтару",
    "take-back": "Қайтарылғанды қабылдау",
    withdraw: "Білу қажеттілігін қайтарып алу",
  },
  copy: {
    title: "Көшірме жасау (6.5, 6.1-баптар)",
    hint: "Көшірме {{number}} тіркеу нөмірін және «{{marking}}» белгісін сақтайды; оған келесі дана нөмірі беріледі.",
    submit: "Көшірме жасау",
  },
  translate: {
    title: "Аударманы тіркеу (6.5, 6.1-баптар)",
    language: "Аударма тілі",
    name: "Аударманың атауы (құпия емес)",
    namePlaceholder: "әдепкі: түпнұсқаның атауы мен тілі",
    content: "Аударылған мазмұн",
    contentHint: "Түпнұсқа электрондық: аудармасы мазмұнымен бірге тіркеледі.",
    submit: "Аударманы тіркеу",
  },
  derive: {
    title: "Туынды жеткізгішті тіркеу (6.1-бап)",
    hint: "Ең жоғары дереккөзінен төмен емес белгіленеді: {{level}}.",
    kind: "Түрі",
    name: "Атауы (құпия емес)",
    level: "Дәреже",
    levelDefault: "ең жоғары дереккөздей",
    sheets: "Парақ саны",
    content: "Мазмұны",
    alsoFrom: "Басқа дереккөздер (тіркеу нөмірлері, үтір арқылы)",
    submit: "Туынды жеткізгішті тіркеу",
  },
  custody: {
    title: "Осы Тараптың басқа ұйымына беру (6.2, 1.11-баптар)",
    hint: "Қабылдайтын ұйымның кемінде осы дәрежедегі жарамды объектілік рұқсаты болуы керек.",
    to: "Қабылдайтын ұйым",
    submit: "Беру",
  },
  destroy: {
    title: "Жеткізгішті жою (1.8, 6.6-баптар)",
    hint: "Мазмұн кілті өшіріледі, мазмұнды ешқашан қалпына келтіру мүмкін емес; тізілім жазбаны сақтайды.",
    start: "Жою…",
    first: "№ {{number}}, {{copy}}-дана, «{{marking}}» белгісі бар жеткізгішті жою керек пе?",
    firstYes: "Иә, жалғастыру",
    second:
      "Екінші растау: № {{number}}, {{copy}}-дана «{{marking}}» жеткізгіші қазір жойылады. Мұны кері қайтаруға болмайды.",
    secondYes: "Біржола жою",
  },
  return: {
    title: "Бастапқы тарапқа қайтару (6.6-бап)",
    hint: "Тек бастапқы тараптың жазбаша рұқсатымен; жеткізгіш осы тізілімнен шығады, мұндағы мазмұны өшіріледі.",
    channel: "Арна",
    seals: "Пломба нөмірлері",
    sealsHint: "мысалы, S-1041, S-1042",
    waybill: "Жүкқұжат",
    submit: "Қайтару",
  },
  takeBack: {
    title: "Қайтарылған жеткізгішті қабылдау (6.6, 6.2-баптар)",
    hint: "Ұстаушы оны біздің жазбаша рұқсатымызбен қайтарды: ол сол нөмірмен біздің сақтауымызға оралады.",
    sealsIntact: "Қайтарылған жеткізгіштің пломбалары бүтін",
    submit: "Қабылдау",
  },
  withdraw: {
    title: "Білу қажеттілігін қайтарып алу (4.2-бап)",
    hint: "Жеткізгіш шартының қатысушылары шарт берген білу қажеттілігін сақтайды.",
    person: "Адам",
    submit: "Қайтарып алу",
  },
  cancel: "Болдырмау",
};

const hy: Texts = {
  title: "Գրանցամատյանի գործողություններ",
  buttons: {
    copy: "Պատճենել",
    translate: "Թարգմանել",
    derive: "Ածանցյալ կրիչ",
    custody: "Հանձնել այլ մարմնի",
    destroy: "Ոչնչացնել",
    return: "Վերադարձնել սկզբնաղբյուրին",
    "take-back": "Ընդունել վերադարձվածը",
    withdraw: "Հետ կանչել իմանալու անհրաժեշտությունը",
  },
  copy: {
    title: "Պատճենահանում (հոդ. 6.5, 6.1)",
    hint: "Պատճենը պահպանում է {{number}} գրանցման համարը և «{{marking}}» նշագիրը, ստանում է հաջորդ օրինակի համարը։",
    submit: "Պատճենել",
  },
  translate: {
    title: "Թարգմանության գրանցում (հոդ. 6.5, 6.1)",
    language: "Թարգմանության լեզուն",
    name: "Թարգմանության անվանումը (ոչ գաղտնի)",
    namePlaceholder: "լռելյայն՝ բնօրինակի անվանումը լեզվով",
    content: "Թարգմանված բովանդակություն",
    contentHint: "Բնօրինակը էլեկտրոնային է․ թարգմանությունը գրանցվում է իր բովանդակությամբ։",
    submit: "Գրանցել թարգմանությունը",
  },
  derive: {
    title: "Ածանցյալ կրիչի գրանցում (հոդ. 6.1)",
    hint: "Նշագրվում է ոչ ցածր, քան ամենաբարձր աղբյուրը՝ {{level}}։",
    kind: "Տեսակ",
    name: "Անվանում (ոչ գաղտնի)",
    level: "Աստիճան",
    levelDefault: "ինչպես ամենաբարձր աղբյուրը",
    sheets: "Թերթերի քանակ",
    content: "Բովանդակություն",
    alsoFrom: "Այլ աղբյուրներ (գրանցման համարներ՝ ստորակետով)",
    submit: "Գրանցել ածանցյալ կրիչը",
  },
  custody: {
    title: "Հանձնել այս Կողմի այլ մարմնի (հոդ. 6.2, 1.11)",
    hint: "Ընդունող մարմինը պետք է ունենա առնվազն այս աստիճանի գործող օբյեկտային թույլտվություն։",
    to: "Ընդունող մարմին",
    submit: "Հանձնել",
  },
  destroy: {
    title: "Կրիչի ոչնչացում (հոդ. 1.8, 6.6)",
    hint: "Բովանդակության բանալին ջնջվում է, բովանդակությունն այլևս չի վերականգնվի․ գրանցամատյանը պահում է գրառումը։",
    start: "Ոչնչացնել…",
    first: "Ոչնչացնե՞լ № {{number}}, օրինակ {{copy}}, «{{marking}}» նշագրով կրիչը։",
    firstYes: "Այո, շարունակել",
    second:
      "Երկրորդ հաստատում․ № {{number}}, օրինակ {{copy}} «{{marking}}» կրիչը կոչնչացվի հիմա։ Սա անդառնալի է։",
    secondYes: "Ոչնչացնել վերջնականապես",
  },
  return: {
    title: "Վերադարձ սկզբնաղբյուրին (հոդ. 6.6)",
    hint: "Միայն սկզբնաղբյուրի գրավոր թույլտվությամբ․ կրիչը դուրս է գալիս այս գրանցամատյանից, այստեղի բովանդակությունը ջնջվում է։",
    channel: "Ուղի",
    seals: "Կնիքների համարներ",
    sealsHint: "օրինակ՝ S-1041, S-1042",
    waybill: "Բեռնագիր",
    submit: "Վերադարձնել",
  },
  takeBack: {
    title: "Վերադարձված կրիչի ընդունում (հոդ. 6.6, 6.2)",
    hint: "Պահառուն այն վերադարձրել է մեր գրավոր թույլտվությամբ․ այն վերադառնում է մեր պահառությանը նույն համարով։",
    sealsIntact: "Վերադարձված կրիչի կնիքներն անվնաս են",
    submit: "Ընդունել",
  },
  withdraw: {
    title: "Իմանալու անհրաժեշտության հետկանչ (հոդ. 4.2)",
    hint: "Կրիչի պայմանագրի մասնակիցները պահպանում են պայմանագրով տրված իմանալու անհրաժեշտությունը։",
    person: "Անձ",
    submit: "Հետ կանչել",
  },
  cancel: "Չեղարկել",
};

const ru: Texts = {
  title: "Действия регистратуры",
  buttons: {
    copy: "Снять копию",
    translate: "Перевести",
    derive: "Производный носитель",
    custody: "Передать другой организации",
    destroy: "Уничтожить",
    return: "Вернуть стороне-источнику",
    "take-back": "Принять возвращённый",
    withdraw: "Отозвать доступ по необходимости",
  },
  copy: {
    title: "Снятие копии (ст. 6.5, 6.1)",
    hint: "Копия сохраняет регистрационный номер {{number}} и гриф «{{marking}}», получает следующий номер экземпляра.",
    submit: "Снять копию",
  },
  translate: {
    title: "Регистрация перевода (ст. 6.5, 6.1)",
    language: "Язык перевода",
    name: "Название перевода (несекретное)",
    namePlaceholder: "по умолчанию: название оригинала с языком",
    content: "Переведённое содержимое",
    contentHint: "Оригинал электронный: перевод регистрируется вместе с содержимым.",
    submit: "Зарегистрировать перевод",
  },
  derive: {
    title: "Регистрация производного носителя (ст. 6.1)",
    hint: "Гриф не ниже самого высокого источника: {{level}}.",
    kind: "Вид",
    name: "Название (несекретное)",
    level: "Степень",
    levelDefault: "как у самого высокого источника",
    sheets: "Листов",
    content: "Содержимое",
    alsoFrom: "Другие источники (регистрационные номера через запятую)",
    submit: "Зарегистрировать производный носитель",
  },
  custody: {
    title: "Передача другой организации этой Стороны (ст. 6.2, 1.11)",
    hint: "У принимающей организации должен быть действующий допуск к работе не ниже степени носителя.",
    to: "Принимающая организация",
    submit: "Передать",
  },
  destroy: {
    title: "Уничтожение носителя (ст. 1.8, 6.6)",
    hint: "Ключ содержимого стирается, содержимое не восстановить никогда; учётная запись в регистратуре сохраняется.",
    start: "Уничтожить…",
    first: "Уничтожить носитель № {{number}}, экз. {{copy}}, с грифом «{{marking}}»?",
    firstYes: "Да, продолжить",
    second:
      "Второе подтверждение: носитель № {{number}}, экз. {{copy}} «{{marking}}» будет уничтожен сейчас. Это необратимо.",
    secondYes: "Уничтожить окончательно",
  },
  return: {
    title: "Возврат стороне-источнику (ст. 6.6)",
    hint: "Только с письменного разрешения стороны-источника; носитель выбывает из этой регистратуры, содержимое здесь стирается.",
    channel: "Канал",
    seals: "Номера пломб",
    sealsHint: "например, S-1041, S-1042",
    waybill: "Накладная",
    submit: "Вернуть",
  },
  takeBack: {
    title: "Приём возвращённого носителя (ст. 6.6, 6.2)",
    hint: "Держатель вернул его с нашего письменного разрешения: носитель возвращается на наше хранение под тем же номером.",
    sealsIntact: "Пломбы возвращённого носителя целы",
    submit: "Принять",
  },
  withdraw: {
    title: "Отзыв доступа по необходимости (ст. 4.2)",
    hint: "Участники контракта носителя сохраняют доступ, который даёт им контракт.",
    person: "Лицо",
    submit: "Отозвать",
  },
  cancel: "Отмена",
};

export const carrierActionTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = { en, kk, hy, ru };

/** The audit event of a withdrawal, as the audit and history tables name it. */
export const carrierActionEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: { "carrier_need-to-know-withdrawn": "Need-to-know withdrawn" },
  kk: { "carrier_need-to-know-withdrawn": "Білу қажеттілігі қайтарылып алынды" },
  hy: { "carrier_need-to-know-withdrawn": "Իմանալու անհրաժեշտությունը հետ է կանչվել" },
  ru: { "carrier_need-to-know-withdrawn": "Доступ по необходимости отозван" },
};
