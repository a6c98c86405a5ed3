// The node a benchmark measures: initialised on SQLite (a temp directory) or PostgreSQL (a fresh
// schema in KELISIM_BENCH_DATABASE_URL, else the test server), with bodies whose registry officers
// are cleared and have acknowledged their obligations (A4.4). Shared by the benchmarks under bench/.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { loadAgreementPack } from "../../src/agreements/load-pack.ts";
import { type AppContext, createAppContext } from "../../src/app/context.ts";
import { initNode } from "../../src/app/node/init-node.ts";
import { grantFacilityClearance } from "../../src/app/organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../../src/app/organisations/register-organisation.ts";
import { acknowledgeObligations, showObligations } from "../../src/app/people/acknowledge-obligations.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { type NodeLocation, type OpenNode, openNode } from "../../src/node/open-node.ts";
import type { StoreDialect } from "../../src/store/columns.ts";

export const PG_URL = process.env.KELISIM_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type Bench = { ctx: AppContext; node: OpenNode; location: NodeLocation; cleanup: () => Promise<void> };

export async function createNode(dialect: StoreDialect): Promise<Bench> {
  const dataDir = mkdtempSync(join(tmpdir(), "kelisim-bench-"));
  let schema: string | undefined;
  let location: NodeLocation = { dataDir };
  if (dialect === "postgres") {
    schema = `bench_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    await admin.end();
    const url = new URL(PG_URL);
    url.searchParams.set("options", `-c search_path=${schema}`);
    location = { dataDir, databaseUrl: url.toString() };
  }
  await initNode({ location, party: "KZ", registrationFormat: "{party}-{year}-{seq:7}" });
  const node = await openNode(location);
  const ctx = createAppContext(node, await loadAgreementPack(node.config.agreementId));
  return {
    ctx,
    node,
    location,
    async cleanup() {
      await node.close();
      if (process.env.KELISIM_BENCH_KEEP) {
        console.log(`  kept ${dataDir}${schema ? ` and schema ${schema}` : ""} (KELISIM_BENCH_KEEP)`);
        return;
      }
      if (schema) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`drop schema "${schema}" cascade`);
        await admin.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `count` bodies (`Body 0`…), each with a cleared registry officer `reg<N>`; a competent authority officer `ca`. */
export async function seedBodies(ctx: AppContext, count = 4): Promise<string[]> {
  await registerPerson(ctx, {
    actor: "admin",
    organisation: "competent-authority",
    handle: "ca",
    name: "CA Officer",
    roles: ["competent-authority-officer"],
  });
  const bodies: string[] = [];
  for (let b = 0; b < count; b++) {
    const org = await registerOrganisation(ctx, { actor: "admin", name: `Body ${b}` });
    bodies.push(org.id);
    await grantFacilityClearance(ctx, {
      actor: "ca",
      organisation: org.id,
      level: "special-importance",
      validFrom: "2026-01-01",
      validTo: "2040-12-31",
    });
    await registerPerson(ctx, {
      actor: "admin",
      organisation: org.id,
      handle: `reg${b}`,
      name: `Registry ${b}`,
      roles: ["registry-officer"],
    });
    // A4.4: the registry officer acknowledged their obligations before any access.
    await acknowledgeObligations(ctx, {
      actor: `reg${b}`,
      version: (await showObligations(ctx, { actor: `reg${b}` })).version,
    });
    await grantPersonalClearance(ctx, {
      actor: "ca",
      person: `reg${b}`,
      level: "special-importance",
      validFrom: "2026-01-01",
      validTo: "2040-12-31",
    });
  }
  return bodies;
}
