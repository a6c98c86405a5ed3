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
      // Top-level help lists the verbs from the summaries: they must say what the group says.
      if (group.summary)
        for (const c of program.commands) expect(group.summary[c.name()], c.name()).toBe(c.description());
    }
  });

  it("loads only the group a verb belongs to, and every group for help", async () => {
    const seal = await buildProgram(["node", "kelisim", "seal", "--help"]);
    expect(seal.commands.map((c) => c.name()).sort()).toEqual(["open", "seal"]);
    const withLang = await buildProgram(["node", "kelisim", "--lang", "kk", "seal"]);
    expect(withLang.commands.map((c) => c.name()).sort()).toEqual(["open", "seal"]);
    const all = await buildProgram(["node", "kelisim", "--help"]);
    expect(all.commands).toHaveLength(COMMAND_GROUPS.flatMap((g) => g.verbs).length);
    const helpOf = await buildProgram(["node", "kelisim", "help", "carrier"]);
    expect(helpOf.commands.map((c) => c.name())).toEqual(["carrier"]);
  });

  it("lists a summarised group's verbs in top-level help without loading the group", async () => {
    for (const argv of [["--help"], [], ["no-such-verb"]]) {
      const program = await buildProgram(["node", "kelisim", ...argv]);
      const carrier = program.commands.find((c) => c.name() === "carrier");
      expect(carrier?.description()).toBe(
        COMMAND_GROUPS.find((g) => g.verbs.includes("carrier"))?.summary?.carrier,
      );
      // The loaded group has its sub-verbs (carrier register, list…); the summary alone has none.
      expect(carrier?.commands).toEqual([]);
    }
    const loaded = await buildProgram(["node", "kelisim", "carrier", "--help"]);
    expect(loaded.commands[0]?.commands.length).toBeGreaterThan(0);
  });
});
