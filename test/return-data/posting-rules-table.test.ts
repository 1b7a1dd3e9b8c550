import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { postingFor } from '../../domain/return-data/posting-rules';
import type { PlannedAccount } from '../../domain/return-data/voucher-plan';
import { exampleMapping, sampleEvents, withAmount } from './ledger-events';

/** POSTING-RULES.md goes into the README: it must say what the code does. */
const table = readFileSync(join(__dirname, '../../domain/return-data/POSTING-RULES.md'), 'utf8');

interface Row {
  journal: string;
  debit: string;
  credit: string;
  reference: string;
}

const rows = new Map<string, Row>(
  table
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|').map((cell) => cell.trim()))
    .map(([, event = '', journal = '', debit = '', credit = '', , , reference = '']) => [/`([a-z-]+)`/.exec(event)?.[1] ?? event, { journal, debit, credit, reference }]),
);

/** How the table names an account: its example number in bold, or "customer no." for the sub-ledger. */
const named = (account: PlannedAccount) => (account.kind === 'ledger' ? `**${account.accountNo}**` : '**customer no.**');

describe('the posting-rules table', () => {
  test('has one row per ledger event type', () => {
    expect([...rows.keys()].sort()).toEqual(['administrative-fee', 'balance-change', 'financial-fee', 'payment', 'payout']);
  });

  test.each(Object.values(sampleEvents).map((event) => [event.type, withAmount(event, Math.abs(event.amountOre))] as const))(
    'states the journal, debit and credit account that the rule for %s posts',
    (type, event) => {
      const plan = postingFor(event, exampleMapping);
      const row = rows.get(type);
      const debit = plan.lines.find((line) => line.amountOre > 0)!;
      const credit = plan.lines.find((line) => line.amountOre < 0)!;

      expect(row?.journal).toBe(plan.journal === 'bank' ? '`BankJournals`' : '`ManualJournals`');
      expect(row?.debit).toContain(named(debit.account));
      expect(row?.credit).toContain(named(credit.account));
      expect(plan.externalImportReference).toBe(row?.reference.replace(/`/g, '').replace('<eventId>', event.eventId));
    },
  );
});
