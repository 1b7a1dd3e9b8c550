import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { batchWorkflow } from '../workflows/batch-workflow';
import { seedWithInvoices, startService, type ServiceUnderTest } from './helpers/service';
import { startLocalTemporal } from './helpers/temporal';

/**
 * 3,000 invoices in one batch on the real dev server: more than the 2,000 pending children one
 * run may hold and far beyond a comfortable history, so the batch must continue as new with a
 * cursor. Every invoice is assessed, booked and sent; nothing trips a Temporal limit, and no run's
 * history passes 2 MB.
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
    expect(result.runsSoFar).toBeGreaterThanOrEqual(3); // 1,000 starts a run at most, and more runs when the reports fill one
    expect(result.clients[seed.clientId]).toMatchObject({ started: INVOICES, alreadyStarted: 0, byChannel: { ehf: INVOICES }, rejected: 0 });
    expect(result.assessed).toBe(INVOICES);
    expect(result.unassessed).toBeUndefined();

    // Every run of the batch stayed well inside the history limits (temporal.md §2.5), and under
    // the 2 MB a run that issue 11 asks for.
    // Sizes come from describe (the run's own record), not from the list: a just-closed run's
    // visibility row may not carry its history size yet.
    const runIds: string[] = [];
    for await (const run of env.client.workflow.list({ query: `WorkflowId = '${batchId}'` })) runIds.push(run.runId);
    expect(runIds.length).toBe(result.runsSoFar);
    for (const runId of runIds) {
      const run = await env.client.workflow.getHandle(batchId, runId).describe();
      expect(run.historyLength).toBeLessThan(10_240);
      expect(run.historySize).toBeLessThan(2_000_000);
    }
  }, 30 * 60_000);
});
