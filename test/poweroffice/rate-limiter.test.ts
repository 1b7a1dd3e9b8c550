import { SlidingWindowRateLimiter } from '../../adapters/poweroffice/rate-limiter';

/** A manual clock: sleeping advances time, so the limiter's decisions are exact and instant. */
function manualClock() {
  let now = 0;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: (ms: number) => {
      now += ms;
      return Promise.resolve();
    },
  };
}

describe('the shared PowerOffice rate limit', () => {
  test('a request may start only a full window after the answer of the request that last used its slot', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowRateLimiter(10, 1000, clock.now, clock.sleep);
    const starts: number[] = [];
    const answerTimeMs = 40;
    await Promise.all(
      Array.from({ length: 35 }, async () => {
        const release = await limiter.acquire();
        starts.push(clock.now());
        clock.advance(answerTimeMs);
        release();
      }),
    );

    expect(starts).toHaveLength(35);
    for (let i = 0; i + 10 < starts.length; i += 1) {
      expect(starts[i + 10]! - starts[i]!).toBeGreaterThanOrEqual(1000 + answerTimeMs);
    }
  });

  test('while all slots are in flight, nobody else starts', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowRateLimiter(2, 1000, clock.now, clock.sleep);
    const first = await limiter.acquire();
    const second = await limiter.acquire();
    let thirdStarted = false;
    const third = limiter.acquire().then((release) => {
      thirdStarted = true;
      return release;
    });
    clock.advance(5000);
    await Promise.resolve();
    expect(thirdStarted).toBe(false);
    first();
    second();
    (await third)();
    expect(thirdStarted).toBe(true);
  });

  test('a lone caller is not delayed', async () => {
    const clock = manualClock();
    const limiter = new SlidingWindowRateLimiter(10, 1000, clock.now, clock.sleep);
    (await limiter.acquire())();
    expect(clock.now()).toBe(0);
  });

  test('refuses a limit that is not a positive integer', () => {
    expect(() => new SlidingWindowRateLimiter(0)).toThrow('rate limit must be a positive integer, got 0');
  });
});
