import type { PowerOfficeV2Port } from '../../adapters/poweroffice/v2-client';
import { accountRoleNames, type AccountMapping } from '../../domain/client-settings';
import type { PowerOfficeIds } from '../../domain/return-data/resolve-voucher';

/** The customers a page's payments are posted to, with what each is for (named when one is missing). */
export interface CustomerWanted {
  customerNo: number;
  why: string;
}

export type IdLookup = { ok: true; ids: PowerOfficeIds } | { ok: false; problems: string[] };

/**
 * PowerOffice's ids for everything a page of vouchers names, in at most three v2 calls (the GL
 * accounts of the mapping, the page's customers, the VAT codes): v2 allows 10 calls a second,
 * shared by every client. Every problem comes back at once, as a sentence naming the account and
 * its role, so an operator can fix them all in one go; an inactive account counts as missing,
 * because PowerOffice refuses postings to it.
 */
export async function lookUpPowerOfficeIds(v2: PowerOfficeV2Port, mapping: AccountMapping, customers: readonly CustomerWanted[]): Promise<IdLookup> {
  const roles = Object.entries(mapping) as [keyof AccountMapping, number][];
  const customerNos = [...new Set(customers.map((c) => c.customerNo))];
  const [accounts, found, vatCodes] = await Promise.all([
    v2.generalLedgerAccounts([...new Set(roles.map(([, no]) => no))]),
    customerNos.length > 0 ? v2.customersByNumber(customerNos) : Promise.resolve([]),
    v2.vatCodes(),
  ]);

  const problems: string[] = [];
  const ledgerAccountIds: Record<number, number> = {};
  for (const [role, no] of roles) {
    const account = accounts.find((a) => a.accountNo === no);
    if (!account) problems.push(`${accountRoleNames[role]} account ${no} does not exist in the client's PowerOffice GO`);
    else if (account.isActive === false) problems.push(`${accountRoleNames[role]} account ${no} is inactive in the client's PowerOffice GO; activate it or map another account`);
    else ledgerAccountIds[no] = account.id;
  }
  const customerSubledgerAccountIds: Record<number, number> = {};
  for (const customer of found) if (customer.number != null) customerSubledgerAccountIds[customer.number] = customer.subledgerAccountId;
  const missingCustomers = new Set<number>();
  for (const { customerNo, why } of customers) {
    if (customerSubledgerAccountIds[customerNo] === undefined && !missingCustomers.has(customerNo)) {
      missingCustomers.add(customerNo);
      problems.push(`customer ${customerNo} (${why}) does not exist in the client's PowerOffice GO, so its sub-ledger account cannot be posted to`);
    }
  }
  const noVat = vatCodes.find((vat) => vat.code === '0' && vat.isActive !== false);
  if (!noVat) problems.push('VAT code "0" (no VAT), which every return-data line carries, does not exist or is inactive in the client\'s PowerOffice GO');

  if (problems.length > 0 || !noVat) return { ok: false, problems };
  return { ok: true, ids: { ledgerAccountIds, customerSubledgerAccountIds, noVatId: noVat.id } };
}
