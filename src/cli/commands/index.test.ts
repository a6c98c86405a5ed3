import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../main.ts";
import { COMMAND_GROUPS } from "./index.ts";

describe("CLI verb groups", () => {
  it("each group registers exactly the top-level verbs it is listed with", async () => {
    for (const group of COMMAND_GROUPS) {
      const program = new Command("kelisim");
      (await group.load())(program);
      expect(program.commands.map((c) => c.name()).sort()).toEqual([...group.verbs].sort());
    }
  });

  it("loads only the group a verb belongs to, and every group for help", async () => {
    const seal = await buildProgram(["node", "kelisim", "seal", "--help"]);
    expect(seal.commands.map((c) => c.name()).sort()).toEqual(["open", "seal"]);
    const withLang = await buildProgram(["node", "kelisim", "--lang", "kk", "seal"]);
    expect(withLang.commands.map((c) => c.name()).sort()).toEqual(["open", "seal"]);
    const all = await buildProgram(["node", "kelisim", "--help"]);
    expect(all.commands).toHaveLength(COMMAND_GROUPS.flatMap((g) => g.verbs).length);
  });
});
