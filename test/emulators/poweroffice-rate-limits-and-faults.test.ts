import Fastify from 'fastify';
import { FaultInjector } from '../../emulators/faults';
import { eventually } from '../helpers/eventually';
import { admin, adminSend, DEMO, http, jsonOf, startPowerOffice, v1Session, v2Session, type PowerOfficeUnderTest } from './harness';

/**
 * PowerOffice's throttle (v2: 10 requests/s per subscription key across all client keys; v1: 50/s
 * per application key) and the faults a test can order. The limit's window is widened to a
 * minute in these tests, so "all these requests fall into one window" holds on any machine.
 */
interface KeyStats {
  requests: number;
  throttled: number;
  maxRequestsInAnyWindow: number;
}
interface RateLimits {
  v1: { limit: number; windowMs: number; keys: Record<string, KeyStats> };
  v2: { limit: number; windowMs: number; keys: Record<string, KeyStats> };
}

const THIRD_CLIENT = { clientId: '1003', clientKey: 'demo-client-key-1003', name: 'Tredje Klient AS', organizationNumber: '921100345' };

describe('rate limits and faults of the PowerOffice emulator', () => {
  let po: PowerOfficeUnderTest;

  beforeEach(async () => {
    po = await startPowerOffice();
  });
  afterEach(async () => {
    await po.close();
  });

  const statusCounts = (statuses: number[]) => statuses.reduce<Record<number, number>>((counts, s) => ({ ...counts, [s]: (counts[s] ?? 0) + 1 }), {});

  test('above 10 requests per window the v2 gateway answers 429 with Retry-After, whichever client key is calling', async () => {
    await adminSend(po, 'POST', 'companies', THIRD_CLIENT);
    const clients = await Promise.all([DEMO.clientKey1001, DEMO.clientKey1002, THIRD_CLIENT.clientKey].map((key) => v2Session(po, key)));
    await adminSend(po, 'DELETE', 'rate-limits');
    await adminSend(po, 'PUT', 'rate-limits', { v2: { windowMs: 60_000 } });

    const responses = await Promise.all(Array.from({ length: 12 }, (_, i) => clients[i % 3]!.get('ClientIntegrationInformation')));

    expect(statusCounts(responses.map((r) => r.statusCode))).toEqual({ 200: 10, 429: 2 });
    const throttled = responses.find((r) => r.statusCode === 429)!;
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(jsonOf(throttled)).toEqual({ statusCode: '429', message: expect.stringMatching(/^Rate limit is exceeded\. Try again in \d+ seconds\.$/) });
  });

  test('the most requests seen in one window is recorded per subscription key, throttled ones included', async () => {
    const client = await v2Session(po, DEMO.clientKey1001);
    await adminSend(po, 'DELETE', 'rate-limits');
    await adminSend(po, 'PUT', 'rate-limits', { v2: { windowMs: 60_000 } });

    await Promise.all(Array.from({ length: 13 }, () => client.get('VatCodes')));

    const limits = await admin<RateLimits>(po, 'rate-limits');
    expect(limits.v2.keys[DEMO.subscriptionKey]).toEqual({ requests: 13, throttled: 3, maxRequestsInAnyWindow: 13 });
  });

  test('v1 allows 50 requests per window per application key, then 429', async () => {
    const client = await v1Session(po, DEMO.clientKey1001);
    await adminSend(po, 'DELETE', 'rate-limits');
    await adminSend(po, 'PUT', 'rate-limits', { v1: { windowMs: 60_000 } });

    const responses = await Promise.all(Array.from({ length: 52 }, () => client.get('Factoring/')));

    expect(statusCounts(responses.map((r) => r.statusCode))).toEqual({ 200: 50, 429: 2 });
    expect((await admin<RateLimits>(po, 'rate-limits')).v1.keys[DEMO.applicationKey]).toMatchObject({ throttled: 2, maxRequestsInAnyWindow: 52 });
  });

  test('an ordered 500 answers one call with a ProblemDetails body; the next call works', async () => {
    const client = await v2Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'faults/v2', { failNext: [{ status: 500 }] });

    const failed = await client.get('Customers');
    const next = await client.get('Customers');

    expect(failed.statusCode).toBe(500);
    expect(jsonOf(failed)).toMatchObject({ status: 500, title: expect.any(String) });
    expect(next.statusCode).toBe(200);
  });

  test('an ordered 429 carries Retry-After and the throttling body', async () => {
    const client = await v1Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'faults', { failNext: [{ status: 429, retryAfterSeconds: 3 }] });

    const response = await client.get('Factoring/AvailableInvoices/');

    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('3');
    expect(jsonOf(response)).toEqual({ statusCode: '429', message: 'Rate limit is exceeded. Try again in 3 seconds.' });
  });

  test('faults posted to one listener leave the other alone', async () => {
    const v1 = await v1Session(po, DEMO.clientKey1001);
    const v2 = await v2Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'faults/v2', { rate500: 1 });

    expect((await v1.get('Factoring/')).statusCode).toBe(200);
    expect((await v2.get('VatCodes')).statusCode).toBe(500);
  });

  test('an ordered timeout hangs until the client gives up, and the call is logged without an answer', async () => {
    const client = await v2Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'faults/v2', { failNext: [{ kind: 'timeout', hangMs: 600_000 }] });

    const hung = http.get(`${po.v2}VatCodes`, { headers: { authorization: `Bearer ${client.token}`, 'ocp-apim-subscription-key': DEMO.subscriptionKey }, timeout: { request: 300 } });

    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    expect((await client.get('VatCodes')).statusCode).toBe(200);
    const { byRoute } = await admin<{ byRoute: Record<string, { byStatus: Record<string, number> }> }>(po, 'calls');
    expect(byRoute['v2 GET /v2/VatCodes']?.byStatus).toEqual({ 'no answer': 1, 200: 1 });
  });

  test('closing the emulator ends a request that hangs', async () => {
    const client = await v1Session(po, DEMO.clientKey1001);
    await adminSend(po, 'POST', 'faults', { failNext: [{ kind: 'timeout', hangMs: 600_000 }] });
    const hung = client.get('Factoring/');
    await eventually(
      () => admin<{ calls: { route: string }[] }>(po, 'calls/log?api=v1'),
      ({ calls }) => calls.some((c) => c.route === '/Factoring/'),
    );

    await po.close();

    await expect(hung).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|ERR_SOCKET|UND_ERR_SOCKET/) });
    po = await startPowerOffice();
  });

  test('admin routes are never faulted', async () => {
    await adminSend(po, 'POST', 'faults', { rate500: 1 });

    const response = await http.get(`${po.admin}calls`);

    expect(response.statusCode).toBe(200);
  });

  test('fault settings that do not parse are refused with 400', async () => {
    const response = await adminSend(po, 'POST', 'faults', { rate500: 2 });

    expect(response.statusCode).toBe(400);
  });
});

describe('FaultInjector', () => {
  async function answerWith(random: number, settings: object): Promise<number | 'no answer'> {
    const app = Fastify();
    const faults = new FaultInjector(() => random);
    faults.configure(settings);
    faults.install(app, '/_admin');
    app.get('/x', async () => 'ok');
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      return (await http.get(`${base}/x`, { timeout: { request: 300 } })).statusCode;
    } catch (err) {
      if ((err as Error).name === 'TimeoutError') return 'no answer';
      throw err;
    } finally {
      await app.close();
    }
  }

  test('one roll picks hang, 429, 500 or nothing by the configured shares', async () => {
    const shares = { rateTimeout: 0.1, timeoutMs: 600_000, rate429: 0.2, rate500: 0.3 };

    expect(await answerWith(0.05, shares)).toBe('no answer');
    expect(await answerWith(0.2, shares)).toBe(429);
    expect(await answerWith(0.5, shares)).toBe(500);
    expect(await answerWith(0.7, shares)).toBe(200);
  });
});
