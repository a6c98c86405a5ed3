import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { makeTempDir } from "../../test/support/databases.ts";
import { initNode } from "../app/node/init-node.ts";
import { DomainError } from "../domain/errors.ts";
import { checkRegistrationFormat, formatRegistrationNumber, isYearlySequence } from "./node-config.ts";
import { openNode, resolveNodeLocation } from "./open-node.ts";

describe("registration number format", () => {
  it.each([
    ["{party}-{year}-{seq:6}", "KZ-2026-000007"],
    ["{party}/{seq}", "KZ/7"],
    ["Рег.№{seq:4}-{year}", "Рег.№0007-2026"],
  ])("renders %s", (format, expected) => {
    expect(formatRegistrationNumber(checkRegistrationFormat(format), "KZ", 2026, 7)).toBe(expected);
  });

  it.each(["{party}-{year}", "{party}-{seq}-{month}", ""])("refuses %j", (format) => {
    expect(() => checkRegistrationFormat(format)).toThrow(DomainError);
  });

  it("restarts the sequence each year only when the year is in the number", () => {
    expect(isYearlySequence("{party}-{year}-{seq:6}")).toBe(true);
    expect(isYearlySequence("{party}-{seq:6}")).toBe(false);
  });
});

describe("node location and opening", () => {
  it("takes --data, else KELISIM_DATA, else ./.kelisim; DATABASE_URL selects PostgreSQL", () => {
    expect(resolveNodeLocation({ data: "/x" }, {})).toEqual({ dataDir: "/x" });
    expect(resolveNodeLocation({}, { KELISIM_DATA: "/y" })).toEqual({ dataDir: "/y" });
    expect(resolveNodeLocation({}, {}).dataDir).toMatch(/\.kelisim$/);
    expect(resolveNodeLocation({ data: "/x" }, { DATABASE_URL: "postgres://h/db" })).toEqual({
      dataDir: "/x",
      databaseUrl: "postgres://h/db",
    });
  });

  it("refuses to open a directory that is not a node, and to initialise one twice", async () => {
    const dataDir = makeTempDir();
    try {
      await expect(openNode({ dataDir })).rejects.toThrow(/kelisim node init/);
      await initNode({ location: { dataDir }, party: "AM" });
      const node = await openNode({ dataDir });
      expect(node.config.party).toBe("AM");
      await node.close();
      await expect(initNode({ location: { dataDir }, party: "AM" })).rejects.toThrow(
        /already a Kelisim node/,
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("A3.1: refuses a Party that is not a Party to the agreement, leaving nothing behind", async () => {
    const dataDir = makeTempDir();
    try {
      await expect(initNode({ location: { dataDir }, party: "FR" })).rejects.toMatchObject({
        code: "PARTY_UNKNOWN",
      });
      await expect(openNode({ dataDir })).rejects.toThrow(/kelisim node init/);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses a database that belongs to another node", async () => {
    const first = makeTempDir();
    const second = makeTempDir();
    try {
      await initNode({ location: { dataDir: first }, party: "KZ" });
      await initNode({ location: { dataDir: second }, party: "KZ" });
      const { copyFileSync } = await import("node:fs");
      copyFileSync(`${first}/kelisim.sqlite`, `${second}/kelisim.sqlite`);
      await expect(openNode({ dataDir: second })).rejects.toThrow(/belongs to node/);
    } finally {
      rmSync(first, { recursive: true, force: true });
      rmSync(second, { recursive: true, force: true });
    }
  });
});
