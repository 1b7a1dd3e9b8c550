import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { writeBackWorkflow } from '../../workflows/write-back-workflow';
import { eventually } from '../helpers/eventually';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal } from '../helpers/temporal';
import { powerOfficeInvoices } from '../helpers/write-back';

/**
 * The 15:30 write-back on a bad PowerOffice day: almost a third of the calls hang for longer than
 * the activities' heartbeat timeout (15 s), with the production timeouts and policies. Before
 * issue 10 a second attempt started beside the first, both checked and both wrote: `delivered`
 * twice, the status twice, and "already delivered" taken as WriteBack=Failed.
 */
const INVOICES = 20;

async function awaitingWriteBack(client: Client, clientId: string): Promise<number> {
  const { count } = await client.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND WriteBack = 'Pending'`);
  return count;
}

describe('the write-back while PowerOffice GO hangs', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('with 30% of PowerOffice calls hanging 35 s, each invoice is reported delivered once, its status set once, and none is marked Failed', async () => {
    const seed = seedWithInvoices(INVOICES);
    const clientId = seed.clientId;
    service = await startService(env, seed);
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    expect(await eventually(() => awaitingWriteBack(env.client, clientId), (n) => n === INVOICES, 90_000)).toBe(INVOICES);
    const powerOffice = service.emulators.powerOfficeUrl;
    await got.post(`${powerOffice}_emulator/faults/v1`, { json: { rateTimeout: 0.3, timeoutMs: 35_000 } });

    const started = Date.now();
    const report = await env.client.workflow.execute(writeBackWorkflow, { workflowId: `write-back-${clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const seconds = (Date.now() - started) / 1000;

    const { faultsInjected } = await got(`${powerOffice}_emulator/calls`).json<{ faultsInjected: unknown }>();
    console.log(`write-back of ${INVOICES} invoices with 30% of PowerOffice calls hanging 35 s: ${seconds.toFixed(1)} s, faults injected: ${JSON.stringify(faultsInjected)}`);
    expect(report.clients[clientId]).toEqual({ writtenBack: INVOICES, upToDate: 0, failed: 0 });
    expect(report.failures).toEqual([]);
    const invoices = await powerOfficeInvoices(powerOffice, clientId);
    const perInvoice = invoices.map((i) => ({ invoiceNo: i.invoiceNo, delivered: i.isDelivered, deliveredCalls: i.deliveredCalls, statusUpdates: i.statusHistory.length }));
    expect(perInvoice).toEqual(invoices.map((i) => ({ invoiceNo: i.invoiceNo, delivered: true, deliveredCalls: 1, statusUpdates: 1 })));
    // About 60 s alone on 2 cores; the bound is only a safety net for a machine that is busy otherwise.
  }, 480_000);
});
