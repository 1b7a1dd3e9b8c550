import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { WorkflowFailedError } from '@temporalio/client';
import got from 'got';
import { toFactoringDocument } from '../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../adapters/poweroffice/v1-schemas';
import { invoiceWorkflowId } from '../domain/workflow-ids';
import type { RecordedDelivery } from '../emulators/distribution/server';
import { invoiceWorkflow } from '../workflows/invoice-workflow';
import { seedWithInvoices, startService, type ServiceUnderTest } from './helpers/service';
import { startTimeSkippingTemporal } from './helpers/temporal';

/** Retry backoffs are server timers, so the time-skipping server runs hours of retries in seconds. */
describe('an invoice whose distribution partner is having a bad day', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startTimeSkippingTemporal();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function deliveriesAtPartner(): Promise<RecordedDelivery[]> {
    const body = await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
    return body.deliveries;
  }

  function firstDocument(seed: ReturnType<typeof seedWithInvoices>) {
    const invoice = seed.companies[0]!.availableInvoices[0]!;
    return toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(invoice));
  }

  test('after 429 and 500 answers the invoice is still delivered, exactly once', async () => {
    const seed = seedWithInvoices(1);
    service = await startService(env, seed, { onboard: false });
    await got.post(`${service.emulators.distributionUrl}_emulator/faults`, {
      json: { failNext: [{ status: 429, retryAfterSeconds: 2 }, { status: 500 }, { status: 503 }] },
    });
    const document = firstDocument(seed);

    const status = await env.client.workflow.execute(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(seed.clientId, document.invoiceId),
      taskQueue: service.taskQueue,
      args: [{ document }],
    });

    expect(status.state).toBe('Delivered');
    expect(service.emulators.distribution.faults.injected).toBe(3);
    const deliveries = await deliveriesAtPartner();
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ requestsWithKey: 1, request: { reference: { invoiceId: document.invoiceId } } });
  });

  test('a permanent refusal fails the invoice at once with the partner\'s reason, visible to the operator', async () => {
    const seed = seedWithInvoices(1);
    service = await startService(env, seed, { onboard: false });
    await got.post(`${service.emulators.distributionUrl}_emulator/faults`, { json: { failNext: [{ status: 403 }] } });
    const document = firstDocument(seed);

    const run = env.client.workflow.execute(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(seed.clientId, document.invoiceId),
      taskQueue: service.taskQueue,
      args: [{ document }],
    });

    await expect(run).rejects.toBeInstanceOf(WorkflowFailedError);
    await expect(run).rejects.toMatchObject({
      cause: { message: expect.stringContaining(`Invoice ${document.invoiceNo} was not distributed: distribution partner: delivery deliver:${seed.clientId}:${document.invoiceId}:letter answered HTTP 403`) },
    });
    expect(await deliveriesAtPartner()).toHaveLength(0);
  });
});
