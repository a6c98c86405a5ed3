// The competent authority's own page: what the authorized bodies keep it informed of (A5.5 transfers,
// A6.7 the actions of Article 6), and its letters to the other Party's competent authority (A3.2 a
// change of legislation, A3.3 a change of authority, A8.1 consultations, A8.2 regulations with their
// document). The server decides who may read and write; the page follows its permission map.
import type { TFunction } from "i18next";
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { AuthorityLetterRowT, AuthorityNoticeRowT } from "../../../src/api/routes/authorities.ts";
import { api } from "../api.ts";
import { Empty, ErrorBox, Loading, useLoad, useReloadEvery, useSubmit } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { formatArticles, formatDate } from "../i18n.ts";

type Subject = AuthorityLetterRowT["subject"];
const SUBJECTS: readonly Subject[] = [
  "legislation-change",
  "authority-change",
  "consultation-request",
  "regulations",
];

/** The largest document a letter takes (the server's MAX_LETTER_ATTACHMENT). */
const MAX_DOCUMENT = 20 * 1024 * 1024;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** What a notice concerns, in words: the transfer's carrier, the consent's action and carrier, … */
function NoticeObject({ notice }: { notice: AuthorityNoticeRowT }) {
  const { t } = useTranslation();
  const [type = "", id = ""] = (notice.object ?? "").split(/:(.*)/s);
  const d = notice.data;
  if (type === "transfer") {
    const carrier = text(d.registrationNumber) ?? text(d.origin);
    return (
      <>
        <a href="#/transfers">{t("authority.informed.objects.transfer")}</a>
        {carrier ? <span className="nowrap"> {carrier}</span> : null}
        {text(d.step) ? (
          <div className="hint">{t(`authority.informed.steps.${d.step}`, { defaultValue: "" })}</div>
        ) : null}
      </>
    );
  }
  if (type === "consent") {
    const action = text(d.action);
    const decision = text(d.decision);
    return (
      <>
        <a href="#/consents">{t("authority.informed.objects.consent")}</a>
        {text(d.carrier) ? <span className="nowrap"> {text(d.carrier)}</span> : null}
        {action || decision ? (
          <div className="hint">
            {[
              action ? t(`consent.actions.${action}`, { defaultValue: "" }) : "",
              decision ? t(`consent.states.${decision}`, { defaultValue: "" }) : "",
            ]
              .filter(Boolean)
              .join(" · ")}
          </div>
        ) : null}
      </>
    );
  }
  if (type === "carrier")
    return (
      <>
        <a href={`#/carriers/${encodeURIComponent(id)}`}>{t("authority.informed.objects.carrier")}</a>
        {text(d.registeredThereAs) ? <span className="nowrap"> {text(d.registeredThereAs)}</span> : null}
      </>
    );
  return <span className="muted">—</span>;
}

/** A5.5, A6.7: the notices, unread ones first and marked, and "mark all read". */
function InformedSection() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useLoad(
    (signal) =>
      api<{ notices: AuthorityNoticeRowT[]; unread: number }>("GET", "/api/authority/notices", undefined, {
        signal,
      }),
    [],
  );
  // What the authority is informed of shows as it arrives (A5.5, A6.7).
  useReloadEvery(30_000, reload);
  const { busy, error: markError, run } = useSubmit();
  const notices = [...(data?.notices ?? [])].sort(
    (a, b) => Number(a.readAt !== null) - Number(b.readAt !== null) || b.at.localeCompare(a.at),
  );
  const unread = data?.unread ?? 0;
  const markAll = () =>
    run(async () => {
      await api("POST", "/api/authority/notices/read", {});
    }, reload);
  return (
    <section className="card" data-testid="authority-informed">
      <div className="title-row">
        <h2>
          {t("authority.informed.title")}{" "}
          <span className="count" title={t("authority.informed.unread")} data-testid="notices-unread">
            {unread}
          </span>
        </h2>
        <button
          type="button"
          className="secondary"
          disabled={busy || unread === 0}
          onClick={() => void markAll()}
          data-testid="notices-mark-read"
        >
          {t("authority.informed.markAllRead")}
        </button>
      </div>
      <p className="hint">{t("authority.informed.intro")}</p>
      <ErrorBox error={error} />
      <ErrorBox error={markError} />
      {loading && !data ? <Loading /> : null}
      {data && notices.length === 0 ? <Empty text={t("authority.informed.empty")} /> : null}
      {notices.length > 0 ? (
        <div className="table-wrap">
          <table data-testid="notices-table">
            <thead>
              <tr>
                <th>{t("authority.informed.col.at")}</th>
                <th>{t("authority.informed.col.event")}</th>
                <th>{t("authority.informed.col.articles")}</th>
                <th>{t("authority.informed.col.object")}</th>
              </tr>
            </thead>
            <tbody>
              {notices.map((n) => (
                <tr
                  key={n.id}
                  className={n.readAt ? undefined : "unread"}
                  data-testid="notice-row"
                  data-unread={n.readAt ? "0" : "1"}
                  data-event={n.event}
                >
                  <td className="nowrap">
                    {formatDate(n.at)}
                    {n.readAt ? null : (
                      <>
                        {" "}
                        <span className="status status-new">{t("authority.informed.newTag")}</span>
                      </>
                    )}
                  </td>
                  <td title={n.event}>{t(`events.${n.event.replace(/\./g, "_")}`, n.event)}</td>
                  <td className="nowrap">{formatArticles(n.articles)}</td>
                  <td>
                    <NoticeObject notice={n} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function kilobytes(t: TFunction, size: number): string {
  return t("authority.letters.size", { n: (Math.max(size, 1) / 1024).toFixed(size < 10_240 ? 1 : 0) });
}

function LetterState({ letter }: { letter: AuthorityLetterRowT }) {
  const { t } = useTranslation();
  const label = t(
    `authority.letters.${letter.direction === "out" ? "statesOut" : "statesIn"}.${letter.state}`,
  );
  const className =
    letter.state === "refused"
      ? "bad letter-state"
      : letter.state === "received"
        ? "status status-active letter-state"
        : "status letter-state";
  return (
    <span className={className} data-testid="letter-state">
      {label}
      {letter.refusal ? (
        <span className="hint">
          {" "}
          ({letter.refusal.articles.length ? `${formatArticles(letter.refusal.articles)} — ` : ""}
          {letter.refusal.code})
        </span>
      ) : null}
    </span>
  );
}

/** A3, A8: the letters, each with its subject and article, who wrote it, its dates and state. */
function LetterList({ letters }: { letters: AuthorityLetterRowT[] }) {
  const { t } = useTranslation();
  return (
    <div className="table-wrap">
      <table data-testid="letters-table">
        <thead>
          <tr>
            <th>{t("authority.letters.col.subject")}</th>
            <th>{t("authority.letters.col.from")}</th>
            <th>{t("authority.letters.col.title")}</th>
            <th>{t("authority.letters.col.sent")}</th>
            <th>{t("authority.letters.col.received")}</th>
            <th>{t("authority.letters.col.state")}</th>
            <th>{t("authority.letters.col.document")}</th>
          </tr>
        </thead>
        <tbody>
          {letters.map((l) => (
            <tr
              key={l.id}
              data-testid="letter-row"
              data-id={l.id}
              data-subject={l.subject}
              data-direction={l.direction}
              data-state={l.state}
            >
              <td className="col-subject">{t(`authority.letters.subjects.${l.subject}`)}</td>
              <td>
                {t(`party.${l.fromParty}`, l.fromParty)}
                <div className="hint">{t(`authority.letters.direction.${l.direction}`)}</div>
              </td>
              <td className="col-title" data-testid="letter-title">
                <strong>{l.title}</strong>
                {l.authority ? (
                  <dl className="letter-authority" data-testid="letter-authority">
                    <dt>{t("authority.letters.newName")}</dt>
                    <dd>{l.authority.name}</dd>
                    {l.authority.functions ? (
                      <>
                        <dt>{t("authority.letters.functions")}</dt>
                        <dd className="pre">{l.authority.functions}</dd>
                      </>
                    ) : null}
                  </dl>
                ) : null}
                {l.body ? (
                  <details>
                    <summary>{t("authority.letters.text")}</summary>
                    <p className="pre">{l.body}</p>
                  </details>
                ) : null}
              </td>
              <td className="nowrap">{formatDate(l.sentAt)}</td>
              <td className="nowrap">{formatDate(l.receivedAt)}</td>
              <td>
                <LetterState letter={l} />
              </td>
              <td>
                {l.attachment ? (
                  <>
                    <a
                      href={`/api/authority/letters/${encodeURIComponent(l.id)}/attachment`}
                      download={l.attachment.name}
                      title={`${t("authority.letters.download")}: ${l.attachment.name}`}
                      className="break"
                      data-testid="letter-download"
                    >
                      {l.attachment.name}
                    </a>
                    <div className="hint nowrap">{kilobytes(t, l.attachment.size)}</div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The file as base64 (what the API takes), read in the browser. */
function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result ?? "");
      resolve(url.slice(url.indexOf(",") + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error("read failed"));
    reader.readAsDataURL(file);
  });
}

/** A3.2, A3.3, A8.1, A8.2: a letter is written, then asked once more before it goes. */
function LetterForm({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState<Subject>("legislation-change");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [name, setName] = useState("");
  const [functions, setFunctions] = useState("");
  const [file, setFile] = useState<File | null>(null);
  const [asking, setAsking] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const { busy, error, run } = useSubmit();
  const withFile = subject === "regulations" || subject === "legislation-change";
  const next = (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (withFile && file && file.size > MAX_DOCUMENT) return setProblem(t("authority.form.tooLarge"));
    if (subject === "regulations" && !file) return setProblem(t("authority.form.fileRequired"));
    setAsking(true);
  };
  const send = () =>
    run(async () => {
      let base64: string;
      try {
        base64 = withFile && file ? await readBase64(file) : "";
      } catch {
        throw new Error(t("authority.form.readFailed"));
      }
      await api("POST", "/api/authority/letters", {
        subject,
        title: title.trim(),
        ...(body.trim() ? { body: body.trim() } : {}),
        ...(subject === "authority-change"
          ? { authority: { name: name.trim(), ...(functions.trim() ? { functions: functions.trim() } : {}) } }
          : {}),
        ...(withFile && file ? { attachment: { name: file.name, base64 } } : {}),
      });
    }, onDone).finally(() => setAsking(false));
  return (
    <form className="card form wide-form" onSubmit={next} data-testid="letter-form">
      <h3>{t("authority.form.heading")}</h3>
      <fieldset disabled={asking || busy} className="plain-fieldset">
        <label>
          {t("authority.form.subject")}
          <select
            value={subject}
            onChange={(e) => setSubject(e.target.value as Subject)}
            data-testid="letter-subject"
          >
            {SUBJECTS.map((s) => (
              <option key={s} value={s}>
                {t(`authority.letters.subjects.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("authority.form.title")}
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            required
            maxLength={500}
            data-testid="letter-title-input"
          />
        </label>
        <label>
          {t("authority.form.body")}
          <textarea
            value={body}
            onChange={(e) => setBody(e.target.value)}
            rows={4}
            maxLength={20_000}
            data-testid="letter-body"
          />
        </label>
        {subject === "authority-change" ? (
          <div className="form-row">
            <label>
              {t("authority.form.name")}
              <input
                value={name}
                onChange={(e) => setName(e.target.value)}
                required
                maxLength={500}
                data-testid="letter-name"
              />
            </label>
            <label>
              {t("authority.form.functions")}
              <input
                value={functions}
                onChange={(e) => setFunctions(e.target.value)}
                maxLength={20_000}
                data-testid="letter-functions"
              />
            </label>
          </div>
        ) : null}
        {withFile ? (
          <label>
            {t("authority.form.file")}
            <input
              type="file"
              required={subject === "regulations"}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              data-testid="letter-file"
            />
            <span className="hint">
              {subject === "regulations" ? `${t("authority.form.fileRequired")} ` : null}
              {t("authority.form.fileHint")}
            </span>
          </label>
        ) : null}
      </fieldset>
      {problem ? (
        <div className="error-box" role="alert" data-testid="letter-problem">
          {problem}
        </div>
      ) : null}
      <ErrorBox error={error} />
      {asking ? (
        <fieldset className="confirm-step" data-testid="letter-confirm">
          <legend>{t("authority.form.confirm")}</legend>
          <p>
            <strong>{t(`authority.letters.subjects.${subject}`)}</strong> — {title.trim()}
          </p>
          <div className="actions">
            <button type="button" disabled={busy} onClick={() => void send()} data-testid="letter-send-yes">
              {t("authority.form.send")}
            </button>
            <button
              type="button"
              className="secondary"
              disabled={busy}
              onClick={() => setAsking(false)}
              data-testid="letter-send-no"
            >
              {t("authority.form.back")}
            </button>
          </div>
        </fieldset>
      ) : (
        <div className="actions">
          <button type="submit" disabled={busy} data-testid="letter-next">
            {t("authority.form.next")}
          </button>
          <button type="button" className="secondary" onClick={onCancel}>
            {t("authority.form.cancel")}
          </button>
        </div>
      )}
    </form>
  );
}

function LettersSection() {
  const { t } = useTranslation();
  const { session } = useApp();
  const { data, error, loading, reload } = useLoad(
    (signal) =>
      api<{ letters: AuthorityLetterRowT[] }>("GET", "/api/authority/letters", undefined, { signal }),
    [],
  );
  // The other Party's letters, and the receipts of ours, show as they arrive.
  useReloadEvery(20_000, reload);
  const [writing, setWriting] = useState(false);
  const [sent, setSent] = useState(false);
  return (
    <section className="card" data-testid="authority-letters">
      <div className="title-row">
        <h2>{t("authority.letters.title")}</h2>
        {session.permissions.writeAuthorityLetters && !writing ? (
          <button
            type="button"
            onClick={() => {
              setSent(false);
              setWriting(true);
            }}
            data-testid="letter-write"
          >
            {t("authority.letters.write")}
          </button>
        ) : null}
      </div>
      {writing ? (
        <LetterForm
          onCancel={() => setWriting(false)}
          onDone={() => {
            setWriting(false);
            setSent(true);
            reload();
          }}
        />
      ) : null}
      {sent ? (
        <p className="notice" role="status" data-testid="letter-sent">
          {t("authority.form.sent")}
        </p>
      ) : null}
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.letters.length === 0 ? <Empty text={t("authority.letters.empty")} /> : null}
      {data && data.letters.length > 0 ? <LetterList letters={data.letters} /> : null}
    </section>
  );
}

export function AuthoritiesPage() {
  const { t } = useTranslation();
  return (
    <div className="page authority-page">
      <h1>{t("authority.title")}</h1>
      <p className="hint">{t("authority.intro")}</p>
      <InformedSection />
      <LettersSection />
    </div>
  );
}
