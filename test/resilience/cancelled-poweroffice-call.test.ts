import { randomUUID } from 'node:crypto';
import got from 'got';
import { withAbortSignal } from '../../adapters/abort-scope';
import { ExternalServiceError } from '../../adapters/external-service-error';
import { PowerOfficeConnector, type PowerOfficeSettings } from '../../adapters/poweroffice/connector';
import { powerOfficeSeedSchema } from '../../emulators/poweroffice/fixture-schema';
import { startEmulators, type RunningEmulators } from '../../emulators/start';

/**
 * What an activity attempt's abort (Temporal cancelled it, or it nears its start-to-close timeout)
 * does to its PowerOffice calls, against the emulator over real HTTP: the request in flight is
 * dropped, nothing is tried again, and a hanging PowerOffice is given up on within the call budget.
 */
const APPLICATION_KEY = 'cancel-test-app';
const SUBSCRIPTION_KEY = 'cancel-test-subscription';
const CLIENT = 'cancel1';
const INVOICE_ID = randomUUID();

describe('a PowerOffice GO call of an attempt that is stopped', () => {
  let emulators: RunningEmulators;

  beforeEach(async () => {
    const seed = powerOfficeSeedSchema.parse({
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      companies: [{ clientId: CLIENT, clientKey: `key-${CLIENT}`, name: 'Klient AS', organizationNumber: '923609016', availableInvoices: [{ id: INVOICE_ID, invoiceNo: 500, totalAmount: 100, customerCode: 10010 }] }],
    });
    emulators = await startEmulators({ distributionApiKey: 'unused', seed });
  });
  afterEach(async () => {
    await emulators.close();
  });

  function powerOffice(overrides: Partial<PowerOfficeSettings> = {}) {
    return new PowerOfficeConnector({
      v1BaseUrl: emulators.powerOfficeUrl,
      v2BaseUrl: emulators.powerOfficeV2Url,
      v2TokenUrl: emulators.powerOfficeV2TokenUrl,
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      v1RequestsPerSecond: 50,
      v2RequestsPerSecond: 10,
      ...overrides,
    }).v1(`key-${CLIENT}`);
  }

  const hangNext = (count: number, hangMs: number) =>
    got.post(`${emulators.powerOfficeUrl}_emulator/faults/v1`, { json: { failNext: Array.from({ length: count }, () => ({ kind: 'timeout', hangMs })) } });
  const v1CallsLogged = async () =>
    (await got(`${emulators.powerOfficeUrl}_emulator/calls/log`, { searchParams: { api: 'v1' } }).json<{ calls: { method: string; route: string }[] }>()).calls;
  const deliveredCallsLogged = async () => (await v1CallsLogged()).filter((c) => c.method === 'POST' && /delivered/i.test(c.route)).length;
  const callsLogged = async (method: string) => (await v1CallsLogged()).filter((c) => c.method === method).length;
  const report = { invoiceId: INVOICE_ID, kid: '0000500', pdf: { base64: Buffer.from('%PDF-1.4').toString('base64'), fileName: '500.pdf' }, comment: 'test' };

  test('a delivered call stopped while PowerOffice hangs is dropped, not tried again, and PowerOffice never processes it', async () => {
    const client = powerOffice();
    await client.invoicesDelivered({ top: 1 }); // the token, so the hang meets `delivered` itself
    await hangNext(1, 60_000);
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('the activity was cancelled')), 500);

    const outcome = await withAbortSignal(stop.signal, () => client.markDelivered(report)).then(
      () => 'answered',
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );

    expect(outcome).toBe('the activity was cancelled');
    expect(await deliveredCallsLogged()).toBe(1);
    const state = await got(`${emulators.powerOfficeUrl}_emulator/companies/${CLIENT}/invoices`).json<{ invoices: { isDelivered: boolean; deliveredCalls: number }[] }>();
    expect(state.invoices[0]).toMatchObject({ isDelivered: false, deliveredCalls: 0 });
  });

  test('a PowerOffice read that keeps hanging is given up on within the call budget, as a failure worth retrying', async () => {
    const client = powerOffice({ timeoutMs: 1_000, callBudgetMs: 2_500 });
    await client.invoicesDelivered({ top: 1 });
    const readsBefore = await callsLogged('GET');
    await hangNext(5, 60_000);

    const error = await client.invoicesDelivered({ top: 1 }).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('within 3 s') });
    // 1 s per try, 0.5 s and 1 s backoff: the third try would end after the 2.5 s budget.
    expect((await callsLogged('GET')) - readsBefore).toBe(2);
  });

  test('a write whose answer does not come is not sent again by the client: the next attempt checks PowerOffice first', async () => {
    const client = powerOffice({ timeoutMs: 1_000, callBudgetMs: 2_500 });
    await client.invoicesDelivered({ top: 1 });
    await hangNext(5, 60_000);

    const error = await client.markDelivered(report).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(ExternalServiceError);
    expect(error).toMatchObject({ retryable: true, message: expect.stringContaining('the answer was lost') });
    expect(await deliveredCallsLogged()).toBe(1);
  });

  test('a wait for the shared rate limit is stopped too, and leaves the limit to the calls after it', async () => {
    const client = powerOffice({ v1RequestsPerSecond: 1 });
    await client.invoicesDelivered({ top: 1 }); // takes the one slot for the next second
    const stop = new AbortController();
    setTimeout(() => stop.abort(new Error('the activity was cancelled')), 100);

    const stopped = await withAbortSignal(stop.signal, () => client.invoicesDelivered({ top: 1 })).catch((err: unknown) => err);
    const after = await client.invoicesDelivered({ top: 1 });

    expect(stopped).toMatchObject({ message: 'the activity was cancelled' });
    expect(after.invoices).toEqual([]);
  });
});
