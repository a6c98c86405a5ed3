import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { NodeInfoT } from "../../../src/api/schemas.ts";
import { ApiFailure, api, setCsrfToken } from "../api.ts";
import { ErrorBox } from "../components/common.tsx";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { NewPasswordInputs } from "./AccountPage.tsx";

export function LoginPage({ node, onLoggedIn }: { node: NodeInfoT; onLoggedIn: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [totp, setTotp] = useState("");
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  // A4.2: after a reset, the server asks for a new password of the person's own before any session.
  const [mustChange, setMustChange] = useState(false);
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mustChange && next !== repeat) return;
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<{ csrfToken: string }>("POST", "/api/auth/login", {
        username,
        password,
        ...(totp ? { totp } : {}),
        ...(mustChange ? { newPassword: next } : {}),
      });
      setCsrfToken(result.csrfToken);
      setPassword("");
      setNext("");
      setRepeat("");
      await onLoggedIn();
    } catch (e) {
      if (e instanceof ApiFailure && e.code === "PASSWORD_CHANGE_REQUIRED") setMustChange(true);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className={`login-page party-${node.party}`}>
      <div className="login-card">
        <div className="login-top">
          <div>
            <h1>{t("app.name")}</h1>
            <p className="tagline">{node.agreementTitle[i18n.language] ?? t("app.tagline")}</p>
            <p className="node-line" data-testid="node-party">
              {t("node.of", { party: t(`party.${node.party}`) })}
            </p>
          </div>
          <LanguageSwitch signedIn={false} />
        </div>
        <form onSubmit={submit} aria-labelledby="login-title">
          <h2 id="login-title">{t("login.title")}</h2>
          <label>
            {t("login.username")}
            <input
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              required
            />
          </label>
          <label>
            {t("login.password")}
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              required
            />
          </label>
          <label>
            {t("login.totp")}
            <input
              name="totp"
              inputMode="numeric"
              autoComplete="one-time-code"
              pattern="[0-9]{6}"
              value={totp}
              onChange={(e) => setTotp(e.target.value)}
              aria-describedby="totp-hint"
            />
            <small id="totp-hint">
              {t("login.totpHint")}
              {node.demo ? ` ${t("login.totpDemoHint")}` : ""}
            </small>
          </label>
          {mustChange ? (
            <fieldset className="confirm-step" data-testid="login-new-password">
              <legend>{t("account.forced.title")}</legend>
              <p>{t("account.forced.text")}</p>
              <NewPasswordInputs next={next} repeat={repeat} onNext={setNext} onRepeat={setRepeat} />
              {totp ? <small>{t("account.forced.totpAgain")}</small> : null}
            </fieldset>
          ) : null}
          <ErrorBox error={error} />
          <button type="submit" disabled={busy} data-testid="login-submit">
            {mustChange ? t("account.forced.submit") : t("login.submit")}
          </button>
          {node.demo ? <p className="hint">{t("login.demoHint")}</p> : null}
        </form>
      </div>
    </div>
  );
}
