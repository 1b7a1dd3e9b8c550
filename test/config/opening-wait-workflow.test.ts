import type { Payload } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { toFactoringDocument } from '../../activities/fetch-available-invoices';
import { factoringInvoiceDetailsSchema } from '../../adapters/poweroffice/v1-schemas';
import { invoiceWorkflowId } from '../../domain/workflow-ids';
import { invoiceWorkflow } from '../../workflows/invoice-workflow';
import { invoiceStatusQuery, writeBackRequestedSignal } from '../../workflows/messages';
import { eventually } from '../helpers/eventually';
import { seedWithInvoices, startService, type ServiceUnderTest } from '../helpers/service';
import { decodedPayload, startTimeSkippingTemporal } from '../helpers/temporal';

/**
 * The worker's OPENING_WAIT_SECONDS and LATE_OPENING_WINDOW_SECONDS reach the invoice workflow
 * through the assessment's result in its history (never from the environment on replay): here an
 * hour and half an hour on the time-skipping server, against the real worker and emulators.
 */
const NOT_IN_PEPPOL = '910000012';

describe('a deployment with a 1-hour opening wait and a 30-minute late-opening window', () => {
  let env: TestWorkflowEnvironment;
  let service: ServiceUnderTest | undefined;

  beforeAll(async () => {
    env = await startTimeSkippingTemporal();
  });
  afterAll(async () => {
    await service?.stop();
    await env?.teardown();
  });

  test('the letter follows an unopened e-mail after the hour, and the invoice ends half an hour after the letter', async () => {
    const seed = seedWithInvoices(1);
    for (const customer of seed.companies[0]!.customers) customer.OrganizationNumber = NOT_IN_PEPPOL;
    service = await startService(env, seed, { configOverrides: { OPENING_WAIT_SECONDS: '3600', LATE_OPENING_WINDOW_SECONDS: '1800' } });
    const document = toFactoringDocument(seed.clientId, factoringInvoiceDetailsSchema.parse(seed.companies[0]!.availableInvoices[0]));
    const handle = await env.client.workflow.start(invoiceWorkflow, {
      workflowId: invoiceWorkflowId(document),
      taskQueue: service.taskQueue,
      args: [{ document }],
    });
    const state = async () => (await handle.query(invoiceStatusQuery)).state;
    await eventually(state, (s) => s === 'Waiting');
    expect(await assessedWaits(handle)).toEqual({ openingWaitSeconds: 3600, lateOpeningWindowSeconds: 1800 });

    await env.sleep('50 minutes');
    expect(await state()).toBe('Waiting');
    await env.sleep('15 minutes');
    expect(await eventually(state, (s) => s === 'LetterSent')).toBe('LetterSent');

    await handle.signal(writeBackRequestedSignal, {});
    await eventually(() => handle.query(invoiceStatusQuery), (s) => s.writeBack?.state === 'Done');
    await env.sleep('10 minutes');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await env.sleep('25 minutes');
    expect(await eventually(async () => (await handle.describe()).status.name, (s) => s === 'COMPLETED')).toBe('COMPLETED');
  });
});

/** The waits as the assessInvoice activity's result recorded them in the workflow's history. */
async function assessedWaits(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }): Promise<unknown> {
  const history = await handle.fetchHistory();
  for (const event of (history.events ?? []) as { activityTaskCompletedEventAttributes?: { result?: { payloads?: Payload[] | null } | null } }[]) {
    const payload = event.activityTaskCompletedEventAttributes?.result?.payloads?.[0];
    if (!payload?.data) continue;
    const result = (await decodedPayload(payload)) as { outcome?: string; openingWaitSeconds?: number; lateOpeningWindowSeconds?: number };
    if (result.outcome === 'ready') return { openingWaitSeconds: result.openingWaitSeconds, lateOpeningWindowSeconds: result.lateOpeningWindowSeconds };
  }
  return undefined;
}
