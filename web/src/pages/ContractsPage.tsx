import { useTranslation } from "react-i18next";
import type { ContractT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang } from "../i18n.ts";

export function ContractsPage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading } = useLoad(() => api<ContractT[]>("GET", "/api/contracts"), []);
  return (
    <div className="page">
      <h1>{t("contracts.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty text={t("common.none")} /> : null}
      {(data ?? []).map((c) => (
        <article key={c.id} className="card" data-testid="contract">
          <h2>
            {c.number} — {c.title}{" "}
            <span className={`status status-${c.status}`}>{t(`contracts.states.${c.status}`, c.status)}</span>
          </h2>
          <p>
            <strong>{t("contracts.parties")}:</strong> {c.parties.join(" · ")}
          </p>
          <h3>{t("contracts.clauses")}</h3>
          <dl className="clauses">
            {c.clauses.map((clause) => (
              <div key={clause.key} className="meta-row">
                <dt>{t(`contracts.clause.${clause.key}`, clause.key)}</dt>
                <dd className={clause.text ? "" : "missing"}>{clause.text ?? t("contracts.missing")}</dd>
              </div>
            ))}
          </dl>
          <h3>{t("contracts.information")}</h3>
          <ul className="plain-list">
            {c.information.map((info) => {
              const level = node.levels.find((l) => l.id === info.levelId);
              return (
                <li key={`${info.levelId}-${info.description}`}>
                  <LevelBadge rank={level?.rank ?? 0} name={level?.names[currentLang()] ?? info.levelId} />{" "}
                  {info.description}
                </li>
              );
            })}
          </ul>
          {c.participants.length > 0 ? (
            <p>
              <strong>{t("contracts.participants")}:</strong> {c.participants.join(", ")}
            </p>
          ) : null}
        </article>
      ))}
    </div>
  );
}
