import { accountRoleNames, type AccountMapping } from '../../domain/client-settings';
import type { PowerOfficeIds } from '../../domain/return-data/resolve-voucher';
import type { CustomerSubledgerFound, LedgerAccountFound, NoVatCodeFound } from '../poweroffice-calls';

/** The customers a page's payments are posted to, with what each is for (named when one is missing). */
export interface CustomerWanted {
  customerNo: number;
  why: string;
}

export type IdLookup = { ok: true; ids: PowerOfficeIds } | { ok: false; problems: string[] };

/**
 * What PowerOffice answered to the (at most) three one-request reads on the v2 queue: the GL
 * accounts of the mapping (readLedgerAccounts), the page's customers (readCustomerSubledgerIds),
 * VAT code "0" (readNoVatCodes). Numbers, ids and active flags only: they pass through history.
 */
export interface PowerOfficeAnswers {
  accounts: LedgerAccountFound[];
  customers: CustomerSubledgerFound[];
  noVatCodes: NoVatCodeFound[];
}

/**
 * PowerOffice's ids for everything a page of vouchers names, from the answers. Pure: the reads
 * happen on the v2 queue, one request each (v2 allows 10 a second for the whole deployment). Every
 * problem comes back at once, as a sentence naming the account and its role, so an operator can fix
 * them all in one go; an inactive account counts as missing, because PowerOffice refuses postings to it.
 */
export function resolvePowerOfficeIds(mapping: AccountMapping, customers: readonly CustomerWanted[], answers: PowerOfficeAnswers): IdLookup {
  const roles = Object.entries(mapping) as [keyof AccountMapping, number][];
  const problems: string[] = [];
  const ledgerAccountIds: Record<number, number> = {};
  for (const [role, no] of roles) {
    const account = answers.accounts.find((a) => a.accountNo === no);
    if (!account) problems.push(`${accountRoleNames[role]} account ${no} does not exist in the client's PowerOffice GO`);
    else if (!account.active) problems.push(`${accountRoleNames[role]} account ${no} is inactive in the client's PowerOffice GO; activate it or map another account`);
    else ledgerAccountIds[no] = account.id;
  }
  const customerSubledgerAccountIds: Record<number, number> = {};
  for (const customer of answers.customers) customerSubledgerAccountIds[customer.customerNo] = customer.subledgerAccountId;
  const missingCustomers = new Set<number>();
  for (const { customerNo, why } of customers) {
    if (customerSubledgerAccountIds[customerNo] === undefined && !missingCustomers.has(customerNo)) {
      missingCustomers.add(customerNo);
      problems.push(`customer ${customerNo} (${why}) does not exist in the client's PowerOffice GO, so its sub-ledger account cannot be posted to`);
    }
  }
  const noVat = answers.noVatCodes.find((vat) => vat.active);
  if (!noVat) problems.push('VAT code "0" (no VAT), which every return-data line carries, does not exist or is inactive in the client\'s PowerOffice GO');

  if (problems.length > 0 || !noVat) return { ok: false, problems };
  return { ok: true, ids: { ledgerAccountIds, customerSubledgerAccountIds, noVatId: noVat.id } };
}

/** The GL account numbers a mapping names, each once: what readLedgerAccounts is asked for. */
export function mappedAccountNos(mapping: AccountMapping): number[] {
  return [...new Set(Object.values(mapping))];
}
