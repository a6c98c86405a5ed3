import { useTranslation } from "react-i18next";
import type { OrganisationT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

export function OrganisationsPage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading } = useLoad(() => api<OrganisationT[]>("GET", "/api/organisations"), []);
  return (
    <div className="page">
      <h1>{t("orgs.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t("common.organisation")}</th>
                <th>{t("common.party")}</th>
                <th>{t("orgs.kind")}</th>
                <th>{t("orgs.facilityClearance")}</th>
                <th>{t("common.validUntil")}</th>
              </tr>
            </thead>
            <tbody>
              {data.map((o) => {
                const level = o.facilityClearance
                  ? node.levels.find((l) => l.id === o.facilityClearance?.levelId)
                  : undefined;
                return (
                  <tr key={o.id}>
                    <td>{o.name}</td>
                    <td>{t(`party.${o.party}`)}</td>
                    <td>
                      {o.kind === "competent_authority"
                        ? t("orgs.competentAuthority")
                        : t("orgs.authorizedBody")}
                    </td>
                    <td>
                      {level ? (
                        <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} />
                      ) : (
                        "—"
                      )}
                    </td>
                    <td className="nowrap">{formatDate(o.facilityClearance?.validUntil, false)}</td>
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
