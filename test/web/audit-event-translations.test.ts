import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MESSAGE_KINDS } from "../../src/exchange/messages/catalogue.ts";
import { en } from "../../web/src/locales/en.ts";
import { hy } from "../../web/src/locales/hy.ts";
import { kk } from "../../web/src/locales/kk.ts";
import { ru } from "../../web/src/locales/ru.ts";

/** Every `.ts` file under `dir` (tests left out). */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The event types of the audit catalogue: the interface and every `declare module` addition to it. */
function catalogueEventTypes(): string[] {
  const types = new Set<string>();
  for (const file of sourceFiles("src")) {
    const text = readFileSync(file, "utf8");
    for (const block of text.matchAll(/interface AuditEventCatalogue \{([\s\S]*?)\n\s*\}/g)) {
      for (const key of (block[1] ?? "").matchAll(/^\s*"([a-z0-9-]+(?:\.[a-z0-9-]+)+)"\s*:/gm)) {
        types.add(key[1] as string);
      }
    }
  }
  return [...types].sort();
}

describe("audit event kinds are shown in every language of the UI", () => {
  const types = catalogueEventTypes();

  it("finds the catalogue (core, app, auth and exchange additions)", () => {
    for (const known of [
      "node.initialised",
      "contract.amended",
      "auth.signed-in",
      "exchange.message-received",
    ]) {
      expect(types).toContain(known);
    }
  });

  for (const [language, messages] of Object.entries({ kk, hy, ru, en })) {
    it(`every audit event type has a ${language} label (the pages look up events.<type with _ for .>)`, () => {
      const events = messages.events as Record<string, string>;
      const missing = types.filter((type) => !events[type.replace(/\./g, "_")]?.trim());
      expect(missing).toEqual([]);
    });
  }
});

describe("message kinds are shown in every language of the UI (the Messages page)", () => {
  it("the catalogue has the visit and breach kinds (A9, A11)", () => {
    expect(MESSAGE_KINDS).toContain("visit-request");
    expect(MESSAGE_KINDS).toContain("breach-closure");
  });

  for (const [language, messages] of Object.entries({ kk, hy, ru, en })) {
    it(`every message kind has a ${language} label (messages.kinds.<kind>)`, () => {
      const kinds = messages.messages.kinds as Record<string, string>;
      const missing = MESSAGE_KINDS.filter((kind) => !kinds[kind]?.trim());
      expect(missing).toEqual([]);
    });
  }
});
