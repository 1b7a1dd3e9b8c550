import { parseOcrGiroFile, type OcrGiroFile } from '../../domain/ocr-giro';
import { latin1, ocrFile, ocrRecords, withField, indexOfRecord } from '../../scripts/lib/ocr-file-builder';

/**
 * Written by hand from the layout tables in ../shared/reference/ocr-giro.md, field by field, so
 * the parser is checked against the spec and not only against our own test helper. Two payments
 * in one assignment: a giro payment with a MOD10 KID and a BTG payment with a MOD11 KID whose
 * check character is "-" (which the spec allows and banks may still send).
 */
const HAND_WRITTEN = [
  // NY 00 00 10 | data transmitter | transmission no. | data recipient | filler
  'NY000010' + '00008080' + '0000042' + '00123456' + '0'.repeat(49),
  // NY 09 00 20 | agreement ID | assignment no. | assignment account | filler
  'NY090020' + '001234567' + '0000001' + '15030012345' + '0'.repeat(45),
  // NY 09 10 30 | transaction no. | Nets date | centre | day | part. settl. | serial | sign | amount | KID | filler
  'NY091030' + '0000001' + '020326' + '01' + '02' + '0' + '00123' + '0' + '00000000000125000' + '          010030000012349' + '000000',
  // NY 09 10 31 | transaction no. | form no. | archive ref. | filler | bank date | debit account | filler
  'NY091031' + '0000001' + '0000000000' + '123456789' + '0000000' + '280226' + '12345678903' + '0'.repeat(22),
  'NY091330' + '0000002' + '030326' + '01' + '03' + '0' + '00124' + '0' + '00000000000004999' + '                 1000005-' + '000000',
  'NY091331' + '0000002' + '0000000000' + '987654321' + '0000000' + '030326' + '00000000000' + '0'.repeat(22),
  // NY 09 00 88 | transactions | records | total amount | Nets date | earliest | latest | filler
  'NY090088' + '00000002' + '00000006' + '00000000000129999' + '030326' + '020326' + '030326' + '0'.repeat(21),
  // NY 00 00 89 | transactions | records | total amount | Nets date | filler
  'NY000089' + '00000002' + '00000008' + '00000000000129999' + '030326' + '0'.repeat(33),
];

function parsed(bytes: Uint8Array): OcrGiroFile {
  const result = parseOcrGiroFile(bytes);
  if (!result.ok) throw new Error(`expected the file to be read, got:\n${result.errors.map((e) => e.message).join('\n')}`);
  return result.file;
}

describe('reading an OCR giro file', () => {
  test('a file written by hand from the layout tables gives its transmission, assignment and payments', () => {
    const file = parsed(latin1(HAND_WRITTEN.join('\n') + '\n'));

    expect(file.transmission).toEqual({
      start: { line: 1, dataTransmitter: '00008080', transmissionNumber: '0000042', dataRecipient: '00123456' },
      end: { line: 8, transactionCount: 2, recordCount: 8, totalAmountOre: 129999, netsDate: '2026-03-03' },
    });
    expect(file.assignments).toHaveLength(1);
    expect(file.assignments[0]?.start).toEqual({ line: 2, agreementId: '001234567', assignmentNumber: '0000001', assignmentAccount: '15030012345' });
    expect(file.assignments[0]?.end).toEqual({
      line: 7,
      transactionCount: 2,
      recordCount: 6,
      totalAmountOre: 129999,
      netsDate: '2026-03-03',
      earliestNetsDate: '2026-03-02',
      latestNetsDate: '2026-03-03',
    });
    expect(file.transactions).toEqual([
      {
        line: 3,
        agreementId: '001234567',
        assignmentAccount: '15030012345',
        transactionType: 10,
        kind: 'payment',
        transactionNumber: 1,
        netsDate: '2026-03-02',
        centreId: '01',
        dayCode: 2,
        partialSettlementNumber: 0,
        partialSettlementSerialNumber: '00123',
        creditNote: false,
        amountOre: 125000,
        kid: '010030000012349',
        formNumber: '0000000000',
        archiveReference: '123456789',
        bankDate: '2026-02-28',
        debitAccount: '12345678903',
        freeText: null,
      },
      expect.objectContaining({ line: 5, transactionType: 13, transactionNumber: 2, amountOre: 4999, kid: '1000005-', debitAccount: null }),
    ]);
    expect(file.assignments[0]?.transactions).toEqual(file.transactions);
  });

  test('a file of several assignments gives every transaction in file order, each with its own assignment account', () => {
    const records = ocrRecords({
      assignments: [
        { account: '15030011111', transactions: [{ amountOre: 100 }, { amountOre: 200, date: '2026-03-03' }, { amountOre: 300, date: '2026-03-03' }] },
        { account: '15030022222', transactions: [{ amountOre: 400 }, { amountOre: 500 }] },
      ],
    });

    const file = parsed(ocrFile(records));

    expect(file.assignments.map((a) => [a.start.assignmentAccount, a.transactions.length, a.end.totalAmountOre])).toEqual([
      ['15030011111', 3, 600],
      ['15030022222', 2, 900],
    ]);
    expect(file.transactions.map((t) => [t.line, t.assignmentAccount, t.transactionNumber, t.amountOre])).toEqual([
      [3, '15030011111', 1, 100],
      [5, '15030011111', 2, 200],
      [7, '15030011111', 3, 300],
      [11, '15030022222', 1, 400],
      [13, '15030022222', 2, 500],
    ]);
    expect(file.transmission.end).toMatchObject({ transactionCount: 5, recordCount: 16, totalAmountOre: 1500 });
  });

  test('æøå in a terminal payment\'s free text are read from their single ISO-8859-1 bytes', () => {
    const records = ocrRecords({
      assignments: [{ transactions: [{ type: 21, amountOre: 34900, freeText: 'Kjøp av blåbær, Ærøskøbing' }] }],
    });
    const bytes = ocrFile(records);
    // The file really holds the Latin-1 bytes: ø is F8, å is E5, Æ is C6 (UTF-8 would be two bytes each).
    const item3 = bytes.subarray(4 * 81, 5 * 81);
    expect([...item3.subarray(15, 26)]).toEqual([0x4b, 0x6a, 0xf8, 0x70, 0x20, 0x61, 0x76, 0x20, 0x62, 0x6c, 0xe5]);

    const file = parsed(bytes);

    expect(file.transactions[0]).toMatchObject({ transactionType: 21, kind: 'purchase', freeText: 'Kjøp av blåbær, Ærøskøbing' });
  });

  test.each([
    ['CRLF line ends', { lineEnd: '\r\n' as const }],
    ['LF line ends without a final line break', { finalLineEnd: false }],
    ['CRLF line ends without a final line break', { lineEnd: '\r\n' as const, finalLineEnd: false }],
  ])('a file with %s is read like one with LF', (_name, options) => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 125000 }] }] });

    expect(parseOcrGiroFile(ocrFile(records, options))).toEqual(parseOcrGiroFile(ocrFile(records)));
    expect(parsed(ocrFile(records, options)).transactions).toHaveLength(1);
  });

  test('a file of 500 payments (about 80 kB) is read whole, every amount in place', () => {
    const payments = Array.from({ length: 500 }, (_, index) => ({ amountOre: 100 + index }));
    const records = ocrRecords({ assignments: [{ transactions: payments }] });

    const file = parsed(ocrFile(records));

    expect(file.transactions.map((t) => t.amountOre)).toEqual(payments.map((p) => p.amountOre));
    expect(file.transmission.end).toMatchObject({ transactionCount: 500, recordCount: 1004 });
  });

  test('a KID keeps its leading zeros; only the blanks before it are trimmed', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 100, kid: '0000531' }] }] });

    expect(parsed(ocrFile(records)).transactions[0]?.kid).toBe('0000531');
  });

  test('a blank KID field reads as no KID', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 100 }] }] });

    expect(parsed(ocrFile(records)).transactions[0]?.kid).toBeNull();
  });

  test('a 14-digit amount is whole øre, exactly', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 12_345_678_901_234 }, { amountOre: 1 }] }] });

    const file = parsed(ocrFile(records));

    expect(file.transactions.map((t) => t.amountOre)).toEqual([12_345_678_901_234, 1]);
    expect(file.transmission.end.totalAmountOre).toBe(12_345_678_901_235);
  });

  test('a bank date of 000000 is no date, and an all-zero debit account is an unknown payer account', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 100, bankDate: null, debitAccount: '00000000000' }] }] });

    expect(parsed(ocrFile(records)).transactions[0]).toMatchObject({ bankDate: null, debitAccount: null });
  });

  test('an electronic credit note (sign "-") is read as such, its amount as written', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 5000, creditNote: true }] }] });

    expect(parsed(ocrFile(records)).transactions[0]).toMatchObject({ creditNote: true, amountOre: 5000 });
  });

  test('digits in record 31\'s filler (35–41), as in Nets\' own example files, are accepted', () => {
    const records = ocrRecords({ assignments: [{ transactions: [{ amountOre: 100 }] }] });
    const item2 = indexOfRecord(records, '31');
    records[item2] = withField(records[item2] ?? '', 35, 41, '1883206');

    expect(parseOcrGiroFile(ocrFile(records)).ok).toBe(true);
  });

  test.each([
    [10, 'payment'],
    [17, 'payment'],
    [18, 'reversal'],
    [19, 'purchase'],
    [20, 'reversal'],
    [21, 'purchase'],
  ] as const)('transaction type %s is a %s', (type, kind) => {
    const records = ocrRecords({ assignments: [{ transactions: [{ type, amountOre: 100 }] }] });

    expect(parsed(ocrFile(records)).transactions[0]?.kind).toBe(kind);
  });
});
