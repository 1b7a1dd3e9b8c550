import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { TZDate } from '@date-fns/tz';
import { randomUUID } from 'node:crypto';
import { batchWorkflow } from '../../workflows/batch-workflow';
import { writeBackWorkflow } from '../../workflows/write-back-workflow';
import { startService, seedWithInvoices, type ServiceUnderTest } from '../helpers/service';
import { startTimeSkippingTemporal } from '../helpers/temporal';

/**
 * A batch or write-back started by hand on a public holiday must not run by mistake. The
 * time-skipping server's clock is moved forward to the next 17 May (Constitution Day).
 */
describe('runs started by hand', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startTimeSkippingTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  /**
   * Moves the clock to 10:00 on the next 17 May that falls on a weekday (so the holiday, not the
   * weekend, is the reason); returns its year. Awaiting a result lets the server skip time, so
   * each test moves the clock itself.
   */
  async function onConstitutionDay(): Promise<number> {
    const now = await env.currentTimeMs();
    let year = new TZDate(now, 'Europe/Oslo').getFullYear();
    let mayDay = new TZDate(year, 4, 17, 10, 0, 0, 'Europe/Oslo');
    while (mayDay.getTime() <= now || mayDay.getDay() === 0 || mayDay.getDay() === 6) {
      year += 1;
      mayDay = new TZDate(year, 4, 17, 10, 0, 0, 'Europe/Oslo');
    }
    await env.sleep(mayDay.getTime() - now);
    return year;
  }

  test('a batch on 17 May refuses to run, saying why and how to force it', async () => {
    service ??= await startService(env, seedWithInvoices(1), { onboard: false });
    const year = await onConstitutionDay();

    const run = env.client.workflow.execute(batchWorkflow, { workflowId: `batch-${randomUUID()}`, taskQueue: service.taskQueue, args: [{}] });

    const failure = await run.catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `${year}-05-17 is not a Norwegian working day (public holiday (Grunnlovsdag (17. mai))); no invoices were fetched. Start the batch with force: true to run anyway.`,
    );
  });

  test('a write-back on 17 May refuses to run, saying why and how to force it', async () => {
    service ??= await startService(env, seedWithInvoices(1), { onboard: false });
    const year = await onConstitutionDay();

    const run = env.client.workflow.execute(writeBackWorkflow, { workflowId: `write-back-${randomUUID()}`, taskQueue: service.taskQueue, args: [{}] });

    const failure = await run.catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect((failure as WorkflowFailedError).cause?.message).toBe(
      `${year}-05-17 is not a Norwegian working day (public holiday (Grunnlovsdag (17. mai))); nothing was written back. Start the write-back with force: true to run anyway.`,
    );
  });
});
