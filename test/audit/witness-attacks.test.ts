// A4.1.1, A6.2: the audit log anchored outside the database. An attacker with write access to the
// node's database (sqlite3 on the file, psql on the schema) rewrites the log in every way listed
// below; `verifyNodeAuditLog` must fail and name the first altered entry as precisely as the
// witnesses allow — or, where no witness can know, the test says so in its title.
//
// Each log: the entries `node init` wrote, then entries up to B+45 (B = the size after init), with
// checkpoints signed by the running node's schedule at B+10, B+20, B+30, B+40 (each appended to the
// witness file). Real databases: a SQLite file and a PostgreSQL schema.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { startAuditCheckpoints } from "../../src/app/audit/checkpoint-schedule.ts";
import {
  type NodeAuditVerification,
  signNodeAuditCheckpoint,
  verifyNodeAuditLog,
} from "../../src/app/audit/log-operations.ts";
import { cosignCheckpoint, signCheckpoint } from "../../src/audit/checkpoint.ts";
import { appendAuditEntry, auditLogOrigin, readAuditHead } from "../../src/audit/log.ts";
import { encodeFrontier, frontierOfLeaves, hashLeaf, rootFromFrontier } from "../../src/audit/merkle.ts";
import { formatVerifierKey, generateNoteSigner, verifierOf } from "../../src/audit/signed-note.ts";
import { loadAuditSigner } from "../../src/audit/signing-key.ts";
import {
  appendAuditWitness,
  auditWitnessPath,
  readAuditWitness,
  readLastAuditWitness,
} from "../../src/audit/witness-file.ts";
import { localizeError } from "../../src/domain/errors.ts";
import { LANGUAGES } from "../../src/domain/language.ts";
import type { StoreDialect } from "../../src/store/columns.ts";
import type { Database } from "../../src/store/schema.ts";
import { withTransaction } from "../../src/store/transaction.ts";
import { KELISIM_BIN } from "../support/cli.ts";
import { DIALECTS, makeTempDir } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";

type Db = Kysely<Database>;
/** The witness file is the default one, `<dataDir>/audit-witness.log`, whatever the environment says. */
const ENV: NodeJS.ProcessEnv = {};

const nodes: TestNode[] = [];
afterEach(async () => {
  while (nodes.length > 0) await nodes.pop()!.cleanup();
});

async function appendEntries(db: Db, count: number, tag = "real"): Promise<void> {
  await withTransaction(db, async (trx) => {
    for (let i = 0; i < count; i++) {
      await appendAuditEntry(trx, {
        at: new Date(Date.UTC(2026, 5, 1, 10, 0, 0, i)),
        actor: "person:registry-officer",
        organisation: null,
        event: "carrier.access-decided",
        object: `carrier:${tag}-${i}`,
        outcome: i % 3 === 0 ? "refused" : "allowed",
        articles: ["A4.2"],
      });
    }
  });
}

/** A node whose log has B + 45 entries, checkpoints at B+10…B+40 signed by the schedule (entries policy). */
async function witnessedNode(dialect: StoreDialect) {
  const clock = withFixedClock();
  const test = await createTestNode(dialect, { now: clock.now });
  nodes.push(test);
  const { node } = test;
  const base = (await readAuditHead(node.db)).size;
  const schedule = startAuditCheckpoints(node, {
    policy: { everyEntries: 10, everyMs: 3600_000 },
    now: clock.now,
    timer: () => () => {},
    env: ENV,
  });
  const signed: (number | null)[] = [];
  await appendEntries(node.db, 10, "a");
  signed.push(await schedule.tick());
  await appendEntries(node.db, 9, "b");
  signed.push(await schedule.tick()); // 9 new entries: not yet
  await appendEntries(node.db, 1, "c");
  signed.push(await schedule.tick());
  for (const tag of ["d", "e"]) {
    await appendEntries(node.db, 10, tag);
    signed.push(await schedule.tick());
  }
  await appendEntries(node.db, 5, "f"); // the tail no checkpoint covers yet
  expect(signed).toEqual([base + 10, null, base + 20, base + 30, base + 40]);
  const witnessPath = auditWitnessPath(node.location.dataDir, ENV);
  expect(readAuditWitness(witnessPath).notes).toHaveLength(4);
  return { test, node, db: node.db, base, clock, witnessPath, schedule };
}

async function entryTexts(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("audit_entries").select("entry").orderBy("idx").execute();
  return rows.map((r) => Buffer.from(r.entry).toString("utf8"));
}

/**
 * The strongest database attacker: replaces the whole log by `texts` (each renumbered to its
 * position), every leaf hash, interior hash and the head recomputed, so the log is consistent in
 * itself. Returns the forged leaf hashes.
 */
async function forgeLog(db: Db, texts: readonly string[]): Promise<Buffer[]> {
  const bytes = texts.map((t, i) => Buffer.from(t.replace(/"index":\d+/, `"index":${i}`), "utf8"));
  const leaves = bytes.map((b) => hashLeaf(b));
  await withTransaction(db, async (trx) => {
    await trx.deleteFrom("audit_entries").execute();
    await trx.deleteFrom("audit_nodes").execute();
    for (const [i, entry] of bytes.entries())
      await trx.insertInto("audit_entries").values({ idx: i, entry, leaf_hash: leaves[i]! }).execute();
    await trx
      .updateTable("audit_head")
      .set({ size: bytes.length, frontier: encodeFrontier(frontierOfLeaves(leaves)) })
      .where("id", "=", 1)
      .execute();
  });
  return leaves;
}

const flipOutcome = (t: string) =>
  t.includes('"outcome":"refused"')
    ? t.replace('"outcome":"refused"', '"outcome":"allowed"')
    : t.replace('"outcome":"allowed"', '"outcome":"refused"');

async function verify(node: TestNode["node"]) {
  return verifyNodeAuditLog(node, { env: ENV, batchSize: 7 });
}

function expectFailure(result: NodeAuditVerification) {
  expect(result.ok).toBe(false);
  if (result.ok) throw new Error("verification passed");
  // Every failure cites the articles the log protects and reads in all four languages.
  expect(result.error.articles).toEqual(["A4.1.1", "A6.2"]);
  for (const lang of LANGUAGES) expect(localizeError(result.error, lang)).not.toMatch(/\{\w+\}/);
  return result;
}

for (const dialect of DIALECTS) {
  describe(`audit log against its witnesses [${dialect}]`, () => {
    it("A4.1.1, A6.2: the schedule signs every N new entries; verify compares the log with the witness file and says so", async () => {
      const { node, base, witnessPath } = await witnessedNode(dialect);
      const result = await verify(node);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      expect(result.size).toBe(base + 45);
      expect(result.checkpoint?.size).toBe(base + 40);
      expect(result.witnesses).toEqual([
        {
          kind: "file",
          witness: witnessPath,
          state: "used",
          checkpoints: 4,
          newestSize: base + 40,
          remark: null,
        },
      ]);
    });

    it("A4.1.1, A6.2: the schedule also signs every T minutes when entries were added (settable clock, no sleeps)", async () => {
      const clock = withFixedClock();
      const test = await createTestNode(dialect, { now: clock.now });
      nodes.push(test);
      let fire: (() => void) | null = null;
      const schedule = startAuditCheckpoints(test.node, {
        policy: { everyEntries: 100, everyMs: 10 * 60_000 },
        now: clock.now,
        timer: (fn) => {
          fire = fn;
          return () => {
            fire = null;
          };
        },
        env: ENV,
      });
      expect(fire).not.toBeNull();
      await appendEntries(test.node.db, 3);
      const size = (await readAuditHead(test.node.db)).size;
      clock.advance(9 * 60_000);
      expect(await schedule.tick()).toBeNull();
      clock.advance(60_000);
      expect(await schedule.tick()).toBe(size);
      clock.advance(60 * 60_000);
      expect(await schedule.tick()).toBeNull(); // nothing new to sign
      await appendEntries(test.node.db, 2);
      await schedule.stop(); // signs what was added, and stops the timer
      expect(fire).toBeNull();
      const witness = readAuditWitness(auditWitnessPath(test.node.location.dataDir, ENV));
      expect(witness.notes.map((n) => Number(n.note.split("\n")[1]))).toEqual([size, size + 2]);
    });

    it("A4.1.1, A6.2: signNodeAuditCheckpoint appends to the witness file once per checkpoint", async () => {
      const { node, witnessPath, base } = await witnessedNode(dialect);
      const first = await signNodeAuditCheckpoint(node, new Date(), { env: ENV });
      const again = await signNodeAuditCheckpoint(node, new Date(), { env: ENV });
      expect(first.checkpoint.size).toBe(base + 45);
      expect(again.checkpoint.note).toBe(first.checkpoint.note);
      expect(first.witnessPath).toBe(witnessPath);
      expect(
        readAuditWitness(witnessPath)
          .notes.map((n) => n.note)
          .filter((n) => n === first.checkpoint.note),
      ).toHaveLength(1);
    });

    it("A4.1.1, A6.2: an entry edited in place (bytes only) is named exactly, within the range the checkpoints leave", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const idx = base + 15;
      const text = (await entryTexts(db))[idx]!;
      await db
        .updateTable("audit_entries")
        .set({ entry: Buffer.from(flipOutcome(text)) })
        .where("idx", "=", idx)
        .execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_ALTERED");
      expect(result.finding).toEqual({ kind: "entry", index: idx });
      expect(result.firstBadIndex).toBe(idx);
      expect(result.firstAltered).toEqual({ from: base + 10, to: idx + 1 });
    });

    it("A4.1.1, A6.2: an entry edited with every hash recomputed lies in [B+10, B+20), between the checkpoints around it", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const texts = await entryTexts(db);
      texts[base + 15] = flipOutcome(texts[base + 15]!);
      await forgeLog(db, texts);
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_REWRITTEN");
      expect(result.firstAltered).toEqual({ from: base + 10, to: base + 20 });
      expect(result.finding).toMatchObject({ kind: "rewritten", size: base + 20 });
      expect(result.error.message).toContain(`[${base + 10}, ${base + 20})`);
    });

    it("A4.1.1, A6.2: a deleted entry row is named exactly (the gap)", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      await db
        .deleteFrom("audit_entries")
        .where("idx", "=", base + 15)
        .execute();
      const result = expectFailure(await verify(node));
      expect(result.finding).toEqual({ kind: "entry", index: base + 15 });
      expect(result.firstAltered).toEqual({ from: base + 10, to: base + 16 });
    });

    it("A4.1.1, A6.2: an entry deleted, the rest renumbered and rehashed, and every checkpoint row deleted: the witness file names [B+10, B+20)", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const texts = await entryTexts(db);
      texts.splice(base + 15, 1);
      await forgeLog(db, texts);
      await db.deleteFrom("audit_checkpoints").execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_REWRITTEN");
      expect(result.firstAltered).toEqual({ from: base + 10, to: base + 20 });
      expect(result.deletedCheckpoints.map((d) => d.size)).toEqual([
        base + 10,
        base + 20,
        base + 30,
        base + 40,
      ]);
    });

    it("A4.1.1, A6.2: two entries swapped (rows only) are named at the first of them; swapped and rehashed: [B+10, B+20)", async () => {
      const first = await witnessedNode(dialect);
      const a = first.base + 15;
      await first.db.updateTable("audit_entries").set({ idx: 100_000 }).where("idx", "=", a).execute();
      await first.db
        .updateTable("audit_entries")
        .set({ idx: a })
        .where("idx", "=", a + 1)
        .execute();
      await first.db
        .updateTable("audit_entries")
        .set({ idx: a + 1 })
        .where("idx", "=", 100_000)
        .execute();
      const rows = expectFailure(await verify(first.node));
      expect(rows.finding).toEqual({ kind: "entry", index: a });

      const second = await witnessedNode(dialect);
      const texts = await entryTexts(second.db);
      const b = second.base + 15;
      [texts[b], texts[b + 1]] = [texts[b + 1]!, texts[b]!];
      await forgeLog(second.db, texts);
      const rehashed = expectFailure(await verify(second.node));
      expect(rehashed.firstAltered).toEqual({ from: second.base + 10, to: second.base + 20 });
    });

    it("A4.1.1, A6.2: an entry inserted and the log rehashed lies in [B+10, B+20)", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const texts = await entryTexts(db);
      texts.splice(base + 15, 0, flipOutcome(texts[base + 14]!));
      await forgeLog(db, texts);
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_REWRITTEN");
      expect(result.firstAltered).toEqual({ from: base + 10, to: base + 20 });
    });

    it("A4.1.1, A6.2: a log cut to B+35 (head recomputed, checkpoint rows past it deleted) is reported cut by the witness file", async () => {
      const { node, db, base, witnessPath } = await witnessedNode(dialect);
      await forgeLog(db, (await entryTexts(db)).slice(0, base + 35));
      await db
        .deleteFrom("audit_checkpoints")
        .where("size", ">", base + 35)
        .execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_TRUNCATED");
      expect(result.finding).toEqual({
        kind: "truncated",
        size: base + 35,
        witnessedSize: base + 40,
        witnesses: [witnessPath],
      });
      // Entry B+35 is gone; those since the last checkpoint B+30 may have been rewritten too.
      expect(result.firstAltered).toEqual({ from: base + 30, to: base + 36 });
      expect(result.deletedCheckpoints).toEqual([{ size: base + 40, witnesses: [witnessPath] }]);
      expect(result.error.message).toContain(witnessPath);
    });

    it("A4.1.1, A6.2: NOT DETECTABLE: the tail past the newest witnessed checkpoint cut consistently (no witness saw it yet)", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      await forgeLog(db, (await entryTexts(db)).slice(0, base + 42));
      const result = await verify(node);
      expect(result.ok).toBe(true); // the schedule bounds this window: at most N entries or T minutes
    });

    it("A4.1.1, A6.2: a row inserted past the head is named exactly; NOT DETECTABLE: entries appended with the head recomputed (a consistent extension)", async () => {
      const first = await witnessedNode(dialect);
      const texts = await entryTexts(first.db);
      const forged = Buffer.from(texts.at(-1)!.replace(/"index":\d+/, `"index":${texts.length}`));
      await first.db
        .insertInto("audit_entries")
        .values({ idx: texts.length, entry: forged, leaf_hash: hashLeaf(forged) })
        .execute();
      const beyond = expectFailure(await verify(first.node));
      expect(beyond.finding).toEqual({ kind: "entry", index: texts.length });

      const second = await witnessedNode(dialect);
      const extended = await entryTexts(second.db);
      await forgeLog(second.db, [...extended, flipOutcome(extended.at(-1)!), flipOutcome(extended.at(-2)!)]);
      expect((await verify(second.node)).ok).toBe(true);
    });

    it("A4.1.1, A6.2: the whole log replaced with recomputed hashes and every checkpoint row deleted: the witness file catches it at its first checkpoint", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const texts = await entryTexts(db);
      await forgeLog(
        db,
        texts.map((t) => t.replace('"actor":"person:registry-officer"', '"actor":"person:someone-else"')),
      );
      await db.deleteFrom("audit_checkpoints").execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_LOG_REWRITTEN");
      // The entries node init wrote are unchanged, but no checkpoint below B+10 says so.
      expect(result.firstAltered).toEqual({ from: 0, to: base + 10 });
      expect(result.deletedCheckpoints).toHaveLength(4);
    });

    it("A4.1.1, A6.2: NOT DETECTABLE without a witness: the whole log rewritten and its checkpoint rows deleted on a node whose witness file is gone", async () => {
      const { node, db, witnessPath } = await witnessedNode(dialect);
      await forgeLog(db, (await entryTexts(db)).map(flipOutcome));
      await db.deleteFrom("audit_checkpoints").execute();
      writeFileSync(witnessPath, ""); // the attacker could also reach the file: nothing outside is left
      const result = await verify(node);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.witnesses[0]).toMatchObject({ state: "empty" });
    });

    it("A4.1.1, A6.2: every checkpoint row deleted, entries untouched: AUDIT_CHECKPOINTS_DELETED names the sizes", async () => {
      const { node, db, base, witnessPath } = await witnessedNode(dialect);
      await db.deleteFrom("audit_checkpoints").execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_CHECKPOINTS_DELETED");
      expect(result.firstAltered).toBeNull();
      expect(result.error.details).toMatchObject({
        witness: witnessPath,
        count: 4,
        sizes: [base + 10, base + 20, base + 30, base + 40],
      });
    });

    it("A4.1.1, A6.2: forged rows re-signed with the stolen data-directory key: the witness file holds the true roots (AUDIT_CHECKPOINT_RESIGNED)", async () => {
      const { node, db, base, witnessPath } = await witnessedNode(dialect);
      const ids = { party: node.config.party, nodeId: node.config.nodeId };
      const stolen = loadAuditSigner(node.location.dataDir, ids, {});
      const texts = await entryTexts(db);
      texts[base + 25] = flipOutcome(texts[base + 25]!);
      const leaves = await forgeLog(db, texts);
      // Every stored checkpoint re-signed over the forged rows, and a new one at B+25 planted.
      await db.deleteFrom("audit_checkpoints").execute();
      for (const size of [base + 10, base + 20, base + 25, base + 30, base + 40]) {
        const root = rootFromFrontier(frontierOfLeaves(leaves.slice(0, size)));
        const note = signCheckpoint({ origin: auditLogOrigin(ids), size, root }, [stolen]);
        await db
          .insertInto("audit_checkpoints")
          .values({ size, root, note, created_at: new Date().toISOString() })
          .execute();
      }
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_CHECKPOINT_RESIGNED");
      expect(result.finding).toMatchObject({ kind: "rewritten", size: base + 30, resigned: true });
      // The planted checkpoint at B+25 is not trusted: only the witnessed B+20 bounds it below.
      expect(result.firstAltered).toEqual({ from: base + 20, to: base + 30 });
      expect(result.error.details).toMatchObject({ witness: witnessPath });
    });

    it("A4.1.1, A6.2: stolen key and witness file rewritten too: the peer's cosignatures still catch it; NOT DETECTABLE once no cosignature exists", async () => {
      const { node, db, base, witnessPath } = await witnessedNode(dialect);
      const ids = { party: node.config.party, nodeId: node.config.nodeId };
      const origin = auditLogOrigin(ids);
      // The peer (AM) cosigned our checkpoints over the link, as the exchange stores them.
      const peer = generateNoteSigner("kelisim/AM/0d8e6c1a-2b3c-4d5e-8f90-123456789abc");
      mkdirSync(join(node.location.dataDir, "exchange"), { recursive: true });
      writeFileSync(
        join(node.location.dataDir, "exchange", "peer.json"),
        JSON.stringify({
          party: "AM",
          url: null,
          auditVerifierKey: formatVerifierKey(verifierOf(peer)),
          auditOrigin: "kelisim/AM/0d8e6c1a-2b3c-4d5e-8f90-123456789abc/audit",
          organisations: [],
        }),
      );
      const stored = await db
        .selectFrom("audit_checkpoints")
        .select(["size", "note"])
        .orderBy("size")
        .execute();
      for (const row of stored.filter((r) => Number(r.size) <= base + 20)) {
        await db
          .insertInto("exchange_cosigned_checkpoints")
          .values({
            party: "AM",
            size: row.size,
            note: cosignCheckpoint(row.note, peer),
            received_at: "2026-06-01T10:00:00.000Z",
          })
          .execute();
      }
      const stolen = loadAuditSigner(node.location.dataDir, ids, {});
      const texts = await entryTexts(db);
      texts[base + 15] = flipOutcome(texts[base + 15]!);
      const leaves = await forgeLog(db, texts);
      await db.deleteFrom("audit_checkpoints").execute();
      writeFileSync(witnessPath, "");
      for (const size of [base + 10, base + 20, base + 30, base + 40]) {
        const root = rootFromFrontier(frontierOfLeaves(leaves.slice(0, size)));
        const note = signCheckpoint({ origin, size, root }, [stolen]);
        await db
          .insertInto("audit_checkpoints")
          .values({ size, root, note, created_at: new Date().toISOString() })
          .execute();
        appendAuditWitness(witnessPath, note);
      }
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_CHECKPOINT_RESIGNED");
      expect(result.error.details).toMatchObject({
        witness: "exchange_cosigned_checkpoints (AM)",
        size: base + 20,
      });
      expect(result.firstAltered).toEqual({ from: base + 10, to: base + 20 });
      expect(result.witnesses.map((w) => [w.kind, w.state])).toEqual([
        ["file", "used"],
        ["peer", "used"],
      ]);

      // The database attacker deletes the cosignature rows too: nothing outside holds the truth.
      await db.deleteFrom("exchange_cosigned_checkpoints").execute();
      expect((await verify(node)).ok).toBe(true);
    });

    it("A4.1.1, A6.2: a cosignature row forged in the database (not signed by the peer's key) is refused: AUDIT_WITNESS_INVALID", async () => {
      const { node, db, base } = await witnessedNode(dialect);
      const peer = generateNoteSigner("kelisim/AM/0d8e6c1a-2b3c-4d5e-8f90-123456789abc");
      const impostor = generateNoteSigner("kelisim/AM/0d8e6c1a-2b3c-4d5e-8f90-123456789abc");
      mkdirSync(join(node.location.dataDir, "exchange"), { recursive: true });
      writeFileSync(
        join(node.location.dataDir, "exchange", "peer.json"),
        JSON.stringify({
          party: "AM",
          url: null,
          auditVerifierKey: formatVerifierKey(verifierOf(peer)),
          auditOrigin: "kelisim/AM/x/audit",
          organisations: [],
        }),
      );
      const row = await db
        .selectFrom("audit_checkpoints")
        .select("note")
        .where("size", "=", base + 10)
        .executeTakeFirstOrThrow();
      await db
        .insertInto("exchange_cosigned_checkpoints")
        .values({
          party: "AM",
          size: base + 10,
          note: cosignCheckpoint(row.note, impostor),
          received_at: "2026-06-01T10:00:00.000Z",
        })
        .execute();
      const result = expectFailure(await verify(node));
      expect(result.error.code).toBe("AUDIT_WITNESS_INVALID");
      expect(result.error.details).toMatchObject({ witness: "exchange_cosigned_checkpoints (AM)" });
    });

    it("A4.1.1, A6.2: the node refuses to sign (and to witness) a checkpoint of a log that no longer extends the witness file", async () => {
      const { node, db, base, witnessPath, schedule } = await witnessedNode(dialect);
      const texts = await entryTexts(db);
      texts[base + 5] = flipOutcome(texts[base + 5]!);
      await forgeLog(db, texts);
      await expect(signNodeAuditCheckpoint(node, new Date(), { env: ENV })).rejects.toMatchObject({
        code: "AUDIT_CHECKPOINT_REFUSED",
      });
      const logged: string[] = [];
      const s = startAuditCheckpoints(node, {
        policy: { everyEntries: 1, everyMs: 1 },
        timer: () => () => {},
        env: ENV,
        log: (l) => logged.push(l),
      });
      expect(await s.tick()).toBeNull();
      expect(logged.join("\n")).toMatch(/no checkpoint signed/);
      await schedule.stop();
      expect(readAuditWitness(witnessPath).notes).toHaveLength(4);
    });
  });
}

describe("kelisim audit verify prints its witnesses [sqlite]", () => {
  it("A4.1.1, A6.2: lists the witness file it compared and fails with what it found when checkpoint rows are deleted", async () => {
    const { node, db, base, witnessPath } = await witnessedNode("sqlite");
    await db.deleteFrom("audit_checkpoints").execute();
    const run = promisify(execFile);
    const env = { ...process.env, DATABASE_URL: "", KELISIM_DATA: "", KELISIM_AUDIT_WITNESS: "" };
    const failed = await run(
      process.execPath,
      [KELISIM_BIN, "audit", "verify", "--data", node.location.dataDir],
      {
        env,
      },
    ).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain(
      `witness file ${witnessPath}: 4 checkpoints compared, newest size ${base + 40}`,
    );
    expect(failed?.stderr).toContain(
      `A4.1.1, A6.2 — 4 signed checkpoints of the audit log that ${witnessPath} holds were deleted from the database`,
    );
    expect(readFileSync(witnessPath, "utf8").split("\n").filter(Boolean)).toHaveLength(4);
  });
});

describe("the witness file", () => {
  it("A4.1.1, A6.2: keeps one JSON-encoded note per line; a last line torn by a crash is left out, the rest still read", () => {
    const dir = makeTempDir();
    const path = join(dir, "audit-witness.log");
    const notes = Array.from(
      { length: 40 },
      (_, i) => `kelisim/KZ/x/audit\n${i}\n${"A".repeat(200)}\n\n— sig\n`,
    );
    for (const note of notes) appendAuditWitness(path, note);
    expect(readLastAuditWitness(path)).toBe(notes.at(-1));
    writeFileSync(path, `${readFileSync(path, "utf8")}"kelisim/KZ/x/au`);
    const read = readAuditWitness(path);
    expect(read.notes.map((n) => n.note)).toEqual(notes);
    expect(read.tornLastLine).toBe(true);
    expect(readLastAuditWitness(path)).toBe(notes.at(-1));
    writeFileSync(path, `not json\n${JSON.stringify(notes[0])}\n`);
    expect(() => readAuditWitness(path)).toThrow(/line 1/);
    rmSync(dir, { recursive: true, force: true });
  });
});
