import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { NodeInfoT, PersonT } from "../../../src/api/schemas.ts";
import { ApiFailure, api } from "../api.ts";
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
import { currentLang, formatDate, formatDay } from "../i18n.ts";

// The wire shapes of /api/visits (the API contract of A9): lists never carry personal data; a visit's
// own view carries them only when the viewer may see them (competent authorities, the security
// officer of a visited body), and not once they are erased.
type Topic = { title: string; level: string };
type VisitorRow = {
  seq: number;
  surname: string;
  name: string;
  position: string;
  body: string;
  clearanceLevel: string;
  acquaintedAt: string | null;
};
type VisitRow = {
  id: string;
  direction: "out" | "in";
  kind: string;
  state: string;
  visitingParty: string;
  hostParty: string;
  startDate: string;
  endDate: string;
  purpose: string;
  topics: Topic[];
  level: string;
  bodiesToVisit: { id: string; name: string }[];
  visitors: VisitorRow[];
  requestedAt: string;
  decidedAt: string | null;
  decisionReason: string | null;
  amends: string | null;
  actions: string[];
};
type PersonalData = {
  seq: number;
  birthDate: string;
  birthPlace: string;
  citizenship: string;
  passport: string;
};
type VisitView = VisitRow & {
  recurrence: string | null;
  peopleToMeet: { position: string; name: string }[];
  personal: PersonalData[] | null;
  personalErasedAt: string | null;
  personalEraseDueAt: string | null;
  /** `topic` numbers the visit's topics from 1. */
  topicCarriers: { topic: number; carrierId: string; registrationNumber: string; title: string }[];
};

const KINDS = ["one-time", "recurring", "amendment"] as const;

/**
 * A calendar day as the user types it, day first as written in all four languages (DD.MM.YYYY,
 * DD/MM/YYYY in English; YYYY-MM-DD also taken), as YYYY-MM-DD for the API. Anything else goes as
 * typed, and the server's refusal names the field.
 */
function isoDay(typed: string): string {
  const text = typed.trim();
  const dayFirst = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(text);
  if (dayFirst) return `${dayFirst[3]}-${dayFirst[2]?.padStart(2, "0")}-${dayFirst[1]?.padStart(2, "0")}`;
  return text;
}

/**
 * A day field: plain text in the user's order, not the browser's date picker, which follows the
 * browser's locale (month first in many builds) and not the page's language.
 */
function DayInput({
  label,
  value,
  onChange,
  testId,
  invalid = {},
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  testId: string;
  invalid?: InvalidProps;
}) {
  const { t } = useTranslation();
  return (
    <label>
      {label}
      <input
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={t("visit.form.dayPlaceholder")}
        inputMode="numeric"
        size={12}
        {...invalid}
        data-testid={testId}
      />
    </label>
  );
}

type InvalidProps = { "aria-invalid"?: true; style?: { borderColor: string } };

/**
 * The items a refused request lacks (VISIT_REQUEST_INCOMPLETE, A9.2), as the server names them in
 * the answer's `missing` (`visitors[1].passport`, `purpose`): the form marks those fields.
 */
function missingFields(error: unknown): string[] {
  if (!(error instanceof ApiFailure) || error.code !== "VISIT_REQUEST_INCOMPLETE") return [];
  return [...new Set(error.missing)];
}

/** Fieldsets keep their content's width unless told otherwise: a long option would widen the form. */
const FIELDSET = { minWidth: 0, maxWidth: "none" } as const;

function levelOf(node: NodeInfoT, id: string) {
  return node.levels.find((l) => l.id === id);
}

function Level({ id }: { id: string }) {
  const { node } = useApp();
  const level = levelOf(node, id);
  return <LevelBadge rank={level?.rank ?? 0} name={level?.names[currentLang()] ?? id} />;
}

function visitHref(id: string): string {
  return `#/visits/${encodeURIComponent(id)}`;
}

/** The visits page: the list, the request form (`/visits/new`) or one visit (`/visits/<id>`). */
export function VisitsPage({ path }: { path: string }) {
  const [sub, query = ""] = path.replace(/^\/visits\/?/, "").split("?");
  if (sub === "new") {
    const amends = new URLSearchParams(query).get("amends") ?? undefined;
    return <VisitRequestForm key={amends ?? ""} amends={amends} />;
  }
  if (sub) {
    const id = decodeURIComponent(sub);
    return <VisitPage key={id} id={id} />;
  }
  return <VisitList />;
}

function VisitList() {
  const { t } = useTranslation();
  const { session, navigate } = useApp();
  const { data, error, loading } = useLoad(() => api<{ visits: VisitRow[] }>("GET", "/api/visits"), []);
  const visits = data?.visits ?? [];
  const outgoing = visits.filter((v) => v.direction === "out");
  const incoming = visits.filter((v) => v.direction === "in");
  return (
    <div className="page">
      <div className="title-row">
        <h1>{t("visit.title")}</h1>
        {session.permissions.requestVisit ? (
          <button type="button" onClick={() => navigate("#/visits/new")} data-testid="visit-new">
            {t("visit.newRequest")}
          </button>
        ) : null}
      </div>
      <p className="hint">{t("visit.intro")}</p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && visits.length === 0 ? <Empty text={t("visit.empty")} /> : null}
      {incoming.length > 0 ? (
        <>
          <h2 className="section-title">{t("visit.incoming")}</h2>
          <VisitTable visits={incoming} testId="visits-in" />
        </>
      ) : null}
      {outgoing.length > 0 ? (
        <>
          <h2 className="section-title">{t("visit.outgoing")}</h2>
          <VisitTable visits={outgoing} testId="visits-out" />
        </>
      ) : null}
    </div>
  );
}

function VisitTable({ visits, testId }: { visits: VisitRow[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table data-testid={testId}>
        <thead>
          <tr>
            <th>{t("visit.col.visit")}</th>
            <th>{t("visit.col.dates")}</th>
            <th>{t("visit.col.bodies")}</th>
            <th>{t("visit.col.visitors")}</th>
            <th>{t("visit.col.level")}</th>
            <th>{t("visit.col.state")}</th>
          </tr>
        </thead>
        <tbody>
          {visits.map((v) => (
            <tr key={v.id} data-testid="visit-row" data-state={v.state} data-id={v.id}>
              <td className="col-title">
                <a href={visitHref(v.id)} data-testid="visit-open">
                  {v.purpose}
                </a>
                <div className="muted">
                  {t(`visit.kinds.${v.kind}`, v.kind)} · {t(`party.${v.visitingParty}`)} →{" "}
                  {t(`party.${v.hostParty}`)}
                </div>
                {v.topics.length > 0 ? (
                  <ul className="plain-list">
                    {v.topics.map((topic, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: topics are numbered by position
                      <li key={i}>
                        {topic.title} <Level id={topic.level} />
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
              <td className="nowrap">
                {formatDay(v.startDate)} — {formatDay(v.endDate)}
              </td>
              <td className="col-org">{v.bodiesToVisit.map((b) => b.name).join("; ")}</td>
              <td data-testid="visit-row-visitors">
                <ul className="plain-list">
                  {v.visitors.map((p) => (
                    <li key={p.seq}>
                      {p.surname} {p.name}
                      <span className="muted"> — {p.position}</span>
                    </li>
                  ))}
                </ul>
              </td>
              <td>
                <Level id={v.level} />
              </td>
              <td data-testid="visit-row-state">{t(`visit.states.${v.state}`, v.state)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type VisitorInput = {
  /** The row's own key while the form is open (rows can be removed). */
  uid: number;
  person: string;
  position: string;
  birthDate: string;
  birthPlace: string;
  citizenship: string;
  passport: string;
};
let visitorRows = 0;
const emptyVisitor = (): VisitorInput => ({
  uid: ++visitorRows,
  person: "",
  position: "",
  birthDate: "",
  birthPlace: "",
  citizenship: "",
  passport: "",
});

/**
 * A9.2: the visiting side's competent authority sends the request with every item the article
 * lists. The server checks each (a missing item is refused naming it, A9.2), the visitors'
 * clearances against this node's records (A9.1, A4.2) and the lead time; nothing is checked here
 * that the server would not check, so its refusal is what the officer sees.
 */
function VisitRequestForm({ amends }: { amends: string | undefined }) {
  const { t } = useTranslation();
  const { node, navigate } = useApp();
  const people = useLoad(() => api<PersonT[]>("GET", "/api/people"), []);
  const bodies = useLoad(
    () => api<{ bodies: { id: string; name: string }[] }>("GET", "/api/visits/host-bodies"),
    [],
  );
  const visits = useLoad(() => api<{ visits: VisitRow[] }>("GET", "/api/visits"), []);
  const approved = (visits.data?.visits ?? []).filter((v) => v.direction === "out" && v.state === "approved");
  const [kind, setKind] = useState<string>(amends ? "amendment" : "one-time");
  const [amended, setAmended] = useState(amends ?? "");
  const [startDate, setStartDate] = useState("");
  const [endDate, setEndDate] = useState("");
  const [recurrence, setRecurrence] = useState("");
  const [purpose, setPurpose] = useState("");
  const [topics, setTopics] = useState<Topic[]>([{ title: "", level: node.levels[0]?.id ?? "" }]);
  const [bodyIds, setBodyIds] = useState<string[]>([]);
  const [meet, setMeet] = useState<{ position: string; name: string }[]>([{ position: "", name: "" }]);
  const [visitors, setVisitors] = useState<VisitorInput[]>([emptyVisitor()]);
  const { busy, error, run } = useSubmit();
  const candidates = (people.data ?? []).filter((p) => !p.disabled);

  // An amendment is checked as a whole new request (A9.2): it starts as a copy of the approved one.
  const original = useLoad(
    (signal) =>
      amends
        ? api<VisitView>("GET", `/api/visits/${encodeURIComponent(amends)}`, undefined, { signal })
        : Promise.resolve(undefined),
    [amends],
  );
  const [prefilled, setPrefilled] = useState(!amends);
  useEffect(() => {
    const v = original.data;
    if (prefilled || !v || !people.data) return;
    setPrefilled(true);
    setStartDate(formatDay(v.startDate));
    setEndDate(formatDay(v.endDate));
    setRecurrence(v.recurrence ?? "");
    setPurpose(v.purpose);
    if (v.topics.length > 0) setTopics(v.topics.map((x) => ({ ...x })));
    setBodyIds(v.bodiesToVisit.map((b) => b.id));
    if (v.peopleToMeet.length > 0) setMeet(v.peopleToMeet.map((m) => ({ ...m })));
    if (v.visitors.length > 0)
      setVisitors(
        v.visitors.map((x) => {
          const person = people.data?.find((p) =>
            [`${x.name} ${x.surname}`, `${x.surname} ${x.name}`].includes(p.name),
          );
          const personal = v.personal?.find((p) => p.seq === x.seq);
          return {
            ...emptyVisitor(),
            person: person?.id ?? "",
            position: x.position,
            birthDate: personal ? formatDay(personal.birthDate) : "",
            birthPlace: personal?.birthPlace ?? "",
            citizenship: personal?.citizenship ?? "",
            passport: personal?.passport ?? "",
          };
        }),
      );
  }, [prefilled, original.data, people.data]);
  const missing = missingFields(error);
  const invalid = (path: string): InvalidProps =>
    missing.includes(path) ? { "aria-invalid": true, style: { borderColor: "var(--danger)" } } : {};

  const setTopic = (i: number, change: Partial<Topic>) =>
    setTopics((list) => list.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const setMeetAt = (i: number, change: Partial<{ position: string; name: string }>) =>
    setMeet((list) => list.map((x, j) => (j === i ? { ...x, ...change } : x)));
  const setVisitor = (i: number, change: Partial<VisitorInput>) =>
    setVisitors((list) => list.map((x, j) => (j === i ? { ...x, ...change } : x)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const answer = await api<{ id: string; state: string }>("POST", "/api/visits", {
        kind,
        ...(kind === "amendment" && amended ? { amends: amended } : {}),
        startDate: isoDay(startDate),
        endDate: isoDay(endDate),
        ...(kind === "recurring" && recurrence.trim() ? { recurrence: recurrence.trim() } : {}),
        purpose: purpose.trim(),
        topics: topics.map((x) => ({ title: x.title.trim(), level: x.level })),
        bodiesToVisit: bodyIds,
        peopleToMeet: meet
          .map((m) => ({ position: m.position.trim(), name: m.name.trim() }))
          .filter((m) => m.position || m.name),
        visitors: visitors.map((v) => ({
          person: v.person,
          position: v.position.trim(),
          birthDate: isoDay(v.birthDate),
          birthPlace: v.birthPlace.trim(),
          citizenship: v.citizenship.trim(),
          passport: v.passport.trim(),
        })),
      });
      navigate(visitHref(answer.id));
    });
  };

  return (
    <div className="page">
      <p>
        <a href="#/visits">← {t("visit.all")}</a>
      </p>
      <h1>{t("visit.form.title")}</h1>
      <p className="hint">{t("visit.form.leadHint")}</p>
      <ErrorBox error={people.error ?? bodies.error} />
      <form
        className="form card visit-form"
        style={{ maxWidth: "56rem" }}
        onSubmit={submit}
        data-testid="visit-form"
        autoComplete="off"
      >
        <label>
          {t("visit.form.kind")}
          <select value={kind} onChange={(e) => setKind(e.target.value)} data-testid="visit-kind">
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`visit.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind === "amendment" ? (
          approved.length > 0 || amended ? (
            <label>
              {t("visit.form.amends")}
              <select value={amended} onChange={(e) => setAmended(e.target.value)} data-testid="visit-amends">
                <option value="">{t("visit.form.chooseAmended")}</option>
                {approved.map((v) => (
                  <option key={v.id} value={v.id}>
                    {formatDay(v.startDate)} — {formatDay(v.endDate)}: {v.purpose}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="hint">{t("visit.form.noApproved")}</p>
          )
        ) : null}
        <div className="filters">
          <DayInput
            label={t("visit.form.startDate")}
            value={startDate}
            onChange={setStartDate}
            testId="visit-start"
          />
          <DayInput
            label={t("visit.form.endDate")}
            value={endDate}
            onChange={setEndDate}
            testId="visit-end"
          />
        </div>
        {kind === "recurring" ? (
          <label>
            {t("visit.form.recurrence")}
            <input
              value={recurrence}
              onChange={(e) => setRecurrence(e.target.value)}
              placeholder={t("visit.form.recurrenceHint")}
              data-testid="visit-recurrence"
            />
          </label>
        ) : null}
        <label>
          {t("visit.form.purpose")}
          <textarea
            rows={2}
            value={purpose}
            onChange={(e) => setPurpose(e.target.value)}
            data-testid="visit-purpose"
          />
        </label>

        <fieldset style={FIELDSET} className="confirm-step">
          <legend>{t("visit.form.topics")}</legend>
          {topics.map((topic, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <div className="filters" key={i} data-testid="visit-topic">
              <label className="grow">
                {t("visit.form.topicTitle")}
                <input
                  value={topic.title}
                  onChange={(e) => setTopic(i, { title: e.target.value })}
                  data-testid={`visit-topic-title-${i}`}
                />
              </label>
              <label>
                {t("visit.form.topicLevel")}
                <select
                  value={topic.level}
                  onChange={(e) => setTopic(i, { level: e.target.value })}
                  data-testid={`visit-topic-level-${i}`}
                >
                  {node.levels.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.names[currentLang()] ?? l.id}
                    </option>
                  ))}
                </select>
              </label>
              {topics.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setTopics((list) => list.filter((_, j) => j !== i))}
                >
                  {t("visit.form.remove")}
                </button>
              ) : null}
            </div>
          ))}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => setTopics((list) => [...list, { title: "", level: node.levels[0]?.id ?? "" }])}
              data-testid="visit-add-topic"
            >
              {t("visit.form.addTopic")}
            </button>
          </div>
        </fieldset>

        <fieldset style={FIELDSET} className="confirm-step" data-testid="visit-bodies">
          <legend>{t("visit.form.bodies")}</legend>
          {bodies.loading && !bodies.data ? <Loading /> : null}
          {bodies.data && bodies.data.bodies.length === 0 ? (
            <p className="hint">{t("visit.form.noBodies")}</p>
          ) : null}
          {(bodies.data?.bodies ?? []).map((b) => (
            <label className="checkbox" key={b.id}>
              <input
                type="checkbox"
                checked={bodyIds.includes(b.id)}
                onChange={(e) =>
                  setBodyIds((list) => (e.target.checked ? [...list, b.id] : list.filter((x) => x !== b.id)))
                }
                data-testid="visit-body"
                data-id={b.id}
              />
              {b.name}
            </label>
          ))}
        </fieldset>

        <fieldset style={FIELDSET} className="confirm-step">
          <legend>{t("visit.form.peopleToMeet")}</legend>
          {meet.map((m, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place by position
            <div className="filters" key={i}>
              <label className="grow">
                {t("visit.form.meetPosition")}
                <input
                  value={m.position}
                  onChange={(e) => setMeetAt(i, { position: e.target.value })}
                  data-testid={`visit-meet-position-${i}`}
                />
              </label>
              <label className="grow">
                {t("visit.form.meetName")}
                <input
                  value={m.name}
                  onChange={(e) => setMeetAt(i, { name: e.target.value })}
                  data-testid={`visit-meet-name-${i}`}
                />
              </label>
              {meet.length > 1 ? (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setMeet((list) => list.filter((_, j) => j !== i))}
                >
                  {t("visit.form.remove")}
                </button>
              ) : null}
            </div>
          ))}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => setMeet((list) => [...list, { position: "", name: "" }])}
            >
              {t("visit.form.addMeet")}
            </button>
          </div>
        </fieldset>

        <fieldset style={FIELDSET} className="confirm-step">
          <legend>{t("visit.form.visitors")}</legend>
          <p className="hint">{t("visit.form.personalHint")}</p>
          {visitors.map((v, i) => (
            <fieldset
              style={FIELDSET}
              className="confirm-step visitor-input"
              key={v.uid}
              data-testid={`visit-visitor-${i}`}
            >
              <legend>{t("visit.form.visitor", { n: i + 1 })}</legend>
              <label>
                {t("visit.form.person")}
                <select
                  value={v.person}
                  onChange={(e) => setVisitor(i, { person: e.target.value })}
                  {...invalid(`visitors[${i}].person`)}
                  data-testid={`visit-visitor-person-${i}`}
                >
                  <option value="">{t("visit.form.choosePerson")}</option>
                  {candidates.map((p) => {
                    const level = p.clearance ? levelOf(node, p.clearance.levelId) : undefined;
                    const clearance = p.clearance
                      ? t("visit.form.clearance", {
                          level: level?.names[currentLang()] ?? p.clearance.levelId,
                          until: formatDate(p.clearance.validUntil, false),
                        })
                      : t("visit.form.noClearance");
                    return (
                      <option key={p.id} value={p.id}>
                        {p.name} ({clearance}) — {p.organisationName}
                      </option>
                    );
                  })}
                </select>
              </label>
              <label>
                {t("visit.form.position")}
                <input
                  value={v.position}
                  onChange={(e) => setVisitor(i, { position: e.target.value })}
                  {...invalid(`visitors[${i}].position`)}
                  data-testid={`visit-visitor-position-${i}`}
                />
              </label>
              <div className="filters">
                <DayInput
                  label={t("visit.form.birthDate")}
                  value={v.birthDate}
                  onChange={(birthDate) => setVisitor(i, { birthDate })}
                  testId={`visit-visitor-birth-date-${i}`}
                  invalid={invalid(`visitors[${i}].birthDate`)}
                />
                <label className="grow">
                  {t("visit.form.birthPlace")}
                  <input
                    value={v.birthPlace}
                    onChange={(e) => setVisitor(i, { birthPlace: e.target.value })}
                    {...invalid(`visitors[${i}].birthPlace`)}
                    data-testid={`visit-visitor-birth-place-${i}`}
                  />
                </label>
              </div>
              <div className="filters">
                <label className="grow">
                  {t("visit.form.citizenship")}
                  <input
                    value={v.citizenship}
                    onChange={(e) => setVisitor(i, { citizenship: e.target.value })}
                    {...invalid(`visitors[${i}].citizenship`)}
                    data-testid={`visit-visitor-citizenship-${i}`}
                  />
                </label>
                <label className="grow">
                  {t("visit.form.passport")}
                  <input
                    value={v.passport}
                    onChange={(e) => setVisitor(i, { passport: e.target.value })}
                    {...invalid(`visitors[${i}].passport`)}
                    autoComplete="off"
                    spellCheck={false}
                    data-testid={`visit-visitor-passport-${i}`}
                  />
                </label>
              </div>
              {visitors.length > 1 ? (
                <div className="actions">
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => setVisitors((list) => list.filter((_, j) => j !== i))}
                  >
                    {t("visit.form.remove")}
                  </button>
                </div>
              ) : null}
            </fieldset>
          ))}
          <div className="actions">
            <button
              type="button"
              className="secondary"
              onClick={() => setVisitors((list) => [...list, emptyVisitor()])}
              data-testid="visit-add-visitor"
            >
              {t("visit.form.addVisitor")}
            </button>
          </div>
        </fieldset>

        <ErrorBox error={error} />
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="visit-submit">
            {t("visit.form.submit")}
          </button>
        </div>
      </form>
    </div>
  );
}

/** The steps that are decisions sent to the other Party: asked once more, with their reason. */
const DECISIONS: Record<string, { label: string; danger: boolean; reason: "optional" | "required" }> = {
  approve: { label: "visit.view.approve", danger: false, reason: "optional" },
  refuse: { label: "visit.view.refuse", danger: true, reason: "required" },
  cancel: { label: "visit.view.cancel", danger: true, reason: "required" },
};

function VisitPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const { node, navigate } = useApp();
  const { data, error, loading, reload } = useLoad(
    (signal) => api<VisitView>("GET", `/api/visits/${encodeURIComponent(id)}`, undefined, { signal }),
    [id],
  );
  const action = useSubmit();
  const [localError, setLocalError] = useState<string | null>(null);
  const path = `/api/visits/${encodeURIComponent(id)}`;
  const decide = async (step: string, reason: string | undefined) => {
    setLocalError(null);
    if (DECISIONS[step]?.reason === "required" && !reason) {
      setLocalError(t("visit.view.reasonRequired"));
      return;
    }
    await action.run(() => api("POST", `${path}/${step}`, reason ? { reason } : {}), reload);
  };
  const acquaint = async (seq: number) => {
    await action.run(() => api("POST", `${path}/visitors/${seq}/acquaint`, {}), reload);
  };

  if (loading && !data)
    return (
      <div className="page">
        <Loading />
      </div>
    );
  if (!data)
    return (
      <div className="page">
        <p>
          <a href="#/visits">← {t("visit.all")}</a>
        </p>
        <ErrorBox error={error} />
      </div>
    );
  const v = data;
  const personalBySeq = new Map((v.personal ?? []).map((p) => [p.seq, p]));
  // A9.3 and A6.1: carriers named on this page carry the marking of the highest topic they serve.
  const carrierTopics = new Set(v.topicCarriers.map((c) => c.topic));
  const bannerLevel = v.topics
    .filter((_, i) => carrierTopics.has(i + 1))
    .map((topic) => levelOf(node, topic.level))
    .filter((l) => l !== undefined)
    .sort((a, b) => b.rank - a.rank)[0];
  const banner = (position: "top" | "bottom") =>
    bannerLevel ? (
      <MarkingBanner
        node={node}
        markings={[node.party, node.otherParty].map((party) => {
          const language = party === "KZ" ? "kk" : "hy";
          return { party, language, text: bannerLevel.names[language] ?? bannerLevel.id };
        })}
        levelId={bannerLevel.id}
        rank={bannerLevel.rank}
        originatorParty={node.party}
        position={position}
      />
    ) : null;
  return (
    <div className="page" data-testid="visit-view" data-state={v.state}>
      <p>
        <a href="#/visits">← {t("visit.all")}</a>
      </p>
      {banner("top")}
      <div className="title-row">
        <h1>{v.purpose}</h1>
        <Level id={v.level} />
      </div>
      <section className="card">
        <dl className="meta">
          <dt>{t("visit.col.state")}</dt>
          <dd data-testid="visit-state">{t(`visit.states.${v.state}`, v.state)}</dd>
          <dt>{t("visit.view.direction")}</dt>
          <dd>{t(v.direction === "out" ? "visit.outgoing" : "visit.incoming")}</dd>
          <dt>{t("visit.view.kind")}</dt>
          <dd>{t(`visit.kinds.${v.kind}`, v.kind)}</dd>
          <dt>{t("visit.view.visitingParty")}</dt>
          <dd>{t(`party.${v.visitingParty}`)}</dd>
          <dt>{t("visit.view.hostParty")}</dt>
          <dd>{t(`party.${v.hostParty}`)}</dd>
          <dt>{t("visit.view.dates")}</dt>
          <dd data-testid="visit-dates">
            {formatDay(v.startDate)} — {formatDay(v.endDate)}
          </dd>
          {v.recurrence ? (
            <>
              <dt>{t("visit.view.recurrence")}</dt>
              <dd>{v.recurrence}</dd>
            </>
          ) : null}
          {v.amends ? (
            <>
              <dt>{t("visit.view.amends")}</dt>
              <dd>
                <a href={visitHref(v.amends)}>{t("visit.view.amendsLink")}</a>
              </dd>
            </>
          ) : null}
          <dt>{t("visit.view.requestedAt")}</dt>
          <dd>{formatDate(v.requestedAt)}</dd>
          {v.decidedAt ? (
            <>
              <dt>{t("visit.view.decidedAt")}</dt>
              <dd>{formatDate(v.decidedAt)}</dd>
            </>
          ) : null}
          {v.decisionReason ? (
            <>
              <dt>{t("visit.view.decisionReason")}</dt>
              <dd data-testid="visit-reason">{v.decisionReason}</dd>
            </>
          ) : null}
          <dt>{t("visit.view.bodies")}</dt>
          <dd>
            <ul className="plain-list">
              {v.bodiesToVisit.map((b) => (
                <li key={b.id}>{b.name}</li>
              ))}
            </ul>
          </dd>
          {v.peopleToMeet.length > 0 ? (
            <>
              <dt>{t("visit.view.peopleToMeet")}</dt>
              <dd>
                <ul className="plain-list">
                  {v.peopleToMeet.map((m, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: the request's own order
                    <li key={i}>
                      {m.name} <span className="muted">— {m.position}</span>
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        <ErrorBox error={action.error} />
        {localError ? (
          <div className="error-box" role="alert" data-testid="error">
            {localError}
          </div>
        ) : null}
        <div className="actions">
          {v.actions
            .filter((a) => a in DECISIONS)
            .map((a) => {
              const d = DECISIONS[a] as (typeof DECISIONS)[string];
              return (
                <DecisionButton
                  key={a}
                  label={t(d.label)}
                  testId={`visit-action-${a}`}
                  danger={d.danger}
                  withReason
                  busy={action.busy}
                  onDecide={(reason) => void decide(a, reason)}
                />
              );
            })}
          {v.actions.includes("amend") ? (
            <button
              type="button"
              className="secondary"
              onClick={() => navigate(`#/visits/new?amends=${encodeURIComponent(v.id)}`)}
              data-testid="visit-action-amend"
            >
              {t("visit.view.amend")}
            </button>
          ) : null}
        </div>
      </section>

      <section className="card">
        <h2>{t("visit.view.topics")}</h2>
        <ol className="steps" data-testid="visit-topics">
          {v.topics.map((topic, i) => {
            const carriers = v.topicCarriers.filter((c) => c.topic === i + 1);
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: topics are numbered by position
              <li key={i}>
                {topic.title} <Level id={topic.level} />
                <div className="muted">
                  {t("visit.view.carriers")}:{" "}
                  {carriers.length === 0
                    ? t("visit.view.noCarriers")
                    : carriers.map((c, j) => (
                        <span key={c.carrierId} data-testid="visit-topic-carrier">
                          {j > 0 ? "; " : ""}
                          <a href={`#/carriers/${encodeURIComponent(c.carrierId)}`}>{c.registrationNumber}</a>{" "}
                          — {c.title}
                        </span>
                      ))}
                </div>
              </li>
            );
          })}
        </ol>
        {v.actions.includes("link") ? <LinkCarrierForm visit={v} onDone={reload} /> : null}
      </section>

      <section className="card">
        <h2>{t("visit.view.visitors")}</h2>
        <div className="table-wrap">
          <table data-testid="visit-visitors">
            <thead>
              <tr>
                <th>{t("visit.view.seq")}</th>
                <th>{t("visit.view.surname")}</th>
                <th>{t("visit.view.name")}</th>
                <th>{t("visit.view.position")}</th>
                <th>{t("visit.view.body")}</th>
                <th>{t("visit.view.clearance")}</th>
                <th>{t("visit.view.acquainted")}</th>
              </tr>
            </thead>
            <tbody>
              {v.visitors.map((p) => (
                <tr key={p.seq} data-testid="visit-visitor" data-seq={p.seq}>
                  <td>{p.seq}</td>
                  <td>{p.surname}</td>
                  <td>{p.name}</td>
                  <td>{p.position}</td>
                  <td className="col-org">{p.body}</td>
                  <td>
                    <Level id={p.clearanceLevel} />
                  </td>
                  <td data-testid="visit-visitor-acquainted">
                    {p.acquaintedAt ? (
                      formatDate(p.acquaintedAt)
                    ) : v.actions.includes("acquaint") ? (
                      <button
                        type="button"
                        disabled={action.busy}
                        onClick={() => void acquaint(p.seq)}
                        data-testid={`visit-acquaint-${p.seq}`}
                      >
                        {t("visit.view.acquaint")}
                      </button>
                    ) : (
                      <span className="muted">{t("visit.view.notAcquainted")}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" data-testid="visit-personal">
        <h2>{t("visit.view.personal")}</h2>
        {v.personalErasedAt ? (
          <p className="hint">
            {t("visit.view.personalErased", { date: formatDate(v.personalErasedAt, false) })}
          </p>
        ) : v.personal ? (
          <>
            <div className="table-wrap">
              <table data-testid="visit-personal-table">
                <thead>
                  <tr>
                    <th>{t("visit.view.seq")}</th>
                    <th>{t("visit.view.visitor")}</th>
                    <th>{t("visit.view.birthDate")}</th>
                    <th>{t("visit.view.birthPlace")}</th>
                    <th>{t("visit.view.citizenship")}</th>
                    <th>{t("visit.view.passport")}</th>
                  </tr>
                </thead>
                <tbody>
                  {v.visitors.map((p) => {
                    const personal = personalBySeq.get(p.seq);
                    return (
                      <tr key={p.seq}>
                        <td>{p.seq}</td>
                        <td>
                          {p.surname} {p.name}
                        </td>
                        <td className="nowrap">{formatDay(personal?.birthDate)}</td>
                        <td>{personal?.birthPlace ?? "—"}</td>
                        <td>{personal?.citizenship ?? "—"}</td>
                        <td className="nowrap" data-testid="visit-passport">
                          {personal?.passport ?? "—"}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            {v.personalEraseDueAt ? (
              <p className="hint">
                {t("visit.view.personalEraseDue", { date: formatDate(v.personalEraseDueAt, false) })}
              </p>
            ) : null}
          </>
        ) : (
          <p className="hint">{t("visit.view.personalHidden")}</p>
        )}
      </section>
      {banner("bottom")}
    </div>
  );
}

/** A9.3: the host body's security officer names a carrier of its registry for one of the topics. */
function LinkCarrierForm({ visit, onDone }: { visit: VisitView; onDone: () => void }) {
  const { t } = useTranslation();
  const [topic, setTopic] = useState(1);
  const [carrier, setCarrier] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(
      () =>
        api("POST", `/api/visits/${encodeURIComponent(visit.id)}/topics/${topic}/carriers`, {
          carrier: carrier.trim(),
        }),
      () => {
        setCarrier("");
        onDone();
      },
    );
  };
  return (
    <form className="form" onSubmit={submit} data-testid="visit-link-form">
      <h3>{t("visit.view.link")}</h3>
      <div className="filters">
        <label className="grow">
          {t("visit.view.linkTopic")}
          <select
            value={topic}
            onChange={(e) => setTopic(Number(e.target.value))}
            data-testid="visit-link-topic"
          >
            {visit.topics.map((x, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: topics are numbered by position
              <option key={i} value={i + 1}>
                {i + 1}. {x.title}
              </option>
            ))}
          </select>
        </label>
        <label className="grow">
          {t("visit.view.linkCarrier")}
          <input
            value={carrier}
            onChange={(e) => setCarrier(e.target.value)}
            data-testid="visit-link-carrier"
          />
        </label>
      </div>
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" disabled={busy} data-testid="visit-link-submit">
          {t("visit.view.linkSubmit")}
        </button>
      </div>
    </form>
  );
}
