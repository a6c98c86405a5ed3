import { describe, expect, it } from "vitest";
import { resolveNodeLocation } from "../../node/open-node.ts";
import { sealDataDir } from "./seal.ts";

describe("seal and open find the node's data directory as every other verb does", () => {
  it("A5.7: sealDataDir agrees with resolveNodeLocation for --data, KELISIM_DATA and the default", () => {
    const cases: { options: { data?: string }; env: NodeJS.ProcessEnv }[] = [
      { options: {}, env: {} },
      { options: { data: "kz-node" }, env: {} },
      { options: { data: "/abs/kz" }, env: { KELISIM_DATA: "/elsewhere" } },
      { options: {}, env: { KELISIM_DATA: "/from/env" } },
      { options: {}, env: { KELISIM_DATA: "rel/env", DATABASE_URL: "postgres://127.0.0.1/test" } },
    ];
    for (const { options, env } of cases)
      expect(sealDataDir(options, env)).toBe(resolveNodeLocation(options, env).dataDir);
  });
});
