import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { bookingIdempotencyKey, type BookInvoiceRequest } from '../../adapters/ledger/ledger-api';
import type { BookedInvoice } from '../../emulators/ledger/server';
import { startEmulators, type RunningEmulators } from '../../emulators/start';
import { eventually } from '../helpers/eventually';
import { ACCESS_CODE, documentReference, letter, linkEmail, PARTNER_API_KEY, startRecordingListener, WEBHOOK_SECRET } from '../webhook/partner-fixtures';
import { DEMO, http, jsonOf, ledgerBooking, tokenRequest } from './harness';

/**
 * `RunningEmulators.restart`: an emulator goes down as a crashed upstream does (every connection
 * dropped, nothing listening) and comes back on the same port with everything it had recorded.
 * Over real HTTP, as the service and `npm run chaos` see it.
 */
const LEDGER_API_KEY = 'test-ledger-key';

let running: RunningEmulators;

beforeEach(async () => {
  running = await startEmulators({ distributionApiKey: PARTNER_API_KEY, ledgerApiKey: LEDGER_API_KEY });
});
afterEach(async () => {
  await running.close();
});

function booking(): BookInvoiceRequest {
  return ledgerBooking({ invoiceId: randomUUID() });
}

function book(request: BookInvoiceRequest) {
  const { clientId, ...body } = request;
  return http.post(`${running.ledgerUrl}v1/clients/${clientId}/invoices`, {
    headers: { authorization: `Bearer ${LEDGER_API_KEY}`, 'idempotency-key': bookingIdempotencyKey(clientId, request.invoiceId) },
    json: body,
  });
}

async function bookings(): Promise<BookedInvoice[]> {
  return jsonOf<{ invoices: BookedInvoice[] }>(await http.get(`${running.ledgerUrl}_emulator/invoices`)).invoices;
}

async function configureLedgerFaults(settings: object): Promise<void> {
  expect((await http.post(`${running.ledgerUrl}_emulator/faults`, { json: settings })).statusCode).toBe(200);
}

/** What a client sees when it gets no HTTP answer: the error's code, never a status. */
async function connectionErrorOf(call: Promise<unknown>): Promise<string> {
  const outcome = await call.then(
    (answer) => ({ answer }),
    (err: unknown) => ({ err }),
  );
  if (!('err' in outcome)) throw new Error(`expected no answer, got ${JSON.stringify((outcome.answer as { statusCode?: number }).statusCode)}`);
  return String((outcome.err as { code?: unknown }).code);
}

/** A new connection each time: a pooled one would only tell that the old connection was dropped. */
const freshConnection = { agent: { http: new Agent({ keepAlive: false }) } };
const probe = (url: string) => http.get(url, freshConnection);

const baseUrls = () => [running.powerOfficeUrl, running.powerOfficeV2TokenUrl, running.distributionUrl, running.ledgerUrl, running.peppolDirectoryUrl];

describe('restarting an emulator', () => {
  test('each comes back on the same port with its records; while it is down nothing listens there', async () => {
    const urlsBefore = baseUrls();
    const first = booking();
    expect((await book(first)).statusCode).toBe(201);
    const sent = letter(documentReference());
    const sendLetter = () => http.post(`${running.distributionUrl}v1/letters`, { json: sent, headers: { authorization: `Bearer ${PARTNER_API_KEY}`, 'idempotency-key': 'letter-1' } });
    const receipt = jsonOf<{ deliveryId: string }>(await sendLetter());
    expect((await http.post(`${running.peppolDirectoryUrl}_emulator/participants`, { json: { organisationNumber: '912345678', documentTypes: ['Invoice'] } })).statusCode).toBe(201);

    const downSeen: Record<string, string> = {};
    const restartWhileProbing = (name: Parameters<RunningEmulators['restart']>[0], url: string) =>
      running.restart(name, async () => {
        downSeen[name] = await connectionErrorOf(probe(url));
      });
    await restartWhileProbing('ledger', `${running.ledgerUrl}_emulator/invoices`);
    await restartWhileProbing('distribution', `${running.distributionUrl}_emulator/deliveries`);
    await restartWhileProbing('peppolDirectory', `${running.peppolDirectoryUrl}_emulator/participants`);

    expect(downSeen).toEqual({ ledger: 'ECONNREFUSED', distribution: 'ECONNREFUSED', peppolDirectory: 'ECONNREFUSED' });
    expect(baseUrls()).toEqual(urlsBefore);
    // The ledger still knows the booking and its key: the same request again is a replay.
    expect((await bookings()).map((b) => b.booking.invoiceId)).toEqual([first.invoiceId]);
    const replay = await book(first);
    expect(replay.statusCode).toBe(200);
    // The partner still has the letter; the same key gives the first receipt.
    const again = await sendLetter();
    expect(again.statusCode).toBe(200);
    expect(jsonOf<{ deliveryId: string }>(again).deliveryId).toBe(receipt.deliveryId);
    // The Directory still has the registration.
    const search = await http.get(`${running.peppolDirectoryUrl}search/1.0/json`, { searchParams: { participant: 'iso6523-actorid-upis::0192:912345678' } });
    expect(jsonOf<{ 'total-result-count': number }>(search)['total-result-count']).toBe(1);
  });

  test('PowerOffice comes back on both ports with its companies, tokens, faults and rate-limit counts', async () => {
    const urlsBefore = baseUrls();
    const token = jsonOf<{ access_token: string }>(await tokenRequest(running.powerOfficeV2TokenUrl, DEMO.clientKey1001, { 'ocp-apim-subscription-key': DEMO.subscriptionKey })).access_token;
    const admin = `${running.powerOfficeUrl}_emulator/`;
    expect((await http.post(`${admin}companies/1001/customers`, { json: [{ Number: 10020, Name: 'Ny Kunde AS' }] })).statusCode).toBe(201);
    expect((await http.post(`${admin}faults/v2`, { json: { timeoutMs: 12_345 } })).statusCode).toBe(200);
    const v2Requests = async () => jsonOf<{ v2: { keys: Record<string, { requests: number }> } }>(await http.get(`${admin}rate-limits`)).v2.keys[DEMO.subscriptionKey]?.requests ?? 0;
    const requestsBefore = await v2Requests();

    let v1Down = '';
    let v2Down = '';
    await running.restart('powerOffice', async () => {
      v1Down = await connectionErrorOf(probe(admin));
      v2Down = await connectionErrorOf(probe(running.powerOfficeV2Url));
    });

    expect([v1Down, v2Down]).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);
    expect(baseUrls()).toEqual(urlsBefore);
    const customers = await http.get(`${running.powerOfficeV2Url}Customers`, {
      headers: { authorization: `Bearer ${token}`, 'ocp-apim-subscription-key': DEMO.subscriptionKey },
      searchParams: { customerNos: '10020' },
    });
    expect(customers.statusCode).toBe(200);
    expect(jsonOf<{ Name: string }[]>(customers).map((c) => c.Name)).toEqual(['Ny Kunde AS']);
    expect(jsonOf<{ v2: { timeoutMs: number } }>(await http.get(`${admin}faults`)).v2.timeoutMs).toBe(12_345);
    // The token call and the Customers call, in the same window counts as before the restart.
    expect(requestsBefore).toBe(1);
    expect(await v2Requests()).toBe(2);
  });

  test('requests in flight lose their connection: a write whose handler ran is kept, one that had not reached it is not done', async () => {
    const done = booking();
    const notDone = booking();
    // The first booking is stored, then its answer is held; the second hangs before the handler.
    await configureLedgerFaults({ afterProcessing: { count: 1, mode: 'hang', hangMs: 120_000 } });
    const heldAnswer = connectionErrorOf(book(done));
    await eventually(bookings, (list) => list.length === 1);
    await configureLedgerFaults({ failNext: [{ kind: 'timeout', hangMs: 120_000 }] });
    const hungRequest = connectionErrorOf(book(notDone));
    await eventually(
      async () => jsonOf<{ injected: number }>(await http.get(`${running.ledgerUrl}_emulator/faults`)).injected,
      (injected) => injected === 2,
    );

    await running.restart('ledger', 50);

    expect(await heldAnswer).toBe('ECONNRESET');
    expect(await hungRequest).toBe('ECONNRESET');
    expect((await bookings()).map((b) => b.booking.invoiceId)).toEqual([done.invoiceId]);
    // The client tries again: the first is a replay of the stored booking, the second is booked now.
    expect((await book(done)).statusCode).toBe(200);
    expect((await book(notDone)).statusCode).toBe(201);
    expect((await bookings()).map((b) => ({ invoiceId: b.booking.invoiceId, duplicatesRefused: b.duplicatesRefused }))).toEqual([
      { invoiceId: done.invoiceId, duplicatesRefused: 0 },
      { invoiceId: notDone.invoiceId, duplicatesRefused: 0 },
    ]);
  });

  test("the partner's webhook calls go on through its restart: an opening is still told", async () => {
    const webhook = await startRecordingListener([500, 500]);
    try {
      await running.close();
      running = await startEmulators({ distributionApiKey: PARTNER_API_KEY, webhook: { url: webhook.url, secret: WEBHOOK_SECRET } });
      const sent = await http.post(`${running.distributionUrl}v1/emails`, {
        json: linkEmail(documentReference()),
        headers: { authorization: `Bearer ${PARTNER_API_KEY}`, 'idempotency-key': 'email-1' },
      });
      const { deliveryId } = jsonOf<{ deliveryId: string }>(sent);
      expect((await http.post(`${running.distributionUrl}open/${deliveryId}`, { form: { code: ACCESS_CODE } })).statusCode).toBe(200);
      // The first call was refused; the partner is between its tries when it goes down.
      await eventually(async () => webhook.calls.length, (n) => n >= 1);

      await running.restart('distribution', 10);
      await running.distribution.webhooks?.idle();

      expect(running.distribution.store.get(deliveryId)?.link?.webhook?.outcome).toBe('delivered');
      expect(webhook.calls).toHaveLength(3);
    } finally {
      await running.close();
      await webhook.close();
    }
  });

  test('one restart at a time', async () => {
    let release: () => void = () => undefined;
    const stayDown = new Promise<void>((resolve) => (release = resolve));
    const first = running.restart('ledger', () => stayDown);
    await expect(running.restart('distribution', 10)).rejects.toThrow('cannot restart distribution while another emulator restarts');
    release();
    await first;
    expect((await http.get(`${running.ledgerUrl}_emulator/invoices`)).statusCode).toBe(200);
  });
});
