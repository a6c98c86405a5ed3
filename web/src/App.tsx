import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { NodeInfoT, SessionViewT } from "../../src/api/schemas.ts";
import { ApiFailure, api, onSessionLost, setCsrfToken } from "./api.ts";
import { LanguageSwitch } from "./components/LanguageSwitch.tsx";
import { MainNav } from "./components/MainNav.tsx";
import { AppContext } from "./context.ts";
import { rememberLanguage, storedLanguage } from "./i18n.ts";
import { AccountPage } from "./pages/AccountPage.tsx";
import { AgreementPage } from "./pages/AgreementPage.tsx";
import { AuditPage } from "./pages/AuditPage.tsx";
import { AuthoritiesPage } from "./pages/AuthoritiesPage.tsx";
import { BreachesPage } from "./pages/BreachesPage.tsx";
import { CarrierPage } from "./pages/CarrierPage.tsx";
import { ConsentsPage } from "./pages/ConsentsPage.tsx";
import { ContractsPage } from "./pages/ContractsPage.tsx";
import { DashboardPage } from "./pages/DashboardPage.tsx";
import { ImportPage } from "./pages/ImportPage.tsx";
import { LoginPage } from "./pages/LoginPage.tsx";
import { MessagesPage } from "./pages/MessagesPage.tsx";
import { ObligationsGate } from "./pages/ObligationsPage.tsx";
import { OrganisationsPage } from "./pages/OrganisationsPage.tsx";
import { PeoplePage } from "./pages/PeoplePage.tsx";
import { RegistryPage } from "./pages/RegistryPage.tsx";
import { TransfersPage } from "./pages/TransfersPage.tsx";
import { VisitsPage } from "./pages/VisitsPage.tsx";

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash || "#/");
  useEffect(() => {
    const onChange = () => setHash(window.location.hash || "#/");
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

type NavItem = { hash: string; label: string; show: boolean };

/**
 * Where keyboard focus starts once the signed-in pages appear: the sign-in form that held it is gone,
 * and a browser would otherwise go on from where it was (somewhere in the page). From here the first
 * Tab reaches "skip to the content".
 */
function FocusStart() {
  const ref = useRef<HTMLSpanElement>(null);
  // Before the first paint: a Tab pressed as soon as the page shows already starts here.
  useLayoutEffect(() => {
    const active = document.activeElement;
    if (active === null || active === document.body) ref.current?.focus();
  }, []);
  return <span ref={ref} tabIndex={-1} className="focus-start" />;
}

export function App({ node }: { node: NodeInfoT }) {
  const { t, i18n } = useTranslation();
  const hash = useHash();
  const [session, setSession] = useState<SessionViewT | null | undefined>(undefined);
  // A4.4: the person whose obligations are acknowledged (checked again at each sign-in).
  const [obligationsOf, setObligationsOf] = useState<string | null>(null);

  const refreshSession = useCallback(async () => {
    try {
      const view = await api<SessionViewT>("GET", "/api/session");
      setCsrfToken(view.csrfToken);
      // The user's own language, kept on the account, unless this browser already chose one.
      const own = view.user.language;
      if (own && !storedLanguage() && own !== i18n.language) {
        rememberLanguage(own);
        await i18n.changeLanguage(own);
        document.documentElement.lang = own;
      }
      setSession(view);
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) setSession(null);
      else throw error;
    }
  }, [i18n]);

  useEffect(() => {
    void refreshSession();
    return onSessionLost(() => setSession(null));
  }, [refreshSession]);

  useEffect(() => {
    document.title = `${t("app.name")} — ${t(`party.${node.party}`)}`;
  });

  if (session === undefined) return <p className="loading">{t("common.loading")}</p>;
  if (session === null) return <LoginPage node={node} onLoggedIn={refreshSession} />;
  if (obligationsOf !== session.user.id) {
    const signedIn = session.user.id;
    return (
      <ObligationsGate
        key={signedIn}
        node={node}
        session={session}
        onAcknowledged={() => setObligationsOf(signedIn)}
        onSignedOut={() => setSession(null)}
      />
    );
  }

  const p = session.permissions;
  const nav: NavItem[] = [
    { hash: "#/", label: t("nav.dashboard"), show: true },
    { hash: "#/registry", label: t("nav.registry"), show: p.viewRegistry },
    { hash: "#/import", label: t("import.nav"), show: p.importPredecessorRecords },
    { hash: "#/transfers", label: t("nav.transfers"), show: p.viewTransfers },
    { hash: "#/consents", label: t("nav.consents"), show: p.viewConsents },
    { hash: "#/contracts", label: t("nav.contracts"), show: p.viewContracts },
    { hash: "#/organisations", label: t("nav.organisations"), show: p.viewOrganisations },
    { hash: "#/people", label: t("nav.people"), show: p.viewPeople },
    { hash: "#/visits", label: t("nav.visits"), show: p.viewVisits },
    { hash: "#/breaches", label: t("nav.breaches"), show: p.viewBreaches },
    { hash: "#/agreement", label: t("nav.agreement"), show: p.viewAgreement },
    { hash: "#/authority", label: t("authority.nav"), show: p.writeAuthorityLetters },
    { hash: "#/messages", label: t("nav.messages"), show: p.viewMessages },
    { hash: "#/audit", label: t("nav.audit"), show: p.viewAudit },
  ];
  const navigate = (to: string) => {
    window.location.hash = to;
  };
  const logout = async () => {
    try {
      await api("POST", "/api/auth/logout", {});
    } finally {
      setSession(null);
      window.location.hash = "#/";
    }
  };
  const route = hash.replace(/^#/, "");
  let page: React.ReactNode;
  const carrierMatch = /^\/carriers\/([^/?]+)/.exec(route);
  if (carrierMatch) {
    // One page per carrier (A1.5, A6.1): another carrier in the address is a new page, so nothing of
    // the previous one (its record, marking, content, a request still in flight) is kept for it.
    const carrierId = decodeURIComponent(carrierMatch[1] ?? "");
    page = <CarrierPage key={carrierId} id={carrierId} />;
  } else if (route.startsWith("/registry")) page = <RegistryPage />;
  else if (route.startsWith("/import")) page = <ImportPage />;
  else if (route.startsWith("/transfers")) page = <TransfersPage />;
  else if (route.startsWith("/consents")) page = <ConsentsPage />;
  else if (route.startsWith("/contracts")) page = <ContractsPage />;
  else if (route.startsWith("/organisations")) page = <OrganisationsPage />;
  else if (route.startsWith("/people")) page = <PeoplePage />;
  else if (route.startsWith("/visits")) page = <VisitsPage path={route} />;
  else if (route.startsWith("/breaches")) page = <BreachesPage route={route} />;
  else if (route.startsWith("/agreement")) page = <AgreementPage />;
  else if (route.startsWith("/authority")) page = <AuthoritiesPage />;
  else if (route.startsWith("/messages")) page = <MessagesPage />;
  else if (route.startsWith("/audit")) page = <AuditPage />;
  else if (route.startsWith("/account")) page = <AccountPage />;
  else page = <DashboardPage />;

  const current = nav.filter((n) => n.hash !== "#/").find((n) => route.startsWith(n.hash.slice(1)));
  const onAccount = route.startsWith("/account");
  return (
    <AppContext.Provider value={{ node, session, navigate, refreshSession }}>
      <FocusStart />
      <button type="button" className="skip-link" onClick={() => document.getElementById("main")?.focus()}>
        {t("nav.skip")}
      </button>
      <header className={`app-header party-${node.party}`}>
        <div className="brand">
          <span className="brand-name">{t("app.name")}</span>
          <span className="brand-node" data-testid="node-party">
            {t("node.of", { party: t(`party.${node.party}`) })}
          </span>
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
          <a
            className="account-link"
            href="#/account"
            data-testid="account-link"
            aria-current={onAccount ? "page" : undefined}
          >
            {t("account.nav")}
          </a>
          <button type="button" className="secondary" onClick={logout} data-testid="logout">
            {t("nav.logout")}
          </button>
        </div>
      </header>
      <MainNav
        items={nav
          .filter((n) => n.show)
          .map((n) => ({
            hash: n.hash,
            label: n.label,
            current: n.hash === "#/" ? !current && !carrierMatch && !onAccount : current?.hash === n.hash,
          }))}
      />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </AppContext.Provider>
  );
}
