/**
 * The dispatch rate to ask the Temporal server for (`maxTaskQueueActivitiesPerSecond`), so that
 * PowerOffice never sees more than `limit` requests within any one second.
 *
 * The server's limit is a token bucket (temporalio/temporal, matching's rate limit manager): `rate`
 * tasks a second with a burst of ceil(rate) once the queue has been idle for a moment. Within one
 * second it can therefore dispatch the burst and then refill a whole rate more: up to 2 × rate.
 * PowerOffice counts a sliding second. Measured (test/poweroffice/shared-limit-across-workers.test.ts,
 * limit 5 asked for 3/s): a page of a batch after the page fetch's pause reached 6 requests in one
 * second, and one was throttled. So the rate is a little under half the limit: the burst and the
 * refills make at most 2 × rate ≤ limit − 1, leaving one request for the arrivals' jitter (a refill
 * of a busy worker reaching PowerOffice a few ms early against the burst).
 *
 * What this costs: the steady rate is under half of what PowerOffice allows (v1 24 of 50/s, v2 4
 * of 10/s). Should PowerOffice confirm it counts by token bucket or fixed window, not a sliding
 * second, the rate can be raised towards the limit here and the test will say whether it holds.
 */
export function powerOfficeQueueRate(limit: number): number {
  // A limit of 1: a burst of one, the next one 1.25 s later.
  if (limit <= 1) return 0.8;
  return Math.max(1, Math.floor((limit - 1) / 2));
}
