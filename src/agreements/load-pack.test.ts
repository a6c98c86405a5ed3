import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ARTICLE_IDS } from "../domain/articles.ts";
import { DomainError, describeError } from "../domain/errors.ts";
import { DEFAULT_AGREEMENTS_DIR, loadAgreementPack, loadAgreementPackSync } from "./load-pack.ts";

const ID = "kz-am-2025";
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A copy of the shipped pack in a temp agreements dir, with `file` edited by `edit`. */
function brokenPack(file: string, edit: (json: Record<string, unknown>) => void): string {
  const root = mkdtempSync(join(tmpdir(), "kelisim-pack-"));
  temps.push(root);
  cpSync(join(DEFAULT_AGREEMENTS_DIR, ID), join(root, ID), { recursive: true });
  const path = join(root, ID, file);
  const json = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
  edit(json);
  writeFileSync(path, JSON.stringify(json));
  return root;
}

async function refusal(root: string): Promise<DomainError> {
  const error = await loadAgreementPack(ID, root).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

type LevelJson = { rank: number; markings: Record<string, string> };
const levelsOf = (json: Record<string, unknown>) => json.levels as LevelJson[];

describe("agreement pack kz-am-2025", () => {
  it("A2.1: loads the three levels with the markings byte-exact from the treaty text", async () => {
    const pack = await loadAgreementPack(ID);
    // Code points as in kz-am-2025.kk.txt (note U+0587 "և" in the Armenian rank-3 marking).
    expect(pack.levels.map((l) => l.markings)).toEqual([
      { kk: "\u049a\u04b1\u043f\u0438\u044f", hy: "\u0533\u0561\u0572\u057f\u0576\u056b", ru: "Секретно" },
      {
        kk: "\u04e8\u0442\u0435 \u049b\u04b1\u043f\u0438\u044f",
        hy: "\u0540\u0578\u0582\u0575\u056a \u0563\u0561\u0572\u057f\u0576\u056b",
        ru: "Совершенно секретно",
      },
      {
        kk: "\u0410\u0441\u0430 \u043c\u0430\u04a3\u044b\u0437\u0434\u044b",
        hy: "\u0540\u0561\u057f\u0578\u0582\u056f \u056f\u0561\u0580\u0587\u0578\u0580\u0578\u0582\u0569\u0575\u0561\u0576",
        ru: "Особой важности",
      },
    ]);
    expect(pack.levels[1]!.markings).toEqual({
      kk: "Өте құпия",
      hy: "Հույժ գաղտնի",
      ru: "Совершенно секретно",
    });
    expect(pack.parties.map((p) => [p.code, p.timeZone, p.defaultLanguage])).toEqual([
      ["KZ", "Asia/Almaty", "kk"],
      ["AM", "Asia/Yerevan", "hy"],
    ]);
  });

  it("A9.2, A15.2, A11.1: holds the deadlines, the breach notice marked as policy", () => {
    const pack = loadAgreementPackSync(ID);
    expect(pack.deadlines.visitRequestLead).toMatchObject({ duration: "P1M", basis: "treaty" });
    expect(pack.deadlines.termination).toMatchObject({ duration: "P6M", basis: "treaty" });
    expect(pack.deadlines.breachNotice).toMatchObject({ duration: "PT24H", basis: "policy" });
    expect(pack.predecessor.repealedDecrees.map((d) => d.number)).toEqual(["351", "932"]);
    expect(pack.channels.map((c) => c.id)).toEqual(["diplomatic", "state-courier", "agreed-electronic"]);
  });

  it("titles every article ID the code cites, in the four languages", () => {
    const pack = loadAgreementPackSync(ID);
    expect(pack.articles.map((a) => a.id)).toEqual([...ARTICLE_IDS]);
  });

  it("D3, A2.1: maps each old marking to a level of the pack, and refuses an unknown target or two markings that read alike", async () => {
    const pack = await loadAgreementPack(ID);
    expect(pack.predecessor.id).toBe("kz-am-2015");
    const levelIds = new Set(pack.levels.map((l) => l.id));
    expect(pack.predecessor.markings.table.length).toBe(9);
    for (const m of pack.predecessor.markings.table) expect(levelIds).toContain(m.level);
    type Table = { table: { marking: string; language: string; level: string }[] };
    const markingsOf = (json: Record<string, unknown>) =>
      (json.predecessor as { markings: Table }).markings.table;
    const unknown = brokenPack("agreement.json", (json) => {
      markingsOf(json)[1]!.level = "confidential";
    });
    const error = await refusal(unknown);
    expect(error.details).toMatchObject({
      file: "agreement.json",
      field: "predecessor.markings.table[1].level",
    });
    const alike = brokenPack("agreement.json", (json) => {
      markingsOf(json).push({ marking: "СЕКРЕТНО", language: "ru", level: "top-secret" });
    });
    expect((await refusal(alike)).details).toMatchObject({
      field: "predecessor.markings.table[9].marking",
      problem: "duplicate marking",
    });
  });

  it("refuses a pack with a missing level, naming the file and field", async () => {
    const root = brokenPack("levels.json", (json) => {
      json.levels = levelsOf(json).filter((l) => l.rank !== 2);
    });
    const error = await refusal(root);
    expect(error.code).toBe("PACK_INVALID");
    expect(error.details).toMatchObject({ file: "levels.json", field: "levels" });
    expect(error.message).toContain("rank 2 is missing");
  });

  it("A4.2: names the level from which a need-to-know grant needs a second officer (node policy; default rank 2), and refuses an unknown level", async () => {
    expect((await loadAgreementPack(ID)).needToKnowFourEyesRank).toBe(2);
    const special = brokenPack("levels.json", (json) => {
      json.needToKnowFourEyesFrom = "special-importance";
    });
    expect((await loadAgreementPack(ID, special)).needToKnowFourEyesRank).toBe(3);
    const unset = brokenPack("levels.json", (json) => {
      delete json.needToKnowFourEyesFrom;
    });
    expect((await loadAgreementPack(ID, unset)).needToKnowFourEyesRank).toBe(2);
    const unknown = brokenPack("levels.json", (json) => {
      json.needToKnowFourEyesFrom = "cosmic";
    });
    const error = await refusal(unknown);
    expect(error.details).toMatchObject({ file: "levels.json", field: "needToKnowFourEyesFrom" });
  });

  it("refuses a pack with a duplicate rank", async () => {
    const root = brokenPack("levels.json", (json) => {
      levelsOf(json)[0]!.rank = 2;
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "levels.json", field: "levels[1].rank" });
    expect(describeError(error, "en")).toContain("duplicate rank 2");
  });

  it("A2.1: refuses a level with no equivalent for the other Party", async () => {
    const root = brokenPack("levels.json", (json) => {
      delete levelsOf(json)[1]!.markings.hy;
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "levels.json", field: "levels[1].markings.hy" });
    expect(error.message).toContain("no equivalent for AM");
  });

  it("refuses an unknown language", async () => {
    const root = brokenPack("levels.json", (json) => {
      levelsOf(json)[0]!.markings.fr = "Très secret";
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "levels.json", field: "levels[0].markings.fr" });
    expect(error.message).toContain("unknown language");
  });

  it("refuses an unknown default language of a Party", async () => {
    const root = brokenPack("parties.json", (json) => {
      (json.parties as { defaultLanguage: string }[])[1]!.defaultLanguage = "de";
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "parties.json", field: "parties[1].defaultLanguage" });
  });

  it("A4.4: holds each Party's obligations text in the four languages, versioned and marked as policy wording naming the Party's law", async () => {
    const pack = await loadAgreementPack(ID);
    const [kz, am] = pack.parties.map((p) => p.obligations);
    expect([kz!.version, am!.version]).toEqual(["KZ-2025-1", "AM-2025-1"]);
    for (const [obligations, law] of [
      [kz!, "Republic of Kazakhstan"],
      [am!, "Republic of Armenia"],
    ] as const) {
      expect(obligations.basis).toBe("policy");
      expect(obligations.articles).toEqual(expect.arrayContaining(["A4.4", "A4.2", "A4.1.1", "A4.1.5"]));
      expect(obligations.paragraphs.length).toBeGreaterThan(1);
      for (const text of [obligations.title, obligations.note, ...obligations.paragraphs]) {
        expect(Object.keys(text).sort()).toEqual(["en", "hy", "kk", "ru"]);
      }
      expect(obligations.paragraphs[0]!.en).toContain(law);
      expect(obligations.note.en).toContain("not treaty text");
    }
    // Each Party's own law: the Armenian text does not name Kazakhstan's, nor the other way round.
    expect(JSON.stringify(am!.paragraphs)).not.toContain("Kazakhstan");
    expect(JSON.stringify(kz!.paragraphs)).not.toContain("Armenia");
  });

  it("A4.4: refuses obligations that do not cite A4.4, miss a language or have no version", async () => {
    type PartyJson = { obligations: Record<string, unknown> & { paragraphs: Record<string, string>[] } };
    const partyOf = (json: Record<string, unknown>, i: number) => (json.parties as PartyJson[])[i]!;
    const uncited = brokenPack("parties.json", (json) => {
      partyOf(json, 0).obligations.articles = ["A4.2"];
    });
    expect((await refusal(uncited)).details).toMatchObject({
      file: "parties.json",
      field: "parties[0].obligations.articles",
      problem: "must cite A4.4",
    });
    const untranslated = brokenPack("parties.json", (json) => {
      delete partyOf(json, 1).obligations.paragraphs[2]!.hy;
    });
    expect((await refusal(untranslated)).details).toMatchObject({
      field: "parties[1].obligations.paragraphs[2].hy",
    });
    const unversioned = brokenPack("parties.json", (json) => {
      partyOf(json, 1).obligations.version = "";
    });
    expect((await refusal(unversioned)).details).toMatchObject({
      field: "parties[1].obligations.version",
    });
  });

  it("refuses a title missing a language", async () => {
    const root = brokenPack("agreement.json", (json) => {
      delete (json.title as Record<string, string>).hy;
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "agreement.json", field: "title.hy" });
  });

  it("refuses a deadline that is not an ISO 8601 duration", async () => {
    const root = brokenPack("deadlines.json", (json) => {
      (json.deadlines as Record<string, { duration: string }>).visitRequestLead!.duration = "one month";
    });
    const error = await refusal(root);
    expect(error.details).toMatchObject({
      file: "deadlines.json",
      field: "deadlines.visitRequestLead.duration",
    });
  });

  it("refuses a pack whose JSON does not parse, naming the file", async () => {
    const root = brokenPack("channels.json", () => {});
    writeFileSync(join(root, ID, "channels.json"), "{ not json");
    const error = await refusal(root);
    expect(error.details).toMatchObject({ file: "channels.json", field: "(json)" });
  });

  it("refuses an unknown or path-like pack id as not found", async () => {
    await expect(loadAgreementPack("kz-xx-2099")).rejects.toMatchObject({ code: "PACK_NOT_FOUND" });
    await expect(loadAgreementPack("../agreements/kz-am-2025")).rejects.toMatchObject({
      code: "PACK_NOT_FOUND",
    });
  });
});
