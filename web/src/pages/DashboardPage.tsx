import { useTranslation } from "react-i18next";
import type { DashboardT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { formatDate } from "../i18n.ts";

type Item = {
  id: string;
  label: string;
  dueAt?: string | null;
  state?: string;
  link?: string;
  kind?: "consent" | "visit" | "breach" | "protocol";
  action?: string;
  note?: string;
};

/** What an item is, in the user's language: the consent's action, a visit to decide, a breach's next step. */
function prefixOf(t: ReturnType<typeof useTranslation>["t"], item: Item): string {
  if (item.kind === "visit") return `${t("dashboard.visitToDecide")}: `;
  if (item.kind === "protocol")
    return `${t("protocols.dashboard.protocol")} — ${t(`protocols.actions.${item.action}`)}: `;
  if (item.kind === "breach" && item.action) return `${t(`breach.actions.${item.action}`, item.action)}: `;
  if (item.action) return `${t(`consent.actions.${item.action}`, item.action)}: `;
  return "";
}

function Section({
  title,
  items,
  testId,
  href,
}: {
  title: string;
  items: Item[];
  testId: string;
  href: string;
}) {
  const { t } = useTranslation();
  return (
    <section className="card" data-testid={testId}>
      <h2>
        {title} <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <Empty text={t("common.none")} />
      ) : (
        <ul className="plain-list">
          {items.map((item) => (
            <li key={item.id}>
              <a href={item.link ?? href}>
                {prefixOf(t, item)}
                {item.label}
              </a>
              {item.state ? (
                <span className="muted"> · {t(`transfer.states.${item.state}`, item.state)}</span>
              ) : null}
              {item.note ? <span className="muted"> · {item.note}</span> : null}
              {item.dueAt ? (
                <span className="muted"> · {t("dashboard.due", { date: formatDate(item.dueAt) })}</span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function DashboardPage() {
  const { t } = useTranslation();
  const { session } = useApp();
  const { data, error, loading } = useLoad(() => api<DashboardT>("GET", "/api/dashboard"), []);
  // A5.5, A6.7: how many notices the competent authority has not read yet, and the newest of them.
  const isAuthority = session.permissions.writeAuthorityLetters;
  const informed = useLoad(
    (signal) =>
      isAuthority
        ? api<{ notices: { id: string; at: string; event: string }[]; unread: number }>(
            "GET",
            "/api/authority/notices?unread=1&limit=5",
            undefined,
            { signal },
          )
        : Promise.resolve(null),
    [isAuthority],
  );
  // A11.1, A11.2: breach steps past their policy targets, for the competent authority (and auditors).
  const breachesOverdue: Item[] = (data?.breachesOverdue ?? []).map((b) => ({
    id: `${b.id}-${b.step}`,
    label: t(`breach.steps.${b.step}`, b.step),
    dueAt: b.dueAt,
    link: `#/breaches/${encodeURIComponent(b.id)}`,
  }));
  const showBreaches = session.permissions.investigateBreach || breachesOverdue.length > 0;
  // A9.1, A9.3: approved visits to this node not yet over, with how many visitors were acquainted.
  const visitsExpected: Item[] = (data?.visitsExpected ?? []).map((v) => ({
    id: v.id,
    label: v.label,
    note: t("dashboard.acquainted", { n: v.acquainted }),
    link: `#/visits/${encodeURIComponent(v.id)}`,
  }));
  const showVisits =
    session.permissions.decideVisit || session.permissions.hostVisit || visitsExpected.length > 0;
  return (
    <div className="page">
      <h1>{t("dashboard.welcome", { name: session.user.name })}</h1>
      <p className="muted">
        {session.user.roles.map((r) => t(`role.${r}`, r)).join(", ")} · {session.user.organisationName}
      </p>
      <h2 className="section-title">{t("dashboard.title")}</h2>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <div className="grid-2">
          <Section
            title={t("dashboard.consents")}
            items={data.consentsToDecide}
            testId="dash-consents"
            href="#/transfers"
          />
          <Section
            title={t("dashboard.receipts")}
            items={data.receiptsOverdue}
            testId="dash-receipts"
            href="#/transfers"
          />
          <Section
            title={t("dashboard.deadlines")}
            items={data.deadlines}
            testId="dash-deadlines"
            href="#/transfers"
          />
          <Section
            title={t("dashboard.transfers")}
            items={data.transfers}
            testId="dash-transfers"
            href="#/transfers"
          />
          {showVisits ? (
            <Section
              title={t("dashboard.visitsExpected")}
              items={visitsExpected}
              testId="dash-visits-expected"
              href="#/visits"
            />
          ) : null}
          {informed.data ? (
            <section className="card" data-testid="dash-authority-notices">
              <h2>
                {t("authority.dashboard.unread")}{" "}
                <span className="count" data-testid="dash-authority-unread">
                  {informed.data.unread}
                </span>
              </h2>
              {informed.data.notices.length === 0 ? (
                <Empty text={t("common.none")} />
              ) : (
                <ul className="plain-list">
                  {informed.data.notices.map((n) => (
                    <li key={n.id}>
                      <a href="#/authority">{t(`events.${n.event.replace(/\./g, "_")}`, n.event)}</a>
                      <span className="muted"> · {formatDate(n.at)}</span>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          ) : null}
          {showBreaches ? (
            <Section
              title={t("breach.overdueSteps")}
              items={breachesOverdue}
              testId="dash-breaches-overdue"
              href="#/breaches"
            />
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
