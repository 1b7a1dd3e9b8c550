import type { OcrGiroTransaction } from './model';

/**
 * A transaction's identity across files, for idempotency keys and for recognising a file (or a
 * transaction) Nets delivers twice:
 *
 *   ocr:<Nets date>:<assignment account>:<archive reference>:<transaction number>:<amount øre>:<KID>
 *
 * e.g. "ocr:2026-03-02:15036212345:000123456:0000001:125000:000010000012349". The transaction
 * number only runs within an assignment, and every assignment of a file starts again at 1, so the
 * account (stable from file to file, unlike the assignment number) keeps two agreements apart. The
 * archive reference is zeros for some payment kinds, so the amount (with the credit-note sign) and
 * the KID are part of it too. It holds no name and not the payer's account, so it may appear in
 * workflow IDs and logs.
 */
export function transactionIdentity(transaction: OcrGiroTransaction): string {
  return [
    'ocr',
    transaction.netsDate,
    transaction.assignmentAccount,
    transaction.archiveReference,
    String(transaction.transactionNumber).padStart(7, '0'),
    `${transaction.creditNote ? '-' : ''}${transaction.amountOre}`,
    transaction.kid ?? '',
  ].join(':');
}
