import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { OrganisationT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

type FacilityChange = OrganisationT["actions"][number];

const WHAT: Record<FacilityChange, string> = {
  withdraw: "standing.what.facilityWithdraw",
  suspend: "standing.what.facilitySuspend",
  reinstate: "standing.what.facilityReinstate",
};

/**
 * A1.11: the competent authority withdraws, suspends or reinstates a body's facility clearance, as
 * the server's answer offers (the use case decides again); each is asked once more, saying what
 * happens to the body's people.
 */
function FacilityActions({ organisation, onDone }: { organisation: OrganisationT; onDone: () => void }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<FacilityChange | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (organisation.actions.length === 0) return <span className="muted">—</span>;
  const run = async (change: FacilityChange) => {
    setBusy(true);
    setError(null);
    try {
      await api(
        "POST",
        `/api/organisations/${encodeURIComponent(organisation.id)}/clearance/${change}`,
        reason.trim() ? { reason: reason.trim() } : {},
      );
      setAsked(null);
      setReason("");
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="person-actions" data-testid="org-actions">
      {asked === null ? (
        <div className="actions">
          {organisation.actions.map((change) => (
            <button
              key={change}
              type="button"
              className="secondary small"
              data-testid={`org-clearance-${change}`}
              onClick={() => setAsked(change)}
            >
              {t(`standing.facility.${change}`)}
            </button>
          ))}
        </div>
      ) : (
        <fieldset className="confirm-step" data-testid="org-confirm">
          <legend>{t(`standing.facility.${asked}`)}</legend>
          <p>{t(WHAT[asked], { name: organisation.name })}</p>
          <label>
            {t("standing.reason")}
            <input value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="actions">
            <button
              type="button"
              className={asked === "reinstate" ? "small" : "danger small"}
              disabled={busy}
              data-testid="org-confirm-yes"
              onClick={() => void run(asked)}
            >
              {t("standing.confirmYes", { action: t(`standing.facility.${asked}`) })}
            </button>
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              onClick={() => {
                setAsked(null);
                setError(null);
              }}
            >
              {t("standing.confirmNo")}
            </button>
          </div>
        </fieldset>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export function OrganisationsPage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading, reload } = useLoad(
    () => api<OrganisationT[]>("GET", "/api/organisations"),
    [],
  );
  const anyActions = (data ?? []).some((o) => o.actions.length > 0);
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
                {anyActions ? <th>{t("standing.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.map((o) => {
                const level = o.facilityClearance
                  ? node.levels.find((l) => l.id === o.facilityClearance?.levelId)
                  : undefined;
                return (
                  <tr key={o.id} data-testid="organisation" data-organisation={o.id}>
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
                      {o.clearanceSuspended ? (
                        <span className="status status-suspended">{t("standing.suspended")}</span>
                      ) : null}
                    </td>
                    <td className="nowrap">{formatDate(o.facilityClearance?.validUntil, false)}</td>
                    {anyActions ? (
                      <td className="col-actions">
                        <FacilityActions organisation={o} onDone={reload} />
                      </td>
                    ) : null}
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
