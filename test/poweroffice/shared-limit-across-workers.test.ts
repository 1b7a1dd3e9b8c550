import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection } from '@temporalio/worker';
import got from 'got';
import type { RecordedDelivery } from '../../emulators/distribution/server';
import { readRateLimits, type RateLimitReport } from '../../scripts/chaos/rate-limits';
import { activityDependencies } from '../../worker/activity-dependencies';
import { createInvoiceWorker } from '../../worker/create-worker';
import type { InvoiceWorker } from '../../worker/invoice-worker';
import { powerOfficeQueueRate } from '../../worker/poweroffice-queue-rate';
import { onboardClient } from '../../client/onboarding';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { clientSettingsWorkflowId } from '../../workflows/client-settings-workflow';
import { returnDataWorkflow } from '../../workflows/return-data-workflow';
import { eventually } from '../helpers/eventually';
import { cipherOf, nextKidClientNumber, seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { exampleMapping, sampleEvents } from '../return-data/ledger-events';
import { startLocalTemporal, workflowBundle } from '../helpers/temporal';

/**
 * PowerOffice's limit is one for the whole deployment. With two and three worker processes (here:
 * separate workers, each with its own connector, token cache and in-process limiter, so nothing is
 * shared but the Temporal server), a batch keeps within the limit in every second, as the
 * PowerOffice emulator counts them over real HTTP, and every invoice is sent once. Low limits
 * (v1 5/s, v2 2/s) make the test quick; the figures printed show the batch's time against the
 * bound the calls impose at the limit (no timed assertion: the machine is shared).
 */
const LIMITS = { v1: 5, v2: 2 };
const INVOICES = 40;

describe('PowerOffice’s rate limit, shared by every worker', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;
  const extra: { worker: InvoiceWorker; running: Promise<void>; connection: NativeConnection }[] = [];

  beforeAll(async () => {
    // One partition for the PowerOffice queues, as deploy/temporal/dynamicconfig/docker.yaml sets it.
    env = await startLocalTemporal({ dynamicConfig: { 'matching.numTaskqueueReadPartitions': 1, 'matching.numTaskqueueWritePartitions': 1 } });
  });
  afterEach(async () => {
    for (const { worker, running, connection } of extra.splice(0)) {
      worker.shutdown();
      await running;
      await connection.close();
    }
    await service?.stop();
    service = undefined;
  });
  afterAll(async () => {
    await env?.teardown();
  });

  /** Another worker process on the service's task queues: its own connection, connector, token cache and in-process limiter. */
  async function anotherWorker(): Promise<void> {
    const connection = await NativeConnection.connect({ address: env.address });
    const worker = await createInvoiceWorker({
      connection,
      namespace: env.namespace ?? 'default',
      taskQueue: service!.taskQueue,
      workflowBundle: await workflowBundle(),
      payloadCodec: service!.config.temporal.payloadCodec,
      deps: activityDependencies(service!.config),
      powerOfficeRequestsPerSecond: LIMITS,
    });
    extra.push({ worker, running: worker.run(), connection });
  }

  test.each([2, 3])('with %i workers PowerOffice never sees more than its limit in any second, and every invoice is sent once', async (workers) => {
    const seed = seedWithInvoices(INVOICES);
    service = await startService(env, seed, {
      configOverrides: { POWEROFFICE_V1_REQUESTS_PER_SECOND: String(LIMITS.v1), POWEROFFICE_V2_REQUESTS_PER_SECOND: String(LIMITS.v2) },
    });
    for (let i = 1; i < workers; i += 1) {
      // A connection of its own, as another process would have (the SDK refuses two workers of one queue on one).
      const connection = await NativeConnection.connect({ address: env.address });
      const worker = await createInvoiceWorker({
        connection,
        namespace: env.namespace ?? 'default',
        taskQueue: service.taskQueue,
        workflowBundle: await workflowBundle(),
        payloadCodec: service.config.temporal.payloadCodec,
        deps: activityDependencies(service.config),
        powerOfficeRequestsPerSecond: LIMITS,
      });
      extra.push({ worker, running: worker.run(), connection });
    }
    const admin = `${service.emulators.powerOfficeUrl}_emulator/rate-limits`;
    await got.put(admin, { json: { v1: { limit: LIMITS.v1, windowMs: 1000 }, v2: { limit: LIMITS.v2, windowMs: 1000 } } });
    // Onboarding's own calls are not the batch's.
    await got.delete(admin);

    const startedAt = Date.now();
    await env.client.workflow.execute(batchWorkflow, { workflowId: `batch-shared-limit-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] });
    const deliveries = await eventually(
      async () => (await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>()).deliveries,
      (list) => list.length >= INVOICES,
      180_000,
    );
    const wallMs = Date.now() - startedAt;
    const report = await readRateLimits(service.emulators.powerOfficeUrl);
    console.log(figures(workers, wallMs, report));

    expect(report.v1).toMatchObject({ throttled: 0 });
    expect(report.v2).toMatchObject({ throttled: 0 });
    expect(report.v1.busiestWindow).toBeLessThanOrEqual(LIMITS.v1);
    expect(report.v2.busiestWindow).toBeLessThanOrEqual(LIMITS.v2);
    const keys = deliveries.map((d) => d.idempotencyKey).sort();
    expect(keys).toEqual(seed.companies[0]!.availableInvoices.map((i) => `send:ehf:${seed.clientId}:${i.id}`).sort());
  }, 300_000);

  test('with 2 workers, a batch, a return-data run and an onboarding at once: PowerOffice never sees more than its limit in any second', async () => {
    const seed = seedWithInvoices(INVOICES);
    const returnData = `rd${seed.clientId}`;
    const onboarding = `ob${seed.clientId}`;
    const customers = [{ Number: sampleEvents.payment.customerNo, Name: 'Kunde AS', MailAddress: { AddressLine1: 'Gate 1', ZipCode: '0150', City: 'Oslo', CountryCode: 'NO' } }];
    for (const clientId of [returnData, onboarding]) seed.companies.push({ ...seed.companies[0]!, clientId, clientKey: `key-${clientId}`, availableInvoices: [], customers });
    service = await startService(env, seed, {
      onboard: false,
      configOverrides: { POWEROFFICE_V1_REQUESTS_PER_SECOND: String(LIMITS.v1), POWEROFFICE_V2_REQUESTS_PER_SECOND: String(LIMITS.v2) },
    });
    const onboard = (clientId: string, accountMapping?: typeof exampleMapping) =>
      onboardClient(env.client, service!.taskQueue, cipherOf(service!.config), {
        settings: { clientId, kid: { clientNumber: nextKidClientNumber() }, ...(accountMapping ? { accountMapping } : {}) },
        clientKey: `key-${clientId}`,
      });
    try {
      await onboard(seed.clientId);
      await onboard(returnData, exampleMapping);
      const events = Object.values(sampleEvents).map((event) => ({ ...event, eventId: `${returnData}-${event.eventId}` }));
      const appended = service.emulators.ledger.store.appendEvents(returnData, events);
      if (!appended.ok) throw new Error(appended.error);
      await anotherWorker();
      const admin = `${service.emulators.powerOfficeUrl}_emulator/rate-limits`;
      await got.put(admin, { json: { v1: { limit: LIMITS.v1, windowMs: 1000 }, v2: { limit: LIMITS.v2, windowMs: 1000 } } });
      await got.delete(admin);

      // Pages of 2 events: three pages, each with its own lookups.
      const [, report] = await Promise.all([
        env.client.workflow.execute(batchWorkflow, { workflowId: `batch-shared-limit-${seed.clientId}`, taskQueue: service.taskQueue, args: [{ force: true }] }),
        env.client.workflow.execute(returnDataWorkflow, { workflowId: `return-data-shared-limit-${returnData}`, taskQueue: service.taskQueue, args: [{ force: true, pageSize: 2 }] }),
        onboard(onboarding, exampleMapping),
      ]);
      await eventually(
        async () => (await got(`${service!.emulators.distributionUrl}_emulator/deliveries`).json<{ deliveries: RecordedDelivery[] }>()).deliveries,
        (list) => list.length >= INVOICES,
        180_000,
      );
      const limits = await readRateLimits(service.emulators.powerOfficeUrl);
      console.log(`batch + return data + onboarding, 2 workers: v1 ${limits.v1.requests} requests, busiest second ${limits.v1.busiestWindow} / ${LIMITS.v1}; v2 ${limits.v2.requests} requests, busiest second ${limits.v2.busiestWindow} / ${LIMITS.v2}`);

      expect(report.clients[returnData]).toMatchObject({ status: 'done', posted: events.length });
      expect(limits.v1).toMatchObject({ throttled: 0 });
      expect(limits.v2).toMatchObject({ throttled: 0 });
      expect(limits.v1.busiestWindow).toBeLessThanOrEqual(LIMITS.v1);
      expect(limits.v2.busiestWindow).toBeLessThanOrEqual(LIMITS.v2);
    } finally {
      for (const clientId of [seed.clientId, returnData, onboarding]) {
        await env.client.workflow.getHandle(clientSettingsWorkflowId(clientId)).terminate('test finished').catch(() => undefined);
      }
    }
  }, 300_000);
});

function figures(workers: number, wallMs: number, report: RateLimitReport): string {
  const bound = (api: 'v1' | 'v2') => report[api].requests / LIMITS[api];
  const atQueueRate = (api: 'v1' | 'v2') => report[api].requests / powerOfficeQueueRate(LIMITS[api]);
  return [
    `${workers} workers, ${INVOICES} invoices: batch start to every invoice sent ${(wallMs / 1000).toFixed(1)} s`,
    ...(['v1', 'v2'] as const).map(
      (api) =>
        `  ${api}: ${report[api].requests} requests, busiest second ${report[api].busiestWindow} / ${LIMITS[api]}, throttled ${report[api].throttled}; ` +
        `bound at the limit ${bound(api).toFixed(1)} s, at the queue's rate (${powerOfficeQueueRate(LIMITS[api])}/s) ${atQueueRate(api).toFixed(1)} s`,
    ),
  ].join('\n');
}
