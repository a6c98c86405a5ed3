import { type FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import type { TransferViewT } from "../../../src/api/schemas.ts";
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
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

/** Step buttons by the action names the server sends; the server alone decides which appear. */
const ACTION_LABELS: Record<string, string> = {
  consent: "transfer.consent",
  refuse: "transfer.refuse",
  confirm: "transfer.confirm",
  "refuse-confirmation": "transfer.refuseConfirm",
  dispatch: "transfer.dispatch",
  receive: "transfer.receive",
};

/**
 * A5.6, A5.7: the dispatch record. The registry officer names the channel; a physical carrier goes
 * with the seal numbers and waybill written on its parcel (the server refuses it without them).
 */
function DispatchForm({ transfer, onDone }: { transfer: TransferViewT; onDone: () => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  // An electronic carrier goes by the agreed electronic channel unless the officer chooses otherwise.
  const channels = node.channels
    .filter((c) => transfer.electronic || c.kind === "physical")
    .sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "electronic" ? -1 : 1));
  const [channel, setChannel] = useState(channels[0]?.id ?? "");
  const [seals, setSeals] = useState("");
  const [waybill, setWaybill] = useState("");
  const { busy, error, run } = useSubmit();
  const physical = channels.find((c) => c.id === channel)?.kind === "physical";
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const sealNumbers = seals
      .split(/[,;\s]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    await run(async () => {
      await api("POST", `/api/transfers/${encodeURIComponent(transfer.id)}/dispatch`, {
        channel,
        ...(physical ? { sealNumbers, waybill: waybill.trim() } : {}),
      });
    }, onDone);
  };
  return (
    <form className="form dispatch-form" onSubmit={submit} data-testid="dispatch-form">
      <label>
        {t("transfer.channel")}
        <select value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="dispatch-channel">
          {channels.map((c) => (
            <option key={c.id} value={c.id}>
              {capitalized(c.names[currentLang()] ?? c.id)}
            </option>
          ))}
        </select>
      </label>
      {physical ? (
        <>
          <label>
            {t("transfer.seals")}
            <input
              value={seals}
              onChange={(e) => setSeals(e.target.value)}
              required
              placeholder={t("transfer.sealsHint")}
              data-testid="dispatch-seals"
            />
          </label>
          <label>
            {t("transfer.waybill")}
            <input
              value={waybill}
              onChange={(e) => setWaybill(e.target.value)}
              required
              data-testid="dispatch-waybill"
            />
          </label>
        </>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="dispatch-submit">
        {t("transfer.dispatchSubmit")}
      </button>
    </form>
  );
}

/**
 * A5.6: a physical carrier has arrived. The registry officer confirms its seals intact and those of
 * the dispatch record; only then is it registered and the receipt notice sent (the server refuses
 * a take-in without that confirmation). Broken or mismatched seals (A11.1): the officer describes
 * what was found, and the carrier is taken in but held in quarantine, a breach recorded and the
 * other Party's competent authority notified at once.
 */
function TakeInForm({
  transfer,
  onDone,
}: {
  transfer: TransferViewT;
  onDone: (breachId: string | null) => void;
}) {
  const { t } = useTranslation();
  const [seals, setSeals] = useState<"intact" | "broken" | "">("");
  const [what, setWhat] = useState("");
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let breachId: string | null = null;
    await run(
      async () => {
        const answer = await api<{ breachId?: string | null }>(
          "POST",
          `/api/transfers/${encodeURIComponent(transfer.id)}/receive`,
          seals === "broken" ? { sealsIntact: false, breach: { what: what.trim() } } : { sealsIntact: true },
        );
        breachId = answer?.breachId ?? null;
      },
      () => onDone(breachId),
    );
  };
  return (
    <form className="form take-in-form" onSubmit={submit} data-testid="take-in-form">
      <fieldset className="choice">
        <legend>{t("breach.takeIn.choice")}</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="seals"
            checked={seals === "intact"}
            onChange={() => setSeals("intact")}
            required
            data-testid="take-in-seals-intact"
          />
          {t("transfer.sealsIntact", { seals: transfer.dispatchRecord?.sealNumbers.join(", ") ?? "" })}
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="seals"
            checked={seals === "broken"}
            onChange={() => setSeals("broken")}
            required
            data-testid="take-in-seals-broken"
          />
          {t("breach.takeIn.broken")}
        </label>
      </fieldset>
      {seals === "broken" ? (
        <>
          <label>
            {t("breach.takeIn.what")}
            <textarea
              value={what}
              onChange={(e) => setWhat(e.target.value)}
              required
              rows={3}
              maxLength={4000}
              placeholder={t("breach.takeIn.whatHint")}
              data-testid="take-in-breach-what"
            />
          </label>
          <p className="hint">{t("breach.takeIn.brokenNote")}</p>
        </>
      ) : null}
      <ErrorBox error={error} />
      <button type="submit" disabled={busy} data-testid="take-in-submit">
        {t(seals === "broken" ? "breach.takeIn.submitBroken" : "transfer.receiveSubmit")}
      </button>
    </form>
  );
}

/** The pack names channels in running text ("state courier service"); a list shows them capitalised. */
function capitalized(text: string): string {
  return text.charAt(0).toLocaleUpperCase(currentLang()) + text.slice(1);
}

/**
 * Who acts next on a transfer, by its state and side (A5.2, A5.3, A5.6): a key of `transfer.next`
 * and the Party or body it names, or null once nobody has to.
 */
function nextStep(
  transfer: TransferViewT,
  party: string,
  otherParty: string,
): { key: string; party?: string; body?: string } | null {
  const out = transfer.direction === "out";
  switch (transfer.state) {
    case "requested":
      return { key: "consent", party };
    case "consented":
    case "confirmation_requested":
      return { key: "confirm", party: otherParty, body: transfer.receivingBody };
    case "confirmed":
      return { key: "dispatch", body: transfer.sendingBody };
    case "clearance-asked":
      return { key: "confirm", party, body: transfer.receivingBody };
    case "dispatched":
    case "incoming":
    case "clearance-confirmed":
      return out || transfer.state === "dispatched" || transfer.state === "incoming"
        ? { key: "receive", body: transfer.receivingBody }
        : { key: "awaitCarrier", party: otherParty };
    default:
      return null;
  }
}

/** The steps that open a form of their own rather than acting at once. */
const FORM_STEPS = new Set(["dispatch", "receive"]);

function TransferCard({ transfer, onChanged }: { transfer: TransferViewT; onChanged: () => void }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const { busy, error, run } = useSubmit();
  const [form, setForm] = useState<string | null>(null);
  // A11.1: the take-in recorded a breach (broken seals); the card says so once the list reloads.
  const [breachId, setBreachId] = useState<string | null>(null);
  const level = node.levels.find((l) => l.id === transfer.levelId);
  const next = nextStep(transfer, node.party, node.otherParty);
  const act = async (action: string, reason?: string) => {
    await run(async () => {
      await api(
        "POST",
        `/api/transfers/${encodeURIComponent(transfer.id)}/${action}`,
        reason ? { reason } : {},
      );
    }, onChanged);
  };
  return (
    <article className="card transfer" data-testid="transfer-card" data-state={transfer.state}>
      <header className="transfer-head">
        <h2>
          {transfer.carrierId ? (
            <>
              <a href={`#/carriers/${encodeURIComponent(transfer.carrierId)}`}>
                {transfer.registrationNumber}
              </a>{" "}
              — {transfer.carrierTitle}
            </>
          ) : (
            transfer.carrierTitle || `${t("transfer.contract")} ${transfer.contractNumber}`
          )}
        </h2>
        <LevelBadge rank={level?.rank ?? 0} name={level?.names[currentLang()] ?? transfer.levelId} />
      </header>
      <dl className="meta">
        <dt>{t("transfer.state")}</dt>
        <dd data-testid="transfer-state">{t(`transfer.states.${transfer.state}`, transfer.state)}</dd>
        {next ? (
          <>
            <dt>{t("transfer.nextStep")}</dt>
            <dd data-testid="transfer-next">
              {capitalized(
                t(`transfer.next.${next.key}`, {
                  party: next.party ? t(`party.${next.party}`) : "",
                  body: next.body ?? "",
                }),
              )}
            </dd>
          </>
        ) : null}
        <dt>{t("transfer.sendingBody")}</dt>
        <dd>{transfer.sendingBody}</dd>
        <dt>{t("transfer.receivingBody")}</dt>
        <dd>{transfer.receivingBody}</dd>
        <dt>{t("transfer.contract")}</dt>
        <dd>{transfer.contractNumber}</dd>
        {transfer.otherRegistration ? (
          <>
            <dt>{t("transfer.otherRegistration")}</dt>
            <dd data-testid="transfer-other-registration">{transfer.otherRegistration}</dd>
          </>
        ) : null}
        {transfer.receiptDueAt && transfer.state === "dispatched" ? (
          <>
            <dt>{t("transfer.receiptDue")}</dt>
            <dd>
              {formatDate(transfer.receiptDueAt, false)}{" "}
              {transfer.overdue ? (
                <span className="overdue" data-testid="transfer-overdue">
                  {t("transfer.overdue")}
                </span>
              ) : null}
            </dd>
          </>
        ) : null}
        {transfer.dispatchRecord ? (
          <>
            <dt>{t("transfer.channel")}</dt>
            <dd>{t(`transfer.physicalChannels.${transfer.dispatchRecord.channel}`)}</dd>
            <dt>{t("transfer.seals")}</dt>
            <dd data-testid="transfer-seals">{transfer.dispatchRecord.sealNumbers.join(", ")}</dd>
            <dt>{t("transfer.waybill")}</dt>
            <dd>{transfer.dispatchRecord.waybill}</dd>
          </>
        ) : null}
      </dl>
      {transfer.actions.includes("receive") ? <p className="hint">{t("transfer.inTransit")}</p> : null}
      {breachId ? (
        <p className="notice" role="status" data-testid="take-in-breach-recorded">
          {t("breach.takeIn.recorded")}{" "}
          <a href={`#/breaches/${encodeURIComponent(breachId)}`}>{t("breach.takeIn.openCase")}</a>
        </p>
      ) : null}
      {transfer.steps.length > 0 ? (
        <ol className="steps" aria-label={t("transfer.steps")}>
          {transfer.steps.map((s) => (
            <li key={`${s.state}-${s.at}`}>
              {t(`transfer.states.${s.state}`, s.state)}{" "}
              <span className="muted">
                {s.by ? `· ${s.by} ` : ""}· {formatDate(s.at)}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
      <ErrorBox error={error} />
      <div className="actions">
        {transfer.actions.map((action) =>
          FORM_STEPS.has(action) ? (
            <button
              key={action}
              type="button"
              disabled={busy}
              aria-expanded={form === action}
              onClick={() => setForm((f) => (f === action ? null : action))}
              data-testid={`transfer-action-${action}`}
            >
              {t(ACTION_LABELS[action] ?? action)}
            </button>
          ) : (
            <DecisionButton
              key={action}
              label={t(ACTION_LABELS[action] ?? action)}
              testId={`transfer-action-${action}`}
              danger={action.startsWith("refuse")}
              withReason={action.startsWith("refuse")}
              busy={busy}
              onDecide={(reason) => void act(action, reason)}
            />
          ),
        )}
      </div>
      {form === "dispatch" && transfer.actions.includes("dispatch") ? (
        <DispatchForm transfer={transfer} onDone={onChanged} />
      ) : null}
      {form === "receive" && transfer.actions.includes("receive") ? (
        <TakeInForm
          transfer={transfer}
          onDone={(id) => {
            setBreachId(id);
            onChanged();
          }}
        />
      ) : null}
    </article>
  );
}

export function TransfersPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useLoad(() => api<TransferViewT[]>("GET", "/api/transfers"), []);
  return (
    <div className="page">
      <h1>{t("transfer.title")}</h1>
      <ErrorBox error={error} />
      {loading && !data ? <Loading /> : null}
      {data && data.length === 0 ? <Empty text={t("transfer.empty")} /> : null}
      {(data ?? []).map((tr) => (
        <TransferCard key={tr.id} transfer={tr} onChanged={reload} />
      ))}
    </div>
  );
}
