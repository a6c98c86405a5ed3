// The texts of a person's and a body's standing (A1.11, A4.2: the People and Organisations pages'
// actions) and of one's own sign-in account (the Account page, the new password at sign-in after a
// reset), in the four languages, kept apart from the main locale files, which each spread them in:
// `standingTexts` is the `standing` namespace, `accountTexts` the `account` one, `accountEvents` the
// audit log's names of the account events (events.<type with _ for .>).

const standingEn = {
  actions: "Actions",
  suspended: "Suspended (A1.11)",
  clearance: {
    withdraw: "Withdraw clearance",
    suspend: "Suspend clearance",
    reinstate: "Reinstate clearance",
  },
  facility: {
    withdraw: "Withdraw facility clearance",
    suspend: "Suspend facility clearance",
    reinstate: "Reinstate facility clearance",
  },
  removeRole: "Remove role: {{role}}",
  deactivate: "Deactivate",
  resetPassword: "Reset password",
  what: {
    withdraw:
      "{{name}}'s clearance is withdrawn for good (A1.11, A4.2): from now on it gives no access to classified information. A withdrawn clearance is not reinstated; only a new one can be granted.",
    suspend:
      "{{name}}'s clearance is suspended (A1.11, A4.2): from now on it gives no access to classified information, until the competent authority reinstates it.",
    reinstate:
      "{{name}}'s suspended clearance is in force again (A1.11): access returns within its level and validity.",
    facilityWithdraw:
      "The facility clearance of {{name}} is withdrawn for good (A1.11): from now on none of its people has access under it. Only a new one can be granted.",
    facilitySuspend:
      "The facility clearance of {{name}} is suspended (A1.11): from now on none of its people has access under it, until the competent authority reinstates it.",
    facilityReinstate:
      "The suspended facility clearance of {{name}} is in force again (A1.11): its people's access returns.",
    removeRole:
      "{{name}} loses the role “{{role}}” at once: what the role allows is refused from their next request (A4.2).",
    deactivate:
      "{{name}} can no longer sign in and their open sessions end now (A4.2). Their records and the audit log stay.",
    resetPassword:
      "{{name}}'s password is replaced by a one-time password, shown to you once; their open sessions end now. At their next sign-in they must set a new password of their own (A4.2).",
  },
  reason: "Reason (kept in the audit log)",
  confirmYes: "Yes: {{action}}",
  confirmNo: "Cancel",
  done: "Done: {{action}} — {{name}}.",
  oneTimeTitle: "One-time password of {{username}}",
  oneTimeText:
    "Give it to the person in a secure way. It is shown only now and is not kept in clear; at sign-in they must replace it with a password of their own (A4.2).",
  oneTimeDone: "I have passed it on",
};

type Texts<T = typeof standingEn> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

const standingKk: Texts = {
  actions: "Әрекеттер",
  suspended: "Тоқтатылған (1.11-бап)",
  clearance: {
    withdraw: "Рұқсатты кері қайтару",
    suspend: "Рұқсатты тоқтата тұру",
    reinstate: "Рұқсатты қалпына келтіру",
  },
  facility: {
    withdraw: "Ұйымның рұқсатын кері қайтару",
    suspend: "Ұйымның рұқсатын тоқтата тұру",
    reinstate: "Ұйымның рұқсатын қалпына келтіру",
  },
  removeRole: "Рөлді алу: {{role}}",
  deactivate: "Өшіру",
  resetPassword: "Құпиясөзді қалпына келтіру",
  what: {
    withdraw:
      "{{name}} рұқсаты біржола кері қайтарылады (1.11, 4.2-баптар): бұдан былай ол құпия ақпаратқа қол жеткізуге мүмкіндік бермейді. Кері қайтарылған рұқсат қалпына келтірілмейді, тек жаңасы берілуі мүмкін.",
    suspend:
      "{{name}} рұқсаты тоқтатыла тұрады (1.11, 4.2-баптар): құзыретті орган оны қалпына келтіргенге дейін ол құпия ақпаратқа қол жеткізуге мүмкіндік бермейді.",
    reinstate:
      "{{name}} тоқтатылған рұқсаты қайта күшіне енеді (1.11-бап): қол жеткізу оның дәрежесі мен мерзімі шегінде қалпына келеді.",
    facilityWithdraw:
      "{{name}} ұйымының рұқсаты біржола кері қайтарылады (1.11-бап): бұдан былай оның бірде-бір қызметкері ол бойынша қол жеткізе алмайды. Тек жаңасы берілуі мүмкін.",
    facilitySuspend:
      "{{name}} ұйымының рұқсаты тоқтатыла тұрады (1.11-бап): құзыретті орган оны қалпына келтіргенге дейін оның бірде-бір қызметкері ол бойынша қол жеткізе алмайды.",
    facilityReinstate:
      "{{name}} ұйымының тоқтатылған рұқсаты қайта күшіне енеді (1.11-бап): оның қызметкерлерінің қол жеткізуі қалпына келеді.",
    removeRole:
      "{{name}} «{{role}}» рөлінен бірден айырылады: рөл рұқсат ететін әрекеттер келесі сұраудан бастап қабылданбайды (4.2-бап).",
    deactivate:
      "{{name}} бұдан былай жүйеге кіре алмайды, ашық сеанстары қазір аяқталады (4.2-бап). Оның жазбалары мен аудит журналы сақталады.",
    resetPassword:
      "{{name}} құпиясөзі бір реттік құпиясөзбен ауыстырылады, ол сізге бір рет қана көрсетіледі; ашық сеанстары қазір аяқталады. Келесі кіргенде ол өз жаңа құпиясөзін орнатуы тиіс (4.2-бап).",
  },
  reason: "Себебі (аудит журналында сақталады)",
  confirmYes: "Иә: {{action}}",
  confirmNo: "Болдырмау",
  done: "Орындалды: {{action}} — {{name}}.",
  oneTimeTitle: "{{username}} үшін бір реттік құпиясөз",
  oneTimeText:
    "Оны адамға қауіпсіз жолмен беріңіз. Ол тек қазір көрсетіледі және ашық түрде сақталмайды; кіргенде адам оны өз құпиясөзімен ауыстыруы тиіс (4.2-бап).",
  oneTimeDone: "Мен оны бердім",
};

const standingHy: Texts = {
  actions: "Գործողություններ",
  suspended: "Կասեցված (հոդ. 1.11)",
  clearance: {
    withdraw: "Հետ կանչել թույլտվությունը",
    suspend: "Կասեցնել թույլտվությունը",
    reinstate: "Վերականգնել թույլտվությունը",
  },
  facility: {
    withdraw: "Հետ կանչել կազմակերպության թույլտվությունը",
    suspend: "Կասեցնել կազմակերպության թույլտվությունը",
    reinstate: "Վերականգնել կազմակերպության թույլտվությունը",
  },
  removeRole: "Հանել դերը՝ {{role}}",
  deactivate: "Անջատել",
  resetPassword: "Վերակայել գաղտնաբառը",
  what: {
    withdraw:
      "{{name}}՝ թույլտվությունը հետ է կանչվում վերջնականապես (հոդ. 1.11, 4.2)։ այսուհետ այն գաղտնի տեղեկատվության մուտք չի տալիս։ Հետ կանչված թույլտվությունը չի վերականգնվում, կարող է տրվել միայն նորը։",
    suspend:
      "{{name}}՝ թույլտվությունը կասեցվում է (հոդ. 1.11, 4.2)։ մինչև իրավասու մարմինը այն չվերականգնի, այն գաղտնի տեղեկատվության մուտք չի տալիս։",
    reinstate:
      "{{name}}՝ կասեցված թույլտվությունը կրկին ուժի մեջ է (հոդ. 1.11)։ մուտքը վերականգնվում է դրա աստիճանի և ժամկետի սահմաններում։",
    facilityWithdraw:
      "{{name}}՝ կազմակերպության թույլտվությունը հետ է կանչվում վերջնականապես (հոդ. 1.11)։ այսուհետ դրա ոչ մի աշխատակից դրանով մուտք չունի։ Կարող է տրվել միայն նորը։",
    facilitySuspend:
      "{{name}}՝ կազմակերպության թույլտվությունը կասեցվում է (հոդ. 1.11)։ մինչև իրավասու մարմինը այն չվերականգնի, դրա ոչ մի աշխատակից դրանով մուտք չունի։",
    facilityReinstate:
      "{{name}}՝ կազմակերպության կասեցված թույլտվությունը կրկին ուժի մեջ է (հոդ. 1.11)։ դրա աշխատակիցների մուտքը վերականգնվում է։",
    removeRole:
      "{{name}}՝ անմիջապես զրկվում է «{{role}}» դերից։ այն, ինչ դերը թույլ է տալիս, մերժվում է հաջորդ հարցումից սկսած (հոդ. 4.2)։",
    deactivate:
      "{{name}}՝ այլևս չի կարող մուտք գործել, բաց սեանսներն ավարտվում են հիմա (հոդ. 4.2)։ Նրա գրառումները և աուդիտի մատյանը պահպանվում են։",
    resetPassword:
      "{{name}}՝ գաղտնաբառը փոխարինվում է մեկանգամյա գաղտնաբառով, որը ձեզ ցույց է տրվում միայն մեկ անգամ. բաց սեանսներն ավարտվում են հիմա։ Հաջորդ մուտքի ժամանակ նա պետք է սահմանի իր նոր գաղտնաբառը (հոդ. 4.2)։",
  },
  reason: "Պատճառը (պահվում է աուդիտի մատյանում)",
  confirmYes: "Այո՝ {{action}}",
  confirmNo: "Չեղարկել",
  done: "Կատարված է՝ {{action}} — {{name}}։",
  oneTimeTitle: "Մեկանգամյա գաղտնաբառ՝ {{username}}",
  oneTimeText:
    "Փոխանցեք այն անձին անվտանգ եղանակով։ Այն ցույց է տրվում միայն հիմա և բաց տեսքով չի պահվում. մուտքի ժամանակ անձը պետք է այն փոխարինի իր գաղտնաբառով (հոդ. 4.2)։",
  oneTimeDone: "Ես այն փոխանցել եմ",
};

const standingRu: Texts = {
  actions: "Действия",
  suspended: "Приостановлен (ст. 1.11)",
  clearance: {
    withdraw: "Отозвать допуск",
    suspend: "Приостановить допуск",
    reinstate: "Восстановить допуск",
  },
  facility: {
    withdraw: "Отозвать допуск организации",
    suspend: "Приостановить допуск организации",
    reinstate: "Восстановить допуск организации",
  },
  removeRole: "Снять роль: {{role}}",
  deactivate: "Отключить",
  resetPassword: "Сбросить пароль",
  what: {
    withdraw:
      "Допуск сотрудника {{name}} отзывается окончательно (ст. 1.11, 4.2): с этого момента он не даёт доступа к секретной информации. Отозванный допуск не восстанавливается, можно лишь оформить новый.",
    suspend:
      "Допуск сотрудника {{name}} приостанавливается (ст. 1.11, 4.2): с этого момента он не даёт доступа к секретной информации, пока компетентный орган его не восстановит.",
    reinstate:
      "Приостановленный допуск сотрудника {{name}} снова действует (ст. 1.11): доступ возвращается в пределах его степени и срока.",
    facilityWithdraw:
      "Допуск организации {{name}} отзывается окончательно (ст. 1.11): с этого момента ни один её сотрудник не имеет доступа по нему. Можно лишь оформить новый.",
    facilitySuspend:
      "Допуск организации {{name}} приостанавливается (ст. 1.11): пока компетентный орган его не восстановит, ни один её сотрудник не имеет доступа по нему.",
    facilityReinstate:
      "Приостановленный допуск организации {{name}} снова действует (ст. 1.11): доступ её сотрудников возвращается.",
    removeRole:
      "{{name}} сразу теряет роль «{{role}}»: то, что разрешает эта роль, отклоняется начиная со следующего запроса (ст. 4.2).",
    deactivate:
      "{{name}} больше не сможет войти, открытые сеансы завершаются сейчас (ст. 4.2). Записи и журнал аудита сохраняются.",
    resetPassword:
      "Пароль сотрудника {{name}} заменяется одноразовым, который будет показан вам один раз; открытые сеансы завершаются сейчас. При следующем входе сотрудник должен задать собственный новый пароль (ст. 4.2).",
  },
  reason: "Причина (сохраняется в журнале аудита)",
  confirmYes: "Да: {{action}}",
  confirmNo: "Отмена",
  done: "Выполнено: {{action}} — {{name}}.",
  oneTimeTitle: "Одноразовый пароль для {{username}}",
  oneTimeText:
    "Передайте его сотруднику защищённым способом. Он показан только сейчас и не хранится в открытом виде; при входе сотрудник должен заменить его собственным паролем (ст. 4.2).",
  oneTimeDone: "Я передал(а) пароль",
};

export const standingTexts: { en: typeof standingEn; kk: Texts; hy: Texts; ru: Texts } = {
  en: standingEn,
  kk: standingKk,
  hy: standingHy,
  ru: standingRu,
};

const accountEn = {
  nav: "My account",
  title: "My account",
  username: "Username",
  password: {
    title: "Password",
    current: "Current password",
    next: "New password",
    repeat: "New password again",
    hint: "At least {{min}} characters, not the current one. Your other sessions end (A4.2).",
    mismatch: "The two new passwords differ.",
    submit: "Change password",
    done: "Your password is changed; your other sessions have ended.",
    lastChanged: "Last set by you: {{at}}",
    neverChanged: "Not yet changed by you since the account was made.",
  },
  totp: {
    title: "Second factor (authenticator app)",
    inUse: "An authenticator is in use: signing in asks for its six-digit code (A4.2).",
    none: "No authenticator is in use yet.",
    start: "Set up an authenticator",
    replace: "Replace the authenticator",
    scan: "Scan the QR code with your authenticator app (or enter the link below), then enter the six-digit code it shows. Until the code is confirmed, the authenticator in use (if any) stays.",
    uri: "Link for the app",
    code: "Code from the app",
    confirm: "Confirm the new authenticator",
    cancel: "Cancel",
    expires: "The set-up expires at {{at}}.",
    done: "The new authenticator is in use: your next sign-in asks for its code.",
    qrAlt: "QR code of the new authenticator",
  },
  forced: {
    title: "Set a new password",
    text: "Your password was reset by an administrator. Set a new password of your own to sign in (A4.2).",
    submit: "Set the password and sign in",
    totpAgain: "If the one-time code has changed meanwhile, enter the current one.",
  },
};

type AccountTexts<T = typeof accountEn> = {
  [K in keyof T]: T[K] extends string ? string : AccountTexts<T[K]>;
};

const accountKk: AccountTexts = {
  nav: "Менің тіркелгім",
  title: "Менің тіркелгім",
  username: "Пайдаланушы аты",
  password: {
    title: "Құпиясөз",
    current: "Қазіргі құпиясөз",
    next: "Жаңа құпиясөз",
    repeat: "Жаңа құпиясөз (қайталау)",
    hint: "Кемінде {{min}} таңба, қазіргісінен өзгеше. Басқа сеанстарыңыз аяқталады (4.2-бап).",
    mismatch: "Екі жаңа құпиясөз сәйкес келмейді.",
    submit: "Құпиясөзді өзгерту",
    done: "Құпиясөзіңіз өзгертілді; басқа сеанстарыңыз аяқталды.",
    lastChanged: "Соңғы рет өзіңіз орнаттыңыз: {{at}}",
    neverChanged: "Тіркелгі жасалғаннан бері өзіңіз әлі өзгертпедіңіз.",
  },
  totp: {
    title: "Екінші фактор (аутентификатор қолданбасы)",
    inUse: "Аутентификатор қолданылуда: кіру кезінде оның алты таңбалы коды сұралады (4.2-бап).",
    none: "Әзірге аутентификатор қолданылмайды.",
    start: "Аутентификаторды баптау",
    replace: "Аутентификаторды ауыстыру",
    scan: "QR кодты аутентификатор қолданбасымен сканерлеңіз (немесе төмендегі сілтемені енгізіңіз), содан кейін ол көрсеткен алты таңбалы кодты енгізіңіз. Код расталғанға дейін қолданыстағы аутентификатор (бар болса) сақталады.",
    uri: "Қолданбаға арналған сілтеме",
    code: "Қолданбадағы код",
    confirm: "Жаңа аутентификаторды растау",
    cancel: "Болдырмау",
    expires: "Баптау мерзімі {{at}} аяқталады.",
    done: "Жаңа аутентификатор қолданылуда: келесі кіргенде оның коды сұралады.",
    qrAlt: "Жаңа аутентификатордың QR коды",
  },
  forced: {
    title: "Жаңа құпиясөз орнатыңыз",
    text: "Құпиясөзіңізді әкімші қалпына келтірді. Кіру үшін өз жаңа құпиясөзіңізді орнатыңыз (4.2-бап).",
    submit: "Құпиясөзді орнатып, кіру",
    totpAgain: "Бір реттік код осы уақытта өзгерсе, қазіргісін енгізіңіз.",
  },
};

const accountHy: AccountTexts = {
  nav: "Իմ հաշիվը",
  title: "Իմ հաշիվը",
  username: "Օգտանուն",
  password: {
    title: "Գաղտնաբառ",
    current: "Ընթացիկ գաղտնաբառը",
    next: "Նոր գաղտնաբառ",
    repeat: "Նոր գաղտնաբառը կրկին",
    hint: "Առնվազն {{min}} նիշ, ոչ ընթացիկը։ Ձեր մյուս սեանսներն ավարտվում են (հոդ. 4.2)։",
    mismatch: "Երկու նոր գաղտնաբառերը տարբեր են։",
    submit: "Փոխել գաղտնաբառը",
    done: "Ձեր գաղտնաբառը փոխված է, մյուս սեանսներն ավարտվել են։",
    lastChanged: "Վերջին անգամ սահմանել եք դուք՝ {{at}}",
    neverChanged: "Հաշվի ստեղծումից ի վեր դեռ չեք փոխել։",
  },
  totp: {
    title: "Երկրորդ գործոն (նույնականացման հավելված)",
    inUse: "Նույնականացուցիչն օգտագործվում է. մուտքի ժամանակ պահանջվում է դրա վեցանիշ կոդը (հոդ. 4.2)։",
    none: "Նույնականացուցիչ դեռ չի օգտագործվում։",
    start: "Կարգավորել նույնականացուցիչը",
    replace: "Փոխարինել նույնականացուցիչը",
    scan: "Սկանավորեք QR կոդը ձեր նույնականացման հավելվածով (կամ մուտքագրեք ստորև բերված հղումը), ապա մուտքագրեք այն վեցանիշ կոդը, որը ցույց է տալիս հավելվածը։ Մինչև կոդի հաստատումը գործող նույնականացուցիչը (եթե կա) պահպանվում է։",
    uri: "Հղում հավելվածի համար",
    code: "Կոդը հավելվածից",
    confirm: "Հաստատել նոր նույնականացուցիչը",
    cancel: "Չեղարկել",
    expires: "Կարգավորման ժամկետը լրանում է {{at}}։",
    done: "Նոր նույնականացուցիչն օգտագործվում է. հաջորդ մուտքի ժամանակ կպահանջվի դրա կոդը։",
    qrAlt: "Նոր նույնականացուցիչի QR կոդը",
  },
  forced: {
    title: "Սահմանեք նոր գաղտնաբառ",
    text: "Ձեր գաղտնաբառը վերակայել է ադմինիստրատորը։ Մուտք գործելու համար սահմանեք ձեր նոր գաղտնաբառը (հոդ. 4.2)։",
    submit: "Սահմանել գաղտնաբառը և մուտք գործել",
    totpAgain: "Եթե այդ ընթացքում մեկանգամյա կոդը փոխվել է, մուտքագրեք ընթացիկը։",
  },
};

const accountRu: AccountTexts = {
  nav: "Моя учётная запись",
  title: "Моя учётная запись",
  username: "Имя пользователя",
  password: {
    title: "Пароль",
    current: "Текущий пароль",
    next: "Новый пароль",
    repeat: "Новый пароль ещё раз",
    hint: "Не менее {{min}} символов, не совпадает с текущим. Другие ваши сеансы завершатся (ст. 4.2).",
    mismatch: "Новые пароли не совпадают.",
    submit: "Сменить пароль",
    done: "Пароль изменён; другие ваши сеансы завершены.",
    lastChanged: "Последний раз задан вами: {{at}}",
    neverChanged: "С момента создания учётной записи вы его ещё не меняли.",
  },
  totp: {
    title: "Второй фактор (приложение-аутентификатор)",
    inUse: "Аутентификатор используется: при входе запрашивается его шестизначный код (ст. 4.2).",
    none: "Аутентификатор пока не используется.",
    start: "Настроить аутентификатор",
    replace: "Заменить аутентификатор",
    scan: "Отсканируйте QR-код приложением-аутентификатором (или введите ссылку ниже), затем введите шестизначный код, который оно показывает. Пока код не подтверждён, действующий аутентификатор (если есть) остаётся.",
    uri: "Ссылка для приложения",
    code: "Код из приложения",
    confirm: "Подтвердить новый аутентификатор",
    cancel: "Отмена",
    expires: "Настройка действует до {{at}}.",
    done: "Новый аутентификатор используется: при следующем входе будет запрошен его код.",
    qrAlt: "QR-код нового аутентификатора",
  },
  forced: {
    title: "Задайте новый пароль",
    text: "Ваш пароль сброшен администратором. Чтобы войти, задайте собственный новый пароль (ст. 4.2).",
    submit: "Задать пароль и войти",
    totpAgain: "Если одноразовый код за это время сменился, введите текущий.",
  },
};

export const accountTexts: {
  en: typeof accountEn;
  kk: AccountTexts;
  hy: AccountTexts;
  ru: AccountTexts;
} = { en: accountEn, kk: accountKk, hy: accountHy, ru: accountRu };

/** The audit log's names of the account events (events.<type with _ for .>). */
export const accountEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {
    "auth_password-reset": "Password reset by an administrator (A4.2)",
    "auth_password-changed": "Own password set (A4.2)",
    "auth_account-viewed": "Own account viewed",
    "auth_totp-enrolment-started": "Set-up of a new authenticator started (A4.2)",
    "auth_totp-enrolled": "New authenticator confirmed (A4.2)",
  },
  kk: {
    "auth_password-reset": "Құпиясөзді әкімші қалпына келтірді (4.2-бап)",
    "auth_password-changed": "Өз құпиясөзі орнатылды (4.2-бап)",
    "auth_account-viewed": "Өз тіркелгісі қаралды",
    "auth_totp-enrolment-started": "Жаңа аутентификаторды баптау басталды (4.2-бап)",
    "auth_totp-enrolled": "Жаңа аутентификатор расталды (4.2-бап)",
  },
  hy: {
    "auth_password-reset": "Գաղտնաբառը վերակայել է ադմինիստրատորը (հոդ. 4.2)",
    "auth_password-changed": "Սահմանվել է սեփական գաղտնաբառ (հոդ. 4.2)",
    "auth_account-viewed": "Դիտվել է սեփական հաշիվը",
    "auth_totp-enrolment-started": "Սկսվել է նոր նույնականացուցիչի կարգավորումը (հոդ. 4.2)",
    "auth_totp-enrolled": "Նոր նույնականացուցիչը հաստատված է (հոդ. 4.2)",
  },
  ru: {
    "auth_password-reset": "Пароль сброшен администратором (ст. 4.2)",
    "auth_password-changed": "Задан собственный пароль (ст. 4.2)",
    "auth_account-viewed": "Просмотрена своя учётная запись",
    "auth_totp-enrolment-started": "Начата настройка нового аутентификатора (ст. 4.2)",
    "auth_totp-enrolled": "Новый аутентификатор подтверждён (ст. 4.2)",
  },
};
