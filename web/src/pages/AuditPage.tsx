import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditSearchEntryT, AuditSearchPageT, AuditVerifyT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { formatArticles } from "../i18n.ts";

type Filters = { from: string; to: string; person: string; event: string; outcome: string; number: string };

const NO_FILTERS: Filters = { from: "", to: "", person: "", event: "", outcome: "", number: "" };
const OUTCOMES = ["done", "allowed", "refused", "failed"] as const;

/** A `datetime-local` value read as UTC (the column says UTC), as an ISO instant. */
function utcInstant(local: string): string {
  return local === "" ? "" : `${local.length === 16 ? `${local}:00` : local}Z`;
}

/** The query string of the filters (A4.2 search and export share it). */
function filterQuery(filters: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (filters.from) q.set("from", utcInstant(filters.from));
  if (filters.to) q.set("to", utcInstant(filters.to));
  for (const key of ["person", "event", "outcome", "number"] as const) {
    const value = filters[key].trim();
    if (value) q.set(key, value);
  }
  return q;
}

/** `carrier:2a1b…` — the type and the start of the identifier; the full value is in the tooltip. */
function shortObject(object: string): string {
  const [type, id] = object.split(":", 2);
  return id && id.length > 12 ? `${type}:${id.slice(0, 8)}…` : object;
}

function ObjectCell({ entry }: { entry: AuditSearchEntryT }) {
  const { t } = useTranslation();
  // The server names an object only when the reader may learn of it; otherwise it stays raw.
  const named = entry.objectName !== entry.object;
  const label = !named
    ? shortObject(entry.object)
    : entry.objectType === "transfer"
      ? t("audit.transferOf", { number: entry.objectName })
      : entry.objectName;
  return entry.carrierId ? (
    <a href={`#/carriers/${encodeURIComponent(entry.carrierId)}`} title={entry.object}>
      {label}
    </a>
  ) : (
    <span title={entry.object}>{label}</span>
  );
}

export function AuditPage() {
  const { t } = useTranslation();
  const { session } = useApp();
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const query = filterQuery(filters);
  const pageQuery = new URLSearchParams(query);
  if (cursor) pageQuery.set("cursor", cursor);
  const { data, error, loading } = useLoad(
    () => api<AuditSearchPageT>("GET", `/api/audit/search?${pageQuery.toString()}`),
    [pageQuery.toString()],
  );
  const exportQuery = new URLSearchParams(query);
  exportQuery.set("format", "csv");
  const [verify, setVerify] = useState<AuditVerifyT>();
  const [verifyError, setVerifyError] = useState<unknown>();
  const runVerify = async () => {
    setVerifyError(undefined);
    try {
      setVerify(await api<AuditVerifyT>("POST", "/api/audit/verify", {}));
    } catch (e) {
      setVerifyError(e);
    }
  };
  const search = (e: FormEvent) => {
    e.preventDefault();
    setFilters(draft);
    setCursors([]);
  };
  const clear = () => {
    setDraft(NO_FILTERS);
    setFilters(NO_FILTERS);
    setCursors([]);
  };
  const field = (key: keyof Filters) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
    "data-testid": `audit-filter-${key}`,
  });
  return (
    <div className="page">
      <h1>{t("audit.title")}</h1>
      {session.permissions.verifyAudit ? (
        <div className="actions">
          <button type="button" onClick={runVerify} data-testid="audit-verify">
            {t("audit.verify")}
          </button>
          {verify ? (
            <span className={verify.ok ? "ok" : "bad"} role="status" data-testid="audit-verify-result">
              {verify.ok
                ? t("audit.verified", { size: verify.size, root: (verify.root ?? "").slice(0, 16) })
                : t("audit.broken", { index: verify.firstBadIndex })}
            </span>
          ) : null}
        </div>
      ) : null}
      <ErrorBox error={verifyError} />
      <form className="filters" onSubmit={search} data-testid="audit-filters">
        <label>
          <span>{t("audit.filterFrom")}</span>
          <input type="datetime-local" {...field("from")} />
        </label>
        <label>
          <span>{t("audit.filterTo")}</span>
          <input type="datetime-local" {...field("to")} />
        </label>
        <label>
          <span>{t("audit.person")}</span>
          <input type="text" {...field("person")} />
        </label>
        <label>
          <span>{t("audit.eventFilter")}</span>
          <input type="text" {...field("event")} />
        </label>
        <label>
          <span>{t("audit.outcome")}</span>
          <select {...field("outcome")}>
            <option value="">{t("audit.anyOutcome")}</option>
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>{t("audit.number")}</span>
          <input type="text" {...field("number")} />
        </label>
        <button type="submit" data-testid="audit-search">
          {t("audit.search")}
        </button>
        <button type="button" className="secondary" onClick={clear}>
          {t("audit.clear")}
        </button>
        <a href={`/api/audit/export?${exportQuery.toString()}`} download data-testid="audit-export">
          {t("audit.exportCsv")}
        </a>
      </form>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.items.length === 0 ? <Empty text={t("audit.empty")} /> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="audit-table">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("audit.time")}</th>
                <th>{t("audit.actor")}</th>
                <th>{t("common.organisation")}</th>
                <th>{t("audit.event")}</th>
                <th>{t("audit.object")}</th>
                <th>{t("audit.outcome")}</th>
                <th>{t("common.articles")}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((e) => (
                <tr key={e.index}>
                  <td>{e.index}</td>
                  <td className="nowrap">{e.at.replace("T", " ").slice(0, 19)}</td>
                  <td title={e.actorId}>{e.actorId.startsWith("node:") ? t("audit.system") : e.actor}</td>
                  <td>{e.organisation}</td>
                  <td title={e.event}>{t(`events.${e.event.replace(/\./g, "_")}`, e.event)}</td>
                  <td className="col-org">{e.object ? <ObjectCell entry={e} /> : null}</td>
                  <td>{t(`outcome.${e.outcome}`, e.outcome)}</td>
                  <td className="nowrap">{formatArticles(e.articles)}</td>
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
          data-testid="audit-next"
        >
          {t("common.next")}
        </button>
      </div>
    </div>
  );
}
