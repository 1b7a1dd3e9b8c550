import type { MetricMeter } from '@temporalio/common';
import type { PowerOfficeSettings } from '../adapters/poweroffice/connector';

export const POWEROFFICE_METRICS = {
  requests: 'ff_poweroffice_requests_total',
  throttled: 'ff_poweroffice_throttled_total',
} as const;

/**
 * Counts every request the worker sends to PowerOffice GO, on the runtime's meter (the SDK's
 * Prometheus endpoint), not the activity's: the activity meter would add the activity type and task
 * queue to every series, and a request is the same request whichever activity made it. Labels: the
 * API (v1, v2), the route family (ids replaced, adapters/poweroffice/transport.ts routeFamily) and
 * the status; no client id: PowerOffice's limits are per application and subscription key, for
 * every client together, so the client would only multiply the series. A 429 is also counted on
 * its own, so an alert on throttling needs no status filter.
 */
export function powerOfficeRequestMetrics(meter: MetricMeter): NonNullable<PowerOfficeSettings['observeRequest']> {
  const requests = meter.createCounter(POWEROFFICE_METRICS.requests, undefined, 'Requests sent to PowerOffice GO, by API, route family and HTTP status (no-answer: timeout or dropped connection)');
  const throttled = meter.createCounter(POWEROFFICE_METRICS.throttled, undefined, 'Requests PowerOffice GO answered 429 (throttled), by API and route family');
  return ({ api, route, status }) => {
    requests.add(1, { api, route, status });
    if (status === '429') throttled.add(1, { api, route });
  };
}
