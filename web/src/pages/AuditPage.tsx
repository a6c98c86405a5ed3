import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuditPageT, AuditVerifyT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, Loading, useLoad } from "../components/common.tsx";
import { useApp } from "../context.ts";

/** `carrier:2a1b…` — the type and the start of the identifier; the full value is in the tooltip. */
function shortObject(object: string): string {
  const [type, id] = object.split(":", 2);
  return id && id.length > 12 ? `${type}:${id.slice(0, 8)}…` : object;
}

export function AuditPage() {
  const { t } = useTranslation();
  const { session } = useApp();
  const [cursors, setCursors] = useState<string[]>([]);
  const after = cursors[cursors.length - 1];
  const { data, error, loading } = useLoad(
    () => api<AuditPageT>("GET", `/api/audit${after ? `?after=${encodeURIComponent(after)}` : ""}`),
    [after],
  );
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
                  <td>{e.actor.startsWith("node:") ? t("audit.system") : e.actor}</td>
                  <td>{e.organisation}</td>
                  <td title={e.event}>{t(`events.${e.event.replace(/\./g, "_")}`, e.event)}</td>
                  <td className="nowrap" title={e.object}>
                    {shortObject(e.object)}
                  </td>
                  <td>{t(`outcome.${e.outcome}`, e.outcome)}</td>
                  <td>{e.articles.join(", ")}</td>
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
      </div>
    </div>
  );
}
