// The registry officer's acts on a carrier, each in its dialog: copy, translate, derive (A6.1, A6.5),
// hand over to another body (A6.2, A1.11), destroy (A1.8, A6.6: asked twice, naming the carrier
// and its marking), return to the originator and take a returned one back in (A6.6), withdraw
// need-to-know (A4.2). Shown as the carrier view allows (`actions.manage`); the server decides
// again and its refusal is shown with the article in the user's language.
import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarrierViewT, OrganisationT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { DecisionButton, ErrorBox, useLoad, useSubmit } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang } from "../i18n.ts";

type Action = CarrierViewT["actions"]["manage"][number] | "withdraw";
type Props = { view: CarrierViewT; onChanged: () => void; onMade: (id: string) => void };

const KINDS = ["paper-document", "electronic-file", "removable-media", "other-object"] as const;
const path = (id: string, verb: string) => `/api/carriers/${encodeURIComponent(id)}/${verb}`;

function CopyDialog({ view, onMade }: Props) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const c = view.carrier;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let made = "";
    await run(
      async () => {
        made = (await api<{ id: string }>("POST", path(c.id, "copy"), {})).id;
      },
      () => onMade(made),
    );
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="copy-form">
      <h2>{t("carrierActions.copy.title")}</h2>
      <p className="hint">
        {t("carrierActions.copy.hint", { number: c.registrationNumber, marking: view.markings[0]?.text })}
      </p>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="copy-submit">
        {t("carrierActions.copy.submit")}
      </button>
    </form>
  );
}

function TranslateDialog({ view, onMade }: Props) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const c = view.carrier;
  const [language, setLanguage] = useState(currentLang() === "ru" ? "en" : "ru");
  const [title, setTitle] = useState("");
  const [content, setContent] = useState("");
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let made = "";
    await run(
      async () => {
        made = (
          await api<{ id: string }>("POST", path(c.id, "translate"), {
            language,
            ...(title.trim() ? { title: title.trim() } : {}),
            ...(content ? { contentText: content } : {}),
          })
        ).id;
      },
      () => onMade(made),
    );
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="translate-form">
      <h2>{t("carrierActions.translate.title")}</h2>
      <label>
        {t("carrierActions.translate.language")}
        <select
          value={language}
          onChange={(e) => setLanguage(e.target.value)}
          data-testid="translate-language"
        >
          {["ru", "kk", "hy", "en"].map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("carrierActions.translate.name")}
        <input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          placeholder={t("carrierActions.translate.namePlaceholder")}
          data-testid="translate-title"
        />
      </label>
      {c.hasContent ? (
        <label>
          {t("carrierActions.translate.content")}
          <span className="hint">{t("carrierActions.translate.contentHint")}</span>
          <textarea
            value={content}
            onChange={(e) => setContent(e.target.value)}
            rows={4}
            data-testid="translate-content"
          />
        </label>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="translate-submit">
        {t("carrierActions.translate.submit")}
      </button>
    </form>
  );
}

function DeriveDialog({ view, onMade }: Props) {
  const { t } = useTranslation();
  const { node } = useApp();
  const { busy, error, run } = useSubmit();
  const c = view.carrier;
  const [kind, setKind] = useState<(typeof KINDS)[number]>("electronic-file");
  const [title, setTitle] = useState("");
  const [level, setLevel] = useState("");
  const [sheets, setSheets] = useState("");
  const [content, setContent] = useState("");
  const [alsoFrom, setAlsoFrom] = useState("");
  const sourceLevel = node.levels.find((l) => l.id === c.levelId);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let made = "";
    const others = alsoFrom
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    await run(
      async () => {
        made = (
          await api<{ id: string }>("POST", path(c.id, "derive"), {
            kind,
            title,
            ...(level ? { level } : {}),
            ...(kind === "paper-document" && sheets ? { sheets: Number(sheets) } : {}),
            ...(kind === "electronic-file" && content ? { contentText: content } : {}),
            ...(others.length > 0 ? { alsoFrom: others } : {}),
          })
        ).id;
      },
      () => onMade(made),
    );
  };
  return (
    <form className="card form" onSubmit={submit} data-testid="derive-form">
      <h2>{t("carrierActions.derive.title")}</h2>
      <p className="hint">
        {t("carrierActions.derive.hint", { level: sourceLevel?.names[currentLang()] ?? c.levelId })}
      </p>
      <label>
        {t("carrierActions.derive.kind")}
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}
          data-testid="derive-kind"
        >
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind.${k}`, k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("carrierActions.derive.name")}
        <input value={title} onChange={(e) => setTitle(e.target.value)} required data-testid="derive-title" />
      </label>
      <label>
        {t("carrierActions.derive.level")}
        <select value={level} onChange={(e) => setLevel(e.target.value)} data-testid="derive-level">
          <option value="">{t("carrierActions.derive.levelDefault")}</option>
          {node.levels.map((l) => (
            <option key={l.id} value={l.id}>
              {l.names[currentLang()] ?? l.id}
            </option>
          ))}
        </select>
      </label>
      {kind === "paper-document" ? (
        <label>
          {t("carrierActions.derive.sheets")}
          <input
            type="number"
            min={1}
            value={sheets}
            onChange={(e) => setSheets(e.target.value)}
            data-testid="derive-sheets"
          />
        </label>
      ) : null}
      {kind === "electronic-file" ? (
        <label>
          {t("carrierActions.derive.content")}
          <textarea
            value={content}
            onChange={(e) => setContent(e.target.value)}
            rows={3}
            data-testid="derive-content"
          />
        </label>
      ) : null}
      <label>
        {t("carrierActions.derive.alsoFrom")}
        <input value={alsoFrom} onChange={(e) => setAlsoFrom(e.target.value)} data-testid="derive-also" />
      </label>
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="derive-submit">
        {t("carrierActions.derive.submit")}
      </button>
    </form>
  );
}

function CustodyDialog({ view, onChanged }: Props) {
  const { t } = useTranslation();
  const { node } = useApp();
  const orgs = useLoad(() => api<OrganisationT[]>("GET", "/api/organisations"), []);
  const { busy, error, run } = useSubmit();
  const [to, setTo] = useState("");
  const c = view.carrier;
  // A6.2: another authorized body of this Party; its facility clearance is the server's to check (A1.11).
  const bodies = (orgs.data ?? []).filter(
    (o) => o.party === node.party && o.kind === "authorized_body" && o.name !== c.custodianName,
  );
  const label = t("carrierActions.custody.submit");
  return (
    <section className="card form" data-testid="custody-form">
      <h2>{t("carrierActions.custody.title")}</h2>
      <p className="hint">{t("carrierActions.custody.hint")}</p>
      <label>
        {t("carrierActions.custody.to")}
        <select value={to} onChange={(e) => setTo(e.target.value)} data-testid="custody-to">
          <option value="" />
          {bodies.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <DecisionButton
        label={label}
        testId="custody-submit"
        busy={busy || to === ""}
        onDecide={() => run(() => api("POST", path(c.id, "custody"), { to }), onChanged)}
      />
    </section>
  );
}

/** A1.8, A6.6: destruction cannot be undone, so it is asked twice, naming the carrier and its marking. */
function DestroyDialog({ view, onChanged }: Props) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [step, setStep] = useState<0 | 1 | 2>(0);
  const c = view.carrier;
  const named = {
    number: c.registrationNumber,
    copy: c.copyNumber ?? 1,
    // Both Parties' markings, the originator's first (A2.1, A6.1): each reader finds their own.
    marking: view.markings.map((m) => m.text).join("\u00a0│\u00a0") || c.levelId,
  };
  return (
    <section className="card form" data-testid="destroy-form">
      <h2>{t("carrierActions.destroy.title")}</h2>
      <p className="hint">{t("carrierActions.destroy.hint")}</p>
      {step === 0 ? (
        <div className="actions">
          <button type="button" className="danger" onClick={() => setStep(1)} data-testid="destroy-start">
            {t("carrierActions.destroy.start")}
          </button>
        </div>
      ) : (
        <fieldset className="confirm-step" data-testid={step === 1 ? "destroy-ask-1" : "destroy-ask-2"}>
          <legend>
            {t(step === 1 ? "carrierActions.destroy.first" : "carrierActions.destroy.second", named)}
          </legend>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={() => {
                if (step === 1) setStep(2);
                else
                  void run(
                    () => api("POST", path(c.id, "destroy"), {}),
                    () => {
                      setStep(0);
                      onChanged();
                    },
                  );
              }}
              data-testid={step === 1 ? "destroy-yes-1" : "destroy-yes-2"}
            >
              {t(step === 1 ? "carrierActions.destroy.firstYes" : "carrierActions.destroy.secondYes")}
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => setStep(0)}
              data-testid={step === 1 ? "destroy-no-1" : "destroy-no-2"}
            >
              {t("carrierActions.cancel")}
            </button>
          </div>
        </fieldset>
      )}
      <ErrorBox error={error} />
    </section>
  );
}

function ReturnDialog({ view, onChanged }: Props) {
  const { t } = useTranslation();
  const { node } = useApp();
  const { busy, error, run } = useSubmit();
  const [channel, setChannel] = useState(node.channels[0]?.id ?? "");
  const [seals, setSeals] = useState("");
  const [waybill, setWaybill] = useState("");
  const c = view.carrier;
  const physical = node.channels.find((ch) => ch.id === channel)?.kind === "physical";
  const sealNumbers = seals
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  return (
    <section className="card form" data-testid="return-form">
      <h2>{t("carrierActions.return.title")}</h2>
      <p className="hint">{t("carrierActions.return.hint")}</p>
      <label>
        {t("carrierActions.return.channel")}
        <select value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="return-channel">
          {node.channels.map((ch) => (
            <option key={ch.id} value={ch.id}>
              {ch.names[currentLang()] || ch.id}
            </option>
          ))}
        </select>
      </label>
      {physical ? (
        <>
          <label>
            {t("carrierActions.return.seals")}
            <input
              value={seals}
              onChange={(e) => setSeals(e.target.value)}
              placeholder={t("carrierActions.return.sealsHint")}
              data-testid="return-seals"
            />
          </label>
          <label>
            {t("carrierActions.return.waybill")}
            <input
              value={waybill}
              onChange={(e) => setWaybill(e.target.value)}
              data-testid="return-waybill"
            />
          </label>
        </>
      ) : null}
      <ErrorBox error={error} />
      <DecisionButton
        label={t("carrierActions.return.submit")}
        testId="return-submit"
        danger
        busy={busy || channel === ""}
        onDecide={() =>
          run(
            () =>
              api("POST", path(c.id, "return"), {
                channel,
                ...(physical && sealNumbers.length > 0 ? { sealNumbers } : {}),
                ...(physical && waybill.trim() ? { waybill: waybill.trim() } : {}),
              }),
            onChanged,
          )
        }
      />
    </section>
  );
}

function TakeBackDialog({ view, onChanged }: Props) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [sealsIntact, setSealsIntact] = useState(false);
  const c = view.carrier;
  return (
    <section className="card form" data-testid="take-back-form">
      <h2>{t("carrierActions.takeBack.title")}</h2>
      <p className="hint">{t("carrierActions.takeBack.hint")}</p>
      {c.hasContent ? null : (
        <label className="checkbox">
          <input
            type="checkbox"
            checked={sealsIntact}
            onChange={(e) => setSealsIntact(e.target.checked)}
            data-testid="take-back-seals"
          />
          {t("carrierActions.takeBack.sealsIntact")}
        </label>
      )}
      <ErrorBox error={error} />
      <DecisionButton
        label={t("carrierActions.takeBack.submit")}
        testId="take-back-submit"
        busy={busy}
        onDecide={() => run(() => api("POST", path(c.id, "take-back"), { sealsIntact }), onChanged)}
      />
    </section>
  );
}

function WithdrawDialog({ view, onChanged }: Props) {
  const { t } = useTranslation();
  const { busy, error, run } = useSubmit();
  const [person, setPerson] = useState("");
  const c = view.carrier;
  return (
    <section className="card form" data-testid="withdraw-form">
      <h2>{t("carrierActions.withdraw.title")}</h2>
      <p className="hint">{t("carrierActions.withdraw.hint")}</p>
      <label>
        {t("carrierActions.withdraw.person")}
        <select value={person} onChange={(e) => setPerson(e.target.value)} data-testid="withdraw-person">
          <option value="" />
          {view.actions.withdrawNeedToKnow.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorBox error={error} />
      <DecisionButton
        label={t("carrierActions.withdraw.submit")}
        testId="withdraw-submit"
        danger
        busy={busy || person === ""}
        onDecide={() =>
          run(
            () => api("POST", path(c.id, "need-to-know/withdraw"), { persons: [person] }),
            () => {
              setPerson("");
              onChanged();
            },
          )
        }
      />
    </section>
  );
}

const DIALOGS: Record<Action, (props: Props) => React.JSX.Element> = {
  copy: CopyDialog,
  translate: TranslateDialog,
  derive: DeriveDialog,
  custody: CustodyDialog,
  destroy: DestroyDialog,
  return: ReturnDialog,
  "take-back": TakeBackDialog,
  withdraw: WithdrawDialog,
};

/** The buttons of the registry officer's acts on the carrier, and the one dialog opened. */
export function CarrierActions(props: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Action | null>(null);
  const actions: Action[] = [
    ...props.view.actions.manage,
    ...(props.view.actions.withdrawNeedToKnow.length > 0 ? (["withdraw"] as const) : []),
  ];
  if (actions.length === 0) return null;
  const Dialog = open && actions.includes(open) ? DIALOGS[open] : null;
  const done = () => {
    setOpen(null);
    props.onChanged();
  };
  return (
    <>
      <section className="card" data-testid="carrier-actions">
        <h2>{t("carrierActions.title")}</h2>
        <div className="actions wrap">
          {actions.map((a) => (
            <button
              key={a}
              type="button"
              className={a === "destroy" || a === "return" ? "danger" : "secondary"}
              aria-expanded={open === a}
              onClick={() => setOpen((v) => (v === a ? null : a))}
              data-testid={`action-${a}`}
            >
              {t(`carrierActions.buttons.${a}`)}
            </button>
          ))}
        </div>
      </section>
      {Dialog ? <Dialog key={open} view={props.view} onChanged={done} onMade={props.onMade} /> : null}
    </>
  );
}
