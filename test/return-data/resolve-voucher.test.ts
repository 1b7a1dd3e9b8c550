import { postingFor } from '../../domain/return-data/posting-rules';
import { MissingPowerOfficeAccountError, numbersToLookUp, resolveVoucher, type PowerOfficeIds } from '../../domain/return-data/resolve-voucher';
import { exampleMapping, sampleEvents } from './ledger-events';

/** From account and customer numbers to PowerOffice's internal ids, as the adapter posts them. */
const ids: PowerOfficeIds = {
  ledgerAccountIds: { 1510: 4001510, 1920: 4001920, 2990: 4002990, 6970: 4006970, 6975: 4006975 },
  customerSubledgerAccountIds: { 10010: 5010010 },
  noVatId: 201590,
};

describe('a planned voucher becomes the voucher PowerOffice takes', () => {
  test('a payment: the sub-ledger account id of the customer with the invoice number, the id of 1510, VAT code 0, NOK', () => {
    expect(resolveVoucher(postingFor(sampleEvents.payment, exampleMapping), ids)).toEqual({
      voucherDate: '2026-12-10',
      currencyCode: 'NOK',
      description: 'Innbetaling faktura 10023 via Factoring Finans',
      externalImportReference: 'ffas-rd-ev-0001',
      lines: [
        { accountId: 4001510, amountOre: 1_250_000, postingDate: '2026-12-10', vatId: 201590, description: 'Innbetaling faktura 10023, mottatt av Factoring Finans' },
        { accountId: 5010010, amountOre: -1_250_000, postingDate: '2026-12-10', vatId: 201590, description: 'Innbetaling faktura 10023', invoiceNo: 10023 },
      ],
    });
  });

  test.each([
    ['an administrative fee', 'administrativeFee', [[4006970, 4_900], [4002990, -4_900]]],
    ['a financial fee', 'financialFee', [[4006975, 1_234], [4002990, -1_234]]],
    ['a payout', 'payout', [[4001920, 1_100_000], [4002990, -1_100_000]]],
    ['a balance change', 'balanceChange', [[4002990, 1_250_000], [4001510, -1_250_000]]],
  ] as const)('%s: each line on the id of its account, signed amount unchanged, no invoice number', (_name, which, expected) => {
    const voucher = resolveVoucher(postingFor(sampleEvents[which], exampleMapping), ids);

    expect(voucher.lines.map((line) => [line.accountId, line.amountOre])).toEqual(expected);
    expect(voucher.lines.every((line) => line.invoiceNo === undefined && line.vatId === 201590 && line.postingDate === voucher.voucherDate)).toBe(true);
  });

  test('ids that travelled as JSON between activities (string keys) still resolve', () => {
    const travelled = JSON.parse(JSON.stringify(ids)) as PowerOfficeIds;

    expect(resolveVoucher(postingFor(sampleEvents.payment, exampleMapping), travelled).lines.map((line) => line.accountId)).toEqual([4001510, 5010010]);
  });
});

describe('an account the client has not got in PowerOffice GO', () => {
  const without = (accountNo: number): PowerOfficeIds => ({
    ...ids,
    ledgerAccountIds: Object.fromEntries(Object.entries(ids.ledgerAccountIds).filter(([no]) => Number(no) !== accountNo)),
  });

  test('is named with its number and its role in the account mapping', () => {
    const plan = postingFor(sampleEvents.administrativeFee, exampleMapping);

    expect(() => resolveVoucher(plan, without(6970))).toThrow(
      "cannot post voucher ffas-rd-ev-0002: account 6970 (administrative fees) is not in the client's chart of accounts in PowerOffice GO; create it or correct the account mapping",
    );
  });

  test('every missing account is named at once, so one correction of the mapping is enough', () => {
    const plan = postingFor(sampleEvents.payout, exampleMapping);
    const neither: PowerOfficeIds = { ...ids, ledgerAccountIds: { 1510: 4001510 } };

    let error: unknown;
    try {
      resolveVoucher(plan, neither);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MissingPowerOfficeAccountError);
    expect((error as MissingPowerOfficeAccountError).missing).toEqual([
      "account 1920 (payouts to bank) is not in the client's chart of accounts in PowerOffice GO; create it or correct the account mapping",
      "account 2990 (balance/debt with Factoring Finans) is not in the client's chart of accounts in PowerOffice GO; create it or correct the account mapping",
    ]);
  });

  test('a customer missing from GO is named by its customer number', () => {
    const plan = postingFor(sampleEvents.payment, exampleMapping);

    expect(() => resolveVoucher(plan, { ...ids, customerSubledgerAccountIds: {} })).toThrow(
      "cannot post voucher ffas-rd-ev-0001: customer 10010 (the end customer's sub-ledger account) is not a customer in the client's PowerOffice GO",
    );
  });

  test('a VAT id that is not an id is refused before anything is posted', () => {
    const plan = postingFor(sampleEvents.payout, exampleMapping);

    expect(() => resolveVoucher(plan, { ...ids, noVatId: Number.NaN })).toThrow('the VAT id for code "0" must be PowerOffice\'s integer id, got NaN');
  });
});

describe('a plan altered after the rules made it', () => {
  test('is checked again: an unbalanced voucher never reaches PowerOffice', () => {
    const plan = postingFor(sampleEvents.payout, exampleMapping);
    const altered = { ...plan, lines: [plan.lines[0]!, { ...plan.lines[1]!, amountOre: -1 }] };

    expect(() => resolveVoucher(altered, ids)).toThrow('voucher plan for payout event ev-0004: lines sum to 1099999 øre, not 0 (debits must equal credits)');
  });
});

describe('what to look up for a batch of events', () => {
  test('each account and customer number once, in order', () => {
    const plans = [sampleEvents.payment, sampleEvents.payout, sampleEvents.balanceChange, { ...sampleEvents.payment, customerNo: 10002 }].map((event) =>
      postingFor(event, exampleMapping),
    );

    expect(numbersToLookUp(plans)).toEqual({ accountNos: [1510, 1920, 2990], customerNos: [10002, 10010] });
  });
});
