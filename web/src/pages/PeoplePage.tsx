import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { PasswordResetViewT } from "../../../src/api/routes/accounts.ts";
import type { PersonT } from "../../../src/api/schemas.ts";
import { api } from "../api.ts";
import { ErrorBox, LevelBadge, Loading, useLoad } from "../components/common.tsx";
import { ObligationsCell, useObligationsStanding } from "../components/ObligationsCell.tsx";
import { OrgName } from "../components/OrgName.tsx";
import { useApp } from "../context.ts";
import { currentLang, formatDate } from "../i18n.ts";

/** One step the server offered for a person, as the page names and sends it. */
type PersonStep =
  | { kind: "clearance"; change: PersonT["actions"]["clearance"][number] }
  | { kind: "remove-role"; role: string }
  | { kind: "deactivate" }
  | { kind: "reset-password" };

function stepsOf(person: PersonT): PersonStep[] {
  return [
    ...person.actions.clearance.map((change) => ({ kind: "clearance" as const, change })),
    ...person.actions.removeRoles.map((role) => ({ kind: "remove-role" as const, role })),
    ...(person.actions.deactivate ? [{ kind: "deactivate" as const }] : []),
    ...(person.actions.resetPassword ? [{ kind: "reset-password" as const }] : []),
  ];
}

function stepId(step: PersonStep): string {
  switch (step.kind) {
    case "clearance":
      return `clearance-${step.change}`;
    case "remove-role":
      return `remove-role-${step.role}`;
    default:
      return step.kind;
  }
}

/** Whether the step changes something that the audit log keeps a reason for. */
function takesReason(step: PersonStep): boolean {
  return step.kind === "clearance" || step.kind === "deactivate";
}

/**
 * A1.11, A4.2: what the actor may do to one person, as the server's answer says (the use cases
 * decide again). Each step is asked once more, saying what happens; a password reset then shows
 * the one-time password once.
 */
function PersonActions({
  person,
  onDone,
}: {
  person: PersonT;
  onDone: (message: string, reset?: PasswordResetViewT) => void;
}) {
  const { t } = useTranslation();
  const [asked, setAsked] = useState<PersonStep | null>(null);
  const [reason, setReason] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const steps = stepsOf(person);
  if (steps.length === 0) return <span className="muted">—</span>;
  const roleName = (role: string) => t(`role.${role}`, role);
  const label = (step: PersonStep) => {
    switch (step.kind) {
      case "clearance":
        return t(`standing.clearance.${step.change}`);
      case "remove-role":
        return t("standing.removeRole", { role: roleName(step.role) });
      case "deactivate":
        return t("standing.deactivate");
      case "reset-password":
        return t("standing.resetPassword");
    }
  };
  const what = (step: PersonStep) => {
    const name = person.name;
    switch (step.kind) {
      case "clearance":
        return t(`standing.what.${step.change}`, { name });
      case "remove-role":
        return t("standing.what.removeRole", { name, role: roleName(step.role) });
      case "deactivate":
        return t("standing.what.deactivate", { name });
      case "reset-password":
        return t("standing.what.resetPassword", { name });
    }
  };
  const id = encodeURIComponent(person.id);
  const body = reason.trim() ? { reason: reason.trim() } : {};
  const send = (step: PersonStep): Promise<unknown> => {
    switch (step.kind) {
      case "clearance":
        return api("POST", `/api/people/${id}/clearance/${step.change}`, body);
      case "remove-role":
        return api("DELETE", `/api/people/${id}/roles/${encodeURIComponent(step.role)}`);
      case "deactivate":
        return api("POST", `/api/people/${id}/deactivate`, body);
      case "reset-password":
        return api<PasswordResetViewT>("POST", `/api/people/${id}/password-reset`, {});
    }
  };
  const run = async (step: PersonStep) => {
    setBusy(true);
    setError(null);
    try {
      const result = await send(step);
      setAsked(null);
      setReason("");
      const message = t("standing.done", { action: label(step), name: person.name });
      onDone(message, step.kind === "reset-password" ? (result as PasswordResetViewT) : undefined);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="person-actions" data-testid="person-actions">
      {asked === null ? (
        <div className="actions">
          {steps.map((step) => (
            <button
              key={stepId(step)}
              type="button"
              className="secondary small"
              data-testid={`person-${stepId(step)}`}
              onClick={() => setAsked(step)}
            >
              {label(step)}
            </button>
          ))}
        </div>
      ) : (
        <fieldset className="confirm-step" data-testid="person-confirm">
          <legend>{label(asked)}</legend>
          <p>{what(asked)}</p>
          {takesReason(asked) ? (
            <label>
              {t("standing.reason")}
              <input
                value={reason}
                maxLength={2000}
                onChange={(e) => setReason(e.target.value)}
                data-testid="person-reason"
              />
            </label>
          ) : null}
          <div className="actions">
            <button
              type="button"
              className={
                asked.kind === "clearance" && asked.change === "reinstate" ? "small" : "danger small"
              }
              disabled={busy}
              data-testid="person-confirm-yes"
              onClick={() => void run(asked)}
            >
              {t("standing.confirmYes", { action: label(asked) })}
            </button>
            <button
              type="button"
              className="secondary small"
              disabled={busy}
              onClick={() => {
                setAsked(null);
                setError(null);
              }}
            >
              {t("standing.confirmNo")}
            </button>
          </div>
        </fieldset>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

/** A4.2: the one-time password of a reset, shown once to the administrator who made it. */
function OneTimePassword({ reset, onClose }: { reset: PasswordResetViewT; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="card one-time" data-testid="one-time-password" aria-live="polite">
      <h2>{t("standing.oneTimeTitle", { username: reset.username })}</h2>
      <p>
        <code className="secret" data-testid="one-time-password-value">
          {reset.oneTimePassword}
        </code>
      </p>
      <p className="hint">{t("standing.oneTimeText")}</p>
      <button type="button" onClick={onClose} data-testid="one-time-password-done">
        {t("standing.oneTimeDone")}
      </button>
    </section>
  );
}

export function PeoplePage() {
  const { t } = useTranslation();
  const { node } = useApp();
  const { data, error, loading, reload } = useLoad(() => api<PersonT[]>("GET", "/api/people"), []);
  const obligations = useObligationsStanding();
  const [done, setDone] = useState<string | null>(null);
  const [reset, setReset] = useState<PasswordResetViewT | null>(null);
  const anyActions = (data ?? []).some((p) => stepsOf(p).length > 0);
  return (
    <div className="page">
      <h1>{t("people.title")}</h1>
      <ErrorBox error={error} />
      {reset ? <OneTimePassword reset={reset} onClose={() => setReset(null)} /> : null}
      {done ? (
        <p className="ok" role="status" data-testid="person-done">
          {done}
        </p>
      ) : null}
      {loading && !data ? <Loading /> : null}
      {data ? (
        <div className="table-wrap">
          <table className="people-table">
            <thead>
              <tr>
                <th>{t("people.name")}</th>
                <th>{t("common.organisation")}</th>
                <th>{t("people.roles")}</th>
                <th>{t("people.clearance")}</th>
                <th>{t("common.validUntil")}</th>
                <th>{t("obligations.column")}</th>
                {anyActions ? <th>{t("standing.actions")}</th> : null}
              </tr>
            </thead>
            <tbody>
              {data.map((p) => {
                const level = p.clearance
                  ? node.levels.find((l) => l.id === p.clearance?.levelId)
                  : undefined;
                return (
                  <tr
                    key={p.id}
                    className={p.disabled ? "disabled" : ""}
                    data-testid="person"
                    data-person={p.id}
                    data-suspended={p.clearanceSuspended ? "true" : "false"}
                  >
                    <td>
                      {p.name}
                      {p.disabled ? <span className="muted"> ({t("people.disabled")})</span> : null}
                    </td>
                    <td className="col-org">
                      <OrgName name={p.organisationName} />
                    </td>
                    <td>{p.roles.map((r) => t(`role.${r}`, r)).join(", ")}</td>
                    <td>
                      {level ? (
                        <LevelBadge rank={level.rank} name={level.names[currentLang()] ?? level.id} />
                      ) : (
                        "—"
                      )}
                      {p.clearanceSuspended ? (
                        <span className="status status-suspended" data-testid="person-suspended">
                          {t("standing.suspended")}
                        </span>
                      ) : null}
                    </td>
                    <td className="nowrap">{formatDate(p.clearance?.validUntil, false)}</td>
                    <td>
                      <ObligationsCell standing={obligations.get(p.id)} />
                    </td>
                    {anyActions ? (
                      <td className="col-actions">
                        <PersonActions
                          person={p}
                          onDone={(message, result) => {
                            setDone(message);
                            setReset(result ?? null);
                            reload();
                          }}
                        />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
