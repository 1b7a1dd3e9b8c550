/**
 * At most `limit` request starts in any sliding window of `windowMs`, shared by every caller that
 * holds the same instance. PowerOffice counts per subscription key (v2: 10/s) or application key
 * (v1: 50/s) across all client keys, so the worker builds one limiter per key, not per client.
 * The window is a little longer than PowerOffice's second: a request sent at the end of one window
 * may arrive after a later one, and the server counts arrivals.
 */
export class SlidingWindowRateLimiter {
  private readonly starts: number[] = [];
  private queue: Promise<void> = Promise.resolve();

  constructor(
    readonly limit: number,
    readonly windowMs = 1100,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a positive integer, got ${limit}`);
  }

  /** Resolves when the caller may send; callers are served in arrival order. */
  acquire(): Promise<void> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForSlot(): Promise<void> {
    for (;;) {
      const now = this.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      if (this.starts.length < this.limit) {
        this.starts.push(now);
        return;
      }
      await this.sleep(this.starts[0]! + this.windowMs - now);
    }
  }
}
