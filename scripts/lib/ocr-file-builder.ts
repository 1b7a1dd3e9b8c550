/**
 * Writes OCR giro files (the specifications, the chaos campaign): correct records per the layouts in
 * ../shared/reference/ocr-giro.md, with the end records' totals computed from the content. A test
 * that needs a broken file builds a correct one and then breaks exactly one thing (`withField`).
 */
import type { OcrGiroTransactionType } from '../../domain/ocr-giro';

export interface TransactionSpec {
  type?: OcrGiroTransactionType;
  /** Default: the transaction's place in its assignment, from 1. */
  number?: number;
  /** ISO date; default 2026-03-02. */
  date?: string;
  amountOre: number;
  /** Default: none (blank field). */
  kid?: string;
  /** Default: unique per transaction in the file. */
  archiveReference?: string;
  debitAccount?: string;
  /** ISO date, or null for 000000; default `date`. */
  bankDate?: string | null;
  /** Types 20 and 21 only: amount item 3. */
  freeText?: string;
  creditNote?: boolean;
}

export interface AssignmentSpec {
  agreementId?: string;
  account?: string;
  transactions: TransactionSpec[];
}

export interface OcrFileSpec {
  assignments: AssignmentSpec[];
  /** ISO date the transmission and its assignments were produced; default 2026-03-03. */
  producedOn?: string;
}

export const DEFAULT_DATE = '2026-03-02';
const DEFAULT_PRODUCED_ON = '2026-03-03';

/** The records of a correct file, one 80-character string each. */
export function ocrRecords(spec: OcrFileSpec): string[] {
  const producedOn = spec.producedOn ?? DEFAULT_PRODUCED_ON;
  const assignments = spec.assignments.map((assignment, index) => assignmentRecords(assignment, index, producedOn));
  const transactions = spec.assignments.flatMap((assignment) => assignment.transactions);
  const body = assignments.flat();
  return [
    record('NY000010', digits(8, 8080), digits(7, 170031), digits(8, 10200), zeros(49)),
    ...body,
    record('NY000089', digits(8, transactions.length), digits(8, body.length + 2), digits(17, sumOf(transactions)), netsDate(producedOn), zeros(33)),
  ];
}

function assignmentRecords(spec: AssignmentSpec, index: number, producedOn: string): string[] {
  const items = spec.transactions.flatMap((transaction, position) => transactionRecords(transaction, position + 1, index));
  const dates = spec.transactions.map((transaction) => transaction.date ?? DEFAULT_DATE).sort();
  const earliest = dates[0] ? netsDate(dates[0]) : zeros(6);
  const latest = dates.at(-1) ? netsDate(dates.at(-1) ?? '') : zeros(6);
  return [
    record('NY090020', spec.agreementId ?? digits(9, 1008566 + index), digits(7, index + 1), spec.account ?? `1503001234${index}`, zeros(45)),
    ...items,
    record(
      'NY090088',
      digits(8, spec.transactions.length),
      digits(8, items.length + 2),
      digits(17, sumOf(spec.transactions)),
      netsDate(producedOn),
      earliest,
      latest,
      zeros(21),
    ),
  ];
}

function transactionRecords(spec: TransactionSpec, position: number, assignmentIndex: number): string[] {
  const type = String(spec.type ?? 10);
  const number = digits(7, spec.number ?? position);
  const date = spec.date ?? DEFAULT_DATE;
  const day = date.slice(8, 10);
  const kid = (spec.kid ?? '').padStart(25, ' ');
  const archiveReference = spec.archiveReference ?? digits(9, 100000000 + assignmentIndex * 1000 + position);
  const bankDate = spec.bankDate === null ? zeros(6) : netsDate(spec.bankDate ?? date);
  const items = [
    record(`NY09${type}30`, number, netsDate(date), '13', day, '1', '01464', spec.creditNote ? '-' : '0', digits(17, spec.amountOre), kid, zeros(6)),
    record(`NY09${type}31`, number, zeros(10), archiveReference, zeros(7), bankDate, spec.debitAccount ?? '12345678903', zeros(22)),
  ];
  if (type === '20' || type === '21') items.push(record(`NY09${type}32`, number, (spec.freeText ?? '').padEnd(40, ' '), zeros(25)));
  return items;
}

/** Replaces positions `from`–`to` (1-based, inclusive, as in the spec) of one record. */
export function withField(recordText: string, from: number, to: number, value: string): string {
  if (value.length !== to - from + 1) throw new Error(`"${value}" does not fill positions ${from}–${to}`);
  return recordText.slice(0, from - 1) + value + recordText.slice(to);
}

/** Index (0-based) of the nth record of a type in `records`; the file's line number is index + 1. */
export function indexOfRecord(records: readonly string[], recordType: string, nth = 0): number {
  const indexes = records.flatMap((text, index) => (text.slice(6, 8) === recordType ? [index] : []));
  const index = indexes[nth];
  if (index === undefined) throw new Error(`no record ${recordType} number ${nth + 1} in the file`);
  return index;
}

/** The file as Nets sends it: ISO-8859-1, one byte per character. */
export function ocrFile(records: readonly string[], options: { lineEnd?: '\n' | '\r\n'; finalLineEnd?: boolean } = {}): Uint8Array {
  const lineEnd = options.lineEnd ?? '\n';
  return latin1(records.join(lineEnd) + (options.finalLineEnd === false ? '' : lineEnd));
}

export function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code > 0xff) throw new Error(`"${char}" is not in ISO-8859-1`);
    return code;
  });
}

function record(...parts: string[]): string {
  const text = parts.join('');
  if (text.length !== 80) throw new Error(`test helper wrote a record of ${text.length} characters: "${text}"`);
  return text;
}

function digits(width: number, value: number): string {
  return String(value).padStart(width, '0');
}

function zeros(width: number): string {
  return '0'.repeat(width);
}

/** "2026-03-02" → "020326". */
export function netsDate(isoDate: string): string {
  return `${isoDate.slice(8, 10)}${isoDate.slice(5, 7)}${isoDate.slice(2, 4)}`;
}

function sumOf(transactions: readonly TransactionSpec[]): number {
  return transactions.reduce((sum, transaction) => sum + transaction.amountOre, 0);
}
