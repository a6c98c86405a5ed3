// The route of the import of the repealed 2015 agreement's records (D3, A15.3): the file's text in a
// JSON body (size-limited), parsed in its format and given to the one use case; its report is the
// answer — a refused import too (`outcome: "refused"`, every problem with its line, field and
// message in the user's language), since the report is what the user corrects the file from. Roles,
// clearances and the audit entry are the use case's.
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { importPredecessorRecords } from "../../app/import/import-predecessor-records.ts";
import { IMPORT_FORMATS, parseImportFile } from "../../app/import/predecessor-format.ts";
import { describeError } from "../../domain/errors.ts";
import { defineRoute } from "../http/define-route.ts";
import type { RouteDeps } from "./index.ts";

/** The largest file the route takes (about 80 000 records); larger imports go through `kelisim import`. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

const ImportInput = z.object({
  format: z.enum(IMPORT_FORMATS),
  /** The file's text (UTF-8). */
  text: z.string().max(IMPORT_BODY_LIMIT),
  dryRun: z.boolean().default(false),
});

const ImportedCarrierRow = z.object({
  line: z.number().int(),
  oldNumber: z.string(),
  copy: z.number().int(),
  levelId: z.string(),
  marking: z.string(),
  nationalMarking: z.string().nullable(),
  originatorParty: z.string(),
  custodian: z.string(),
  registrationNumber: z.string().nullable(),
  id: z.string().nullable(),
});

const ImportProblemRow = z.object({
  line: z.number().int(),
  field: z.string().nullable(),
  code: z.string(),
  articles: z.array(z.string()),
  message: z.string(),
});

export const ImportReport = z.object({
  outcome: z.enum(["imported", "dry-run", "refused"]),
  importId: z.string(),
  format: z.enum(IMPORT_FORMATS),
  origin: z.string(),
  rows: z.number().int(),
  carriers: z.array(ImportedCarrierRow),
  problems: z.array(ImportProblemRow),
  byLevel: z.record(z.string(), z.number().int()),
  byOriginator: z.record(z.string(), z.number().int()),
});
export type ImportReportT = z.infer<typeof ImportReport>;

export function registerImportRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const { ctx } = deps;
  defineRoute(
    app,
    {
      method: "POST",
      url: "/api/import/predecessor",
      summary:
        "D3, A15.3: import carriers of the repealed 2015 agreement (docs/import-2015.md) into the registry, or check them (dryRun); every problem named by line and field, nothing written when there is one",
      tags: ["registry"],
      body: ImportInput,
      bodyLimit: IMPORT_BODY_LIMIT + 64 * 1024,
      response: ImportReport,
    },
    async ({ actor, body, lang }) => {
      const report = await importPredecessorRecords(ctx, {
        actor: actor.personId,
        file: parseImportFile(body.text, body.format),
        dryRun: body.dryRun,
      });
      return {
        ...report,
        carriers: [...report.carriers],
        problems: report.problems.map((p) => ({
          line: p.line,
          field: p.field,
          code: p.error.code,
          articles: [...p.error.articles],
          message: describeError(p.error, lang),
        })),
      };
    },
  );
}
