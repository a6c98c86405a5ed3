import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

/** A4.2: the audit log searched and exported through the API, by those who may read it only. */
for (const dialect of DIALECTS) {
  describe(`A4.2: audit search and export through the API [${dialect}]`, () => {
    let kz: ApiNode;
    const sessions: Record<string, Session> = {};

    beforeAll(async () => {
      kz = await startApiNode(dialect, "KZ");
      for (const name of ["kz-auditor", "kz-authority", "kz-registry", "kz-user"]) {
        sessions[name] = await login(kz, name);
      }
      const created = await call(kz, sessions["kz-registry"], "POST", "/api/carriers", {
        title: "Аудит сынағы",
        kind: "electronic-file",
        level: "secret",
        contentText: "AUDIT-SEARCH",
      });
      expect(created.statusCode, created.body).toBe(201);
    });
    afterAll(async () => {
      await kz?.close();
    });

    it("refuses the unauthenticated (401) and a role that may not read the audit (403)", async () => {
      expect((await call(kz, undefined, "GET", "/api/audit/search")).statusCode).toBe(401);
      expect((await call(kz, undefined, "GET", "/api/audit/export?format=csv")).statusCode).toBe(401);
      const user = await call(kz, sessions["kz-user"], "GET", "/api/audit/search");
      expect(user.statusCode).toBe(403);
      expect(user.json().code).toBe("ROLE_FORBIDDEN");
      expect((await call(kz, sessions["kz-registry"], "GET", "/api/audit/export")).statusCode).toBe(403);
    });

    it("filters by event and outcome, pages with the cursor, and refuses bad filters (400)", async () => {
      const first = await call(
        kz,
        sessions["kz-auditor"],
        "GET",
        "/api/audit/search?event=carrier.&outcome=done&limit=1",
      );
      expect(first.statusCode, first.body).toBe(200);
      const page = first.json() as { items: { index: number; event: string }[]; nextCursor: string | null };
      expect(page.items).toHaveLength(1);
      expect(page.items[0]!.event.startsWith("carrier.")).toBe(true);
      if (page.nextCursor !== null) {
        const next = await call(
          kz,
          sessions["kz-auditor"],
          "GET",
          `/api/audit/search?event=carrier.&outcome=done&limit=1&cursor=${page.nextCursor}`,
        );
        expect(next.json().items[0].index).toBeLessThan(page.items[0]!.index);
      }
      const bad = await call(kz, sessions["kz-auditor"], "GET", "/api/audit/search?outcome=maybe");
      expect(bad.statusCode).toBe(400);
      const tooMany = await call(kz, sessions["kz-auditor"], "GET", "/api/audit/search?limit=201");
      expect(tooMany.statusCode).toBe(400);
    });

    it("exports the search's rows as a CSV attachment with a header, and records the export", async () => {
      const query = "event=carrier.registered";
      const search = await call(kz, sessions["kz-authority"], "GET", `/api/audit/search?${query}&limit=200`);
      const rows = search.json().items as { index: number; objectName: string }[];
      expect(rows.length).toBeGreaterThan(0);
      const file = await call(kz, sessions["kz-authority"], "GET", `/api/audit/export?format=csv&${query}`);
      expect(file.statusCode, file.body).toBe(200);
      expect(file.headers["content-type"]).toMatch(/^text\/csv/);
      expect(file.headers["content-disposition"]).toMatch(/^attachment; filename="audit\.csv"/);
      const lines = file.body.split("\r\n").filter((l) => l !== "");
      expect(lines[0]).toBe("index,at,actorId,actor,organisation,event,outcome,object,objectName,articles");
      expect(lines.slice(1).map((l) => Number(l.split(",")[0]))).toEqual(rows.map((r) => r.index));

      const json = await call(kz, sessions["kz-authority"], "GET", `/api/audit/export?format=json&${query}`);
      expect(json.headers["content-disposition"]).toMatch(/filename="audit\.json"/);
      expect(JSON.parse(json.body).items.map((r: { index: number }) => r.index)).toEqual(
        rows.map((r) => r.index),
      );

      const exported = await call(
        kz,
        sessions["kz-auditor"],
        "GET",
        "/api/audit/search?event=audit.exported",
      );
      const entries = exported.json().items as { outcome: string; actor: string }[];
      // The two exports above, and the registry officer's refused one (first test).
      expect(entries.map((e) => e.outcome)).toEqual(["allowed", "allowed", "refused"]);
    });
  });
}
