import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AgreementViewT, OutstandingReportT } from "../../../src/api/routes/agreement.ts";
import { api } from "../api.ts";
import {
  Empty,
  ErrorBox,
  LevelBadge,
  Loading,
  useLoad,
  useReloadEvery,
  useSubmit,
} from "../components/common.tsx";
import { OrgName } from "../components/OrgName.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatArticles, formatDate, formatDay } from "../i18n.ts";
import { ProtocolsSection } from "./ProtocolsSection.tsx";

type NoticeKind = AgreementViewT["actions"][number];
type NoticeRow = AgreementViewT["notices"][number];

/**
 * A day as the user types it, day first (DD.MM.YYYY, DD/MM/YYYY; YYYY-MM-DD also taken), as
 * YYYY-MM-DD for the API. Anything else goes as typed, and the server's refusal names the field.
 */
function isoDay(typed: string): string {
  const text = typed.trim();
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text);
  if (dayFirst) return `${dayFirst[3]}-${dayFirst[2]?.padStart(2, "0")}-${dayFirst[1]?.padStart(2, "0")}`;
  return text;
}

/** Today on the browser's calendar, typed as the user's language writes it (the form's default). */
function typedToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, "0");
  return formatDay(`${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`);
}

/** A15.1, A15.2: the status, the entry into force, a notified termination and the withdrawal rule. */
function Summary({ view }: { view: AgreementViewT }) {
  const { t } = useTranslation();
  const { termination } = view;
  return (
    <section className="card" data-testid="agreement-summary">
      <dl className="meta">
        <dt>{t("agreement.status")}</dt>
        <dd>
          <span className="status" data-testid="agreement-status" data-status={view.status}>
            {t(`agreement.statuses.${view.status}`)}
          </span>
        </dd>
        <dt>{t("agreement.inForceOn")}</dt>
        <dd data-testid="agreement-in-force-on" data-date={view.inForceOn ?? ""}>
          {view.inForceOn ? formatDay(view.inForceOn) : t("agreement.notInForce")}
        </dd>
        <dt>{t("agreement.termination")}</dt>
        <dd
          data-testid="agreement-termination"
          data-notified-by={termination?.notifiedBy ?? ""}
          data-received-at={termination?.receivedAt ?? ""}
          data-terminates-on={termination?.terminatesOn ?? ""}
        >
          {termination
            ? t("agreement.terminationText", {
                party: t(`party.${termination.notifiedBy}`),
                received: formatDate(termination.receivedAt),
                date: formatDay(termination.terminatesOn),
              })
            : t("agreement.noTermination")}
        </dd>
        <dt>{t("agreement.withdrawalRule")}</dt>
        <dd data-testid="agreement-withdrawal-rule" data-rule={view.terminationWithdrawal}>
          {t(`agreement.withdrawal.${view.terminationWithdrawal}`)}
        </dd>
        <dt>{t("agreement.signedNotBefore")}</dt>
        <dd>{formatDay(view.signedNotBefore)}</dd>
      </dl>
    </section>
  );
}

/** The notices sent and received, each with its date, reference, sending and receipt (A15.1, A15.2). */
function NoticeTable({ notices }: { notices: readonly NoticeRow[] }) {
  const { t } = useTranslation();
  if (notices.length === 0) return <Empty text={t("agreement.noNotices")} />;
  return (
    <div className="table-wrap">
      <table data-testid="agreement-notices">
        <thead>
          <tr>
            <th>{t("agreement.col.kind")}</th>
            <th>{t("agreement.col.direction")}</th>
            <th>{t("agreement.col.from")}</th>
            <th>{t("agreement.col.datedOn")}</th>
            <th>{t("agreement.col.reference")}</th>
            <th>{t("agreement.col.sent")}</th>
            <th>{t("agreement.col.received")}</th>
            <th>{t("agreement.col.state")}</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr
              key={n.id}
              data-testid="agreement-notice-row"
              data-kind={n.kind}
              data-direction={n.direction}
              data-state={n.state}
            >
              <td className="col-title">{t(`agreement.kinds.${n.kind}`)}</td>
              <td>{t(`agreement.direction.${n.direction}`)}</td>
              <td className="col-org">{t(`party.${n.fromParty}`, n.fromParty)}</td>
              <td className="nowrap" data-testid="agreement-notice-dated">
                {formatDay(n.datedOn)}
              </td>
              {/* A note's number kept on one line; only a long one may break anywhere. */}
              <td className={n.reference.length <= 32 ? "nowrap" : "break"}>{n.reference || "—"}</td>
              <td className="nowrap">{formatDate(n.sentAt)}</td>
              <td className="nowrap" data-testid="agreement-notice-received">
                {formatDate(n.receivedAt)}
              </td>
              <td data-testid="agreement-notice-state">
                <span className={n.state === "refused" ? "bad" : n.state === "received" ? "ok" : ""}>
                  {t(`agreement.states.${n.state}`)}
                </span>
                {n.withdrawn ? (
                  <div className="hint" data-testid="agreement-notice-withdrawn">
                    {t("agreement.withdrawnNote")}
                  </div>
                ) : null}
                {n.refusal ? (
                  <div className="hint" data-testid="agreement-notice-refusal">
                    {n.refusal.articles.length > 0 ? `${formatArticles(n.refusal.articles)} — ` : ""}
                    {n.refusal.code}
                  </div>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const NOTIFY_FORM = { maxWidth: "54rem" } as const;

/**
 * The competent authority's written notice (A15.1, A15.2): only the kinds the server allows now; it
 * asks once more before it goes, since a notice given to the other Party cannot be taken back.
 */
function NotifyForm({ actions, onSent }: { actions: readonly NoticeKind[]; onSent: () => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState<NoticeKind | "">("");
  const [dated, setDated] = useState(typedToday);
  const [reference, setReference] = useState("");
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();
  const kind: NoticeKind | undefined = chosen && actions.includes(chosen) ? chosen : actions[0];
  const ask = (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    setAsking(true);
  };
  const send = async () => {
    setAsking(false);
    if (!kind) return;
    await run(
      async () => {
        await api<AgreementViewT>("POST", "/api/agreement/notices", {
          kind,
          ...(dated.trim() ? { datedOn: isoDay(dated) } : {}),
          ...(reference.trim() ? { reference: reference.trim() } : {}),
        });
      },
      () => {
        setSent(true);
        setReference("");
        setChosen("");
        onSent();
      },
    );
  };
  return (
    // Wide enough for the longest kind's name in the select (Armenian, Kazakh) without cutting it.
    <form className="card form" style={NOTIFY_FORM} onSubmit={ask} data-testid="agreement-notify-form">
      <h2>{t("agreement.form.title")}</h2>
      <label>
        {t("agreement.form.kind")}
        <select
          value={kind ?? ""}
          onChange={(e) => {
            setChosen(e.target.value as NoticeKind);
            setAsking(false);
          }}
          disabled={asking || busy}
          data-testid="agreement-kind"
        >
          {actions.map((a) => (
            <option key={a} value={a}>
              {t(`agreement.kinds.${a}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="form-row">
        <label>
          {t("agreement.form.datedOn")}
          <input
            value={dated}
            onChange={(e) => setDated(e.target.value)}
            placeholder={t("agreement.form.dayPlaceholder")}
            inputMode="numeric"
            size={12}
            disabled={asking || busy}
            data-testid="agreement-dated"
          />
        </label>
        <label>
          {t("agreement.form.reference")}
          <input
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            placeholder={t("agreement.form.referenceHint")}
            maxLength={200}
            disabled={asking || busy}
            data-testid="agreement-reference"
          />
        </label>
      </div>
      <p className="hint">{t("agreement.form.datedHint")}</p>
      <ErrorBox error={error} />
      {sent && !error ? (
        <p className="ok" role="status" data-testid="agreement-sent">
          {t("agreement.form.sent")}
        </p>
      ) : null}
      {asking ? (
        <fieldset className="confirm-step" data-testid="agreement-confirm">
          <legend>{t("agreement.form.confirm")}</legend>
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() => void send()}
              data-testid="agreement-confirm-yes"
            >
              {t("agreement.form.confirmYes")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setAsking(false)}
              data-testid="agreement-confirm-no"
            >
              {t("agreement.form.cancel")}
            </button>
          </div>
        </fieldset>
      ) : (
        <div className="actions">
          <button type="submit" disabled={busy || !kind} data-testid="agreement-submit">
            {t("agreement.form.submit")}
          </button>
        </div>
      )}
    </form>
  );
}

/** A15.3: the other Party's carriers held here still under the agreement's protection. */
function Outstanding() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading } = useLoad(
    (signal) => api<OutstandingReportT>("GET", "/api/agreement/outstanding", undefined, { signal }),
    [],
  );
  return (
    <section data-testid="agreement-outstanding">
      <h2>{t("agreement.outstanding.title")}</h2>
      <p className="hint">{t("agreement.outstanding.intro")}</p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p className="muted" data-testid="agreement-outstanding-at">
            {t("agreement.outstanding.at", { at: formatDate(data.at) })}
          </p>
          {data.carriers.length === 0 ? (
            <Empty text={t("agreement.outstanding.empty")} />
          ) : (
            <>
              <p data-testid="agreement-outstanding-total">
                <strong>{t("agreement.outstanding.total", { count: data.carriers.length })}</strong>
              </p>
              <p className="muted">{t("agreement.outstanding.byState")}:</p>
              <ul className="plain-list" data-testid="agreement-outstanding-by-state">
                {Object.entries(data.byState).map(([state, count]) => (
                  <li key={state} data-state={state} data-count={count}>
                    {t(`carrierStatus.${state}`, state)}: <strong>{count}</strong>
                  </li>
                ))}
              </ul>
              <div className="table-wrap">
                <table data-testid="agreement-outstanding-table">
                  <thead>
                    <tr>
                      <th>{t("agreement.outstanding.col.number")}</th>
                      <th>{t("agreement.outstanding.col.title")}</th>
                      <th>{t("agreement.outstanding.col.level")}</th>
                      <th>{t("agreement.outstanding.col.originator")}</th>
                      <th>{t("agreement.outstanding.col.state")}</th>
                      <th>{t("agreement.outstanding.col.custodian")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.carriers.map((c) => {
                      const level = node.levels.find((l) => l.id === c.level);
                      return (
                        <tr key={c.id} data-testid="agreement-outstanding-row" data-state={c.state}>
                          <td className="nowrap">
                            <a href={`#/carriers/${encodeURIComponent(c.id)}`}>
                              {c.registrationNumber}/{c.copyNumber}
                            </a>
                          </td>
                          <td className="col-title">{c.title}</td>
                          <td className="nowrap">
                            {level ? (
                              <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} />
                            ) : (
                              c.level
                            )}
                          </td>
                          <td className="col-org">{t(`party.${c.originatorParty}`, c.originatorParty)}</td>
                          <td>{t(`carrierStatus.${c.state}`, c.state)}</td>
                          <td className="col-org">
                            <OrgName name={c.custodian} />
                          </td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </>
      ) : null}
    </section>
  );
}

/** A15: the agreement's page — its status and notices, the notice form, and what remains protected. */
export function AgreementPage() {
  const { t } = useTranslation();
  const { session } = useApp();
  const { data, error, loading, reload } = useLoad(
    (signal) => api<AgreementViewT>("GET", "/api/agreement", undefined, { signal }),
    [],
  );
  // The other Party's notices show as they arrive; a receipt of ours sooner while one is pending.
  const pending = data?.notices.some((n) => n.direction === "out" && n.state === "sent") ?? false;
  useReloadEvery(pending ? 10_000 : 30_000, reload);
  return (
    <div className="page" data-testid="agreement-page">
      <div className="title-row">
        <h1>{t("agreement.title")}</h1>
      </div>
      <p className="hint">{t("agreement.intro")}</p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <Summary view={data} />
          {data.actions.length > 0 && session.permissions.notifyAgreement ? (
            <NotifyForm actions={data.actions} onSent={reload} />
          ) : null}
          <section>
            <h2>{t("agreement.noticesTitle")}</h2>
            <NoticeTable notices={data.notices} />
          </section>
          <ProtocolsSection />
        </>
      ) : null}
      {/* A15.3: the report is the registry's (officers and auditors); an administrator has none. */}
      {session.permissions.viewRegistry || session.permissions.viewAudit ? <Outstanding /> : null}
    </div>
  );
}
