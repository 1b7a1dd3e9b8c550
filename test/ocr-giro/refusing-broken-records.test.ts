import { parseOcrGiroFile, type OcrGiroError } from '../../domain/ocr-giro';
import { indexOfRecord, latin1, ocrFile, ocrRecords, withField } from '../../scripts/lib/ocr-file-builder';

/** A correct file of one assignment with two giro payments: lines 1 (10), 2 (20), 3–6 (30 31 30 31), 7 (88), 8 (89). */
function correctRecords(): string[] {
  return ocrRecords({ assignments: [{ transactions: [{ amountOre: 125000, kid: '010030000012349' }, { amountOre: 4999 }] }] });
}

function errorsOf(bytes: Uint8Array): OcrGiroError[] {
  const result = parseOcrGiroFile(bytes);
  if (result.ok) throw new Error('expected the file to be refused, but it was read');
  return result.errors;
}

/** The file with one field of one record replaced. */
function withBrokenField(recordType: string, from: number, to: number, value: string, nth = 0): Uint8Array {
  const records = correctRecords();
  const index = indexOfRecord(records, recordType, nth);
  records[index] = withField(records[index] ?? '', from, to, value);
  return ocrFile(records);
}

describe('refusing a file with a broken record', () => {
  test.each([
    ['no bytes at all', new Uint8Array()],
    ['only a line break', latin1('\r\n')],
  ])('an empty file (%s) is refused as empty', (_name, bytes) => {
    expect(errorsOf(bytes)).toEqual([
      { line: null, field: null, message: 'the file is empty: an OCR giro file has at least a transmission start (record 10) and a transmission end (record 89)' },
    ]);
  });

  test('a record of 79 characters is refused, naming its line', () => {
    const records = correctRecords();
    records[3] = (records[3] ?? '').slice(0, 79);

    expect(errorsOf(ocrFile(records))).toEqual([
      { line: 4, field: 'record length', message: 'line 4: the record has 79 characters; every record has exactly 80' },
    ]);
  });

  test('a record of 81 characters is refused, naming its line', () => {
    const records = correctRecords();
    records[6] = `${records[6] ?? ''}0`;

    expect(errorsOf(ocrFile(records))).toEqual([
      { line: 7, field: 'record length', message: 'line 7: the record has 81 characters; every record has exactly 80' },
    ]);
  });

  test('a file saved as UTF-8 is refused with that as the likely cause', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ type: 21, amountOre: 100, freeText: 'Blåbær' }] }] });
    const utf8 = new TextEncoder().encode(records.join('\n') + '\n');

    expect(errorsOf(utf8)).toEqual([
      expect.objectContaining({ line: 5, message: expect.stringContaining('82 characters; every record has exactly 80 (it looks UTF-8 encoded; OCR giro files are ISO-8859-1') }),
    ]);
  });

  test('letters in an amount are refused, naming line, field and positions', () => {
    expect(errorsOf(withBrokenField('30', 33, 49, '0000000000012500O'))).toEqual([
      { line: 3, field: 'amount', message: 'line 3, amount (positions 33–49): must be 17 digits, found "0000000000012500O"' },
    ]);
  });

  test('blanks in an amount are refused (numeric fields are zero-filled, not blank-filled)', () => {
    expect(errorsOf(withBrokenField('30', 33, 49, '           125000'))).toEqual([
      { line: 3, field: 'amount', message: 'line 3, amount (positions 33–49): must be 17 digits, found "           125000"' },
    ]);
  });

  test('an amount larger than can be added exactly is refused', () => {
    expect(errorsOf(withBrokenField('30', 33, 49, '99999999999999999'))).toEqual([
      {
        line: 3,
        field: 'amount',
        message: 'line 3, amount (positions 33–49): 99999999999999999 øre is larger than the 9007199254740991 øre this system can add exactly',
      },
    ]);
  });

  test('a Nets date that is not in the calendar is refused', () => {
    expect(errorsOf(withBrokenField('30', 16, 21, '310226'))).toEqual([
      { line: 3, field: 'Nets date', message: 'line 3, Nets date (positions 16–21): must be a date DDMMYY, found "310226"' },
    ]);
  });

  test('a KID with a letter in it is refused', () => {
    expect(errorsOf(withBrokenField('30', 50, 74, '          01003000001234A'))).toEqual([
      {
        line: 3,
        field: 'KID',
        message: 'line 3, KID (positions 50–74): a KID is digits right-aligned after leading blanks (a MOD11 KID may end in "-"), found "          01003000001234A"',
      },
    ]);
  });

  test('a KID left-aligned (blanks after it) is refused', () => {
    expect(errorsOf(withBrokenField('30', 50, 74, '010030000012349          '))).toEqual([expect.objectContaining({ line: 3, field: 'KID' })]);
  });

  test('a sign other than "0" or "-" is refused', () => {
    expect(errorsOf(withBrokenField('30', 32, 32, '+'))).toEqual([
      { line: 3, field: 'sign', message: 'line 3, sign (position 32): must be "0" or "-", found "+"' },
    ]);
  });

  test('a letter in an assignment account is refused', () => {
    expect(errorsOf(withBrokenField('20', 25, 35, '1503001234X'))).toEqual([
      { line: 2, field: 'assignment account', message: 'line 2, assignment account (positions 25–35): must be 11 digits, found "1503001234X"' },
    ]);
  });

  test('an unknown record type is refused', () => {
    expect(errorsOf(withBrokenField('88', 7, 8, '87'))).toEqual([
      { line: 7, field: 'record type', message: 'line 7, record type (positions 7–8): "87" is not an OCR giro record type (10, 20, 30, 31, 32, 88, 89)' },
    ]);
  });

  test('a format code other than NY is refused', () => {
    expect(errorsOf(withBrokenField('10', 1, 2, 'NX'))).toEqual([
      { line: 1, field: 'format code', message: 'line 1, format code (positions 1–2): must be "NY", found "NX"' },
    ]);
  });

  test('an AvtaleGiro record (service code 21) is refused: this is not an OCR giro file', () => {
    expect(errorsOf(withBrokenField('20', 3, 4, '21'))).toEqual([
      { line: 2, field: 'service code', message: 'line 2, service code (positions 3–4): must be "09" (OCR giro) in an assignment start (record 20), found "21"' },
    ]);
  });

  test('a transaction type outside 10–21 is refused', () => {
    const records = correctRecords();
    records[2] = withField(records[2] ?? '', 5, 6, '22');
    records[3] = withField(records[3] ?? '', 5, 6, '22');

    expect(errorsOf(ocrFile(records))).toEqual([
      { line: 3, field: 'transaction type', message: 'line 3, transaction type (positions 5–6): must be a transaction type from 10 to 21 in an amount item 1 (record 30), found "22"' },
      { line: 4, field: 'transaction type', message: 'line 4, transaction type (positions 5–6): must be a transaction type from 10 to 21 in an amount item 2 (record 31), found "22"' },
    ]);
  });

  test('an amount item 3 for a giro payment (type 10) is refused: only types 20 and 21 have one', () => {
    const records = correctRecords();
    records.splice(4, 0, `NY091032${'0000001'}${'Fritekst'.padEnd(40, ' ')}${'0'.repeat(25)}`);

    expect(errorsOf(ocrFile(records))).toContainEqual({
      line: 5,
      field: 'transaction type',
      message: 'line 5, transaction type (positions 5–6): an amount item 3 (record 32) exists only for transaction types 20 and 21, found "10"',
    });
  });

  test('every broken record is listed, in line order, not only the first', () => {
    const records = correctRecords();
    records[0] = withField(records[0] ?? '', 17, 23, '017003A');
    records[4] = withField(records[4] ?? '', 33, 49, '00000000000004,99');
    records[5] = (records[5] ?? '').slice(0, 70);
    records[2] = withField(records[2] ?? '', 16, 21, '000000');

    expect(errorsOf(ocrFile(records)).map((error) => [error.line, error.field])).toEqual([
      [1, 'transmission number'],
      [3, 'Nets date'],
      [5, 'amount'],
      [6, 'record length'],
    ]);
  });

  test('a refused file hands out no transaction at all', () => {
    const result = parseOcrGiroFile(withBrokenField('30', 33, 49, '0000000000000499X', 1));

    expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ line: 5, field: 'amount' })] });
    expect(result).not.toHaveProperty('file');
  });
});
