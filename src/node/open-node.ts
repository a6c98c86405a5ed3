// Where a node lives and how it is opened: the data directory (config + keys, and the SQLite file
// unless DATABASE_URL names a PostgreSQL), the database checked for durability and migrated.
import { existsSync, mkdirSync } from "node:fs";
import type { Kysely } from "kysely";
import { DomainError } from "../domain/errors.ts";
import type { StoreDialect } from "../store/columns.ts";
import { openDatabase } from "../store/open-database.ts";
import type { Database } from "../store/schema.ts";
import { type NodeConfig, readNodeConfig } from "./node-config.ts";
import type { NodeLocation } from "./node-location.ts";

export { DEFAULT_DATA_DIR, type NodeLocation, resolveNodeLocation } from "./node-location.ts";

/** An open node: its configuration and its database. */
export type OpenNode = {
  readonly location: NodeLocation;
  readonly config: NodeConfig;
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  close(): Promise<void>;
};

/** Opens the database of a location (creating the data directory, mode 0700, when needed). */
export async function openNodeDatabase(location: NodeLocation) {
  if (!existsSync(location.dataDir)) mkdirSync(location.dataDir, { recursive: true, mode: 0o700 });
  return location.databaseUrl
    ? openDatabase({ url: location.databaseUrl })
    : openDatabase({ dataDir: location.dataDir });
}

/**
 * Opens an initialised node: reads its configuration, opens (and migrates) its database, and refuses
 * a database that belongs to another node (its recorded node id differs).
 */
export async function openNode(location: NodeLocation): Promise<OpenNode> {
  const config = readNodeConfig(location.dataDir);
  const opened = await openNodeDatabase(location);
  try {
    const recorded = await opened.db
      .selectFrom("node_settings")
      .select("value")
      .where("name", "=", "node_id")
      .executeTakeFirst();
    if (recorded?.value !== config.nodeId) {
      throw new DomainError("INPUT_INVALID", {
        field: "database",
        problem: recorded
          ? `the database belongs to node ${recorded.value}, not to this data directory's node ${config.nodeId}`
          : "the database is not initialised for this node; run `kelisim node init` with the same database",
      });
    }
  } catch (error) {
    await opened.close();
    throw error;
  }
  return { location, config, db: opened.db, dialect: opened.dialect, close: () => opened.close() };
}
