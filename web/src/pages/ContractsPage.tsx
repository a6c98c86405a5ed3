import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ContractT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad, useSubmit } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang } from "../i18n.ts";

type ContractAction = ContractT["actions"][number];
type Amended = { number: string; version: number; status: string };
type NewItem = { key: number; description: string; level: string };

/**
 * A7.1, A1.13: the concluding body's registry officer edits the six clauses and adds items to the
 * list of classified information, each with its level; asked once more, since an active contract
 * goes to the other Party's body at once. The server decides (keeper, state, levels, completeness).
 */
function AmendContractForm({
  contract,
  onCancel,
  onDone,
}: {
  contract: ContractT;
  onCancel: () => void;
  onDone: (amended: Amended) => void;
}) {
  const { t } = useTranslation();
  const { node } = useApp();
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(contract.clauses.map((c) => [c.key, c.text ?? ""])),
  );
  const [items, setItems] = useState<NewItem[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const lang = currentLang();
  const levelName = (id: string) => node.levels.find((l) => l.id === id)?.names[lang] ?? id;
  // Only the clauses whose text was edited are sent; a cleared one is sent too, for the server to refuse.
  const changed = contract.clauses.filter((c) => (texts[c.key] ?? "").trim() !== (c.text ?? "").trim());
  const added = items.map((i) => ({ description: i.description.trim(), level: i.level }));
  const next = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (changed.length === 0 && added.length === 0) return setProblem(t("contracts.amend.nothing"));
    setAsking(true);
  };
  const send = () =>
    run(async () => {
      const answer = await api<{ number: string; version: number }>(
        "POST",
        `/api/contracts/${encodeURIComponent(contract.id)}/amend`,
        {
          ...(changed.length > 0
            ? { clauses: Object.fromEntries(changed.map((c) => [c.key, (texts[c.key] ?? "").trim()])) }
            : {}),
          ...(added.length > 0 ? { information: added } : {}),
        },
      );
      onDone({ ...answer, status: contract.status });
    }).finally(() => setAsking(false));
  const setItem = (key: number, change: Partial<NewItem>) =>
    setItems((all) => all.map((i) => (i.key === key ? { ...i, ...change } : i)));
  return (
    <form className="form wide-form amend-form" onSubmit={next} data-testid="contract-amend-form">
      <h3>{t("contracts.amend.heading")}</h3>
      <fieldset disabled={asking || busy} className="plain-fieldset">
        <p className="hint">{t("contracts.amend.clausesHint")}</p>
        {contract.clauses.map((c) => (
          <label key={c.key}>
            {t(`contracts.clause.${c.key}`, c.key)}
            <textarea
              value={texts[c.key] ?? ""}
              onChange={(e) => setTexts((all) => ({ ...all, [c.key]: e.target.value }))}
              rows={2}
              maxLength={20_000}
              data-testid={`amend-clause-${c.key}`}
            />
          </label>
        ))}
        <h4>{t("contracts.amend.add")}</h4>
        {items.map((item, i) => (
          <div key={item.key} className="form-row amend-item" data-testid="amend-item">
            <label className="grow">
              {t("contracts.amend.description")} {i + 1}
              <input
                value={item.description}
                onChange={(e) => setItem(item.key, { description: e.target.value })}
                required
                maxLength={2000}
                data-testid="amend-item-description"
              />
            </label>
            <label>
              {t("contracts.amend.level")}
              <select
                value={item.level}
                onChange={(e) => setItem(item.key, { level: e.target.value })}
                required
                data-testid="amend-item-level"
              >
                <option value="">{t("contracts.amend.chooseLevel")}</option>
                {node.levels.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.names[lang] ?? l.id}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              className="secondary small"
              onClick={() => setItems((all) => all.filter((x) => x.key !== item.key))}
            >
              {t("contracts.amend.removeItem")}
            </button>
          </div>
        ))}
        <div>
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setItems((all) => [...all, { key: nextKey, description: "", level: "" }]);
              setNextKey((k) => k + 1);
            }}
            data-testid="amend-add-item"
          >
            {t("contracts.amend.addItem")}
          </button>
        </div>
      </fieldset>
      {problem ? (
        <div className="error-box" role="alert" data-testid="amend-problem">
          {problem}
        </div>
      ) : null}
      <ErrorBox error={error} />
      {asking ? (
        <fieldset className="notice amend-confirm" data-testid="contract-amend-confirm">
          <legend>
            {contract.status === "draft"
              ? t("contracts.amend.confirmDraft")
              : t("contracts.amend.confirmActive", { body: contract.counterpartName })}
          </legend>
          {changed.length > 0 ? (
            <p className="amend-summary">
              <strong>{t("contracts.amend.changedClauses")}:</strong>{" "}
              {changed.map((c) => t(`contracts.clause.${c.key}`, c.key)).join("; ")}
            </p>
          ) : null}
          {added.length > 0 ? (
            <div className="amend-summary">
              <strong>{t("contracts.amend.addedItems")}:</strong>
              <ul className="plain-list">
                {added.map((a, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: the rows as typed, in their order
                  <li key={i}>
                    {a.description} — {levelName(a.level)}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => void send()}
              data-testid="contract-amend-send"
            >
              {contract.status === "draft" ? t("contracts.amend.save") : t("contracts.amend.send")}
            </button>
            <button type="button" className="secondary" disabled={busy} onClick={() => setAsking(false)}>
              {t("contracts.amend.back")}
            </button>
          </div>
        </fieldset>
      ) : (
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="contract-amend-next">
            {t("contracts.amend.next")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("contracts.amend.cancel")}
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * A7.1, A4.1.4: the concluding body's registry officer suspends, resumes or closes the contract;
 * the change goes to the other Party's body at once, so it is asked once more.
 */
function ContractActions({ contract, onDone }: { contract: ContractT; onDone: () => void }) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<ContractAction | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [amended, setAmended] = useState<Amended | null>(null);
  if (contract.actions.length === 0) return null;
  const done = amended ? (
    <p className="ok" role="status" data-testid="contract-amended">
      {amended.status === "draft"
        ? t("contracts.amend.doneDraft", { number: amended.number, version: amended.version })
        : t("contracts.amend.doneActive", { number: amended.number, version: amended.version })}
    </p>
  ) : null;
  if (asked === "amend")
    return (
      <AmendContractForm
        contract={contract}
        onCancel={() => setAsked(null)}
        onDone={(result) => {
          setAsked(null);
          setAmended(result);
          onDone();
        }}
      />
    );
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
            onClick={() => {
              setAmended(null);
              setAsked(a);
            }}
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
      {done}
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
          data-version={c.version}
        >
          <h2>
            {c.number} — {c.title}{" "}
            <span className={`status status-${c.status}`}>{t(`contracts.states.${c.status}`, c.status)}</span>
          </h2>
          <p>
            <strong>{t("contracts.parties")}:</strong> {c.parties.join(" · ")}
          </p>
          <p className="hint" data-testid="contract-version">
            {t("contracts.version", { version: c.version })}
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
                <li
                  key={`${info.levelId}-${info.description}`}
                  data-testid="contract-item"
                  data-level={info.levelId}
                >
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
