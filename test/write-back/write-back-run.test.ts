import type { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import got from 'got';
import { invoicesNotWrittenBack } from '../../client/write-back-failures';
import { seedInvoiceWorkflowId } from '../helpers/invoice-ids';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import type { InvoiceWorker } from '../../worker/invoice-worker';
import { batchWorkflow } from '../../workflows/batch-workflow';
import type { invoiceWorkflow } from '../../workflows/invoice-workflow';
import { writeBackWorkflow, type WriteBackWorkflowInput } from '../../workflows/write-back-workflow';
import { eventually } from '../helpers/eventually';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { startLocalTemporal, workflowBundle } from '../helpers/temporal';
import { powerOfficeInvoices } from '../helpers/write-back';
import { startWorkerProcess } from '../helpers/worker-process';

/**
 * The 15:30 write-back run on the real dev server: it finds the distributed invoices through
 * visibility (WriteBack = Pending), asks each to report itself, and PowerOffice GO (the emulator)
 * learns each KID and PDF exactly once, whatever reruns and crashes happen.
 */

async function awaitingWriteBack(client: Client, clientId: string): Promise<number> {
  const { count } = await client.workflow.count(`WorkflowType = 'invoiceWorkflow' AND ClientId = '${clientId}' AND WriteBack = 'Pending'`);
  return count;
}

describe('the write-back run against the real Temporal dev server', () => {
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

  /** Today's batch (forced: tests run on any day), until every invoice is sent and shows WriteBack Pending. */
  async function distributed(count: number): Promise<{ clientId: string; invoiceIds: string[]; workflowIdOf: (invoiceId: string) => string }> {
    const seed = seedWithInvoices(count);
    service = await startService(env, seed);
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    expect(await eventually(() => awaitingWriteBack(env.client, seed.clientId), (n) => n === count, 60_000)).toBe(count);
    const invoices = seed.companies[0]!.availableInvoices;
    const workflowIdOf = (invoiceId: string) => seedInvoiceWorkflowId(seed.clientId, invoices.find((i) => i.id === invoiceId)!);
    return { clientId: seed.clientId, invoiceIds: invoices.map((i) => i.id), workflowIdOf };
  }

  function runWriteBack(id: string, input: WriteBackWorkflowInput = {}) {
    return env.client.workflow.execute(writeBackWorkflow, { workflowId: id, taskQueue: service!.taskQueue, args: [{ force: true, ...input }] });
  }

  test('every invoice sent today is reported to PowerOffice GO once, and the invoice workflows complete', async () => {
    const { clientId, invoiceIds, workflowIdOf } = await distributed(3);

    const report = await runWriteBack(`write-back-first-${clientId}`);

    expect(report.clients[clientId]).toEqual({ writtenBack: 3, upToDate: 0, failed: 0 });
    expect(report).toMatchObject({ failures: [], unanswered: 0, done: true });
    const invoices = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, clientId);
    expect(invoices.map((i) => [i.isDelivered, i.deliveredCalls, i.statusHistory.length])).toEqual([
      [true, 1, 1],
      [true, 1, 1],
      [true, 1, 1],
    ]);
    for (const invoiceId of invoiceIds) {
      const handle = env.client.workflow.getHandle<typeof invoiceWorkflow>(workflowIdOf(invoiceId));
      const status = await handle.result();
      expect(status.writeBack).toMatchObject({ state: 'Done', reportedSends: 1 });
      expect(invoices.find((i) => i.id === invoiceId)?.delivery?.invoiceCid).toBe(status.kid);
    }
  });

  test('a rerun of the write-back writes nothing twice', async () => {
    const { clientId } = await distributed(2);
    await runWriteBack(`write-back-first-${clientId}`);
    await eventually(() => awaitingWriteBack(env.client, clientId), (n) => n === 0);

    const rerun = await runWriteBack(`write-back-rerun-${clientId}`);

    expect(rerun.clients[clientId]).toEqual({ writtenBack: 0, upToDate: 0, failed: 0 });
    const invoices = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, clientId);
    expect(invoices.map((i) => i.deliveredCalls)).toEqual([1, 1]);
    expect(invoices.map((i) => i.statusHistory.length)).toEqual([1, 1]);
  });

  test('the scheduled run (no client named) takes every active client, in chunks across runs', async () => {
    const { clientId } = await distributed(5);

    const report = await runWriteBack(`write-back-chunks-${clientId}`, { chunkSize: 2, maxRequestsPerRun: 2 });

    expect(report.clients[clientId]).toEqual({ writtenBack: 5, upToDate: 0, failed: 0 });
    expect(report.runsSoFar).toBe(3);
    const invoices = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, clientId);
    expect(invoices.every((i) => i.isDelivered && i.deliveredCalls === 1)).toBe(true);
  });

  test('an invoice PowerOffice GO refuses is listed with the reason in the run and in the report, and asked again by the next run', async () => {
    const { clientId, invoiceIds, workflowIdOf } = await distributed(2);
    // Meanwhile the client's accountant marked invoice 20002 as disputed in PowerOffice GO.
    service!.emulators.powerOffice.state.byClientId(clientId)!.invoices.find((r) => r.invoice.invoiceNo === 20002)!.invoice.factoringInvoiceStatus = 3;
    const reason = 'Invoice 20002 has factoring status Complained (3); delivered is only allowed while it is Active (1).';

    const first = await runWriteBack(`write-back-refused-${clientId}`);

    expect(first.clients[clientId]).toEqual({ writtenBack: 1, upToDate: 0, failed: 1 });
    expect(first.failures).toEqual([{ clientId, invoiceNo: 20002, reason: expect.stringContaining(reason) }]);
    const listed = await eventually(() => invoicesNotWrittenBack(env.client, clientId), (lines) => lines.length === 1);
    expect(listed).toEqual([{ invoiceNo: 20002, workflowId: workflowIdOf(invoiceIds[1]!), reason: expect.stringContaining(reason) }]);
    const second = await runWriteBack(`write-back-refused-again-${clientId}`);
    expect(second.clients[clientId]).toEqual({ writtenBack: 0, upToDate: 0, failed: 1 });
    const invoices = await powerOfficeInvoices(service!.emulators.powerOfficeUrl, clientId);
    expect(invoices.map((i) => [i.invoiceNo, i.isDelivered, i.deliveredCalls])).toEqual([
      [20001, true, 1],
      [20002, false, 2],
    ]);
  });

  test('a worker killed in the middle of the run and restarted writes each invoice back exactly once', async () => {
    const { clientId, invoiceIds, workflowIdOf } = await distributed(3);
    const powerOffice = service!.emulators.powerOfficeUrl;
    // From here on, only a worker in its own process serves the task queue, and PowerOffice GO is slow.
    await service!.stopWorker();
    const killable = startWorkerProcess(service!, env.address);
    await got.post(`${powerOffice}_emulator/faults/v1`, { json: { latencyMs: 1500 } });
    const run = env.client.workflow.start(writeBackWorkflow, { workflowId: `write-back-crash-${clientId}`, taskQueue: service!.taskQueue, args: [{ force: true }] });

    const deliveredCalls = () => powerOfficeInvoices(powerOffice, clientId).then((list) => list.reduce((sum, i) => sum + i.deliveredCalls, 0));
    const statusUpdates = () => powerOfficeInvoices(powerOffice, clientId).then((list) => list.reduce((sum, i) => sum + i.statusHistory.length, 0));
    expect(await eventually(deliveredCalls, (n) => n >= 1, 90_000)).toBeGreaterThanOrEqual(1);
    killable.kill('SIGKILL');
    await new Promise((resolve) => killable.once('exit', resolve));
    // Killed mid-run: not every invoice was finished.
    expect(await statusUpdates()).toBeLessThan(3);

    const restarted = await startInProcessWorker();
    try {
      const report = await (await run).result();
      expect(report.clients[clientId]).toMatchObject({ writtenBack: 3, failed: 0 });
    } finally {
      restarted.worker.shutdown();
      await restarted.running;
    }
    const invoices = await powerOfficeInvoices(powerOffice, clientId);
    expect(invoices.map((i) => [i.isDelivered, i.deliveredCalls, i.statusHistory.length])).toEqual([
      [true, 1, 1],
      [true, 1, 1],
      [true, 1, 1],
    ]);
    for (const invoiceId of invoiceIds) {
      const status = await env.client.workflow.getHandle<typeof invoiceWorkflow>(workflowIdOf(invoiceId)).result();
      expect(status.writeBack).toMatchObject({ state: 'Done', reportedSends: 1 });
    }
  }, 300_000);

  async function startInProcessWorker(): Promise<{ worker: InvoiceWorker; running: Promise<void> }> {
    const worker = await createInvoiceWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue: service!.taskQueue,
      workflowBundle: await workflowBundle(),
      payloadCodec: service!.config.temporal.payloadCodec,
      deps: activityDependencies(service!.config),
    });
    return { worker, running: worker.run() };
  }
});
