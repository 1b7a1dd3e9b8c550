import type { AccountMapping } from '../../domain/client-settings';
import { postingFor } from '../../domain/return-data/posting-rules';
import { exampleMapping, sampleEvents, withAmount } from './ledger-events';

/**
 * What the client's accountant finds in PowerOffice GO for each ledger event of Factoring Finans:
 * the journal, the accounts, debit (positive) and credit (negative) in øre, and the texts.
 */
const gl = (accountNo: number, role: keyof AccountMapping) => ({ kind: 'ledger', accountNo, role });

describe('an end customer pays Factoring Finans', () => {
  test('a bank voucher credits the customer with the invoice number and debits the client receivables 1510', () => {
    expect(postingFor(sampleEvents.payment, exampleMapping)).toEqual({
      eventId: 'ev-0001',
      eventType: 'payment',
      journal: 'bank',
      voucherDate: '2026-12-10',
      description: 'Innbetaling faktura 10023 via Factoring Finans',
      externalImportReference: 'ffas-rd-ev-0001',
      lines: [
        { account: gl(1510, 'receivables'), amountOre: 1_250_000, description: 'Innbetaling faktura 10023, mottatt av Factoring Finans' },
        { account: { kind: 'customer', customerNo: 10010 }, amountOre: -1_250_000, description: 'Innbetaling faktura 10023', invoiceNo: 10023 },
      ],
    });
  });

  test('only the customer line carries the invoice number: a GL line cannot close an open item', () => {
    const lines = postingFor(sampleEvents.payment, exampleMapping).lines;

    expect(lines.filter((line) => line.invoiceNo !== undefined).map((line) => line.account)).toEqual([{ kind: 'customer', customerNo: 10010 }]);
  });

  test('a reversed payment debits the customer again (the invoice reopens) and credits 1510', () => {
    const plan = postingFor(withAmount(sampleEvents.payment, -300_000), exampleMapping);

    expect(plan.description).toBe('Tilbakeført innbetaling faktura 10023 via Factoring Finans');
    expect(plan.lines.map((line) => [line.account, line.amountOre, line.invoiceNo])).toEqual([
      [gl(1510, 'receivables'), -300_000, undefined],
      [{ kind: 'customer', customerNo: 10010 }, 300_000, 10023],
    ]);
  });
});

describe('Factoring Finans charges a fee', () => {
  test('an administrative fee is a manual voucher: debit 6970, credit the balance with Factoring Finans 2990', () => {
    const text = 'Administrativt gebyr: Fakturagebyr, faktura 10023';

    expect(postingFor(sampleEvents.administrativeFee, exampleMapping)).toEqual({
      eventId: 'ev-0002',
      eventType: 'administrative-fee',
      journal: 'manual',
      voucherDate: '2026-12-10',
      description: 'Administrativt gebyr fra Factoring Finans',
      externalImportReference: 'ffas-rd-ev-0002',
      lines: [
        { account: gl(6970, 'administrativeFees'), amountOre: 4_900, description: text },
        { account: gl(2990, 'factoringBalance'), amountOre: -4_900, description: text },
      ],
    });
  });

  test('a financial fee is a manual voucher: debit 6975, credit 2990', () => {
    const text = 'Finansielt gebyr: Rente desember';

    expect(postingFor(sampleEvents.financialFee, exampleMapping)).toEqual({
      eventId: 'ev-0003',
      eventType: 'financial-fee',
      journal: 'manual',
      voucherDate: '2026-12-10',
      description: 'Finansielt gebyr fra Factoring Finans',
      externalImportReference: 'ffas-rd-ev-0003',
      lines: [
        { account: gl(6975, 'financialFees'), amountOre: 1_234, description: text },
        { account: gl(2990, 'factoringBalance'), amountOre: -1_234, description: text },
      ],
    });
  });

  test.each([
    ['administrative', 'administrativeFee', 6970, 'Tilbakeført administrativt gebyr: Fakturagebyr, faktura 10023'],
    ['financial', 'financialFee', 6975, 'Tilbakeført finansielt gebyr: Rente desember'],
  ] as const)('a refunded %s fee credits the fee account and debits 2990', (_name, which, feeAccount, text) => {
    const plan = postingFor(withAmount(sampleEvents[which], -4_900), exampleMapping);

    expect(plan.lines.map((line) => [line.account.kind === 'ledger' && line.account.accountNo, line.amountOre, line.description])).toEqual([
      [feeAccount, -4_900, text],
      [2990, 4_900, text],
    ]);
  });

  test('the ledger text of a fee reaches GO on one line, and a blank one leaves just the kind of fee', () => {
    const spaced = { ...sampleEvents.financialFee, description: '  Rente\n desember\t2026 ' };
    const blank = { ...sampleEvents.financialFee, description: '   ' };

    expect(postingFor(spaced, exampleMapping).lines[0]!.description).toBe('Finansielt gebyr: Rente desember 2026');
    expect(postingFor(blank, exampleMapping).lines[0]!.description).toBe('Finansielt gebyr');
  });
});

describe('Factoring Finans pays out to the client', () => {
  test('a bank voucher debits the bank account 1920 and credits 2990', () => {
    const text = 'Utbetaling fra Factoring Finans';

    expect(postingFor(sampleEvents.payout, exampleMapping)).toEqual({
      eventId: 'ev-0004',
      eventType: 'payout',
      journal: 'bank',
      voucherDate: '2026-12-11',
      description: text,
      externalImportReference: 'ffas-rd-ev-0004',
      lines: [
        { account: gl(1920, 'bankPayouts'), amountOre: 1_100_000, description: text },
        { account: gl(2990, 'factoringBalance'), amountOre: -1_100_000, description: text },
      ],
    });
  });

  test('a payout paid back credits the bank and debits 2990', () => {
    const plan = postingFor(withAmount(sampleEvents.payout, -50_000), exampleMapping);

    expect(plan.lines.map((line) => [line.account.kind === 'ledger' && line.account.accountNo, line.amountOre])).toEqual([
      [1920, -50_000],
      [2990, 50_000],
    ]);
    expect(plan.description).toBe('Tilbakebetalt utbetaling fra Factoring Finans');
  });
});

describe('the balance with Factoring Finans changes', () => {
  test('a settled invoice lowers the debt: debit 2990, credit the receivables 1510 that the payment was debited to', () => {
    const text = 'Endring i balanse hos Factoring Finans: Faktura 10023 innfridd';

    expect(postingFor(sampleEvents.balanceChange, exampleMapping)).toEqual({
      eventId: 'ev-0005',
      eventType: 'balance-change',
      journal: 'manual',
      voucherDate: '2026-12-10',
      description: text,
      externalImportReference: 'ffas-rd-ev-0005',
      lines: [
        { account: gl(2990, 'factoringBalance'), amountOre: 1_250_000, description: text },
        { account: gl(1510, 'receivables'), amountOre: -1_250_000, description: text },
      ],
    });
  });

  test('a raised debt credits 2990 and debits 1510', () => {
    const plan = postingFor(withAmount(sampleEvents.balanceChange, 75_000), exampleMapping);

    expect(plan.lines.map((line) => [line.account.kind === 'ledger' && line.account.accountNo, line.amountOre])).toEqual([
      [2990, -75_000],
      [1510, 75_000],
    ]);
  });
});

describe('the client’s own accounts', () => {
  const ownMapping: AccountMapping = { receivables: 1519, administrativeFees: 7770, financialFees: 8150, bankPayouts: 1921, factoringBalance: 2910 };

  test.each([
    ['a payment', 'payment', [1519, 'customer 10010']],
    ['an administrative fee', 'administrativeFee', [7770, 2910]],
    ['a financial fee', 'financialFee', [8150, 2910]],
    ['a payout', 'payout', [1921, 2910]],
    ['a balance change', 'balanceChange', [2910, 1519]],
  ] as const)('%s is posted to the accounts the client named, not the examples', (_name, which, accounts) => {
    const plan = postingFor(sampleEvents[which], ownMapping);

    expect(plan.lines.map((line) => (line.account.kind === 'ledger' ? line.account.accountNo : `customer ${line.account.customerNo}`))).toEqual(accounts);
  });

  test('a mapping that names one account for both sides of a rule is refused: the voucher would post nothing', () => {
    const clash: AccountMapping = { ...exampleMapping, bankPayouts: 2990 };

    expect(() => postingFor(sampleEvents.payout, clash)).toThrow('voucher plan for payout event ev-0004: every line hits account 2990: the account mapping names one account for two roles');
  });
});

describe('the client’s books after the sample feed (payment, two fees, payout, settlement)', () => {
  test('the invoice is closed, 1510 is back at 0, and 2990 shows Factoring Finans owes the client 1 438,66', () => {
    const balances = new Map<string, number>();
    for (const event of Object.values(sampleEvents)) {
      for (const line of postingFor(event, exampleMapping).lines) {
        const key = line.account.kind === 'ledger' ? String(line.account.accountNo) : `customer ${line.account.customerNo}`;
        balances.set(key, (balances.get(key) ?? 0) + line.amountOre);
      }
    }

    // Debit positive. The customer's -12 500 meets the +12 500 the invoice itself posted in GO.
    expect(Object.fromEntries(balances)).toEqual({
      'customer 10010': -1_250_000,
      1510: 0,
      1920: 1_100_000,
      2990: 143_866,
      6970: 4_900,
      6975: 1_234,
    });
  });
});

describe('the texts GO shows', () => {
  test('name the invoice, never the customer number or the KID: the sub-ledger line itself says whose it is', () => {
    const plans = Object.values(sampleEvents).map((event) => postingFor(event, exampleMapping));
    const texts = plans.flatMap((plan) => [plan.description, ...plan.lines.map((line) => line.description)]);

    expect(texts).toContain('Innbetaling faktura 10023');
    expect(texts.filter((text) => text.includes('10010') || text.includes('0100100100234'))).toEqual([]);
  });
});

describe('an event type without a rule', () => {
  test('is refused, never skipped: money must not go unposted silently', () => {
    const unknown = { ...sampleEvents.payout, type: 'write-off' } as unknown as Parameters<typeof postingFor>[0];

    expect(() => postingFor(unknown, exampleMapping)).toThrow('no posting rule for ledger event type write-off');
  });
});
