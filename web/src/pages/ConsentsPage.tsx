import { useTranslation } from "react-i18next";
import type { ConsentViewT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { DecisionButton, Empty, ErrorBox, Loading, useLoad, useSubmit } from "../components/common.tsx";
import { formatDate } from "../i18n.ts";

/** The originator's written answers (A6.7): asked once more before they go. */
const DECISIONS = new Set(["grant", "refuse"]);

function ConsentCard({ consent, onChanged }: { consent: ConsentViewT; onChanged: () => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const act = async (step: string, reason?: string) => {
    await run(async () => {
      await api("POST", `/api/consents/${encodeURIComponent(consent.id)}/${step}`, reason ? { reason } : {});
    }, onChanged);
  };
  return (
    <article
      className="card"
      data-testid="consent-card"
      data-state={consent.state}
      data-action={consent.action}
    >
      <h2>
        {t(`consent.actions.${consent.action}`, consent.action)} —{" "}
        {consent.carrierId ? (
          <a href={`#/carriers/${encodeURIComponent(consent.carrierId)}`}>{consent.carrierLabel}</a>
        ) : (
          consent.carrierLabel
        )}
      </h2>
      <dl className="meta">
        <dt>{t("transfer.state")}</dt>
        <dd data-testid="consent-state">{t(`consent.states.${consent.state}`, consent.state)}</dd>
        <dt>{t("consent.holder")}</dt>
        <dd>{consent.holder}</dd>
        <dt>{t("consent.originator")}</dt>
        <dd>{consent.originator}</dd>
        <dt>{t("consent.reason")}</dt>
        <dd>{consent.reason || "—"}</dd>
        <dt>{t("consent.requested")}</dt>
        <dd>{formatDate(consent.requestedAt)}</dd>
        {consent.answeredAt ? (
          <>
            <dt>{t("consent.answered")}</dt>
            <dd>{formatDate(consent.answeredAt)}</dd>
          </>
        ) : null}
      </dl>
      <ErrorBox error={error} />
      <div className="actions">
        {consent.actions.map((step) =>
          DECISIONS.has(step) ? (
            <DecisionButton
              key={step}
              label={t(`consent.steps.${step}`, step)}
              testId={`consent-step-${step}`}
              danger={step === "refuse"}
              withReason={step === "refuse"}
              busy={busy}
              onDecide={(reason) => void act(step, reason)}
            />
          ) : (
            <button
              key={step}
              type="button"
              disabled={busy}
              onClick={() => void act(step)}
              data-testid={`consent-step-${step}`}
            >
              {t(`consent.steps.${step}`, step)}
            </button>
          ),
        )}
      </div>
    </article>
  );
}

export function ConsentsPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useLoad(() => api<ConsentViewT[]>("GET", "/api/consents"), []);
  const incoming = (data ?? []).filter((c) => c.direction === "in");
  const outgoing = (data ?? []).filter((c) => c.direction === "out");
  return (
    <div className="page">
      <h1>{t("consent.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty text={t("consent.empty")} /> : null}
      {incoming.length > 0 ? <h2 className="section-title">{t("consent.incoming")}</h2> : null}
      {incoming.map((c) => (
        <ConsentCard key={c.id} consent={c} onChanged={reload} />
      ))}
      {outgoing.length > 0 ? <h2 className="section-title">{t("consent.outgoing")}</h2> : null}
      {outgoing.map((c) => (
        <ConsentCard key={c.id} consent={c} onChanged={reload} />
      ))}
    </div>
  );
}
