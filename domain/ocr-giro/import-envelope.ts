import type { OcrGiroError } from './model';

/**
 * The OCR import as a whole (its hash, its transmission number, how many transactions), checked
 * without zod: the import workflow checks this much itself, and whatever a workflow imports is
 * evaluated again for every open workflow. Each payment is read with the zod schema where zod
 * costs nothing per workflow: by the command before start and by the matching activity
 * (import-input.ts). `ocrImportInputSchema` (ocr-payment.ts) takes its envelope rules from here.
 */

/**
 * A file's payments, limited so that every payload of the import stays below Temporal's 2 MB limit
 * (a payload over it fails the workflow): the input is about 320 bytes per payment, but the result
 * and the matching activity's answer carry each payment kept aside with its explanation, up to
 * about 1 KB when the ledger refused it. 5,000 was too many: 5,000 payments with mistyped KIDs gave
 * a result of 1.95 MB, and longer KIDs or amounts would pass 2 MB.
 */
export const OCR_IMPORT_MAX_TRANSACTIONS = 2000;

/** SHA-256 (hex) of the file's bytes: the import's identity. */
export const FILE_SHA256_RULE = { form: /^[0-9a-f]{64}$/, message: 'must be 64 lower-case hexadecimal digits' } as const;
/** Nets' serial number of the transmission (record 10), for the operator. */
export const TRANSMISSION_NUMBER_RULE = { form: /^\d{1,7}$/, message: 'must be 1–7 digits' } as const;

const ENVELOPE_FIELDS = new Set(['fileSha256', 'transmissionNumber', 'payments']);

/** Every reason the import cannot be taken at all, as an operator reads them; empty when it can. */
export function ocrImportEnvelopeErrors(raw: unknown): OcrGiroError[] {
  if (!isRecord(raw)) return [{ line: null, field: null, message: 'the import: must be an object with fileSha256, transmissionNumber and payments' }];
  const errors: OcrGiroError[] = [];
  if (!matches(FILE_SHA256_RULE.form, raw.fileSha256)) errors.push({ line: null, field: null, message: `the file's SHA-256: ${FILE_SHA256_RULE.message}` });
  if (!matches(TRANSMISSION_NUMBER_RULE.form, raw.transmissionNumber)) {
    errors.push({ line: 1, field: 'transmission number', message: `line 1, transmission number: ${TRANSMISSION_NUMBER_RULE.message}` });
  }
  const { payments } = raw;
  if (!Array.isArray(payments)) errors.push({ line: null, field: null, message: 'payments: must be a list of transactions' });
  else if (payments.length > OCR_IMPORT_MAX_TRANSACTIONS) errors.push(tooManyTransactions(payments));
  for (const key of Object.keys(raw).filter((name) => !ENVELOPE_FIELDS.has(name))) errors.push({ line: null, field: null, message: `the import: unknown field "${key}"` });
  return errors;
}

function tooManyTransactions(payments: readonly unknown[]): OcrGiroError {
  const line = lineOf(payments[OCR_IMPORT_MAX_TRANSACTIONS]);
  const problem =
    `transaction ${OCR_IMPORT_MAX_TRANSACTIONS + 1} is one too many: one import takes at most ${OCR_IMPORT_MAX_TRANSACTIONS} transactions ` +
    `and this file holds ${payments.length}; ask the bank to split the transmission`;
  return { line, field: null, message: line === null ? problem : `line ${line}: ${problem}` };
}

const matches = (form: RegExp, value: unknown) => typeof value === 'string' && form.test(value);

/** The line a payment says it came from, when it says so sensibly. */
export function lineOf(payment: unknown): number | null {
  const line = isRecord(payment) ? payment.line : undefined;
  return typeof line === 'number' && Number.isSafeInteger(line) && line > 0 ? line : null;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
