import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import got from 'got';
import type { ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { invoiceStatusQuery } from '../../workflows/messages';
import { historyLength, openedEventFor, sign, signedHeaders, startWaitingInvoices, startWebhook, type WaitingInvoice } from '../webhook/real-waiting-invoice';

/**
 * Bad calls to the `invoice.opened` webhook, each answered with its exact status and sentence, and
 * none of them reaching the invoice: the real invoice workflow, sent by e-mail with link and
 * waiting for "opened", has the same history length after the call as before.
 */
const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 20_000 } });

interface BadRequest {
  body: Buffer | string;
  headers: Record<string, string>;
}

interface Row {
  input: string;
  request: (invoice: WaitingInvoice) => BadRequest;
  status: number;
  error: (invoice: WaitingInvoice) => string;
}

type Event = ReturnType<typeof openedEventFor>;

/** The invoice's valid event, changed by `change`, signed correctly. */
function signedEvent(change: (event: Event, invoice: WaitingInvoice) => unknown): (invoice: WaitingInvoice) => BadRequest {
  return (invoice) => {
    const body = JSON.stringify(change(openedEventFor(invoice), invoice));
    return { body, headers: signedHeaders(body) };
  };
}

const withReference = (event: Event, change: Partial<Event['reference']> | Record<string, unknown>) => ({ ...event, reference: { ...event.reference, ...change } });
const otherDeliveryId = randomUUID();
const unknownInvoiceId = randomUUID();
const fixed = (text: string) => () => text;
const nowSeconds = () => Math.floor(Date.now() / 1000);

const rows: Row[] = [
  {
    input: 'no signature headers',
    request: (invoice) => ({ body: JSON.stringify(openedEventFor(invoice)), headers: { 'content-type': 'application/json' } }),
    status: 401,
    error: fixed('missing or malformed timestamp'),
  },
  {
    input: 'a timestamp that is not unix seconds',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice));
      return { body, headers: { ...signedHeaders(body), 'x-ff-timestamp': '2026-12-01T09:30:00Z' } };
    },
    status: 401,
    error: fixed('missing or malformed timestamp'),
  },
  {
    input: 'a signature without "sha256="',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice));
      const headers = signedHeaders(body);
      return { body, headers: { ...headers, 'x-ff-signature': headers['x-ff-signature']!.slice('sha256='.length) } };
    },
    status: 401,
    error: fixed('missing or malformed signature'),
  },
  {
    input: 'signed with another secret',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice));
      const { timestamp, signature } = sign(body, { secret: 'not-the-shared-secret' });
      return { body, headers: { 'content-type': 'application/json', 'x-ff-timestamp': timestamp, 'x-ff-signature': signature } };
    },
    status: 401,
    error: fixed('signature mismatch'),
  },
  {
    input: 'correctly signed 6 minutes ago (a replay)',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice));
      const { timestamp, signature } = sign(body, { unixSeconds: nowSeconds() - 360 });
      return { body, headers: { 'content-type': 'application/json', 'x-ff-timestamp': timestamp, 'x-ff-signature': signature } };
    },
    status: 401,
    error: fixed('timestamp outside the allowed window'),
  },
  {
    input: 'sent as text/plain',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice));
      return { body, headers: signedHeaders(body, 'text/plain') };
    },
    status: 415,
    error: fixed('the body must be sent as application/json'),
  },
  {
    input: 'truncated JSON',
    request: (invoice) => {
      const body = JSON.stringify(openedEventFor(invoice)).slice(0, 40);
      return { body, headers: signedHeaders(body) };
    },
    status: 400,
    error: fixed('the body is not JSON (UTF-8)'),
  },
  {
    input: 'bytes that are not UTF-8',
    request: () => {
      const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
      return { body, headers: signedHeaders(body) };
    },
    status: 400,
    error: fixed('the body is not JSON (UTF-8)'),
  },
  { input: 'a JSON array', request: signedEvent((event) => [event]), status: 400, error: fixed('the body is not a JSON object') },
  { input: 'no eventId', request: signedEvent(({ eventId: _, ...event }) => event), status: 400, error: fixed('eventId is missing') },
  { input: 'another event type', request: signedEvent((event) => ({ ...event, type: 'invoice.paid' })), status: 400, error: fixed('type: Invalid input: expected "invoice.opened"') },
  {
    input: 'a client id with "-" that reads as another invoice\'s workflow id',
    request: signedEvent((event, invoice) => {
      const [head, ...rest] = invoice.invoiceId.split('-');
      return withReference(event, { clientId: `${invoice.clientId}-${head}`, invoiceId: rest.join('-') });
    }),
    status: 400,
    error: fixed("reference.clientId: a client id is 1-40 letters, digits or '_'"),
  },
  {
    input: 'an invoice id that is a path, not a GUID',
    request: signedEvent((event) => withReference(event, { invoiceId: '../../client-1001' })),
    status: 400,
    error: fixed('reference.invoiceId: an invoice id is a GUID (8-4-4-4-12 hexadecimal digits) or 1-20 digits'),
  },
  {
    input: 'a delivery id with spaces and markup',
    request: signedEvent((event) => ({ ...event, deliveryId: '<b>delivery 1</b>' })),
    status: 400,
    error: fixed("deliveryId: a delivery id is 1-100 letters, digits, '_', '-', '.' or ':', starting with a letter or digit"),
  },
  {
    input: 'an eventId of 101 characters',
    request: signedEvent((event) => ({ ...event, eventId: 'e'.repeat(101) })),
    status: 400,
    error: fixed("eventId: an event id is 1-100 letters, digits, '_', '-', '.' or ':', starting with a letter or digit"),
  },
  {
    input: 'the invoice number as text',
    request: signedEvent((event, invoice) => withReference(event, { invoiceNo: String(invoice.invoiceNo) })),
    status: 400,
    error: fixed('reference.invoiceNo: an invoice number is a whole number from 1'),
  },
  { input: 'a negative invoice number', request: signedEvent((event) => withReference(event, { invoiceNo: -20001 })), status: 400, error: fixed('reference.invoiceNo: an invoice number is a whole number from 1') },
  {
    input: 'openedAt that is not an instant',
    request: signedEvent((event) => ({ ...event, openedAt: 'yesterday' })),
    status: 400,
    error: fixed('openedAt: openedAt is an ISO 8601 instant with offset, e.g. 2026-12-01T09:30:00Z'),
  },
  {
    input: "another invoice's number",
    request: signedEvent((event) => withReference(event, { invoiceNo: 99999 })),
    status: 422,
    error: (invoice) => `reference.invoiceNo 99999 is not the number of invoice ${invoice.invoiceId}`,
  },
  {
    input: 'a delivery that is not the e-mail with link of this invoice',
    request: signedEvent((event) => ({ ...event, deliveryId: otherDeliveryId })),
    status: 422,
    error: (invoice) => `deliveryId ${otherDeliveryId} is not an e-mail with link sent for invoice ${invoice.invoiceId}`,
  },
  {
    input: 'an invoice id no workflow has',
    request: signedEvent((event) => withReference(event, { invoiceId: unknownInvoiceId })),
    status: 404,
    error: (invoice) => `no workflow for invoice ${unknownInvoiceId} of client ${invoice.clientId}`,
  },
  {
    input: 'a body over 64 KiB',
    request: signedEvent((event) => ({ ...event, padding: 'x'.repeat(65 * 1024) })),
    status: 413,
    error: fixed('the body is larger than this webhook accepts'),
  },
];

describe('bad calls to the invoice-opened webhook', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest;
  let invoice: WaitingInvoice;
  let webhook: { app: FastifyInstance; url: string };

  beforeAll(async () => {
    env = await startLocalTemporal();
    const started = await startWaitingInvoices(env, 1);
    service = started.service;
    invoice = started.invoices[0]!;
    webhook = await startWebhook(env);
  });
  afterAll(async () => {
    await webhook?.app.close();
    await invoice?.handle.terminate('test finished').catch(() => undefined);
    await service?.stop();
    await env?.teardown();
  });

  it.each(rows)('$input: $status with a sentence, and no signal reaches the invoice', async ({ request, status, error }) => {
    const before = await historyLength(invoice.handle);
    const { body, headers } = request(invoice);

    const response = await http.post(webhook.url, { body, headers });

    expect(response.statusCode).toBe(status);
    expect((JSON.parse(response.body) as { error: string }).error).toBe(error(invoice));
    expect(await historyLength(invoice.handle)).toBe(before);
    const after = await invoice.handle.query(invoiceStatusQuery);
    expect([after.state, after.openedAt, after.ignoredOpenings]).toEqual(['Waiting', undefined, undefined]);
  });
});
