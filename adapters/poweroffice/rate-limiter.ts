/**
 * At most `limit` requests within any window of `windowMs`, as the server counts them, shared by
 * every caller that holds the same instance. PowerOffice counts per subscription key (v2: 10/s)
 * or application key (v1: 50/s) across all client keys, so the worker has one limiter per key.
 *
 * A slot is held while the request is in flight and for `windowMs` after its answer came back.
 * The server saw the request before it answered, so the next request through that slot arrives
 * more than `windowMs` after it, however much the sending was delayed (a busy event loop, GC).
 * Counting from the send instead would let delayed requests bunch up at the server.
 */
export type Release = () => void;

export class SlidingWindowRateLimiter {
  /** Per slot: when it frees up; Infinity while its request is in flight. */
  private readonly freeAt: number[];
  private queue: Promise<void> = Promise.resolve();
  /** Wakes the one waiter (callers queue FIFO) when a request comes back. */
  private wake: (() => void) | undefined;

  constructor(
    readonly limit: number,
    readonly windowMs = 1000,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`rate limit must be a positive integer, got ${limit}`);
    this.freeAt = Array.from({ length: limit }, () => 0);
  }

  /** Resolves with a release to call when the answer (or the failure) has come back; FIFO. */
  acquire(): Promise<Release> {
    const turn = this.queue.then(() => this.waitForSlot());
    this.queue = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  private async waitForSlot(): Promise<Release> {
    for (;;) {
      const now = this.now();
      const slot = this.freeAt.findIndex((t) => t <= now);
      if (slot >= 0) {
        this.freeAt[slot] = Number.POSITIVE_INFINITY;
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.freeAt[slot] = this.now() + this.windowMs;
          this.wake?.();
        };
      }
      const soonest = Math.min(...this.freeAt);
      const released = new Promise<void>((resolve) => (this.wake = resolve));
      // Wait for the soonest slot to free up, or for a request in flight to come back.
      await (Number.isFinite(soonest) ? Promise.race([this.sleep(soonest - now), released]) : released);
      this.wake = undefined;
    }
  }
}
