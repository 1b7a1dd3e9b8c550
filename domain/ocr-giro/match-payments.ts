import { validateKid, type KidMethod } from '../kid';
import { formatKroner } from '../money';
import type { OcrGiroTransaction } from './model';
import { transactionIdentity } from './transaction-identity';

/**
 * The invoices a KID could belong to, from the caller's records (e.g. `{ clientId, invoiceNo }`).
 * Matching itself stays pure: the caller loads what it needs before and does the posting after.
 */
export type KidLookup<Invoice> = (kid: string) => readonly Invoice[];

export interface MatchPaymentsOptions {
  /** `transactionIdentity` of every transaction imported from earlier files. */
  alreadyImported?: ReadonlySet<string>;
  /** The check-digit methods of our clients' KIDs (domain/kid.ts); a KID must pass one of them. */
  kidMethods?: readonly KidMethod[];
}

interface Outcome {
  transaction: OcrGiroTransaction;
  identity: string;
}

export interface MatchedPayment<Invoice> extends Outcome {
  status: 'matched';
  invoice: Invoice;
}

export interface UnmatchedPayment extends Outcome {
  status: 'unmatched';
  reason: 'not-a-payment' | 'no-kid' | 'invalid-kid' | 'no-invoice';
  explanation: string;
}

export interface AmbiguousPayment<Invoice> extends Outcome {
  status: 'ambiguous';
  candidates: readonly Invoice[];
  explanation: string;
}

export interface DuplicatePayment extends Outcome {
  status: 'duplicate';
  reason: 'repeated-in-file' | 'already-imported';
  explanation: string;
}

/** Not posted automatically; each says why, for the person who takes it up. */
export type KeptAsidePayment<Invoice> = UnmatchedPayment | AmbiguousPayment<Invoice> | DuplicatePayment;

export type PaymentMatch<Invoice> = MatchedPayment<Invoice> | KeptAsidePayment<Invoice>;

export interface PaymentMatching<Invoice> {
  /** One per transaction, in file order: nothing is ever dropped. */
  outcomes: PaymentMatch<Invoice>[];
  matched: MatchedPayment<Invoice>[];
  keptAside: KeptAsidePayment<Invoice>[];
}

const ALL_KID_METHODS: readonly KidMethod[] = ['MOD10', 'MOD11'];

/**
 * Decides for each transaction of a file whether it pays exactly one invoice. In this order: a
 * transaction seen before (in an earlier file, or earlier in this file) is a duplicate; one that is
 * not a payment, has no KID, a KID failing its check digit, or a KID of no invoice is unmatched;
 * a KID of several invoices is ambiguous; else it is matched.
 */
export function matchPayments<Invoice>(
  transactions: readonly OcrGiroTransaction[],
  lookup: KidLookup<Invoice>,
  options: MatchPaymentsOptions = {},
): PaymentMatching<Invoice> {
  const alreadyImported = options.alreadyImported ?? new Set<string>();
  const kidMethods = options.kidMethods ?? ALL_KID_METHODS;
  const firstLineOf = new Map<string, number>();
  const outcomes = transactions.map((transaction): PaymentMatch<Invoice> => {
    const identity = transactionIdentity(transaction);
    const firstLine = firstLineOf.get(identity);
    if (firstLine === undefined) firstLineOf.set(identity, transaction.line);
    const outcome = { transaction, identity };
    return (
      duplicate(outcome, alreadyImported, firstLine) ??
      notAPayment(outcome) ??
      unusableKid(outcome, kidMethods) ??
      byInvoices(outcome, lookup(transaction.kid ?? ''))
    );
  });
  return {
    outcomes,
    matched: outcomes.filter((outcome): outcome is MatchedPayment<Invoice> => outcome.status === 'matched'),
    keptAside: outcomes.filter((outcome): outcome is KeptAsidePayment<Invoice> => outcome.status !== 'matched'),
  };
}

function duplicate(outcome: Outcome, alreadyImported: ReadonlySet<string>, firstLine: number | undefined): DuplicatePayment | null {
  const { transaction, identity } = outcome;
  if (alreadyImported.has(identity)) {
    return { ...outcome, status: 'duplicate', reason: 'already-imported', explanation: `${label(transaction)} was already imported from an earlier file (${identity})` };
  }
  if (firstLine === undefined) return null;
  return {
    ...outcome,
    status: 'duplicate',
    reason: 'repeated-in-file',
    explanation: `${label(transaction)} repeats the transaction on line ${firstLine} (same date, account, archive reference, number, amount and KID); it is imported once`,
  };
}

/**
 * Only payments (types 10–17) pay invoices. Reversals (18, 20) take money back, and terminal
 * purchases (19, 21) are "information transactions" whose money is settled elsewhere; credit notes
 * (sign "-") are negative. Posting any of them as a payment would credit an invoice wrongly.
 */
function notAPayment(outcome: Outcome): UnmatchedPayment | null {
  const { transaction } = outcome;
  const why =
    transaction.kind === 'reversal'
      ? `is a reversal from a terminal or internet payment (transaction type ${transaction.transactionType})`
      : transaction.kind === 'purchase'
        ? `is a terminal or internet purchase, an information transaction (transaction type ${transaction.transactionType})`
        : transaction.creditNote
          ? 'is an electronic credit note (sign "-")'
          : null;
  if (why === null) return null;
  return { ...outcome, status: 'unmatched', reason: 'not-a-payment', explanation: `${label(transaction)} ${why}, not a payment of an invoice` };
}

function unusableKid(outcome: Outcome, kidMethods: readonly KidMethod[]): UnmatchedPayment | null {
  const { transaction } = outcome;
  const kid = transaction.kid;
  if (kid === null) return { ...outcome, status: 'unmatched', reason: 'no-kid', explanation: `${label(transaction)} has no KID` };
  const checks = kidMethods.map((method) => validateKid(kid, method));
  if (checks.some((check) => check.valid)) return null;
  const reasons = [...new Set(checks.map((check) => (check.valid ? '' : check.reason)))].join('; ');
  return {
    ...outcome,
    status: 'unmatched',
    reason: 'invalid-kid',
    explanation: `${label(transaction)} has KID ${kid}, which is not a valid KID (${reasons}); the payer may have mistyped it`,
  };
}

function byInvoices<Invoice>(outcome: Outcome, invoices: readonly Invoice[]): PaymentMatch<Invoice> {
  const { transaction } = outcome;
  const [invoice] = invoices;
  if (invoices.length === 1 && invoice !== undefined) return { ...outcome, status: 'matched', invoice };
  if (invoices.length === 0) {
    return { ...outcome, status: 'unmatched', reason: 'no-invoice', explanation: `${label(transaction)} has KID ${transaction.kid}, which belongs to no invoice` };
  }
  return {
    ...outcome,
    status: 'ambiguous',
    candidates: invoices,
    explanation: `${label(transaction)} has KID ${transaction.kid}, which belongs to ${invoices.length} invoices; a person must choose`,
  };
}

/** "line 7: transaction 0000003 (2026-03-02, NOK 1 250,00)": what an operator finds in the file. */
function label(transaction: OcrGiroTransaction): string {
  const number = String(transaction.transactionNumber).padStart(7, '0');
  return `line ${transaction.line}: transaction ${number} (${transaction.netsDate}, NOK ${formatKroner(transaction.amountOre)})`;
}
