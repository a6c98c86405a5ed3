// What every use case of a node receives: its database, its configuration and agreement pack, and
// the effects the domain may not touch (clock, identifiers). Tests pass their own clock.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import type { NodeConfig } from "../node/node-config.ts";
import type { OpenNode } from "../node/open-node.ts";
import type { StoreDialect } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";

export type AppContext = {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  readonly config: NodeConfig;
  readonly pack: AgreementPack;
  /** The node's data directory (config, keys, SQLite file, blobs). */
  readonly dataDir: string;
  readonly now: () => Date;
  readonly newId: () => string;
};

/** The context of an open node, with the system clock unless another is given. */
export function createAppContext(
  node: OpenNode,
  pack: AgreementPack,
  effects: { now?: () => Date; newId?: () => string } = {},
): AppContext {
  return {
    db: node.db,
    dialect: node.dialect,
    config: node.config,
    pack,
    dataDir: node.location.dataDir,
    now: effects.now ?? (() => new Date()),
    newId: effects.newId ?? randomUUID,
  };
}
