import { readFileSync } from 'node:fs';

/**
 * DejaVu Sans, embedded (and subset) in every PDF: it covers Norwegian æøå and also the Sámi,
 * Polish, Baltic and other letters that appear in customer names, which the PDF standard fonts
 * (WinAnsi only) cannot show. Shipped by the dejavu-fonts-ttf package, so no system fonts needed.
 */
export const FONT_FILES = {
  regular: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  bold: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
} as const;

export type FontWeight = keyof typeof FONT_FILES;

/** A font the PDF may use: the name it is registered under in the PDF writer, and its file. */
export interface FontFace {
  name: string;
  file: string;
}

const dejaVu = (name: string): FontFace => ({ name, file: require.resolve(`dejavu-fonts-ttf/ttf/${name}.ttf`) });

/**
 * Where a character goes when the main font has no glyph for it, in this order; only fonts of the
 * same installed package, so nothing depends on the machine's fonts. DejaVu Sans Bold lacks ~140
 * characters the regular face has (e.g. the sans-serif mathematical letters some "fancy" company
 * names use), Serif has phonetic and other letters Sans lacks, Math TeX Gyre the mathematical
 * alphanumerics (𝐀, 𝔸, 𝒜), Mono a few technical symbols. No DejaVu font has emoji.
 * A fallback face is embedded only when a text needs it.
 */
export const FONT_CHAINS: Readonly<Record<FontWeight, readonly FontFace[]>> = {
  regular: [
    { name: 'regular', file: FONT_FILES.regular },
    { name: 'bold', file: FONT_FILES.bold },
    dejaVu('DejaVuSerif'),
    dejaVu('DejaVuMathTeXGyre'),
    dejaVu('DejaVuSansMono'),
  ],
  bold: [
    { name: 'bold', file: FONT_FILES.bold },
    { name: 'regular', file: FONT_FILES.regular },
    dejaVu('DejaVuSerif-Bold'),
    dejaVu('DejaVuSerif'),
    dejaVu('DejaVuMathTeXGyre'),
    dejaVu('DejaVuSansMono-Bold'),
    dejaVu('DejaVuSansMono'),
  ],
};

/** Every face of both chains, once each: what the PDF writer registers. */
export const FONT_FACES: readonly FontFace[] = [...new Map([...FONT_CHAINS.regular, ...FONT_CHAINS.bold].map((face) => [face.name, face])).values()];

export interface FontMetrics {
  /** True when the font maps this code point to a glyph (its cmap table). */
  hasGlyph(codePoint: number): boolean;
  /** hhea ascent in 1/1000 em, as pdfkit computes it: where the baseline lies below the top of a line. */
  ascender: number;
}

const bytesCache = new Map<string, Buffer>();

/**
 * A font file's bytes, read once per process: the files are part of the installed package and
 * never change while it runs, and every PDF would otherwise read them again (1.4 MB for the two
 * DejaVu Sans faces every invoice uses).
 */
export function fontFileBytes(file: string): Buffer {
  let bytes = bytesCache.get(file);
  if (!bytes) {
    bytes = readFileSync(file);
    bytesCache.set(file, bytes);
  }
  return bytes;
}

const metricsCache = new Map<string, FontMetrics>();

/** The glyph coverage and ascender of a TrueType font file, read once per file. */
export function fontMetrics(file: string): FontMetrics {
  let metrics = metricsCache.get(file);
  if (!metrics) {
    metrics = readTrueTypeMetrics(fontFileBytes(file));
    metricsCache.set(file, metrics);
  }
  return metrics;
}

/**
 * Reads what the PDF writer needs from a TrueType file (OpenType spec, tables "cmap", "head" and
 * "hhea"): the Unicode code points with a glyph, from the best Unicode cmap subtable (format 12
 * covers all planes, format 4 the BMP), and the ascender.
 */
export function readTrueTypeMetrics(font: Buffer): FontMetrics {
  const tables = new Map<string, number>();
  const tableCount = font.readUInt16BE(4);
  for (let i = 0; i < tableCount; i++) {
    const record = 12 + i * 16;
    tables.set(font.toString('latin1', record, record + 4), font.readUInt32BE(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`not a TrueType font with a "${tag}" table`);
    return offset;
  };
  const unitsPerEm = font.readUInt16BE(table('head') + 18);
  const ascent = font.readInt16BE(table('hhea') + 4);
  const codePoints = unicodeCodePoints(font, table('cmap'));
  return { hasGlyph: (codePoint) => codePoints.has(codePoint), ascender: (ascent * 1000) / unitsPerEm };
}

function unicodeCodePoints(font: Buffer, cmap: number): Set<number> {
  const subtables: { platform: number; encoding: number; offset: number }[] = [];
  const count = font.readUInt16BE(cmap + 2);
  for (let i = 0; i < count; i++) {
    const record = cmap + 4 + i * 8;
    subtables.push({ platform: font.readUInt16BE(record), encoding: font.readUInt16BE(record + 2), offset: cmap + font.readUInt32BE(record + 4) });
  }
  const isUnicode = (s: { platform: number; encoding: number }): boolean => s.platform === 0 || (s.platform === 3 && (s.encoding === 1 || s.encoding === 10));
  const candidates = subtables.filter(isUnicode);
  const full = candidates.find((s) => font.readUInt16BE(s.offset) === 12);
  if (full) return format12(font, full.offset);
  const bmp = candidates.find((s) => font.readUInt16BE(s.offset) === 4);
  if (bmp) return format4(font, bmp.offset);
  throw new Error('the font has no Unicode cmap of format 4 or 12');
}

function format12(font: Buffer, at: number): Set<number> {
  const codePoints = new Set<number>();
  const groups = font.readUInt32BE(at + 12);
  for (let i = 0; i < groups; i++) {
    const group = at + 16 + i * 12;
    const [start, end, firstGlyph] = [font.readUInt32BE(group), font.readUInt32BE(group + 4), font.readUInt32BE(group + 8)];
    for (let c = start; c <= end; c++) if (firstGlyph + (c - start) !== 0) codePoints.add(c);
  }
  return codePoints;
}

function format4(font: Buffer, at: number): Set<number> {
  const codePoints = new Set<number>();
  const segments = font.readUInt16BE(at + 6) / 2;
  const ends = at + 14;
  const starts = ends + segments * 2 + 2;
  const deltas = starts + segments * 2;
  const rangeOffsets = deltas + segments * 2;
  for (let i = 0; i < segments; i++) {
    const [start, end, delta, rangeOffset] = [
      font.readUInt16BE(starts + i * 2),
      font.readUInt16BE(ends + i * 2),
      font.readInt16BE(deltas + i * 2),
      font.readUInt16BE(rangeOffsets + i * 2),
    ];
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (rangeOffset === 0) glyph = (c + delta) & 0xffff;
      else {
        const raw = font.readUInt16BE(rangeOffsets + i * 2 + rangeOffset + (c - start) * 2);
        glyph = raw === 0 ? 0 : (raw + delta) & 0xffff;
      }
      if (glyph !== 0) codePoints.add(c);
    }
  }
  return codePoints;
}
