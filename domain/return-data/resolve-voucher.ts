import type { Voucher, VoucherLine } from '../../adapters/poweroffice/v2-schemas';
import { accountRoleNames } from '../client-settings';
import { assertBalanced, type PlannedAccount, type VoucherPlan } from './voucher-plan';

/**
 * PowerOffice's ids for what a plan names by number, looked up in the client's PowerOffice GO.
 * Plain records (not Maps) so they survive Temporal's JSON payloads between activities.
 */
export interface PowerOfficeIds {
  /** GL account number → `GeneralLedgerAccountDto.Id` (GET /GeneralLedgerAccounts?accountNos=…). */
  ledgerAccountIds: Readonly<Record<number, number>>;
  /** Customer number → `CustomerDto.SubledgerAccountId`: posting to it closes the open item. */
  customerSubledgerAccountIds: Readonly<Record<number, number>>;
  /** `VatCodeDto.Id` of VAT code "0" (no VAT). */
  noVatId: number;
}

/** Everything a plan needs that PowerOffice GO lacks, in one message: an operator fixes all at once. */
export class MissingPowerOfficeAccountError extends Error {
  constructor(
    readonly externalImportReference: string,
    readonly missing: string[],
  ) {
    super(`cannot post voucher ${externalImportReference}: ${missing.join('; ')}`);
    this.name = 'MissingPowerOfficeAccountError';
  }
}

function describeMissing(account: PlannedAccount): string {
  if (account.kind === 'ledger') {
    return `account ${account.accountNo} (${accountRoleNames[account.role]}) is not in the client's chart of accounts in PowerOffice GO; create it or correct the account mapping`;
  }
  return `customer ${account.customerNo} (the end customer's sub-ledger account) is not a customer in the client's PowerOffice GO`;
}

function idOf(account: PlannedAccount, ids: PowerOfficeIds): number | undefined {
  return account.kind === 'ledger' ? ids.ledgerAccountIds[account.accountNo] : ids.customerSubledgerAccountIds[account.customerNo];
}

/** The plan as the adapter posts it; which endpoint (bank or manual journal) is `plan.journal`. */
export function resolveVoucher(plan: VoucherPlan, ids: PowerOfficeIds): Voucher {
  assertBalanced(plan);
  if (!Number.isInteger(ids.noVatId)) throw new Error(`the VAT id for code "0" must be PowerOffice's integer id, got ${String(ids.noVatId)}`);
  const missing = new Set<string>();
  const lines = plan.lines.map((line): VoucherLine | undefined => {
    const accountId = idOf(line.account, ids);
    if (accountId === undefined) {
      missing.add(describeMissing(line.account));
      return undefined;
    }
    return {
      accountId,
      amountOre: line.amountOre,
      postingDate: plan.voucherDate,
      vatId: ids.noVatId,
      description: line.description,
      ...(line.invoiceNo !== undefined ? { invoiceNo: line.invoiceNo } : {}),
    };
  });
  if (missing.size > 0) throw new MissingPowerOfficeAccountError(plan.externalImportReference, [...missing]);
  return {
    voucherDate: plan.voucherDate,
    currencyCode: 'NOK',
    description: plan.description,
    externalImportReference: plan.externalImportReference,
    lines: lines.filter((line): line is VoucherLine => line !== undefined),
  };
}

/** The account and customer numbers a batch of plans needs, to look them up in one request each. */
export function numbersToLookUp(plans: readonly VoucherPlan[]): { accountNos: number[]; customerNos: number[] } {
  const accounts = plans.flatMap((plan) => plan.lines.map((line) => line.account));
  const unique = (numbers: number[]) => [...new Set(numbers)].sort((a, b) => a - b);
  return {
    accountNos: unique(accounts.flatMap((a) => (a.kind === 'ledger' ? [a.accountNo] : []))),
    customerNos: unique(accounts.flatMap((a) => (a.kind === 'customer' ? [a.customerNo] : []))),
  };
}
