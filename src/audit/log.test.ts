import type { Kysely } from "kysely";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DIALECTS, openTestDatabase, type TestDatabase } from "../../test/support/databases.ts";
import { DomainError } from "../domain/errors.ts";
import { openDatabase } from "../store/open-database.ts";
import type { Database } from "../store/schema.ts";
import { withTransaction } from "../store/transaction.ts";
import { openCheckpoint, verifyConsistency } from "./checkpoint.ts";
import { type AuditEntryInput, encodeEntry } from "./entry.ts";
import {
  appendAuditEntry,
  auditLogOrigin,
  proveAuditConsistency,
  proveAuditInclusion,
  readAuditEntries,
  readAuditHead,
  signAuditCheckpoint,
  verifyAuditLog,
} from "./log.ts";
import { frontierOfLeaves, hashLeaf, rootFromFrontier, verifyInclusionProof } from "./merkle.ts";
import { generateNoteSigner, verifierOf } from "./signed-note.ts";

const node = { party: "KZ", nodeId: "3f0c8a52-4c1e-4b3e-9a55-0a6f2d1c7b10" };
const origin = auditLogOrigin(node);
const signer = generateNoteSigner("kelisim/KZ/3f0c8a52-4c1e-4b3e-9a55-0a6f2d1c7b10");
const verifiers = [verifierOf(signer)];

function entry(i: number): AuditEntryInput {
  return {
    at: new Date(Date.UTC(2026, 10, 26, 2, 0, 0, i)),
    actor: `person:${i % 3}`,
    organisation: "org:kz-ministry",
    event: i % 2 === 0 ? "carrier.registered" : "carrier.access-decided",
    object: `carrier:${i}`,
    outcome: i % 2 === 0 ? "done" : i % 5 === 0 ? "refused" : "allowed",
    articles: i % 2 === 0 ? ["A6.2"] : ["A4.2", "A1.11"],
    data: { n: i, title: `Отчёт ${i} / Հաշվետվություն`, nested: { b: [1, 2, null], a: true } },
  };
}

async function appendMany(db: Kysely<Database>, from: number, count: number): Promise<void> {
  await withTransaction(db, async (trx) => {
    for (let i = from; i < from + count; i++) await appendAuditEntry(trx, entry(i));
  });
}

const open: TestDatabase[] = [];
afterEach(async () => {
  while (open.length > 0) await open.pop()!.cleanup();
});

async function freshLog(dialect: (typeof DIALECTS)[number], size: number, checkpointsAt: number[]) {
  const testDb = await openTestDatabase(dialect);
  open.push(testDb);
  const { db } = testDb.opened;
  let done = 0;
  for (const at of [...checkpointsAt, size]) {
    await appendMany(db, done, at - done);
    done = at;
    if (checkpointsAt.includes(at)) await signAuditCheckpoint(db, signer, origin, new Date());
  }
  return db;
}

async function expectBad(db: Kysely<Database>, firstBadIndex: number, problem: RegExp) {
  const result = await verifyAuditLog(db, { verifiers, origin, batchSize: 7 });
  expect(result.ok).toBe(false);
  if (result.ok) return result;
  expect(result.problem).toMatch(problem);
  expect(result.firstBadIndex).toBe(firstBadIndex);
  return result;
}

/** The stored canonical bytes of entry `idx`, as text. */
async function storedText(db: Kysely<Database>, idx: number): Promise<string> {
  const row = await db
    .selectFrom("audit_entries")
    .select("entry")
    .where("idx", "=", idx)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.entry).toString("utf8");
}

/**
 * Edits entry `idx` as someone with SQL access would: its stored bytes (the index columns follow
 * them, derived by the database); with `rehash`, also its leaf hash, as an attacker who knows the
 * format would, so the row is consistent in itself.
 */
async function editEntry(
  db: Kysely<Database>,
  idx: number,
  edit: (text: string) => string,
  options: { rehash?: boolean } = {},
): Promise<void> {
  const before = await storedText(db, idx);
  const after = edit(before);
  expect(after).not.toBe(before);
  const bytes = Buffer.from(after, "utf8");
  await db
    .updateTable("audit_entries")
    .set(options.rehash ? { entry: bytes, leaf_hash: hashLeaf(bytes) } : { entry: bytes })
    .where("idx", "=", idx)
    .execute();
}

/** Inserts a forged row at `idx`: bytes made from a copy of `fromIdx`'s (edited), its leaf hash copied or recomputed. */
async function insertForged(
  db: Kysely<Database>,
  idx: number,
  fromIdx: number,
  edit: (text: string) => string,
  options: { rehash?: boolean } = {},
): Promise<void> {
  const source = await db
    .selectFrom("audit_entries")
    .select(["entry", "leaf_hash"])
    .where("idx", "=", fromIdx)
    .executeTakeFirstOrThrow();
  const bytes = Buffer.from(edit(Buffer.from(source.entry).toString("utf8")), "utf8");
  await db
    .insertInto("audit_entries")
    .values({ idx, entry: bytes, leaf_hash: options.rehash ? hashLeaf(bytes) : source.leaf_hash })
    .execute();
}

for (const dialect of DIALECTS) {
  describe(`audit log [${dialect}]`, () => {
    it("appends in O(log n) state: head root equals the RFC 9162 root of all entries, across stored levels", async () => {
      const db = await freshLog(dialect, 600, []);
      const head = await readAuditHead(db);
      expect(head.size).toBe(600);
      const rows = await db.selectFrom("audit_entries").selectAll().orderBy("idx").execute();
      const leaves = rows.map((r) => hashLeaf(encodeEntry({ ...r, idx: Number(r.idx) })));
      expect(rootFromFrontier(frontierOfLeaves(leaves))).toEqual(head.root);
      // Perfect subtrees of 256 leaves were stored at level 8: [0,256) and [256,512).
      const nodes = await db.selectFrom("audit_nodes").select(["level", "idx"]).orderBy("idx").execute();
      expect(nodes.map((n) => `${n.level}:${Number(n.idx)}`)).toEqual(["8:0", "8:1"]);
      const read = await readAuditEntries(db, 598, 10);
      expect(read.map((e) => e.index)).toEqual([598, 599]);
      expect(read[0]).toMatchObject({ event: "carrier.registered", articles: ["A6.2"], outcome: "done" });
      expect(read[0]!.data).toEqual({
        n: 598,
        title: "Отчёт 598 / Հաշվետվություն",
        nested: { a: true, b: [1, 2, null] },
      });
    });

    it("proves inclusion and consistency from the store against signed checkpoints", async () => {
      const db = await freshLog(dialect, 700, [300]);
      const old = openCheckpoint(
        (await db.selectFrom("audit_checkpoints").select("note").executeTakeFirstOrThrow()).note,
        verifiers,
        origin,
      );
      const latest = await signAuditCheckpoint(db, signer, origin, new Date());
      expect(latest.size).toBe(700);
      const proof = await proveAuditConsistency(db, old.size, latest.size);
      expect(verifyConsistency(old, latest, proof)).toBe(true);
      expect(verifyConsistency(old, { ...latest, root: old.root }, proof)).toBe(false);
      for (const index of [0, 255, 256, 299, 511, 512, 699]) {
        const row = await db
          .selectFrom("audit_entries")
          .select("leaf_hash")
          .where("idx", "=", index)
          .executeTakeFirstOrThrow();
        const incl = await proveAuditInclusion(db, index, latest.size);
        expect(verifyInclusionProof(index, latest.size, row.leaf_hash, incl, latest.root)).toBe(true);
      }
      await expect(proveAuditInclusion(db, 5, 701)).rejects.toThrow(DomainError);
    });

    it("writes the entry in the caller's transaction: a rolled-back change leaves no entry and the head unchanged", async () => {
      const db = await freshLog(dialect, 3, []);
      const before = await readAuditHead(db);
      await expect(
        withTransaction(db, async (trx) => {
          await appendAuditEntry(trx, entry(3));
          throw new Error("the use case failed after auditing");
        }),
      ).rejects.toThrow("the use case failed");
      const after = await readAuditHead(db);
      expect(after.size).toBe(3);
      expect(after.root).toEqual(before.root);
      expect((await verifyAuditLog(db, { verifiers })).ok).toBe(true);
    });

    it("refuses a malformed entry before writing anything", async () => {
      const db = await freshLog(dialect, 1, []);
      await expect(
        appendAuditEntry(db, { ...entry(1), articles: ["A99"] } as unknown as AuditEntryInput),
      ).rejects.toThrow(DomainError);
      await expect(appendAuditEntry(db, { ...entry(1), actor: "" })).rejects.toThrow(/audit.actor/);
      await expect(
        appendAuditEntry(db, { ...entry(1), event: "Carrier Registered" } as unknown as AuditEntryInput),
      ).rejects.toThrow(/audit.event/);
      expect((await readAuditHead(db)).size).toBe(1);
    });

    it("keeps indices gap-free when appenders run concurrently", async () => {
      const db = await freshLog(dialect, 0, []);
      await Promise.all(Array.from({ length: 12 }, (_, i) => appendMany(db, i * 5, 5)));
      const idx = (await db.selectFrom("audit_entries").select("idx").orderBy("idx").execute()).map((r) =>
        Number(r.idx),
      );
      expect(idx).toEqual(Array.from({ length: 60 }, (_, i) => i));
      expect((await verifyAuditLog(db, { verifiers })).ok).toBe(true);
    });

    it("verifies an intact log against its signed checkpoints", async () => {
      const db = await freshLog(dialect, 40, [10, 25, 40]);
      const result = await verifyAuditLog(db, { verifiers, origin, batchSize: 7 });
      expect(result).toMatchObject({ ok: true, size: 40, checkpointsVerified: 3, checkpoint: { size: 40 } });
    });

    it("verifies the log as it stood when verification began, while another connection keeps appending", async () => {
      const db = await freshLog(dialect, 60, [30]);
      // The node itself, appending meanwhile (SQLite: a connection of its own to the same file).
      const node = dialect === "sqlite" ? await openDatabase({ dataDir: open.at(-1)!.dataDir! }) : null;
      const appends: Promise<void>[] = [];
      const result = await verifyAuditLog(db, {
        verifiers,
        origin,
        batchSize: 7,
        onProgress: () => {
          if (appends.length < 3) appends.push(appendMany(node?.db ?? db, 100 + 10 * appends.length, 10));
        },
      });
      await Promise.all(appends);
      await node?.close();
      expect(appends).toHaveLength(3);
      expect(result).toMatchObject({ ok: true, size: 60, checkpointsVerified: 1 });
      expect((await readAuditHead(db)).size).toBe(90);
      expect(await verifyAuditLog(db, { verifiers, origin })).toMatchObject({ ok: true, size: 90 });
    });

    it("verifies entries near the size limit, whose batches outgrow the reader's buffer and cross many reads", async () => {
      const db = await freshLog(dialect, 0, []);
      // 120 entries of ≈ 60 KB: batches of 100 hold ≈ 6 MB (more than the 5 MB a batch starts with).
      await withTransaction(db, async (trx) => {
        for (let i = 0; i < 120; i++)
          await appendAuditEntry(trx, { ...entry(i), data: { i, filler: "ա".repeat(30_000) } });
      });
      await signAuditCheckpoint(db, signer, origin, new Date());
      await appendMany(db, 120, 5);
      const result = await verifyAuditLog(db, { verifiers, origin, batchSize: 100 });
      expect(result).toMatchObject({ ok: true, size: 125, checkpointsVerified: 1 });
      if (result.ok) expect(result.bytesHashed).toBeGreaterThan(120 * 60_000);
      // …and an edited one among them is still named.
      await editEntry(db, 119, (text) => text.replace('"i":119', '"i":911'));
      const bad = await verifyAuditLog(db, { verifiers, origin, batchSize: 100 });
      expect(bad).toMatchObject({ ok: false, firstBadIndex: 119 });
      if (!bad.ok) expect(bad.problem).toMatch(/entry 119 does not match its leaf hash/);
    });

    it("names the first edited entry (its bytes changed by SQL, the index columns following them)", async () => {
      const db = await freshLog(dialect, 30, [20]);
      await editEntry(db, 12, (t) => t.replace('"outcome":"done"', '"outcome":"allowed"'));
      await editEntry(db, 17, (t) => t.replace('"actor":"person:2"', '"actor":"person:intruder"'));
      expect(
        (
          await db
            .selectFrom("audit_entries")
            .select("outcome")
            .where("idx", "=", 12)
            .executeTakeFirstOrThrow()
        ).outcome,
      ).toBe("allowed");
      await expectBad(db, 12, /entry 12 does not match its leaf hash/);
    });

    it("names an entry whose event data was edited", async () => {
      const db = await freshLog(dialect, 30, []);
      await editEntry(db, 21, (t) => t.replace(/"data":\{.*\},"event"/, '"data":{"n":21},"event"'));
      await expectBad(db, 21, /entry 21/);
    });

    it("refuses to write an index column apart from the bytes it is derived from", async () => {
      const db = await freshLog(dialect, 10, []);
      await expect(
        db
          .updateTable("audit_entries")
          .set({ actor: "person:intruder" } as never)
          .where("idx", "=", 3)
          .execute(),
      ).rejects.toThrow(/generated column|can only be updated to DEFAULT/);
      const [read] = await readAuditEntries(db, 3, 1);
      expect(read).toMatchObject({ index: 3, actor: "person:0", event: "carrier.access-decided" });
      expect((await verifyAuditLog(db, { verifiers, origin })).ok).toBe(true);
    });

    it("names the first entry when an index column was turned back into a writable one", async () => {
      const db = await freshLog(dialect, 10, []);
      if (dialect === "postgres") {
        await sql`alter table audit_entries alter column outcome drop expression`.execute(db);
        await db
          .updateTable("audit_entries")
          .set({ outcome: "allowed" } as never)
          .where("idx", "=", 5)
          .execute();
      } else {
        // SQLite cannot drop the expression in place: rebuild the table with a plain column.
        await sql`alter table audit_entries rename to audit_entries_old`.execute(db);
        await sql`create table audit_entries (idx integer primary key, entry blob not null, leaf_hash blob not null,
          recorded_at text, actor text, organisation text, event_type text, object text, outcome text, articles text, data text)`.execute(
          db,
        );
        await sql`insert into audit_entries select idx, entry, leaf_hash, recorded_at, actor, organisation, event_type, object, outcome, articles, data from audit_entries_old`.execute(
          db,
        );
      }
      await expectBad(db, 0, /table was altered: column (recorded_at|outcome) is no longer derived/);
    });

    it("names an entry whose stored bytes were edited, its index columns left alone", async () => {
      const db = await freshLog(dialect, 30, []);
      const row = await db
        .selectFrom("audit_entries")
        .select("entry")
        .where("idx", "=", 15)
        .executeTakeFirstOrThrow();
      const text = Buffer.from(row.entry).toString("utf8");
      expect(text).toContain('"outcome":"refused"');
      await db
        .updateTable("audit_entries")
        .set({ entry: Buffer.from(text.replace('"outcome":"refused"', '"outcome":"allowed"')) })
        .where("idx", "=", 15)
        .execute();
      await expectBad(db, 15, /entry 15 does not match its leaf hash/);
    });

    it("refuses to store bytes that are not an entry's JSON at all", async () => {
      const db = await freshLog(dialect, 30, []);
      await expect(
        db
          .updateTable("audit_entries")
          .set({ entry: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) })
          .where("idx", "=", 8)
          .execute(),
      ).rejects.toThrow();
      expect((await verifyAuditLog(db, { verifiers, origin })).ok).toBe(true);
    });

    it("names a deleted entry", async () => {
      const db = await freshLog(dialect, 30, [25]);
      await db.deleteFrom("audit_entries").where("idx", "=", 9).execute();
      await expectBad(db, 9, /entry 9 is missing/);
    });

    it("names a deleted entry when the later ones were renumbered to close the gap", async () => {
      const db = await freshLog(dialect, 30, [25]);
      await db.deleteFrom("audit_entries").where("idx", "=", 9).execute();
      for (let i = 10; i < 30; i++)
        await db
          .updateTable("audit_entries")
          .set({ idx: i - 1 })
          .where("idx", "=", i)
          .execute();
      await db.updateTable("audit_head").set({ size: 29 }).execute();
      await expectBad(db, 9, /entry 9 does not match its leaf hash/);
    });

    it("names an inserted entry (later ones renumbered, leaf hash copied from its neighbour)", async () => {
      const db = await freshLog(dialect, 30, [25]);
      for (let i = 29; i >= 14; i--)
        await db
          .updateTable("audit_entries")
          .set({ idx: i + 1 })
          .where("idx", "=", i)
          .execute();
      await insertForged(db, 14, 13, (t) =>
        t.replace('"actor":"person:1"', '"actor":"person:forger"').replace('"carrier:13"', '"carrier:fake"'),
      );
      await db.updateTable("audit_head").set({ size: 31 }).execute();
      await expectBad(db, 14, /entry 14 does not match its leaf hash/);
    });

    it("an inserted entry with a recomputed leaf hash: names the first entry it displaced, inside the unproven range", async () => {
      const db = await freshLog(dialect, 30, [10, 25]);
      for (let i = 29; i >= 14; i--)
        await db
          .updateTable("audit_entries")
          .set({ idx: i + 1 })
          .where("idx", "=", i)
          .execute();
      await insertForged(
        db,
        14,
        13,
        (t) =>
          t.replace('"actor":"person:1"', '"actor":"person:forger"').replace('"index":13,', '"index":14,'),
        { rehash: true },
      );
      const result = await expectBad(db, 15, /entry 15 does not match its leaf hash/);
      // What a signed checkpoint proves stays proven: the first 10 entries are intact.
      if (!result.ok) expect(result.provenIntactBefore).toBe(10);
    });

    it("names the first of two entries swapped (reordered, leaf hashes moved with them)", async () => {
      const db = await freshLog(dialect, 30, [25]);
      await db.updateTable("audit_entries").set({ idx: 1000 }).where("idx", "=", 6).execute();
      await db.updateTable("audit_entries").set({ idx: 6 }).where("idx", "=", 7).execute();
      await db.updateTable("audit_entries").set({ idx: 7 }).where("idx", "=", 1000).execute();
      await expectBad(db, 6, /entry 6 does not match its leaf hash/);
    });

    it("detects a rewrite with recomputed hashes through the signed checkpoint, naming the unproven range", async () => {
      const db = await freshLog(dialect, 30, [10, 20, 30]);
      // Entry 15 was a refused access decision; the rewrite turns it into an allowed one.
      await editEntry(db, 15, (t) => t.replace('"outcome":"refused"', '"outcome":"allowed"'), {
        rehash: true,
      });
      const result = await expectBad(db, 10, /signed checkpoint of size 20.*\[10, 19\]/);
      if (!result.ok) expect(result.provenIntactBefore).toBe(10);
    });

    it("detects a truncated tail that a signed checkpoint covers, even with the head rewritten", async () => {
      const db = await freshLog(dialect, 30, [30]);
      await db.deleteFrom("audit_entries").where("idx", ">=", 27).execute();
      const rows = await db.selectFrom("audit_entries").select("leaf_hash").orderBy("idx").execute();
      const frontier = frontierOfLeaves(rows.map((r) => Buffer.from(r.leaf_hash)));
      await db
        .updateTable("audit_head")
        .set({ size: 27, frontier: Buffer.concat(frontier) })
        .execute();
      await expectBad(db, 27, /ends at 27 entries but a signed checkpoint states 30/);
    });

    it("detects a tail deleted with its stored checkpoints, given a checkpoint kept outside the database", async () => {
      const db = await freshLog(dialect, 30, [20, 30]);
      const kept = (
        await db
          .selectFrom("audit_checkpoints")
          .select("note")
          .where("size", "=", 30)
          .executeTakeFirstOrThrow()
      ).note;
      await db.deleteFrom("audit_entries").where("idx", ">=", 24).execute();
      await db.deleteFrom("audit_checkpoints").where("size", "=", 30).execute();
      const rows = await db.selectFrom("audit_entries").select("leaf_hash").orderBy("idx").execute();
      const frontier = frontierOfLeaves(rows.map((r) => Buffer.from(r.leaf_hash)));
      await db
        .updateTable("audit_head")
        .set({ size: 24, frontier: Buffer.concat(frontier) })
        .execute();
      expect((await verifyAuditLog(db, { verifiers, origin })).ok).toBe(true); // the database alone cannot tell
      const result = await verifyAuditLog(db, { verifiers, origin, externalCheckpoints: [kept] });
      expect(result).toMatchObject({ ok: false, firstBadIndex: 24, provenIntactBefore: 20 });
    });

    it("detects an entry appended behind the head's back", async () => {
      const db = await freshLog(dialect, 12, [12]);
      await insertForged(db, 12, 11, (t) => t.replace('"index":11,', '"index":12,'), { rehash: true });
      await expectBad(db, 12, /beyond the log's head/);
    });

    it("detects a stored interior hash (served in proofs to the peer) that disagrees with the entries", async () => {
      const db = await freshLog(dialect, 600, [600]);
      expect((await verifyAuditLog(db, { verifiers, origin })).ok).toBe(true);
      await db
        .updateTable("audit_nodes")
        .set({ hash: Buffer.alloc(32, 7) })
        .where("level", "=", 8)
        .where("idx", "=", 1)
        .execute();
      await expectBad(db, 256, /stored interior hash of entries \[256, 511\]/);
    });

    it("refuses a checkpoint whose signature does not verify, or that a stranger signed", async () => {
      const db = await freshLog(dialect, 10, [10]);
      expect(
        (await verifyAuditLog(db, { verifiers: [verifierOf(generateNoteSigner("kelisim/KZ/other"))] })).ok,
      ).toBe(false);
      await db
        .updateTable("audit_checkpoints")
        .set({ note: sql<string>`replace(note, ${"\n10\n"}, ${"\n9\n"})` })
        .execute();
      await expectBad(db, 0, /not a valid signed checkpoint.*does not verify/);
    });
  });
}
