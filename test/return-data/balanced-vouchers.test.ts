import type { LedgerEvent } from '../../adapters/ledger/ledger-api';
import { postingFor } from '../../domain/return-data/posting-rules';
import { assertBalanced, VoucherPlanError, type VoucherPlan } from '../../domain/return-data/voucher-plan';
import { exampleMapping, sampleEvents, seededRandom, withAmount } from './ledger-events';

/** Debits equal credits in every voucher, whatever the amount and its sign. */

/** Which account is debited for a positive amount, and which credited (POSTING-RULES.md). */
const sidesForPositive: Record<LedgerEvent['type'], [debit: string, credit: string]> = {
  payment: ['account 1510', 'customer 10010'],
  'administrative-fee': ['account 6970', 'account 2990'],
  'financial-fee': ['account 6975', 'account 2990'],
  payout: ['account 1920', 'account 2990'],
  'balance-change': ['account 1510', 'account 2990'],
};

const keyOf = (line: VoucherPlan['lines'][number]) => (line.account.kind === 'ledger' ? `account ${line.account.accountNo}` : `customer ${line.account.customerNo}`);

/** Log-uniform over 1 øre … the largest safe integer, either sign: small fees and absurd sums alike. */
function randomAmount(random: () => number): number {
  const magnitude = Math.max(1, Math.floor(Math.exp(random() * Math.log(Number.MAX_SAFE_INTEGER))));
  return random() < 0.5 ? -magnitude : magnitude;
}

describe('every voucher balances', () => {
  test('for 5 000 random amounts of every event type, both signs: two lines, whole non-zero øre, debit = credit, the right sides', () => {
    const random = seededRandom(20261210);
    const events = Object.values(sampleEvents);
    const wrong: string[] = [];
    const amounts: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      const event = withAmount(events[i % events.length]!, randomAmount(random));
      amounts.push(event.amountOre);
      const plan = postingFor(event, exampleMapping);
      const [debitKey, creditKey] = sidesForPositive[event.type];
      const expectedDebit = event.amountOre > 0 ? debitKey : creditKey;
      const expectedCredit = event.amountOre > 0 ? creditKey : debitKey;
      const debits = plan.lines.filter((line) => line.amountOre > 0);
      const credits = plan.lines.filter((line) => line.amountOre < 0);
      const ok =
        plan.lines.length === 2 &&
        plan.lines.every((line) => Number.isSafeInteger(line.amountOre) && line.amountOre !== 0) &&
        plan.lines.reduce((sum, line) => sum + line.amountOre, 0) === 0 &&
        debits.length === 1 &&
        credits.length === 1 &&
        keyOf(debits[0]!) === expectedDebit &&
        keyOf(credits[0]!) === expectedCredit &&
        debits[0]!.amountOre === Math.abs(event.amountOre);
      if (!ok) wrong.push(`${event.type} ${event.amountOre}: ${JSON.stringify(plan.lines)}`);
    }

    expect(wrong).toEqual([]);
    // The loop reached what it claims to: refunds, single øre and sums beyond 2^50 øre.
    expect(amounts.filter((a) => a < 0).length).toBeGreaterThan(2_000);
    expect(amounts.some((a) => Math.abs(a) < 100)).toBe(true);
    expect(amounts.some((a) => Math.abs(a) > 2 ** 50)).toBe(true);
  });
});

describe('a plan that breaks double entry is a bug and is refused', () => {
  const payment = postingFor(sampleEvents.payment, exampleMapping);
  const tampered = (lines: VoucherPlan['lines'], journal: VoucherPlan['journal'] = payment.journal): VoucherPlan => ({ ...payment, journal, lines });
  const [receivables, customer] = payment.lines as [VoucherPlan['lines'][number], VoucherPlan['lines'][number]];

  test.each([
    ['lines that do not sum to zero', tampered([receivables, { ...customer, amountOre: -1_249_999 }]), 'lines sum to 1 øre, not 0 (debits must equal credits)'],
    ['a zero line', tampered([receivables, customer, { ...customer, amountOre: 0 }]), 'line 3 (customer 10010) is 0, which PowerOffice refuses'],
    ['a fraction of an øre', tampered([{ ...receivables, amountOre: 0.5 }, { ...customer, amountOre: -0.5 }]), 'line 1 amount 0.5 is not a whole number of øre'],
    ['a single line', tampered([receivables]), 'a voucher needs at least two lines, it has 1'],
    ['an invoice number on a manual journal', tampered(payment.lines, 'manual'), 'line 2 names invoice 10023, which only bank journal lines can carry'],
  ])('%s', (_what, plan, problem) => {
    expect(() => assertBalanced(plan)).toThrow(new VoucherPlanError(plan, problem));
    expect(() => assertBalanced(plan)).toThrow(`voucher plan for payment event ev-0001: ${problem}`);
  });

  test('a balanced plan passes unchanged', () => {
    expect(assertBalanced(payment)).toBe(payment);
  });
});
