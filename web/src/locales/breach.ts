// The breach pages' texts in the four languages (kept apart from the main locale files, which each
// spread them in). `breachTexts` is the `breach` namespace; `breachEvents` the audit event names.

const en = {
  title: "Breaches (A11)",
};

type Texts = { [K in keyof typeof en]: string };

export const breachTexts: { en: typeof en; kk: Texts; hy: Texts; ru: Texts } = {
  en,
  kk: { title: "Breaches (A11)" },
  hy: { title: "Breaches (A11)" },
  ru: { title: "Breaches (A11)" },
};

/** Audit event names (the key is the event type with "." as "_"). */
export const breachEvents: Record<"en" | "kk" | "hy" | "ru", Record<string, string>> = {
  en: {},
  kk: {},
  hy: {},
  ru: {},
};
