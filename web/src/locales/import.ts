// The import page's texts in the four languages (kept apart from the main locale files, which each
// spread them in): records of the repealed 2015 agreement (D3, A15.3). `importTexts` is the
// `import` namespace; `importEvents` the audit event names.

const en = {
  nav: "Import (2015)",
  title: "Records of the 2015 agreement (D3)",
  intro:
    "Carriers exchanged or created under the repealed 2015 agreement are registered here and protected like every other carrier (A15.3). Choose a CSV or JSON file in the format of docs/import-2015.md: it is checked first, and imported only when no record has a problem.",
  file: "File (CSV with a header row, or a JSON array)",
  check: "Check the file",
  import: "Import {{n}} record(s)",
  checking: "Checking…",
  importing: "Importing…",
  rows: "Records read: {{n}}",
  willImport: "Would be imported: {{n}}",
  carriersTitle: "The carriers ({{n}})",
  imported: "Imported: {{n}}",
  refused: "Nothing was imported: correct the lines below and check the file again.",
  noProblems: "No problems.",
  problems: "Problems ({{n}})",
  origin: "2015",
  originTitle: "Imported from the register of the 2015 agreement: {{number}}/{{copy}}, marked “{{marking}}”",
  col: {
    line: "Line",
    field: "Field",
    problem: "Problem",
    oldNumber: "Old number",
    level: "Level",
    markings: "Markings",
    custodian: "Custodian",
    registration: "Registration number",
  },
};

type Texts<T = typeof en> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };

const kk: Texts = {
  nav: "Импорт (2015)",
  title: "2015 жылғы келісім бойынша жазбалар (D3)",
  intro:
    "Күшін жойған 2015 жылғы келісім бойынша алмасқан немесе жасалған жеткізгіштер осында тіркеледі және басқа жеткізгіштер сияқты қорғалады (A15.3). docs/import-2015.md пішіміндегі CSV немесе JSON файлын таңдаңыз: алдымен тексеріледі, ешбір жазбада қате болмаса ғана импортталады.",
  file: "Файл (тақырып жолы бар CSV немесе JSON массиві)",
  check: "Файлды тексеру",
  import: "{{n}} жазбаны импорттау",
  checking: "Тексерілуде…",
  importing: "Импортталуда…",
  rows: "Оқылған жазбалар: {{n}}",
  willImport: "Импортталар еді: {{n}}",
  carriersTitle: "Жеткізгіштер ({{n}})",
  imported: "Импортталды: {{n}}",
  refused: "Ештеңе импортталмады: төмендегі жолдарды түзетіп, файлды қайта тексеріңіз.",
  noProblems: "Қате жоқ.",
  problems: "Қателер ({{n}})",
  origin: "2015",
  originTitle: "2015 жылғы келісім тізілімінен импортталған: {{number}}/{{copy}}, белгісі «{{marking}}»",
  col: {
    line: "Жол",
    field: "Өріс",
    problem: "Қате",
    oldNumber: "Бұрынғы нөмір",
    level: "Дәреже",
    markings: "Белгілер",
    custodian: "Сақтаушы",
    registration: "Тіркеу нөмірі",
  },
};

const hy: Texts = {
  nav: "Ներմուծում (2015)",
  title: "2015 թ. համաձայնագրով գրառումներ (D3)",
  intro:
    "Ուժը կորցրած 2015 թ. համաձայնագրով փոխանակված կամ ստեղծված կրիչները գրանցվում են այստեղ և պաշտպանվում են ինչպես մյուս բոլոր կրիչները (A15.3)։ Ընտրեք CSV կամ JSON ֆայլ docs/import-2015.md ձևաչափով. այն նախ ստուգվում է և ներմուծվում միայն այն դեպքում, երբ ոչ մի գրառում խնդիր չունի։",
  file: "Ֆայլ (վերնագրի տողով CSV կամ JSON զանգված)",
  check: "Ստուգել ֆայլը",
  import: "Ներմուծել {{n}} գրառում",
  checking: "Ստուգվում է…",
  importing: "Ներմուծվում է…",
  rows: "Կարդացված գրառումներ՝ {{n}}",
  willImport: "Կներմուծվեր՝ {{n}}",
  carriersTitle: "Կրիչները ({{n}})",
  imported: "Ներմուծված է՝ {{n}}",
  refused: "Ոչինչ չի ներմուծվել. ուղղեք ստորև նշված տողերը և նորից ստուգեք ֆայլը։",
  noProblems: "Խնդիրներ չկան։",
  problems: "Խնդիրներ ({{n}})",
  origin: "2015",
  originTitle: "Ներմուծված է 2015 թ. համաձայնագրի ռեեստրից՝ {{number}}/{{copy}}, նշագիրը՝ «{{marking}}»",
  col: {
    line: "Տող",
    field: "Դաշտ",
    problem: "Խնդիր",
    oldNumber: "Նախկին համար",
    level: "Աստիճան",
    markings: "Նշագրեր",
    custodian: "Պահառու",
    registration: "Գրանցման համար",
  },
};

const ru: Texts = {
  nav: "Импорт (2015)",
  title: "Записи по соглашению 2015 года (D3)",
  intro:
    "Носители, которыми обменялись или которые созданы по утратившему силу соглашению 2015 года, регистрируются здесь и защищаются как все другие носители (A15.3). Выберите файл CSV или JSON в формате docs/import-2015.md: сначала он проверяется, а импортируется, только если ни в одной записи нет проблем.",
  file: "Файл (CSV со строкой заголовков или массив JSON)",
  check: "Проверить файл",
  import: "Импортировать записей: {{n}}",
  checking: "Проверка…",
  importing: "Импорт…",
  rows: "Прочитано записей: {{n}}",
  willImport: "Будет импортировано: {{n}}",
  carriersTitle: "Носители ({{n}})",
  imported: "Импортировано: {{n}}",
  refused: "Ничего не импортировано: исправьте строки ниже и проверьте файл снова.",
  noProblems: "Проблем нет.",
  problems: "Проблемы ({{n}})",
  origin: "2015",
  originTitle: "Импортирован из реестра соглашения 2015 года: {{number}}/{{copy}}, гриф «{{marking}}»",
  col: {
    line: "Строка",
    field: "Поле",
    problem: "Проблема",
    oldNumber: "Прежний номер",
    level: "Степень",
    markings: "Грифы",
    custodian: "Хранитель",
    registration: "Регистрационный номер",
  },
};

export const importTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = { en, kk, hy, ru };

/** The audit log's names of the import's events (events.<type with _ for .>). */
export const importEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {
    carriers_imported: "Records of the 2015 agreement imported (D3)",
    "carriers_import-checked": "Records of the 2015 agreement checked (D3)",
  },
  kk: {
    carriers_imported: "2015 жылғы келісім бойынша жазбалар импортталды (D3)",
    "carriers_import-checked": "2015 жылғы келісім бойынша жазбалар тексерілді (D3)",
  },
  hy: {
    carriers_imported: "2015 թ. համաձայնագրով գրառումները ներմուծված են (D3)",
    "carriers_import-checked": "2015 թ. համաձայնագրով գրառումները ստուգված են (D3)",
  },
  ru: {
    carriers_imported: "Записи по соглашению 2015 года импортированы (D3)",
    "carriers_import-checked": "Записи по соглашению 2015 года проверены (D3)",
  },
};
