import { isoDateFromNetsDate } from '../../domain/ocr-giro/nets-date';

describe('Nets dates (DDMMYY)', () => {
  test.each([
    ['020326', '2026-03-02'],
    ['311226', '2026-12-31'],
    ['290224', '2024-02-29'],
    ['010168', '2068-01-01'],
    // Nets' own example files are from 1992; a year 69–99 is the 1900s, as strptime %y reads it.
    ['200192', '1992-01-20'],
    ['010169', '1969-01-01'],
  ])('%s is %s', (netsDate, iso) => {
    expect(isoDateFromNetsDate(netsDate)).toBe(iso);
  });

  test.each([
    ['310226', 'no 31 February'],
    ['290225', 'no 29 February in 2025'],
    ['310426', 'April has 30 days'],
    ['000326', 'no day 0'],
    ['011326', 'no month 13'],
    ['000000', '"no date" is not a date'],
    ['2026-3', 'not six digits'],
    ['02 326', 'a blank'],
  ])('%s is not a date (%s)', (netsDate) => {
    expect(isoDateFromNetsDate(netsDate)).toBeNull();
  });
});
