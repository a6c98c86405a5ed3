// `npm run bench -- import`: importing the records of the 2015 agreement (D3) into a KZ node's
// registry, on SQLite and PostgreSQL, measured in one run.
//
// - Records per second through the use case (`importPredecessorRecords`: every record checked,
//   numbers allocated, carriers, title index, originator references, origin flags and one audit
//   entry, in one transaction) against the database's raw bulk insert of the same records into the
//   same `carriers` table (multi-row INSERTs of 1000 rows, one statement prepared once, in one
//   transaction, through the bare driver), measured in the same run.
// - An A/A run: the raw insert measured twice per round, to show the noise of the machine.
// - Rounds alternate the order of the three (use case, raw A, raw B); medians are reported.
// - Reading the same records from CSV text (`parseImportFile`), on its own.
//
// PostgreSQL: KELISIM_BENCH_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test, in a fresh
// schema dropped afterwards. Knobs: KELISIM_BENCH_IMPORT_ROWS (default 1000000),
// KELISIM_BENCH_IMPORT_ROUNDS (default 3), KELISIM_BENCH_ONLY=sqlite|postgres, KELISIM_BENCH_KEEP=1.
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { loadAgreementPack } from "../src/agreements/load-pack.ts";
import { type AppContext, createAppContext } from "../src/app/context.ts";
import { importPredecessorRecords } from "../src/app/import/import-predecessor-records.ts";
import {
  IMPORT_COLUMNS,
  type ImportColumn,
  type ParsedImportFile,
  parseImportFile,
  type SourceRecord,
} from "../src/app/import/predecessor-format.ts";
import { initNode } from "../src/app/node/init-node.ts";
import { grantFacilityClearance } from "../src/app/organisations/grant-facility-clearance.ts";
import { registerOrganisation } from "../src/app/organisations/register-organisation.ts";
import { acknowledgeObligations, showObligations } from "../src/app/people/acknowledge-obligations.ts";
import { grantPersonalClearance } from "../src/app/people/grant-personal-clearance.ts";
import { registerPerson } from "../src/app/people/register-person.ts";
import { type NodeLocation, type OpenNode, openNode } from "../src/node/open-node.ts";
import type { StoreDialect } from "../src/store/columns.ts";
import { SQLITE_FILE_NAME } from "../src/store/open-database.ts";

const ROWS = Number(process.env.KELISIM_BENCH_IMPORT_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.KELISIM_BENCH_IMPORT_ROUNDS ?? 3);
const PG_URL = process.env.KELISIM_BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const BODY = "Ministry of Defence";
const AM_BODY = { id: "am-defence-institute", name: "AM Defence Institute" };
const RAW_BATCH = 1000;

const CARRIER_COLUMNS = [
  "id",
  "seq",
  "registration_number",
  "copy_number",
  "kind",
  "sheets",
  "size_bytes",
  "title",
  "level",
  "marking",
  "national_marking",
  "originator_party",
  "originator_name",
  "originator_organisation_id",
  "custodian_organisation_id",
  "contract_id",
  "state",
  "has_content",
  "registered_at",
  "registered_by",
  "updated_at",
  "destroyed_at",
  "version",
] as const;

const VOCABULARY = Array.from(
  { length: 1000 },
  (_, i) => `w${i.toString(36)}x${((i * 7919) % 997).toString(36)}`,
);
const OLD_MARKINGS = ["Секретно", "Совершенно секретно", "Құпия", "Өте құпия", "Գաղտնի", "Հույժ գաղտնի"];
const LEVEL_OF: Record<string, string> = {
  Секретно: "secret",
  "Совершенно секретно": "top-secret",
  Құпия: "secret",
  "Өте құпия": "top-secret",
  Գաղտնի: "secret",
  "Հույժ գաղտնի": "top-secret",
};

let rng = 42;
function random(): number {
  rng = (rng * 1103515245 + 12345) % 2147483648;
  return rng / 2147483648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (n: number, ms: number) => `${Math.round(n / (ms / 1000)).toLocaleString("en")} rows/s`;

/** `ROWS` records of round `round`: a third the other Party's (received), two thirds this Party's. */
function generate(round: number): SourceRecord[] {
  const records: SourceRecord[] = [];
  for (let i = 0; i < ROWS; i++) {
    const foreign = i % 3 === 0;
    const marking = foreign ? pick(OLD_MARKINGS.slice(4)) : pick(OLD_MARKINGS.slice(0, 4));
    const values: Partial<Record<ImportColumn, string>> = {
      old_number: `МО-${round}-${Math.floor(i / 2)}`,
      copy: String((i % 2) + 1),
      kind: "paper-document",
      title: `${pick(VOCABULARY)} ${pick(VOCABULARY)} ${pick(VOCABULARY)} report`,
      old_marking: marking,
      originator_party: foreign ? "AM" : "KZ",
      originator_body: foreign ? AM_BODY.name : BODY,
      custodian: BODY,
      sheets: String(1 + (i % 40)),
      registered_on: "2017-05-04",
      ...(foreign
        ? { transfer_direction: "in", other_party_number: `ՊՆ-${round}-${i}`, transfer_date: "2017-05-02" }
        : {}),
    };
    records.push({ line: i + 2, values });
  }
  return records;
}

function toCsv(records: readonly SourceRecord[]): string {
  const cell = (v: string | undefined) =>
    v === undefined ? "" : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  return [
    IMPORT_COLUMNS.join(","),
    ...records.map((r) => IMPORT_COLUMNS.map((c) => cell(r.values[c])).join(",")),
  ].join("\n");
}

type Bench = { ctx: AppContext; node: OpenNode; location: NodeLocation; cleanup: () => Promise<void> };

async function createNode(dialect: StoreDialect): Promise<Bench> {
  const dataDir = mkdtempSync(join(tmpdir(), "kelisim-bench-import-"));
  let schema: string | undefined;
  let location: NodeLocation = { dataDir };
  if (dialect === "postgres") {
    schema = `bench_import_${process.pid}_${Date.now().toString(36)}`;
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
  mkdirSync(join(dataDir, "exchange"), { recursive: true });
  writeFileSync(
    join(dataDir, "exchange", "peer.json"),
    JSON.stringify({
      party: "AM",
      url: null,
      auditVerifierKey: "",
      auditOrigin: "",
      organisations: [{ ...AM_BODY, kind: "authorized-body", encryptionCertificatePem: "" }],
    }),
  );
  await registerPerson(ctx, {
    actor: "admin",
    organisation: "competent-authority",
    handle: "ca",
    name: "CA Officer",
    roles: ["competent-authority-officer"],
  });
  await registerOrganisation(ctx, { actor: "admin", name: BODY });
  await grantFacilityClearance(ctx, {
    actor: "ca",
    organisation: BODY,
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2040-12-31",
  });
  await registerPerson(ctx, {
    actor: "admin",
    organisation: BODY,
    handle: "reg",
    name: "Registry",
    roles: ["registry-officer"],
  });
  // A4.4: the registry officer acknowledged their obligations before any access.
  await acknowledgeObligations(ctx, {
    actor: "reg",
    version: (await showObligations(ctx, { actor: "reg" })).version,
  });
  await grantPersonalClearance(ctx, {
    actor: "ca",
    person: "reg",
    level: "top-secret",
    validFrom: "2026-01-01",
    validTo: "2040-12-31",
  });
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

/**
 * The baseline: the same records as plain carrier rows (what the import writes to `carriers`, with
 * the markings and numbers precomputed), inserted by multi-row INSERTs through the bare driver in
 * one durable transaction. Returns the time of the insert alone.
 */
async function rawInsert(bench: Bench, dialect: StoreDialect, records: readonly SourceRecord[], tag: string) {
  const { ctx } = bench;
  const body = await ctx.db
    .selectFrom("organisations")
    .select("id")
    .where("name", "=", BODY)
    .executeTakeFirstOrThrow();
  const registrar = await ctx.db
    .selectFrom("people")
    .select("id")
    .where("handle", "=", "reg")
    .executeTakeFirstOrThrow();
  const base = Number(
    (
      await ctx.db
        .selectFrom("carriers")
        .select((eb) => eb.fn.max("seq").as("m"))
        .executeTakeFirst()
    )?.m ?? 0,
  );
  const at = new Date().toISOString();
  const rows: unknown[][] = records.map((r, i) => {
    const foreign = r.values.originator_party === "AM";
    const level = LEVEL_OF[r.values.old_marking!]!;
    return [
      randomUUID(),
      base + i + 1,
      `RAW-${tag}-${i}`,
      Number(r.values.copy),
      r.values.kind,
      Number(r.values.sheets),
      null,
      r.values.title,
      level,
      r.values.old_marking,
      foreign ? level : null,
      r.values.originator_party,
      foreign ? AM_BODY.id : BODY,
      foreign ? null : body.id,
      body.id,
      null,
      foreign ? "received" : "registered",
      0,
      at,
      registrar.id,
      at,
      null,
      1,
    ];
  });
  const columns = CARRIER_COLUMNS.join(", ");
  const width = CARRIER_COLUMNS.length;
  if (dialect === "sqlite") {
    const raw = new BetterSqlite3(join(bench.location.dataDir, SQLITE_FILE_NAME), { timeout: 60_000 });
    raw.pragma("journal_mode = WAL");
    raw.pragma("synchronous = FULL");
    const tuple = `(${Array(width).fill("?").join(", ")})`;
    const full = raw.prepare(
      `insert into carriers (${columns}) values ${Array(RAW_BATCH).fill(tuple).join(", ")}`,
    );
    const t = performance.now();
    raw.exec("begin immediate");
    for (let start = 0; start < rows.length; start += RAW_BATCH) {
      const batch = rows.slice(start, start + RAW_BATCH);
      const statement =
        batch.length === RAW_BATCH
          ? full
          : raw.prepare(
              `insert into carriers (${columns}) values ${Array(batch.length).fill(tuple).join(", ")}`,
            );
      statement.run(...batch.flat());
    }
    raw.exec("commit");
    const ms = performance.now() - t;
    raw.close();
    return ms;
  }
  const client = new pg.Client({ connectionString: bench.location.databaseUrl });
  await client.connect();
  const text = (n: number) =>
    `insert into carriers (${columns}) values ${Array.from(
      { length: n },
      (_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(", ")})`,
    ).join(", ")}`;
  const fullText = text(RAW_BATCH);
  const t = performance.now();
  await client.query("begin");
  for (let start = 0; start < rows.length; start += RAW_BATCH) {
    const batch = rows.slice(start, start + RAW_BATCH);
    if (batch.length === RAW_BATCH)
      await client.query({ name: `raw-${tag}`, text: fullText, values: batch.flat() });
    else await client.query(text(batch.length), batch.flat());
  }
  await client.query("commit");
  const ms = performance.now() - t;
  await client.end();
  return ms;
}

async function benchDialect(dialect: StoreDialect) {
  const bench = await createNode(dialect);
  try {
    const useCase: number[] = [];
    const rawA: number[] = [];
    const rawB: number[] = [];
    let carriers = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const records = generate(round);
      const file: ParsedImportFile = { format: "csv", records, problems: [] };
      const steps: [string, () => Promise<void>][] = [
        [
          "use case",
          async () => {
            const t = performance.now();
            const report = await importPredecessorRecords(bench.ctx, { actor: "reg", file });
            useCase.push(performance.now() - t);
            if (report.outcome !== "imported")
              throw new Error(`import refused: ${report.problems[0]?.error.message ?? "?"}`);
            carriers = report.carriers.length;
          },
        ],
        ["raw A", async () => void rawA.push(await rawInsert(bench, dialect, records, `a${round}`))],
        ["raw B", async () => void rawB.push(await rawInsert(bench, dialect, records, `b${round}`))],
      ];
      // Rotate the order each round so no side always runs on a warmer or a fuller database.
      for (let k = 0; k < steps.length; k++) {
        const [name, step] = steps[(k + round) % steps.length]!;
        globalThis.gc?.();
        await step();
        const last = name === "use case" ? useCase.at(-1)! : name === "raw A" ? rawA.at(-1)! : rawB.at(-1)!;
        console.log(`  [${dialect}] round ${round + 1}/${ROUNDS} ${name}: ${rate(ROWS, last)}`);
      }
    }
    const u = median(useCase);
    const a = median(rawA);
    const b = median(rawB);
    console.log(`${dialect}: ${ROWS.toLocaleString("en")} records × ${ROUNDS} rounds (medians)`);
    console.log(`  import use case      ${rate(carriers, u)}  (${(u / 1000).toFixed(1)} s)`);
    console.log(`  raw bulk INSERT (A)  ${rate(ROWS, a)}  (${(a / 1000).toFixed(1)} s)`);
    console.log(`  raw bulk INSERT (B)  ${rate(ROWS, b)}  (${(b / 1000).toFixed(1)} s)`);
    console.log(`  use case / raw A     ${(a / u).toFixed(3)}`);
    console.log(`  A/A: raw B / raw A   ${(a / b).toFixed(3)}  (noise of the machine)`);
  } finally {
    await bench.cleanup();
  }
}

async function benchParse() {
  const text = toCsv(generate(99));
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    globalThis.gc?.();
    const t = performance.now();
    const parsed = parseImportFile(text, "csv");
    times.push(performance.now() - t);
    if (parsed.records.length !== ROWS) throw new Error("parse lost records");
  }
  console.log(
    `CSV reading (${(text.length / 1048576).toFixed(0)} MiB): ${rate(ROWS, median(times))} (median of 3)`,
  );
}

const only = process.env.KELISIM_BENCH_ONLY;
await benchParse();
for (const dialect of ["sqlite", "postgres"] as const) {
  if (only && only !== dialect) continue;
  await benchDialect(dialect);
}
