import { useTranslation } from "react-i18next";
import { api } from "../api.ts";
import { LANGUAGE_NAMES, LANGUAGES, type Lang, rememberLanguage } from "../i18n.ts";

/** Switches the interface language at any time; the choice is kept in the browser and on the account. */
export function LanguageSwitch({ signedIn = true }: { signedIn?: boolean }) {
  const { t, i18n } = useTranslation();
  const change = async (lang: Lang) => {
    rememberLanguage(lang);
    await i18n.changeLanguage(lang);
    document.documentElement.lang = lang;
    if (signedIn) {
      try {
        await api("PUT", "/api/session/language", { language: lang });
      } catch {
        // The interface has switched; keeping the choice on the account is best effort.
      }
    }
  };
  return (
    <label className="language-switch">
      <span>{t("common.language")}</span>
      <select
        value={i18n.language}
        onChange={(e) => void change(e.target.value as Lang)}
        data-testid="language-switch"
      >
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGE_NAMES[lang]}
          </option>
        ))}
      </select>
    </label>
  );
}
