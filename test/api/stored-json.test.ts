// A JSON column read back from the store is parsed through its schema: a malformed stored value is
// refused loudly, naming the column (never quoting the value), and the API answers a plain 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAgreementNotice } from "../../src/app/agreement/record-notice.ts";
import { AGREEMENT_STATE_SETTING, readAgreementState } from "../../src/app/transfer/flow-context.ts";
import { StoredJsonInvalid } from "../../src/store/columns.ts";
import { DIALECTS } from "../support/databases.ts";
import { type ApiNode, call, login, type Session, startApiNode } from "./support/api-node.ts";

for (const dialect of DIALECTS) {
  describe(`stored JSON columns are parsed through their schemas [${dialect}]`, () => {
    let api: ApiNode;
    let authority: Session;
    const name = () => `${AGREEMENT_STATE_SETTING}:${api.node.config.agreementId}`;
    const store = (value: string) =>
      api.node.db.updateTable("node_settings").set({ value }).where("name", "=", name()).execute();
    const read = () => api.node.db.transaction().execute((trx) => readAgreementState(trx, api.ctx));

    beforeAll(async () => {
      api = await startApiNode(dialect, "KZ");
      await recordAgreementNotice(api.ctx, {
        actor: "kz-authority",
        event: "receive-notice",
        from: "KZ",
        at: `${new Date().getUTCFullYear() - 1}-12-01T00:00:00Z`,
      });
      authority = await login(api, "kz-authority");
    });
    afterAll(async () => {
      await api?.close();
    });

    it("A15.1: a well-formed agreement state is read back as stored", async () => {
      const shown = await call(api, authority, "GET", "/api/agreement");
      expect(shown.statusCode, shown.body).toBe(200);
      expect((await read())?.notices).toHaveLength(1);
    });

    it("A15.1: an agreement state of another shape is refused naming node_settings.value and the path", async () => {
      const before = await api.node.db
        .selectFrom("node_settings")
        .select("value")
        .where("name", "=", name())
        .executeTakeFirstOrThrow();
      const damaged = { ...JSON.parse(before.value), status: "forged-status", notices: "none" };
      await store(JSON.stringify(damaged));
      const refusal = await read().catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(StoredJsonInvalid);
      expect((refusal as StoredJsonInvalid).column).toBe("node_settings.value (agreement_state)");
      expect((refusal as Error).message).toMatch(/status: .*; notices: /);
      expect((refusal as Error).message).not.toContain("forged-status");
      const answer = await call(api, authority, "GET", "/api/agreement");
      expect(answer.statusCode).toBe(500);
      expect(answer.json()).toEqual({ code: "INTERNAL", articles: [], message: "internal error" });
      expect(answer.body).not.toContain("forged-status");
      await store(before.value);
    });

    it("A15.1: stored text that is not JSON is refused as not JSON, without quoting it", async () => {
      const before = await read();
      await store("{forged-status");
      await expect(read()).rejects.toThrow(
        "stored JSON in node_settings.value (agreement_state) is malformed: not JSON",
      );
      await store(JSON.stringify(before));
      expect((await read())?.notices).toHaveLength(1);
    });
  });
}
