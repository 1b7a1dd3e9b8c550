import { generateKid, type KidScheme } from '../../domain/kid';
import { matchPayments, parseOcrGiroFile, transactionIdentity, type OcrGiroTransaction, type PaymentMatch } from '../../domain/ocr-giro';
import { ocrFile, ocrRecords, type TransactionSpec } from '../../scripts/lib/ocr-file-builder';

interface InvoiceRef {
  clientId: string;
  invoiceNo: number;
}

const CLIENT_1003: KidScheme = { method: 'MOD10', length: 15, clientNumber: 1003 };
const KID_1234 = generateKid(CLIENT_1003, 1234); // 010030000012349
const KID_1235 = generateKid(CLIENT_1003, 1235);
/** KID_1234 with a check digit that neither MOD10 nor MOD11 accepts: a mistyped KID. */
const KID_1234_MISTYPED = '010030000012347';
/** Our invoices, by KID, as the caller would load them before matching. */
const INVOICES: Record<string, InvoiceRef[]> = {
  [KID_1234]: [{ clientId: '1003', invoiceNo: 1234 }],
  [KID_1235]: [{ clientId: '1003', invoiceNo: 1235 }, { clientId: '1003', invoiceNo: 1299 }],
};
const lookup = (kid: string): InvoiceRef[] => INVOICES[kid] ?? [];

function transactionsOf(...transactions: TransactionSpec[]): OcrGiroTransaction[] {
  const result = parseOcrGiroFile(ocrFile(ocrRecords({ assignments: [{ transactions }] })));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.file.transactions;
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

describe('matching the payments of a file to invoices by KID', () => {
  test('a payment whose KID belongs to one invoice is matched to that invoice', () => {
    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: KID_1234 }), lookup);

    expect(only(matching.matched)).toMatchObject({ status: 'matched', invoice: { clientId: '1003', invoiceNo: 1234 } });
    expect(matching.keptAside).toEqual([]);
  });

  test('a payment whose KID belongs to no invoice is kept aside as unmatched, saying so', () => {
    const unknownKid = generateKid(CLIENT_1003, 9999);

    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: unknownKid }), lookup);

    expect(only(matching.keptAside)).toMatchObject({
      status: 'unmatched',
      reason: 'no-invoice',
      explanation: `line 3: transaction 0000001 (2026-03-02, NOK 1\u00a0250,00) has KID ${unknownKid}, which belongs to no invoice`,
    });
    expect(matching.matched).toEqual([]);
  });

  test('a payment whose KID fails its check digit is kept aside as unmatched, without looking it up', () => {
    const lookupSpy = jest.fn(lookup);

    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: KID_1234_MISTYPED }), lookupSpy);

    expect(only(matching.keptAside)).toMatchObject({
      status: 'unmatched',
      reason: 'invalid-kid',
      explanation:
        'line 3: transaction 0000001 (2026-03-02, NOK 1\u00a0250,00) has KID 010030000012347, which is not a valid KID (MOD10 check digit should be 9, not 7; MOD11 check digit should be 8, not 7); the payer may have mistyped it',
    });
    expect(lookupSpy).not.toHaveBeenCalled();
  });

  test('a KID valid only under MOD11 is refused when our clients use MOD10 only', () => {
    const mod11Only = '010030000012348';

    const matching = matchPayments(transactionsOf({ amountOre: 100, kid: mod11Only }), lookup, { kidMethods: ['MOD10'] });

    expect(only(matching.keptAside)).toMatchObject({ reason: 'invalid-kid', explanation: expect.stringContaining('(MOD10 check digit should be 9, not 8)') });
  });

  test('a payment whose KID belongs to more than one invoice is kept aside as ambiguous, with the candidates', () => {
    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: KID_1235 }), lookup);

    expect(only(matching.keptAside)).toMatchObject({
      status: 'ambiguous',
      candidates: [
        { clientId: '1003', invoiceNo: 1235 },
        { clientId: '1003', invoiceNo: 1299 },
      ],
      explanation: `line 3: transaction 0000001 (2026-03-02, NOK 1\u00a0250,00) has KID ${KID_1235}, which belongs to 2 invoices; a person must choose`,
    });
  });

  test('the same transaction twice in a file is matched once; the repeat is kept aside as a duplicate', () => {
    const payment: TransactionSpec = { number: 7, amountOre: 125000, kid: KID_1234, archiveReference: '555000111' };

    const matching = matchPayments(transactionsOf(payment, payment), lookup);

    expect(matching.outcomes.map((outcome) => outcome.status)).toEqual(['matched', 'duplicate']);
    expect(only(matching.keptAside)).toMatchObject({
      reason: 'repeated-in-file',
      explanation:
        'line 5: transaction 0000007 (2026-03-02, NOK 1\u00a0250,00) repeats the transaction on line 3 (same date, account, archive reference, number, amount and KID); it is imported once',
    });
  });

  test('two payments alike but for the archive reference are two payments', () => {
    const payment: TransactionSpec = { number: 7, amountOre: 125000, kid: KID_1234 };

    const matching = matchPayments(transactionsOf({ ...payment, archiveReference: '555000111' }, { ...payment, archiveReference: '555000112' }), lookup);

    expect(matching.outcomes.map((outcome) => outcome.status)).toEqual(['matched', 'matched']);
  });

  test('a transaction imported from an earlier file is kept aside as a duplicate', () => {
    const [earlier] = transactionsOf({ amountOre: 125000, kid: KID_1234 });
    const imported = new Set([transactionIdentity(earlier as OcrGiroTransaction)]);

    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: KID_1234 }, { amountOre: 500, kid: KID_1234 }), lookup, {
      alreadyImported: imported,
    });

    expect(matching.outcomes.map((outcome) => outcome.status)).toEqual(['duplicate', 'matched']);
    expect(matching.keptAside[0]).toMatchObject({
      reason: 'already-imported',
      explanation: `line 3: transaction 0000001 (2026-03-02, NOK 1\u00a0250,00) was already imported from an earlier file (ocr:2026-03-02:15030012340:100000001:0000001:125000:${KID_1234})`,
    });
  });

  test('a giro payment without a KID is kept aside as unmatched', () => {
    const matching = matchPayments(transactionsOf({ amountOre: 125000 }), lookup);

    expect(only(matching.keptAside)).toMatchObject({ status: 'unmatched', reason: 'no-kid', explanation: expect.stringContaining('has no KID') });
  });

  test.each([
    [18, 'is a reversal from a terminal or internet payment (transaction type 18), not a payment of an invoice'],
    [19, 'is a terminal or internet purchase, an information transaction (transaction type 19), not a payment of an invoice'],
    [20, 'is a reversal from a terminal or internet payment (transaction type 20), not a payment of an invoice'],
    [21, 'is a terminal or internet purchase, an information transaction (transaction type 21), not a payment of an invoice'],
  ] as const)('a terminal transaction of type %s carrying an invoice\'s KID is not posted as a payment', (type, why) => {
    const matching = matchPayments(transactionsOf({ type, amountOre: 125000, kid: KID_1234 }), lookup);

    expect(only(matching.keptAside)).toMatchObject({ status: 'unmatched', reason: 'not-a-payment', explanation: expect.stringContaining(why) });
  });

  test('an electronic credit note carrying an invoice\'s KID is not posted as a payment', () => {
    const matching = matchPayments(transactionsOf({ amountOre: 125000, kid: KID_1234, creditNote: true }), lookup);

    expect(only(matching.keptAside)).toMatchObject({ reason: 'not-a-payment', explanation: expect.stringContaining('is an electronic credit note (sign "-")') });
  });

  test('every transaction of a file is accounted for: matched and kept aside together are all of them, in file order', () => {
    const transactions = transactionsOf(
      { amountOre: 100, kid: KID_1234 },
      { amountOre: 200, kid: KID_1234_MISTYPED },
      { amountOre: 300, kid: KID_1235 },
      { amountOre: 400 },
      { type: 18, amountOre: 500, kid: KID_1234 },
      { number: 1, amountOre: 100, kid: KID_1234, archiveReference: '100000001' },
      { amountOre: 700, kid: generateKid(CLIENT_1003, 4242) },
    );

    const matching = matchPayments(transactions, lookup);

    const describe = (outcome: PaymentMatch<InvoiceRef>) => `${outcome.status}${'reason' in outcome ? `:${outcome.reason}` : ''}`;
    expect(matching.outcomes.map(describe)).toEqual([
      'matched',
      'unmatched:invalid-kid',
      'ambiguous',
      'unmatched:no-kid',
      'unmatched:not-a-payment',
      'duplicate:repeated-in-file',
      'unmatched:no-invoice',
    ]);
    expect(matching.outcomes.map((outcome) => outcome.transaction)).toEqual(transactions);
    expect([...matching.matched, ...matching.keptAside].map((outcome) => outcome.transaction.line).sort((a, b) => a - b)).toEqual(
      transactions.map((transaction) => transaction.line),
    );
  });
});
