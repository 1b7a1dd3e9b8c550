import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { batchWorkflow } from '../workflows/batch-workflow';
import { seedWithInvoices, startService, type ServiceUnderTest } from './helpers/service';
import { startLocalTemporal } from './helpers/temporal';

/**
 * 3,000 invoices in one batch on the real dev server: more than the 2,000 pending children one
 * run may hold and far beyond a comfortable history, so the batch must continue as new with a
 * cursor. Every invoice is assessed, booked and sent; nothing trips a Temporal limit.
 */
const INVOICES = 3000;

describe('a batch at scale', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startLocalTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test(`a batch of ${INVOICES} invoices completes without tripping any Temporal limit`, async () => {
    const seed = seedWithInvoices(INVOICES, `scale${randomUUID().slice(0, 6)}`);
    service = await startService(env, seed);
    const batchId = `batch-scale-${seed.clientId}`;

    const result = await env.client.workflow.execute(batchWorkflow, { workflowId: batchId, taskQueue: service.taskQueue, args: [{ force: true }] });

    expect(result.done).toBe(true);
    // At least one run per 1,000 starts; the server may suggest one more while the children's reports pour in.
    expect(result.runsSoFar).toBeGreaterThanOrEqual(3);
    expect(result.clients[seed.clientId]).toMatchObject({ started: INVOICES, alreadyStarted: 0, byChannel: { ehf: INVOICES }, rejected: 0 });
    expect(result.assessed).toBe(INVOICES);
    expect(result.unassessed).toBeUndefined();

    // Every run of the batch stayed well inside the history limits (temporal.md §2.5).
    for await (const run of env.client.workflow.list({ query: `WorkflowId = '${batchId}'` })) {
      expect(run.historyLength).toBeLessThan(10_240);
    }
  }, 30 * 60_000);
});
