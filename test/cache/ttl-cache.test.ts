import { TtlCache } from '../../adapters/cache/ttl-cache';

/** A clock the test moves by hand. */
function manualClock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** A loader that answers with the next value of `values` and counts its calls. */
function loader(values: (string | Error)[]) {
  let calls = 0;
  const load = () => {
    const value = values[Math.min(calls, values.length - 1)]!;
    calls += 1;
    return value instanceof Error ? Promise.reject(value) : Promise.resolve(value);
  };
  return { load, calls: () => calls };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a cache of settings shared by the activities of one worker', () => {
  test('a hundred readers of a key not yet cached cause one load', async () => {
    const clock = manualClock();
    const cache = new TtlCache<string>(600_000, 10, clock.now, 60_000);
    const { load, calls } = loader(['v1']);

    const values = await Promise.all(Array.from({ length: 100 }, () => cache.get('client', load)));

    expect(new Set(values)).toEqual(new Set(['v1']));
    expect(calls()).toBe(1);
  });

  test('a value older than its refresh age is served at once, read again in the background, and the next reader gets the new one', async () => {
    const clock = manualClock();
    const cache = new TtlCache<string>(600_000, 10, clock.now, 60_000);
    const { load, calls } = loader(['v1', 'v2']);
    await cache.get('client', load);
    clock.advance(61_000);

    expect(await cache.get('client', load)).toBe('v1');
    await settle();

    expect(calls()).toBe(2);
    expect(await cache.get('client', load)).toBe('v2');
    expect(calls()).toBe(2);
  });

  test('a failed background read keeps the old value until its time-to-live, then readers wait for a fresh one', async () => {
    const clock = manualClock();
    const cache = new TtlCache<string>(600_000, 10, clock.now, 60_000);
    const { load, calls } = loader(['v1', new Error('query timed out'), new Error('query timed out'), 'v4']);
    await cache.get('client', load);
    clock.advance(61_000);
    expect(await cache.get('client', load)).toBe('v1');
    await settle();
    expect(await cache.get('client', load)).toBe('v1'); // the failure was not cached; this read refreshes again
    await settle();

    expect(calls()).toBe(3);

    clock.advance(540_000);
    expect(await cache.get('client', load)).toBe('v4');
    expect(calls()).toBe(4);
  });

  test('without a refresh age, a value past its time-to-live makes the reader wait for the new one', async () => {
    const clock = manualClock();
    const cache = new TtlCache<string>(60_000, 10, clock.now);
    const { load, calls } = loader(['v1', 'v2']);
    await cache.get('client', load);
    clock.advance(30_000);
    expect(await cache.get('client', load)).toBe('v1');
    expect(calls()).toBe(1);

    clock.advance(31_000);
    expect(await cache.get('client', load)).toBe('v2');
  });
});
