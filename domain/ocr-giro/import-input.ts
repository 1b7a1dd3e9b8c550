import type { z } from 'zod';
import type { OcrGiroError } from './model';
import { OCR_IMPORT_MAX_TRANSACTIONS, ocrImportInputSchema, ocrPaymentSchema, type OcrImportInput, type OcrPayment } from './ocr-payment';

/**
 * The one reading of the OCR import workflow's input, shared by the command (before it starts the
 * workflow) and the workflow (when it runs), so the two can never disagree about what the workflow
 * takes: both go through `ocrImportInputSchema`.
 *
 * - Something wrong with the import as a whole (its hash, its transmission number, too many
 *   transactions) makes the input unusable: the command refuses the file, the workflow fails.
 * - Something wrong with one payment makes only that payment unusable: the workflow keeps it aside
 *   with its reason and imports the others; the command refuses the file before start, since a
 *   payment the parser handed out and the workflow cannot take is a bug worth a person's look.
 */
export type OcrImportInputReading =
  | { ok: true; input: OcrImportInput; unusable: UnusablePayment[] }
  | { ok: false; errors: OcrGiroError[] };

/** A payment the workflow cannot take, with what could be read of it (for the kept-aside list). */
export interface UnusablePayment {
  /** The line in the file; null when the input does not say. */
  line: number | null;
  identity: string;
  amountOre: number;
  kid: string | null;
  /** One per problem: "line 7, KID: must be …", as an operator reads it. */
  errors: OcrGiroError[];
}

type Issue = z.core.$ZodIssue;

export function readOcrImportInput(raw: unknown): OcrImportInputReading {
  const whole = ocrImportInputSchema.safeParse(raw);
  if (whole.success) return { ok: true, input: whole.data, unusable: [] };
  const rawPayments = isRecord(raw) && Array.isArray(raw.payments) ? (raw.payments as unknown[]) : [];
  const byPayment = new Map<number, Issue[]>();
  const envelope: Issue[] = [];
  for (const issue of whole.error.issues) {
    const [first, index] = issue.path;
    if (first === 'payments' && typeof index === 'number') byPayment.set(index, [...(byPayment.get(index) ?? []), issue]);
    else envelope.push(issue);
  }
  if (envelope.length > 0) return { ok: false, errors: envelope.map((issue) => envelopeError(issue, rawPayments)) };

  const usable: OcrPayment[] = [];
  const unusable: UnusablePayment[] = [];
  rawPayments.forEach((payment, index) => {
    const issues = byPayment.get(index);
    if (issues === undefined) usable.push(ocrPaymentSchema.parse(payment));
    else unusable.push(unusablePayment(payment, index, issues));
  });
  // The envelope had no issue, so with the good payments alone the whole input parses.
  return { ok: true, input: ocrImportInputSchema.parse({ ...(raw as object), payments: usable }), unusable };
}

/** Every reason the workflow would not take `raw` whole, in line order: what the command refuses. */
export function ocrImportInputErrors(raw: unknown): OcrGiroError[] {
  const reading = readOcrImportInput(raw);
  return reading.ok ? reading.unusable.flatMap((payment) => payment.errors) : reading.errors;
}

function envelopeError(issue: Issue, payments: readonly unknown[]): OcrGiroError {
  const [field] = issue.path;
  if (field === 'payments' && issue.code === 'too_big') {
    const line = lineOf(payments[OCR_IMPORT_MAX_TRANSACTIONS]);
    const problem =
      `transaction ${OCR_IMPORT_MAX_TRANSACTIONS + 1} is one too many: one import takes at most ${OCR_IMPORT_MAX_TRANSACTIONS} transactions ` +
      `and this file holds ${payments.length}; ask the bank to split the transmission`;
    return { line, field: null, message: line === null ? problem : `line ${line}: ${problem}` };
  }
  if (field === 'transmissionNumber') return { line: 1, field: 'transmission number', message: `line 1, transmission number: ${issue.message}` };
  const name = field === 'fileSha256' ? "the file's SHA-256" : field === undefined ? 'the import' : String(field);
  return { line: null, field: null, message: `${name}: ${issue.message}` };
}

function unusablePayment(raw: unknown, index: number, issues: readonly Issue[]): UnusablePayment {
  const payment = isRecord(raw) ? raw : {};
  const line = lineOf(raw);
  const where = line === null ? `transaction ${index + 1} of the import` : `line ${line}`;
  return {
    line,
    identity: typeof payment.identity === 'string' ? payment.identity.slice(0, 255) : '',
    amountOre: typeof payment.amountOre === 'number' && Number.isSafeInteger(payment.amountOre) ? payment.amountOre : 0,
    kid: typeof payment.kid === 'string' ? payment.kid.slice(0, 25) : null,
    errors: issues.map((issue) => {
      const key = issue.path[2];
      const field = typeof key === 'string' ? (FIELD_NAMES[key] ?? key) : null;
      const found = typeof key === 'string' && Object.hasOwn(FIELD_NAMES, key) ? shown(payment[key]) : '';
      return { line, field, message: `${where}, ${field ?? 'the transaction'}: ${issue.message}${found}` };
    }),
  };
}

/** The names an operator knows from the file (the parser's field names). */
const FIELD_NAMES: Record<string, string> = {
  line: 'line',
  identity: 'transaction identity',
  transactionType: 'transaction type',
  transactionNumber: 'transaction number',
  netsDate: 'Nets date',
  bankDate: 'bank date',
  creditNote: 'sign',
  amountOre: 'amount',
  kid: 'KID',
  assignmentAccount: 'assignment account',
  archiveReference: 'archive reference',
};

/** ', found "12A"': short values only, and only of the fields above, none of which is personal. */
function shown(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean') return `, found ${String(value)}`;
  if (typeof value === 'string' && value.length <= 40) return `, found "${value}"`;
  return '';
}

function lineOf(payment: unknown): number | null {
  const line = isRecord(payment) ? payment.line : undefined;
  return typeof line === 'number' && Number.isSafeInteger(line) && line > 0 ? line : null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
