/**
 * PowerOffice's throttle: at most `limit` requests in any window of `windowMs` per key (v2: 10/s
 * per subscription key across all client keys; v1: 50/s per application key). Requests over the
 * limit get 429 and are not counted against the limit, so a polite client recovers after a second.
 * Every arrival is also counted in a sliding window to record the most requests ever seen in one
 * window, so a test can prove a client fleet never went over the shared limit.
 */
export interface RateLimitSettings {
  limit: number;
  windowMs: number;
}

export interface KeyStats {
  requests: number;
  throttled: number;
  /** Most arrivals (throttled ones included) in any window of `windowMs`. */
  maxRequestsInAnyWindow: number;
}

interface Bucket extends KeyStats {
  admitted: number[];
  arrivals: number[];
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export class SlidingWindowRateLimit {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    public settings: RateLimitSettings,
    private readonly now: () => number = Date.now,
  ) {}

  hit(key: string): RateDecision {
    const now = this.now();
    const bucket = this.bucket(key);
    const since = now - this.settings.windowMs;
    bucket.arrivals = bucket.arrivals.filter((t) => t > since);
    bucket.admitted = bucket.admitted.filter((t) => t > since);
    bucket.arrivals.push(now);
    bucket.requests += 1;
    bucket.maxRequestsInAnyWindow = Math.max(bucket.maxRequestsInAnyWindow, bucket.arrivals.length);
    if (bucket.admitted.length >= this.settings.limit) {
      bucket.throttled += 1;
      const oldest = bucket.admitted[0] ?? now;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((oldest + this.settings.windowMs - now) / 1000)) };
    }
    bucket.admitted.push(now);
    return { allowed: true };
  }

  stats(): Record<string, KeyStats> {
    return Object.fromEntries([...this.buckets].map(([key, { requests, throttled, maxRequestsInAnyWindow }]) => [key, { requests, throttled, maxRequestsInAnyWindow }]));
  }

  reset(): void {
    this.buckets.clear();
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { requests: 0, throttled: 0, maxRequestsInAnyWindow: 0, admitted: [], arrivals: [] };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
