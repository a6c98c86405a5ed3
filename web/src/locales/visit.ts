// The visit pages' texts in the four languages (kept apart from the main locale files, which each
// spread them in). `visitTexts` is the `visit` namespace; `visitEvents` the audit event names.

const en = {
  title: "Visits (A9)",
};

type Texts = { [K in keyof typeof en]: string };

export const visitTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = {
  en,
  kk: { title: "Visits (A9)" },
  hy: { title: "Visits (A9)" },
  ru: { title: "Visits (A9)" },
};

/** Audit event names (the key is the event type with "." as "_"). */
export const visitEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {},
  kk: {},
  hy: {},
  ru: {},
};
