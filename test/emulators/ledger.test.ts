import Fastify from 'fastify';
import { ExternalServiceError } from '../../adapters/external-service-error';
import { bookingIdempotencyKey, eventsPageSchema, type BookInvoiceRequest, type LedgerEvent } from '../../adapters/ledger/ledger-api';
import { LedgerClient } from '../../adapters/ledger/ledger-client';
import { buildLedgerEmulator, type BookedInvoice, type LedgerEmulator } from '../../emulators/ledger/server';
import { http, jsonOf, ledgerBooking } from './harness';

/**
 * Factoring Finans' ledger (contract: adapters/ledger/ledger-api.ts) through our adapter and
 * over raw HTTP, against the emulator on a free loopback port.
 */
const API_KEY = 'test-ledger-key';

const invoice: BookInvoiceRequest = ledgerBooking();
const KEY = bookingIdempotencyKey(invoice.clientId, invoice.invoiceId);
const { clientId: _clientId, ...invoiceBody } = invoice;

let emulator: LedgerEmulator;
let baseUrl: string;
let ledger: LedgerClient;

beforeEach(async () => {
  emulator = buildLedgerEmulator({ apiKey: API_KEY });
  baseUrl = `${await emulator.app.listen({ host: '127.0.0.1', port: 0 })}/`;
  ledger = new LedgerClient(baseUrl, API_KEY, { timeoutMs: 2_000 });
});
afterEach(async () => {
  await emulator.app.close();
});

function postBooking(body: object, idempotencyKey: string | undefined, clientId = invoice.clientId, apiKey = API_KEY) {
  return http.post(`${baseUrl}v1/clients/${clientId}/invoices`, {
    headers: { authorization: `Bearer ${apiKey}`, ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }) },
    json: body,
  });
}

async function bookedInvoices(clientId?: string): Promise<BookedInvoice[]> {
  const response = await http.get(`${baseUrl}_emulator/invoices`, clientId ? { searchParams: { clientId } } : {});
  return jsonOf<{ invoices: BookedInvoice[] }>(response).invoices;
}

async function refusalOf(call: Promise<unknown>): Promise<ExternalServiceError> {
  const error = await call.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(error instanceof ExternalServiceError)) throw new Error(`expected an ExternalServiceError, got ${String(error)}`);
  return error;
}

async function orderFaults(settings: object): Promise<void> {
  const response = await http.post(`${baseUrl}_emulator/faults`, { json: settings });
  expect(response.statusCode).toBe(200);
}

/** An event as a test feeds it: the ledger stamps recordedAt and, unless given, eventId. */
type EventInput = (LedgerEvent extends infer E ? (E extends unknown ? Omit<E, 'recordedAt' | 'eventId'> : never) : never) & { eventId?: string };

async function addEvents(clientId: string, events: EventInput[]): Promise<LedgerEvent[]> {
  const response = await http.post(`${baseUrl}_emulator/clients/${clientId}/events`, { json: { events } });
  expect(response.statusCode).toBe(201);
  return jsonOf<{ events: LedgerEvent[] }>(response).events;
}

const sampleEvents: EventInput[] = [
  { type: 'payment', kid: '0100100100234', invoiceNo: 10023, customerNo: 10010, amountOre: 1_250_000, paidOn: '2026-12-10' },
  { type: 'administrative-fee', amountOre: 4_900, chargedOn: '2026-12-10', description: 'Fakturagebyr', invoiceNo: 10023 },
  { type: 'financial-fee', amountOre: 1_234, chargedOn: '2026-12-10', description: 'Rente desember' },
  { type: 'payout', amountOre: 1_100_000, paidOn: '2026-12-11' },
  { type: 'balance-change', amountOre: -1_250_000, changedOn: '2026-12-10', description: 'Faktura 10023 innfridd' },
];

describe('booking an invoice in the ledger', () => {
  test('a first booking is answered with a ledger entry and the time it was booked, with its offset', async () => {
    const receipt = await ledger.bookInvoice(invoice, KEY);

    expect(receipt.ledgerEntryId).toMatch(/\S/);
    expect(receipt.bookedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/);
    expect(await bookedInvoices()).toEqual([expect.objectContaining({ clientId: '1001', ledgerEntryId: receipt.ledgerEntryId, idempotencyKey: KEY, booking: invoiceBody })]);
  });

  test('the ledger answers 201 to a first booking over HTTP', async () => {
    const response = await postBooking(invoiceBody, KEY);

    expect(response.statusCode).toBe(201);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });

  test('the same key and body again get the first receipt, marked as replayed', async () => {
    const first = await postBooking(invoiceBody, KEY);
    const again = await postBooking(invoiceBody, KEY);

    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(jsonOf(again)).toEqual(jsonOf(first));
  });

  test('a booking retried through the adapter is booked exactly once, and each retry is counted', async () => {
    const first = await ledger.bookInvoice(invoice, KEY);
    const retried = await ledger.bookInvoice(invoice, KEY);

    expect(retried).toEqual(first);
    expect(await bookedInvoices()).toEqual([expect.objectContaining({ bookingRequests: 2, replays: 1, duplicatesRefused: 0 })]);
  });

  test('the same key with another body is refused with 422, and the adapter does not retry it', async () => {
    await ledger.bookInvoice(invoice, KEY);

    const error = await refusalOf(ledger.bookInvoice({ ...invoice, amountOre: 1_300_000 }, KEY));

    expect(error).toMatchObject({ retryable: false, httpStatus: 422 });
    expect(error.message).toContain('Idempotency-Key reused with a different request');
    expect((await bookedInvoices())[0]?.booking.amountOre).toBe(1_250_000);
  });

  test('the same invoice under another key is refused with 409 naming the entry that exists', async () => {
    const receipt = await ledger.bookInvoice(invoice, KEY);

    const response = await postBooking({ ...invoiceBody, amountOre: 1_300_000 }, 'manual-rebooking-1');

    expect(response.statusCode).toBe(409);
    expect(jsonOf(response)).toEqual({ error: expect.stringContaining(`invoice ${invoice.invoiceId} of client 1001 is booked already`), ledgerEntryId: receipt.ledgerEntryId });
  });

  test('the same invoice under another key is refused even with the same body: an invoice is booked once', async () => {
    await ledger.bookInvoice(invoice, KEY);

    const response = await postBooking(invoiceBody, 'manual-rebooking-1');

    expect(response.statusCode).toBe(409);
    expect(await bookedInvoices()).toEqual([expect.objectContaining({ idempotencyKey: KEY, duplicatesRefused: 1 })]);
  });

  test('the adapter reports a 409 duplicate as not retryable, with the ledger\'s words', async () => {
    const receipt = await ledger.bookInvoice(invoice, KEY);

    const error = await refusalOf(ledger.bookInvoice({ ...invoice, amountOre: 1_300_000 }, 'manual-rebooking-1'));

    expect(error).toMatchObject({ retryable: false, httpStatus: 409 });
    expect(error.message).toContain('is booked already');
    expect(error.message).toContain(receipt.ledgerEntryId);
    expect(await bookedInvoices()).toEqual([expect.objectContaining({ bookingRequests: 2, duplicatesRefused: 1 })]);
  });

  test('a credit note is booked with a negative amount and the invoice it credits', async () => {
    const creditNote: BookInvoiceRequest = {
      ...invoice,
      invoiceId: 'b7a1c2d3-0000-4000-8000-000000000001',
      invoiceNo: 10026,
      documentType: 'CreditNote',
      originalInvoiceNo: 10023,
      amountOre: -250_000,
    };

    await ledger.bookInvoice(creditNote, bookingIdempotencyKey(creditNote.clientId, creditNote.invoiceId));

    expect(await bookedInvoices()).toEqual([expect.objectContaining({ booking: expect.objectContaining({ documentType: 'CreditNote', amountOre: -250_000, originalInvoiceNo: 10023 }) })]);
  });

  test('an invoice id is unique per client: another client may book the same id', async () => {
    await ledger.bookInvoice(invoice, KEY);
    await ledger.bookInvoice({ ...invoice, clientId: '1002' }, bookingIdempotencyKey('1002', invoice.invoiceId));

    expect((await bookedInvoices('1001')).length).toBe(1);
    expect((await bookedInvoices('1002')).length).toBe(1);
  });

  test('the ledger refuses an amount in kroner with decimals: 400 naming amountOre', async () => {
    const response = await postBooking({ ...invoiceBody, amountOre: 12500.5 }, KEY);

    expect(response.statusCode).toBe(400);
    expect(jsonOf(response)).toEqual({ error: expect.stringContaining('amountOre') });
    expect(await bookedInvoices()).toEqual([]);
  });

  test('the ledger refuses an invoice with a negative amount: 400 naming amountOre', async () => {
    const response = await postBooking({ ...invoiceBody, amountOre: -1_250_000 }, KEY);

    expect(response.statusCode).toBe(400);
    expect(jsonOf<{ error: string }>(response).error).toMatch(/amountOre: must be positive for an invoice/);
  });

  test('the adapter does not send a booking that breaks the contract, and says which field is wrong', async () => {
    const error = await refusalOf(ledger.bookInvoice({ ...invoice, kid: '12-34' }, KEY));

    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/kid: must be \d+-\d+ digits/);
    expect(await bookedInvoices()).toEqual([]);
  });

  test('a booking without an Idempotency-Key is refused with 400', async () => {
    const response = await postBooking(invoiceBody, undefined);

    expect(response.statusCode).toBe(400);
    expect(jsonOf(response)).toEqual({ error: 'Idempotency-Key header (1-255 characters) is required' });
  });
});

describe('authentication', () => {
  test('a wrong API key is refused with 401 and nothing is booked', async () => {
    const response = await postBooking(invoiceBody, KEY, invoice.clientId, 'wrong-key');

    expect(response.statusCode).toBe(401);
    expect(await bookedInvoices()).toEqual([]);
  });

  test('the adapter reports a wrong API key as not retryable', async () => {
    const error = await refusalOf(new LedgerClient(baseUrl, 'wrong-key').events('1001', { limit: 10 }));

    expect(error).toMatchObject({ retryable: false, httpStatus: 401 });
    expect(error.message).toContain('invalid api key');
  });
});

describe('the return-data feed', () => {
  test('events come back in the order the ledger recorded them, each with its own eventId', async () => {
    const added = await addEvents('1001', sampleEvents);

    const page = await ledger.events('1001', { limit: 100 });

    expect(page.events).toEqual(added);
    expect(page.events.map((e) => e.type)).toEqual(['payment', 'administrative-fee', 'financial-fee', 'payout', 'balance-change']);
    expect(new Set(page.events.map((e) => e.eventId)).size).toBe(5);
    expect(page.hasMore).toBe(false);
  });

  test('paging with the cursor visits every event once, in order', async () => {
    const added = await addEvents('1001', sampleEvents);

    const seen: string[] = [];
    const hasMore: boolean[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await ledger.events('1001', { limit: 2, ...(after ? { after } : {}) });
      seen.push(...result.events.map((e) => e.eventId));
      hasMore.push(result.hasMore);
      after = result.nextCursor ?? undefined;
      if (!result.hasMore) break;
    }

    expect(seen).toEqual(added.map((e) => e.eventId));
    expect(hasMore).toEqual([true, true, false]);
  });

  test('a stored cursor finds exactly the events recorded after it', async () => {
    await addEvents('1001', sampleEvents.slice(0, 3));
    const { nextCursor } = await ledger.events('1001', { limit: 100 });
    const later = await addEvents('1001', sampleEvents.slice(3));

    const page = await ledger.events('1001', { after: nextCursor ?? undefined, limit: 100 });

    expect(page.events).toEqual(later);
  });

  test('with nothing new, the page is empty and the cursor stays where it was', async () => {
    await addEvents('1001', sampleEvents);
    const { nextCursor } = await ledger.events('1001', { limit: 100 });

    const page = await ledger.events('1001', { after: nextCursor ?? undefined, limit: 100 });

    expect(page).toEqual({ events: [], nextCursor, hasMore: false });
  });

  test('a client without events gets an empty feed and no cursor', async () => {
    await addEvents('1002', sampleEvents);

    expect(await ledger.events('1001', { limit: 100 })).toEqual({ events: [], nextCursor: null, hasMore: false });
  });

  test('the feed answers the contract\'s shape over raw HTTP', async () => {
    await addEvents('1001', sampleEvents);

    const response = await http.get(`${baseUrl}v1/clients/1001/events`, { headers: { authorization: `Bearer ${API_KEY}` }, searchParams: { limit: 2 } });

    expect(response.statusCode).toBe(200);
    expect(eventsPageSchema.safeParse(jsonOf(response)).success).toBe(true);
  });

  test('an unknown cursor is refused with 400, and the adapter does not retry it', async () => {
    const error = await refusalOf(ledger.events('1001', { after: 'not-a-cursor', limit: 10 }));

    expect(error).toMatchObject({ retryable: false, httpStatus: 400 });
    expect(error.message).toContain('unknown cursor');
  });

  test('a limit above 500 is refused with 400', async () => {
    const response = await http.get(`${baseUrl}v1/clients/1001/events`, { headers: { authorization: `Bearer ${API_KEY}` }, searchParams: { limit: 501 } });

    expect(response.statusCode).toBe(400);
    expect(jsonOf(response)).toEqual({ error: expect.stringContaining('limit') });
  });

  test('an event id can be fed only once', async () => {
    await addEvents('1001', [{ type: 'payout', amountOre: 100, paidOn: '2026-12-11', eventId: 'ev-payout-1' }]);

    const again = await http.post(`${baseUrl}_emulator/clients/1002/events`, { json: { events: [{ type: 'payout', amountOre: 200, paidOn: '2026-12-12', eventId: 'ev-payout-1' }] } });

    expect(again.statusCode).toBe(409);
  });
});

describe('faults become the adapter\'s retryable errors', () => {
  test('429 is retryable and carries the ledger\'s Retry-After', async () => {
    await orderFaults({ failNext: [{ status: 429, retryAfterSeconds: 3 }] });

    const error = await refusalOf(ledger.bookInvoice(invoice, KEY));

    expect(error).toMatchObject({ retryable: true, httpStatus: 429, retryAfterMs: 3000 });
  });

  test('a 503 is retryable, and the retry books the invoice once', async () => {
    await orderFaults({ failNext: [{ status: 503 }] });

    const error = await refusalOf(ledger.bookInvoice(invoice, KEY));
    await ledger.bookInvoice(invoice, KEY);

    expect(error).toMatchObject({ retryable: true, httpStatus: 503 });
    expect(await bookedInvoices()).toEqual([expect.objectContaining({ bookingRequests: 1 })]);
  });

  test('no answer at all is retryable', async () => {
    await orderFaults({ failNext: [{ kind: 'timeout', hangMs: 60_000 }] });
    const impatient = new LedgerClient(baseUrl, API_KEY, { timeoutMs: 300 });

    const error = await refusalOf(impatient.events('1001', { limit: 10 }));

    expect(error).toMatchObject({ retryable: true });
    expect(error.message).toContain('no response');
  });

  test('an answer that breaks the contract is not retried, and names the field', async () => {
    const liar = { app: Fastify() };
    liar.app.get('/v1/clients/:clientId/events', async () => ({ events: [{ type: 'payout', eventId: 'e1', recordedAt: '2026-12-11T08:00:00+01:00', amountOre: 12.5, paidOn: '2026-12-11' }], nextCursor: 'c', hasMore: false }));
    const url = `${await liar.app.listen({ host: '127.0.0.1', port: 0 })}/`;
    try {
      const error = await refusalOf(new LedgerClient(url, API_KEY).events('1001', { limit: 10 }));

      expect(error.retryable).toBe(false);
      expect(error.message).toContain('events.0.amountOre');
    } finally {
      await liar.app.close();
    }
  });
});
