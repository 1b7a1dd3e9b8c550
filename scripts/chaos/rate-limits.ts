import { z } from 'zod';

/**
 * Did the worker fleet keep to PowerOffice's limits together? Every worker is given the whole limits
 * and the Temporal server shares them out (worker/create-worker.ts); the PowerOffice emulator counts every arrival per key
 * in a sliding window (emulators/poweroffice/http/rate-limit.ts) and answers its figures at
 * `GET /_emulator/rate-limits`. The emulator keeps these windows and counts across its restarts
 * (emulators/poweroffice/server.ts, PowerOfficeRecords), so one read after the run covers all of it.
 *
 * `throttled` is real throttling only: the rate limit runs before fault injection on every request
 * (emulators/poweroffice/http/api-app.ts), so an injected 429 is an admitted request, never counted
 * here; the arrivals do count every request that reached PowerOffice, faulted or not.
 */
export interface ApiRateLimit {
  limit: number;
  windowMs: number;
  /** Most requests that arrived within one window, over every key (throttled ones included). */
  busiestWindow: number;
  /** Requests answered 429 by the rate limit itself. */
  throttled: number;
  requests: number;
}

export interface RateLimitReport {
  v1: ApiRateLimit;
  v2: ApiRateLimit;
  /** The busiest window of each API within its limit. */
  held: boolean;
}

const keyStatsSchema = z.object({ requests: z.number().int(), throttled: z.number().int(), maxRequestsInAnyWindow: z.number().int() });
const apiSchema = z.object({ limit: z.number().int(), windowMs: z.number().int(), keys: z.record(z.string(), keyStatsSchema) });
const answerSchema = z.object({ v1: apiSchema, v2: apiSchema });

/** `powerOfficeUrl`: the emulator's v1 base with a trailing slash (either listener serves the admin API). */
export async function readRateLimits(powerOfficeUrl: string): Promise<RateLimitReport> {
  const url = `${powerOfficeUrl}_emulator/rate-limits`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  const answer = answerSchema.parse(await response.json());
  const v1 = summary(answer.v1);
  const v2 = summary(answer.v2);
  return { v1, v2, held: v1.busiestWindow <= v1.limit && v2.busiestWindow <= v2.limit };
}

function summary({ limit, windowMs, keys }: z.infer<typeof apiSchema>): ApiRateLimit {
  const stats = Object.values(keys);
  return {
    limit,
    windowMs,
    busiestWindow: Math.max(0, ...stats.map((k) => k.maxRequestsInAnyWindow)),
    throttled: stats.reduce((sum, k) => sum + k.throttled, 0),
    requests: stats.reduce((sum, k) => sum + k.requests, 0),
  };
}

/** "48 / 50, 9 / 10": busiest window against the limit, v1 then v2 (the window named when not a second). */
export function busiestWindows(report: RateLimitReport): string {
  const one = (api: ApiRateLimit) => `${api.busiestWindow} / ${api.limit}${api.windowMs === 1000 ? '' : ` per ${api.windowMs} ms`}`;
  return `${one(report.v1)}, ${one(report.v2)}`;
}
