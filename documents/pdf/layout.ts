import type {} from 'pdfkit';
import { FONT_CHAINS, FONT_FACES, fontMetrics, type FontWeight } from '../fonts';
import { fontRuns, type FontRun } from './glyphs';
import { registerFace, type PdfFontSources } from './pdf-fonts';

/** pdfkit's document type (a global namespace in @types/pdfkit). */
export type Pdf = PDFKit.PDFDocument;

/** A4 in points, and the grid the invoice is laid out on. */
export const PAGE = { width: 595.28, height: 841.89, left: 50, right: 545.28, top: 45, contentBottom: 792, footerTop: 806 } as const;
export const CONTENT_WIDTH = PAGE.right - PAGE.left;
export const GREY = '#555555';

export interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
  align?: 'left' | 'right' | 'center';
  /**
   * The document field the text shows ("InvoiceLine 4 Item/Name"), for the warning when the PDF
   * cannot print one of its characters; texts of our own (labels, settings) have none.
   */
  field?: string;
}

/** A text the PDF printed with the replacement character for characters no installed font has. */
export interface Substitution {
  field: string;
  /** The characters replaced, as grapheme clusters. */
  characters: string[];
}

const LINE_GAP = 1;

/**
 * Writes text at explicit positions and keeps a cursor for flowing content, starting a new page
 * (and calling back, e.g. to repeat a table header) when the next block would not fit.
 */
export class PdfWriter {
  y: number = PAGE.top;
  /** Every text printed with replacement characters, in the order written. */
  readonly substitutions: Substitution[] = [];

  constructor(readonly pdf: Pdf, fonts: PdfFontSources) {
    for (const face of FONT_FACES) registerFace(pdf, face, fonts);
  }

  /**
   * Writes text in a box of the given width; returns its height. Characters the style's font has
   * no glyph for are drawn in a fallback font, or as the replacement character (see glyphs.ts).
   */
  text(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    const { runs, missing } = fontRuns(printableText(text), weight(style));
    if (missing.length > 0) this.substitutions.push({ field: style.field ?? 'text', characters: missing });
    const single = this.singleFontText(runs, style);
    if (single === undefined) return this.mixedText(runs, x, y, width, style);
    this.applyStyle(style);
    const options = { width, align: style.align ?? 'left', lineGap: LINE_GAP } as const;
    const height = this.pdf.heightOfString(single, options);
    this.pdf.text(single, x, y, options);
    return height;
  }

  heightOf(text: string, width: number, style: TextStyle = {}): number {
    const { runs } = fontRuns(printableText(text), weight(style));
    const single = this.singleFontText(runs, style);
    if (single === undefined) return this.mixedLines(runs, width, style).length * this.lineHeight(style);
    this.applyStyle(style);
    return this.pdf.heightOfString(single, { width, lineGap: LINE_GAP });
  }

  /** Ensures `height` points fit below the cursor; otherwise a new page, then `onNewPage`. */
  ensureSpace(height: number, onNewPage?: () => void): void {
    if (this.y + height <= PAGE.contentBottom) return;
    this.pdf.addPage();
    this.y = PAGE.top;
    onNewPage?.();
  }

  rule(y: number, from: number = PAGE.left, to: number = PAGE.right): void {
    this.pdf.moveTo(from, y).lineTo(to, y).lineWidth(0.5).strokeColor('#999999').stroke();
  }

  /** The text when it is all in the style's own font (the usual case, laid out by pdfkit), else undefined. */
  private singleFontText(runs: FontRun[], style: TextStyle): string | undefined {
    const [first, ...rest] = runs;
    if (!first) return '';
    return rest.length === 0 && first.font === FONT_CHAINS[weight(style)][0]?.name ? first.text : undefined;
  }

  /** pdfkit's line advance: the style font's line height plus the gap. */
  private lineHeight(style: TextStyle): number {
    this.applyStyle(style);
    return this.pdf.currentLineHeight(true) + LINE_GAP;
  }

  /**
   * Text in more than one font, which pdfkit cannot wrap or align as one paragraph: wrapped here
   * at spaces (and inside words longer than a line), each line aligned as a whole, every piece on
   * the style font's baseline.
   */
  private mixedText(runs: FontRun[], x: number, y: number, width: number, style: TextStyle): number {
    const lines = this.mixedLines(runs, width, style);
    const lineHeight = this.lineHeight(style);
    const size = style.size ?? DEFAULT_SIZE;
    const primary = FONT_CHAINS[weight(style)][0];
    const ascent = ((primary ? fontMetrics(primary.file).ascender : 0) / 1000) * size;
    lines.forEach((pieces, i) => {
      const lineWidth = pieces.reduce((sum, piece) => sum + piece.width, 0);
      let left = x + (style.align === 'right' ? width - lineWidth : style.align === 'center' ? (width - lineWidth) / 2 : 0);
      for (const piece of pieces) {
        this.applyStyle(style, piece.font);
        this.pdf.text(piece.text, left, y + i * lineHeight + ascent, { lineBreak: false, baseline: 'alphabetic' });
        left += piece.width;
      }
    });
    this.applyStyle(style);
    return lines.length * lineHeight;
  }

  private mixedLines(runs: FontRun[], width: number, style: TextStyle): MeasuredRun[][] {
    const cells: MeasuredRun[] = runs.flatMap((run) =>
      [...graphemes.segment(run.text)].map(({ segment }) => {
        this.applyStyle(style, run.font);
        return { font: run.font, text: segment, width: segment === '\n' ? 0 : this.pdf.widthOfString(segment) };
      }),
    );
    this.applyStyle(style);
    return wrapCells(cells, width).map(joinPieces);
  }

  private applyStyle(style: TextStyle, font?: string): void {
    this.pdf
      .font(font ?? FONT_CHAINS[weight(style)][0]?.name ?? weight(style))
      .fontSize(style.size ?? DEFAULT_SIZE)
      .fillColor(style.color ?? 'black');
  }
}

const DEFAULT_SIZE = 9;

function weight(style: TextStyle): FontWeight {
  return style.bold ? 'bold' : 'regular';
}
const graphemes = new Intl.Segmenter('nb', { granularity: 'grapheme' });

interface MeasuredRun extends FontRun {
  width: number;
}

/** Greedy line breaking: at "\n", at spaces, and inside a word that is wider than a line. */
function wrapCells(cells: MeasuredRun[], width: number): MeasuredRun[][] {
  const lines: MeasuredRun[][] = [];
  let line: MeasuredRun[] = [];
  let lineWidth = 0;
  let spaces: MeasuredRun[] = [];
  let word: MeasuredRun[] = [];
  const sum = (list: MeasuredRun[]): number => list.reduce((total, cell) => total + cell.width, 0);
  const breakLine = (): void => {
    lines.push(line);
    line = [];
    lineWidth = 0;
  };
  const placeWord = (): void => {
    if (word.length === 0) return;
    if (line.length > 0 && lineWidth + sum(spaces) + sum(word) > width) breakLine();
    if (line.length > 0) {
      line.push(...spaces);
      lineWidth += sum(spaces);
    }
    for (const cell of word) {
      if (line.length > 0 && lineWidth + cell.width > width) breakLine();
      line.push(cell);
      lineWidth += cell.width;
    }
    spaces = [];
    word = [];
  };
  for (const cell of cells) {
    if (cell.text === '\n') {
      placeWord();
      spaces = [];
      breakLine();
    } else if (/^\s+$/u.test(cell.text)) {
      placeWord();
      spaces.push(cell);
    } else word.push(cell);
  }
  placeWord();
  lines.push(line);
  return lines;
}

function joinPieces(cells: MeasuredRun[]): MeasuredRun[] {
  const pieces: MeasuredRun[] = [];
  for (const cell of cells) {
    const last = pieces[pieces.length - 1];
    if (last?.font === cell.font) {
      last.text += cell.text;
      last.width += cell.width;
    } else pieces.push({ ...cell });
  }
  return pieces;
}

/** Tabs and other control characters (indentation inside XML text) have no glyph: print them as spaces. */
export function printableText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\p{Cc}+/gu, ' ').replace(/ {2,}/g, ' ').trim())
    .join('\n');
}
