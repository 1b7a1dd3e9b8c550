import type { z } from 'zod';
import { isRecord, lineOf, ocrImportEnvelopeErrors } from './import-envelope';
import type { OcrGiroError } from './model';
import { ocrPaymentSchema, type OcrImportInput, type OcrPayment } from './ocr-payment';

/**
 * The one reading of the OCR import's input, so the command (before it starts the workflow) and
 * the import (when it runs) can never disagree about what the import takes:
 *
 * - Something wrong with the import as a whole (its hash, its transmission number, too many
 *   transactions) makes the input unusable: the command refuses the file, the workflow fails.
 *   Checked by `ocrImportEnvelopeErrors` (import-envelope.ts), without zod, so the workflow checks
 *   it itself.
 * - Something wrong with one payment makes only that payment unusable: the matching activity keeps
 *   it aside with its reason and the import takes the others; the command refuses the file before
 *   start, since a payment the parser handed out and the import cannot take is a bug worth a
 *   person's look. Read with `ocrPaymentSchema` (zod), at those two boundaries, never in the
 *   workflow: whatever a workflow imports is evaluated again for every open workflow.
 */
export type OcrImportInputReading =
  | { ok: true; input: OcrImportInput; unusable: UnusablePayment[] }
  | { ok: false; errors: OcrGiroError[] };

/** A payment the import cannot take, with what could be read of it (for the kept-aside list). */
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
  const envelope = ocrImportEnvelopeErrors(raw);
  if (envelope.length > 0 || !isRecord(raw)) return { ok: false, errors: envelope };
  const { usable, unusable } = readOcrPayments(raw.payments as unknown[]);
  return { ok: true, input: { fileSha256: raw.fileSha256 as string, transmissionNumber: raw.transmissionNumber as string, payments: usable }, unusable };
}

/** Each payment on its own: the ones the import takes, and the others with every problem of each. */
export function readOcrPayments(rawPayments: readonly unknown[]): { usable: OcrPayment[]; unusable: UnusablePayment[] } {
  const usable: OcrPayment[] = [];
  const unusable: UnusablePayment[] = [];
  rawPayments.forEach((payment, index) => {
    const parsed = ocrPaymentSchema.safeParse(payment);
    if (parsed.success) usable.push(parsed.data);
    else unusable.push(unusablePayment(payment, index, parsed.error.issues));
  });
  return { usable, unusable };
}

/** Every reason the import would not take `raw` whole, in line order: what the command refuses. */
export function ocrImportInputErrors(raw: unknown): OcrGiroError[] {
  const reading = readOcrImportInput(raw);
  return reading.ok ? reading.unusable.flatMap((payment) => payment.errors) : reading.errors;
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
      const key = issue.path[0];
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
