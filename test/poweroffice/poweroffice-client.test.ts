import { randomUUID } from 'node:crypto';
import got from 'got';
import { PowerOfficeConnector, type PowerOfficeSettings } from '../../adapters/poweroffice/connector';
import { ExternalServiceError } from '../../adapters/external-service-error';
import { powerOfficeSeedSchema, type PowerOfficeSeedInput } from '../../emulators/poweroffice/fixture-schema';
import { startEmulators, type RunningEmulators } from '../../emulators/start';

/**
 * Our PowerOffice GO client against the emulator over real HTTP: tokens, the shared rate limit,
 * recovery from throttling and server errors, and PowerOffice's refusals as readable errors.
 */
const APPLICATION_KEY = 'client-test-app';
const SUBSCRIPTION_KEY = 'client-test-subscription';

function seedWith(clientIds: string[]): PowerOfficeSeedInput {
  return powerOfficeSeedSchema.parse({
    applicationKey: APPLICATION_KEY,
    subscriptionKey: SUBSCRIPTION_KEY,
    companies: clientIds.map((clientId) => ({
      clientId,
      clientKey: `key-${clientId}`,
      name: `Klient ${clientId} AS`,
      organizationNumber: '923609016',
      availableInvoices: [{ id: randomUUID(), invoiceNo: 500, totalAmount: 100, customerCode: 10010 }],
      customers: [{ Number: 10010, Name: 'Kunde AS', MailAddress: { AddressLine1: 'Gate 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' } }],
    })),
  });
}

interface RecordedCall {
  api: string;
  route: string;
  status: number | null;
  clientId: string | null;
}

describe('the PowerOffice GO client against the emulator', () => {
  let emulators: RunningEmulators;
  let admin: string;

  async function start(clientIds: string[], tokenLifetimeSeconds?: number) {
    emulators = await startEmulators({ distributionApiKey: 'unused', seed: seedWith(clientIds), ...(tokenLifetimeSeconds ? { tokenLifetimeSeconds } : {}) });
    admin = `${emulators.powerOfficeUrl}_emulator/`;
  }

  function connector(overrides: Partial<PowerOfficeSettings> = {}): PowerOfficeConnector {
    return new PowerOfficeConnector({
      v1BaseUrl: emulators.powerOfficeUrl,
      v2BaseUrl: emulators.powerOfficeV2Url,
      v2TokenUrl: emulators.powerOfficeV2TokenUrl,
      applicationKey: APPLICATION_KEY,
      subscriptionKey: SUBSCRIPTION_KEY,
      v1RequestsPerSecond: 50,
      v2RequestsPerSecond: 10,
      ...overrides,
    });
  }

  async function calls(api: 'v1' | 'v2'): Promise<RecordedCall[]> {
    return (await got(`${admin}calls/log`, { searchParams: { api } }).json<{ calls: RecordedCall[] }>()).calls;
  }

  afterEach(async () => {
    await emulators?.close();
  });

  test('a token is renewed shortly before it expires, so no call is ever refused with 401', async () => {
    await start(['1001'], 3);
    const v2 = connector().v2('key-1001');
    await v2.clientIntegrationInformation();
    await new Promise((resolve) => setTimeout(resolve, 2800)); // past the renewal point (3 s − 10 %), before expiry
    await v2.clientIntegrationInformation();

    const recorded = await calls('v2');
    expect(recorded.filter((c) => c.route.toLowerCase().includes('oauth/token'))).toHaveLength(2);
    expect(recorded.some((c) => c.status === 401)).toBe(false);
  });

  test('three clients fetching at once never exceed 10 requests per second together, measured at PowerOffice', async () => {
    await start(['2001', '2002', '2003']);
    const shared = connector();
    await Promise.all(
      ['2001', '2002', '2003'].flatMap((clientId) => Array.from({ length: 12 }, () => shared.v2(`key-${clientId}`).clientIntegrationInformation())),
    );

    const limits = await got(`${admin}rate-limits`).json<{ v2: { keys: Record<string, { requests: number; throttled: number; maxRequestsInAnyWindow: number }> } }>();
    const key = Object.values(limits.v2.keys);
    expect(key).toHaveLength(1); // one subscription key for all clients
    expect(key[0]!.requests).toBe(39); // 36 calls + 3 tokens
    expect(key[0]!.throttled).toBe(0);
    expect(key[0]!.maxRequestsInAnyWindow).toBeLessThanOrEqual(10);
  });

  test('after 429 and 5xx answers the call still succeeds; it waits Retry-After (at least 1 s) after a 429 and backs off after 5xx', async () => {
    await start(['3001']);
    await got.post(`${admin}faults/v2`, { json: { failNext: [{ status: 429, retryAfterSeconds: 2 }, { status: 500 }, { status: 503 }] } });
    const waits: number[] = [];
    const recordWait = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const info = await connector({ sleep: recordWait }).v2('key-3001').clientIntegrationInformation();

    expect(waits).toEqual([2000, 500, 1000]);

    expect(info.clientName).toBe('Klient 3001 AS');
    const recorded = (await calls('v2')).filter((c) => c.route.toLowerCase().includes('oauth/token'));
    expect(recorded.map((c) => c.status)).toEqual([429, 500, 503, 200]);
  });

  test('a call that gets no answer times out and is tried again, and the reads parse the real shapes', async () => {
    await start(['3003']);
    await got.post(`${admin}faults/v2`, { json: { failNext: [{ kind: 'timeout', hangMs: 5000 }] } });
    const v2 = connector({ timeoutMs: 300, retry: { maxThrottled: 5, maxTransient: 3, backoffMs: 10 } }).v2('key-3003');

    const [customer] = await v2.customersByNumber([10010]);
    expect(customer).toMatchObject({ number: 10010, name: 'Kunde AS', mailAddress: { addressLine1: 'Gate 1', zipCode: '0150', city: 'Oslo', countryCode: 'NO' } });
    const accounts = await v2.generalLedgerAccounts([1510, 6976]);
    expect(accounts.map((a) => [a.accountNo, a.isActive])).toEqual([
      [1510, true],
      [6976, false],
    ]);
    expect((await v2.vatCodes()).some((v) => v.code === '0' && v.rate === 0)).toBe(true);
    const v1 = connector().v1('key-3003');
    const [invoice] = (await v1.availableInvoices({ top: 5 })).invoices;
    expect(await v1.invoiceEhf(invoice!.id)).toMatch(/^<\?xml[\s\S]*<Invoice/);
    // The first call (the token) hung and was tried again.
    expect((await calls('v2'))[0]).toMatchObject({ status: null });
  });

  test('when PowerOffice keeps failing, the error says so and asks for a later retry', async () => {
    await start(['3002']);
    await got.post(`${admin}faults/v1`, { json: { rate500: 1 } });
    const fetching = connector({ retry: { maxThrottled: 1, maxTransient: 2, backoffMs: 10 } }).v1('key-3002').availableInvoices({ top: 10 });

    await expect(fetching).rejects.toThrow('PowerOffice GO: POST OAuth/Token: HTTP 500 after 3 tries');
    await expect(fetching).rejects.toMatchObject({ retryable: true });
  });

  test("a v1 refusal (HTTP 200 with success: false) becomes an error with PowerOffice's summary", async () => {
    await start(['4001']);
    const v1 = connector().v1('key-4001');
    const [invoice] = (await v1.availableInvoices({ top: 1 })).invoices;
    const report = { invoiceId: invoice!.id, kid: '0000100005002', pdf: { base64: Buffer.from('%PDF-1.7').toString('base64'), fileName: '500.pdf' }, comment: 'Sendt' };
    await v1.markDelivered(report);

    const again = v1.markDelivered(report);
    await expect(again).rejects.toBeInstanceOf(ExternalServiceError);
    await expect(again).rejects.toMatchObject({ retryable: false, message: expect.stringMatching(/^PowerOffice GO: POST Factoring\/delivered was refused: .+\[PowerOffice log reference \w+\]$/) });
  });

  test("a v2 refusal (ProblemDetails) becomes an error with PowerOffice's title and detail", async () => {
    await start(['4002']);
    const v2 = connector().v2('key-4002');
    const voucher = {
      voucherDate: '2026-11-27',
      currencyCode: 'NOK' as const,
      description: 'Innbetaling',
      externalImportReference: `ff-${randomUUID()}`,
      lines: [
        { accountId: 4002990, amountOre: 10000, postingDate: '2026-11-27', vatId: 201590 },
        { accountId: 4001920, amountOre: -10000, postingDate: '2026-11-27', vatId: 201590 },
      ],
    };
    await v2.postManualJournal(voucher);

    const duplicate = v2.postManualJournal(voucher);
    await expect(duplicate).rejects.toMatchObject({
      retryable: false,
      httpStatus: 400,
      message: expect.stringContaining(`POST Vouchers/ManualJournals was refused with HTTP 400: `),
    });
    await expect(duplicate).rejects.toThrow(/ExternalImportReference is already in use/);
  });

  test('a wrong client key is refused with a message about the key and the environment', async () => {
    await start(['5001']);
    await expect(connector().v2('not-a-key').clientIntegrationInformation()).rejects.toThrow(
      /the client key was not accepted \(invalid_client.*\)\. Check the client key, the application key, and that both belong to the same environment/,
    );
  });
});
