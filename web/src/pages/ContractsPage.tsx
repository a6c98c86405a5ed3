import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ContractT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang } from "../i18n.ts";

type ContractAction = ContractT["actions"][number];

/**
 * A7.1, A4.1.4: the concluding body's registry officer suspends, resumes or closes the contract;
 * the change goes to the other Party's body at once, so it is asked once more.
 */
function ContractActions({ contract, onDone }: { contract: ContractT; onDone: () => void }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<ContractAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (contract.actions.length === 0) return null;
  const run = async (action: ContractAction) => {
    setBusy(true);
    setError(null);
    try {
      await api("POST", `/api/contracts/${encodeURIComponent(contract.id)}/${action}`);
      setAsked(null);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="actions" data-testid="contract-actions">
      {asked === null ? (
        contract.actions.map((a) => (
          <button
            key={a}
            type="button"
            className="secondary"
            data-testid={`contract-${a}`}
            onClick={() => setAsked(a)}
          >
            {t(`contracts.actions.${a}`)}
          </button>
        ))
      ) : (
        <div className="confirm" data-testid="contract-confirm">
          <p>{t("contracts.confirm")}</p>
          <button
            type="button"
            disabled={busy}
            data-testid="contract-confirm-yes"
            onClick={() => void run(asked)}
          >
            {t("contracts.confirmYes", { action: t(`contracts.actions.${asked}`) })}
          </button>{" "}
          <button type="button" className="secondary" disabled={busy} onClick={() => setAsked(null)}>
            {t("contracts.confirmNo")}
          </button>
        </div>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export function ContractsPage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading, reload } = useLoad(() => api<ContractT[]>("GET", "/api/contracts"), []);
  return (
    <div className="page">
      <h1>{t("contracts.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty text={t("common.none")} /> : null}
      {(data ?? []).map((c) => (
        <article
          key={c.id}
          className="card"
          data-testid="contract"
          data-number={c.number}
          data-state={c.status}
        >
          <h2>
            {c.number} — {c.title}{" "}
            <span className={`status status-${c.status}`}>{t(`contracts.states.${c.status}`, c.status)}</span>
          </h2>
          <p>
            <strong>{t("contracts.parties")}:</strong> {c.parties.join(" · ")}
          </p>
          {c.heldFrom ? (
            <p className="hint" data-testid="contract-held-from">
              {t("contracts.heldFrom", { party: c.heldFrom })}
            </p>
          ) : null}
          <ContractActions contract={c} onDone={reload} />
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
          {c.peerParticipants.length > 0 ? (
            <p data-testid="contract-peer-participants">
              <strong>{t("contracts.peerParticipants")}:</strong> {c.peerParticipants.join(", ")}
            </p>
          ) : null}
        </article>
      ))}
    </div>
  );
}
