import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarrierListT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

const STATUSES = [
  "registered",
  "dispatched",
  "received",
  "destroyed",
  "returned",
  "declassified",
  "released",
];

export function RegistryPage() {
  const { t } = useTranslation();
  const { node } = useApp();
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
      <h1>{t("registry.title")}</h1>
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
                    {c.copyNumber ? <span className="muted"> / {c.copyNumber}</span> : null}
                  </td>
                  <td className="col-title">{c.title}</td>
                  <td>
                    <LevelBadge rank={c.levelRank} name={levelName(c.levelId)} />
                  </td>
                  <td>{t(`kind.${c.kind}`, c.kind)}</td>
                  <td>{c.originatorName}</td>
                  <td>{c.custodianName}</td>
                  <td>{t(`carrierStatus.${c.status}`, c.status)}</td>
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
