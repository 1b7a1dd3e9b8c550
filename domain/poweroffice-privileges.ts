/**
 * The v2 privileges a client must grant us (reference poweroffice.md §3) and why we need each;
 * `_Full` also satisfies the read one. Pure and without imports: onboarding's workflow decides with
 * it whether the accounts can be read at all, its judging activity words what is missing.
 */
export const PRIVILEGES_FOR_DISTRIBUTION = [{ privilege: 'Customer', why: 'read customer cards (postal address, e-mail, organisation number)' }];
export const PRIVILEGES_FOR_RETURN_DATA = [
  { privilege: 'GeneralLedgerAccount', why: 'look up the mapped accounts' },
  { privilege: 'CommonServices', why: 'look up VAT codes' },
  { privilege: 'BankVoucher_Full', why: 'post payments as bank vouchers' },
  { privilege: 'ManualVoucher_Full', why: 'post fees and balance changes as manual vouchers' },
];

export function missingPrivileges(valid: string[], needed: { privilege: string; why: string }[]): string[] {
  const granted = new Set(valid.map((p) => p.toLowerCase()));
  return needed
    .filter(({ privilege }) => !granted.has(privilege.toLowerCase()) && !granted.has(`${privilege.toLowerCase()}_full`))
    .map(({ privilege, why }) => `missing PowerOffice privilege ${privilege} (needed to ${why})`);
}

/** Whether the key may read the mapped accounts and the VAT codes (else only the missing privileges are reported). */
export function mayReadAccounts(valid: string[]): boolean {
  return !missingPrivileges(valid, PRIVILEGES_FOR_RETURN_DATA).some((p) => p.includes('GeneralLedgerAccount') || p.includes('CommonServices'));
}
