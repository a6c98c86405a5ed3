// The agreement's written documents as PDF (A6.6, A1.8 and the others that follow): text in Kazakh,
// Armenian, Russian and English. The standard PDF fonts know neither Kazakh's Cyrillic letters
// (ә ғ қ ң ө ұ ү һ і) nor Armenian, which came out as "?"; DejaVu Sans (npm `dejavu-fonts-ttf`,
// Bitstream Vera licence, see its LICENSE) has both, and is embedded as a subset of the glyphs used.
// pdf-lib and its font engine load only when a document is made (a third of a CPU-second).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** One line of a document: its text, whether it is a heading, whether it starts a new page. */
export type DocumentLine = { readonly text: string; readonly heading?: boolean; readonly newPage?: boolean };

export type TextDocument = {
  readonly title: string;
  /** The document's own date (also its PDF creation date, so the same input gives the same bytes). */
  readonly createdAt: Date;
  readonly lines: readonly DocumentLine[];
};

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const SIZE = 10.5;
const HEADING_SIZE = 13;
const LEADING = 1.45;

let fonts: { regular: Uint8Array; bold: Uint8Array } | null = null;

/** The TrueType files of DejaVu Sans, read once. */
function dejaVu(): { regular: Uint8Array; bold: Uint8Array } {
  if (!fonts) {
    const require = createRequire(import.meta.url);
    const file = (name: string) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${name}`));
    fonts = { regular: file("DejaVuSans.ttf"), bold: file("DejaVuSans-Bold.ttf") };
  }
  return fonts;
}

/** Splits `text` into lines no wider than `width` at `size` (by words; a longer word is cut). */
function wrap(text: string, width: number, measure: (s: string) => number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    const next = line === "" ? word : `${line} ${word}`;
    if (measure(next) <= width) {
      line = next;
      continue;
    }
    if (line !== "") out.push(line);
    let rest = word;
    while (measure(rest) > width && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && measure(rest.slice(0, cut)) > width) cut--;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  out.push(line);
  return out;
}

/** Renders the document on A4 pages (wrapped, paged), every script drawn with its own glyphs. */
export async function renderTextDocument(doc: TextDocument): Promise<Uint8Array> {
  const [{ PDFDocument }, fontkit] = await Promise.all([import("pdf-lib"), import("@pdf-lib/fontkit")]);
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit.default);
  pdf.setTitle(doc.title);
  pdf.setCreator("Kelisim");
  pdf.setProducer("Kelisim");
  pdf.setCreationDate(doc.createdAt);
  pdf.setModificationDate(doc.createdAt);
  const files = dejaVu();
  const regular = await pdf.embedFont(files.regular, { subset: true });
  const bold = await pdf.embedFont(files.bold, { subset: true });
  const width = A4[0] - 2 * MARGIN;
  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  for (const line of doc.lines) {
    if (line.newPage && y < A4[1] - MARGIN) {
      page = pdf.addPage(A4);
      y = A4[1] - MARGIN;
    }
    const font = line.heading ? bold : regular;
    const size = line.heading ? HEADING_SIZE : SIZE;
    const rows = line.text === "" ? [""] : wrap(line.text, width, (s) => font.widthOfTextAtSize(s, size));
    for (const row of rows) {
      if (y - size * LEADING < MARGIN) {
        page = pdf.addPage(A4);
        y = A4[1] - MARGIN;
      }
      y -= size * LEADING;
      if (row !== "") page.drawText(row, { x: MARGIN, y, size, font });
    }
  }
  return pdf.save({ useObjectStreams: false });
}

/** The characters of `text` DejaVu Sans has no glyph for (none, for the four languages of the documents). */
export async function missingGlyphs(text: string): Promise<string[]> {
  const fontkit = (await import("@pdf-lib/fontkit")).default;
  const font = fontkit.create(Buffer.from(dejaVu().regular));
  return [...new Set(text)].filter((c) => !/\s/.test(c) && !font.hasGlyphForCodePoint(c.codePointAt(0) ?? 0));
}
