// The agreement page's texts in the four languages (kept apart from the main locale files, which each
// spread them in): `agreementTexts` is the `agreement` namespace, `agreementMessageKinds` the names of
// the agreement's messages on the Messages page, `agreementEvents` the audit event names (A15).

const en = {
  title: "The agreement (A15)",
  intro:
    "The agreement's own life: it enters into force on the day the last written notice of completed internal procedures is received (A15.1); either Party may terminate it by written notice, and it ends six months after that notice is received (A15.2). The notices go to the other Party's competent authority as signed messages.",
  summaryTitle: "Status",
  status: "Status",
  statuses: {
    signed: "Signed, not yet in force (A15.1)",
    "partly-notified": "One Party's notice received, not yet in force (A15.1)",
    "in-force": "In force (A15.1)",
    "termination-notified": "Termination notified (A15.2)",
    terminated: "Terminated; protection continues (A15.2, A15.3)",
  },
  inForceOn: "Entered into force on (A15.1)",
  notInForce: "Not yet in force",
  termination: "Termination (A15.2)",
  terminationText: "Notified by the {{party}}, received {{received}}; the agreement terminates on {{date}}",
  noTermination: "No termination notified",
  withdrawalRule: "Withdrawal of a termination notice",
  withdrawal: {
    "before-effect":
      "May be withdrawn by the Party that gave it, before it takes effect (A15.2; the agreement is silent: the pack's policy, after Article 68 of the 1969 Vienna Convention)",
    never: "Cannot be withdrawn (A15.2; the pack's policy)",
  },
  signedNotBefore: "No notice can be dated before",
  noticesTitle: "Written notices between the competent authorities",
  withdrawnNote: "withdrawn by the Party that gave it (A15.2): it no longer stands",
  noNotices: "No notices yet.",
  col: {
    kind: "Notice",
    direction: "Direction",
    from: "From",
    datedOn: "Dated",
    reference: "Reference",
    sent: "Sent",
    received: "Received",
    state: "State",
  },
  kinds: {
    "procedures-completed": "Notice of completed internal procedures (A15.1)",
    termination: "Notice of termination (A15.2)",
    "termination-withdrawal": "Withdrawal of the termination notice (A15.2)",
  },
  direction: { out: "Sent by us", in: "Received from the other Party" },
  states: {
    sent: "Sent, awaiting receipt",
    received: "Received",
    refused: "Refused by the other Party",
  },
  form: {
    title: "Send a written notice to the other Party's competent authority",
    kind: "Notice",
    datedOn: "Dated",
    dayPlaceholder: "DD/MM/YYYY",
    datedHint: "The date the note bears: not in the future, not before the earliest date it can have.",
    reference: "Reference (number of the note)",
    referenceHint: "e.g. No. 12-3/456",
    submit: "Send the notice",
    confirm:
      "The notice goes to the other Party at once and stays on record; a termination can only be withdrawn by a further notice, as the pack allows. Send it?",
    confirmYes: "Yes, send it",
    cancel: "Cancel",
    sent: "The notice is sent; it counts from the moment the other Party receives it.",
  },
  outstanding: {
    title: "What remains under protection (A15.3)",
    intro:
      "The other Party's carriers held here that are neither destroyed, declassified nor returned: the protection of Article 4 continues for them even after termination (A15.3).",
    at: "As of {{at}}",
    total: "Carriers under protection: {{count}}",
    byState: "By state",
    empty: "No carrier of the other Party remains under protection here.",
    col: {
      number: "Registration No./copy",
      title: "Title (unclassified)",
      level: "Level",
      originator: "Originating Party",
      state: "State",
      custodian: "Custodian",
    },
  },
};

type Texts = {
  [K in keyof typeof en]: (typeof en)[K] extends string
    ? string
    : {
        [L in keyof (typeof en)[K]]: (typeof en)[K][L] extends string
          ? string
          : { [M in keyof (typeof en)[K][L]]: string };
      };
};

const kk: Texts = {
  title: "Келісім (15-бап)",
  intro:
    "Келісімнің өз өмірі: ол мемлекетішілік рәсімдердің орындалғаны туралы соңғы жазбаша хабарлама алынған күннен бастап күшіне енеді (15.1-бап); Тараптардың әрқайсысы оның қолданысын жазбаша хабарлама арқылы тоқтата алады, және Келісімнің қолданылуы сол хабарлама алынған күннен бастап алты ай өткен соң тоқтатылады (15.2-бап). Хабарламалар екінші Тараптың құзыретті органына қол қойылған хабарлар ретінде жіберіледі.",
  summaryTitle: "Күйі",
  status: "Күйі",
  statuses: {
    signed: "Қол қойылды, әлі күшіне енген жоқ (15.1-бап)",
    "partly-notified": "Бір Тараптың хабарламасы алынды, әлі күшіне енген жоқ (15.1-бап)",
    "in-force": "Күшінде (15.1-бап)",
    "termination-notified": "Қолданысын тоқтату туралы хабарланды (15.2-бап)",
    terminated: "Қолданысы тоқтатылды; қорғау жалғасады (15.2, 15.3-баптар)",
  },
  inForceOn: "Күшіне енген күні (15.1-бап)",
  notInForce: "Әлі күшіне енген жоқ",
  termination: "Қолданысын тоқтату (15.2-бап)",
  terminationText:
    "Хабарлаған: {{party}}, алынған уақыты {{received}}; Келісімнің қолданылуы {{date}} күні тоқтатылады",
  noTermination: "Қолданысын тоқтату туралы хабарлама жоқ",
  withdrawalRule: "Тоқтату туралы хабарламаны кері қайтару",
  withdrawal: {
    "before-effect":
      "Оны берген Тарап хабарлама күшіне енгенге дейін кері қайтара алады (15.2-бап; Келісімде бұл туралы айтылмаған: пакеттің саясаты, 1969 жылғы Вена конвенциясының 68-бабы бойынша)",
    never: "Кері қайтаруға болмайды (15.2-бап; пакеттің саясаты)",
  },
  signedNotBefore: "Хабарлама мына күннен ерте күнмен жазылмайды",
  noticesTitle: "Құзыретті органдар арасындағы жазбаша хабарламалар",
  withdrawnNote: "оны берген Тарап кері қайтарды (15.2-бап): енді күшінде емес",
  noNotices: "Әзірге хабарламалар жоқ.",
  col: {
    kind: "Хабарлама",
    direction: "Бағыты",
    from: "Кімнен",
    datedOn: "Күні",
    reference: "Нөмірі",
    sent: "Жіберілді",
    received: "Алынды",
    state: "Жағдайы",
  },
  kinds: {
    "procedures-completed": "Мемлекетішілік рәсімдердің орындалғаны туралы хабарлама (15.1-бап)",
    termination: "Келісімнің қолданысын тоқтату туралы хабарлама (15.2-бап)",
    "termination-withdrawal": "Тоқтату туралы хабарламаны кері қайтару (15.2-бап)",
  },
  direction: { out: "Біз жібердік", in: "Екінші Тараптан алынды" },
  states: {
    sent: "Жіберілді, алынуы күтілуде",
    received: "Алынды",
    refused: "Екінші Тарап қабылдамады",
  },
  form: {
    title: "Екінші Тараптың құзыретті органына жазбаша хабарлама жіберу",
    kind: "Хабарлама",
    datedOn: "Күні",
    dayPlaceholder: "КК.АА.ЖЖЖЖ",
    datedHint: "Хабарламадағы күн: болашақта емес және оның болуы мүмкін ең ерте күнінен бұрын емес.",
    reference: "Нөмірі (нотаның нөмірі)",
    referenceHint: "мысалы, № 12-3/456",
    submit: "Хабарламаны жіберу",
    confirm:
      "Хабарлама екінші Тарапқа бірден жіберіледі және тіркеліп қалады; тоқтату туралы хабарламаны тек жаңа хабарламамен, пакет рұқсат еткендей, кері қайтаруға болады. Жіберу керек пе?",
    confirmYes: "Иә, жіберу",
    cancel: "Болдырмау",
    sent: "Хабарлама жіберілді; ол екінші Тарап алған сәттен бастап есептеледі.",
  },
  outstanding: {
    title: "Қорғауда қалғандар (15.3-бап)",
    intro:
      "Осында сақталатын, жойылмаған, құпиясыздандырылмаған және қайтарылмаған екінші Тараптың жеткізгіштері: Келісімнің қолданысы тоқтатылғаннан кейін де оларға 4-бапта көзделген қорғау шаралары қолданыла береді (15.3-бап).",
    at: "{{at}} жағдай бойынша",
    total: "Қорғаудағы жеткізгіштер: {{count}}",
    byState: "Жағдайы бойынша",
    empty: "Мұнда қорғауда қалған екінші Тараптың жеткізгіштері жоқ.",
    col: {
      number: "Тіркеу № / дана",
      title: "Атауы (құпия емес)",
      level: "Деңгейі",
      originator: "Жасаушы Тарап",
      state: "Жағдайы",
      custodian: "Сақтаушы",
    },
  },
};

const hy: Texts = {
  title: "Համաձայնագիրը (հոդ. 15)",
  intro:
    "Համաձայնագրի սեփական կյանքը․ այն ուժի մեջ է մտնում ներպետական ընթացակարգերի կատարման մասին վերջին գրավոր ծանուցումը ստանալու օրվանից (հոդ. 15.1)։ Կողմերից յուրաքանչյուրը կարող է դադարեցնել դրա գործողությունը գրավոր ծանուցմամբ, և համաձայնագրի գործողությունը դադարում է այդ ծանուցումը ստանալու օրվանից վեց ամիս անց (հոդ. 15.2)։ Ծանուցումներն ուղարկվում են մյուս Կողմի իրավասու մարմնին՝ որպես ստորագրված հաղորդագրություններ։",
  summaryTitle: "Կարգավիճակ",
  status: "Կարգավիճակ",
  statuses: {
    signed: "Ստորագրված է, դեռ ուժի մեջ չէ (հոդ. 15.1)",
    "partly-notified": "Ստացվել է մեկ Կողմի ծանուցումը, դեռ ուժի մեջ չէ (հոդ. 15.1)",
    "in-force": "Ուժի մեջ է (հոդ. 15.1)",
    "termination-notified": "Ծանուցվել է գործողության դադարեցման մասին (հոդ. 15.2)",
    terminated: "Գործողությունը դադարեցված է․ պաշտպանությունը շարունակվում է (հոդ. 15.2, 15.3)",
  },
  inForceOn: "Ուժի մեջ մտնելու օրը (հոդ. 15.1)",
  notInForce: "Դեռ ուժի մեջ չէ",
  termination: "Գործողության դադարեցում (հոդ. 15.2)",
  terminationText:
    "Ծանուցել է՝ {{party}}, ստացվել է {{received}}․ համաձայնագրի գործողությունը դադարում է {{date}}",
  noTermination: "Դադարեցման մասին ծանուցում չկա",
  withdrawalRule: "Դադարեցման մասին ծանուցման հետկանչ",
  withdrawal: {
    "before-effect":
      "Այն տված Կողմը կարող է հետ կանչել մինչև ծանուցման ուժի մեջ մտնելը (հոդ. 15.2․ համաձայնագիրն այս մասին լռում է՝ փաթեթի քաղաքականություն, 1969 թ. Վիեննայի կոնվենցիայի 68-րդ հոդվածի համաձայն)",
    never: "Հետ կանչել չի կարելի (հոդ. 15.2․ փաթեթի քաղաքականություն)",
  },
  signedNotBefore: "Ծանուցումը չի կարող թվագրված լինել ավելի վաղ, քան",
  noticesTitle: "Իրավասու մարմինների միջև գրավոր ծանուցումներ",
  withdrawnNote: "հետ է կանչվել այն տված Կողմի կողմից (հոդ. 15.2). այլևս ուժի մեջ չէ",
  noNotices: "Ծանուցումներ դեռ չկան։",
  col: {
    kind: "Ծանուցում",
    direction: "Ուղղություն",
    from: "Ումից",
    datedOn: "Ամսաթիվ",
    reference: "Համար",
    sent: "Ուղարկված",
    received: "Ստացված",
    state: "Վիճակ",
  },
  kinds: {
    "procedures-completed": "Ներպետական ընթացակարգերի կատարման մասին ծանուցում (հոդ. 15.1)",
    termination: "Համաձայնագրի գործողության դադարեցման մասին ծանուցում (հոդ. 15.2)",
    "termination-withdrawal": "Դադարեցման մասին ծանուցման հետկանչ (հոդ. 15.2)",
  },
  direction: { out: "Ուղարկվել է մեր կողմից", in: "Ստացվել է մյուս Կողմից" },
  states: {
    sent: "Ուղարկված է, սպասվում է ստացումը",
    received: "Ստացված է",
    refused: "Մյուս Կողմը մերժել է",
  },
  form: {
    title: "Գրավոր ծանուցում ուղարկել մյուս Կողմի իրավասու մարմնին",
    kind: "Ծանուցում",
    datedOn: "Ամսաթիվ",
    dayPlaceholder: "ՕՕ.ԱԱ.ՏՏՏՏ",
    datedHint: "Ծանուցման ամսաթիվը՝ ոչ ապագայում և ոչ ավելի վաղ, քան այն կարող է լինել։",
    reference: "Համար (նոտայի համարը)",
    referenceHint: "օրինակ՝ № 12-3/456",
    submit: "Ուղարկել ծանուցումը",
    confirm:
      "Ծանուցումն անմիջապես ուղարկվում է մյուս Կողմին և մնում է գրանցված. դադարեցման ծանուցումը կարող է հետ կանչվել միայն նոր ծանուցմամբ, ինչպես թույլ է տալիս փաթեթը։ Ուղարկե՞լ։",
    confirmYes: "Այո, ուղարկել",
    cancel: "Չեղարկել",
    sent: "Ծանուցումն ուղարկված է․ այն հաշվվում է մյուս Կողմի կողմից ստանալու պահից։",
  },
  outstanding: {
    title: "Պաշտպանության ներքո մնացածը (հոդ. 15.3)",
    intro:
      "Այստեղ պահվող մյուս Կողմի կրիչները, որոնք ոչ ոչնչացված են, ոչ գաղտնազերծված, ոչ էլ վերադարձված․ դրանց նկատմամբ 4-րդ հոդվածով նախատեսված պաշտպանության միջոցները շարունակվում են նաև դադարեցումից հետո (հոդ. 15.3)։",
    at: "{{at}} դրությամբ",
    total: "Պաշտպանության ներքո գտնվող կրիչներ՝ {{count}}",
    byState: "Ըստ վիճակի",
    empty: "Այստեղ մյուս Կողմի որևէ կրիչ պաշտպանության ներքո չի մնացել։",
    col: {
      number: "Գրանցման № / օրինակ",
      title: "Անվանում (ոչ գաղտնի)",
      level: "Մակարդակ",
      originator: "Ստեղծող Կողմ",
      state: "Վիճակ",
      custodian: "Պահառու",
    },
  },
};

const ru: Texts = {
  title: "Соглашение (ст. 15)",
  intro:
    "Собственная жизнь Соглашения: оно вступает в силу с даты получения последнего письменного уведомления о выполнении внутригосударственных процедур (ст. 15.1); каждая из Сторон может прекратить его действие письменным уведомлением, и действие Соглашения прекращается по истечении шести месяцев с даты получения этого уведомления (ст. 15.2). Уведомления направляются компетентному органу другой Стороны подписанными сообщениями.",
  summaryTitle: "Состояние",
  status: "Состояние",
  statuses: {
    signed: "Подписано, ещё не вступило в силу (ст. 15.1)",
    "partly-notified": "Получено уведомление одной Стороны, ещё не вступило в силу (ст. 15.1)",
    "in-force": "Действует (ст. 15.1)",
    "termination-notified": "Уведомлено о прекращении действия (ст. 15.2)",
    terminated: "Действие прекращено; защита продолжается (ст. 15.2, 15.3)",
  },
  inForceOn: "Дата вступления в силу (ст. 15.1)",
  notInForce: "Ещё не вступило в силу",
  termination: "Прекращение действия (ст. 15.2)",
  terminationText: "Уведомила: {{party}}, получено {{received}}; действие Соглашения прекращается {{date}}",
  noTermination: "Уведомления о прекращении нет",
  withdrawalRule: "Отзыв уведомления о прекращении",
  withdrawal: {
    "before-effect":
      "Может быть отозвано направившей его Стороной до вступления в силу (ст. 15.2; Соглашение об этом молчит: политика пакета, по статье 68 Венской конвенции 1969 года)",
    never: "Отозвать нельзя (ст. 15.2; политика пакета)",
  },
  signedNotBefore: "Уведомление не может быть датировано ранее",
  noticesTitle: "Письменные уведомления между компетентными органами",
  withdrawnNote: "отозвано направившей его Стороной (ст. 15.2): больше не действует",
  noNotices: "Уведомлений пока нет.",
  col: {
    kind: "Уведомление",
    direction: "Направление",
    from: "От кого",
    datedOn: "Дата",
    reference: "Номер",
    sent: "Отправлено",
    received: "Получено",
    state: "Состояние",
  },
  kinds: {
    "procedures-completed": "Уведомление о выполнении внутригосударственных процедур (ст. 15.1)",
    termination: "Уведомление о прекращении действия Соглашения (ст. 15.2)",
    "termination-withdrawal": "Отзыв уведомления о прекращении (ст. 15.2)",
  },
  direction: { out: "Отправлено нами", in: "Получено от другой Стороны" },
  states: {
    sent: "Отправлено, ожидается получение",
    received: "Получено",
    refused: "Отклонено другой Стороной",
  },
  form: {
    title: "Направить письменное уведомление компетентному органу другой Стороны",
    kind: "Уведомление",
    datedOn: "Дата",
    dayPlaceholder: "ДД.ММ.ГГГГ",
    datedHint: "Дата, которую носит нота: не в будущем и не ранее самой ранней возможной даты.",
    reference: "Номер (номер ноты)",
    referenceHint: "например, № 12-3/456",
    submit: "Направить уведомление",
    confirm:
      "Уведомление сразу направляется другой Стороне и остаётся в записях; уведомление о прекращении отзывается только новым уведомлением, как допускает пакет. Направить?",
    confirmYes: "Да, направить",
    cancel: "Отмена",
    sent: "Уведомление направлено; оно считается с момента его получения другой Стороной.",
  },
  outstanding: {
    title: "Что остаётся под защитой (ст. 15.3)",
    intro:
      "Хранящиеся здесь носители другой Стороны, которые не уничтожены, не рассекречены и не возвращены: меры защиты, предусмотренные статьёй 4, продолжают применяться к ним и после прекращения действия Соглашения (ст. 15.3).",
    at: "По состоянию на {{at}}",
    total: "Носителей под защитой: {{count}}",
    byState: "По состоянию",
    empty: "Здесь не осталось под защитой ни одного носителя другой Стороны.",
    col: {
      number: "Рег. № / экз.",
      title: "Название (несекретное)",
      level: "Степень",
      originator: "Сторона-источник",
      state: "Состояние",
      custodian: "Хранитель",
    },
  },
};

export const agreementTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = { en, kk, hy, ru };

/** The agreement's messages as the Messages page names them (messages.kinds.<kind>, A15.1, A15.2). */
export const agreementMessageKinds: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {
    "agreement-notice": "Written notice about the agreement (A15.1, A15.2)",
    "agreement-notice-receipt": "Receipt of a notice about the agreement (A15.1, A15.2)",
  },
  kk: {
    "agreement-notice": "Келісім туралы жазбаша хабарлама (15.1, 15.2-баптар)",
    "agreement-notice-receipt": "Келісім туралы хабарламаның алынғанын растау (15.1, 15.2-баптар)",
  },
  hy: {
    "agreement-notice": "Գրավոր ծանուցում համաձայնագրի մասին (հոդ. 15.1, 15.2)",
    "agreement-notice-receipt": "Համաձայնագրի մասին ծանուցման ստացման հաստատում (հոդ. 15.1, 15.2)",
  },
  ru: {
    "agreement-notice": "Письменное уведомление по Соглашению (ст. 15.1, 15.2)",
    "agreement-notice-receipt": "Подтверждение получения уведомления по Соглашению (ст. 15.1, 15.2)",
  },
};
