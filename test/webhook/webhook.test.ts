import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import got, { type Response } from 'got';
import pino from 'pino';
import type { InvoiceOpenedEvent } from '../../adapters/distribution/partner-api';
import { DistributionPartnerClient } from '../../adapters/distribution/partner-client';
import { buildWebhookServer } from '../../client/webhook/server';
import { guidInvoiceWorkflowId, invoiceWorkflowId } from '../../domain/workflow-ids';
import { buildDistributionEmulator, type DistributionEmulator, type RecordedDelivery } from '../../emulators/distribution/server';
import { invoiceStatusQuery } from '../../workflows/messages';
import { ClientId, InvoiceId } from '../../workflows/search-attributes';
import { eventually } from '../helpers/eventually';
import { startLocalTemporal, testDataConverter } from '../helpers/temporal';
import { ACCESS_CODE, documentReference, linkEmail, PARTNER_API_KEY, signedHeaders, WEBHOOK_SECRET } from './partner-fixtures';
import { settled } from './real-waiting-invoice';
import { finishSignal, openedEventsQuery, waitingInvoiceWorkflow, type WaitingInvoiceInput } from './waiting-invoice-workflow';

/**
 * Our `invoice.opened` webhook against a real Temporal dev server and a real worker running a
 * stand-in invoice workflow that answers the real status query and takes the real opened signal
 * (any state, any sends, without the emulators). Against the real invoice workflow:
 * opened-invoice-history.test.ts, test/bad-input/webhook.test.ts and webhook-fuzz.test.ts.
 */
const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 20_000 } });

type LogLine = Record<string, unknown>;

describe('the invoice-opened webhook', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let workerRun: Promise<void>;
  let webhook: FastifyInstance;
  let webhookUrl: string;
  const taskQueue = `webhook-test-${randomUUID()}`;
  const logLines: LogLine[] = [];

  function startWebhook(): Promise<{ app: FastifyInstance; url: string }> {
    const logger = pino({ level: 'info' }, { write: (line: string) => logLines.push(JSON.parse(line) as LogLine) });
    const app = buildWebhookServer({ temporal: env.client, secret: WEBHOOK_SECRET, logger });
    return app.listen({ host: '127.0.0.1', port: 0 }).then((origin) => ({ app, url: `${origin}/webhooks/invoice-opened` }));
  }

  beforeAll(async () => {
    env = await startLocalTemporal();
    worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      workflowsPath: require.resolve('./waiting-invoice-workflow'),
      dataConverter: testDataConverter(),
    });
    workerRun = worker.run();
    ({ app: webhook, url: webhookUrl } = await startWebhook());
  });
  afterAll(async () => {
    await webhook?.close();
    worker?.shutdown();
    await workerRun;
    await env?.teardown();
  });

  interface InvoiceUnderTest {
    clientId: string;
    invoiceId: string;
    /** The e-mail with link the invoice "sent". */
    deliveryId: string;
    handle: WorkflowHandle<typeof waitingInvoiceWorkflow>;
  }

  /**
   * How a batch names the invoice's workflow: by its number with the GUID in InvoiceId (`invoice`,
   * `credit-note`), or by the GUID itself (`guid`: started before ids held the number).
   */
  type IdForm = 'invoice' | 'credit-note' | 'guid';

  async function startInvoiceWith(clientId: string, invoiceId: string, input: WaitingInvoiceInput, idForm: IdForm = 'invoice') {
    const invoiceNo = input.invoiceNo ?? 10023;
    const workflowId = idForm === 'guid' ? guidInvoiceWorkflowId(clientId, invoiceId) : invoiceWorkflowId({ clientId, invoiceNo, documentType: idForm === 'credit-note' ? 'CreditNote' : 'Invoice' });
    // As a batch starts it (a workflow by GUID from before has no InvoiceId).
    const typedSearchAttributes = [{ key: ClientId, value: clientId }, ...(idForm === 'guid' ? [] : [{ key: InvoiceId, value: invoiceId }])];
    return env.client.workflow.start(waitingInvoiceWorkflow, { workflowId, taskQueue, args: [input], typedSearchAttributes });
  }

  async function startInvoice(input: WaitingInvoiceInput = {}, idForm: IdForm = 'invoice'): Promise<InvoiceUnderTest> {
    const clientId = `c${randomUUID().slice(0, 8)}`;
    const invoiceId = randomUUID();
    const deliveryId = randomUUID();
    const sends = [{ channel: 'email-link', deliveryId, sentAt: new Date().toISOString() }];
    const handle = await startInvoiceWith(clientId, invoiceId, { sends, invoiceNo: 10023, ...input }, idForm);
    return { clientId, invoiceId, deliveryId, handle };
  }

  function openedEvent(invoice: Pick<InvoiceUnderTest, 'clientId' | 'invoiceId'> & { deliveryId?: string }): InvoiceOpenedEvent {
    return {
      eventId: `evt_${randomUUID()}`,
      type: 'invoice.opened',
      deliveryId: invoice.deliveryId ?? randomUUID(),
      reference: { clientId: invoice.clientId, invoiceId: invoice.invoiceId, invoiceNo: 10023 },
      openedAt: new Date().toISOString(),
    };
  }

  /** The history's length once the worker has handled everything in it (no workflow task pending). */
  async function historyLength(handle: WorkflowHandle): Promise<number> {
    const history = await eventually(
      () => handle.fetchHistory(),
      (h) => settled(h.events?.at(-1)),
    );
    return history.events?.length ?? 0;
  }

  function call(rawBody: string, headers: Record<string, string> = signedHeaders(rawBody), url = webhookUrl): Promise<Response<string>> {
    return http.post(url, { body: rawBody, headers });
  }

  const send = (event: object) => call(JSON.stringify(event));
  const json = (response: Response<string>) => JSON.parse(response.body) as Record<string, unknown>;

  test('a signed event for a waiting invoice (invoice-<client>-<number>) is accepted (202) and the invoice becomes Opened', async () => {
    const invoice = await startInvoice();
    const event = openedEvent(invoice);

    const response = await send(event);

    expect(response.statusCode).toBe(202);
    expect(json(response)).toEqual({ accepted: true, eventId: event.eventId, workflowId: invoice.handle.workflowId });
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Opened', openedAt: event.openedAt });
    expect(await invoice.handle.query(openedEventsQuery)).toEqual([{ eventId: event.eventId, deliveryId: event.deliveryId, openedAt: event.openedAt }]);
  });

  test('a waiting invoice started before ids held its number (invoice-<client>-<GUID>) is found and opened (202)', async () => {
    const invoice = await startInvoice({}, 'guid');
    const event = openedEvent(invoice);

    const response = await send(event);

    expect(invoice.handle.workflowId).toBe(`invoice-${invoice.clientId}-${invoice.invoiceId}`);
    expect(response.statusCode).toBe(202);
    expect(json(response)).toEqual({ accepted: true, eventId: event.eventId, workflowId: invoice.handle.workflowId });
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Opened', openedAt: event.openedAt });
  });

  test('a waiting credit note (credit-note-<client>-<number>) is found and opened (202)', async () => {
    const invoice = await startInvoice({}, 'credit-note');

    const response = await send(openedEvent(invoice));

    expect(invoice.handle.workflowId).toBe(`credit-note-${invoice.clientId}-10023`);
    expect(response.statusCode).toBe(202);
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Opened' });
  });

  test("an event with the invoice's number but another invoice's GUID gets 404 and opens nothing", async () => {
    const invoice = await startInvoice();

    const response = await send(openedEvent({ ...invoice, invoiceId: randomUUID() }));

    expect(response.statusCode).toBe(404);
    expect(await invoice.handle.query(openedEventsQuery)).toEqual([]);
  });

  test('the same event twice is accepted twice with the same answer, and the invoice is opened once', async () => {
    const invoice = await startInvoice();
    const event = openedEvent(invoice);

    const first = await send(event);
    const second = await send(event);

    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.body).toBe(first.body);
    expect(await invoice.handle.query(openedEventsQuery)).toHaveLength(1);
  });

  test('the same event after a webhook restart (nothing remembered) is answered "already recorded" (200) without a signal', async () => {
    const invoice = await startInvoice();
    const event = openedEvent(invoice);
    await send(event);
    const restarted = await startWebhook();
    const before = await historyLength(invoice.handle);

    try {
      const again = await call(JSON.stringify(event), signedHeaders(JSON.stringify(event)), restarted.url);

      expect(again.statusCode).toBe(200);
      expect(json(again)).toEqual({ accepted: true, alreadyRecorded: true, eventId: event.eventId, workflowId: invoice.handle.workflowId });
      expect(await invoice.handle.query(openedEventsQuery)).toHaveLength(1);
      expect(await historyLength(invoice.handle)).toBe(before);
    } finally {
      await restarted.app.close();
    }
  });

  test('a new event for an invoice already opened is answered "already recorded" (200) and adds nothing to its history', async () => {
    const invoice = await startInvoice();
    await send(openedEvent(invoice));
    const before = await historyLength(invoice.handle);

    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await send(openedEvent(invoice))).statusCode);

    expect(answers).toEqual(Array(10).fill(200));
    expect(await historyLength(invoice.handle)).toBe(before);
  });

  test.each(['invoice', 'guid'] as const)('an event naming another invoice number gets 422 and no signal (id by %s)', async (idForm) => {
    const invoice = await startInvoice({}, idForm);
    const event = openedEvent(invoice);
    const before = await historyLength(invoice.handle);

    const response = await send({ ...event, reference: { ...event.reference, invoiceNo: 10024 } });

    expect(response.statusCode).toBe(422);
    expect(json(response)).toEqual({ error: `reference.invoiceNo 10024 is not the number of invoice ${invoice.invoiceId}`, field: 'reference.invoiceNo' });
    expect(await historyLength(invoice.handle)).toBe(before);
  });

  test('an event naming a delivery that is not the invoice\'s e-mail with link gets 422 and no signal', async () => {
    const invoice = await startInvoice();
    const other = randomUUID();
    const before = await historyLength(invoice.handle);

    const response = await send(openedEvent({ ...invoice, deliveryId: other }));

    expect(response.statusCode).toBe(422);
    expect(json(response)).toEqual({ error: `deliveryId ${other} is not an e-mail with link sent for invoice ${invoice.invoiceId}`, field: 'deliveryId' });
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Waiting' });
    expect(await historyLength(invoice.handle)).toBe(before);
  });

  test('a client id with "-" (which would point into another invoice\'s workflow id) gets 400', async () => {
    const invoice = await startInvoice();
    // "invoice-<client>-<8 hex>" + "-<rest of the GUID>" read the other way round.
    const [head, ...rest] = invoice.invoiceId.split('-');
    const response = await send(openedEvent({ clientId: `${invoice.clientId}-${head}`, invoiceId: rest.join('-') }));

    expect(response.statusCode).toBe(400);
    expect(json(response)).toEqual({ error: "reference.clientId: a client id is 1-40 letters, digits or '_'", field: 'reference.clientId' });
  });

  test('a wrong signature is refused (401) and the invoice stays Waiting', async () => {
    const invoice = await startInvoice();
    const rawBody = JSON.stringify(openedEvent(invoice));

    const response = await call(rawBody, signedHeaders(rawBody, { secret: 'not-the-shared-secret' }));

    expect(response.statusCode).toBe(401);
    expect(json(response)).toEqual({ error: 'signature mismatch' });
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Waiting' });
  });

  test('a body changed after signing is refused (401)', async () => {
    const invoice = await startInvoice();
    const event = openedEvent(invoice);
    const headers = signedHeaders(JSON.stringify(event));

    const response = await call(JSON.stringify({ ...event, deliveryId: 'another-delivery' }), headers);

    expect(response.statusCode).toBe(401);
  });

  test('a call without signature headers is refused (401)', async () => {
    const invoice = await startInvoice();

    const response = await call(JSON.stringify(openedEvent(invoice)), { 'content-type': 'application/json' });

    expect(response.statusCode).toBe(401);
  });

  test('a correctly signed but stale call (timestamp over 5 minutes old) is refused as a replay (401)', async () => {
    const invoice = await startInvoice();
    const rawBody = JSON.stringify(openedEvent(invoice));

    const response = await call(rawBody, signedHeaders(rawBody, { unixSeconds: Math.floor(Date.now() / 1000) - 301 }));

    expect(response.statusCode).toBe(401);
    expect(json(response)).toEqual({ error: 'timestamp outside the allowed window' });
    expect(await invoice.handle.query(invoiceStatusQuery)).toMatchObject({ state: 'Waiting' });
  });

  test('a call with a timestamp more than 5 minutes ahead is refused (401)', async () => {
    const invoice = await startInvoice();
    const rawBody = JSON.stringify(openedEvent(invoice));

    const response = await call(rawBody, signedHeaders(rawBody, { unixSeconds: Math.floor(Date.now() / 1000) + 301 }));

    expect(response.statusCode).toBe(401);
  });

  test('an event for an invoice without a workflow gets 404', async () => {
    const response = await send(openedEvent({ clientId: 'cunknown', invoiceId: randomUUID() }));

    expect(response.statusCode).toBe(404);
    expect(json(response)).toEqual({ error: expect.stringContaining('no workflow for invoice') });
  });

  test('an event for an invoice whose workflow has completed gets 409', async () => {
    const invoice = await startInvoice({ finishAtOnce: true });
    await invoice.handle.result();

    const response = await send(openedEvent(invoice));

    expect(response.statusCode).toBe(409);
    expect(json(response)).toEqual({ error: 'the invoice workflow is completed; an opening can no longer be recorded' });
  });

  test('an event for an invoice in a state that takes no opening (Delivered) gets 409 and changes nothing', async () => {
    const invoice = await startInvoice({ state: 'Delivered' });

    const response = await send(openedEvent(invoice));

    expect(response.statusCode).toBe(409);
    expect(json(response)).toEqual({ error: expect.stringContaining('the invoice is in state Delivered') });
    expect(await invoice.handle.query(openedEventsQuery)).toEqual([]);
    await invoice.handle.signal(finishSignal);
  });

  test('when the invoice workflow cannot answer (no worker) the partner is told to try again later (503)', async () => {
    const invoiceId = randomUUID();
    const workflowId = guidInvoiceWorkflowId('c_no_worker', invoiceId);
    await env.client.workflow.start(waitingInvoiceWorkflow, { workflowId, taskQueue: `nobody-polls-${randomUUID()}`, args: [{}] });
    const logger = pino({ level: 'silent' });
    const impatient = buildWebhookServer({ temporal: env.client, secret: WEBHOOK_SECRET, logger, temporalTimeoutMs: 1_000 });
    const url = `${await impatient.listen({ host: '127.0.0.1', port: 0 })}/webhooks/invoice-opened`;

    try {
      const response = await call(JSON.stringify(openedEvent({ clientId: 'c_no_worker', invoiceId })), undefined, url);

      expect(response.statusCode).toBe(503);
    } finally {
      await impatient.close();
      await env.client.workflow.getHandle(workflowId).terminate('test over');
    }
  });

  test('a signed body that is not JSON gets 400', async () => {
    const response = await call('{"eventId": ');

    expect(response.statusCode).toBe(400);
    expect(json(response)).toEqual({ error: 'the body is not JSON (UTF-8)', field: '(body)' });
  });

  test('a signed event missing a field gets 400 naming that field', async () => {
    const invoice = await startInvoice();
    const { reference, ...event } = openedEvent(invoice);

    const response = await send({ ...event, reference: { clientId: reference.clientId, invoiceNo: reference.invoiceNo } });

    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ field: 'reference.invoiceId' });
  });

  test('an event whose client id cannot be part of a workflow id gets 400 naming the field', async () => {
    const response = await send(openedEvent({ clientId: 'c 1001', invoiceId: randomUUID() }));

    expect(response.statusCode).toBe(400);
    expect(json(response)).toMatchObject({ field: 'reference.clientId' });
  });

  test('a body over 64 KiB gets 413', async () => {
    const rawBody = JSON.stringify({ padding: 'x'.repeat(64 * 1024) });

    const response = await call(rawBody);

    expect(response.statusCode).toBe(413);
  });

  test('each call logs one line with identifiers only: no secret, no signature, no body', async () => {
    const invoice = await startInvoice();
    const event = openedEvent(invoice);
    const headers = signedHeaders(JSON.stringify(event));
    logLines.length = 0;

    await call(JSON.stringify(event), headers);

    expect(logLines).toEqual([
      expect.objectContaining({ outcome: 'accepted', status: 202, eventId: event.eventId, deliveryId: event.deliveryId, workflowId: invoice.handle.workflowId }),
    ]);
    const logged = JSON.stringify(logLines);
    expect(logged).not.toContain(WEBHOOK_SECRET);
    expect(logged).not.toContain(headers['x-ff-signature']!.slice('sha256='.length));
    expect(logged).not.toContain(event.openedAt);
  });

  test('the health check answers 200', async () => {
    const response = await http.get(webhookUrl.replace('/webhooks/invoice-opened', '/healthz'));

    expect(response.statusCode).toBe(200);
  });

  describe('end to end with the partner emulator', () => {
    let partner: DistributionEmulator;
    let partnerUrl: string;

    beforeAll(async () => {
      partner = buildDistributionEmulator({ apiKey: PARTNER_API_KEY, webhookUrl, webhookSecret: WEBHOOK_SECRET });
      partnerUrl = `${await partner.app.listen({ host: '127.0.0.1', port: 0 })}/`;
    });
    afterAll(async () => {
      await partner?.app.close();
    });

    test('the end customer enters the right code on the partner\'s page and the waiting invoice becomes Opened', async () => {
      const client = new DistributionPartnerClient(partnerUrl, PARTNER_API_KEY);
      const reference = documentReference({ clientId: `c${randomUUID().slice(0, 8)}` });
      const receipt = await client.sendEmail(linkEmail(reference), `deliver:${reference.clientId}:${reference.invoiceId}:email-link`);
      const { deliveryId } = receipt;
      const invoice = { handle: await startInvoiceWith(reference.clientId, reference.invoiceId, {
        sends: [{ channel: 'email-link', deliveryId, sentAt: receipt.acceptedAt }],
        invoiceNo: reference.invoiceNo,
      }) };

      const page = await http.post(`${partnerUrl}open/${deliveryId}`, { form: { code: ACCESS_CODE } });

      expect(page.statusCode).toBe(200);
      const status = await eventually(
        () => invoice.handle.query(invoiceStatusQuery),
        (s) => s.state === 'Opened',
      );
      expect(status.state).toBe('Opened');
      expect(await invoice.handle.query(openedEventsQuery)).toEqual([expect.objectContaining({ deliveryId })]);
      await partner.webhooks!.idle();
      const delivery = JSON.parse((await http.get(`${partnerUrl}_emulator/deliveries/${deliveryId}`)).body) as RecordedDelivery;
      expect(delivery.link?.webhook).toMatchObject({ outcome: 'delivered', attempts: [expect.objectContaining({ status: 202 })] });
    });
  });
});
