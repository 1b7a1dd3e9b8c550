import type { LedgerEventType } from '../../adapters/ledger/ledger-api';
import type { AccountMapping } from '../client-settings';

/**
 * A voucher as the client's accountant would read it: account NUMBERS from the client's chart
 * and customer numbers, not PowerOffice's internal ids. resolve-voucher.ts turns it into the
 * adapter's `Voucher` once the ids are looked up; keeping the two apart lets the rules be tested
 * without PowerOffice and lets a plan be shown to a person before anything is posted.
 */
export type AccountRole = keyof AccountMapping;

export type PlannedAccount =
  /** A general-ledger account of the client, and the role the account mapping gave it. */
  | { kind: 'ledger'; accountNo: number; role: AccountRole }
  /** An end customer's sub-ledger account in the client's kundereskontro (sub-ledger no. = customer no.). */
  | { kind: 'customer'; customerNo: number };

export interface PlannedLine {
  account: PlannedAccount;
  /** Signed whole øre: positive = debit, negative = credit (PowerOffice's CurrencyAmount). */
  amountOre: number;
  description: string;
  /** Bank journals only: PowerOffice matches the line against this invoice's open item. */
  invoiceNo?: number;
}

/**
 * BankJournals for money that moved (a payment, a payout): PowerOffice recommends them for payment
 * events and only their lines carry InvoiceNo. ManualJournals for the rest (fees, balance changes).
 */
export type Journal = 'bank' | 'manual';

export interface VoucherPlan {
  /** The ledger event this voucher posts; one event, one voucher. */
  eventId: string;
  eventType: LedgerEventType;
  journal: Journal;
  /** YYYY-MM-DD; also every line's PostingDate. */
  voucherDate: string;
  /** Norwegian, identifiers only: it is shown in the client's PowerOffice GO. */
  description: string;
  externalImportReference: string;
  lines: PlannedLine[];
}

/** A plan that breaks double-entry rules: a bug in the rules, never something to post. */
export class VoucherPlanError extends Error {
  constructor(plan: Pick<VoucherPlan, 'eventId' | 'eventType'>, problem: string) {
    super(`voucher plan for ${plan.eventType} event ${plan.eventId}: ${problem}`);
    this.name = 'VoucherPlanError';
  }
}

export function accountKey(account: PlannedAccount): string {
  return account.kind === 'ledger' ? `account ${account.accountNo}` : `customer ${account.customerNo}`;
}

/**
 * What PowerOffice would refuse (a zero line, an unbalanced voucher) and what it would accept but
 * an accountant would not (a voucher that debits and credits one and the same account, which only
 * a mapping naming one account for two roles can produce). Throws; returns the plan for chaining.
 */
export function assertBalanced(plan: VoucherPlan): VoucherPlan {
  const fail = (problem: string): never => {
    throw new VoucherPlanError(plan, problem);
  };
  if (plan.lines.length < 2) fail(`a voucher needs at least two lines, it has ${plan.lines.length}`);
  for (const [i, line] of plan.lines.entries()) {
    if (!Number.isSafeInteger(line.amountOre)) fail(`line ${i + 1} amount ${line.amountOre} is not a whole number of øre`);
    if (line.amountOre === 0) fail(`line ${i + 1} (${accountKey(line.account)}) is 0, which PowerOffice refuses`);
    if (line.invoiceNo !== undefined && plan.journal !== 'bank') fail(`line ${i + 1} names invoice ${line.invoiceNo}, which only bank journal lines can carry`);
  }
  const sum = plan.lines.reduce((total, line) => total + line.amountOre, 0);
  if (sum !== 0) fail(`lines sum to ${sum} øre, not 0 (debits must equal credits)`);
  if (new Set(plan.lines.map((line) => accountKey(line.account))).size < 2) {
    fail(`every line hits ${accountKey(plan.lines[0]!.account)}: the account mapping names one account for two roles`);
  }
  return plan;
}
