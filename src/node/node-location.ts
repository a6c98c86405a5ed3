// Where a node lives: kept apart from `open-node.ts` so that verbs which only need the data
// directory (seal, open, pki) do not load the database drivers.
import { resolve } from "node:path";

/** The default data directory, relative to the working directory (ignored by git). */
export const DEFAULT_DATA_DIR = ".kelisim";

export type NodeLocation = {
  /** Absolute path of the data directory. */
  readonly dataDir: string;
  /** PostgreSQL URL when the node's database is PostgreSQL; absent for the SQLite file. */
  readonly databaseUrl?: string;
};

/**
 * Resolves where the node is: `--data DIR`, else `KELISIM_DATA`, else `./.kelisim`; the database is
 * PostgreSQL when `DATABASE_URL` is set, else the SQLite file in the data directory.
 */
export function resolveNodeLocation(
  options: { data?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): NodeLocation {
  const dataDir = resolve(options.data ?? env.KELISIM_DATA ?? DEFAULT_DATA_DIR);
  const databaseUrl = env.DATABASE_URL?.trim();
  return databaseUrl ? { dataDir, databaseUrl } : { dataDir };
}
