/**
 * Reads an agreement pack from disk (`agreements/<id>/*.json`) and hands it to the pure parser
 * of the domain. Every failure names the file: a missing file is PACK_NOT_FOUND, bad JSON or a
 * schema/cross-check failure is PACK_INVALID with the field.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { AgreementPack, PackFileName } from "../domain/agreement/pack-schema.ts";
import { PACK_FILES, parseAgreementPack } from "../domain/agreement/pack-schema.ts";
import { DomainError } from "../domain/errors.ts";

/** The directory holding the packs shipped with Kelisim (`<checkout>/agreements`). */
export const DEFAULT_AGREEMENTS_DIR = resolve(fileURLToPath(new URL("../../agreements", import.meta.url)));

/** The agreements directory to use: `KELISIM_AGREEMENTS_DIR` if set, else the shipped one. */
export function resolveAgreementsDir(dir?: string): string {
  return resolve(dir ?? process.env.KELISIM_AGREEMENTS_DIR ?? DEFAULT_AGREEMENTS_DIR);
}

/**
 * Loads and validates the pack `id` from `dir` (the directory that holds pack folders; default
 * {@link resolveAgreementsDir}).
 * @throws DomainError PACK_NOT_FOUND | PACK_INVALID
 */
export async function loadAgreementPack(id: string, dir?: string): Promise<AgreementPack> {
  const packDir = packDirectory(id, dir);
  const entries = await Promise.all(
    PACK_FILES.map(async (file) => {
      try {
        return [file, await readFile(join(packDir, file), "utf8")] as const;
      } catch (error) {
        throw notFound(id, packDir, file, error);
      }
    }),
  );
  return parseTexts(id, entries);
}

/** Synchronous {@link loadAgreementPack}, for CLI start-up and tests. */
export function loadAgreementPackSync(id: string, dir?: string): AgreementPack {
  const packDir = packDirectory(id, dir);
  const entries = PACK_FILES.map((file) => {
    try {
      return [file, readFileSync(join(packDir, file), "utf8")] as const;
    } catch (error) {
      throw notFound(id, packDir, file, error);
    }
  });
  return parseTexts(id, entries);
}

function packDirectory(id: string, dir?: string): string {
  // An id is a folder name, never a path: refuse anything that could walk out of the directory.
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
    throw new DomainError("PACK_NOT_FOUND", { agreement: id, file: "(directory)" });
  }
  return join(resolveAgreementsDir(dir), id);
}

function notFound(id: string, packDir: string, file: PackFileName, cause: unknown): DomainError {
  return new DomainError("PACK_NOT_FOUND", { agreement: id, file: join(packDir, file) }, { cause });
}

function parseTexts(id: string, entries: readonly (readonly [PackFileName, string])[]): AgreementPack {
  const json = {} as Record<PackFileName, unknown>;
  for (const [file, text] of entries) {
    try {
      json[file] = JSON.parse(text);
    } catch (error) {
      throw new DomainError(
        "PACK_INVALID",
        {
          agreement: id,
          file,
          field: "(json)",
          problem: error instanceof Error ? error.message : String(error),
        },
        { cause: error },
      );
    }
  }
  return parseAgreementPack(id, json);
}
