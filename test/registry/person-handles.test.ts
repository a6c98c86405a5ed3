// A handle names one person whatever its letter case (A4.2: access is decided and audited per
// person): the use case refuses `ALICE` beside `alice`, the store's unique index on lower(handle)
// (migration 0005) holds it for any writer, and a database already holding such a pair is not
// migrated silently.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerOrganisation } from "../../src/app/organisations/register-organisation.ts";
import { registerPerson } from "../../src/app/people/register-person.ts";
import { DomainError } from "../../src/domain/errors.ts";
import { migrations } from "../../src/store/migrations/index.ts";
import { type OpenedDatabase, openDatabase } from "../../src/store/open-database.ts";
import { createTestPostgresSchema, DIALECTS, makeTempDir } from "../support/databases.ts";
import { createTestNode, type TestNode } from "../support/nodes.ts";

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

for (const dialect of DIALECTS) {
  describe(`person handles [${dialect}]`, () => {
    let node: TestNode;
    beforeAll(async () => {
      node = await createTestNode(dialect);
      await registerOrganisation(node.ctx, { actor: "admin", name: "Ministry of Defence" });
      await registerPerson(node.ctx, {
        actor: "admin",
        organisation: "Ministry of Defence",
        handle: "alice",
        name: "Alice",
        roles: ["cleared-user"],
      });
    });
    afterAll(async () => {
      await node?.cleanup();
    });

    it("A4.2: refuses a handle that differs from a registered one only in letter case (PERSON_HANDLE_TAKEN)", async () => {
      for (const handle of ["ALICE", "Alice", "alice"]) {
        const error = await refusal(
          registerPerson(node.ctx, {
            actor: "admin",
            organisation: "Ministry of Defence",
            handle,
            name: "Someone else",
          }),
        );
        expect(error.code, handle).toBe("PERSON_HANDLE_TAKEN");
        expect(error.articles).toEqual(["A4.2"]);
        expect(error.details).toEqual({ handle, taken: "alice" });
        expect(error.message).toBe(
          `A4.2 — the handle “${handle}” is taken (“alice”): handles are unique regardless of letter case`,
        );
      }
      const people = await node.ctx.db
        .selectFrom("people")
        .select("handle")
        .where((eb) => eb(eb.fn("lower", ["handle"]), "=", "alice"))
        .execute();
      expect(people.map((p) => p.handle)).toEqual(["alice"]);
    });

    it("A4.2: the store itself refuses a case variant of a handle, whoever writes it", async () => {
      const alice = await node.ctx.db
        .selectFrom("people")
        .selectAll()
        .where("handle", "=", "alice")
        .executeTakeFirstOrThrow();
      await expect(
        node.ctx.db
          .insertInto("people")
          .values({ ...alice, id: "p-variant", handle: "aLiCe" })
          .execute(),
      ).rejects.toThrow(/unique/i);
    });

    it("A4.2: a database already holding `bob` and `BOB` is not migrated: the migration names them", async () => {
      let opened: OpenedDatabase | undefined;
      let cleanup: () => Promise<void>;
      if (dialect === "sqlite") {
        const dataDir = makeTempDir("kelisim-handles-");
        opened = await openDatabase({ dataDir, migrate: false });
        cleanup = async () => rmSync(dataDir, { recursive: true, force: true });
      } else {
        const schema = await createTestPostgresSchema();
        opened = await openDatabase({ url: schema.url, migrate: false });
        cleanup = schema.drop;
      }
      try {
        const { db } = opened;
        const names = Object.keys(migrations).sort();
        expect(names).toContain("0005-person-handles");
        // biome-ignore lint/suspicious/noExplicitAny: migrations take an untyped Kysely
        for (const name of names.filter((n) => n < "0005")) await migrations[name]?.up(db as any);
        const at = new Date().toISOString();
        await db
          .insertInto("organisations")
          .values({ id: "o-1", party: "KZ", kind: "authorized-body", name: "Body", created_at: at })
          .execute();
        const people: [string, string][] = [
          ["p-1", "bob"],
          ["p-2", "BOB"],
          ["p-3", "carol"],
        ];
        for (const [id, handle] of people)
          await db
            .insertInto("people")
            .values({ id, organisation_id: "o-1", handle, name: handle, created_at: at, disabled_at: null })
            .execute();
        const up = migrations["0005-person-handles"]?.up;
        if (!up) throw new Error("no migration 0005-person-handles");
        // biome-ignore lint/suspicious/noExplicitAny: migrations take an untyped Kysely
        const failure = await up(db as any).then(
          () => null,
          (error: unknown) => error as Error,
        );
        expect(failure?.message).toMatch(/letter case/);
        expect(failure?.message).toContain("BOB");
        expect(failure?.message).toMatch(/\bbob\b/);
        expect(failure?.message).not.toContain("carol");
      } finally {
        await opened.close();
        await cleanup();
      }
    });
  });
}
