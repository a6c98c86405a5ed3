// Test support: a fresh, initialised node on SQLite or PostgreSQL, with its use-case context.
//
//   const node = await createTestNode("sqlite", { party: "KZ", now: clock.now });
//   await registerOrganisation(node.ctx, { actor: "admin", name: "Ministry of Defence" });
//   …
//   await node.cleanup();
//
// SQLite: the database is the file in a fresh data directory. PostgreSQL: a fresh schema selected
// through DATABASE_URL (dropped by cleanup); config and keys in a fresh data directory either way.
// `withFixedClock()` gives a settable clock for tests of validity periods.
import { rmSync } from "node:fs";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { type AppContext, createAppContext } from "../../src/app/context.ts";
import { initNode } from "../../src/app/node/init-node.ts";
import { type NodeLocation, type OpenNode, openNode } from "../../src/node/open-node.ts";
import type { StoreDialect } from "../../src/store/columns.ts";
import { createTestPostgresSchema, makeTempDir } from "./databases.ts";

export type TestNode = {
  readonly ctx: AppContext;
  readonly node: OpenNode;
  readonly location: NodeLocation;
  /** The PostgreSQL URL (with its schema) when the dialect is postgres: DATABASE_URL for the CLI. */
  readonly databaseUrl?: string;
  cleanup(): Promise<void>;
};

/** A settable clock: `now()` returns the instant last set (start: 2026-06-01T09:00:00Z). */
export function withFixedClock(start = "2026-06-01T09:00:00.000Z") {
  let current = new Date(start);
  return {
    now: () => new Date(current.getTime()),
    set: (iso: string) => {
      current = new Date(iso);
    },
    advance: (ms: number) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/** The location of a fresh node: a temp data directory, and a fresh schema on PostgreSQL. */
export async function createTestLocation(
  dialect: StoreDialect,
): Promise<{ location: NodeLocation; cleanup: () => Promise<void> }> {
  const dataDir = makeTempDir("kelisim-node-");
  if (dialect === "sqlite") {
    return { location: { dataDir }, cleanup: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const schema = await createTestPostgresSchema();
  return {
    location: { dataDir, databaseUrl: schema.url },
    cleanup: async () => {
      await schema.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Initialises a node (competent authority + `admin`) and opens it. */
export async function createTestNode(
  dialect: StoreDialect,
  options: { party?: string; now?: () => Date; registrationFormat?: string } = {},
): Promise<TestNode> {
  const { location, cleanup } = await createTestLocation(dialect);
  try {
    await initNode({
      location,
      party: options.party ?? "KZ",
      ...(options.now ? { now: options.now } : {}),
      ...(options.registrationFormat ? { registrationFormat: options.registrationFormat } : {}),
    });
    const node = await openNode(location);
    const pack = await loadAgreementPack(node.config.agreementId);
    const ctx = createAppContext(node, pack, options.now ? { now: options.now } : {});
    return {
      ctx,
      node,
      location,
      ...(location.databaseUrl ? { databaseUrl: location.databaseUrl } : {}),
      async cleanup() {
        await node.close();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
