import type {} from 'pdfkit';

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
}

/**
 * Writes text at explicit positions and keeps a cursor for flowing content, starting a new page
 * (and calling back, e.g. to repeat a table header) when the next block would not fit.
 */
export class PdfWriter {
  y: number = PAGE.top;

  constructor(readonly pdf: Pdf) {}

  /** Writes text in a box of the given width; returns its height. */
  text(text: string, x: number, y: number, width: number, style: TextStyle = {}): number {
    this.applyStyle(style);
    const options = { width, align: style.align ?? 'left', lineGap: 1 } as const;
    const printable = printableText(text);
    const height = this.pdf.heightOfString(printable, options);
    this.pdf.text(printable, x, y, options);
    return height;
  }

  heightOf(text: string, width: number, style: TextStyle = {}): number {
    this.applyStyle(style);
    return this.pdf.heightOfString(printableText(text), { width, lineGap: 1 });
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

  private applyStyle(style: TextStyle): void {
    this.pdf
      .font(style.bold ? 'bold' : 'regular')
      .fontSize(style.size ?? 9)
      .fillColor(style.color ?? 'black');
  }
}

/** Tabs and other control characters (indentation inside XML text) have no glyph: print them as spaces. */
export function printableText(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\p{Cc}+/gu, ' ').replace(/ {2,}/g, ' ').trim())
    .join('\n');
}
