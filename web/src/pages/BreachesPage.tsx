import type { TFunction } from "i18next";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarrierViewT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import {
  DecisionButton,
  Empty,
  ErrorBox,
  LevelBadge,
  Loading,
  useLoad,
  useSubmit,
} from "../components/common.tsx";
import { MarkingBanner } from "../components/MarkingBanner.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

/** A step of a breach case and its clock (A11.1, A11.2; the targets are the node's policy). */
type BreachStep = {
  step: string;
  dueAt: string | null;
  doneAt: string | null;
  overdue: boolean;
};

/** A carrier a breach names: by its number here when this node holds it and the viewer may see it. */
type BreachCarrier = {
  registrationNumber: string | null;
  originRef: string | null;
  quarantined: boolean;
  visible: boolean;
  carrierId?: string | null;
  title?: string | null;
  levelId?: string | null;
  levelRank?: number | null;
  originatorParty?: "KZ" | "AM" | null;
  markings?: CarrierViewT["markings"] | null;
};

type BreachRow = {
  id: string;
  direction: "own" | "in";
  party: string;
  suspected: boolean;
  state: string;
  what: string;
  howFound: string;
  occurredAt: string | null;
  foundAt: string;
  reportedAt: string;
  informationOf: string[];
  /** Where it was found, e.g. `transfer:<id>` (a broken seal at take-in). */
  source: string | null;
  carriers: BreachCarrier[];
  steps: BreachStep[];
  results: string | null;
  damageAssessment: string | null;
  settlement: string | null;
  closedAt: string | null;
  actions: string[];
};

/** The steps that need text typed in before they go (results; damage assessment and settlement). */
const FORM_ACTIONS = new Set(["results", "settle"]);

function StepStatus({ step }: { step: BreachStep }) {
  const { t } = useTranslation();
  if (step.doneAt) {
    const late = step.dueAt !== null && step.doneAt > step.dueAt;
    return <span className={late ? "bad" : "ok"}>{t(late ? "breach.stepDoneLate" : "breach.stepDone")}</span>;
  }
  if (step.overdue)
    return (
      <span className="overdue" data-testid="breach-step-overdue">
        {t("breach.stepOverdue")}
      </span>
    );
  if (!step.dueAt) return <span className="muted">{t("breach.stepWaiting")}</span>;
  return <span className="muted">{t("breach.stepOpen")}</span>;
}

/** Each step's clock: its target, when it was done, or that it is overdue. */
function StepClocks({ steps, compact = false }: { steps: BreachStep[]; compact?: boolean }) {
  const { t } = useTranslation();
  if (compact)
    return (
      <ul className="breach-clocks">
        {steps.map((s) => (
          <li key={s.step} data-step={s.step} data-overdue={s.overdue ? "1" : "0"}>
            <span className="breach-clock-step">{t(`breach.steps.${s.step}`)}</span>{" "}
            <span className="nowrap">
              {s.doneAt || s.dueAt ? `${formatDate(s.doneAt ?? s.dueAt)} ` : null}
              <StepStatus step={s} />
            </span>
          </li>
        ))}
      </ul>
    );
  return (
    <div className="table-wrap">
      <table data-testid="breach-steps">
        <thead>
          <tr>
            <th>{t("breach.stepsCol.step")}</th>
            <th>{t("breach.stepsCol.due")}</th>
            <th>{t("breach.stepsCol.done")}</th>
            <th>{t("breach.stepsCol.status")}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.step} data-testid="breach-step" data-step={s.step} data-done={s.doneAt ? "1" : "0"}>
              <td>{t(`breach.steps.${s.step}`)}</td>
              <td className="nowrap">{formatDate(s.dueAt)}</td>
              <td className="nowrap">{formatDate(s.doneAt)}</td>
              <td>
                <StepStatus step={s} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The case's state; on the notified Party's node "notified" is the notice it received. */
function stateLabel(t: TFunction, b: Pick<BreachRow, "state" | "direction">): string {
  const own = t(`breach.states.${b.state}`, b.state);
  return b.direction === "in" ? t(`breach.statesIn.${b.state}`, own) : own;
}

/**
 * How it was found. A take-in with broken seals states it in the server's words with the dispatch
 * record's seals and waybill (A5.6); shown in the user's language.
 */
function howFoundText(t: TFunction, howFound: string): string {
  const takeIn = /^seals broken or not matching at take-in \(dispatch seals (.+), waybill (.+)\)$/.exec(
    howFound,
  );
  return takeIn ? t("breach.howFoundTakeIn", { seals: takeIn[1], waybill: takeIn[2] }) : howFound;
}

function partyList(t: TFunction, parties: string[]): string {
  return parties.length > 0 ? parties.map((p) => t(`party.${p}`)).join(", ") : "—";
}

/** The list: each case with its state and its steps' clocks, overdue ones marked. */
function BreachList({ breaches }: { breaches: BreachRow[] }) {
  const { t } = useTranslation();
  const { node } = useApp();
  return (
    <div className="table-wrap">
      <table data-testid="breach-table">
        <thead>
          <tr>
            <th>{t("breach.reportedAt")}</th>
            <th>{t("breach.what")}</th>
            <th>{t("breach.state")}</th>
            <th>{t("breach.informationOf")}</th>
            <th>{t("breach.carriersTitle")}</th>
            <th>{t("breach.stepsTitle")}</th>
          </tr>
        </thead>
        <tbody>
          {breaches.map((b) => (
            <tr
              key={b.id}
              data-testid="breach-row"
              data-state={b.state}
              data-direction={b.direction}
              data-overdue={b.steps.some((s) => s.overdue) ? "1" : "0"}
            >
              <td className="nowrap">
                <a href={`#/breaches/${encodeURIComponent(b.id)}`} data-testid="breach-open">
                  {formatDate(b.reportedAt)}
                </a>
              </td>
              <td className="col-title">
                <span className={`status ${b.suspected ? "status-suspected" : ""}`}>
                  {t(b.suspected ? "breach.suspectedTag" : "breach.establishedTag")}
                </span>{" "}
                {b.what}
                <div className="hint">{t(`breach.direction.${b.direction}`)}</div>
              </td>
              <td data-testid="breach-state">{stateLabel(t, b)}</td>
              <td className="col-org">{partyList(t, b.informationOf)}</td>
              <td>
                {b.carriers.map((c, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: a carrier the viewer may not see has no number to key on
                  <CarrierChip key={i} carrier={c} node={node} closed={b.state === "closed"} />
                ))}
              </td>
              <td className="col-clocks">
                <StepClocks steps={b.steps} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A11.1: a named carrier is flagged while the case is open, held in quarantine after a broken seal. */
function CarrierMark({ carrier, closed }: { carrier: BreachCarrier; closed: boolean }) {
  const { t } = useTranslation();
  if (carrier.quarantined)
    return (
      <span className="overdue" data-testid="breach-carrier-mark">
        {t("breach.quarantined")}
      </span>
    );
  return (
    <span className={closed ? "muted" : "status"} data-testid="breach-carrier-mark">
      {t(closed ? "breach.flagLifted" : "breach.flagged")}
    </span>
  );
}

/**
 * The carrier's number at its originator, as `PARTY/NUMBER/COPY`; the Party is left out when the
 * number already begins with it (KZ/KZ-2026-000004/1 → KZ-2026-000004/1).
 */
function originLabel(ref: string | null): string {
  if (!ref) return "—";
  const m = /^([A-Z]{2})\/(.+)$/.exec(ref);
  return m?.[2]?.startsWith(`${m[1]}-`) ? m[2] : ref;
}

function CarrierChip({
  carrier,
  node,
  closed,
}: {
  carrier: BreachCarrier;
  node: ReturnType<typeof useApp>["node"];
  closed: boolean;
}) {
  const { t } = useTranslation();
  const level = carrier.levelId ? node.levels.find((l) => l.id === carrier.levelId) : undefined;
  const label =
    (carrier.visible && carrier.registrationNumber) ||
    (carrier.originRef ? originLabel(carrier.originRef) : t("breach.notVisible"));
  return (
    <div className="breach-carrier">
      <span className="nowrap">
        {carrier.visible && carrier.carrierId ? (
          <a href={`#/carriers/${encodeURIComponent(carrier.carrierId)}`}>{label}</a>
        ) : (
          label
        )}
      </span>{" "}
      {level ? <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} /> : null}{" "}
      <CarrierMark carrier={carrier} closed={closed} />
    </div>
  );
}

/** A11.1: any authorized body's registry officer or a competent authority officer records a breach. */
function ReportForm({ onDone, onCancel }: { onDone: (id: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const [suspected, setSuspected] = useState(true);
  const [what, setWhat] = useState("");
  const [howFound, setHowFound] = useState("");
  const [occurredAt, setOccurredAt] = useState("");
  const [foundAt, setFoundAt] = useState(() => localInput(new Date()));
  const [carriers, setCarriers] = useState("");
  const [informationOf, setInformationOf] = useState<string[]>([]);
  const { busy, error, run } = useSubmit();
  const parties = [node.party, node.otherParty];
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const refs = carriers
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    let created = "";
    await run(
      async () => {
        const answer = await api<{ id: string }>("POST", "/api/breaches", {
          suspected,
          what: what.trim(),
          howFound: howFound.trim(),
          ...(occurredAt ? { occurredAt: new Date(occurredAt).toISOString() } : {}),
          foundAt: new Date(foundAt).toISOString(),
          carriers: refs,
          ...(informationOf.length > 0 ? { informationOf } : {}),
        });
        created = answer.id;
      },
      () => onDone(created),
    );
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="breach-report-form">
      <h2>{t("breach.reportTitle")}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={suspected}
          onChange={(e) => setSuspected(e.target.checked)}
          data-testid="breach-suspected"
        />
        {t("breach.suspected")}
      </label>
      <label>
        {t("breach.what")}
        <textarea
          value={what}
          onChange={(e) => setWhat(e.target.value)}
          required
          rows={3}
          maxLength={4000}
          data-testid="breach-what"
        />
      </label>
      <label>
        {t("breach.howFound")}
        <textarea
          value={howFound}
          onChange={(e) => setHowFound(e.target.value)}
          required
          rows={2}
          maxLength={4000}
          data-testid="breach-how-found"
        />
      </label>
      <div className="form-row">
        <label>
          {t("breach.occurredAt")}
          <input
            type="datetime-local"
            value={occurredAt}
            onChange={(e) => setOccurredAt(e.target.value)}
            data-testid="breach-occurred-at"
          />
        </label>
        <label>
          {t("breach.foundAt")}
          <input
            type="datetime-local"
            value={foundAt}
            onChange={(e) => setFoundAt(e.target.value)}
            required
            data-testid="breach-found-at"
          />
        </label>
      </div>
      <label>
        {t("breach.carriers")}
        <input
          value={carriers}
          onChange={(e) => setCarriers(e.target.value)}
          placeholder={t("breach.carriersHint")}
          data-testid="breach-carriers"
        />
      </label>
      <fieldset className="choice">
        <legend>{t("breach.informationOf")}</legend>
        {parties.map((p) => (
          <label key={p} className="checkbox">
            <input
              type="checkbox"
              checked={informationOf.includes(p)}
              onChange={(e) =>
                setInformationOf((list) => (e.target.checked ? [...list, p] : list.filter((x) => x !== p)))
              }
              data-testid={`breach-information-of-${p}`}
            />
            {t(`party.${p}`)}
          </label>
        ))}
        <p className="hint">{t("breach.informationOfHint")}</p>
      </fieldset>
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="breach-submit">
          {t("breach.submit")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("breach.cancel")}
        </button>
      </div>
    </form>
  );
}

/** The value a datetime-local input shows for an instant, in the browser's zone. */
function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A11.1 results, A11.2 damage assessment and settlement: the text goes with the step. */
function StepForm({ breach, action, onDone }: { breach: BreachRow; action: string; onDone: () => void }) {
  const { t } = useTranslation();
  const [results, setResults] = useState("");
  const [damage, setDamage] = useState("");
  const [settlement, setSettlement] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      await api(
        "POST",
        `/api/breaches/${encodeURIComponent(breach.id)}/${action}`,
        action === "results"
          ? { results: results.trim() }
          : { damageAssessment: damage.trim(), settlement: settlement.trim() },
      );
    }, onDone);
  };
  return (
    <form className="form" onSubmit={submit} data-testid={`breach-form-${action}`}>
      {action === "results" ? (
        <label>
          {t("breach.results")}
          <textarea
            value={results}
            onChange={(e) => setResults(e.target.value)}
            required
            rows={4}
            maxLength={8000}
            data-testid="breach-results-text"
          />
        </label>
      ) : (
        <>
          <label>
            {t("breach.damageAssessment")}
            <textarea
              value={damage}
              onChange={(e) => setDamage(e.target.value)}
              required
              rows={3}
              maxLength={8000}
              data-testid="breach-damage-text"
            />
          </label>
          <label>
            {t("breach.settlement")}
            <textarea
              value={settlement}
              onChange={(e) => setSettlement(e.target.value)}
              required
              rows={3}
              maxLength={8000}
              data-testid="breach-settlement-text"
            />
          </label>
        </>
      )}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid={`breach-submit-${action}`}>
        {t(action === "results" ? "breach.resultsSubmit" : "breach.settleSubmit")}
      </button>
    </form>
  );
}

/** The highest-level carrier the viewer may see, with the markings to put on the case's banners. */
function bannerCarrier(carriers: BreachCarrier[]): BreachCarrier | undefined {
  return carriers
    .filter((c) => c.visible && c.markings && c.markings.length > 0 && c.levelId)
    .sort((a, b) => (b.levelRank ?? 0) - (a.levelRank ?? 0))[0];
}

/** A case's view: what, where, whose information, the carriers, each step's clock, the next steps. */
function BreachCase({ id }: { id: string }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading, reload } = useLoad(
    (signal) => api<BreachRow>("GET", `/api/breaches/${encodeURIComponent(id)}`, undefined, { signal }),
    [id],
  );
  const { busy, error: actError, run } = useSubmit();
  const [form, setForm] = useState<string | null>(null);
  // The row names each carrier with its level and markings only where the viewer may see it (A4.2).
  const carriers = data?.carriers ?? [];
  if (!data && (loading || !error)) return <Loading />;
  if (error || !data)
    return (
      <div className="page">
        <a href="#/breaches">← {t("breach.back")}</a>
        <ErrorBox error={error} />
      </div>
    );
  const b = data;
  const top = bannerCarrier(carriers);
  const banner = (position: "top" | "bottom") =>
    top?.markings && top.levelId ? (
      <MarkingBanner
        node={node}
        markings={top.markings}
        levelId={top.levelId}
        rank={top.levelRank ?? 0}
        originatorParty={top.originatorParty ?? node.party}
        position={position}
      />
    ) : null;
  const act = async (action: string) => {
    await run(async () => {
      await api("POST", `/api/breaches/${encodeURIComponent(b.id)}/${action}`, {});
    }, reload);
  };
  const done = () => {
    setForm(null);
    reload();
  };
  return (
    <div className="page breach-case" data-testid="breach-case" data-state={b.state}>
      <a href="#/breaches">← {t("breach.back")}</a>
      {banner("top")}
      <div className="title-row">
        <h1>{t("breach.caseTitle", { date: formatDate(b.reportedAt) })}</h1>
        <span className="status" data-testid="breach-case-state">
          {stateLabel(t, b)}
        </span>
      </div>
      <section className="card">
        <dl className="meta">
          <dt>{t("breach.directionLabel")}</dt>
          <dd>
            {t(`party.${b.party}`)}
            <div className="hint">{t(`breach.direction.${b.direction}`)}</div>
          </dd>
          <dt>{t("breach.kind")}</dt>
          <dd>{t(b.suspected ? "breach.suspected" : "breach.establishedLong")}</dd>
          <dt>{t("breach.what")}</dt>
          <dd className="pre" data-testid="breach-what-shown">
            {b.what}
          </dd>
          <dt>{t("breach.howFound")}</dt>
          <dd className="pre">{howFoundText(t, b.howFound)}</dd>
          <dt>{t("breach.occurredAt")}</dt>
          <dd>{formatDate(b.occurredAt)}</dd>
          <dt>{t("breach.foundAt")}</dt>
          <dd>{formatDate(b.foundAt)}</dd>
          <dt>{t("breach.reportedAt")}</dt>
          <dd>{formatDate(b.reportedAt)}</dd>
          <dt>{t("breach.informationOf")}</dt>
          <dd>{partyList(t, b.informationOf)}</dd>
          {b.results ? (
            <>
              <dt>{t("breach.results")}</dt>
              <dd className="pre" data-testid="breach-results-shown">
                {b.results}
              </dd>
            </>
          ) : null}
          {b.damageAssessment ? (
            <>
              <dt>{t("breach.damageAssessment")}</dt>
              <dd className="pre">{b.damageAssessment}</dd>
            </>
          ) : null}
          {b.settlement ? (
            <>
              <dt>{t("breach.settlement")}</dt>
              <dd className="pre">{b.settlement}</dd>
            </>
          ) : null}
          {b.closedAt ? (
            <>
              <dt>{t("breach.closedAt")}</dt>
              <dd>{formatDate(b.closedAt)}</dd>
            </>
          ) : null}
        </dl>
      </section>
      <section>
        <h2>{t("breach.stepsTitle")}</h2>
        <StepClocks steps={b.steps} />
      </section>
      <section>
        <h2>{t("breach.carriersTitle")}</h2>
        {carriers.length === 0 ? (
          <Empty text={t("breach.noCarriers")} />
        ) : (
          <div className="table-wrap">
            <table data-testid="breach-carriers-table">
              <thead>
                <tr>
                  <th>{t("breach.carrierHere")}</th>
                  <th>{t("breach.carrierRef")}</th>
                  <th>{t("common.title")}</th>
                  <th>{t("common.level")}</th>
                  <th>{t("breach.carrierMark")}</th>
                </tr>
              </thead>
              <tbody>
                {carriers.map((c, i) => {
                  const level = c.levelId ? node.levels.find((l) => l.id === c.levelId) : undefined;
                  return (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a carrier the viewer may not see has no number to key on
                    <tr key={i} data-testid="breach-carrier">
                      <td className="nowrap">
                        {c.visible && c.registrationNumber ? (
                          c.carrierId ? (
                            <a href={`#/carriers/${encodeURIComponent(c.carrierId)}`}>
                              {c.registrationNumber}
                            </a>
                          ) : (
                            c.registrationNumber
                          )
                        ) : (
                          <span className="muted">{c.visible ? "—" : t("breach.notVisible")}</span>
                        )}
                      </td>
                      <td className="nowrap">{originLabel(c.originRef)}</td>
                      <td className="col-title">{c.visible && c.title ? c.title : "—"}</td>
                      <td>
                        {level ? (
                          <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} />
                        ) : (
                          "—"
                        )}
                      </td>
                      <td>
                        <CarrierMark carrier={c} closed={b.state === "closed"} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <ErrorBox error={actError} />
      {b.actions.length > 0 ? (
        <div className="actions">
          {b.actions.map((action) =>
            FORM_ACTIONS.has(action) ? (
              <button
                key={action}
                type="button"
                disabled={busy}
                aria-expanded={form === action}
                onClick={() => setForm((f) => (f === action ? null : action))}
                data-testid={`breach-action-${action}`}
              >
                {t(`breach.actions.${action}`)}
              </button>
            ) : (
              <DecisionButton
                key={action}
                label={t(`breach.actions.${action}`)}
                testId={`breach-action-${action}`}
                busy={busy}
                onDecide={() => void act(action)}
              />
            ),
          )}
        </div>
      ) : null}
      {form && b.actions.includes(form) ? (
        <section className="card">
          <StepForm breach={b} action={form} onDone={done} />
        </section>
      ) : null}
      {banner("bottom")}
    </div>
  );
}

function BreachListPage() {
  const { t } = useTranslation();
  const { session, navigate } = useApp();
  const { data, error, loading } = useLoad(
    (signal) => api<{ breaches: BreachRow[] }>("GET", "/api/breaches", undefined, { signal }),
    [],
  );
  const [reporting, setReporting] = useState(false);
  return (
    <div className="page">
      <div className="title-row">
        <h1>{t("breach.title")}</h1>
        {session.permissions.reportBreach && !reporting ? (
          <button type="button" onClick={() => setReporting(true)} data-testid="breach-report">
            {t("breach.report")}
          </button>
        ) : null}
      </div>
      <p className="hint">{t("breach.intro")}</p>
      {reporting ? (
        <ReportForm
          onCancel={() => setReporting(false)}
          onDone={(id) => navigate(`#/breaches/${encodeURIComponent(id)}`)}
        />
      ) : null}
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.breaches.length === 0 ? <Empty text={t("breach.empty")} /> : null}
      {data && data.breaches.length > 0 ? <BreachList breaches={data.breaches} /> : null}
    </div>
  );
}

/** A11.1: the registry's mark on a carrier named by an open breach, and its quarantine. */
export function BreachFlag({ breach }: { breach: { flagged: boolean; quarantined: boolean } | undefined }) {
  const { t } = useTranslation();
  if (!breach?.flagged && !breach?.quarantined) return null;
  return (
    <span className="breach-flag">
      <span className="status status-suspected" title={t("breach.flag")} data-testid="carrier-breach-flag">
        {t("breach.flagShort")}
      </span>
      {breach.quarantined ? (
        <>
          {" "}
          <span className="overdue" data-testid="carrier-quarantined">
            {t("breach.quarantined")}
          </span>
        </>
      ) : null}
    </span>
  );
}

/** A11: the breaches page: `#/breaches` lists the cases, `#/breaches/<id>` shows one. */
export function BreachesPage({ route }: { route: string }) {
  const match = /^\/breaches\/([^/?]+)/.exec(route);
  if (match) {
    const id = decodeURIComponent(match[1] ?? "");
    return <BreachCase key={id} id={id} />;
  }
  return <BreachListPage />;
}
