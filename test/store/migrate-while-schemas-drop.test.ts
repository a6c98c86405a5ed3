// The store on PostgreSQL migrates a new schema while other schemas are dropped (as parallel test
// files drop theirs): the migration must not fail for another schema's sake (Kysely lists every
// schema's tables to find its own migration tables).
import { describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/databases.ts";

describe("PostgreSQL migrations beside schemas being dropped", () => {
  it("migrates new schemas while others are dropped", { timeout: 120_000 }, async () => {
    const others = await Promise.all(Array.from({ length: 12 }, () => openTestDatabase("postgres")));
    const drops = Promise.all(others.map((db) => db.cleanup()));
    const opened = await Promise.allSettled(Array.from({ length: 4 }, () => openTestDatabase("postgres")));
    await drops;
    const failures = opened.filter((r) => r.status === "rejected").map((r) => String(r.reason));
    for (const r of opened) if (r.status === "fulfilled") await r.value.cleanup();
    expect(failures).toEqual([]);
  });
});
