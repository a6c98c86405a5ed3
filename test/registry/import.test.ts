// D3, A15.3: records of the repealed 2015 agreement imported into a KZ node's registry, on SQLite
// and PostgreSQL, from the files of test/fixtures/import-2015 (the format of docs/import-2015.md).
// A good file imports, its old markings mapped to levels through the pack's table, its carriers
// flagged with their origin; the other Party's information among them still needs its
// originator's written permission to be destroyed (A6.6), as a carrier received under the new
// agreement does; people the visibility rule keeps out learn nothing of them (A4.2). A file with
// any problem commits nothing but its refusal's audit entry and names each line and field; a dry
// run commits nothing but its own entry.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { destroyCarrier } from "../../src/app/carriers/destroy-carrier.ts";
import { listCarriers } from "../../src/app/carriers/list-carriers.ts";
import { showCarrier } from "../../src/app/carriers/show-carrier.ts";
import { importPredecessorRecords } from "../../src/app/import/import-predecessor-records.ts";
import { parseImportFile } from "../../src/app/import/predecessor-format.ts";
import { grantFacilityClearance } from "../../src/app/organisations/grant-facility-clearance.ts";
import { grantPersonalClearance } from "../../src/app/people/grant-personal-clearance.ts";
import type { FlowContext } from "../../src/app/transfer/flow-context.ts";
import { DomainError, describeError } from "../../src/domain/errors.ts";
import { DIALECTS } from "../support/databases.ts";
import { createTestNode, type TestNode, withFixedClock } from "../support/nodes.ts";
import { fixture, writePeerDirectory } from "./import-fixture.ts";
import { AM_BODY, consentState, flowsOf, grantedByOriginator } from "./received-fixture.ts";
import { auditSince, auditSize, MOD, seedRegistry } from "./registry-fixture.ts";

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
  describe(`import of the 2015 agreement's records [${dialect}]`, () => {
    let node: TestNode;
    let flows: FlowContext;
    let mod: string;
    const clock = withFixedClock("2026-06-01T06:00:00.000Z");

    beforeAll(async () => {
      node = await createTestNode(dialect, { now: clock.now });
      await seedRegistry(node.ctx);
      writePeerDirectory(node.location.dataDir);
      flows = flowsOf(node.ctx);
      mod = (
        await node.ctx.db
          .selectFrom("organisations")
          .select("id")
          .where("name", "=", MOD)
          .executeTakeFirstOrThrow()
      ).id;
    });
    afterAll(async () => {
      flows?.exchange.close();
      await node?.cleanup();
    });

    const carrierCount = async () =>
      Number(
        (
          await node.ctx.db
            .selectFrom("carriers")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const run = (name: string, options: { actor?: string; dryRun?: boolean } = {}) => {
      const { text, format } = fixture(name);
      return importPredecessorRecords(node.ctx, {
        actor: options.actor ?? "reg",
        file: parseImportFile(text, format),
        ...(options.dryRun ? { dryRun: true } : {}),
      });
    };

    // The malformed files first: each leaves the registry as it was.
    it.each([
      ["bad-level.csv", 3, "old_marking", "IMPORT_MARKING_UNMAPPED"],
      ["missing-field.csv", 3, "title", "IMPORT_FIELD_MISSING"],
      ["bad-date.csv", 3, "registered_on", "IMPORT_DATE_INVALID"],
      ["unknown-custodian.csv", 3, "custodian", "IMPORT_CUSTODIAN_UNKNOWN"],
      ["broken-quote.csv", 2, null, "IMPORT_FILE_MALFORMED"],
    ])(
      "D3, A2.1, A6.2: %s commits nothing but its refusal, naming line %i and field %s",
      async (name, line, field, code) => {
        const carriers = await carrierCount();
        const audit = await auditSize(node.ctx);
        const report = await run(name);
        expect(report.outcome).toBe("refused");
        expect(report.carriers).toEqual([]);
        expect(report.problems.map((p) => [p.line, p.field, p.error.code])).toEqual([[line, field, code]]);
        // The problem in the user's language, naming the line and the field.
        const problem = report.problems[0]!;
        expect(describeError(problem.error, "ru")).toContain(`строка ${line}`);
        expect(describeError(problem.error, "kk")).toContain(`${line}-жол`);
        if (field) expect(describeError(problem.error, "hy")).toContain(field);
        expect(await carrierCount()).toBe(carriers);
        const entries = await auditSince(node.ctx, audit);
        expect(entries.map((e) => [e.event, e.outcome])).toEqual([["carriers.imported", "refused"]]);
        expect(entries[0]!.data).toMatchObject({ code: "IMPORT_REFUSED", details: { count: 1, line } });
        expect(entries[0]!.articles).toEqual(["D3", "A15.3"]);
      },
    );

    it("D3: a JSON file with several problems names each one's line and field, and commits nothing", async () => {
      const carriers = await carrierCount();
      const report = await run("malformed.json");
      expect(report.outcome).toBe("refused");
      expect(report.rows).toBe(2);
      expect(report.problems.map((p) => [p.line, p.field, p.error.code])).toEqual([
        // The other Party's information is recorded as received: the record lacks its transfer.
        [17, "transfer_direction", "IMPORT_TRANSFER_INCONSISTENT"],
        [19, "copy", "IMPORT_NUMBER_INVALID"],
        [20, "kind", "IMPORT_VALUE_NOT_ALLOWED"],
        [22, "old_marking", "IMPORT_MARKING_UNMAPPED"],
        [26, "registered_on", "IMPORT_DATE_INVALID"],
        [27, "colour", "IMPORT_COLUMN_UNKNOWN"],
      ]);
      expect(describeError(report.problems[4]!.error, "en")).toBe(
        "D3 — line 26, registered_on: “2014-01-01” is not a date YYYY-MM-DD from 2015-04-27 to 2026-06-01",
      );
      expect(await carrierCount()).toBe(carriers);
    });

    it("D3: a dry run reports what would be imported and commits nothing but its audit entry", async () => {
      const carriers = await carrierCount();
      const audit = await auditSize(node.ctx);
      const report = await run("good.csv", { dryRun: true });
      expect(report.outcome).toBe("dry-run");
      expect(report.problems).toEqual([]);
      expect(report.carriers.map((c) => [c.line, c.levelId, c.registrationNumber])).toEqual([
        [2, "top-secret", null],
        [3, "top-secret", null],
        [4, "secret", null],
        [5, "top-secret", null],
        [6, "secret", null],
      ]);
      expect(await carrierCount()).toBe(carriers);
      const entries = await auditSince(node.ctx, audit);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([["carriers.import-checked", "allowed"]]);
    });

    it("A4.2: a cleared user may not import; the refusal is recorded and nothing else", async () => {
      const carriers = await carrierCount();
      const error = await refusal(run("good.csv", { actor: "alice" }));
      expect(error.code).toBe("ROLE_FORBIDDEN");
      expect(await carrierCount()).toBe(carriers);
    });

    let imported: Awaited<ReturnType<typeof run>>;
    it("D3, A15.3, A2.1, A6.1, A6.2: a good file imports, each old marking mapped through the pack, one audit entry with the counts", async () => {
      const carriers = await carrierCount();
      const audit = await auditSize(node.ctx);
      imported = await run("good.csv");
      expect(imported.outcome).toBe("imported");
      expect(imported.rows).toBe(5);
      expect(await carrierCount()).toBe(carriers + 5);
      expect(imported.carriers.map((c) => [c.line, c.levelId, c.marking, c.nationalMarking])).toEqual([
        [2, "top-secret", "Հույժ գաղտնի", "Өте құпия"],
        [3, "top-secret", "Հույժ գաղտնի", "Өте құпия"],
        [4, "secret", "Գաղտնի", "Құпия"],
        [5, "top-secret", "Өте құпия", null],
        [6, "secret", "Құпия", null],
      ]);
      // Copies of one old number share the new registration number (A6.2).
      const numbers = imported.carriers.map((c) => c.registrationNumber!);
      expect(numbers[0]!.replace(/\/1$/, "/2")).toBe(numbers[1]);
      expect(new Set(numbers.map((n) => n.split("/")[0])).size).toBe(4);
      const entries = await auditSince(node.ctx, audit);
      expect(entries.map((e) => [e.event, e.outcome])).toEqual([["carriers.imported", "done"]]);
      expect(entries[0]!.data).toMatchObject({
        rows: 5,
        carriers: 5,
        origin: "kz-am-2015",
        byLevel: { "top-secret": 3, secret: 2 },
        byOriginator: { AM: 3, KZ: 2 },
      });
      // The other Party's carriers keep the originator's reference, as received ones do.
      const refs = await node.ctx.db
        .selectFrom("received_carriers")
        .select([
          "carrier_id",
          "origin_party",
          "origin_registration_number",
          "origin_copy_number",
          "origin_org",
        ])
        .where(
          "carrier_id",
          "in",
          imported.carriers.slice(0, 3).map((c) => c.id!),
        )
        .orderBy("origin_copy_number")
        .orderBy("origin_registration_number")
        .execute();
      expect(
        refs.map((r) => [r.origin_party, r.origin_registration_number, r.origin_copy_number, r.origin_org]),
      ).toEqual([
        ["AM", "ՊՆ-2016/301", 1, AM_BODY],
        ["AM", "ՊՆ-2017/88", 1, AM_BODY],
        ["AM", "ՊՆ-2016/301", 2, AM_BODY],
      ]);
    });

    it("D3: the registry officer sees the imported carriers flagged with their origin, old number and marking", async () => {
      const page = await listCarriers(node.ctx, { actor: "reg", limit: 50 });
      const flagged = page.carriers.filter((c) => c.summary.predecessor !== null);
      expect(flagged).toHaveLength(5);
      const shown = await showCarrier(node.ctx, { actor: "reg", carrier: imported.carriers[4]!.id! });
      expect(shown.view.carrier.predecessor).toEqual({
        agreement: "kz-am-2015",
        oldNumber: "МО-2019/2",
        oldCopy: 1,
        oldMarking: "СЕКРЕТНО",
      });
      expect(shown.view.carrier.status).toBe("registered");
      const received = await showCarrier(node.ctx, { actor: "reg", carrier: imported.carriers[0]!.id! });
      expect(received.view.carrier.status).toBe("received");
      expect(received.view.carrier.originatorName).toBe("AM Defence Institute");
    });

    it("A4.2, A15.3: people the visibility rule keeps out do not learn of the imported carriers", async () => {
      const ids = new Set(imported.carriers.map((c) => c.id));
      for (const actor of ["bob", "carol", "ivan"]) {
        const page = await listCarriers(node.ctx, { actor, limit: 500 });
        expect(
          page.carriers.filter((c) => ids.has(c.id)),
          actor,
        ).toEqual([]);
      }
      const hidden = await refusal(
        showCarrier(node.ctx, { actor: "carol", carrier: imported.carriers[0]!.id! }),
      );
      expect(hidden.code).toBe("CARRIER_NOT_FOUND");
      const byNumber = await refusal(
        showCarrier(node.ctx, { actor: "bob", carrier: imported.carriers[0]!.registrationNumber! }),
      );
      expect(byNumber.code).toBe("CARRIER_NOT_FOUND");
    });

    it("A6.6, A15.3: an imported carrier of the other Party is destroyed only with its originator's written permission, which is then spent", async () => {
      const target = imported.carriers[2]!;
      const without = await refusal(destroyCarrier(flows, { actor: "reg", carrier: target.id! }));
      expect(without.code).toBe("DESTRUCTION_NEEDS_PERMISSION");
      expect(without.articles).toContain("A6.6");
      const consent = await grantedByOriginator(node.ctx, {
        root: target.id!,
        holder: mod,
        action: "destroy",
      });
      await destroyCarrier(flows, { actor: "reg", carrier: target.id! });
      expect(await consentState(node.ctx, consent)).toBe("used");
      // This Party's own imported information needs no one's permission.
      await destroyCarrier(flows, { actor: "reg", carrier: imported.carriers[4]!.id! });
    });

    it("A6.2: the same file again is refused line by line as already in the registry", async () => {
      const carriers = await carrierCount();
      const report = await run("good.json");
      expect(report.outcome).toBe("refused");
      expect(report.problems.map((p) => [p.line, p.field, p.error.code])).toEqual([
        [2, "old_number", "IMPORT_ALREADY_REGISTERED"],
        [2, "other_party_number", "IMPORT_ALREADY_REGISTERED"],
        [17, "old_number", "IMPORT_ALREADY_REGISTERED"],
      ]);
      expect(await carrierCount()).toBe(carriers);
    });

    it("A4.2, A4.1.3, A6.2: the competent authority imports for any body, within its own clearances and the body's", async () => {
      const row = (custodian: string, marking: string) =>
        [
          "old_number,copy,kind,title,old_marking,originator_party,originator_body,custodian,sheets,registered_on",
          `ИФ-2020/1,1,paper-document,Institute report,${marking},KZ,${custodian},${custodian},2,2020-01-15`,
        ].join("\n");
      const asCa = (text: string) =>
        importPredecessorRecords(node.ctx, { actor: "ca", file: parseImportFile(text, "csv") });
      // Without a clearance of its own the authority learns of nothing it would register.
      const uncleared = await asCa(row(MOD, "Құпия"));
      expect(uncleared.problems.map((p) => p.error.code)).toEqual(["IMPORT_ABOVE_CLEARANCE"]);
      await grantPersonalClearance(node.ctx, {
        actor: "ca",
        person: "ca",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      await grantFacilityClearance(node.ctx, {
        actor: "ca",
        organisation: "competent-authority",
        level: "top-secret",
        validFrom: "2026-01-01",
        validTo: "2030-12-31",
      });
      // The Institute holds no facility clearance: it cannot keep the carrier (A4.1.3).
      const institute = await asCa(row("Institute of Physics", "Құпия"));
      expect(institute.problems.map((p) => [p.line, p.field, p.error.code])).toEqual([
        [2, "custodian", "IMPORT_CUSTODIAN_NOT_CLEARED"],
      ]);
      const done = await asCa(row(MOD, "Құпия"));
      expect(done.outcome).toBe("imported");
      // A registry officer imports into their own body's registry only.
      const other = await importPredecessorRecords(node.ctx, {
        actor: "reg",
        file: parseImportFile(row("Institute of Physics", "Құпия").replace("ИФ-2020/1", "ИФ-2020/2"), "csv"),
      });
      expect(other.problems.map((p) => p.error.code)).toContain("IMPORT_CUSTODIAN_NOT_OWN");
    });
  });
}
