/**
 * How operator commands print for a person: aligned tables, Norwegian number formats, sections
 * bounded to a number of rows ("… and 12 more") so a bad morning still fits on one screen. Scripts
 * read `--json` instead, which carries the same figures.
 */

/** How many rows a section shows unless the command is told otherwise. */
export const DEFAULT_SECTION_ROWS = 20;

/** A section's rows: the first ones, and how many there are in all. */
export interface Bounded<T> {
  total: number;
  rows: T[];
}

export function bounded<T>(all: readonly T[], limit: number): Bounded<T> {
  return { total: all.length, rows: all.slice(0, limit) };
}

/** 12 345 as Norwegians write it (a no-break space between thousands, as formatKroner does). */
export function formatCount(n: number): string {
  const sign = n < 0 ? '-' : '';
  return `${sign}${Math.abs(Math.trunc(n))
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0')}`;
}

export interface Column {
  title: string;
  /** Numbers are right-aligned, text left-aligned. */
  align?: 'left' | 'right';
}

/**
 * Lines of an aligned table, indented two spaces, two spaces between columns, no trailing spaces.
 * A cell wider than `maxWidth` is shortened with "…" (the whole text is in --json).
 */
export function table(columns: readonly Column[], rows: readonly (readonly string[])[], { maxWidth = 100 }: { maxWidth?: number } = {}): string[] {
  const cells = rows.map((row) => columns.map((_, i) => shorten(row[i] ?? '', maxWidth)));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...cells.map((row) => row[i]!.length)));
  const line = (values: readonly string[]) =>
    `  ${values.map((value, i) => (columns[i]!.align === 'right' ? value.padStart(widths[i]!) : value.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(columns.map((c) => c.title)), ...cells.map(line)];
}

/** The table of a bounded section, and "… and N more <noun>" under it when rows were left out. */
export function boundedTable<T>(columns: readonly Column[], section: Bounded<T>, toRow: (row: T) => string[], noun = ''): string[] {
  if (section.rows.length === 0) return [];
  const lines = table(columns, section.rows.map(toRow));
  const left = section.total - section.rows.length;
  if (left > 0) lines.push(`  … and ${formatCount(left)} more${noun ? ` ${noun}` : ''}`);
  return lines;
}

function shorten(text: string, maxWidth: number): string {
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  return oneLine.length > maxWidth ? `${oneLine.slice(0, maxWidth - 1)}…` : oneLine;
}

/** "1 invoice", "3 invoices". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** Short column titles for the channels, in the order an invoice is offered them. */
export const CHANNEL_COLUMNS: readonly { channel: string; title: string }[] = [
  { channel: 'ehf', title: 'EHF' },
  { channel: 'email-link', title: 'e-mail link' },
  { channel: 'email-pdf', title: 'e-mail PDF' },
  { channel: 'letter', title: 'letter' },
];
