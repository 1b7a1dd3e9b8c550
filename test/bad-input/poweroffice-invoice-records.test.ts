import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import type { RecordedDelivery } from '../../emulators/distribution/server';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { eventually } from '../helpers/eventually';

/**
 * PowerOffice GO lists a client's invoices in pages; one record in a form we cannot read (an amount
 * with three decimals, a date written the Norwegian way) is that invoice's problem. Before, it failed
 * the whole page's activity, and with it the batch for every client after it.
 */
describe('an invoice PowerOffice GO lists in a form that cannot be read', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  test('is shown in the batch with its number and why, while the rest of its page and the next page go out', async () => {
    const seed = seedWithInvoices(5);
    const invoices = seed.companies[0]!.availableInvoices;
    // Pages of two: 20001-20002 | 20003-20004 | 20005. The unreadable ones end a page and start one.
    invoices[1]!.totalAmount = 1500.005;
    invoices[2]!.dueDate = '11.12.2026';
    service = await startService(env, seed);

    const result = await env.client.workflow.execute(batchWorkflow, {
      workflowId: `batch-unreadable-${seed.clientId}`,
      taskQueue: service.taskQueue,
      args: [{ force: true, clientIds: [seed.clientId], pageSize: 2 }],
    });

    expect(result.clients[seed.clientId]).toMatchObject({ started: 3, unreadable: 2, rejected: 0, failed: 0 });
    expect(result.unreadable).toEqual([
      { clientId: seed.clientId, invoiceNo: 20002, reason: expect.stringContaining('more than two decimals') },
      { clientId: seed.clientId, invoiceNo: 20003, reason: expect.stringMatching(/dueDate: expected an ISO 8601 date/) },
    ]);
    const sentKeys = async () => {
      const { deliveries } = await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>();
      return deliveries.map((d) => d.idempotencyKey).sort();
    };
    const sent = await eventually(sentKeys, (keys) => keys.length >= 3);
    expect(sent).toEqual([0, 3, 4].map((i) => `send:ehf:${seed.clientId}:${invoices[i]!.id}`).sort());
  });
});
