import { createRequire } from 'node:module';
import { fontFileBytes, type FontFace } from '../fonts';

/** The part of a fontkit font this module relies on; pdfkit uses the rest. */
export interface FontkitFont {
  layout(text: string): unknown;
  /** fontkit's glyph cache: glyph id to glyph, each with the code points it was first reached by. */
  _glyphs: Record<number, unknown>;
}

/** How the PDF writer gets each face for one document: a file for pdfkit to read and parse, or a font fontkit parsed. */
export type PdfFontSource = string | FontkitFont;
export type PdfFontSources = (face: FontFace) => PdfFontSource;

/**
 * The fontkit pdfkit itself loads, resolved from pdfkit's own folder: the fonts parsed here are the
 * ones pdfkit's font factory would parse from the same bytes, by the same version, and this project
 * declares no fontkit of its own that could drift from pdfkit's.
 */
const fontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(bytes: Buffer): unknown };

const parsedFonts = new Map<string, FontkitFont>();

/**
 * Each face parsed once per process, kept here and never handed to pdfkit itself: every document
 * gets a font of its own on top of it (documentFont).
 */
function parsedFont(file: string): FontkitFont {
  let font = parsedFonts.get(file);
  if (!font) {
    font = checkedFontkitFont(fontkit.create(fontFileBytes(file)), file);
    parsedFonts.set(file, font);
  }
  return font;
}

/** A pdfkit or fontkit upgrade that changes what this module relies on fails here, at the first PDF, instead of sharing state it should not. */
function checkedFontkitFont(font: unknown, file: string): FontkitFont {
  const candidate = font as Partial<FontkitFont> | undefined;
  if (typeof candidate?.layout !== 'function' || typeof candidate._glyphs !== 'object' || candidate._glyphs === null) {
    throw new Error(`fontkit did not give a font with a layout function and its own glyph cache for ${file}: review documents/pdf/pdf-fonts.ts for this fontkit version`);
  }
  return candidate as FontkitFont;
}

/**
 * The font one document draws with: it shares the parsed font's tables (character map, metrics,
 * kerning, substitutions, outlines; the costly part, read-only once decoded) and has its own glyph
 * cache. fontkit keeps each glyph with the code points it was first reached by (through the
 * character map, or a ligature: "fi" and U+FB01 "ﬁ" are one glyph), and pdfkit writes those into
 * the PDF's ToUnicode map, which is how a reader copies and searches its text. With one cache for
 * the process, one invoice's "ﬁ" would change the bytes and the text of every later PDF that says
 * "fi". fontkit's layout engine (which makes the glyphs) is built and cached on the font it is
 * first asked of: this one, since the parsed font is never asked.
 */
function documentFont(parsed: FontkitFont): FontkitFont {
  const font = Object.create(parsed) as FontkitFont;
  font._glyphs = {};
  return font;
}

/** The faces parsed once per process, a glyph cache per document: what every PDF is rendered with. */
export const FONTS_PARSED_ONCE: PdfFontSources = (face) => documentFont(parsedFont(face.file));

/**
 * The font files, read and parsed by pdfkit for each document: how every PDF was rendered before
 * fonts were parsed once per process. Kept to prove the PDFs are still the same bytes
 * (test/documents/pdf-fonts-parsed-once.test.ts) and to measure the difference (pdf-rendering.bench.ts).
 */
export const FONT_FILES_READ_PER_DOCUMENT: PdfFontSources = (face) => face.file;

/**
 * pdfkit's font factory takes a fontkit font as it is (PDFFontFactory.open: anything with a layout
 * function); @types/pdfkit 0.17 lists only files and bytes as a font source.
 */
export function registerFace(pdf: PDFKit.PDFDocument, face: FontFace, sources: PdfFontSources): void {
  pdf.registerFont(face.name, sources(face) as unknown as PDFKit.Mixins.PDFFontSource);
}
