import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarrierContentT, CarrierViewT, ContractT, OrganisationT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad, useSubmit } from "../components/common.tsx";
import { MarkingBanner } from "../components/MarkingBanner.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatArticles, formatDate } from "../i18n.ts";
import { BreachFlag } from "./BreachesPage.tsx";
import { CarrierActions } from "./CarrierActions.tsx";
import { PredecessorFlag } from "./ImportPage.tsx";

function RequestTransfer({ carrierId, onDone }: { carrierId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const contracts = useLoad(() => api<ContractT[]>("GET", "/api/contracts"), []);
  const orgs = useLoad(() => api<OrganisationT[]>("GET", "/api/organisations"), []);
  const [contractId, setContractId] = useState("");
  const [receivingBodyId, setReceivingBodyId] = useState("");
  const { busy, error, run } = useSubmit();
  // Only the other side of the chosen contract may receive (A1.13, A5.1); the server checks it again.
  const contract = (contracts.data ?? []).find((c) => c.id === contractId);
  const receivers = (orgs.data ?? []).filter(
    (o) =>
      o.party !== node.party &&
      o.kind === "authorized_body" &&
      (!contract || o.name === contract.counterpartName),
  );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api("POST", "/api/transfers", { carrierId, contractId, receivingBodyId });
    }, onDone);
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="transfer-form">
      <h2>{t("carrier.transferTitle")}</h2>
      <label>
        {t("transfer.contract")}
        <select
          value={contractId}
          onChange={(e) => setContractId(e.target.value)}
          required
          data-testid="transfer-contract"
        >
          <option value="" />
          {(contracts.data ?? [])
            .filter((c) => c.status === "active")
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} — {c.title}
              </option>
            ))}
        </select>
      </label>
      <label>
        {t("transfer.receivingBody")}
        <select
          value={receivingBodyId}
          onChange={(e) => setReceivingBodyId(e.target.value)}
          required
          data-testid="transfer-receiver"
        >
          <option value="" />
          {receivers.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="transfer-submit">
        {t("carrier.requestTransfer")}
      </button>
    </form>
  );
}

function AskConsent({
  carrierId,
  actions,
  onDone,
}: {
  carrierId: string;
  actions: string[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [action, setAction] = useState(actions[0] ?? "");
  const [reason, setReason] = useState("");
  const [language, setLanguage] = useState("ru");
  const [thirdParty, setThirdParty] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api("POST", `/api/carriers/${encodeURIComponent(carrierId)}/consent-requests`, {
        action,
        reason,
        ...(action === "translate" ? { language } : {}),
        ...(action === "third-party-release" ? { thirdParty } : {}),
      });
    }, onDone);
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="consent-form">
      <h2>{t("consent.ask")}</h2>
      <label>
        {t("consent.action")}
        <select value={action} onChange={(e) => setAction(e.target.value)} data-testid="consent-action">
          {actions.map((a) => (
            <option key={a} value={a}>
              {t(`consent.actions.${a}`, a)}
            </option>
          ))}
        </select>
      </label>
      {action === "translate" ? (
        <label>
          {t("consent.language")}
          <select value={language} onChange={(e) => setLanguage(e.target.value)}>
            {["ru", "kk", "hy", "en"].map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      {action === "third-party-release" ? (
        <label>
          {t("consent.thirdParty")}
          <input value={thirdParty} onChange={(e) => setThirdParty(e.target.value)} required />
        </label>
      ) : null}
      <label>
        {t("consent.reason")}
        <input
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          required
          data-testid="consent-reason"
        />
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="consent-submit">
        {t("consent.submit")}
      </button>
    </form>
  );
}

function ChangeLevel({
  carrierId,
  current,
  onDone,
}: {
  carrierId: string;
  current: string;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { node } = useApp();
  const [level, setLevel] = useState(current);
  const [declassify, setDeclassify] = useState(false);
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api("POST", `/api/carriers/${encodeURIComponent(carrierId)}/level`, {
        level,
        ...(declassify ? { declassify: true } : {}),
      });
    }, onDone);
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="level-form">
      <h2>{t("carrier.changeLevelTitle")}</h2>
      <label>
        {t("carrier.newLevel")}
        <select value={level} onChange={(e) => setLevel(e.target.value)} disabled={declassify}>
          {node.levels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.names[currentLang()] ?? l.id}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={declassify} onChange={(e) => setDeclassify(e.target.checked)} />
        {t("carrier.declassify")}
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy}>
        {t("carrier.changeLevel")}
      </button>
    </form>
  );
}

/** A4.2: the custodian's registry officer grants need-to-know to a person of its body. */
function GrantNeedToKnow({
  carrierId,
  candidates,
  onDone,
}: {
  carrierId: string;
  candidates: { id: string; name: string }[];
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [person, setPerson] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api("POST", `/api/carriers/${encodeURIComponent(carrierId)}/need-to-know`, { persons: [person] });
      setPerson("");
    }, onDone);
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="ntk-form">
      <h2>{t("carrier.grantNtkTitle")}</h2>
      <label>
        {t("carrier.grantNtkPerson")}
        <select value={person} onChange={(e) => setPerson(e.target.value)} required data-testid="ntk-person">
          <option value="" />
          {candidates.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="ntk-submit">
        {t("carrier.grantNtk")}
      </button>
    </form>
  );
}

/**
 * The carrier's content, read only when asked for. It belongs to carrier `id` alone (A1.5, A6.1): the
 * request in flight is given up when this carrier leaves the screen, and an answer that still comes
 * is dropped, so it can never show under another carrier's marking.
 */
function Content({ id }: { id: string }) {
  const { t } = useTranslation();
  const [content, setContent] = useState<CarrierContentT>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const pending = useRef<AbortController | null>(null);
  // Keyed by the carrier, this component leaves with it: the request in flight goes with it.
  useEffect(
    () => () => {
      pending.current?.abort();
      pending.current = null;
    },
    [],
  );
  const show = async () => {
    pending.current?.abort();
    const request = new AbortController();
    pending.current = request;
    setBusy(true);
    setError(undefined);
    try {
      const value = await api<CarrierContentT>(
        "GET",
        `/api/carriers/${encodeURIComponent(id)}/content`,
        undefined,
        { signal: request.signal },
      );
      if (!request.signal.aborted) setContent(value);
    } catch (e) {
      if (!request.signal.aborted) setError(e);
    } finally {
      if (!request.signal.aborted) {
        setBusy(false);
        pending.current = null;
      }
    }
  };
  return (
    <section className="card">
      <h2>{t("carrier.content")}</h2>
      {content ? (
        content.text !== null ? (
          <pre className="content-view" data-testid="carrier-content">
            {content.text}
          </pre>
        ) : (
          <p className="muted">{content.mediaType}</p>
        )
      ) : (
        <button type="button" onClick={show} disabled={busy} data-testid="show-content">
          {t("carrier.showContent")}
        </button>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

export function CarrierPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { node, navigate } = useApp();
  const loaded = useLoad(
    async (signal) => ({
      id,
      view: await api<CarrierViewT>("GET", `/api/carriers/${encodeURIComponent(id)}`, undefined, { signal }),
    }),
    [id],
    { languageReload: "on-error" },
  );
  const { error, loading, reload } = loaded;
  // Only the record of the carrier in the address is ever shown, never one loaded for another (A1.5).
  const data = loaded.data?.id === id ? loaded.data.view : undefined;
  const [requesting, setRequesting] = useState(false);
  const [asking, setAsking] = useState(false);
  const [changing, setChanging] = useState(false);
  const [granting, setGranting] = useState(false);
  const { permissions } = useApp().session;
  if (!data && (loading || !error)) return <Loading />;
  if (error || !data)
    return (
      <div className="page">
        <ErrorBox error={error} />
      </div>
    );
  const c = data.carrier;
  const level = node.levels.find((l) => l.id === c.levelId);
  const banner = (position: "top" | "bottom") => (
    <MarkingBanner
      node={node}
      markings={data.markings}
      levelId={c.levelId}
      rank={c.levelRank}
      originatorParty={c.originatorParty}
      position={position}
    />
  );
  return (
    <div className="page carrier-page">
      {banner("top")}
      <h1 className="carrier-title">
        <span className="nowrap">{c.registrationNumber}</span> — {c.title}
      </h1>
      <div className="grid-2">
        <section className="card">
          <h2>{t("carrier.metadata")}</h2>
          <dl className="meta" data-testid="carrier-meta">
            <dt>{t("common.regNo")}</dt>
            <dd>
              {c.registrationNumber} <PredecessorFlag predecessor={c.predecessor} />
              {c.predecessor ? (
                // D3: the old register's number and marking, in words (the list shows them on hover).
                <div className="hint" data-testid="predecessor-details">
                  {t("import.originTitle", {
                    number: c.predecessor.oldNumber,
                    copy: c.predecessor.oldCopy,
                    marking: c.predecessor.oldMarking,
                  })}
                </div>
              ) : null}
            </dd>
            <dt>{t("common.copyNo")}</dt>
            <dd>{c.copyNumber ?? "—"}</dd>
            <dt>{t("common.title")}</dt>
            <dd>{c.title}</dd>
            <dt>{t("common.level")}</dt>
            <dd data-testid="carrier-level">
              <LevelBadge rank={c.levelRank} name={level?.names[currentLang()] ?? c.levelId} />
            </dd>
            <dt>{t("common.kind")}</dt>
            <dd>{t(`kind.${c.kind}`, c.kind)}</dd>
            {c.sheets !== null ? (
              <>
                <dt>{t("carrier.sheets")}</dt>
                <dd>{c.sheets}</dd>
              </>
            ) : null}
            {c.sizeBytes !== null ? (
              <>
                <dt>{t("carrier.size")}</dt>
                <dd>{new Intl.NumberFormat(currentLang()).format(c.sizeBytes)} B</dd>
              </>
            ) : null}
            <dt>{t("common.originator")}</dt>
            <dd>{c.originatorName}</dd>
            <dt>{t("common.custodian")}</dt>
            <dd>{c.custodianName}</dd>
            <dt>{t("common.status")}</dt>
            <dd>
              {t(`carrierStatus.${c.status}`, c.status)} <BreachFlag breach={c.breach} />
            </dd>
            <dt>{t("common.created")}</dt>
            <dd>{formatDate(c.registeredAt)}</dd>
          </dl>
        </section>
        <section className="card">
          <h2>{t("carrier.marking")}</h2>
          <dl className="meta" data-testid="carrier-markings">
            {data.markings.map((m, i) => (
              <div key={`${m.party}-${m.language}`} className="meta-row">
                <dt>
                  {i === 0 ? t("carrier.originatorMarking") : t("carrier.equivalentMarking")} (
                  {t(`party.${m.party}`)})
                </dt>
                <dd lang={m.language} className="marking-inline">
                  {m.text}
                </dd>
              </div>
            ))}
          </dl>
          <div className="actions">
            {data.actions.changeLevel ? (
              <button
                type="button"
                className="secondary"
                onClick={() => setChanging((v) => !v)}
                data-testid="change-level"
              >
                {t("carrier.changeLevel")}
              </button>
            ) : null}
            {data.actions.requestConsent.length > 0 ? (
              <button type="button" onClick={() => setAsking((v) => !v)} data-testid="ask-consent">
                {t("consent.ask")}
              </button>
            ) : null}
            {data.actions.requestTransfer ? (
              <button type="button" onClick={() => setRequesting((v) => !v)} data-testid="request-transfer">
                {t("carrier.requestTransfer")}
              </button>
            ) : null}
            {permissions.grantNeedToKnow && data.actions.grantNeedToKnow.length > 0 ? (
              <button
                type="button"
                className="secondary"
                onClick={() => setGranting((v) => !v)}
                data-testid="grant-ntk"
              >
                {t("carrier.grantNtk")}
              </button>
            ) : null}
          </div>
        </section>
      </div>
      <CarrierActions
        key={c.id}
        view={data}
        onChanged={reload}
        onMade={(made) => navigate(`#/carriers/${encodeURIComponent(made)}`)}
      />
      {requesting ? <RequestTransfer carrierId={c.id} onDone={() => navigate("#/transfers")} /> : null}
      {changing ? (
        <ChangeLevel
          carrierId={c.id}
          current={c.levelId}
          onDone={() => {
            setChanging(false);
            reload();
          }}
        />
      ) : null}
      {asking ? (
        <AskConsent
          carrierId={c.id}
          actions={data.actions.requestConsent}
          onDone={() => navigate("#/consents")}
        />
      ) : null}
      {granting && permissions.grantNeedToKnow ? (
        <GrantNeedToKnow
          carrierId={c.id}
          candidates={data.actions.grantNeedToKnow}
          onDone={() => {
            setGranting(false);
            reload();
          }}
        />
      ) : null}
      {data.actions.readContent && c.hasContent ? <Content key={c.id} id={c.id} /> : null}
      {!data.actions.readContent && c.hasContent ? (
        <section className="card" data-testid="no-need-to-know">
          <h2>{t("carrier.content")}</h2>
          <p className="muted">{t("carrier.noNeedToKnow")}</p>
        </section>
      ) : null}
      <section className="card">
        <h2>{t("carrier.lineage")}</h2>
        {data.lineage.length === 0 ? (
          <Empty text={t("common.none")} />
        ) : (
          <ul className="plain-list">
            {data.lineage.map((l) => (
              <li key={l.id}>
                {t(`carrier.relations.${l.relation}`, l.relation)}:{" "}
                {l.visible ? (
                  <a href={`#/carriers/${encodeURIComponent(l.id)}`}>{l.registrationNumber}</a>
                ) : (
                  l.registrationNumber
                )}{" "}
                {l.title}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="card">
        <h2>{t("carrier.history")}</h2>
        {data.history.length === 0 ? (
          <Empty text={t("common.none")} />
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{t("messages.at")}</th>
                  <th>{t("audit.event")}</th>
                  <th>{t("audit.actor")}</th>
                  <th>{t("audit.outcome")}</th>
                  <th>{t("common.articles")}</th>
                </tr>
              </thead>
              <tbody>
                {data.history.map((h) => (
                  <tr key={`${h.at}-${h.event}-${h.actor}-${h.outcome}`}>
                    <td className="nowrap">{formatDate(h.at)}</td>
                    <td title={h.event}>{t(`events.${h.event.replace(/\./g, "_")}`, h.event)}</td>
                    <td>{h.actor === "system" ? t("audit.system") : h.actor}</td>
                    <td>{t(`outcome.${h.outcome}`, h.outcome)}</td>
                    <td className="nowrap">{formatArticles(h.articles)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {banner("bottom")}
    </div>
  );
}
