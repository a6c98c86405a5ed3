import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ProtocolsViewT } from "../../../src/api/routes/protocols.ts";
import type { PackChange } from "../../../src/domain/agreement/amendment.ts";
import { api } from "../api.ts";
import {
  DecisionButton,
  Empty,
  ErrorBox,
  Loading,
  useLoad,
  useReloadEvery,
  useSubmit,
} from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatArticles, formatDate, formatDay } from "../i18n.ts";

type Protocol = ProtocolsViewT["protocols"][number];
type Current = ProtocolsViewT["current"];
const LANGS = ["kk", "hy", "ru", "en"] as const;

/** One change of a protocol in the user's words. */
function ChangeText({ change, current }: { change: PackChange; current: Current }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const lang = currentLang();
  const channelName = (id: string) => current.channels.find((c) => c.id === id)?.name[lang] ?? id;
  switch (change.kind) {
    case "level-marking": {
      const level = node.levels.find((l) => l.id === change.level);
      return (
        <>
          {t("protocols.change.level-marking", {
            level: level?.names[lang] ?? change.level,
            language: t(`protocols.languages.${change.language}`),
            marking: change.marking,
          })}
        </>
      );
    }
    case "deadline":
      return (
        <>
          {t("protocols.change.deadline", {
            name: t(`protocols.deadlines.${change.deadline}`, change.deadline),
            duration: change.duration,
          })}
        </>
      );
    case "channel-add":
      return <>{t("protocols.change.channel-add", { name: change.channel.name[lang] })}</>;
    case "channel-remove":
      return <>{t("protocols.change.channel-remove", { name: channelName(change.channel) })}</>;
  }
}

/** A14: which version of the pack applied when (the same at both nodes). */
function Versions({ view }: { view: ProtocolsViewT }) {
  const { t } = useTranslation();
  return (
    <section data-testid="protocol-versions">
      <h3>{t("protocols.versionsTitle")}</h3>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t("protocols.col.version")}</th>
              <th>{t("protocols.col.protocol")}</th>
              <th>{t("protocols.col.from")}</th>
            </tr>
          </thead>
          <tbody>
            {view.versions.map((v) => (
              <tr key={v.version} data-testid="protocol-version-row" data-version={v.version}>
                <td>{v.version}</td>
                <td className="col-title">
                  {v.protocol
                    ? t("protocols.protocolVersion", {
                        number: v.protocol.number,
                        date: formatDay(v.protocol.inForceOn),
                      })
                    : t("protocols.signedVersion")}
                </td>
                <td className="nowrap">{v.from ? formatDate(v.from) : "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The protocols with their changes, notices and the actions the server allows now. */
function ProtocolTable({ view, onDone }: { view: ProtocolsViewT; onDone: () => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  if (view.protocols.length === 0) return <Empty text={t("protocols.none")} />;
  const act = (p: Protocol, path: string, body: object) =>
    void run(() => api("POST", `/api/agreement/protocols/${encodeURIComponent(p.id)}/${path}`, body), onDone);
  return (
    <>
      <ErrorBox error={error} />
      <div className="table-wrap">
        <table data-testid="protocols">
          <thead>
            <tr>
              <th>{t("protocols.col.number")}</th>
              <th>{t("protocols.col.title")}</th>
              <th>{t("protocols.col.proposedBy")}</th>
              <th>{t("protocols.col.status")}</th>
              <th>{t("protocols.col.changes")}</th>
              <th>{t("protocols.col.notices")}</th>
              <th>{t("protocols.col.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {view.protocols.map((p) => (
              <tr key={p.id} data-testid="protocol-row" data-number={p.number} data-status={p.status}>
                <td className="nowrap">{p.number}</td>
                <td className="col-title">
                  {p.title}
                  <div className="hint">
                    {formatDay(p.signedOn)}
                    {p.reference ? ` · ${p.reference}` : ""}
                  </div>
                </td>
                <td className="col-org">
                  {p.direction === "out" ? t("protocols.us") : t(`party.${p.proposedBy}`, p.proposedBy)}
                  {p.direction === "out" ? (
                    <div className={p.delivery === "refused" ? "hint bad" : "hint"}>
                      {t(`protocols.delivery.${p.delivery}`)}
                      {p.refusal ? ` — ${formatArticles(p.refusal.articles)}` : ""}
                    </div>
                  ) : null}
                </td>
                <td data-testid="protocol-status">
                  <span className={p.status === "in-force" ? "ok" : p.status === "declined" ? "bad" : ""}>
                    {t(`protocols.statuses.${p.status}`)}
                  </span>
                  {p.inForceOn ? (
                    <div className="hint">
                      {formatDay(p.inForceOn)} · v{p.version}
                    </div>
                  ) : null}
                  {p.answerReason ? <div className="hint">{p.answerReason}</div> : null}
                </td>
                <td>
                  <ul className="plain-list">
                    {p.changes.map((c, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: a protocol's changes never move
                      <li key={i}>
                        <ChangeText change={c as PackChange} current={view.current} />
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <ul className="plain-list">
                    {p.notices.map((n) => (
                      <li
                        key={`${n.fromParty}-${n.datedOn}`}
                        data-testid="protocol-notice"
                        data-state={n.state}
                      >
                        {t("protocols.notice", {
                          party: t(`party.${n.fromParty}`, n.fromParty),
                          date: formatDay(n.datedOn),
                          state: t(`protocols.noticeStates.${n.state}`, { at: formatDate(n.receivedAt) }),
                        })}
                      </li>
                    ))}
                  </ul>
                </td>
                <td>
                  <div className="actions">
                    {p.actions.includes("sign") ? (
                      <DecisionButton
                        label={t("protocols.actions.sign")}
                        testId="protocol-sign"
                        busy={busy}
                        onDecide={() => act(p, "answer", { answer: "signed" })}
                      />
                    ) : null}
                    {p.actions.includes("decline") ? (
                      <DecisionButton
                        label={t("protocols.actions.decline")}
                        testId="protocol-decline"
                        danger
                        withReason
                        busy={busy}
                        onDecide={(reason) =>
                          act(p, "answer", { answer: "declined", ...(reason ? { reason } : {}) })
                        }
                      />
                    ) : null}
                    {p.actions.includes("notify") ? (
                      <DecisionButton
                        label={t("protocols.actions.notify")}
                        testId="protocol-notify"
                        busy={busy}
                        onDecide={() => act(p, "notices", {})}
                      />
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

type Kind = PackChange["kind"];

/** The builder of one change: its kind, then the fields that kind needs, filled from the pack in force. */
function ChangeBuilder({ current, onAdd }: { current: Current; onAdd: (change: PackChange) => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const lang = currentLang();
  const [kind, setKind] = useState<Kind>("deadline");
  const [level, setLevel] = useState(current.levels[0]?.id ?? "");
  const [language, setLanguage] = useState<(typeof LANGS)[number]>("ru");
  const [marking, setMarking] = useState("");
  const deadlineNames = Object.keys(current.deadlines);
  const [deadline, setDeadline] = useState(deadlineNames[0] ?? "");
  const [duration, setDuration] = useState("");
  const [channel, setChannel] = useState(current.channels[0]?.id ?? "");
  const [channelId, setChannelId] = useState("");
  const [channelKind, setChannelKind] = useState<"physical" | "electronic">("physical");
  const [names, setNames] = useState<Record<string, string>>({ kk: "", hy: "", ru: "", en: "" });
  const add = () => {
    if (kind === "level-marking") onAdd({ kind, level, language, marking: marking.trim() });
    else if (kind === "deadline")
      onAdd({ kind, deadline: deadline as "termination", duration: duration.trim() });
    else if (kind === "channel-remove") onAdd({ kind, channel });
    else
      onAdd({
        kind,
        channel: {
          id: channelId.trim(),
          kind: channelKind,
          name: { kk: names.kk!.trim(), hy: names.hy!.trim(), ru: names.ru!.trim(), en: names.en!.trim() },
        },
      });
    setMarking("");
    setDuration("");
    setChannelId("");
  };
  const marked = current.levels.find((l) => l.id === level)?.markings[language] ?? "—";
  return (
    <fieldset className="change-builder" data-testid="protocol-change-builder">
      <div className="form-row">
        <label>
          {t("protocols.form.kind")}
          <select
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind)}
            data-testid="protocol-change-kind"
          >
            {(["deadline", "level-marking", "channel-add", "channel-remove"] as const).map((k) => (
              <option key={k} value={k}>
                {t(`protocols.form.kinds.${k}`)}
              </option>
            ))}
          </select>
        </label>
        {kind === "deadline" ? (
          <>
            <label>
              {t("protocols.form.deadline")}
              <select
                value={deadline}
                onChange={(e) => setDeadline(e.target.value)}
                data-testid="protocol-deadline"
              >
                {deadlineNames.map((d) => (
                  <option key={d} value={d}>
                    {t(`protocols.deadlines.${d}`, d)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("protocols.form.duration")}
              <input
                value={duration}
                onChange={(e) => setDuration(e.target.value)}
                placeholder={current.deadlines[deadline]}
                size={8}
                data-testid="protocol-duration"
              />
              <span className="hint">{t("protocols.form.now", { value: current.deadlines[deadline] })}</span>
            </label>
          </>
        ) : null}
        {kind === "level-marking" ? (
          <>
            <label>
              {t("protocols.form.level")}
              <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="protocol-level">
                {current.levels.map((l) => (
                  <option key={l.id} value={l.id}>
                    {node.levels.find((x) => x.id === l.id)?.names[lang] ?? l.id}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("protocols.form.language")}
              <select
                value={language}
                onChange={(e) => setLanguage(e.target.value as (typeof LANGS)[number])}
                data-testid="protocol-language"
              >
                {LANGS.map((l) => (
                  <option key={l} value={l}>
                    {t(`protocols.languages.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("protocols.form.marking")}
              <input
                value={marking}
                onChange={(e) => setMarking(e.target.value)}
                data-testid="protocol-marking"
              />
              <span className="hint">{t("protocols.form.now", { value: marked })}</span>
            </label>
          </>
        ) : null}
        {kind === "channel-remove" ? (
          <label>
            {t("protocols.form.channel")}
            <select
              value={channel}
              onChange={(e) => setChannel(e.target.value)}
              data-testid="protocol-channel"
            >
              {current.channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name[lang]}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        {kind === "channel-add" ? (
          <>
            <label>
              {t("protocols.form.channelId")}
              <input
                value={channelId}
                onChange={(e) => setChannelId(e.target.value)}
                size={16}
                data-testid="protocol-channel-id"
              />
            </label>
            <label>
              {t("protocols.form.channelKind")}
              <select
                value={channelKind}
                onChange={(e) => setChannelKind(e.target.value as "physical" | "electronic")}
                data-testid="protocol-channel-kind"
              >
                <option value="physical">{t("protocols.form.physical")}</option>
                <option value="electronic">{t("protocols.form.electronic")}</option>
              </select>
            </label>
          </>
        ) : null}
      </div>
      {kind === "channel-add" ? (
        <div className="form-row">
          {LANGS.map((l) => (
            <label key={l}>
              {t("protocols.form.channelName", { language: t(`protocols.languages.${l}`) })}
              <input
                value={names[l]}
                onChange={(e) => setNames({ ...names, [l]: e.target.value })}
                data-testid={`protocol-channel-name-${l}`}
              />
            </label>
          ))}
        </div>
      ) : null}
      {kind === "deadline" ? <p className="hint">{t("protocols.form.durationHint")}</p> : null}
      <div className="actions">
        <button type="button" className="secondary" onClick={add} data-testid="protocol-add-change">
          {t("protocols.form.add")}
        </button>
      </div>
    </fieldset>
  );
}

/** A14: the competent authority's proposal of a protocol; it asks once more before it goes. */
function ProposeForm({ current, onSent }: { current: Current; onSent: () => void }) {
  const { t } = useTranslation();
  const [number, setNumber] = useState("");
  const [title, setTitle] = useState("");
  const [reference, setReference] = useState("");
  const [changes, setChanges] = useState<PackChange[]>([]);
  const [asking, setAsking] = useState(false);
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useSubmit();
  const ask = (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    setAsking(true);
  };
  const send = () => {
    setAsking(false);
    void run(
      () =>
        api("POST", "/api/agreement/protocols", {
          number: number.trim(),
          title: title.trim(),
          ...(reference.trim() ? { reference: reference.trim() } : {}),
          changes,
        }),
      () => {
        setSent(true);
        setNumber("");
        setTitle("");
        setReference("");
        setChanges([]);
        onSent();
      },
    );
  };
  return (
    <form className="card form wide-form" onSubmit={ask} data-testid="protocol-form">
      <h3>{t("protocols.form.title")}</h3>
      <div className="form-row">
        <label>
          {t("protocols.form.number")}
          <input
            value={number}
            onChange={(e) => setNumber(e.target.value)}
            size={8}
            data-testid="protocol-number"
          />
        </label>
        <label className="grow">
          {t("protocols.form.titleField")}
          <input value={title} onChange={(e) => setTitle(e.target.value)} data-testid="protocol-title" />
        </label>
        <label>
          {t("protocols.form.reference")}
          <input
            value={reference}
            onChange={(e) => setReference(e.target.value)}
            data-testid="protocol-reference"
          />
        </label>
      </div>
      <ChangeBuilder current={current} onAdd={(c) => setChanges([...changes, c])} />
      <p className="muted">{t("protocols.form.listed")}:</p>
      {changes.length === 0 ? (
        <p className="hint">{t("protocols.form.noChanges")}</p>
      ) : (
        <ol data-testid="protocol-changes">
          {changes.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the list is edited only at its ends
            <li key={i}>
              <ChangeText change={c} current={current} />{" "}
              <button
                type="button"
                className="link"
                onClick={() => setChanges(changes.filter((_, j) => j !== i))}
              >
                {t("protocols.form.remove")}
              </button>
            </li>
          ))}
        </ol>
      )}
      <ErrorBox error={error} />
      {sent && !error ? (
        <p className="ok" role="status" data-testid="protocol-sent">
          {t("protocols.form.sent")}
        </p>
      ) : null}
      {asking ? (
        <fieldset className="confirm-step" data-testid="protocol-confirm">
          <legend>{t("protocols.form.confirm")}</legend>
          <div className="actions">
            <button type="button" disabled={busy} onClick={send} data-testid="protocol-confirm-yes">
              {t("protocols.form.confirmYes")}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              {t("protocols.form.cancel")}
            </button>
          </div>
        </fieldset>
      ) : (
        <div className="actions">
          <button type="submit" disabled={busy || changes.length === 0} data-testid="protocol-submit">
            {t("protocols.form.submit")}
          </button>
        </div>
      )}
    </form>
  );
}

/** A14: the amendment protocols on the agreement's page. */
export function ProtocolsSection() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useLoad(
    (signal) => api<ProtocolsViewT>("GET", "/api/agreement/protocols", undefined, { signal }),
    [],
  );
  // The other Party's protocols and answers show as they arrive; sooner while it owes us a step.
  const own = useApp().node.party;
  const pending =
    data?.protocols.some(
      (p) =>
        (p.direction === "out" && p.status === "proposed") ||
        p.notices.some((n) => n.fromParty === own && n.state === "sent") ||
        (p.status === "partly-notified" && !p.actions.includes("notify")),
    ) ?? false;
  useReloadEvery(pending ? 10_000 : 30_000, reload);
  return (
    <section data-testid="protocols-section">
      <h2>{t("protocols.title")}</h2>
      <p className="hint">{t("protocols.intro")}</p>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data ? (
        <>
          <p data-testid="protocol-version" data-version={data.version}>
            <strong>{t("protocols.version", { version: data.version })}</strong>
          </p>
          <ProtocolTable view={data} onDone={reload} />
          {data.mayPropose ? <ProposeForm current={data.current} onSent={reload} /> : null}
          <Versions view={data} />
        </>
      ) : null}
    </section>
  );
}
