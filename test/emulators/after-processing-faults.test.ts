import { bookingIdempotencyKey } from '../../adapters/ledger/ledger-api';
import { seededRandom } from '../../emulators/after-processing-fault';
import { buildLedgerEmulator, type BookedInvoice, type LedgerEmulator } from '../../emulators/ledger/server';
import { admin, adminSend, DEMO, http, jsonOf, ledgerBooking, startPowerOffice, v1Session } from './harness';

/**
 * "Done but unanswered" (emulators/after-processing-fault.ts), shown on the ledger emulator over
 * real HTTP: the booking is stored and counted, and the client sees a reset or no answer in time.
 * Every emulator shares this code (emulators/faults.ts); test/after-processing/ proves each one's
 * writes stay single through the real service.
 */
const API_KEY = 'test-ledger-key';
const { clientId: _clientId, ...invoice } = ledgerBooking();
const KEY = bookingIdempotencyKey('1001', invoice.invoiceId);

let emulator: LedgerEmulator | undefined;
let baseUrl: string;

async function startLedger(): Promise<void> {
  emulator = buildLedgerEmulator({ apiKey: API_KEY });
  baseUrl = `${await emulator.app.listen({ host: '127.0.0.1', port: 0 })}/`;
}
afterEach(async () => {
  await emulator?.app.close();
  emulator = undefined;
});

function book(timeoutMs = 5_000) {
  return http.post(`${baseUrl}v1/clients/1001/invoices`, {
    headers: { authorization: `Bearer ${API_KEY}`, 'idempotency-key': KEY },
    json: invoice,
    timeout: { request: timeoutMs },
  });
}

async function orderFaults(settings: object): Promise<void> {
  const response = await http.post(`${baseUrl}_emulator/faults`, { json: settings });
  expect(response.statusCode).toBe(200);
}

async function booked(): Promise<BookedInvoice[]> {
  return jsonOf<{ invoices: BookedInvoice[] }>(await http.get(`${baseUrl}_emulator/invoices`)).invoices;
}

async function faultReport() {
  return jsonOf<{ injected: number; afterProcessing: { injected: number; byRoute: Record<string, number> } }>(await http.get(`${baseUrl}_emulator/faults`));
}

function errorCodeOf(call: Promise<unknown>): Promise<string> {
  return call.then(
    () => 'answered',
    (err: unknown) => String((err as { code?: unknown }).code),
  );
}

test('a reset after processing: the client gets no answer, the booking is stored, and the retry gets the first receipt', async () => {
  await startLedger();
  await orderFaults({ afterProcessing: { count: 1, mode: 'reset' } });

  expect(await errorCodeOf(book())).toBe('ECONNRESET');
  expect(await booked()).toEqual([expect.objectContaining({ idempotencyKey: KEY, bookingRequests: 1 })]);

  const retry = await book();
  expect(retry.statusCode).toBe(200);
  expect(await booked()).toEqual([expect.objectContaining({ idempotencyKey: KEY, bookingRequests: 2, replays: 1 })]);
  expect(await faultReport()).toMatchObject({ injected: 1, afterProcessing: { injected: 1, byRoute: { 'POST /v1/clients/:clientId/invoices': 1 } } });
});

test('a hang after processing outlasts the client timeout: the client gives up, the booking is stored', async () => {
  await startLedger();
  await orderFaults({ afterProcessing: { count: 1, mode: 'hang', hangMs: 5_000 } });

  expect(await errorCodeOf(book(300))).toBe('ETIMEDOUT');
  expect(await booked()).toHaveLength(1);
  expect((await faultReport()).afterProcessing.injected).toBe(1);
});

test('a hang shorter than the client timeout is a late answer, not a lost one', async () => {
  await startLedger();
  await orderFaults({ afterProcessing: { count: 1, mode: 'hang', hangMs: 300 } });
  const started = Date.now();

  const response = await book(5_000);

  expect(response.statusCode).toBe(201);
  expect(Date.now() - started).toBeGreaterThanOrEqual(250);
});

test('only the routes and methods named lose answers; reads and other routes answer', async () => {
  await startLedger();
  await orderFaults({ afterProcessing: { rate: 1, routes: ['/v1/clients/:clientId/payments'] } });

  expect((await book()).statusCode).toBe(201);
  const read = await http.get(`${baseUrl}v1/clients/1001/events`, { headers: { authorization: `Bearer ${API_KEY}` } });
  expect(read.statusCode).toBe(200);
  expect((await faultReport()).afterProcessing.injected).toBe(0);
});

test('a refused write is not "processed": its answer is never lost', async () => {
  await startLedger();
  await orderFaults({ afterProcessing: { rate: 1 } });

  const refused = await http.post(`${baseUrl}v1/clients/1001/invoices`, { headers: { authorization: `Bearer ${API_KEY}` }, json: invoice });

  expect(refused.statusCode).toBe(400);
  expect((await faultReport()).afterProcessing.injected).toBe(0);
});

test('the same seed loses the same answers', async () => {
  await startLedger();
  const pattern = async () => {
    await orderFaults({ seed: 42, afterProcessing: { rate: 0.5, methods: ['GET'] } });
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      outcomes.push(await errorCodeOf(http.get(`${baseUrl}v1/clients/1001/events`, { headers: { authorization: `Bearer ${API_KEY}` }, throwHttpErrors: true })));
    }
    return outcomes;
  };

  const first = await pattern();
  const second = await pattern();

  expect(second).toEqual(first);
  expect(first).toContain('ECONNRESET');
  expect(first).toContain('answered');
  expect(seededRandom(7)()).toBe(seededRandom(7)());
});

test('PowerOffice GO v1: delivered is recorded once though its answer is lost, and the loss is counted per route', async () => {
  const po = await startPowerOffice();
  try {
    const session = await v1Session(po, DEMO.clientKey1001);
    expect((await adminSend(po, 'POST', 'faults/v1', { afterProcessing: { count: 1, routes: ['/Factoring/delivered/'] } })).statusCode).toBe(200);

    const lost = await errorCodeOf(
      http.post(`${po.v1}Factoring/delivered/`, {
        headers: { authorization: `Bearer ${session.token}` },
        json: { factoringInvoiceId: '3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21', invoiceCid: '0001002300057', comment: 'Sendt som brev' },
        throwHttpErrors: true,
      }),
    );

    expect(lost).toBe('ECONNRESET');
    const invoices = await admin<{ invoices: { id: string; isDelivered: boolean; deliveredCalls: number }[] }>(po, 'companies/1001/invoices');
    expect(invoices.invoices.find((i) => i.id === '3f2c7a8e-1b4d-4c5e-9f60-7a8b9c0d1e21')).toMatchObject({ isDelivered: true, deliveredCalls: 1 });
    expect(await admin(po, 'faults')).toMatchObject({ afterProcessing: { v1: { injected: 1, byRoute: { 'POST /Factoring/delivered/': 1 } }, v2: { injected: 0 } } });
    expect(await admin(po, 'calls')).toMatchObject({ answersLostAfterProcessing: 1 });
  } finally {
    await po.close();
  }
});
