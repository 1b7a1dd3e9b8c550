import { z } from 'zod';
import type { Ore } from '../money';
import { FILE_SHA256_RULE, OCR_IMPORT_MAX_TRANSACTIONS, TRANSMISSION_NUMBER_RULE } from './import-envelope';
import type { OcrGiroTransaction, OcrGiroTransactionType } from './model';
import { transactionKind } from './parse-ocr-giro-file';
import { transactionIdentity } from './transaction-identity';

/**
 * A transaction of an OCR giro file as it travels into Temporal (the import workflow's input,
 * history and result): only what matching and the ledger need. The payer's account (`debitAccount`)
 * and the free text of terminal payments (which may hold a name) never leave the operator's
 * machine; neither does anything else identifying a person.
 */
/** The parser hands out valid calendar dates; here only their form is checked (zod's z.iso.date misreads inside Temporal's workflow sandbox). */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

/** A KID as an OCR giro file may carry it: digits, and "-" as the last character (MOD11 remainder 1). */
export const OCR_KID_FORM = /^(?=.{1,25}$)\d+-?$/;

export const ocrPaymentSchema = z
  .strictObject({
    /** Line of amount item 1 in the file, for the operator. */
    line: z.number().int().positive(),
    /** `transactionIdentity`: the idempotency key of the payment's registration in the ledger. */
    identity: z.string().min(1).max(255),
    transactionType: z
      .number()
      .int()
      .min(10)
      .max(21)
      .transform((code) => code as OcrGiroTransactionType),
    transactionNumber: z.number().int().min(0).max(9_999_999),
    netsDate: isoDate,
    bankDate: isoDate.nullable(),
    creditNote: z.boolean(),
    amountOre: z.number().int().nonnegative().refine(Number.isSafeInteger, 'must be a safe integer (øre)'),
    /** As the parser reads it: a MOD11 KID may end in "-" (check remainder 1), see domain/kid.ts. */
    kid: z.string().regex(OCR_KID_FORM, 'must be 1–25 digits, of which the last may be "-" (a MOD11 check)').nullable(),
    /** Factoring Finans' own account the assignment credited (not the payer's). */
    assignmentAccount: z.string().regex(/^\d{1,11}$/, 'must be 1–11 digits'),
    archiveReference: z.string().regex(/^[0-9A-Za-z ]{1,9}$/, 'must be 1–9 letters, digits or blanks'),
  })
  .superRefine(
    (payment, ctx) => {
      if (payment.identity !== transactionIdentity(asTransaction(payment))) {
        ctx.addIssue({ code: 'custom', path: ['identity'], message: 'is not the identity of this transaction' });
      }
    },
    // Only over fields that are right: a wrong KID alone is one problem, not also a wrong identity.
    { when: (payload) => payload.issues.length === 0 },
  );
export type OcrPayment = z.infer<typeof ocrPaymentSchema>;

/** Defined beside the envelope's other rules, which the workflow checks without zod. */
export { OCR_IMPORT_MAX_TRANSACTIONS };

export const ocrImportInputSchema = z.strictObject({
  /** The import's envelope: the rules the workflow checks without zod (import-envelope.ts). */
  fileSha256: z.string().regex(FILE_SHA256_RULE.form, FILE_SHA256_RULE.message),
  transmissionNumber: z.string().regex(TRANSMISSION_NUMBER_RULE.form, TRANSMISSION_NUMBER_RULE.message),
  payments: z.array(ocrPaymentSchema).max(OCR_IMPORT_MAX_TRANSACTIONS),
});
export type OcrImportInput = z.infer<typeof ocrImportInputSchema>;

export function toOcrPayment(transaction: OcrGiroTransaction): OcrPayment {
  return {
    line: transaction.line,
    identity: transactionIdentity(transaction),
    transactionType: transaction.transactionType,
    transactionNumber: transaction.transactionNumber,
    netsDate: transaction.netsDate,
    bankDate: transaction.bankDate,
    creditNote: transaction.creditNote,
    amountOre: transaction.amountOre,
    kid: transaction.kid,
    assignmentAccount: transaction.assignmentAccount,
    archiveReference: transaction.archiveReference,
  };
}

/**
 * Back to the parser's shape, for `matchPayments` and `transactionIdentity`. The fields left out of
 * an OcrPayment are ones matching never reads (Nets' processing details and the payer's data);
 * they are filled neutrally so nothing personal can reappear.
 */
export function asTransaction(payment: OcrPayment): OcrGiroTransaction {
  return {
    line: payment.line,
    agreementId: '',
    assignmentAccount: payment.assignmentAccount,
    transactionType: payment.transactionType,
    kind: transactionKind(payment.transactionType),
    transactionNumber: payment.transactionNumber,
    netsDate: payment.netsDate,
    centreId: '',
    dayCode: Number(payment.netsDate.slice(8, 10)),
    partialSettlementNumber: 0,
    partialSettlementSerialNumber: '',
    creditNote: payment.creditNote,
    // Whole øre, checked by the schema (or taken from the parser).
    amountOre: payment.amountOre as Ore,
    kid: payment.kid,
    formNumber: '',
    archiveReference: payment.archiveReference,
    bankDate: payment.bankDate,
    debitAccount: null,
    freeText: null,
  };
}
