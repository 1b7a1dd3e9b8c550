import {
  administrativeFeeEventSchema,
  balanceChangeEventSchema,
  financialFeeEventSchema,
  paymentEventSchema,
  payoutEventSchema,
  type LedgerEvent,
} from '../../adapters/ledger/ledger-api';
import type { AccountMapping } from '../../domain/client-settings';

/** The brief's example accounts (MISSION.md §5). */
export const exampleMapping: AccountMapping = {
  receivables: 1510,
  administrativeFees: 6970,
  financialFees: 6975,
  bankPayouts: 1920,
  factoringBalance: 2990,
};

const recordedAt = '2026-12-10T09:00:00+01:00';

/**
 * One event of each type, as the ledger's feed delivers them (the sample feed of
 * test/emulators/ledger.test.ts). Parsed by the ledger contract, so a fixture cannot drift from it.
 */
export const sampleEvents = {
  payment: paymentEventSchema.parse({ type: 'payment', eventId: 'ev-0001', recordedAt, kid: '0100100100234', invoiceNo: 10023, customerNo: 10010, amountOre: 1_250_000, paidOn: '2026-12-10' }),
  administrativeFee: administrativeFeeEventSchema.parse({ type: 'administrative-fee', eventId: 'ev-0002', recordedAt, amountOre: 4_900, chargedOn: '2026-12-10', description: 'Fakturagebyr', invoiceNo: 10023 }),
  financialFee: financialFeeEventSchema.parse({ type: 'financial-fee', eventId: 'ev-0003', recordedAt, amountOre: 1_234, chargedOn: '2026-12-10', description: 'Rente desember' }),
  payout: payoutEventSchema.parse({ type: 'payout', eventId: 'ev-0004', recordedAt, amountOre: 1_100_000, paidOn: '2026-12-11' }),
  balanceChange: balanceChangeEventSchema.parse({ type: 'balance-change', eventId: 'ev-0005', recordedAt, amountOre: -1_250_000, changedOn: '2026-12-10', description: 'Faktura 10023 innfridd' }),
} satisfies Record<string, LedgerEvent>;

/** The same event with another amount; negative payments and payouts are outside the feed's contract but not the rules'. */
export function withAmount<E extends LedgerEvent>(event: E, amountOre: number): E {
  return { ...event, amountOre };
}

/** A small deterministic PRNG (mulberry32): the property loops run the same cases every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
