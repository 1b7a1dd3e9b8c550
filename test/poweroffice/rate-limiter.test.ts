import { SlidingWindowRateLimiter } from '../../adapters/poweroffice/rate-limiter';

/** A manual clock: sleeping advances time, so the limiter's decisions are exact and instant. */
function manualClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('the shared PowerOffice rate limit', () => {
  test('never lets more than the limit start within one window, however many callers wait', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowRateLimiter(10, 1100, clock.now, clock.sleep);
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 35 }, () => limiter.acquire().then(() => starts.push(clock.now()))));

    expect(starts).toHaveLength(35);
    for (let i = 0; i < starts.length; i += 1) {
      const inWindow = starts.filter((t) => t >= starts[i]! && t < starts[i]! + 1100).length;
      expect(inWindow).toBeLessThanOrEqual(10);
    }
    // 35 requests at 10 per 1.1 s need three full waits.
    expect(starts.at(-1)).toBe(3300);
  });

  test('a lone caller is not delayed', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowRateLimiter(10, 1100, clock.now, clock.sleep);
    await limiter.acquire();
    expect(clock.now()).toBe(0);
  });

  test('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowRateLimiter(0)).toThrow('rate limit must be a positive integer, got 0');
  });
});
