import { parseOcrGiroFile, type OcrGiroError } from '../../domain/ocr-giro';
import { indexOfRecord, ocrFile, ocrRecords, withField } from '../../scripts/lib/ocr-file-builder';

/**
 * Two assignments, so the assignment totals are checked per assignment and the transmission's
 * over the whole file. Lines: 1 (10); 2 (20), 3–8 (three transactions), 9 (88); 10 (20),
 * 11–12 (one transaction), 13 (88); 14 (89).
 */
function correctRecords(): string[] {
  return ocrRecords({
    assignments: [
      {
        transactions: [
          { amountOre: 125000, date: '2026-03-02' },
          { amountOre: 4999, date: '2026-03-02' },
          { amountOre: 1, date: '2026-03-03' },
        ],
      },
      { transactions: [{ amountOre: 70000, date: '2026-03-03' }] },
    ],
  });
}

function errorsWith(recordType: string, from: number, to: number, value: string): OcrGiroError[] {
  const records = correctRecords();
  const index = indexOfRecord(records, recordType);
  records[index] = withField(records[index] ?? '', from, to, value);
  const result = parseOcrGiroFile(ocrFile(records));
  if (result.ok) throw new Error('expected the file to be refused, but it was read');
  return result.errors;
}

describe('refusing a file whose end records do not match its content', () => {
  test('the correct file is read (so each refusal below is caused by the one total changed)', () => {
    expect(parseOcrGiroFile(ocrFile(correctRecords())).ok).toBe(true);
  });

  test.each([
    [
      'number of transactions',
      9,
      16,
      '00000004',
      'line 9, number of transactions (positions 9–16): the assignment end says 4; counted 3 (transactions in lines 2–9)',
    ],
    [
      'number of records',
      17,
      24,
      '00000010',
      'line 9, number of records (positions 17–24): the assignment end says 10; counted 8 (records in lines 2–9, start and end included)',
    ],
    [
      'total amount',
      25,
      41,
      '00000000000130001',
      'line 9, total amount (positions 25–41): the assignment end says 130001 øre (NOK 1\u00a0300,01); the amounts of its transactions add up to 130000 øre (NOK 1\u00a0300,00)',
    ],
    [
      'earliest Nets date',
      48,
      53,
      '010326',
      'line 9, earliest Nets date (positions 48–53): the assignment end says 2026-03-01 (010326); the earliest transaction is dated 2026-03-02 (020326) (line 3)',
    ],
    [
      'latest Nets date',
      54,
      59,
      '020326',
      'line 9, latest Nets date (positions 54–59): the assignment end says 2026-03-02 (020326); the latest transaction is dated 2026-03-03 (030326) (line 7)',
    ],
  ])('a wrong %s in an assignment end is refused', (fieldName, from, to, value, message) => {
    expect(errorsWith('88', from, to, value)).toEqual([{ line: 9, field: fieldName, message }]);
  });

  test.each([
    ['number of transactions', 9, 16, '00000005', 'line 14, number of transactions (positions 9–16): the transmission end says 5; counted 4 (transactions in the file)'],
    ['number of records', 17, 24, '00000013', 'line 14, number of records (positions 17–24): the transmission end says 13; counted 14 (records in lines 1–14, start and end included)'],
    [
      'total amount',
      25,
      41,
      '00000000000199999',
      'line 14, total amount (positions 25–41): the transmission end says 199999 øre (NOK 1\u00a0999,99); the amounts of its transactions add up to 200000 øre (NOK 2\u00a0000,00)',
    ],
  ])('a wrong %s in the transmission end is refused', (fieldName, from, to, value, message) => {
    expect(errorsWith('89', from, to, value)).toEqual([{ line: 14, field: fieldName, message }]);
  });

  test('an unreadable amount is reported once, not again as wrong totals', () => {
    const errors = errorsWith('30', 33, 49, '000000000001250OO');

    expect(errors.map((error) => [error.line, error.field])).toEqual([[3, 'amount']]);
  });
});
