import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { busiestWindows, readRateLimits } from '../../scripts/chaos/rate-limits';
import { DEMO, http, tokenRequest } from '../emulators/harness';

/**
 * What `npm run chaos` reads of PowerOffice's rate limit after its run (scripts/chaos/rate-limits.ts),
 * against the emulator over real HTTP: the busiest window over all requests that arrived, and only
 * the rate limit's own 429s as throttled, never an injected one. The window is a minute here, so
 * "these requests share one window" holds on any machine.
 */
let running: RunningEmulators;
const admin = () => `${running.powerOfficeUrl}_emulator/`;
const v2Token = () => tokenRequest(running.powerOfficeV2TokenUrl, DEMO.clientKey1001, { 'ocp-apim-subscription-key': DEMO.subscriptionKey });

beforeEach(async () => {
  running = await startEmulators({ distributionApiKey: 'unused' });
  expect((await http.put(`${admin()}rate-limits`, { json: { v2: { limit: 3, windowMs: 60_000 } } })).statusCode).toBe(200);
});
afterEach(async () => {
  await running.close();
});

test('the busiest window counts every arrival; throttled counts the rate limit’s 429s, not injected ones', async () => {
  expect((await http.post(`${admin()}faults/v2`, { json: { failNext: [{ status: 429 }] } })).statusCode).toBe(200);

  const statuses: number[] = [];
  for (let i = 0; i < 5; i += 1) statuses.push((await v2Token()).statusCode);

  // The injected 429 passed the rate limit first (it counts as admitted), so two got through and two were throttled.
  expect(statuses).toEqual([429, 200, 200, 429, 429]);
  const report = await readRateLimits(running.powerOfficeUrl);
  expect(report.v2).toEqual({ limit: 3, windowMs: 60_000, busiestWindow: 5, throttled: 2, requests: 5 });
  expect(report.v1).toEqual({ limit: 50, windowMs: 1000, busiestWindow: 0, throttled: 0, requests: 0 });
  expect(report.held).toBe(false);
  expect(busiestWindows(report)).toBe('0 / 50, 5 / 3 per 60000 ms');
});

test('within the limit it held, and a restart of PowerOffice forgets none of it', async () => {
  for (let i = 0; i < 2; i += 1) expect((await v2Token()).statusCode).toBe(200);
  await running.restart('powerOffice', 10);
  expect((await v2Token()).statusCode).toBe(200);

  const report = await readRateLimits(running.powerOfficeUrl);
  expect(report.v2).toMatchObject({ limit: 3, busiestWindow: 3, throttled: 0, requests: 3 });
  expect(report.held).toBe(true);
});
