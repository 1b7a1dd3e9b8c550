import { inLanes } from '../../workflows/in-lanes';

/**
 * The OCR import registers its payments 20 at a time in lanes (workflows/in-lanes.ts): a payment
 * whose registration rides out a slow ledger call holds up only its own lane, never the others.
 */
describe('payments registered in lanes', () => {
  const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

  it('registers every payment once, at most the given number at a time', async () => {
    const payments = Array.from({ length: 57 }, (_, i) => i);
    const registered: number[] = [];
    let running = 0;
    let mostAtOnce = 0;
    await inLanes(payments, 20, async (payment) => {
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await later(payment % 3);
      registered.push(payment);
      running -= 1;
    });
    expect([...registered].sort((a, b) => a - b)).toEqual(payments);
    expect(mostAtOnce).toBe(20);
  });

  it('goes on with the other payments while one waits on a slow call', async () => {
    const slow = { payment: 0, release: (): void => undefined };
    const done: number[] = [];
    const importing = inLanes([0, 1, 2, 3, 4, 5, 6, 7], 3, async (payment) => {
      if (payment === slow.payment) await new Promise<void>((resolve) => (slow.release = resolve));
      done.push(payment);
    });
    // Every other payment is registered while the first still waits (fixed groups of 3 would stop at 2).
    await later(20);
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7]);
    slow.release();
    await importing;
    expect(done).toEqual([1, 2, 3, 4, 5, 6, 7, 0]);
  });

  it('does nothing for a file without payments to register', async () => {
    const work = jest.fn(async () => undefined);
    await inLanes([], 20, work);
    expect(work).not.toHaveBeenCalled();
  });
});
