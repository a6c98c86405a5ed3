// What every use case of a node receives: its database, its configuration and agreement pack, and
// the effects the domain may not touch (clock, identifiers). Tests pass their own clock.
import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { buildPackHistory, type PackVersion, packAt } from "../domain/agreement/amendment.ts";
import type { AgreementPack } from "../domain/agreement/pack-schema.ts";
import type { NodeConfig } from "../node/node-config.ts";
import type { OpenNode } from "../node/open-node.ts";
import type { StoreDialect } from "../store/columns.ts";
import type { Database } from "../store/schema.ts";

/**
 * A14: the versions of the node's pack (the signed pack, then one per amendment protocol in force)
 * as last read from the store; `key` names the protocols it was built from.
 */
export type PackHistory = { versions: PackVersion[]; key: string };

export type AppContext = {
  readonly db: Kysely<Database>;
  readonly dialect: StoreDialect;
  readonly config: NodeConfig;
  /**
   * The agreement pack in force at `now()` (A14): read anew at each use when the context carries
   * `packs` (see {@link withLivePack}), fixed otherwise.
   */
  readonly pack: AgreementPack;
  /** A14: the pack's versions, refreshed by every use case and message handler from the store. */
  readonly packs?: PackHistory;
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
  return withLivePack({
    db: node.db,
    dialect: node.dialect,
    config: node.config,
    pack,
    packs: { versions: buildPackHistory(pack, []), key: "" },
    dataDir: node.location.dataDir,
    now: effects.now ?? (() => new Date()),
    newId: effects.newId ?? randomUUID,
  });
}

/**
 * `ctx` with `changes` (another clock, the flows' parts), its `pack` read at each use as the
 * version in force at the context's own clock (A14). A plain spread would freeze the pack of the
 * moment it was made: every derived context is made here.
 */
export function withLivePack<C extends AppContext>(ctx: C, changes: Partial<C> = {}): C {
  const packs = ctx.packs;
  const out = { ...ctx, ...changes } as C;
  if (!packs) return out;
  Object.defineProperty(out, "pack", {
    enumerable: true,
    configurable: true,
    get(this: C): AgreementPack {
      return packAt(packs.versions, this.now().toISOString());
    },
  });
  return out;
}
