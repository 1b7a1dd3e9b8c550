import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TZDate } from '@date-fns/tz';
import { randomUUID } from 'node:crypto';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { startService, seedWithInvoices, type ServiceUnderTest } from '../helpers/service';
import { startTimeSkippingTemporal } from '../helpers/temporal';

/**
 * A batch started by hand on a public holiday must not send invoices by mistake. The
 * time-skipping server's clock is moved forward to the next 17 May (Constitution Day).
 */
describe('a batch started by hand', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startTimeSkippingTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('on 17 May it refuses to run, saying why and how to force it', async () => {
    service = await startService(env, seedWithInvoices(1), { onboard: false });
    const now = new Date(await env.currentTimeMs());
    const thisYear = new TZDate(now.getTime(), 'Europe/Oslo').getFullYear();
    let mayDay = new TZDate(thisYear, 4, 17, 10, 0, 0, 'Europe/Oslo');
    if (mayDay.getTime() <= now.getTime()) mayDay = new TZDate(thisYear + 1, 4, 17, 10, 0, 0, 'Europe/Oslo');
    await env.sleep(mayDay.getTime() - now.getTime());

    const run = env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${randomUUID()}`, taskQueue: service.taskQueue, args: [{}] });

    const failure = await run.catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const year = mayDay.getFullYear();
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `${year}-05-17 is not a Norwegian working day (public holiday (Grunnlovsdag (17. mai))); no invoices were fetched. Start the batch with force: true to run anyway.`,
    );
  });
});
