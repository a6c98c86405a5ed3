import { describe, expect, it } from "vitest";
import { assertAccess, decideAccess } from "../../src/domain/access/access-decision.ts";
import { ARTICLE_IDS } from "../../src/domain/articles.ts";
import {
  equivalentLevel,
  equivalentMarking,
  findLevel,
  levelOfMarking,
  parseLevelInput,
} from "../../src/domain/classification/levels.ts";
import { markReceived } from "../../src/domain/classification/marking.ts";
import {
  DomainError,
  describeError,
  domainErrorFromJson,
  ERROR_CATALOGUE,
  ERROR_CODES,
  localizeError,
} from "../../src/domain/errors.ts";
import { LANGUAGES } from "../../src/domain/language.ts";
import { AT, pack, refusalOf } from "./support.ts";

describe("levels and equivalence (A2.1, A2.2)", () => {
  it.each([
    ["KZ", "AM", "Аса маңызды", "Հատուկ կարևորության"],
    ["KZ", "AM", "Өте құпия", "Հույժ գաղտնի"],
    ["KZ", "AM", "Құпия", "Գաղտնի"],
    ["AM", "KZ", "Հատուկ կարևորության", "Аса маңызды"],
    ["AM", "KZ", "Հույժ գաղտնի", "Өте құпия"],
    ["AM", "KZ", "Գաղտնի", "Құпия"],
    ["KZ", "AM", "Совершенно секретно", "Հույժ գաղտնի"],
    ["AM", "KZ", "Особой важности", "Аса маңызды"],
  ])("A2.1: %s “%s” → %s is “%s”", (from, to, marking, expected) => {
    expect(equivalentMarking(pack, from, to, marking)).toBe(expected);
  });

  it("A2.1: a level typed by a person is read as an id, a rank, or the marking of that person's Party", () => {
    expect(parseLevelInput(pack, "KZ", "top-secret").rank).toBe(2);
    expect(parseLevelInput(pack, "KZ", "3").id).toBe("special-importance");
    expect(parseLevelInput(pack, "KZ", "Өте құпия").id).toBe("top-secret");
    expect(parseLevelInput(pack, "AM", "Գաղտնի").id).toBe("secret");
    expect(parseLevelInput(pack, "AM", "Совершенно секретно").id).toBe("top-secret");
    expect(refusalOf(() => parseLevelInput(pack, "KZ", "Գաղտնի")).code).toBe("MARKING_UNKNOWN");
    expect(refusalOf(() => parseLevelInput(pack, "KZ", "4")).code).toBe("MARKING_UNKNOWN");
  });

  it("A2.1: fails closed on an unknown marking, another Party's marking, an unknown Party or level", () => {
    expect(refusalOf(() => levelOfMarking(pack, "KZ", "Top secret")).code).toBe("MARKING_UNKNOWN");
    // An Armenian marking is not a Kazakh one.
    expect(refusalOf(() => levelOfMarking(pack, "KZ", "Գաղտնի")).code).toBe("MARKING_UNKNOWN");
    // "Құпия" with a Latin "y"-like letter or a missing letter is not "Құпия".
    expect(refusalOf(() => levelOfMarking(pack, "KZ", "Купия")).code).toBe("MARKING_UNKNOWN");
    expect(refusalOf(() => levelOfMarking(pack, "FR", "Құпия")).code).toBe("PARTY_UNKNOWN");
    expect(refusalOf(() => findLevel(pack, 0)).code).toBe("LEVEL_UNKNOWN");
    expect(refusalOf(() => equivalentLevel(pack, "KZ", "AM", 4)).code).toBe("LEVEL_UNKNOWN");
  });

  it("A2.2: the receiving Party marks at the level the sender set", () => {
    expect(equivalentLevel(pack, "AM", "KZ", 3).id).toBe("special-importance");
    expect(markReceived(pack, "KZ", "AM", 1)).toEqual([
      { party: "KZ", text: "Құпия" },
      { party: "AM", text: "Գաղտնի" },
    ]);
  });
});

describe("the error catalogue", () => {
  it("gives every code its articles, a comment and a message in kk, hy, ru, en with the same placeholders", () => {
    for (const code of ERROR_CODES) {
      const entry = ERROR_CATALOGUE[code];
      for (const a of entry.articles) expect(ARTICLE_IDS).toContain(a);
      expect(entry.comment.length).toBeGreaterThan(10);
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const lang of LANGUAGES) {
        expect(entry.messages[lang].length, `${code} ${lang}`).toBeGreaterThan(3);
        expect(placeholders(entry.messages[lang]), `${code} ${lang}`).toEqual(
          placeholders(entry.messages.en),
        );
      }
      // Real translations: four distinct texts in four scripts' worth of languages.
      expect(new Set(LANGUAGES.map((l) => entry.messages[l])).size, code).toBe(4);
      expect(entry.messages.hy, code).toMatch(/[\u0531-\u058F]/);
      expect(entry.messages.ru, code).toMatch(/[а-яё]/i);
      expect(entry.messages.kk, code).toMatch(/[а-яәғқңөұүһі]/i);
    }
  });

  it("renders “A2.1 — message” in the user's language", () => {
    const error = new DomainError("MARKING_UNKNOWN", { marking: "X", party: "KZ" });
    expect(describeError(error, "en")).toBe(
      "A2.1 — “X” is not a classification marking of KZ under this agreement; no level is assumed",
    );
    expect(describeError(error, "ru")).toMatch(/^A2\.1 — «X» не является грифом секретности KZ/);
    expect(error.message).toBe(describeError(error, "en"));
  });

  it("A4.2: an access refusal lists every failed condition with its article, in the user's language", () => {
    const request = {
      at: AT,
      person: {
        id: "p-1",
        bodyId: "b-1",
        clearance: { level: 1, validFrom: "2020-01-01T00:00:00Z", validUntil: "2021-01-01T00:00:00Z" },
        obligationsAcknowledged: true,
      },
      body: { id: "b-1", facilityClearance: null },
      carrier: { id: "c-1", level: 2, status: "destroyed" as const, custodian: null, grantedPersons: [] },
      contractParticipants: [],
    };
    const decision = decideAccess(request);
    expect(decision.allowed).toBe(false);
    if (decision.allowed) return;
    expect(decision.failures.map((f) => f.code)).toEqual([
      "ACCESS_CLEARANCE_TOO_LOW",
      "ACCESS_CLEARANCE_EXPIRED",
      "ACCESS_FACILITY_CLEARANCE_MISSING",
      "ACCESS_NO_NEED_TO_KNOW",
      "ACCESS_CARRIER_DESTROYED",
    ]);
    const error = refusalOf(() => assertAccess(request));
    expect(error.code).toBe("ACCESS_DENIED");
    const kk = localizeError(error, "kk");
    expect(kk).toContain("A4.2, A1.11 — тұлғаның рұқсаты (1) жеткізгіштің дәрежесінен (2) төмен");
    expect(kk).toContain("A6.6, A1.8 — жеткізгіш жойылған");
    // Round trip through JSON (as sent between nodes or stored in the audit log).
    const back = domainErrorFromJson(JSON.parse(JSON.stringify(error)));
    expect(back.code).toBe("ACCESS_DENIED");
    expect(localizeError(back, "kk")).toBe(kk);
  });

  it("A1.7, A6.4: a declassified carrier is readable by the people of the body that holds it, without clearance or need-to-know; not by another body", () => {
    const carrier = {
      id: "c-1",
      level: 3,
      status: "declassified" as const,
      custodian: "b-1",
      grantedPersons: [],
    };
    const uncleared = {
      at: AT,
      person: { id: "p-1", bodyId: "b-1", clearance: null, obligationsAcknowledged: true },
      body: { id: "b-1", facilityClearance: null },
      carrier,
      contractParticipants: [],
    };
    const decision = decideAccess(uncleared);
    expect(decision).toEqual({ allowed: true, articles: ["A1.7", "A6.4", "A6.2"] });
    const other = decideAccess({
      ...uncleared,
      person: { ...uncleared.person, bodyId: "b-2" },
      body: { ...uncleared.body, id: "b-2" },
    });
    expect(other.allowed).toBe(false);
    if (!other.allowed) expect(other.failures.map((f) => f.code)).toEqual(["ACCESS_NOT_IN_CUSTODY"]);
  });
});

describe("refusals write dates as their reader does", () => {
  it("A15.1: kk, hy and ru read DD.MM.YYYY and instants with their zone; en keeps ISO 8601", () => {
    const future = new DomainError("AGREEMENT_NOTICE_FUTURE", { datedOn: "2099-01-02", today: "2026-12-03" });
    expect(localizeError(future, "kk")).toBe("хабарламаның күні (02.01.2099) болашақта: бүгін 03.12.2026");
    expect(localizeError(future, "ru")).toBe("дата уведомления (02.01.2099) в будущем: сегодня 03.12.2026");
    expect(localizeError(future, "en")).toBe(
      "the notice is dated 2099-01-02, in the future: today is 2026-12-03",
    );
    const ended = new DomainError("AGREEMENT_TERMINATED", { at: "2026-06-01T19:00:00.000Z" });
    expect(localizeError(ended, "hy")).toContain("01.06.2026 19:00 UTC");
    expect(localizeError(ended, "hy")).not.toContain("2026-06-01");
  });
});
