/**
 * A bounded in-memory cache with a time-to-live, shared by the activities of one worker. Values
 * being fetched are shared too, so concurrent activities asking for the same key cause one call.
 * Failures are not cached.
 *
 * With `refreshAfterMs`, a value older than that (but within its time-to-live) is still served at
 * once and fetched again in the background: a hot key never makes its readers wait after the
 * first read, and a failed refresh leaves the old value until the time-to-live runs out.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>();
  private readonly inFlight = new Map<string, Promise<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
    private readonly refreshAfterMs = ttlMs,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    const age = entry ? this.now() - entry.storedAt : Number.POSITIVE_INFINITY;
    if (entry && age < this.ttlMs) {
      if (age >= this.refreshAfterMs) this.loadShared(key, load).catch(() => undefined);
      return entry.value;
    }
    return this.loadShared(key, load);
  }

  private loadShared(key: string, load: () => Promise<V>): Promise<V> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = load()
        .then((value) => {
          this.store(key, value);
          return value;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  private store(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}
