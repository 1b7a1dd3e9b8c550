import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { FastifyInstance } from 'fastify';
import got from 'got';
import { invoiceStatusQuery } from '../../workflows/messages';
import { eventually } from '../helpers/eventually';
import type { ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { historyLength, openedEventFor, signalsReceived, signedHeaders, startWaitingInvoices, startWebhook, type WaitingInvoice } from './real-waiting-invoice';

/**
 * The partner may report an opening many times (each with a new eventId). Once the real invoice
 * workflow is Opened, the webhook answers from its status query and signals nothing, so its history
 * stops growing (before: 214 signals made 884 events).
 */
const http = got.extend({ throwHttpErrors: false, retry: { limit: 0 }, responseType: 'text', timeout: { request: 20_000 } });

describe('openings reported again for an opened invoice', () => {
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

  const post = (event: object) => {
    const body = JSON.stringify(event);
    return http.post(webhook.url, { body, headers: signedHeaders(body) });
  };

  test('50 more events with new eventIds after the opening are answered "already recorded" and add no history events', async () => {
    const first = await post(openedEventFor(invoice));
    expect(first.statusCode).toBe(202);
    await eventually(() => invoice.handle.query(invoiceStatusQuery), (s) => s.state === 'Opened');
    const before = await historyLength(invoice.handle);

    const answers: number[] = [];
    for (let i = 0; i < 50; i++) answers.push((await post(openedEventFor(invoice))).statusCode);

    expect(answers).toEqual(Array(50).fill(200));
    expect(await historyLength(invoice.handle)).toBe(before);
    expect(await signalsReceived(invoice.handle)).toBe(1);
  });
});
