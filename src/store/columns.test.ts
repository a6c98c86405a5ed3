import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonStringList, parseJsonColumn, StoredJsonInvalid } from "./columns.ts";

describe("parseJsonColumn: JSON read back from the store goes through its schema", () => {
  const Pending = z.object({ by: z.string(), at: z.string() });

  it("returns the parsed value of a well-formed column (unknown keys of a plain object dropped)", () => {
    expect(parseJsonColumn(Pending, '{"by":"p1","at":"2026-01-01T00:00:00.000Z","x":1}', "t.c")).toEqual({
      by: "p1",
      at: "2026-01-01T00:00:00.000Z",
    });
    expect(parseJsonColumn(jsonStringList, '["A4.2","A6.7"]', "audit_entries.articles")).toEqual([
      "A4.2",
      "A6.7",
    ]);
  });

  it("refuses a value of another shape, naming the column and the path, never the stored value", () => {
    const refuse = () => parseJsonColumn(Pending, '{"by":"secret-value","at":42}', "node_settings.value");
    expect(refuse).toThrow(StoredJsonInvalid);
    expect(refuse).toThrow(/^stored JSON in node_settings\.value is malformed: at: /);
    expect(refuse).not.toThrow(/secret-value/);
    expect(() => parseJsonColumn(jsonStringList, '["A4.2", 7]', "breaches.information_of")).toThrow(
      /breaches\.information_of is malformed: 1: /,
    );
  });

  it("refuses text that is not JSON without quoting it", () => {
    const refuse = () => parseJsonColumn(Pending, "{secret-value", "visits.topics");
    expect(refuse).toThrow("stored JSON in visits.topics is malformed: not JSON");
    expect(refuse).not.toThrow(/secret-value/);
  });
});
