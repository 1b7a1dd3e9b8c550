/** OCR giro payment files (Mastercard Payment Services, ex-Nets): read them, match their payments. */
export type * from './model';
export { parseOcrGiroFile, transactionKind } from './parse-ocr-giro-file';
export { transactionIdentity } from './transaction-identity';
export {
  matchPayments,
  type AmbiguousPayment,
  type DuplicatePayment,
  type KeptAsidePayment,
  type KidLookup,
  type MatchedPayment,
  type MatchPaymentsOptions,
  type PaymentMatch,
  type PaymentMatching,
  type UnmatchedPayment,
} from './match-payments';
export { asTransaction, OCR_KID_FORM, ocrImportInputSchema, ocrPaymentSchema, OCR_IMPORT_MAX_TRANSACTIONS, toOcrPayment, type OcrImportInput, type OcrPayment } from './ocr-payment';
export { ocrImportInputErrors, readOcrImportInput, type OcrImportInputReading, type UnusablePayment } from './import-input';
