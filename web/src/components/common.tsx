import { type DependencyList, useCallback, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiFailure } from "../api.ts";
import { formatArticles } from "../i18n.ts";

export type Loaded<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => void };

/**
 * Loads data for a page and reloads it when the dependencies change, and when the language changes
 * (a server's message comes in the request's language). A load that is overtaken (new dependencies,
 * a reload, the page gone) is aborted through the `signal` it is given, and its answer, should it
 * still come, is dropped. `languageReload: "on-error"` is for a read that is itself an audited access
 * decision (a carrier's page, A4.2): a language switch then reloads only to show a refusal in the new
 * language, so one page view stays one access entry.
 */
export function useLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
  options: { readonly languageReload?: "always" | "on-error" } = {},
): Loaded<T> {
  const { i18n } = useTranslation();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const [language, setLanguage] = useState(i18n.language);
  const followLanguage = options.languageReload !== "on-error" || error !== undefined;
  if (followLanguage && language !== i18n.language) setLanguage(i18n.language);
  // biome-ignore lint/correctness/useExhaustiveDependencies: deps are the caller's
  useEffect(() => {
    const run = new AbortController();
    const live = () => !run.signal.aborted;
    setLoading(true);
    load(run.signal)
      .then((value) => {
        if (!live()) return;
        setData(value);
        setError(undefined);
      })
      .catch((e: unknown) => {
        if (live()) setError(e);
      })
      .finally(() => {
        if (live()) setLoading(false);
      });
    return () => run.abort();
  }, [...deps, tick, language]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
}

/**
 * Reloads every `everyMs` for at most ten minutes after the page was opened, so a page between the
 * two Parties shows the other node's messages and receipts as they arrive. Each load is one audited
 * reading: the pace stays slow (faster only while a message of ours is pending).
 */
export function useReloadEvery(everyMs: number, reload: () => void): void {
  useEffect(() => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (Date.now() - started > 600_000) clearInterval(timer);
      else reload();
    }, everyMs);
    return () => clearInterval(timer);
  }, [reload, everyMs]);
}

/**
 * A step the user sends to the server (a form, a button): `busy` while it runs, the refusal the
 * server gave (`error`) if it failed; `onDone` runs after success.
 */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = useCallback(async (work: () => Promise<unknown>, onDone?: () => void) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
      onDone?.();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}

/** A refusal as the server gave it: the rule's articles and the message in the user's language. */
export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiFailure) {
    return (
      <div className="error-box" role="alert" data-testid="error" data-code={error.code}>
        {error.articles.length > 0 ? <strong>{formatArticles(error.articles)} — </strong> : null}
        {error.message}
      </div>
    );
  }
  return (
    <div className="error-box" role="alert" data-testid="error">
      {error instanceof Error ? error.message : String(error)}
    </div>
  );
}

export function Loading() {
  const { t } = useTranslation();
  return <p className="loading">{t("common.loading")}</p>;
}

export function Empty({ text }: { text: string }) {
  return <p className="empty">{text}</p>;
}

/** A level's name in the current language, from the agreement pack the node sent. */
export function LevelBadge({ rank, name }: { rank: number; name: string }) {
  return <span className={`level-badge level-${rank}`}>{name}</span>;
}

/**
 * A decision that is recorded and acted on at once (a consent, a refusal, a confirmation sent to the
 * other Party): it cannot be taken back, so the button asks once more; a refusal may carry its reason.
 */
export function DecisionButton({
  label,
  testId,
  danger = false,
  busy,
  withReason = false,
  onDecide,
}: {
  label: string;
  testId: string;
  danger?: boolean;
  busy: boolean;
  withReason?: boolean;
  onDecide: (reason: string | undefined) => void;
}) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState("");
  const className = danger ? "danger" : "";
  if (!asking)
    return (
      <button
        type="button"
        className={className}
        disabled={busy}
        aria-expanded={false}
        onClick={() => setAsking(true)}
        data-testid={testId}
      >
        {label}
      </button>
    );
  return (
    <fieldset className="confirm-step" data-testid={`${testId}-ask`}>
      <legend>{t("common.confirmDecision", { action: label })}</legend>
      {withReason ? (
        <label>
          {t("consent.reason")}
          <input
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid={`${testId}-reason`}
          />
        </label>
      ) : null}
      <div className="actions">
        <button
          type="button"
          className={className}
          disabled={busy}
          onClick={() => {
            setAsking(false);
            onDecide(withReason && reason.trim() ? reason.trim() : undefined);
          }}
          data-testid={`${testId}-yes`}
        >
          {label}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() => setAsking(false)}
          data-testid={`${testId}-no`}
        >
          {t("common.cancel")}
        </button>
      </div>
    </fieldset>
  );
}
