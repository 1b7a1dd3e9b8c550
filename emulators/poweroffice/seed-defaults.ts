import type { SeedAccount, SeedVatCode } from './seed-v2';

/**
 * What a seed gets when it leaves the v2 data out (test seeds built in code): a small Norwegian
 * chart of accounts and the SAF-T VAT codes the service posts with, and every privilege the
 * emulated routes need. The demo fixture lists its own.
 */

/** Every "Auth role" the emulated v2 routes ask for (spec operation summaries). */
export const V2_PRIVILEGES = [
  'Customer',
  'Customer_Full',
  'GeneralLedgerAccount',
  'GeneralLedgerAccount_Full',
  'CommonServices',
  'CommonServices_Full',
  'BankVoucher_Full',
  'ManualVoucher_Full',
] as const;

/**
 * The v1 Factoring privilege. PowerOffice does not document its name (v1 reference §1, §7); a
 * company with this in InvalidPrivileges gets 403 on every /Factoring route.
 */
export const V1_FACTORING_PRIVILEGE = 'Factoring';

export function defaultVatCodes(): SeedVatCode[] {
  return [
    { Id: 201590, Code: '0', Name: 'Ingen mva-behandling', Description: 'Ingen merverdiavgiftsbehandling (anskaffelser og inntekter)', Rate: 0, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201591, Code: '1', Name: 'Inngående mva høy sats', Description: 'Fradrag for inngående merverdiavgift, høy sats', Rate: 0.25, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201600, Code: '3', Name: 'Utgående mva høy sats', Description: 'Utgående merverdiavgift, høy sats', Rate: 0.25, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201602, Code: '5', Name: 'Utgående mva fritatt', Description: 'Innenlands omsetning og uttak fritatt for merverdiavgift', Rate: 0, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201603, Code: '6', Name: 'Utenfor mva-loven', Description: 'Omsetning utenfor merverdiavgiftsloven', Rate: 0, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201631, Code: '31', Name: 'Utgående mva middels sats', Description: 'Utgående merverdiavgift, middels sats', Rate: 0.15, ValidFrom: '2017-01-01', IsActive: true, IsCustom: false },
    { Id: 201632, Code: '33', Name: 'Utgående mva lav sats (10 %)', Description: 'Utgående merverdiavgift, lav sats, før 2018', Rate: 0.1, ValidFrom: '2017-01-01', ValidTo: '2017-12-31', IsActive: true, IsCustom: false },
    { Id: 201633, Code: '33', Name: 'Utgående mva lav sats', Description: 'Utgående merverdiavgift, lav sats', Rate: 0.12, ValidFrom: '2018-01-01', IsActive: true, IsCustom: false },
  ];
}

export function defaultAccounts(): SeedAccount[] {
  const account = (Id: number, AccountNo: number, Name: string, GeneralLedgerAccountType: SeedAccount['GeneralLedgerAccountType'], IsActive = true): SeedAccount => ({
    Id,
    AccountNo,
    Name,
    GeneralLedgerAccountType,
    IsActive,
    VatCodeId: 201590,
    VatCode: '0',
    IsVatCodeLocked: false,
    IsDepartmentRequired: false,
    IsProjectRequired: false,
  });
  return [
    account(4001510, 1510, 'Kundefordringer', 'Asset'),
    account(4001920, 1920, 'Bankinnskudd', 'Asset'),
    account(4002990, 2990, 'Annen kortsiktig gjeld (Factoring Finans)', 'Liability'),
    account(4006970, 6970, 'Factoring, administrasjonsgebyr', 'Expense'),
    account(4006975, 6975, 'Factoring, finansgebyr', 'Expense'),
    account(4006976, 6976, 'Factoring, gebyr (utgått)', 'Expense', false),
    account(4008150, 8150, 'Rentekostnad', 'Expense'),
  ];
}
