import { parseOcrGiroFile, type OcrGiroError } from '../../domain/ocr-giro';
import { indexOfRecord, ocrFile, ocrRecords, withField } from '../../scripts/lib/ocr-file-builder';

/** Lines 1 (10), 2 (20), 3–4 (30 31, transaction 1), 5–6 (30 31, transaction 2), 7 (88), 8 (89). */
function correctRecords(): string[] {
  return ocrRecords({ assignments: [{ transactions: [{ amountOre: 125000 }, { amountOre: 4999 }] }] });
}

function errorsOf(records: readonly string[]): OcrGiroError[] {
  const result = parseOcrGiroFile(ocrFile(records));
  if (result.ok) throw new Error('expected the file to be refused, but it was read');
  return result.errors;
}

function without(records: readonly string[], index: number): string[] {
  return records.filter((_record, i) => i !== index);
}

describe('refusing a file whose records are out of order', () => {
  test('an amount item 1 without its amount item 2 is refused, naming where the item 2 was expected', () => {
    const errors = errorsOf(without(correctRecords(), 3));

    expect(errors).toContainEqual({
      line: 3,
      field: null,
      message: 'line 3: amount item 2 (record 31) of transaction 0000001 (amount item 1 on line 3) expected on line 4, found an amount item 1 (record 30)',
    });
  });

  test('an amount item 2 with another transaction number than its amount item 1 is refused', () => {
    const records = correctRecords();
    records[5] = withField(records[5] ?? '', 9, 15, '0000003');

    expect(errorsOf(records)).toEqual([
      {
        line: 6,
        field: 'transaction number',
        message:
          'line 6, transaction number (positions 9–15): amount item 2 is for transaction 0000003, but the amount item 1 before it (line 5) is for transaction 0000002; the amount items of one transaction carry the same number',
      },
    ]);
  });

  test('an amount item 2 with another transaction type than its amount item 1 is refused', () => {
    const records = correctRecords();
    records[3] = withField(records[3] ?? '', 5, 6, '11');

    expect(errorsOf(records)).toEqual([
      { line: 4, field: 'transaction type', message: 'line 4, transaction type (positions 5–6): amount item 2 has transaction type 11, but its amount item 1 (line 3) has 10' },
    ]);
  });

  test('an amount item 2 without an amount item 1 before it is refused', () => {
    const errors = errorsOf(without(correctRecords(), 4));

    expect(errors).toContainEqual({ line: 5, field: null, message: 'line 5: an amount item 2 (record 31) without the amount items before it' });
  });

  test('a terminal payment with free text (type 21) without its amount item 3 is refused', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ type: 21, amountOre: 100, freeText: 'Kiosk' }, { amountOre: 200 }] }] });

    const errors = errorsOf(without(records, indexOfRecord(records, '32')));

    expect(errors).toContainEqual({
      line: 4,
      field: null,
      message:
        'line 4: amount item 3 (record 32) of transaction 0000001 (transaction type 21 has three amount items; amount item 2 on line 4) expected on line 5, found an amount item 1 (record 30)',
    });
  });

  test('a file that does not begin with a transmission start is refused', () => {
    const errors = errorsOf(without(correctRecords(), 0));

    expect(errors).toContainEqual({
      line: 1,
      field: null,
      message: 'line 1: the file must begin with a transmission start (record 10), found an assignment start (record 20)',
    });
  });

  test('a second transmission start is refused', () => {
    const records = correctRecords();
    records.splice(7, 0, records[0] ?? '');

    expect(errorsOf(records)).toContainEqual({
      line: 8,
      field: null,
      message: 'line 8: a second transmission start (record 10); the transmission began on line 1, and a file holds one',
    });
  });

  test('a file cut off before its transmission end is refused', () => {
    const errors = errorsOf(without(correctRecords(), 7));

    expect(errors).toEqual([{ line: null, field: null, message: 'the file ends on line 7 without a transmission end (record 89)' }]);
  });

  test('a file cut off in the middle of an assignment is refused, naming the assignment and the cut', () => {
    const errors = errorsOf(correctRecords().slice(0, 3));

    expect(errors).toEqual([
      { line: 2, field: null, message: 'line 2: the assignment starting here has no assignment end (record 88) before the file ends' },
      { line: 3, field: null, message: 'line 3: amount item 2 (record 31) of transaction 0000001 (amount item 1 on line 3) missing: the file ends on line 3' },
      { line: null, field: null, message: 'the file ends on line 3 without a transmission end (record 89)' },
    ]);
  });

  test('an assignment without its assignment end is refused', () => {
    const errors = errorsOf(without(correctRecords(), 6));

    expect(errors).toContainEqual({
      line: 2,
      field: null,
      message: 'line 2: the assignment starting here has no assignment end (record 88); line 7 holds a transmission end (record 89)',
    });
  });

  test('an assignment end without an assignment start is refused', () => {
    const records = correctRecords();
    records.splice(7, 0, records[6] ?? '');

    expect(errorsOf(records)).toContainEqual({
      line: 8,
      field: null,
      message: 'line 8: an assignment end (record 88) without an assignment start (record 20) before it',
    });
  });

  test('a transaction outside an assignment is refused', () => {
    const errors = errorsOf(without(correctRecords(), 1));

    expect(errors).toContainEqual({
      line: 2,
      field: null,
      message: 'line 2: an amount item 1 (record 30) outside an assignment: no assignment start (record 20) before it',
    });
  });

  test('a record after the transmission end is refused', () => {
    const records = correctRecords();
    records.push(records[2] ?? '');

    expect(errorsOf(records)).toEqual([
      { line: 9, field: null, message: 'line 9: a record after the transmission end (record 89) on line 8, which must be the last record' },
    ]);
  });
});
