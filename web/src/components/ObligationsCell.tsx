// A4.4: the People page's column of who acknowledged the current obligations text, and when. Loaded
// from its own route, so that a refusal of it (another role) leaves the rest of the page as it is.
import { useTranslation } from "react-i18next";
import type { ObligationsStandingT } from "../../../src/api/routes/obligations.ts";
import { api } from "../api.ts";
import { formatDate } from "../i18n.ts";
import { useLoad } from "./common.tsx";

/** Each person's standing with the current obligations text, by person id (empty until loaded). */
export function useObligationsStanding(): ReadonlyMap<string, ObligationsStandingT> {
  const { data } = useLoad(
    (signal) =>
      api<ObligationsStandingT[]>("GET", "/api/obligations/acknowledgements", undefined, { signal }),
    [],
  );
  return new Map((data ?? []).map((s) => [s.personId, s]));
}

export function ObligationsCell({ standing }: { standing: ObligationsStandingT | undefined }) {
  const { t } = useTranslation();
  if (!standing) return <span className="muted">—</span>;
  if (!standing.acknowledged)
    return (
      <span className="muted" data-testid="person-obligations" data-acknowledged="false">
        {t("obligations.notAcknowledged")}
      </span>
    );
  return (
    <span
      className="nowrap"
      data-testid="person-obligations"
      data-acknowledged="true"
      title={`${standing.current} · ${formatDate(standing.acknowledged.at)} (${standing.acknowledged.language})`}
    >
      {t("obligations.acknowledgedOn", { date: formatDate(standing.acknowledged.at, false) })}
    </span>
  );
}
