// A1.8, A6.6 through the use case: a committed destruction always says so. With another connection
// reading the SQLite database (the WAL cannot be truncated) it completes the cryptographic erasure
// and reports the WAL as residue that opens nothing; when an erasure step cannot run (the key store
// cannot be written) it reports what remains, and the next destruction finishes it by itself.
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { registerCarrier } from "../../src/app/carriers/register-carrier.ts";
import { createFlowContext } from "../../src/app/transfer/flow-context.ts";
import { bucketKeyStorePath } from "../../src/crypto/at-rest/bucket-key-store.ts";
import { openWrappedKeyWithStore } from "../../src/crypto/at-rest/content-vault.ts";
import { loadContentWrapKey } from "../../src/crypto/at-rest/wrap-key.ts";
import { SQLITE_FILE_NAME } from "../../src/store/open-database.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";
import { seedRegistry } from "./registry-fixture.ts";

for (const dialect of DIALECTS) {
  describe(`destruction reports its erasure [${dialect}]`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await createTestNode(dialect);
      await seedRegistry(node.ctx);
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    const register = (title: string) =>
      registerCarrier(node.ctx, {
        actor: "reg",
        kind: "electronic-file",
        title,
        level: "secret",
        contract: "C-1",
        content: Buffer.from(`MARKER ${title} ${"x".repeat(5000)}`),
      });
    const wrappedOf = async (id: string) =>
      Buffer.from(
        (
          await node.ctx.db
            .selectFrom("content_keys")
            .select("wrapped_key")
            .where("carrier_id", "=", id)
            .executeTakeFirstOrThrow()
        ).wrapped_key,
      );
    const opens = (id: string, wrapped: Buffer) =>
      openWrappedKeyWithStore(
        { dataDir: node.location.dataDir, wrapKey: loadContentWrapKey(node.location.dataDir) },
        id,
        wrapped,
      );
    const destroy = async (id: string) => {
      const flows = createFlowContext(node.ctx);
      try {
        return await destroyCarrier(flows, { actor: "reg", carrier: id });
      } finally {
        flows.exchange.close();
      }
    };

    it(
      dialect === "sqlite"
        ? "A1.8, A6.6: with another connection reading the database, the destruction commits, completes the erasure without waiting and reports the WAL it could not truncate as residue that opens nothing"
        : "A1.8, A6.6: the destruction commits, completes the erasure and reports PostgreSQL's dead row versions as residue that opens nothing",
      async () => {
        const keep = await register("kept");
        const carrier = await register("destroyed with a reader");
        const wrapped = await wrappedOf(carrier.id);
        let reader: BetterSqlite3.Database | null = null;
        if (dialect === "sqlite") {
          reader = new BetterSqlite3(join(node.location.dataDir, SQLITE_FILE_NAME), { readonly: true });
          reader.exec("begin");
          reader.prepare("select count(*) from content_keys").get();
        }
        const started = Date.now();
        try {
          const result = await destroy(carrier.id);
          expect(result.state).toBe("destroyed");
          expect(result.contentErased).toBe(true);
          expect(result.erasure).toMatchObject({ committed: true, complete: true, pending: [] });
          expect(result.erasure.residue.join("\n")).toMatch(
            dialect === "sqlite" ? /another connection reads it.*open nothing/ : /pg_wal.*open nothing/,
          );
        } finally {
          reader?.exec("commit");
          reader?.close();
        }
        expect(Date.now() - started).toBeLessThan(5000); // not the 10 s busy timeout
        if (dialect === "sqlite") {
          const { rows } = await sql<{ timeout: number }>`pragma busy_timeout`.execute(node.ctx.db);
          expect(rows[0]?.timeout).toBe(10_000); // restored after the checkpoint
        }
        expect(opens(carrier.id, wrapped)).toBeNull();
        expect(opens(keep.id, await wrappedOf(keep.id))).not.toBeNull();
      },
    );

    it("A1.8: when the key store cannot be written the committed destruction still says so and what remains; the next destruction finishes it", async () => {
      const first = await register("first");
      const second = await register("second");
      const survivor = await register("survivor");
      const wrappedFirst = await wrappedOf(first.id);
      // A directory where the key store writes its temporary file: every write of it fails.
      const blocker = `${bucketKeyStorePath(node.location.dataDir)}.tmp`;
      mkdirSync(blocker);
      let failed: Awaited<ReturnType<typeof destroy>>;
      try {
        failed = await destroy(first.id);
      } finally {
        rmSync(blocker, { recursive: true });
      }
      expect(failed.state).toBe("destroyed");
      expect(failed.erasure.committed).toBe(true);
      expect(failed.erasure.complete).toBe(false);
      expect(failed.erasure.pending.join("\n")).toMatch(/A1\.8: bucket [0-9a-f]+'s key is not yet replaced/);
      expect(opens(first.id, wrappedFirst)).not.toBeNull(); // truthfully not erased yet

      const done = await destroy(second.id);
      expect(done.erasure).toMatchObject({ complete: true, pending: [] });
      expect(opens(first.id, wrappedFirst)).toBeNull();
      expect(opens(survivor.id, await wrappedOf(survivor.id))).not.toBeNull();
    });
  });
}
