import { parseOcrGiroFile, transactionIdentity, type OcrGiroTransaction } from '../../domain/ocr-giro';
import { ocrFile, ocrRecords, type OcrFileSpec } from '../../scripts/lib/ocr-file-builder';

function transactionsOf(spec: OcrFileSpec): OcrGiroTransaction[] {
  const result = parseOcrGiroFile(ocrFile(ocrRecords(spec)));
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result.file.transactions;
}

describe('the identity of a transaction (for idempotency keys)', () => {
  test('is made of date, assignment account, archive reference, transaction number, amount and KID', () => {
    const [transaction] = transactionsOf({
      assignments: [{ account: '15036212345', transactions: [{ number: 3, amountOre: 125000, kid: '010030000012349', archiveReference: '000123456' }] }],
    });

    expect(transactionIdentity(transaction as OcrGiroTransaction)).toBe('ocr:2026-03-02:15036212345:000123456:0000003:125000:010030000012349');
  });

  test('a credit note and a blank KID show in it', () => {
    const [transaction] = transactionsOf({ assignments: [{ account: '15036212345', transactions: [{ amountOre: 500, creditNote: true, archiveReference: '000000000' }] }] });

    expect(transactionIdentity(transaction as OcrGiroTransaction)).toBe('ocr:2026-03-02:15036212345:000000000:0000001:-500:');
  });

  test('is the same when Nets delivers the same transaction again in another file', () => {
    const payment = { amountOre: 125000, kid: '010030000012349', archiveReference: '000123456' };
    const account = '15036212345';
    const [first] = transactionsOf({ assignments: [{ account, transactions: [payment] }], producedOn: '2026-03-03' });
    const [, again] = transactionsOf({
      assignments: [{ account: '15030099999', transactions: [{ amountOre: 1 }] }, { account, transactions: [payment] }],
      producedOn: '2026-03-04',
    });

    expect(transactionIdentity(again as OcrGiroTransaction)).toBe(transactionIdentity(first as OcrGiroTransaction));
  });

  test('keeps apart the first transactions of two assignments (two agreements), though number, date, amount and reference agree', () => {
    const payment = { amountOre: 125000, kid: '010030000012349', archiveReference: '000000000' };

    const transactions = transactionsOf({
      assignments: [
        { account: '15030011111', transactions: [payment] },
        { account: '15030022222', transactions: [payment] },
      ],
    });

    const identities = transactions.map(transactionIdentity);
    expect(identities).toHaveLength(2);
    expect(identities[0]).not.toBe(identities[1]);
  });
});
