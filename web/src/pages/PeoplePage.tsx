import { useTranslation } from "react-i18next";
import type { PersonT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

export function PeoplePage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading } = useLoad(() => api<PersonT[]>("GET", "/api/people"), []);
  return (
    <div className="page">
      <h1>{t("people.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("people.name")}</th>
                <th>{t("common.organisation")}</th>
                <th>{t("people.roles")}</th>
                <th>{t("people.clearance")}</th>
                <th>{t("common.validUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((p) => {
                const level = p.clearance
                  ? node.levels.find((l) => l.id === p.clearance?.levelId)
                  : undefined;
                return (
                  <tr key={p.id} className={p.disabled ? "disabled" : ""}>
                    <td>
                      {p.name}
                      {p.disabled ? <span className="muted"> ({t("people.disabled")})</span> : null}
                    </td>
                    <td>{p.organisationName}</td>
                    <td>{p.roles.map((r) => t(`role.${r}`, r)).join(", ")}</td>
                    <td>
                      {level ? (
                        <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} />
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="nowrap">{formatDate(p.clearance?.validUntil, false)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
