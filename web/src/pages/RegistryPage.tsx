import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarrierListT, ContractT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { OrgName } from "../components/OrgName.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";
import { BreachFlag } from "./BreachesPage.tsx";
import { PredecessorFlag } from "./ImportPage.tsx";

const KINDS = ["paper-document", "electronic-file", "removable-media", "other-object"];

function RegisterCarrier({ onDone }: { onDone: (id: string) => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const contracts = useLoad(() => api<ContractT[]>("GET", "/api/contracts"), []);
  const [form, setForm] = useState({
    title: "",
    kind: "paper-document",
    level: "secret",
    contractId: "",
    sheets: "1",
    contentText: "",
  });
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<{ id: string }>("POST", "/api/carriers", {
        title: form.title,
        kind: form.kind,
        level: form.level,
        ...(form.contractId ? { contractId: form.contractId } : {}),
        ...(form.kind === "paper-document" ? { sheets: Number(form.sheets) } : {}),
        ...(form.kind === "electronic-file" && form.contentText ? { contentText: form.contentText } : {}),
      });
      onDone(result.id);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="register-form">
      <h2>{t("registry.registerTitle")}</h2>
      <label>
        {t("common.title")}
        <input
          value={form.title}
          onChange={set("title")}
          required
          maxLength={500}
          data-testid="register-title"
        />
      </label>
      <label>
        {t("common.kind")}
        <select value={form.kind} onChange={set("kind")}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("common.level")}
        <select value={form.level} onChange={set("level")} data-testid="register-level">
          {node.levels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.names[currentLang()] ?? l.id}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("carrier.contract")}
        <select value={form.contractId} onChange={set("contractId")}>
          <option value="">{t("registry.noContract")}</option>
          {(contracts.data ?? [])
            .filter((c) => c.status === "active")
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.number} — {c.title}
              </option>
            ))}
        </select>
      </label>
      {form.kind === "paper-document" ? (
        <label>
          {t("registry.sheets")}
          <input type="number" min={1} value={form.sheets} onChange={set("sheets")} />
        </label>
      ) : null}
      {form.kind === "electronic-file" ? (
        <label>
          {t("registry.contentText")}
          <textarea rows={5} value={form.contentText} onChange={set("contentText")} />
        </label>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="register-submit">
        {t("registry.register")}
      </button>
    </form>
  );
}

const STATUSES = [
  "registered",
  "dispatched",
  "transferred",
  "received",
  "destroyed",
  "returned",
  "declassified",
  "released",
];

export function RegistryPage() {
  const { t } = useTranslation();
  const { node, session, navigate } = useApp();
  const [registering, setRegistering] = useState(false);
  const [q, setQ] = useState("");
  const [filters, setFilters] = useState({ q: "", level: "", status: "" });
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const { data, error, loading } = useLoad(() => {
    const params = new URLSearchParams();
    if (filters.q) params.set("q", filters.q);
    if (filters.level) params.set("level", filters.level);
    if (filters.status) params.set("status", filters.status);
    if (after) params.set("after", after);
    params.set("limit", "50");
    return api<CarrierListT>("GET", `/api/carriers?${params}`);
  }, [filters, after]);
  const search = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setFilters((f) => ({ ...f, q }));
  };
  const levelName = (id: string) => {
    const level = node.levels.find((l) => l.id === id);
    return level?.names[currentLang()] ?? id;
  };
  return (
    <div className="page">
      <div className="title-row">
        <h1>{t("registry.title")}</h1>
        {session.permissions.registerCarrier ? (
          <button type="button" onClick={() => setRegistering((v) => !v)} data-testid="register-carrier">
            {t("registry.register")}
          </button>
        ) : null}
      </div>
      {registering ? (
        <RegisterCarrier onDone={(id) => navigate(`#/carriers/${encodeURIComponent(id)}`)} />
      ) : null}
      <form className="filters" onSubmit={search}>
        <label className="grow">
          <span className="sr-only">{t("registry.search")}</span>
          <input
            type="search"
            placeholder={t("registry.search")}
            value={q}
            onChange={(e) => setQ(e.target.value)}
            data-testid="registry-search"
          />
        </label>
        <label>
          <span className="sr-only">{t("common.level")}</span>
          <select
            value={filters.level}
            onChange={(e) => {
              setCursors([]);
              setFilters((f) => ({ ...f, level: e.target.value }));
            }}
            data-testid="registry-level"
          >
            <option value="">{t("registry.anyLevel")}</option>
            {node.levels.map((l) => (
              <option key={l.id} value={l.id}>
                {l.names[currentLang()] ?? l.id}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">{t("common.status")}</span>
          <select
            value={filters.status}
            onChange={(e) => {
              setCursors([]);
              setFilters((f) => ({ ...f, status: e.target.value }));
            }}
          >
            <option value="">{t("registry.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`carrierStatus.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("common.search")}</button>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <Empty text={t("registry.empty")} /> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="registry-table">
            <thead>
              <tr>
                <th>{t("common.regNo")}</th>
                <th>{t("common.title")}</th>
                <th>{t("common.level")}</th>
                <th>{t("common.kind")}</th>
                <th>{t("common.originator")}</th>
                <th>{t("common.custodian")}</th>
                <th>{t("common.status")}</th>
                <th>{t("common.created")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id}>
                  <td className="nowrap">
                    <a href={`#/carriers/${encodeURIComponent(c.id)}`}>{c.registrationNumber}</a>
                    {c.copyNumber ? <span className="muted"> / {c.copyNumber}</span> : null}{" "}
                    <PredecessorFlag predecessor={c.predecessor} />
                  </td>
                  <td className="col-title">{c.title}</td>
                  <td>
                    <LevelBadge rank={c.levelRank} name={levelName(c.levelId)} />
                  </td>
                  <td>{t(`kind.${c.kind}`, c.kind)}</td>
                  <td className="col-org">
                    <OrgName name={c.originatorName} />
                  </td>
                  <td className="col-org">
                    <OrgName name={c.custodianName} />
                  </td>
                  <td>
                    {t(`carrierStatus.${c.status}`, c.status)} <BreachFlag breach={c.breach} />
                  </td>
                  <td className="nowrap">{formatDate(c.registeredAt, false)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <div className="pager">
        <button
          type="button"
          className="secondary"
          disabled={cursors.length === 0}
          onClick={() => setCursors([])}
        >
          {t("common.first")}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={!data?.nextCursor}
          onClick={() => data?.nextCursor && setCursors((c) => [...c, data.nextCursor as string])}
        >
          {t("common.next")}
        </button>
        {data ? <span className="muted">{t("registry.shown", { count: data.items.length })}</span> : null}
      </div>
    </div>
  );
}
