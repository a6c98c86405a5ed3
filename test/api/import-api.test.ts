// D3, A15.3 through the API: POST /api/import/predecessor on SQLite and PostgreSQL, tried
// unauthenticated, as a cleared user, as the registry officer (a dry run, a refused file, an import)
// and past its size limit; the imported carrier then answers through the one visibility rule (A4.2).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IMPORT_BODY_LIMIT } from "../../src/api/routes/import.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

const HEADER =
  "old_number,copy,kind,title,old_marking,originator_party,originator_body,custodian,sheets,registered_on";

for (const dialect of DIALECTS) {
  describe(`the import route [${dialect}]`, () => {
    let api: ApiNode;
    let registry: Session;
    let user: Session;
    let low: Session;
    let csv: (rows: string[]) => string;

    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
      registry = await login(api, "kz-registry");
      user = await login(api, "kz-user");
      low = await login(api, "kz-user-low");
      const body = api.world.organisations.body1.name;
      // A name with a comma or quotes is quoted as CSV quotes it.
      const cell = `"${body.replace(/"/g, '""')}"`;
      csv = (rows) => [HEADER, ...rows.map((r) => r.replace(/BODY/g, cell))].join("\r\n");
    });
    afterAll(async () => {
      await api?.close();
    });

    const post = (session: Session | undefined, text: string, dryRun: boolean, lang = "en") =>
      call(
        api,
        session,
        "POST",
        "/api/import/predecessor",
        { format: "csv", text, dryRun },
        { "accept-language": lang },
      );

    it("A4.2: refuses without a session and a cleared user's import (who sees no such permission)", async () => {
      const text = csv(["РД-2017/1,1,paper-document,Frequency plan,Құпия,KZ,BODY,BODY,4,2017-02-01"]);
      expect((await post(undefined, text, true)).statusCode).toBe(401);
      const refused = await post(user, text, true);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "ROLE_FORBIDDEN" });
      const session = (await call(api, user, "GET", "/api/session")).json();
      expect(session.permissions.importPredecessorRecords).toBe(false);
      const own = (await call(api, registry, "GET", "/api/session")).json();
      expect(own.permissions.importPredecessorRecords).toBe(true);
    });

    it("D3, A2.1: names each problem's line and field in the user's language; nothing is written", async () => {
      const before = (await call(api, registry, "GET", "/api/carriers?limit=200")).json().items.length;
      const text = csv([
        "РД-2017/1,1,paper-document,Frequency plan,Құпия,KZ,BODY,BODY,4,2017-02-01",
        "РД-2017/2,1,paper-document,Antenna survey,Для служебного пользования,KZ,BODY,BODY,4,2017-02-31",
      ]);
      const answer = await post(registry, text, false, "ru");
      expect(answer.statusCode).toBe(200);
      const report = answer.json();
      expect(report.outcome).toBe("refused");
      expect(
        report.problems.map((p: { line: number; field: string; code: string }) => [p.line, p.field, p.code]),
      ).toEqual([
        [3, "old_marking", "IMPORT_MARKING_UNMAPPED"],
        [3, "registered_on", "IMPORT_DATE_INVALID"],
      ]);
      expect(report.problems[0].message).toBe(
        "D3, A2.1 — строка 3, old_marking: гриф «Для служебного пользования» отсутствует в таблице грифов соглашения 2015 года; степень не предполагается",
      );
      expect((await call(api, registry, "GET", "/api/carriers?limit=200")).json().items.length).toBe(before);
    });

    let imported: { id: string; registrationNumber: string };
    it("D3, A15.3: a dry run, then the import; the carrier is shown with its origin, and hidden from one not cleared for it", async () => {
      const text = csv(["РД-2017/1,1,paper-document,Frequency plan,Өте құпия,KZ,BODY,BODY,4,2017-02-01"]);
      const dry = (await post(registry, text, true)).json();
      expect(dry).toMatchObject({ outcome: "dry-run", rows: 1, problems: [] });
      expect(dry.carriers[0]).toMatchObject({ line: 2, levelId: "top-secret", registrationNumber: null });
      const done = (await post(registry, text, false)).json();
      expect(done.outcome).toBe("imported");
      imported = done.carriers[0];
      expect(imported.registrationNumber).toMatch(/^KZ-\d{4}-\d{6}\/1$/);
      const view = await call(api, registry, "GET", `/api/carriers/${imported.id}`);
      expect(view.statusCode).toBe(200);
      expect(view.json().carrier.predecessor).toEqual({
        agreement: "kz-am-2015",
        oldNumber: "РД-2017/1",
        oldCopy: 1,
        oldMarking: "Өте құпия",
      });
      // A4.2: below the level, the answer is the one for a carrier that does not exist.
      const hidden = await call(api, low, "GET", `/api/carriers/${imported.id}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().code).toBe("CARRIER_NOT_FOUND");
    });

    it("takes no file larger than its limit", async () => {
      const answer = await post(registry, "x".repeat(IMPORT_BODY_LIMIT + 128 * 1024), true);
      expect(answer.statusCode).toBe(413);
    });
  });
}
