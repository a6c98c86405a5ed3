// A4.4: after sign-in, a person who has not acknowledged the current text of their obligations under
// their state's law sees it before anything else (in their language), ticks that they read it and
// acknowledges; the server records the version and the language shown. Until then the server shows
// them no carrier, whatever this page does.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ObligationsViewT } from "../../../src/api/routes/obligations.ts";
import type { NodeInfoT, SessionViewT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { ErrorBox, Loading, useLoad, useSubmit } from "../components/common.tsx";
import { LanguageSwitch } from "../components/LanguageSwitch.tsx";
import { currentLang, formatArticles, formatDate } from "../i18n.ts";

/**
 * Shows the obligations page until the signed-in person has acknowledged the current version; calls
 * `onAcknowledged` at once when nothing is asked of them (already acknowledged, or a visitor, A9.3).
 */
export function ObligationsGate({
  node,
  session,
  onAcknowledged,
  onSignedOut,
}: {
  node: NodeInfoT;
  session: SessionViewT;
  onAcknowledged: () => void;
  onSignedOut: () => void;
}) {
  const { t } = useTranslation();
  const { data, error } = useLoad(async (signal) => {
    const view = await api<ObligationsViewT>("GET", "/api/obligations", undefined, { signal });
    if (!view.required || view.acknowledged) onAcknowledged();
    return view;
  }, []);
  const logout = async () => {
    try {
      await api("POST", "/api/auth/logout", {});
    } finally {
      onSignedOut();
    }
  };
  return (
    <>
      <header className={`app-header party-${node.party}`}>
        <div className="brand">
          <span className="brand-name">{t("app.name")}</span>
          <span className="brand-node">{t("node.of", { party: t(`party.${node.party}`) })}</span>
          {node.demo ? <span className="demo-badge">{t("node.demo")}</span> : null}
        </div>
        <div className="header-tools">
          <LanguageSwitch />
          <span
            className="who"
            data-testid="who"
            title={`${session.user.name} · ${session.user.organisationName}`}
          >
            <span className="who-label">{t("common.signedInAs")}: </span>
            <strong>{session.user.name}</strong> · {session.user.organisationName}
          </span>
          <button type="button" className="secondary" onClick={logout} data-testid="logout">
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <ErrorBox error={error} />
        {data?.required && !data.acknowledged ? (
          <ObligationsPage view={data} onAcknowledged={onAcknowledged} />
        ) : error ? null : (
          <Loading />
        )}
      </main>
    </>
  );
}

function ObligationsPage({ view, onAcknowledged }: { view: ObligationsViewT; onAcknowledged: () => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [read, setRead] = useState(false);
  const { busy, error, run } = useSubmit();
  const acknowledge = () =>
    run(
      () => api("POST", "/api/obligations/acknowledge", { version: view.version, language: lang }),
      onAcknowledged,
    );
  return (
    <div className="page obligations-page" data-testid="obligations-page" style={{ maxWidth: "52rem" }}>
      <h1>{view.title[lang]}</h1>
      <p>{t("obligations.intro")}</p>
      {view.previous ? (
        <p className="notice" data-testid="obligations-changed">
          {t("obligations.changed", {
            version: view.previous.version,
            date: formatDate(view.previous.at, false),
          })}
        </p>
      ) : null}
      <div className="card">
        <ol className="plain-list" lang={lang} data-testid="obligations-text">
          {view.paragraphs.map((p) => (
            <li key={p.en}>{p[lang]}</li>
          ))}
        </ol>
      </div>
      <p className="hint">
        {t("obligations.version", { version: view.version, articles: formatArticles(view.articles) })} —{" "}
        {view.note[lang]}
      </p>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={read}
          onChange={(e) => setRead(e.target.checked)}
          data-testid="obligations-read"
        />
        {t("obligations.check")}
      </label>
      <ErrorBox error={error} />
      <div className="actions">
        <button
          type="button"
          disabled={!read || busy}
          onClick={acknowledge}
          data-testid="obligations-acknowledge"
        >
          {busy ? t("obligations.acknowledging") : t("obligations.acknowledge")}
        </button>
      </div>
    </div>
  );
}
