import { formatNorwegianAccountNumber, isValidNorwegianAccountNumber } from '../../domain/ehf/bank-account';
import { formatOrganisationNumber, isValidOrganisationNumber } from '../../domain/organisation-number';
import { DEMO_SETTINGS } from '../../documents/demo-settings';

describe('Norwegian organisation numbers (MOD11, scheme 0192)', () => {
  test.each(['123456785', '987654325', '974760673', DEMO_SETTINGS.organisationNumber])('%s is valid', (number) => {
    expect(isValidOrganisationNumber(number)).toBe(true);
  });

  test.each([
    ['123456789', 'wrong check digit'],
    ['12345678', 'eight digits'],
    ['12345678a', 'not digits'],
    ['100000130', 'remainder 1: never issued'],
  ])('%s is invalid (%s)', (number) => {
    expect(isValidOrganisationNumber(number)).toBe(false);
  });

  test('prints in groups of three', () => {
    expect(formatOrganisationNumber('123456785')).toBe('123 456 785');
  });
});

describe('Norwegian bank account numbers (11 digits, MOD11)', () => {
  test.each(['86011117947', DEMO_SETTINGS.bankAccount])('%s is valid', (account) => {
    expect(isValidNorwegianAccountNumber(account)).toBe(true);
  });

  test.each(['86011117948', '8601111794', 'NO9386011117947'])('%s is invalid', (account) => {
    expect(isValidNorwegianAccountNumber(account)).toBe(false);
  });

  test('prints as 4 + 2 + 5 digits', () => {
    expect(formatNorwegianAccountNumber('86011117947')).toBe('8601 11 17947');
  });
});
