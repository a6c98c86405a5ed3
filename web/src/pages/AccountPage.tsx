import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AccountViewT, TotpEnrolmentViewT } from "../../../src/api/routes/accounts.ts";
import { api } from "../api.ts";
import { ErrorBox, Loading, useLoad, useSubmit } from "../components/common.tsx";
import { formatDate } from "../i18n.ts";

/** The new password twice (the page checks they agree; the server checks its policy). */
export function NewPasswordInputs({
  next,
  repeat,
  onNext,
  onRepeat,
}: {
  next: string;
  repeat: string;
  onNext: (value: string) => void;
  onRepeat: (value: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <>
      <label>
        {t("account.password.next")}
        <input
          name="new-password"
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => onNext(e.target.value)}
          required
          maxLength={1000}
        />
      </label>
      <label>
        {t("account.password.repeat")}
        <input
          name="new-password-repeat"
          type="password"
          autoComplete="new-password"
          value={repeat}
          onChange={(e) => onRepeat(e.target.value)}
          required
          maxLength={1000}
        />
      </label>
      {repeat && next !== repeat ? (
        <p className="bad" role="alert">
          {t("account.password.mismatch")}
        </p>
      ) : null}
    </>
  );
}

/** A4.2: one's own password, changed with the current one; the other sessions end. */
function PasswordForm({ account, onDone }: { account: AccountViewT; onDone: () => void }) {
  const { t } = useTranslation();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [repeat, setRepeat] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (next !== repeat) return;
    setDone(false);
    void run(
      () => api("PUT", "/api/account/password", { current, next }),
      () => {
        setCurrent("");
        setNext("");
        setRepeat("");
        setDone(true);
        onDone();
      },
    );
  };
  return (
    <form className="form" onSubmit={submit} data-testid="password-form">
      <p className="hint">
        {account.passwordChangedAt
          ? t("account.password.lastChanged", { at: formatDate(account.passwordChangedAt) })
          : t("account.password.neverChanged")}
      </p>
      <label>
        {t("account.password.current")}
        <input
          name="current-password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          required
          maxLength={1000}
        />
      </label>
      <NewPasswordInputs next={next} repeat={repeat} onNext={setNext} onRepeat={setRepeat} />
      <p className="hint">{t("account.password.hint", { min: account.passwordMinLength })}</p>
      <ErrorBox error={error} />
      {done ? (
        <p className="ok" role="status" data-testid="password-done">
          {t("account.password.done")}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" disabled={busy || next !== repeat} data-testid="password-submit">
          {t("account.password.submit")}
        </button>
      </div>
    </form>
  );
}

/**
 * A4.2: a new authenticator: the server makes a secret (kept sealed, pending) and draws its QR code;
 * the code the app then shows confirms it, and only then it replaces the one in use.
 */
function TotpSection({ account, onDone }: { account: AccountViewT; onDone: () => void }) {
  const { t } = useTranslation();
  const [enrolment, setEnrolment] = useState<TotpEnrolmentViewT | null>(null);
  const [code, setCode] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, run } = useSubmit();
  const start = () => {
    setDone(false);
    void run(async () => {
      setEnrolment(await api<TotpEnrolmentViewT>("POST", "/api/account/totp", {}));
      setCode("");
    });
  };
  const confirm = (event: FormEvent) => {
    event.preventDefault();
    void run(
      () => api("POST", "/api/account/totp/confirm", { code: code.trim() }),
      () => {
        setEnrolment(null);
        setCode("");
        setDone(true);
        onDone();
      },
    );
  };
  return (
    <div data-testid="totp-section" data-enrolled={account.totpEnrolled ? "true" : "false"}>
      <p>{account.totpEnrolled ? t("account.totp.inUse") : t("account.totp.none")}</p>
      {done ? (
        <p className="ok" role="status" data-testid="totp-done">
          {t("account.totp.done")}
        </p>
      ) : null}
      {enrolment === null ? (
        <div className="actions">
          <button type="button" disabled={busy} onClick={start} data-testid="totp-start">
            {account.totpEnrolled ? t("account.totp.replace") : t("account.totp.start")}
          </button>
        </div>
      ) : (
        <form className="totp-enrol" onSubmit={confirm} data-testid="totp-enrolment">
          <p className="hint">{t("account.totp.scan")}</p>
          <img
            className="totp-qr"
            src={`data:image/svg+xml;base64,${btoa(enrolment.qrSvg)}`}
            alt={t("account.totp.qrAlt")}
            width={220}
            height={220}
            data-testid="totp-qr"
          />
          <div className="totp-side">
            <p className="totp-uri-label">{t("account.totp.uri")}</p>
            <code className="totp-uri" data-testid="totp-uri">
              {enrolment.uri}
            </code>
            <p className="hint">{t("account.totp.expires", { at: formatDate(enrolment.expiresAt) })}</p>
            <label>
              {t("account.totp.code")}
              <input
                name="totp-code"
                inputMode="numeric"
                autoComplete="one-time-code"
                pattern="[0-9]{6}"
                maxLength={6}
                value={code}
                onChange={(e) => setCode(e.target.value)}
                required
                data-testid="totp-code"
              />
            </label>
            <div className="actions">
              <button type="submit" disabled={busy} data-testid="totp-confirm">
                {t("account.totp.confirm")}
              </button>
              <button type="button" className="secondary" disabled={busy} onClick={() => setEnrolment(null)}>
                {t("account.totp.cancel")}
              </button>
            </div>
          </div>
        </form>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export function AccountPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useLoad(() => api<AccountViewT>("GET", "/api/account"), []);
  return (
    <div className="page account-page">
      <h1>{t("account.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p className="account-user">
            {t("account.username")}: <strong data-testid="account-username">{data.username}</strong>
          </p>
          <div className="grid-2">
            <section className="card">
              <h2>{t("account.password.title")}</h2>
              <PasswordForm account={data} onDone={reload} />
            </section>
            <section className="card">
              <h2>{t("account.totp.title")}</h2>
              <TotpSection account={data} onDone={reload} />
            </section>
          </div>
        </>
      ) : null}
    </div>
  );
}
