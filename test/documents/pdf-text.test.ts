import { inflateSync } from "node:zlib";
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { missingGlyphs, renderTextDocument } from "../../src/app/documents/pdf-text.ts";

const KAZAKH = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя";
const ARMENIAN = "ԱԲԳԴԵԶԷԸԹԺԻԼԽԾԿՀՁՂՃՄՅՆՇՈՉՊՋՌՍՎՏՐՑՒՓՔՕՖ աբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆև ։՝";
const RUSSIAN = "Акт об уничтожении носителя секретной информации № 7 — «Совершенно секретно»";

/** The text of every ToUnicode map in the PDF (the streams pdf-lib deflates). */
function toUnicodeMaps(bytes: Uint8Array): string {
  const text = Buffer.from(bytes).toString("latin1");
  const maps: string[] = [];
  for (const m of text.matchAll(/stream\r?\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    const end = text.indexOf("endstream", start);
    const raw = Buffer.from(text.slice(start, end), "latin1");
    try {
      const inflated = inflateSync(raw).toString("latin1");
      if (inflated.includes("beginbfchar") || inflated.includes("beginbfrange")) maps.push(inflated);
    } catch {
      // not a deflated stream
    }
  }
  return maps.join("\n").toUpperCase();
}

describe("documents in Kazakh, Armenian, Russian and English (A6.6, A1.8: a certificate a person reads)", () => {
  it("A6.6: the documents' font draws every Kazakh, Armenian and Russian letter", async () => {
    expect(await missingGlyphs(KAZAKH + ARMENIAN + RUSSIAN)).toEqual([]);
  });

  it("A6.6: a document embeds the font with each letter mapped back to its Unicode (copy, search, screen readers)", async () => {
    const bytes = await renderTextDocument({
      title: "Жою актісі / Ոչնչացման ակտ",
      createdAt: new Date("2026-12-06T10:00:00Z"),
      lines: [
        { text: "Жеткізгішті жою актісі", heading: true },
        { text: KAZAKH },
        { text: ARMENIAN },
        { text: RUSSIAN },
      ],
    });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getTitle()).toBe("Жою актісі / Ոչնչացման ակտ");
    expect(pdf.getPageCount()).toBe(1);
    expect(Buffer.from(bytes).toString("latin1")).toMatch(/\/FontName \/DejaVuSans-\d+/);
    const maps = toUnicodeMaps(bytes);
    // ә (04D9), қ (049B), ү (04AF), і (0456); Armenian ա (0561), ֆ (0586), և (0587)
    for (const code of ["04D9", "049B", "04AF", "0456", "0561", "0586", "0587"])
      expect(maps).toContain(`<${code}>`);
  });

  it("A6.6: a long document wraps its lines and goes on to further pages; the same input gives the same bytes", async () => {
    const doc = {
      title: "Тізілім журналы",
      createdAt: new Date("2026-12-06T10:00:00Z"),
      lines: Array.from({ length: 120 }, (_, i) => ({
        text: `${i + 1}. KZ-2026-${String(i).padStart(6, "0")}/1 — ${RUSSIAN} ${RUSSIAN}`,
      })),
    };
    const bytes = await renderTextDocument(doc);
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(3);
    expect(Buffer.from(await renderTextDocument(doc)).equals(Buffer.from(bytes))).toBe(true);
  });
});
