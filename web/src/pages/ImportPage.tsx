import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { ImportReportT } from "../../../src/api/routes/import.ts";
import { api } from "../api.ts";
import { DecisionButton, ErrorBox, useSubmit } from "../components/common.tsx";
import { useApp } from "../context.ts";
import { currentLang } from "../i18n.ts";

/**
 * D3, A15.3: records of the repealed 2015 agreement. A file is chosen and checked (a dry run: every
 * problem with its line and field, what would be imported); only a file without problems can then
 * be imported. The server decides everything and records each step.
 */
export function ImportPage() {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [report, setReport] = useState<ImportReportT | null>(null);
  const submit = useSubmit();
  const format = file?.name.toLowerCase().endsWith(".json") ? "json" : "csv";

  const send = (dryRun: boolean) =>
    submit.run(async () => {
      if (!file) return;
      setReport(
        await api<ImportReportT>("POST", "/api/import/predecessor", { format, text: file.text, dryRun }),
      );
    });

  const choose = async (chosen: File | undefined) => {
    setReport(null);
    setFile(chosen ? { name: chosen.name, text: await chosen.text() } : null);
  };

  const checked = report?.outcome === "dry-run" && report.problems.length === 0;
  return (
    <div className="page">
      <h1>{t("import.title")}</h1>
      <p className="intro">{t("import.intro")}</p>
      <div className="form-row">
        <label htmlFor="import-file">{t("import.file")}</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,.json,text/csv,application/json"
          data-testid="import-file"
          onChange={(e) => void choose(e.target.files?.[0])}
        />
      </div>
      <div className="actions">
        <button
          type="button"
          disabled={!file || submit.busy}
          onClick={() => void send(true)}
          data-testid="import-check"
        >
          {submit.busy && !checked ? t("import.checking") : t("import.check")}
        </button>
        {checked ? (
          // D3: the records become carriers of the registry at once: the button asks once more.
          <DecisionButton
            label={submit.busy ? t("import.importing") : t("import.import", { n: report.carriers.length })}
            testId="import-run"
            busy={submit.busy}
            onDecide={() => void send(false)}
          />
        ) : null}
      </div>
      <ErrorBox error={submit.error} />
      {report ? <ImportReportView report={report} /> : null}
    </div>
  );
}

function ImportReportView({ report }: { report: ImportReportT }) {
  const { t } = useTranslation();
  const { node } = useApp();
  const levelName = (id: string) => node.levels.find((l) => l.id === id)?.names[currentLang()] ?? id;
  // All or nothing (D3): with a problem nothing would be imported, so no count of what would.
  const blocked = report.problems.length > 0;
  return (
    <section data-testid="import-report" data-outcome={report.outcome}>
      <p>
        {t("import.rows", { n: report.rows })}
        {report.outcome === "imported"
          ? ` · ${t("import.imported", { n: report.carriers.length })}`
          : blocked
            ? ""
            : ` · ${t("import.willImport", { n: report.carriers.length })}`}
      </p>
      {report.outcome === "refused" ? (
        <p className="error-box" role="alert">
          {t("import.refused")}
        </p>
      ) : null}
      {report.problems.length > 0 ? (
        <>
          <h2>{t("import.problems", { n: report.problems.length })}</h2>
          <div className="table-wrap">
            <table data-testid="import-problems">
              <thead>
                <tr>
                  <th>{t("import.col.line")}</th>
                  <th>{t("import.col.field")}</th>
                  <th>{t("import.col.problem")}</th>
                </tr>
              </thead>
              <tbody>
                {report.problems.map((p) => (
                  <tr key={`${p.line}-${p.field ?? ""}-${p.code}`} data-code={p.code}>
                    <td>{p.line}</td>
                    <td>
                      <code>{p.field ?? "—"}</code>
                    </td>
                    <td>{p.message}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p>{t("import.noProblems")}</p>
      )}
      {report.carriers.length > 0 && !(blocked && report.outcome !== "imported") ? (
        <div className="table-wrap">
          <h2>{t("import.carriersTitle", { n: report.carriers.length })}</h2>
          <table data-testid="import-carriers">
            <thead>
              <tr>
                <th>{t("import.col.line")}</th>
                <th>{t("import.col.oldNumber")}</th>
                <th>{t("import.col.level")}</th>
                <th>{t("import.col.markings")}</th>
                <th>{t("import.col.custodian")}</th>
                <th>{t("import.col.registration")}</th>
              </tr>
            </thead>
            <tbody>
              {report.carriers.map((c) => (
                <tr key={`${c.line}`}>
                  <td>{c.line}</td>
                  <td className="nowrap">
                    {c.oldNumber}/{c.copy}
                  </td>
                  <td className="nowrap">{levelName(c.levelId)}</td>
                  <td>{c.nationalMarking ? `${c.marking} / ${c.nationalMarking}` : c.marking}</td>
                  <td>{c.custodian}</td>
                  <td>
                    {c.id && c.registrationNumber ? (
                      <a href={`#/carriers/${encodeURIComponent(c.id)}`}>{c.registrationNumber}</a>
                    ) : (
                      "—"
                    )}
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

/** D3: the badge of a carrier imported from the 2015 agreement's register (its old number and marking on hover). */
export function PredecessorFlag({
  predecessor,
}: {
  predecessor: { oldNumber: string; oldCopy: number; oldMarking: string } | null | undefined;
}) {
  const { t } = useTranslation();
  if (!predecessor) return null;
  return (
    <span
      className="status"
      data-testid="predecessor-flag"
      title={t("import.originTitle", {
        number: predecessor.oldNumber,
        copy: predecessor.oldCopy,
        marking: predecessor.oldMarking,
      })}
    >
      {t("import.origin")}
    </span>
  );
}
